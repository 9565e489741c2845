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

# The parser and compiler behind `re` (private, unchanged since 3.11, which pyproject requires): the fast
# paths below read a pattern's structure, and compile a derived pattern from it.
from re import _compiler as sre_compile, _constants as sre_constants, _parser as sre_parse
from typing import Callable, Iterable, Sequence

from promptfence.agent import validators

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
    context: re.Pattern | None = None
    context_required: bool = False
    context_window: int = DEFAULT_CONTEXT_WINDOW
    allow: frozenset[str] = field(default_factory=frozenset)
    keywords: tuple[str, ...] = ()
    context_words: tuple[str, ...] = ()

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
            context=compile_context(raw.get("context", ())),
            context_required=bool(raw.get("context_required", False)),
            context_window=int(raw.get("context_window", DEFAULT_CONTEXT_WINDOW)),
            allow=frozenset(raw.get("allow", ())),
            keywords=tuple(raw.get("keywords", ())),
            context_words=tuple(raw.get("context", ())),
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
    def skeletons(self) -> tuple[re.Pattern | None, ...]:
        """Per pattern without a literal prefix, its start skeleton (None: no such shortcut)."""
        return tuple(None if prefixes else start_skeleton(pattern) for pattern, prefixes in zip(self.patterns, self.prefixes))

    @cached_property
    def context_anywhere(self) -> re.Pattern | None:
        """Any context word as a bare case-insensitive substring, with the context matcher's flags."""
        if not self.context_words:
            return None
        return re.compile("|".join(re.escape(w) for w in self.context_words), re.IGNORECASE)

    def context_may_occur(self, text: str, lowered: str) -> bool:
        """False when no context word occurs anywhere in the text, even as part of a word.

        Step 4 searches windows of this text, so without such an occurrence a context_required rule finds
        nothing and need not run: most of them scan for bare 24-40 character tokens, at every position. For
        ASCII text and words a substring test of the lower-cased text is exact; otherwise the regex decides,
        since `re`'s case folding also pairs some non-ASCII letters with ASCII ones (K and the Kelvin sign)."""
        if self.context is None:
            return False
        if text.isascii() and all(w.isascii() for w in self.context_words):
            return any(w.lower() in lowered for w in self.context_words)
        return self.context_anywhere.search(text) is not None

    def matches(self, text: str, lowered: str) -> Iterable[re.Match]:
        """Every pattern's matches, as a full scan gives them; keyword rules scan only near their keywords.

        SPEC.md: every match of a keyword rule contains one of its keywords. A match containing the keyword
        at k starts in [k - width, k] and the engine reads [start - behind, start + ahead], so scanning the
        merged extents [k - width - behind, k + ahead] with pos/endpos finds exactly the full scan's matches
        (pos keeps the text before it visible to lookbehinds and \\b; a match whose reading would pass
        endpos cannot contain a keyword and is dropped). On a 1 MB paste this turns the rules with a long
        chain of lookbehinds from seconds into milliseconds.
        """
        windows = None
        if self.keywords and self.reach is not None and len(lowered) == len(text) > WINDOWED_SCAN_MIN_CHARS:
            windows = keyword_windows(lowered, self.keywords, *self.reach)
            if sum(end - start for start, end in windows) * 2 > len(text):
                windows = None  # the windows cover most of the text: one plain scan is cheaper
        for pattern, prefixes, skeleton in zip(self.patterns, self.prefixes, self.skeletons):
            if windows is None:
                if prefixes and len(lowered) == len(text):
                    yield from prefix_matches(pattern, prefixes, text, lowered)
                elif skeleton is not None:
                    yield from skeleton_matches(pattern, skeleton, text)
                else:
                    yield from pattern.finditer(text)
                continue
            ahead = self.reach[1]
            for start, end in windows:
                for match in pattern.finditer(text, start, end):
                    if match.start() + ahead > end and end < len(text):
                        break
                    yield match

    def find(self, text: str, lowered: str) -> Iterable[Finding]:
        """Steps 1-5 of the matching algorithm for this rule (before overlap resolution)."""
        if self.keywords and not any(k in lowered for k in self.keywords):
            return
        if self.context_required and not self.context_may_occur(text, lowered):
            return
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
                if self.has_context(text, start, end):
                    score = min(1.0, score + CONTEXT_BOOST)
                elif self.context_required:
                    continue
            elif self.context_required:
                continue
            yield Finding(self.id, self.type, self.category, self.severity, start, end, round(score, 2))

    def has_context(self, text: str, start: int, end: int) -> bool:
        window = self.context_window
        before = text[max(0, start - window):start]
        after = text[end:end + window]
        return bool(self.context.search(before) or self.context.search(after))


WINDOWED_SCAN_MIN_CHARS = 8192
MIN_PREFIX_CHARS = 3


def literal_prefixes(pattern: re.Pattern) -> tuple[str, ...] | None:
    """The literal strings (lower-cased) one of which starts every match, after leading zero-width
    assertions; None when the pattern has no such literal of at least MIN_PREFIX_CHARS characters.

    Most secret rules look like `(?<![A-Za-z0-9])ghp_[A-Za-z0-9]{36}`: the leading lookbehind stops Python's
    regex engine from using its fast literal-prefix search, so it tries the pattern at every position.
    Finding `ghp_` with str.find and matching only there gives the same matches (see prefix_matches)."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.getwidth()[0] == 0:
        return None
    items = list(parsed.data)
    while items and str(items[0][0]) in ("AT", "ASSERT", "ASSERT_NOT"):
        items.pop(0)
    found = _prefixes_of(items)
    if found is None or any(len(p) < MIN_PREFIX_CHARS for p in found[0]):
        return None
    return tuple(sorted({p.lower() for p in found[0]}))


def _prefixes_of(items, limit: int = 16) -> tuple[list[str], bool] | None:
    """Literal prefixes of a parsed sequence, and whether they are the whole sequence: literals, small sets
    of literals, groups and alternations of those; the scan stops at the first item that is anything else."""
    prefixes = [""]
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            prefixes = [p + chr(av) for p in prefixes]
            continue
        if name == "IN" and all(str(o) == "LITERAL" for o, _ in av) and len(av) * len(prefixes) <= limit:
            prefixes = [p + chr(v) for p in prefixes for _, v in av]
            continue
        if name in ("SUBPATTERN", "BRANCH"):
            tails: list[str] = []
            whole = True
            for sub in ([av[-1]] if name == "SUBPATTERN" else av[1]):
                found = _prefixes_of(list(sub.data), limit)
                if found is None:
                    tails = []
                    break
                tails.extend(found[0])
                whole = whole and found[1]
            if tails and len(tails) * len(prefixes) <= limit:
                prefixes = [p + t for p in prefixes for t in tails]
                if whole:
                    continue  # the group was all literal: what follows extends the prefixes
        return (prefixes, False) if all(prefixes) else None
    return (prefixes, True) if all(prefixes) else None


def prefix_matches(pattern: re.Pattern, prefixes: Sequence[str], text: str, lowered: str) -> Iterable[re.Match]:
    """pattern.finditer(text), trying only the positions where one of the prefixes starts.

    Every match starts with a prefix (its assertions are zero-width), so every other position would fail;
    pattern.match(text, pos) sees the text before pos as finditer does (lookbehinds, \\b). Positions inside
    the previous match are skipped, as finditer's non-overlapping scan does. Case-insensitive patterns are
    searched in the lower-cased text (the caller checked it has the text's length)."""
    positions: list[int] = []
    for prefix in prefixes:
        position = lowered.find(prefix)
        while position >= 0:
            positions.append(position)
            position = lowered.find(prefix, position + 1)
    if len(prefixes) > 1:
        positions = sorted(set(positions))
    resume = 0
    for position in positions:
        if position < resume:
            continue
        match = pattern.match(text, position)
        if match is not None:
            resume = match.end()
            yield match


def start_skeleton(pattern: re.Pattern) -> re.Pattern | None:
    """A pattern that matches at every position where `pattern` does (and perhaps a few more), shaped so that
    `re` can skip to its first character; None when no such shape helps.

    `re` finds a pattern's candidates fast only when the pattern starts with a character or a class. Most
    rules open with a lookbehind instead (`(?<![\\w.+/-])[0-9]{12,19}`), so `re` runs the lookbehind at every
    position of the text. The skeleton consumes the first character and then checks each leading
    lookbehind one character further back, `[0-9](?<![\\w.+/-][0-9])[0-9]{11,18}`, which is the same test;
    leading lookaheads and anchors are left out (the skeleton may match more, never less), and the pattern
    itself confirms every hit (skeleton_matches). A first class that takes lower-case letters is no shortcut:
    they are most of any text."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if parsed.getwidth()[0] == 0:
        return None
    items = list(parsed.data)
    lookbehinds = []
    while items and sre_parse.SubPattern(parsed.state, items[:1]).getwidth() == (0, 0):
        op, av = items.pop(0)
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and av[0] < 0:
            lookbehinds.append((op, av[1]))
    if not items:
        return None
    op, av = items[0]
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1 and len(av[2].data) == 1:
        low, high, body = av  # x{2,5} becomes x x{1,4}, so the sequence starts with one character
        rest = [] if high == 1 else [(op, (low - 1, high if high == sre_constants.MAXREPEAT else high - 1, body))]
        items = [body.data[0]] + rest + items[1:]
    first = items[0]
    if first[0] not in (sre_constants.LITERAL, sre_constants.IN):
        return None
    try:
        first_class = sre_compile.compile(sre_parse.SubPattern(parsed.state, [first]), pattern.flags)
        if any(first_class.match(letter) for letter in "abcdefghijklmnopqrstuvwxyz"):
            return None
        moved = [
            (op, (-1, sre_parse.SubPattern(parsed.state, list(body.data) + [first])))
            for op, body in lookbehinds
        ]
        return sre_compile.compile(sre_parse.SubPattern(parsed.state, [first] + moved + items[1:]), pattern.flags)
    except (re.error, TypeError, ValueError, IndexError):  # an internal shape this code does not know
        return None


def skeleton_matches(pattern: re.Pattern, skeleton: re.Pattern, text: str) -> Iterable[re.Match]:
    """pattern.finditer(text), trying the pattern only where its skeleton matches (see start_skeleton).

    The skeleton matches wherever the pattern does, so the first position from pos where the pattern
    matches is the first skeleton hit from pos that the pattern confirms; after a match the scan resumes at
    its end, as finditer's does. pattern.match(text, p) sees the text before p (lookbehinds, \\b)."""
    search, match = skeleton.search, pattern.match
    pos = 0
    while True:
        hit = search(text, pos)
        if hit is None:
            return
        found = match(text, hit.start())
        if found is None:
            pos = hit.start() + 1
        else:
            yield found
            pos = found.end()


def pattern_reach(pattern: re.Pattern) -> tuple[int, int] | None:
    """(behind, ahead) bound of the characters the regex engine may read for a match starting at p:
    [p - behind, p + ahead]. A lookaround sitting anywhere in a match of width <= W reads at most its own
    width M beyond [p, p + W]; nested lookarounds add one M per level. None when anything is unbounded."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    limit = sre_parse.MAXREPEAT
    width = parsed.getwidth()[1]
    if width >= limit:
        return None
    widest = depth = 0
    stack = [(parsed, 0)]
    while stack:
        node, level = stack.pop()
        for op, av in node.data if hasattr(node, "data") else node:
            name = str(op)
            if name in ("ASSERT", "ASSERT_NOT"):
                sub = av[1]
                sub_width = sub.getwidth()[1]
                if sub_width >= limit:
                    return None
                widest, depth = max(widest, sub_width), max(depth, level + 1)
                stack.append((sub, level + 1))
            elif name == "BRANCH":
                stack.extend((branch, level) for branch in av[1])
            elif name == "SUBPATTERN":
                stack.append((av[-1], level))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                stack.append((av[2], level))
            elif name == "ATOMIC_GROUP":
                stack.append((av, level))
            elif name == "GROUPREF_EXISTS":
                stack.extend((x, level) for x in av[1:] if x is not None)
    margin = widest * depth
    return margin, width + margin


def keyword_windows(lowered: str, keywords: Sequence[str], behind: int, ahead: int) -> list[tuple[int, int]]:
    """Merged [k - ahead - behind, k + ahead] extents around every keyword occurrence k, as (pos, endpos)."""
    points: list[int] = []
    for keyword in keywords:
        position = lowered.find(keyword)
        while position >= 0:
            points.append(position)
            position = lowered.find(keyword, position + 1)
    points.sort()
    windows: list[tuple[int, int]] = []
    for point in points:
        start, end = max(0, point - ahead - behind), min(len(lowered), point + len(max(keywords, key=len)) + ahead)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


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

    def candidates(self, text: str) -> list[Finding]:
        """Every rule's findings before overlap resolution (the engine merges NER results in first)."""
        lowered = text.lower()
        found: list[Finding] = []
        for rule in self.rules:
            found.extend(rule.find(text, lowered))
        return found

    def match(self, text: str) -> list[Finding]:
        """The rule layer's result as the vectors define it."""
        return resolve_overlaps(self.candidates(text), self.order)
