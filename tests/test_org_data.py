"""Organisation data (agent/org_data.py): keyword dictionaries and exact-data-match fingerprints."""

import base64
import hashlib
import hmac
import random
import string

import jsonschema
import pytest

from promptfence.agent.errors import PolicyInvalid
from promptfence.agent.org_data import (
    KeywordDictionary,
    fingerprint,
    fingerprint_sets,
    keyword_dictionaries,
)
from promptfence.agent.policy import Policy
from promptfence.agent.regex_trie import trie_regex
from promptfence.agent.rules import load_json, resolve_overlaps, shared_rules_dir

BASE = shared_rules_dir()
INDEX = load_json(BASE / "index.json")


def dictionary(terms, **options):
    raw = {"id": "codenames", "type": "CODE_NAME", "severity": "high", "terms": terms, **options}
    return KeywordDictionary.from_policy(raw)


def spans(found, text):
    return [text[f.start:f.end] for f in found]


@pytest.mark.parametrize("text, case_sensitive, expected", [
    ("status of project bluebird?", False, ["project bluebird"]),
    ("status of PROJECT BLUEBIRD?", False, ["PROJECT BLUEBIRD"]),
    ("status of project bluebird?", True, []),
    ("status of Project Bluebird?", True, ["Project Bluebird"]),
])
def test_when_case_option_is_set_then_case_is_respected(text, case_sensitive, expected):
    found = dictionary(["Project Bluebird"], case_sensitive=case_sensitive).find(text)
    assert spans(found, text) == expected


@pytest.mark.parametrize("text, whole_word, expected", [
    ("the falcon team", True, ["falcon"]),
    ("the falcons team", True, []),
    ("the superfalcon team", True, []),
    ("falcon_v2 and falcon-v2", True, ["falcon", "falcon"]),  # '_' and '-' are no letters or digits
    ("the falcons team", False, ["falcon"]),
    ("the superfalcon team", False, ["falcon"]),
])
def test_when_whole_word_is_set_then_terms_must_not_touch_letters_or_digits(text, whole_word, expected):
    found = dictionary(["falcon"], whole_word=whole_word).find(text)
    assert spans(found, text) == expected


def test_when_terms_share_a_prefix_then_the_longest_matches():
    text = "see Bluebird Phase 2 and Bluebird alone"
    found = dictionary(["Bluebird", "Bluebird Phase 2", "Blue"]).find(text)
    assert spans(found, text) == ["Bluebird Phase 2", "Bluebird"]


def test_when_a_term_has_regex_characters_then_they_are_literal():
    text = "ask about a.b*c (v2) or aXb*c"
    found = dictionary(["a.b*c (v2)"], whole_word=False).find(text)
    assert spans(found, text) == ["a.b*c (v2)"]


def test_when_the_term_is_not_ascii_then_boundaries_still_hold():
    text = "Projekt Übersee startet; Projekt Überseeländer nicht"
    found = dictionary(["Projekt Übersee"]).find(text)
    assert spans(found, text) == ["Projekt Übersee"]


def test_when_lowercasing_changes_length_then_offsets_stay_right():
    text = "İİ note: Project Bluebird"  # 'İ'.lower() is two characters
    found = list(dictionary(["project bluebird"]).find(text))
    assert spans(found, text) == ["Project Bluebird"]


@pytest.mark.parametrize("case_sensitive", [True, False])
def test_when_the_dictionary_has_5000_terms_then_listed_ones_are_found(case_sensitive):
    rng = random.Random(5)
    terms = {
        " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))).capitalize()
                 for _ in range(rng.randint(1, 3)))
        for _ in range(5000)
    }
    terms = sorted(terms)
    listed = terms[1234]
    text = ("Quarterly notes. " * 200) + f"The {listed} launch slips. " + ("More notes here. " * 200)
    found = list(dictionary(terms, case_sensitive=case_sensitive).find(text))
    assert spans(found, text) == [listed]
    assert found[0].type == "CODE_NAME" and found[0].rule == "codenames" and found[0].category == "keyword"


def test_when_the_trie_is_built_then_it_matches_exactly_the_terms():
    import re

    terms = ["ab", "abc", "abd", "b", "bcd"]
    pattern = re.compile("(?:" + trie_regex(terms) + r")\Z")
    for term in terms:
        assert pattern.match(term)
    for other in ["a", "bc", "abcd", "c", ""]:
        assert not pattern.match(other)


def test_when_a_dictionary_has_no_terms_then_policy_invalid():
    with pytest.raises(PolicyInvalid):
        keyword_dictionaries([{"id": "x", "type": "X", "severity": "low", "terms": []}])


# --- shared keyword vectors (the extension runs the same file: extension/tests/keywords.test.js) -------

KEYWORD_VECTORS = load_json(BASE / INDEX["keyword_vectors"])
FIXTURE_DICTIONARIES = KEYWORD_VECTORS["dictionaries"]


def test_when_the_keyword_vector_file_is_read_then_it_fits_its_schema_and_its_dictionaries_are_policy_valid():
    jsonschema.validate(KEYWORD_VECTORS, load_json(BASE / INDEX["schemas"]["keyword_vectors"]))
    Policy.from_dict({"policy_version": "keyword-vectors", "keywords": FIXTURE_DICTIONARIES})
    positives = {finding["rule"] for vector in KEYWORD_VECTORS["vectors"] for finding in vector["expected"]}
    assert positives == {d["id"] for d in FIXTURE_DICTIONARIES}, "every fixture dictionary needs a positive vector"


@pytest.mark.parametrize("vector", KEYWORD_VECTORS["vectors"], ids=lambda v: v["name"])
def test_keyword_vector(vector):
    chosen = [raw for raw in FIXTURE_DICTIONARIES if raw["id"] in vector.get("dictionaries", [raw["id"]])]
    assert len(chosen) == len(vector.get("dictionaries", chosen)), "a vector names a dictionary the file lacks"
    dictionaries = keyword_dictionaries(chosen)
    text = vector["input"]
    lowered = text.lower()
    found = [finding for dictionary in dictionaries for finding in dictionary.find(text, lowered)]
    resolved = resolve_overlaps(found, {dictionary.id: order for order, dictionary in enumerate(dictionaries)})
    got = [{"rule": f.rule, "type": f.type, "category": f.category, "severity": f.severity,
            "score": round(f.score, 2), "start": f.start, "end": f.end} for f in resolved]
    assert got == vector["expected"]


# --- fingerprints -------------------------------------------------------------------------------------

SALT = b"organisation-salt-0001"
CUSTOMERS = ["48213377", "55120984"]


def fingerprint_section(salt=SALT, values=CUSTOMERS, normalise="digits", candidate=r"\b\d[\d-]{5,14}\d\b"):
    return {
        "salt": base64.b64encode(salt).decode(),
        "sets": [{
            "id": "customer-ids",
            "type": "CUSTOMER_RECORD",
            "severity": "critical",
            "normalise": normalise,
            "candidate": candidate,
            "hashes": [fingerprint(salt, v, normalise) for v in values],
        }],
    }


def test_when_a_listed_customer_id_is_in_the_text_then_it_is_found():
    text = "Refund customer 48213377 but not 48213378."
    (fingerprints,) = fingerprint_sets(fingerprint_section())
    found = list(fingerprints.find(text))
    assert spans(found, text) == ["48213377"]
    assert (found[0].type, found[0].rule, found[0].severity) == ("CUSTOMER_RECORD", "customer-ids", "critical")


def test_when_the_id_is_written_with_dashes_then_digits_normalisation_finds_it():
    text = "customer 5512-0984 called"
    (fingerprints,) = fingerprint_sets(fingerprint_section())
    assert spans(fingerprints.find(text), text) == ["5512-0984"]


def test_when_the_id_is_not_listed_then_nothing_is_found():
    (fingerprints,) = fingerprint_sets(fingerprint_section())
    assert list(fingerprints.find("customer 99999999 and 12345678")) == []


def test_when_the_salt_differs_then_the_hashes_do_not_match():
    section = fingerprint_section()
    section["salt"] = base64.b64encode(b"another-salt").decode()
    (fingerprints,) = fingerprint_sets(section)
    assert list(fingerprints.find("Refund customer 48213377.")) == []


def test_when_normalise_is_lower_then_case_does_not_matter():
    section = fingerprint_section(values=["vip@customer.example"], normalise="lower",
                                  candidate=r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    (fingerprints,) = fingerprint_sets(section)
    text = "write to VIP@Customer.Example today"
    assert spans(fingerprints.find(text), text) == ["VIP@Customer.Example"]


def test_when_a_fingerprint_is_made_then_it_is_hmac_sha256_of_the_normalised_value():
    expected = hmac.new(SALT, b"48213377", hashlib.sha256).hexdigest()
    assert fingerprint(SALT, "4821-3377", "digits") == expected
    assert fingerprint(SALT, "48213377") == expected


@pytest.mark.parametrize("section, key", [
    ({"salt": "not base64!", "sets": fingerprint_section()["sets"]}, "fingerprints.salt"),
    ({"salt": "", "sets": fingerprint_section()["sets"]}, "fingerprints.salt"),
    ({**fingerprint_section(), "sets": [{**fingerprint_section()["sets"][0], "candidate": "(unclosed"}]},
     "fingerprints.sets.customer-ids.candidate"),
])
def test_when_the_fingerprint_section_is_malformed_then_policy_invalid(section, key):
    with pytest.raises(PolicyInvalid) as caught:
        fingerprint_sets(section)
    assert caught.value.key == key


def test_when_there_are_no_sets_then_no_salt_is_needed():
    assert fingerprint_sets({"salt": "", "sets": []}) == []
