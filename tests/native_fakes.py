"""A hand-written stand-in for promptfence.agent.engine.Engine, for the daemon's unit tests.

It has the Engine's surface the daemon uses (scan -> result.as_protocol(), policy.version,
policy.document, policy.extension_view, max_text_chars, typed errors) and a few literal triggers, so the
transport, the scheduler and the outbox can be tested in milliseconds without loading the model. The real
path (tests/test_native_host.py) uses the real Engine.

Triggers in the text:
  name@host.tld        an EMAIL_ADDRESS finding -> redact
  AKIA + 16 [A-Z0-9]   an AWS key -> block
  WARNME               a keyword -> warn (overridable, justification required)
  CRASH-WORKER         the worker process dies (os._exit)
  WAIT-FOR:<path>;     the scan waits until the file <path> exists (a condition, for scheduling tests)
  BOOM                 an unexpected exception inside the engine
"""

from __future__ import annotations

import os
import re
import time

from promptfence.agent.errors import TextTooLarge

EMAIL = re.compile(r"[A-Za-z0-9._]+@[A-Za-z0-9.]+\.[a-z]{2,}")
AWS = re.compile(r"AKIA[A-Z0-9]{16}")
WAIT = re.compile(r"WAIT-FOR:([^;]+);")
RANK = {"allow": 0, "redact": 1, "warn": 2, "block": 3}


class FakePolicy:
    def __init__(self, detail: str = "fingerprints"):
        self.version = "fake-7"
        self.document = {"pseudonym_key": "", "events": {"detail": detail}, "limits": {"max_text_chars": 100_000}}

    def extension_view(self, site=None):
        view = {"policy_version": self.version, "sites": {"guarded": ["chatgpt.com"], "extra": []},
                "fail_mode": {"default": "builtin", "sites": {}}}
        if site is not None:
            view["site"] = {"host": site, "guarded": site == "chatgpt.com", "fail_mode": "builtin"}
        return view


class FakeResult:
    def __init__(self, decision, findings, replacements, policy_version):
        self.decision = decision
        self.findings = findings
        self.replacements = replacements
        self.policy_version = policy_version

    def as_protocol(self, request_id=None):
        return {
            "v": 1, "type": "scan_result", "id": request_id,
            "decision": self.decision,
            "findings": [dict(f) for f in self.findings],
            "replacements": [dict(r) for r in self.replacements],
            "message": "" if self.decision == "allow" else f"fake {self.decision}",
            "override_allowed": self.decision == "warn",
            "justification_required": self.decision == "warn",
            "policy_version": self.policy_version,
            "elapsed_ms": 0.1,
            "code": {"is_code": False, "language": None},
        }


class FakeEngine:
    def __init__(self, detail: str = "fingerprints"):
        self.policy = FakePolicy(detail)
        self.max_text_chars = self.policy.document["limits"]["max_text_chars"]

    def scan(self, text, *, site=None, channel="paste"):
        if len(text) > self.max_text_chars:
            raise TextTooLarge(len(text), self.max_text_chars)
        if "CRASH-WORKER" in text:
            os._exit(3)
        if "BOOM" in text:
            raise RuntimeError("boom with the text: " + text)
        wait = WAIT.search(text)
        if wait:
            while not os.path.exists(wait.group(1)):
                time.sleep(0.005)  # polling a condition set by the test
        findings, replacements, decision = [], [], "allow"
        for number, match in enumerate(EMAIL.finditer(text), 1):
            findings.append(_finding("EMAIL_ADDRESS", "pii", "email", "medium", match, "redact"))
            replacements.append({"start": match.start(), "end": match.end(), "placeholder": f"<EMAIL_{number}>", "action": "redact"})
            decision = max(decision, "redact", key=RANK.get)
        for match in AWS.finditer(text):
            findings.append(_finding("AWS_ACCESS_KEY_ID", "secret", "aws-access-key-id", "critical", match, "block"))
            decision = "block"
        if "WARNME" in text:
            start = text.index("WARNME")
            findings.append({"type": "DOCUMENT_MARKING", "category": "keyword", "start": start, "end": start + 6,
                             "score": 0.8, "rule": "warn-word", "severity": "medium", "action": "warn"})
            decision = max(decision, "warn", key=RANK.get)
        findings.sort(key=lambda f: f["start"])
        return FakeResult(decision, findings, replacements, self.policy.version)


def _finding(kind, category, rule, severity, match, action):
    return {"type": kind, "category": category, "start": match.start(), "end": match.end(), "score": 0.9,
            "rule": rule, "severity": severity, "action": action}


def create(home=None):
    """The factory the daemon's pool calls in each worker (picklable: a module-level function)."""
    return FakeEngine()


def create_broken(home=None):
    raise RuntimeError("this engine cannot be built")
