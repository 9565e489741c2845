"""Policy: validation, merging over the default, site resolution and decisions."""

import json
import subprocess
from pathlib import Path

import pytest

from promptfence.agent.errors import ErrorCode, PolicyInvalid
from promptfence.agent.policy import (
    Policy,
    default_document,
    host_matches,
    normalise_host,
)
from promptfence.agent.org_data import keyword_dictionaries
from promptfence.agent.rules import Finding

DEFAULT = Policy.default()
ROOT = Path(__file__).resolve().parents[1]


def finding(type_, category="pii", severity="medium", score=0.9, rule=None, start=0, end=5):
    return Finding(rule or type_.lower().replace("_", "-"), type_, category, severity, start, end, score)


def aws_key(**kw):
    return finding("AWS_ACCESS_KEY_ID", "secret", "critical", **kw)


def write_policy(tmp_path, document, name="policy.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


# --------------------------------------------------------------------------------- default policy

def test_when_default_policy_loads_then_it_is_valid_and_versioned():
    assert DEFAULT.version == default_document()["policy_version"]
    assert DEFAULT.document["fail_mode"]["default"] == "builtin"
    assert DEFAULT.document["redaction"]["style"] == "placeholder"


@pytest.mark.parametrize(
    "finding_, action",
    [
        (aws_key(), "block"),
        (finding("PRIVATE_KEY", "secret", "critical"), "block"),
        (finding("GITHUB_TOKEN", "secret", "high"), "block"),
        (finding("STRIPE_TEST_KEY", "secret", "medium"), "warn"),
        (finding("STRIPE_PUBLISHABLE_KEY", "secret", "low"), "allow"),
        (finding("CREDIT_CARD", severity="high"), "redact"),
        (finding("US_SSN", severity="high"), "redact"),
        (finding("IBAN_CODE", severity="high"), "redact"),
        (finding("US_PASSPORT", severity="high"), "redact"),
        (finding("US_DRIVER_LICENSE", severity="high"), "redact"),
        (finding("EMAIL_ADDRESS"), "redact"),
        (finding("PHONE_NUMBER"), "redact"),
        (finding("PERSON", severity="low"), "allow"),
        (finding("LOCATION", severity="low"), "allow"),
        (finding("ORGANIZATION", severity="low"), "allow"),
        (finding("IP_ADDRESS", severity="low"), "allow"),
        (finding("DOCUMENT_MARKING", "keyword"), "warn"),
        (finding("SOURCE_CODE", "code", "low"), "allow"),
        (finding("CUSTOMER_RECORD", "pii", "critical"), "block"),
        (finding("NEW_PII_TYPE", "pii", "high"), "redact"),
        (finding("NEW_PII_TYPE", "pii", "low"), "warn"),  # default_action
    ],
    ids=lambda value: value if isinstance(value, str) else value.type,
)
def test_when_default_policy_decides_one_finding_then_action_fits_its_kind(finding_, action):
    decision = DEFAULT.decide([finding_], "chatgpt.com")
    assert decision.action == action
    assert decision.finding_actions == (action,)


def test_when_five_person_names_then_warn_and_when_four_then_allow():
    names = [finding("PERSON", severity="low", start=i * 10, end=i * 10 + 5) for i in range(5)]
    assert DEFAULT.decide(names).action == "warn"
    assert DEFAULT.decide(names[:4]).action == "allow"


def test_when_findings_mix_then_strongest_action_wins_and_each_keeps_its_own():
    findings = [finding("EMAIL_ADDRESS", start=0, end=5), aws_key(start=10, end=30),
                finding("DOCUMENT_MARKING", "keyword", start=40, end=52)]
    decision = DEFAULT.decide(findings)
    assert decision.action == "block"
    assert decision.finding_actions == ("redact", "block", "warn")
    assert DEFAULT.decide([findings[0], findings[2]]).action == "warn"
    assert DEFAULT.decide([findings[0]]).action == "redact"


def test_when_no_findings_then_allow_without_message():
    decision = DEFAULT.decide([])
    assert (decision.action, decision.message, decision.override_allowed) == ("allow", "", False)


def test_when_message_has_types_placeholder_then_the_decisive_types_fill_it():
    decision = DEFAULT.decide([finding("EMAIL_ADDRESS"), aws_key(start=9, end=29)])
    assert "aws access key id" in decision.message
    assert "email" not in decision.message  # the email is redacted, not what blocked the text


# ------------------------------------------------------------------------------------- action list

def policy_with(**sections):
    return Policy.from_dict({"policy_version": "test-1", **sections})


def test_when_two_entries_match_then_the_first_decides():
    policy = policy_with(actions=[
        {"match": {"type": "EMAIL_ADDRESS"}, "action": "allow"},
        {"match": {"category": "pii"}, "action": "block"},
    ])
    assert policy.decide([finding("EMAIL_ADDRESS")]).action == "allow"
    assert policy.decide([finding("PHONE_NUMBER")]).action == "block"


@pytest.mark.parametrize(
    "match, hit, miss",
    [
        ({"rule": "aws-key"}, aws_key(rule="aws-key"), aws_key(rule="other")),
        ({"rule": ["a", "aws-key"]}, aws_key(rule="aws-key"), aws_key(rule="b")),
        ({"min_severity": "high"}, finding("X", severity="high"), finding("X", severity="medium")),
        ({"min_score": 0.8}, finding("X", score=0.8), finding("X", score=0.79)),
        ({"category": ["secret", "keyword"]}, finding("X", "keyword"), finding("X", "pii")),
        ({"type": "X", "min_severity": "critical"}, finding("X", severity="critical"), finding("X", severity="high")),
    ],
)
def test_when_entry_has_conditions_then_all_must_hold(match, hit, miss):
    policy = policy_with(actions=[{"match": match, "action": "block"}], default_action="allow")
    assert policy.decide([hit]).action == "block"
    assert policy.decide([miss]).action == "allow"


def test_when_entry_names_a_channel_then_it_applies_only_there():
    policy = policy_with(actions=[{"match": {"category": "code", "channel": "upload"}, "action": "warn"}],
                         default_action="allow")
    code = finding("SOURCE_CODE", "code")
    assert policy.decide([code], channel="upload").action == "warn"
    assert policy.decide([code], channel="paste").action == "allow"


@pytest.mark.parametrize(
    "user_override, allowed, justification",
    [
        ({"allow_warn_override": True, "justification_required": True}, True, True),
        ({"allow_warn_override": True, "justification_required": False}, True, False),
        ({"allow_warn_override": False, "justification_required": True}, False, False),
    ],
)
def test_when_warn_then_override_flags_follow_user_override(user_override, allowed, justification):
    policy = policy_with(user_override=user_override)
    decision = policy.decide([finding("DOCUMENT_MARKING", "keyword")])
    assert decision.action == "warn"
    assert (decision.override_allowed, decision.justification_required) == (allowed, justification)
    assert policy.decide([aws_key()]).override_allowed is False  # a block is never overridable


# -------------------------------------------------------------------------------------------- sites

@pytest.mark.parametrize(
    "pattern, host, expected",
    [
        ("chatgpt.com", "chatgpt.com", True),
        ("chatgpt.com", "www.chatgpt.com", False),
        ("chatgpt.com", "evilchatgpt.com", False),
        ("*.openai.com", "chat.openai.com", True),
        ("*.openai.com", "a.b.openai.com", True),
        ("*.openai.com", "openai.com", False),
        ("*.openai.com", "notopenai.com", False),
        ("*.openai.com", "openai.com.evil.net", False),
        ("ChatGPT.com", "chatgpt.com", True),
    ],
)
def test_when_host_pattern_is_matched_then_wildcards_cover_subdomains_only(pattern, host, expected):
    assert host_matches(pattern, host) is expected


@pytest.mark.parametrize(
    "site, host",
    [
        ("chatgpt.com", "chatgpt.com"),
        ("ChatGPT.com.", "chatgpt.com"),
        ("chatgpt.com:443", "chatgpt.com"),
        ("https://user@Claude.ai:8443/chat/1?x#y", "claude.ai"),
        ("[::1]:8080", "::1"),
        (None, ""),
    ],
)
def test_when_site_is_given_in_any_form_then_host_is_normalised(site, host):
    assert normalise_host(site) == host


@pytest.mark.parametrize(
    "site, path, guarded",
    [
        ("chatgpt.com", None, True),
        ("chat.openai.com", None, True),
        ("claude.ai", "/new", True),
        ("www.perplexity.ai", None, True),
        ("huggingface.co", "/chat", True),
        ("huggingface.co", "/chat/conversation/1", True),
        ("huggingface.co", "/models", False),
        ("huggingface.co", "/chatter", False),
        ("example.com", None, False),
        ("chatgpt.com.evil.net", None, False),
    ],
)
def test_when_default_sites_are_asked_then_the_ai_sites_are_guarded(site, path, guarded):
    assert DEFAULT.is_guarded(site, path) is guarded


def test_when_policy_adds_extra_hosts_then_they_are_guarded():
    policy = policy_with(sites={"extra": ["chat.example-ai.test", {"host": "*.corp-ai.test", "paths": ["/ask"]}]})
    assert policy.is_guarded("chat.example-ai.test")
    assert policy.is_guarded("eu.corp-ai.test", "/ask/1")
    assert not policy.is_guarded("eu.corp-ai.test", "/home")
    assert policy.is_guarded("chatgpt.com")  # sites.guarded still comes from the default


SITE_POLICY = {
    "site_overrides": {
        "*.example-ai.test": {"actions": [{"match": {"category": "code"}, "action": "warn"}], "fail_mode": "allow"},
        "chat.example-ai.test": {"actions": [{"match": {"category": "code"}, "action": "block"}],
                                 "detectors": {"ner": {"enabled": False}}},
        "claude.ai": {"fail_mode": "block"},
    },
    "fail_mode": {"default": "builtin", "sites": {"chatgpt.com": "allow", "claude.ai": "allow"}},
}


def test_when_site_has_override_then_its_actions_come_first():
    policy = policy_with(**SITE_POLICY)
    code = finding("SOURCE_CODE", "code")
    assert policy.decide([code], "chatgpt.com").action == "allow"
    assert policy.decide([code], "eu.example-ai.test").action == "warn"
    # the exact host is more specific than the wildcard, whatever the order in the file
    assert policy.decide([code], "chat.example-ai.test").action == "block"
    # the global list still follows the prepended entries
    assert policy.decide([aws_key()], "eu.example-ai.test").action == "block"


def test_when_site_has_override_then_fail_mode_and_detectors_resolve_per_site():
    policy = policy_with(**SITE_POLICY)
    assert policy.for_site("gemini.google.com").fail_mode == "builtin"
    assert policy.for_site("chatgpt.com").fail_mode == "allow"  # fail_mode.sites
    assert policy.for_site("claude.ai").fail_mode == "block"  # site_overrides beat fail_mode.sites
    assert policy.for_site("chat.example-ai.test").fail_mode == "allow"  # inherited from the wildcard
    chat = policy.for_site("chat.example-ai.test").detectors
    assert chat["ner"]["enabled"] is False
    assert chat["ner"]["types"] == ["PERSON", "LOCATION", "ORGANIZATION"]  # merged, not replaced
    assert policy.for_site("eu.example-ai.test").detectors["ner"]["enabled"] is True


def test_when_extension_view_is_built_then_it_has_what_the_extension_needs_and_no_keys():
    policy = policy_with(pseudonym_key="c2VjcmV0LWtleQ==", **SITE_POLICY)
    view = policy.extension_view()
    assert {"host": "huggingface.co", "paths": ["/chat"]} in view["sites"]["guarded"]
    assert {"host": "chatgpt.com"} in view["sites"]["guarded"]
    assert view["fail_mode"]["default"] == "builtin"
    assert set(view["messages"]) == {"warn", "block", "redact"}
    assert view["user_override"] == {"allow_warn_override": True, "justification_required": False}
    assert "*.example-ai.test" in view["site_overrides"]
    assert "pseudonym_key" not in json.dumps(view) and "c2VjcmV0" not in json.dumps(view)
    assert "fingerprints" not in view
    site_view = policy.extension_view("chat.example-ai.test")
    assert site_view["site"] == {"host": "chat.example-ai.test", "guarded": False, "fail_mode": "allow"}
    assert site_view["actions"][0] == {"match": {"category": "code"}, "action": "block"}
    assert site_view["actions"][1] == {"match": {"category": "code"}, "action": "warn"}
    json.dumps(site_view)  # JSON-ready


def test_when_the_policy_sets_uploads_then_the_view_carries_them_merged_over_the_default():
    view = policy_with(uploads={"non_text": "block", "max_text_bytes": 1_000_000}).extension_view()
    assert view["uploads"]["non_text"] == "block"
    assert view["uploads"]["max_text_bytes"] == 1_000_000
    assert view["uploads"]["text_extensions"] == default_document()["uploads"]["text_extensions"]


def test_when_no_uploads_section_is_given_then_non_text_files_are_allowed_and_text_files_read():
    uploads = DEFAULT.extension_view("chatgpt.com")["uploads"]
    assert uploads["non_text"] == "allow"
    assert uploads["max_text_bytes"] == 5 * 1024 * 1024
    assert {"txt", "csv", "env", "py", "pem"} <= set(uploads["text_extensions"])


def test_when_the_policy_has_keyword_dictionaries_then_the_view_carries_them_but_no_fingerprints():
    salt = "b3JnYW5pc2F0aW9uLXNhbHQ="
    hash_ = "ab" * 32
    keywords = [{"id": "codenames", "type": "CODE_NAME", "severity": "high", "terms": ["Bluebird"],
                 "case_sensitive": True}]
    policy = policy_with(keywords=keywords, fingerprints={"salt": salt, "sets": [{
        "id": "customer-ids", "type": "CUSTOMER_RECORD", "severity": "critical", "normalise": "digits",
        "candidate": r"\b\d{8}\b", "hashes": [hash_]}]})
    for view in (policy.extension_view(), policy.extension_view("chatgpt.com")):
        assert view["keywords"] == keywords
        assert "keywords_omitted" not in view
        text = json.dumps(view)
        assert salt not in text and hash_ not in text and "customer-ids" not in text


def test_when_keyword_dictionaries_outgrow_the_view_budget_then_whole_ones_are_left_out_and_named():
    def big(id_, count):
        return {"id": id_, "type": "CODE_NAME", "severity": "high",
                "terms": [f"{id_} term number {i:06d}" for i in range(count)]}

    keywords = [big("small-one", 10), big("huge-one", 40_000), big("small-two", 10)]
    view = policy_with(keywords=keywords).extension_view()
    assert [d["id"] for d in view["keywords"]] == ["small-one", "small-two"]
    assert view["keywords_omitted"] == ["huge-one"]
    assert len(json.dumps(view).encode()) < 1024 * 1024  # Chrome's limit for one native message


# The extension's fallback (extension/background/fallback.js) fed the view exactly as the agent builds it.
FALLBACK_SCRIPT = """
import { readFileSync } from "node:fs";
import { BuiltinRules } from "./extension/background/fallback.js";
const { view, text } = JSON.parse(readFileSync(0, "utf8"));
const builtin = new BuiltinRules(async (name) => JSON.parse(readFileSync(`shared-rules/${name}`, "utf8")));
const result = await builtin.scan({ text, host: view.site.host, channel: "paste", view });
process.stdout.write(JSON.stringify(result));
"""


def test_when_the_agent_is_down_then_the_extension_fallback_applies_the_views_keyword_dictionaries():
    keywords = [{"id": "codenames", "type": "CODE_NAME", "severity": "critical", "terms": ["Project Bluebird"]}]
    view = policy_with(keywords=keywords).extension_view("chatgpt.com")
    text = "Status of PROJECT BLUEBIRD, and of project bluebirds."
    run = subprocess.run(["node", "--input-type=module", "-e", FALLBACK_SCRIPT], cwd=ROOT, capture_output=True,
                         text=True, input=json.dumps({"view": view, "text": text}), timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["decision"] == "block"  # critical: the default action list blocks it
    assert [(f["rule"], f["start"], f["end"]) for f in result["findings"]] == [("codenames", 10, 26)]
    (dictionary,) = keyword_dictionaries(view["keywords"])  # the agent finds the same span
    assert [(f.start, f.end) for f in dictionary.find(text)] == [(10, 26)]


@pytest.mark.parametrize("uploads, key", [
    ({"non_text": "warn"}, "uploads.non_text"),
    ({"max_text_bytes": 0}, "uploads.max_text_bytes"),
    ({"max_text_bytes": 9_000_000}, "uploads.max_text_bytes"),
    ({"text_extensions": [".md"]}, "uploads.text_extensions[0]"),
    ({"text_extensions": ["MD"]}, "uploads.text_extensions[0]"),
    ({"scan_images": True}, "uploads"),
])
def test_when_the_uploads_section_is_malformed_then_policy_invalid_names_the_key(uploads, key):
    with pytest.raises(PolicyInvalid) as caught:
        policy_with(uploads=uploads)
    assert caught.value.key == key


# ------------------------------------------------------------------------------ loading and merging

def test_when_policy_sets_only_some_sections_then_the_rest_comes_from_the_default(tmp_path):
    policy = Policy.load(write_policy(tmp_path, {"policy_version": "org-7", "redaction": {"style": "mask"},
                                                 "keywords": []}))
    assert policy.version == "org-7"
    assert policy.document["actions"] == default_document()["actions"]
    assert policy.document["redaction"]["style"] == "mask"
    assert policy.document["redaction"]["labels"]["EMAIL_ADDRESS"] == "EMAIL"  # objects merge
    assert policy.document["keywords"] == []  # arrays replace


@pytest.mark.parametrize(
    "document, key, words",
    [
        ({}, "(root)", "policy_version"),
        ({"policy_version": "1", "colour": "red"}, "(root)", "colour"),
        ({"policy_version": "1", "actions": [{"match": {}, "action": "blok"}]}, "actions[0].action", "blok"),
        ({"policy_version": "1", "actions": [{"match": {"typ": "X"}, "action": "warn"}]}, "actions[0].match", "typ"),
        ({"policy_version": "1", "actions": [{"match": {"min_severity": "huge"}, "action": "warn"}]},
         "actions[0].match.min_severity", "huge"),
        ({"policy_version": "1", "default_action": "ignore"}, "default_action", "ignore"),
        ({"policy_version": "1", "detectors": {"min_score": 2}}, "detectors.min_score", "2"),
        ({"policy_version": "1", "site_overrides": {"bad host!": {}}}, "site_overrides", "bad host!"),
        ({"policy_version": "1", "sites": {"guarded": ["https://chatgpt.com/"]}}, "sites.guarded[0]", ""),
        ({"policy_version": "1", "fail_mode": {"default": "maybe"}}, "fail_mode.default", "maybe"),
        ({"policy_version": "1", "pseudonym_key": "not base64!"}, "pseudonym_key", ""),
        ({"policy_version": "1", "limits": {"max_text_chars": 0}}, "limits.max_text_chars", "0"),
        ({"policy_version": "1", "keywords": [{"id": "a", "type": "A", "severity": "low", "terms": ["x"]},
                                              {"id": "a", "type": "B", "severity": "low", "terms": ["y"]}]},
         "keywords[1].id", "duplicate"),
        ({"policy_version": "1", "fingerprints": {"salt": "c2FsdA==", "sets": [
            {"id": "c", "type": "C", "severity": "high", "normalise": "none", "candidate": "(unclosed",
             "hashes": []}]}}, "fingerprints.sets[0].candidate", "regular expression"),
        ({"policy_version": "1", "fingerprints": {"salt": "", "sets": [
            {"id": "c", "type": "C", "severity": "high", "normalise": "none", "candidate": "\\d+", "hashes": []}]}},
         "fingerprints.salt", "salt"),
        (["policy_version"], "(root)", "object"),
    ],
)
def test_when_policy_is_invalid_then_policy_invalid_names_the_file_and_key(tmp_path, document, key, words):
    path = write_policy(tmp_path, document)
    with pytest.raises(PolicyInvalid) as caught:
        Policy.load(path)
    error = caught.value
    assert error.code is ErrorCode.POLICY_INVALID
    assert error.source == str(path) and error.key == key
    assert str(path) in error.message and key in error.message and words in error.message


@pytest.mark.parametrize(
    "content, words",
    [
        (b'{"policy_version": "1", "actions": [', "invalid JSON at line 1"),
        (b'{"policy_version": "\xff"}', "not valid UTF-8 at byte 20"),
        (b"", "invalid JSON"),
    ],
)
def test_when_policy_file_is_corrupt_then_it_never_half_loads(tmp_path, content, words):
    good = Policy.load(write_policy(tmp_path, {"policy_version": "good"}, "good.json"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(PolicyInvalid) as caught:
        Policy.load(bad)
    assert caught.value.key == "(file)" and words in caught.value.message
    assert good.version == "good" and good.decide([aws_key()]).action == "block"


def test_when_policy_file_is_missing_then_policy_invalid(tmp_path):
    with pytest.raises(PolicyInvalid) as caught:
        Policy.load(tmp_path / "nope.json")
    assert caught.value.key == "(file)"


def test_when_policy_says_redact_for_code_then_it_acts_as_warn():
    policy = policy_with(actions=[{"match": {"category": "code"}, "action": "redact"}])
    assert policy.decide([finding("SOURCE_CODE", "code", "low")]).action == "warn"
