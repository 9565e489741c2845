"""Faster ways to get exactly `pattern.finditer(text)`: the rule layer's scanning shortcuts.

Python's `re` skips through a text at C speed only when a pattern starts with a literal or a character
class: it then tries the pattern where that character occurs. Most rules open with lookbehinds or
lookaheads instead (`(?<![\\w.+/-])[0-9]{12,19}`), so `re` runs them at every position of the text. Each
shortcut below yields the same matches, in the same order, as a plain finditer; agent/rules.py picks one
per pattern, and tests/test_pattern_scan.py holds each to a plain scan.

- Literal prefixes: every match starts with one of a few literals (`ghp_`): find those with str.find.
- Start scans: one derived pattern, starting with a character class, matches wherever any of a rule's
  patterns does; one search of it gives the candidate positions of all of them.
- Keyword windows: every match of a keyword rule contains a keyword (SPEC.md), so a big text is scanned
  only around the keywords.
"""

from __future__ import annotations

import heapq
import os
import re
from dataclasses import dataclass

# The parser and compiler behind `re` (private modules, unchanged since 3.11, which pyproject requires):
# the shortcuts read a pattern's structure and compile derived patterns from it.
from re import _compiler as sre_compile, _constants as sre_constants, _parser as sre_parse
from typing import Iterable, Sequence

from promptfence.agent.regex_trie import trie_regex


# --- literal prefixes ------------------------------------------------------------------------------------------

MIN_PREFIX_CHARS = 2  # `dl`: rare enough in text that matching at each one beats a scan of every position


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
    while items and sre_parse.SubPattern(parsed.state, items[:1]).getwidth() == (0, 0):
        items.pop(0)  # lookarounds, anchors, alternations of them: they consume nothing
    found = _prefixes_of(items)
    if found is None or any(len(p) < MIN_PREFIX_CHARS for p in found[0]):
        return None
    return covering_stems({p.lower() for p in found[0]})


STEM_CHARS = 4


def covering_stems(prefixes: set[str]) -> tuple[str, ...]:
    """Fewer, shorter prefixes that every given prefix starts with: each costs one str.find pass over the
    text, and `driver's license`, `drivers_license` and `driving licence` are all found by `driv`. Prefixes
    sharing their first STEM_CHARS characters become their common prefix; one that extends another adds
    no position (`call` finds every `calling`)."""
    stems: dict[str, str] = {}
    for prefix in sorted(prefixes):
        key = prefix[:STEM_CHARS]
        stems[key] = os.path.commonprefix([stems[key], prefix]) if key in stems else prefix
    found = sorted(set(stems.values()))
    return tuple(p for p in found if not any(p != q and p.startswith(q) for q in found))


def _prefixes_of(items, limit: int = 64) -> tuple[list[str], bool] | None:
    """Literal prefixes of a parsed sequence, and whether they are the whole sequence: literals, small sets
    of literals, groups, alternations and optional parts of those, past zero-width items; the scan stops at
    the first item that is anything else. Each prefix costs one str.find pass over the text, hence the limit."""
    prefixes = [""]
    state = sre_parse.State()
    for op, av in items:
        name = str(op)
        if sre_parse.SubPattern(state, [(op, av)]).getwidth() == (0, 0):
            continue  # a lookaround or anchor in the opening consumes nothing: the literal goes on after it
        if name == "LITERAL":
            prefixes = [p + chr(av) for p in prefixes]
            continue
        if name == "IN" and all(str(o) == "LITERAL" for o, _ in av) and len(av) * len(prefixes) <= limit:
            prefixes = [p + chr(v) for p in prefixes for _, v in av]
            continue
        optional = name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] == 0 and av[1] == 1
        if name in ("SUBPATTERN", "BRANCH") or optional:
            tails: list[str] = [""] if optional else []
            whole = True
            for sub in ([av[-1]] if name != "BRANCH" else av[1]):
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


def occurrences(text: str, words: Sequence[str]) -> list[int]:
    """Every position where one of `words` starts (overlapping ones too), word by word, unsorted."""
    positions: list[int] = []
    for word in words:
        position = text.find(word)
        while position >= 0:
            positions.append(position)
            position = text.find(word, position + 1)
    return positions


def prefix_matches(pattern: re.Pattern, prefixes: Sequence[str], text: str, lowered: str) -> Iterable[re.Match]:
    """pattern.finditer(text), trying only the positions where one of the prefixes starts.

    Every match starts with a prefix (its assertions are zero-width), so every other position would fail;
    pattern.match(text, pos) sees the text before pos as finditer does (lookbehinds, \\b). Positions inside
    the previous match are skipped, as finditer's non-overlapping scan does. Case-insensitive patterns are
    searched in the lower-cased text (the caller checked it has the text's length)."""
    positions = occurrences(lowered, prefixes)
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


# --- start scans ---------------------------------------------------------------------------------------------

LOOKAROUNDS = (sre_constants.ASSERT, sre_constants.ASSERT_NOT)
REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
ONE_CHARACTER = (sre_constants.LITERAL, sre_constants.IN)
MAX_STARTS = 32  # ways one pattern's matches may begin; beyond this the skeletons cost more than they save
LOWER_CASE = "abcdefghijklmnopqrstuvwxyz"


class NoShortcut(Exception):
    """The pattern has a shape the start scan does not handle; it is scanned plainly."""


@dataclass(frozen=True)
class Start:
    """One way a match can begin: its first character (a literal or a class), the lookbehinds that sit
    before that character (`(op, items)` pairs), and the items after it."""

    first: tuple
    lookbehinds: tuple
    rest: tuple

    def tail(self, state: sre_parse.State) -> list:
        """The items after the first character, with each lookbehind moved behind the fixed-width opening
        of the rest and widened by what it now looks back over: `(?<![\\w.+/-])[0-9]{12,19}` becomes
        `[0-9]` + `[0-9]{11}(?<![\\w.+/-][0-9][0-9]{11})[0-9]{0,7}`, the same test made after the cheap part."""
        fixed, variable = split_fixed(list(self.rest))
        moved = [
            (op, (-1, sre_parse.SubPattern(state, list(body) + [self.first] + fixed)))
            for op, body in self.lookbehinds
        ]
        return fixed + moved + variable


def split_fixed(items: list) -> tuple[list, list]:
    """The longest opening of a sequence with one fixed width, and what follows (x{3,5} splits as x{3} x{0,2})."""
    for index, item in enumerate(items):
        low, high = sre_parse.SubPattern(sre_parse.State(), [item]).getwidth()
        if low == high:
            continue
        op, av = item
        if op in REPEATS and av[0] >= 1 and len(set(av[2].getwidth())) == 1:
            more = sre_constants.MAXREPEAT if av[1] == sre_constants.MAXREPEAT else av[1] - av[0]
            return items[:index] + [(op, (av[0], av[0], av[2]))], [(op, (0, more, av[2]))] + items[index + 1:]
        return items[:index], items[index:]
    return items, []


# `^` in a multi-line pattern, as a lookbehind: not preceded by a character other than a newline.
LINE_START = (sre_constants.ASSERT_NOT, ((sre_constants.NOT_LITERAL, ord("\n")),))


def match_starts(items: list, lookbehinds: tuple = ()) -> list[Start]:
    """Every way a sequence of parsed items (of a multi-line pattern) can begin with one character, as
    Starts. Lookbehinds and `^` go with the Start; other leading lookaheads, anchors and empty groups are
    left out (a Start may then match more than the sequence, never less). Optional items, alternations and
    groups are opened up. Raises NoShortcut for anything else."""
    items = list(items)
    behind = list(lookbehinds)
    while items and sre_parse.SubPattern(sre_parse.State(), items[:1]).getwidth() == (0, 0):
        op, av = items.pop(0)
        if op in LOOKAROUNDS and av[0] < 0:
            behind.append((op, tuple(av[1].data)))
        elif op is sre_constants.AT and av is sre_constants.AT_BEGINNING:
            behind.append(LINE_START)
    if not items:
        raise NoShortcut("a way to match the empty string")
    (op, av), rest = items[0], items[1:]
    if op in ONE_CHARACTER:
        return [Start(items[0], tuple(behind), tuple(rest))]
    if op in REPEATS:
        low, high, body = av
        fewer = high if high == sre_constants.MAXREPEAT else high - 1
        more = [] if high == 1 else [(op, (max(low - 1, 0), fewer, body))]
        once = list(body.data) + more + rest  # x{2,5} is x x{1,4}: the sequence now starts with x
        if low >= 1:
            return match_starts(once, tuple(behind))
        return either([once, rest], tuple(behind))
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise NoShortcut("inline flags")
        return match_starts(list(body.data) + rest, tuple(behind))
    if op is sre_constants.BRANCH:
        return either([list(branch.data) + rest for branch in av[1]], tuple(behind))
    raise NoShortcut(f"a sequence opening with {op}")


def either(sequences: list[list], lookbehinds: tuple) -> list[Start]:
    starts = [start for sequence in sequences for start in match_starts(sequence, lookbehinds)]
    if len(starts) > MAX_STARTS:
        raise NoShortcut("too many ways to begin")
    return starts


def structure(node):
    """A parsed item as plain tuples, so that two items can be compared (SubPattern has no equality)."""
    if isinstance(node, sre_parse.SubPattern):
        return ("sub", tuple(structure(item) for item in node.data))
    if isinstance(node, (tuple, list)):
        return tuple(structure(item) for item in node)
    return node


class StartScan:
    """The candidates of several patterns (one rule's) from a few searches of derived patterns, skeletons.

    The patterns' Starts are grouped by first character; each group becomes one skeleton: that character,
    then one branch per Start (Start.tail, their common opening factored out). A skeleton opens with a
    literal or a class, so `re` visits only the positions where that character occurs, and it matches
    wherever one of its patterns does. Each pattern is then tried where its skeletons hit, as its own
    finditer would from there. A first character that may be a lower-case letter is no shortcut: those
    are most of any text, so such a pattern keeps its plain scan."""

    def __init__(self, skeletons: Sequence[tuple[re.Pattern, tuple[int, ...]]], patterns: dict[int, re.Pattern]):
        self.skeletons = tuple(skeletons)  # (skeleton, the indices of the patterns it serves)
        self.patterns = patterns

    @classmethod
    def build(cls, patterns: dict[int, re.Pattern], flags: int) -> StartScan | None:
        """A scan for those of the patterns (by index) it can serve; None for none of them."""
        state = sre_parse.State()
        state.flags = flags
        groups: dict[object, tuple[tuple, list[Start], set[int]]] = {}
        served = {}
        for index, pattern in patterns.items():
            if not pattern.flags & re.MULTILINE:
                continue  # `^` would mean the start of the text (the rule pack compiles all multi-line)
            try:
                parsed = sre_parse.parse(pattern.pattern, pattern.flags)
                if parsed.getwidth()[0] == 0:
                    continue
                starts = match_starts(list(parsed.data))
                if any(opens_lower_case(start.first, state, flags) for start in starts):
                    continue
            except (NoShortcut, re.error, TypeError, ValueError, IndexError, AttributeError):
                continue
            served[index] = pattern
            for start in starts:
                first, group_starts, group_indices = groups.setdefault(structure(start.first), (start.first, [], set()))
                group_starts.append(start)
                group_indices.add(index)
        skeletons = []
        for first, starts, indices in groups.values():
            try:
                items = uncaptured(state, [first] + factored(state, [start.tail(state) for start in starts]))
                skeleton = sre_compile.compile(sre_parse.SubPattern(state, items), flags)
                skeletons.append((skeleton, tuple(sorted(indices))))
            except (NoShortcut, re.error, TypeError, ValueError, IndexError, AttributeError):
                for index in indices:
                    served.pop(index, None)
        skeletons = [(s, tuple(i for i in indices if i in served)) for s, indices in skeletons]
        skeletons = [(s, indices) for s, indices in skeletons if indices]
        return cls(skeletons, served) if served else None

    def scan(self, text: str) -> dict[int, list[re.Match]]:
        """Per served pattern (by index), the matches of pattern.finditer(text).

        Every match of a pattern starts at a hit of one of its skeletons, so the first hit from a pattern's
        resume point where the pattern matches is its next finditer match; pattern.match(text, p) sees the
        text before p (lookbehinds, \\b) as finditer does. The skeletons' hits are merged in order, lazily,
        so each skeleton resumes its search no earlier than the next position any of its patterns needs."""
        found: dict[int, list[re.Match]] = {index: [] for index in self.patterns}
        resume = dict.fromkeys(self.patterns, 0)

        def hits(skeleton: re.Pattern, indices: tuple[int, ...]):
            search = skeleton.search
            hit = search(text)
            while hit is not None:
                position = hit.start()
                yield position, indices
                hit = search(text, max(position + 1, min(resume[i] for i in indices)))

        for position, indices in heapq.merge(*(hits(s, indices) for s, indices in self.skeletons)):
            for index in indices:
                if resume[index] <= position:
                    match = self.patterns[index].match(text, position)
                    if match is not None:
                        found[index].append(match)
                        resume[index] = match.end()  # > position: patterns never match the empty string
        return found


def opens_lower_case(first: tuple, state: sre_parse.State, flags: int) -> bool:
    single = sre_compile.compile(sre_parse.SubPattern(state, [first]), flags)
    return any(single.match(letter) for letter in LOWER_CASE)


def factored(state: sre_parse.State, tails: list[list]) -> list:
    """Alternative item sequences as one: their common opening, then a branch of what differs."""
    distinct, seen = [], set()
    for tail in tails:
        key = structure(tail)
        if key not in seen:
            seen.add(key)
            distinct.append(tail)
    common = 0
    while all(len(t) > common for t in distinct) and len({structure(t[common]) for t in distinct}) == 1:
        common += 1
    if len(distinct) == 1:
        return distinct[0]
    branch = (sre_constants.BRANCH, (None, [sre_parse.SubPattern(state, t[common:]) for t in distinct]))
    return distinct[0][:common] + [branch]


def uncaptured(state: sre_parse.State, items: list) -> list:
    """The items with capturing groups made plain: a skeleton only finds positions, and its state knows
    none of the patterns' groups."""
    out = []
    for op, av in items:
        if op is sre_constants.SUBPATTERN:
            _group, add_flags, del_flags, body = av
            av = (None, add_flags, del_flags, sre_parse.SubPattern(state, uncaptured(state, body.data)))
        elif op is sre_constants.BRANCH:
            av = (None, [sre_parse.SubPattern(state, uncaptured(state, branch.data)) for branch in av[1]])
        elif op in REPEATS:
            av = (av[0], av[1], sre_parse.SubPattern(state, uncaptured(state, av[2].data)))
        elif op in LOOKAROUNDS:
            av = (av[0], sre_parse.SubPattern(state, uncaptured(state, av[1].data)))
        elif op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS, sre_constants.ATOMIC_GROUP):
            raise NoShortcut(f"{op}")
        out.append((op, av))
    return out


# --- keyword windows -----------------------------------------------------------------------------------------

WINDOWED_SCAN_MIN_CHARS = 8192


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
    points = sorted(occurrences(lowered, keywords))
    longest = max(map(len, keywords), default=0)
    windows: list[tuple[int, int]] = []
    for point in points:
        start, end = max(0, point - ahead - behind), min(len(lowered), point + longest + ahead)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


# --- word presence -------------------------------------------------------------------------------------------


class WordPresence:
    """Which of many words occur in a text, anywhere (as `word in text` tells), in one regex pass.

    The rule layer asks this of every keyword rule's keywords and every context_required rule's context
    words before running any pattern: some 600 words, most absent, each absent one a full scan of the text
    with `in`. A lookahead over a trie of the words tries them all at each position, and at each position
    yields the longest word starting there; any other word starting there is a prefix of it (a trie's
    branches start with distinct characters, so one path is followed, and the greedy optional parts take
    the deepest word on it). So the words present are the words that are prefixes of a yielded one."""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        nonempty = sorted(w for w in self.words if w)
        self.pattern = re.compile(f"(?=({trie_regex(nonempty)}))") if nonempty else None

    def present(self, text: str) -> frozenset[str]:
        found = {""} if "" in self.words else set()
        if self.pattern is not None:
            for longest in set(self.pattern.findall(text)):
                found.update(longest[:k] for k in range(1, len(longest) + 1) if longest[:k] in self.words)
        return frozenset(found)
