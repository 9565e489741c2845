"""The validators of shared-rules/SPEC.md: the shared cases, edge cases per validator, and the JavaScript twin.

The shared cases (shared-rules/vectors/validators.json) run here and in extension/tests/validators.test.js.
The last test feeds both implementations the same few thousand near-miss values in one node process and
requires identical answers, which catches divergence the hand-written cases do not think of.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from promptfence.agent import validators
from promptfence.agent.keccak import keccak256, sponge256
from promptfence.agent.rules import load_json, load_schema, shared_rules_dir

BASE = shared_rules_dir()
INDEX = load_json(BASE / "index.json")
CASES = load_json(BASE / INDEX["validator_cases"])["cases"]
REPO = Path(__file__).resolve().parent.parent
VALIDATORS_JS = REPO / "extension" / "common" / "validators.js"


def case_id(case: dict) -> str:
    value = case["value"] if len(case["value"]) <= 40 else case["value"][:37] + "..."
    return f"{case['validator']}:{value!r}:{'valid' if case['valid'] else 'invalid'}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_when_shared_case_then_validator_gives_its_expected_result(case):
    check = validators.make(case["validator"], case.get("args", {}))
    assert check(case["value"]) is case["valid"]


def test_when_cases_file_is_read_then_it_matches_its_schema():
    import jsonschema

    jsonschema.validate(load_json(BASE / INDEX["validator_cases"]), load_schema("validator_cases"))


def test_when_registry_is_listed_then_it_equals_the_schema_enum_and_the_spec_table():
    schema = load_schema("rule_pack")
    enum = schema["$defs"]["rule"]["properties"]["validator"]["properties"]["name"]["enum"]
    spec = (BASE / "SPEC.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z0-9_]+)` \|", spec.split("### Validators", 1)[1], re.M))
    assert set(validators.REGISTRY) == set(enum) == table


@pytest.mark.parametrize("name", sorted(validators.REGISTRY))
def test_when_validator_exists_then_shared_cases_cover_a_pass_and_a_fail(name):
    outcomes = {case["valid"] for case in CASES if case["validator"] == name}
    assert outcomes == {True, False}


def test_when_validator_name_is_unknown_then_make_raises_value_error():
    with pytest.raises(ValueError, match="unknown validator"):
        validators.make("luhnn", {})


def test_when_plain_validator_gets_an_argument_then_make_raises_type_error():
    with pytest.raises(TypeError):
        validators.make("luhn", {"strict": True})


@pytest.mark.parametrize("args", [{}, {"bits": "4"}, {"bits": 4, "min_classes": 2.5}, {"bits": 4, "extra": 1}])
def test_when_min_entropy_args_are_wrong_then_make_raises_type_error(args):
    with pytest.raises(TypeError):
        validators.make("min_entropy", args)


# --- luhn and card_issuer -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["4111111111111111", "5555555555554444", "378282246310005"])
def test_when_luhn_check_digit_changes_then_luhn_fails(number):
    for replacement in "0123456789":
        changed = number[:-1] + replacement
        assert validators.luhn(changed) is (changed == number)


def test_when_card_has_issuer_prefix_but_wrong_length_then_card_issuer_fails():
    # 16-digit Amex prefix that passes Luhn
    assert validators.luhn("3400000000000000")
    assert not validators.card_issuer("3400000000000000")


# --- iban_mod97 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("country, length", sorted(validators.IBAN_LENGTHS.items()))
def test_when_iban_has_the_country_length_and_check_digits_then_it_passes(country, length):
    bban = ("1234567890" * 4)[: length - 4]
    numeric = "".join(str(ord(c) - 55) for c in country)
    check = 98 - int(bban + numeric + "00") % 97
    iban = f"{country}{check:02d}{bban}"
    assert validators.iban_mod97(iban)
    assert not validators.iban_mod97(iban + "1")
    assert not validators.iban_mod97(iban[:-1])


# --- date_of_birth ------------------------------------------------------------------------------------

TODAY = datetime.date(2026, 3, 15)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-15", True),
        ("2026-03-16", False),
        ("15/03/2026", True),
        ("16.03.2026", False),
        ("March 15, 2026", True),
        ("March 16, 2026", False),
    ],
)
def test_when_date_is_today_then_valid_and_tomorrow_then_invalid(value, expected):
    assert validators.date_of_birth_on(value, TODAY) is expected


@pytest.mark.parametrize(
    "value, expected",
    [("01/01/26", True), ("01/01/27", True), ("31/12/99", True), ("16/03/26", False)],
)
def test_when_year_has_two_digits_then_it_is_the_latest_century_not_after_today(value, expected):
    # 01/01/27 is 1927 (2027 is after TODAY); 16/03/26 is 2026-03-16, the day after TODAY.
    assert validators.date_of_birth_on(value, TODAY) is expected


# --- phone_number -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2024-01-15", "15.01.2024", "01/15/2024", "1999 12 31"])
def test_when_phone_candidate_is_a_real_date_then_phone_number_fails(value):
    assert not validators.phone_number(value)


def test_when_phone_candidate_is_date_shaped_but_not_a_date_then_phone_number_passes():
    assert validators.phone_number("2024-13-45")


# --- hashes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, digest",
    [
        (b"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        (b"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    ],
)
def test_when_keccak256_hashes_known_input_then_digest_matches(data, digest):
    assert keccak256(data).hex() == digest


def test_when_sponge_uses_sha3_padding_then_it_equals_hashlib_sha3_256_at_every_length():
    # Lengths around the 136-byte rate exercise one-byte padding and a whole extra padding block.
    import hashlib

    for length in range(0, 300):
        data = bytes(range(256))[:length] if length <= 256 else b"z" * length
        assert sponge256(data, 0x06) == hashlib.sha3_256(data).digest(), length
    assert keccak256(b"") != hashlib.sha3_256(b"").digest()


# --- Python and JavaScript agree -------------------------------------------------------------------------

NODE_ORACLE = """
import { makeValidator } from %s;
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const out = cases.map(([name, args, value]) => makeValidator(name, args)(value));
  process.stdout.write(JSON.stringify(out));
});
"""

ALPHABET = "0123456789abcdefABCDEFxX -./:()+,é٣😀\n"


def mutations(value: str, rng: random.Random, count: int) -> list[str]:
    """Near misses of a value: a character replaced, inserted, dropped, or its case flipped."""
    out = []
    for _ in range(count):
        chars = list(value)
        operation = rng.randrange(4)
        position = rng.randrange(len(chars) + 1)
        if operation == 0 and chars:
            chars[min(position, len(chars) - 1)] = rng.choice(ALPHABET)
        elif operation == 1:
            chars.insert(position, rng.choice(ALPHABET))
        elif operation == 2 and chars:
            del chars[min(position, len(chars) - 1)]
        else:
            chars = [c.swapcase() if rng.random() < 0.3 else c for c in chars]
        out.append("".join(chars))
    return out


def test_when_python_and_javascript_see_the_same_near_misses_then_they_agree():
    node = shutil.which("node")
    assert node, "node is required (see the Makefile's setup)"
    rng = random.Random(20261123)
    batch = []
    for case in CASES:
        for value in [case["value"], *mutations(case["value"], rng, 12)]:
            batch.append([case["validator"], case.get("args", {}), value])
    script = NODE_ORACLE % json.dumps(VALIDATORS_JS.as_uri())
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    js = json.loads(result.stdout)
    python = [validators.make(name, args)(value) for name, args, value in batch]
    differences = [(b, p, j) for b, p, j in zip(batch, python, js) if p != j]
    assert not differences, differences[:10]
    assert len(js) == len(batch) > 3000
