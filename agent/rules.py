"""The rule layer: load the shared rule pack and match it against text.

This is the algorithm of shared-rules/SPEC.md ("Matching algorithm"); the extension's fallback engine
(extension/common/rule-engine.js) implements the same steps, and the shared vectors hold both to it.
It imports nothing heavy so the vectors and the native host's tests stay fast.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Sequence

from promptfence.agent import validators
from promptfence.agent.pattern_scan import (  # noqa: F401 - keyword_windows and literal_prefixes: tests use them here
    WINDOWED_SCAN_MIN_CHARS,
    StartScan,
    WordPresence,
    keyword_windows,
    literal_prefixes,
    pattern_reach,
    prefix_matches,
)

CONTEXT_BOOST = 0.3
DEFAULT_CONTEXT_WINDOW = 64
SEVERITIES = ("low", "medium", "high", "critical")


class RulePackError(ValueError):
    """The rule pack is malformed: a schema violation, a bad regex, an unknown validator, a duplicate id."""


def shared_rules_dir() -> Path:
    """Where shared-rules/ is: $PROMPTFENCE_SHARED_RULES, else beside the source tree."""
    override = os.environ.get("PROMPTFENCE_SHARED_RULES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "shared-rules"


def load_json(path: Path):
    with open(path, "rb") as handle:
        return json.loads(handle.read().decode("utf-8"))


def load_schema(name: str, base: Path | None = None) -> dict:
    base = base or shared_rules_dir()
    index = load_json(base / "index.json")
    return load_json(base / index["schemas"][name])


@dataclass(frozen=True, slots=True)
class Finding:
    """One match of one rule. Offsets are code-point indices into the scanned text."""

    rule: str
    type: str
    category: str
    severity: str
    start: int
    end: int
    score: float
    # Only SOURCE_CODE findings (agent/code_detect.py) carry one: python, javascript, sql, ...
    language: str | None = None

    def as_dict(self) -> dict:
        out = {
            "rule": self.rule,
            "type": self.type,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "score": self.score,
        }
        if self.language is not None:
            out["language"] = self.language
        return out


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    category: str
    severity: str
    score: float
    patterns: tuple[re.Pattern, ...]
    order: int
    group: int = 0
    validator: Callable[[str], bool] | None = None
    context: ContextWords | None = None
    context_required: bool = False
    context_window: int = DEFAULT_CONTEXT_WINDOW
    allow: frozenset[str] = field(default_factory=frozenset)
    keywords: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, raw: dict, order: int) -> "Rule":
        flags = re.ASCII | re.MULTILINE | (re.IGNORECASE if raw.get("ignore_case") else 0)
        try:
            patterns = tuple(re.compile(p, flags) for p in raw["patterns"])
        except re.error as exc:
            raise RulePackError(f"rule {raw['id']}: bad regex: {exc}") from exc
        group = raw.get("group", 0)
        for pattern in patterns:
            if group > pattern.groups:
                raise RulePackError(f"rule {raw['id']}: group {group} not in pattern {pattern.pattern!r}")
        validator = None
        if "validator" in raw:
            spec = raw["validator"]
            try:
                validator = validators.make(spec["name"], spec.get("args", {}))
            except (KeyError, TypeError, ValueError) as exc:
                raise RulePackError(f"rule {raw['id']}: validator {spec.get('name')!r}: {exc}") from exc
        return cls(
            id=raw["id"],
            type=raw["type"],
            category=raw["category"],
            severity=raw["severity"],
            score=float(raw["score"]),
            patterns=patterns,
            order=order,
            group=group,
            validator=validator,
            context=ContextWords(raw["context"]) if raw.get("context") else None,
            context_required=bool(raw.get("context_required", False)),
            context_window=int(raw.get("context_window", DEFAULT_CONTEXT_WINDOW)),
            allow=frozenset(raw.get("allow", ())),
            keywords=tuple(raw.get("keywords", ())),
        )

    @cached_property
    def reach(self) -> tuple[int, int] | None:
        """(behind, ahead): how far before and after a match's start any pattern of this rule reads, or None
        when a pattern is unbounded. Lookbehinds count behind; the match and lookaheads count ahead."""
        behind = ahead = 0
        for pattern in self.patterns:
            extent = pattern_reach(pattern)
            if extent is None:
                return None
            behind, ahead = max(behind, extent[0]), max(ahead, extent[1])
        return behind, ahead

    @cached_property
    def prefixes(self) -> tuple[tuple[str, ...] | None, ...]:
        """Per pattern, the lower-cased literals every match starts with (None: no such literal)."""
        return tuple(literal_prefixes(pattern) for pattern in self.patterns)

    @cached_property
    def start_scan(self) -> StartScan | None:
        """The start scan for the patterns without a literal prefix, when it can serve any of them."""
        unprefixed = {i: p for i, (p, prefixes) in enumerate(zip(self.patterns, self.prefixes)) if not prefixes}
        return StartScan.build(unprefixed, self.patterns[0].flags) if unprefixed else None

    def matches(self, text: str, lowered: str) -> Iterable[re.Match]:
        """Every pattern's matches, in the order of a plain finditer over each pattern, found faster: from a
        pattern's literal prefixes or its start scan (agent/pattern_scan.py), else near the rule's keywords,
        else by a plain scan."""
        scanned = self.start_scan.scan(text) if self.start_scan is not None else {}
        windows: list[tuple[int, int]] | None = None
        for index, (pattern, prefixes) in enumerate(zip(self.patterns, self.prefixes)):
            if prefixes and len(lowered) == len(text):
                yield from prefix_matches(pattern, prefixes, text, lowered)
            elif index in scanned:
                yield from scanned[index]
            else:
                if windows is None:
                    windows = self.keyword_windows(text, lowered)
                if windows:
                    yield from windowed_matches(pattern, text, windows, self.reach[1])
                else:
                    yield from pattern.finditer(text)

    def keyword_windows(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """Where a big text needs scanning for this keyword rule; [] for everywhere.

        SPEC.md: every match of a keyword rule contains one of its keywords. A match containing the keyword
        at k starts in [k - width, k] and the engine reads [start - behind, start + ahead], so scanning the
        merged extents [k - width - behind, k + ahead] with pos/endpos finds exactly the full scan's matches
        (pos keeps the text before it visible to lookbehinds and \\b; a match whose reading would pass
        endpos cannot contain a keyword and is dropped, see windowed_matches). On a 1 MB paste this turns
        the rules with a long chain of lookbehinds from seconds into milliseconds."""
        if not self.keywords or self.reach is None or not len(lowered) == len(text) > WINDOWED_SCAN_MIN_CHARS:
            return []
        windows = keyword_windows(lowered, self.keywords, *self.reach)
        if sum(end - start for start, end in windows) * 2 > len(text):
            return []  # the windows cover most of the text: one plain scan is cheaper
        return windows

    def find(self, text: str, lowered: str, present: frozenset[str] | None = None) -> Iterable[Finding]:
        """Steps 1-5 of the matching algorithm for this rule (before overlap resolution). `present`: which
        of the rule's keywords and context words occur in `lowered` (RulePack.words), if known."""
        if self.keywords and not any_in(self.keywords, lowered, present):
            return
        if self.context_required and (self.context is None or not self.context.may_occur(text, lowered, present)):
            return  # step 4 would drop every match
        for match in self.matches(text, lowered):
            start, end = match.span(self.group)
            if start < 0 or start == end:
                continue
            value = text[start:end]
            if value in self.allow:
                continue
            if self.validator is not None and not self.validator(value):
                continue
            score = self.score
            if self.context is not None:
                if self.has_context(text, start, end, lowered):
                    score = min(1.0, score + CONTEXT_BOOST)
                elif self.context_required:
                    continue
            elif self.context_required:
                continue
            yield Finding(self.id, self.type, self.category, self.severity, start, end, round(score, 2))

    def has_context(self, text: str, start: int, end: int, lowered: str | None = None) -> bool:
        return self.context is not None and self.context.near(text, start, end, self.context_window, lowered)


class ContextWords:
    """Step 4 of the matching algorithm: is one of a rule's context words near a span? With the cheaper
    tests that give the same answers."""

    def __init__(self, words: Sequence[str]):
        self.matcher = compile_context(words)
        self.lowered = tuple(sorted({w.lower() for w in words}, key=len, reverse=True))
        self.ascii = all(w.isascii() for w in words)
        # Any word as a bare substring, with the matcher's flags (for may_occur on non-ASCII text).
        self.anywhere = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        # For lower-cased ASCII text: `c(?<![a-z0-9]c)rest` is `(?<![a-z0-9])crest` tested one character
        # later, which lets `re` skip to the words' first letters instead of trying every position.
        self.lower_matcher = None
        if self.ascii and all(self.lowered):
            shifted = (f"{re.escape(w[0])}(?<![a-z0-9]{re.escape(w[0])}){re.escape(w[1:])}" for w in self.lowered)
            self.lower_matcher = re.compile(f"(?:{'|'.join(shifted)})(?![a-z0-9])")

    def near(self, text: str, start: int, end: int, window: int, lowered: str | None = None) -> bool:
        """A word in the `window` characters before start or after end, each window a string of its own
        (so its edges count as word boundaries, as in the JavaScript engine). Lower-cased ASCII text goes
        to lower_matcher, the same test made faster."""
        if lowered is not None and self.lower_matcher is not None and text.isascii() and len(lowered) == len(text):
            search, source = self.lower_matcher.search, lowered
        else:
            search, source = self.matcher.search, text
        return bool(search(source[max(0, start - window):start]) or search(source[end:end + window]))

    def may_occur(self, text: str, lowered: str, present: frozenset[str] | None = None) -> bool:
        """False when no word occurs anywhere in the text, even inside another word: then near() is false
        for every span, so a context_required rule finds nothing and need not run (most of them look for
        bare 24-40 character tokens, at every position). For ASCII text and words a substring test of the
        lower-cased text is exact; otherwise the regex decides, since `re`'s case folding also pairs some
        non-ASCII letters with ASCII ones (the Kelvin sign and k, long s and s)."""
        if self.ascii and text.isascii():
            return any_in(self.lowered, lowered, present)
        return self.anywhere.search(text) is not None


def any_in(words: Sequence[str], lowered: str, present: frozenset[str] | None) -> bool:
    """Does any of the words occur in `lowered`? From `present` (the words known to occur) when given."""
    if present is not None:
        return not present.isdisjoint(words)
    return any(w in lowered for w in words)


def windowed_matches(pattern: re.Pattern, text: str, windows: list[tuple[int, int]], ahead: int) -> Iterable[re.Match]:
    """pattern.finditer(text) within each window; a match that would read past its window's end is left to
    the next window (see Rule.keyword_windows)."""
    for start, end in windows:
        for match in pattern.finditer(text, start, end):
            if match.start() + ahead > end and end < len(text):
                break
            yield match


def compile_context(words: Sequence[str]) -> re.Pattern | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)


def resolve_overlaps(findings: Iterable[Finding], rule_order: dict[str, int]) -> list[Finding]:
    """Keep the strongest of overlapping findings (score, then length, then start, then rule order)."""
    ranked = sorted(
        findings,
        key=lambda f: (-f.score, -(f.end - f.start), f.start, rule_order.get(f.rule, 1 << 30)),
    )
    kept: list[Finding] = []
    taken = CoverageMap(max((f.end for f in ranked), default=0))
    for finding in ranked:
        if taken.overlaps(finding.start, finding.end):
            continue
        taken.add(finding.start, finding.end)
        kept.append(finding)
    kept.sort(key=lambda f: (f.start, f.end, rule_order.get(f.rule, 1 << 30)))
    return kept


class CoverageMap:
    """Which characters kept findings cover, one byte each: an overlap test is one C-level find over the
    span, so resolving n findings costs O(n log n + total span length), linear on a 1 MB CSV export with
    tens of thousands of findings (a sorted interval list with list.insert was quadratic there)."""

    def __init__(self, length: int) -> None:
        self.covered = bytearray(length)

    def overlaps(self, start: int, end: int) -> bool:
        return self.covered.find(1, start, end) >= 0

    def add(self, start: int, end: int) -> None:
        self.covered[start:end] = b"\x01" * (end - start)


class RulePack:
    """All rules of the packs listed in shared-rules/index.json, validated and compiled."""

    def __init__(self, rules: Sequence[Rule]):
        self.rules = tuple(rules)
        self.order = {rule.id: rule.order for rule in self.rules}

    @classmethod
    def load(cls, base: Path | None = None, extra_files: Sequence[Path] = ()) -> "RulePack":
        import jsonschema

        base = base or shared_rules_dir()
        index = load_json(base / "index.json")
        schema = load_json(base / index["schemas"]["rule_pack"])
        raw_rules: list[dict] = []
        for path in [base / p for p in index["rule_files"]] + list(extra_files):
            try:
                pack = load_json(path)
                jsonschema.validate(pack, schema)
            except (OSError, ValueError) as exc:
                raise RulePackError(f"{path}: {exc}") from exc
            except jsonschema.ValidationError as exc:
                raise RulePackError(f"{path}: {exc.message} at {list(exc.absolute_path)}") from exc
            raw_rules.extend(pack["rules"])
        return cls.from_dicts(raw_rules)

    @classmethod
    def from_dicts(cls, raw_rules: Sequence[dict]) -> "RulePack":
        seen: set[str] = set()
        rules = []
        for order, raw in enumerate(raw_rules):
            if raw["id"] in seen:
                raise RulePackError(f"duplicate rule id {raw['id']!r}")
            seen.add(raw["id"])
            rules.append(Rule.from_dict(raw, order))
        return cls(rules)

    @cached_property
    def words(self) -> WordPresence:
        """The words whose presence decides whether a rule runs: keywords, and the context words of
        context_required rules (tested on lower-cased ASCII text, see ContextWords.may_occur)."""
        words = {k for rule in self.rules for k in rule.keywords}
        words.update(w for rule in self.rules if rule.context_required and rule.context for w in rule.context.lowered)
        return WordPresence(words)

    def candidates(self, text: str) -> list[Finding]:
        """Every rule's findings before overlap resolution (the engine merges NER results in first)."""
        lowered = text.lower()
        present = self.words.present(lowered)
        found: list[Finding] = []
        for rule in self.rules:
            found.extend(rule.find(text, lowered, present))
        return found

    def match(self, text: str) -> list[Finding]:
        """The rule layer's result as the vectors define it."""
        return resolve_overlaps(self.candidates(text), self.order)
