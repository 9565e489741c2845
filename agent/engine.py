"""The Engine facade: one object that turns a text into a decision.

    engine = Engine.create()                        # loads the rule pack, the policy and the model once
    result = engine.scan(text, site="chatgpt.com")  # checks the input, analyzes, decides, plans redaction
    result.as_protocol("r7")                        # design.md's scan_result (offsets in code points)

The daemon, the CLI and the tests all go through here, so input checks, site overrides and redaction
behave the same everywhere. A ScanResult holds the redacted text for local callers (the CLI); it is never
logged, and as_protocol() leaves it out (the extension rebuilds it from the replacements).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping, Sequence

from promptfence.agent.config import AgentConfig
from promptfence.agent.errors import BadRequest, BinaryInput, TextTooLarge
from promptfence.agent.policy import CHANNELS, Policy, SitePolicy
from promptfence.agent.redaction import Replacement, apply_replacements, plan_replacements

PROTOCOL_VERSION = 1
# Binary sniffing looks at the head of the text only: a real binary shows itself at once.
SNIFF_CHARS = 65_536
# C0 and C1 control characters except tab, newlines, form feed and ESC (ANSI colours in pasted logs).
CONTROL_CHARS = re.compile("[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.10
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class CodeInfo:
    is_code: bool = False
    language: str | None = None

    def as_dict(self) -> dict:
        return {"is_code": self.is_code, "language": self.language}


@dataclass(frozen=True)
class ScanResult:
    """One scan's outcome. `findings[i]`'s action is `finding_actions[i]`."""

    decision: str
    findings: tuple
    finding_actions: tuple[str, ...]
    replacements: tuple[Replacement, ...]  # every finding not allowed, sorted by start
    text: str = field(repr=False)  # the scanned text: for local callers only, never logged or sent
    message: str
    override_allowed: bool
    justification_required: bool
    policy_version: str
    elapsed_ms: float
    code: CodeInfo
    site: str
    channel: str

    @cached_property
    def redacted_text(self) -> str:
        """Every replacement applied: what "paste redacted" inserts, and a redact decision's text."""
        return apply_replacements(self.text, self.replacements)

    @cached_property
    def override_text(self) -> str:
        """Only the `redact` findings replaced: what goes when a warned user sends anyway."""
        return apply_replacements(self.text, self.replacements, only_actions={"redact"})

    def finding_dicts(self) -> list[dict]:
        """Findings without their values: type, category, offsets, score, rule, severity, action."""
        out = []
        for finding, action in zip(self.findings, self.finding_actions):
            item = {
                "type": finding.type,
                "category": finding.category,
                "start": finding.start,
                "end": finding.end,
                "score": finding.score,
                "rule": finding.rule,
                "severity": finding.severity,
                "action": action,
            }
            language = getattr(finding, "language", None)
            if language:
                item["language"] = language
            out.append(item)
        return out

    def as_protocol(self, request_id=None) -> dict:
        """design.md's scan_result message. Offsets are code points; the native-messaging layer converts
        them to UTF-16 code units for the browser."""
        return {
            "v": PROTOCOL_VERSION,
            "type": "scan_result",
            "id": request_id,
            "decision": self.decision,
            "findings": self.finding_dicts(),
            "replacements": [r.as_dict() for r in self.replacements],
            "message": self.message,
            "override_allowed": self.override_allowed,
            "justification_required": self.justification_required,
            "policy_version": self.policy_version,
            "elapsed_ms": self.elapsed_ms,
            "code": self.code.as_dict(),
        }


AnalyzerFactory = Callable[[dict], object]  # policy document -> object with .analyze(text) -> [Finding]


class Engine:
    """Rule pack + analyzer + policy. Build it once per process with Engine.create()."""

    def __init__(self, policy: Policy, analyzer_factory: AnalyzerFactory, config: AgentConfig | None = None):
        self.policy = policy
        self.config = config or AgentConfig.from_env()
        self._analyzer_factory = analyzer_factory
        # One analyzer per distinct detector settings: sites without detector overrides share the first.
        self._analyzers: dict[str, object] = {}
        self.analyzer_for(policy.for_site(None))  # load the model now, not on the first scan

    @classmethod
    def create(cls, config: AgentConfig | None = None, policy: Policy | str | Path | None = None) -> "Engine":
        config = config or AgentConfig.from_env()
        if policy is None:
            policy = Policy.load(config.policy_path) if config.policy_path else Policy.default()
        elif not isinstance(policy, Policy):
            policy = Policy.load(policy)
        return cls(policy, real_analyzer_factory(config.model), config)

    @property
    def max_text_chars(self) -> int:
        return min(self.config.max_text_chars, self.policy.document["limits"]["max_text_chars"])

    def analyzer_for(self, site_policy: SitePolicy):
        key = json.dumps(site_policy.detectors, sort_keys=True)
        analyzer = self._analyzers.get(key)
        if analyzer is None:
            analyzer = self._analyzer_factory(site_policy.detector_document())
            self._analyzers[key] = analyzer
        return analyzer

    def check_text(self, text) -> str:
        return check_text(text, self.max_text_chars)

    def scan(self, text: str, *, site: str | None = None, channel: str = "paste") -> ScanResult:
        started = time.perf_counter()
        if channel not in CHANNELS:
            raise BadRequest(f"channel must be one of {', '.join(CHANNELS)}")
        text = self.check_text(text)
        site_policy = self.policy.for_site(site)
        findings = tuple(self.analyzer_for(site_policy).analyze(text)) if text else ()
        decision = site_policy.decide(findings, channel)
        redaction = self.policy.document["redaction"]
        replacements = plan_replacements(
            text, findings, decision.finding_actions, style=redaction["style"], labels=redaction.get("labels")
        )
        return ScanResult(
            decision=decision.action,
            findings=findings,
            finding_actions=decision.finding_actions,
            replacements=tuple(replacements),
            text=text,
            message=decision.message,
            override_allowed=decision.override_allowed,
            justification_required=decision.justification_required,
            policy_version=decision.policy_version,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
            code=code_info(findings),
            site=site_policy.host,
            channel=channel,
        )


def check_text(text, limit: int) -> str:
    """The input checks every caller gets; returns the text to analyze (same length, same offsets)."""
    if not isinstance(text, str):
        raise BadRequest(f"text must be a string, not {type(text).__name__}")
    if len(text) > limit:
        raise TextTooLarge(len(text), limit)
    nul = text.find("\x00")
    if nul >= 0:
        raise BinaryInput(f"NUL character at offset {nul}")
    head = text[:SNIFF_CHARS]
    controls = len(CONTROL_CHARS.findall(head))
    if controls >= 8 and controls / len(head) > MAX_CONTROL_SHARE:
        raise BinaryInput(f"{controls} control characters in the first {len(head)}")
    # A JavaScript string can hold half of a surrogate pair (a paste cut in the middle of an emoji).
    # U+FFFD has the same length in code points and in UTF-16, so every offset stays right.
    if LONE_SURROGATE.search(text):
        text = LONE_SURROGATE.sub("\ufffd", text)
    return text


def code_info(findings: Sequence) -> CodeInfo:
    for finding in findings:
        if finding.category == "code":
            return CodeInfo(True, getattr(finding, "language", None))
    return CodeInfo()


def real_analyzer_factory(model: str | None) -> AnalyzerFactory:
    """The production analyzer: rules, NER, organisation data and code detection (agent/analyzer.py).
    The rule pack is compiled once and the spaCy model is cached per process, so a second analyzer for a
    site with its own detector settings costs little."""
    from promptfence.agent.analyzer import Analyzer, DetectorSettings
    from promptfence.agent.rules import RulePack

    pack = RulePack.load()

    def build(document: Mapping) -> Analyzer:
        return Analyzer(DetectorSettings.from_policy(dict(document)), pack=pack, model=model)

    return build
