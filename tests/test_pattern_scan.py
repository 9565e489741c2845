"""The rule layer's scanning shortcuts (agent/pattern_scan.py, and the context tests in agent/rules.py) give
exactly what SPEC.md's plain algorithm gives: the same matches in the same order, the same findings.

Each shortcut is checked on its own with small patterns, then every rule of the shared pack against a plain
finditer on the vectors, on the bench's realistic text, on adversarial runs and on generated text; last,
the whole rule layer against a plain implementation of the matching algorithm.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import mixed_text
from promptfence.agent.pattern_scan import StartScan, literal_prefixes
from promptfence.agent.rules import CONTEXT_BOOST, Finding, Rule, RulePack, load_json, resolve_overlaps, shared_rules_dir

BASE = shared_rules_dir()
INDEX = load_json(BASE / "index.json")
PACK = RulePack.load()
VECTOR_INPUTS = [v["input"] for name in INDEX["vector_files"] for v in load_json(BASE / name)["vectors"]]
FLAGS = re.ASCII | re.MULTILINE


def plain(pattern: re.Pattern, text: str) -> list[tuple]:
    return [(m.span(), m.regs) for m in pattern.finditer(text)]


def start_scanned(pattern: re.Pattern, text: str) -> list[tuple]:
    scan = StartScan.build({0: pattern}, pattern.flags)
    assert scan is not None, "expected the start scan to serve this pattern"
    return [(m.span(), m.regs) for m in scan.scan(text)[0]]


# --- start scans, one pattern at a time -------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, text", [
    # a lookbehind before a run of digits: the skeleton checks it one run later
    (r"(?<![\w.+/-])[0-9]{12,19}(?![\w-]|[.][0-9])", "x4111111111111111 4111111111111111 a.1234567890123 " * 3),
    # several lookbehinds, an optional opening, alternations: each way to begin is a branch
    (r"(?<!ref )(?<![\w#])(?:(?:1|001)[ .-]?)?\([0-9]{3}\)[ .-]?[0-9]{3}[ .-]?[0-9]{4}",
     "call 1 (555) 123-4567, ref (555) 123-4567 or 001-(555) 123 4567 #(555)1234567"),
    # `^` becomes a lookbehind for a line start
    (r"^[ \t]{2,12}[A-Z_]{3,20}:[ \t]*[0-9]+", "  MAX_SIZE: 10\nx  MAX_SIZE: 11\n\t\tLIMIT:7\n   AB: 1\n"),
    # matches of the same pattern that touch: the next one starts where the last ended
    (r"(?<![A-Z])[A-Z]{2}[0-9]{2}", "AB12CD34 XAB12 ab12 AB12\nEF56"),
    # case-insensitive, a first character that is not a letter
    (r"(?<![0-9])[0-9]{3}-[a-z]{2}\b", "123-AB 123-ab x123-cd 9123-ef 456-Gh"),
    # a capturing group in the pattern: the regs the rule layer reads are the pattern's own
    (r"(?<![0-9])([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?", "2024-05-06 and 1999-12, 12024-01"),
])
def test_when_a_pattern_is_start_scanned_then_it_matches_like_finditer(pattern, text):
    flags = FLAGS | (re.IGNORECASE if "[a-z]{2}" in pattern else 0)
    compiled = re.compile(pattern, flags)
    assert start_scanned(compiled, text) == plain(compiled, text)
    assert plain(compiled, text), "the example should match somewhere"


@pytest.mark.parametrize("pattern, why", [
    (r"(?<![A-Za-z0-9])[a-f0-9]{32}(?![A-Za-z0-9])", "a first class with lower-case letters is most of any text"),
    (r"(?<![A-Z])[A-Z]{2}[0-9]{2}", "case-insensitive: the class takes lower-case letters too"),
    (r"x?", "a pattern that matches the empty string"),
    (r"(?<=a).", "a first character that can be anything"),
])
def test_when_a_start_scan_would_not_help_then_the_pattern_keeps_its_plain_scan(pattern, why):
    flags = FLAGS | (re.IGNORECASE if "case-insensitive" in why else 0)
    assert StartScan.build({0: re.compile(pattern, flags)}, flags) is None, why


def test_when_patterns_of_one_rule_overlap_then_each_keeps_its_own_matches():
    # Two patterns over the same digits: one scan serves both, each pattern resumes after its own matches.
    patterns = {0: re.compile(r"(?<![0-9])[0-9]{4}", FLAGS), 1: re.compile(r"(?<![0-9])[0-9]{2}-?[0-9]{2}", FLAGS)}
    text = "12345678 1234 12-34 99"
    scan = StartScan.build(patterns, FLAGS)
    assert scan is not None and sorted(scan.patterns) == [0, 1]
    got = scan.scan(text)
    assert {i: [m.span() for m in got[i]] for i in got} == {i: [m.span() for m in p.finditer(text)] for i, p in patterns.items()}


@pytest.mark.parametrize("pattern, expected", [
    # prefixes sharing four characters are searched as their common stem
    (r"(?:https?://)?hooks\.slack\.com/x", ("hooks.slack.com/x", "http")),
    (r"rediss?://", ("redis",)),
    (r"(?:driver's|drivers|driving)[ _-]?licen[cs]e", ("driv",)),
    (r"\b(?:call|calling|cell)\b", ("call", "cell")),  # calling extends call: one search finds both
    (r"(?:(?<=;)|(?<=[\"']))(?:Password|Pwd)=", ("password=", "pwd=")),  # leading lookbehinds consume nothing
    (r"\b(?:dl|dln)[ :]", ("dl",)),  # two letters are rare enough to search for
])
def test_when_a_pattern_opens_with_literals_then_its_prefixes_cover_every_match(pattern, expected):
    assert literal_prefixes(re.compile(pattern, FLAGS)) == expected


# --- every rule of the pack against a plain scan ------------------------------------------------------------------

ADVERSARIAL = [
    "0" * 3000, "1 " * 1500, "+1" * 1500, "a1" * 1500, "A1" * 1500, "1-" * 1500, "1." * 1500, ":" * 3000,
    "\n" * 3000, "ab:" * 1000, "AB12 " * 600, "x@" + "a." * 1500, "0x" + "f" * 3000, "(555) " * 500,
]
TEXTS = {
    "vectors": "\n".join(VECTOR_INPUTS),
    "vectors upper-cased": "\n".join(VECTOR_INPUTS).upper(),
    "bench text": mixed_text(40_000),
    "adversarial": "\n".join(ADVERSARIAL),
    "non-ASCII": "\n".join(VECTOR_INPUTS[:80]) + " K ſ ı İ é — 電話 +1 555 010 9999 ",
}


@pytest.mark.parametrize("name", list(TEXTS))
@pytest.mark.parametrize("rule", PACK.rules, ids=[rule.id for rule in PACK.rules])
def test_when_a_rule_scans_text_then_its_matches_are_finditers(rule, name):
    text = TEXTS[name]
    full = [(m.span(), m.regs) for pattern in rule.patterns for m in pattern.finditer(text)]
    assert [(m.span(), m.regs) for m in rule.matches(text, text.lower())] == full


def test_when_the_pack_is_loaded_then_most_patterns_have_a_shortcut():
    total = sum(len(rule.patterns) for rule in PACK.rules)
    prefixed = sum(1 for rule in PACK.rules for prefixes in rule.prefixes if prefixes)
    scanned = sum(len(rule.start_scan.patterns) for rule in PACK.rules if rule.start_scan is not None)
    assert prefixed + scanned > total * 3 // 4


ALPHABET = "0123456789 +-.()/:@#\n\tabcdefxyzABCDEFXYZ_=\"'"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=400))
def test_when_text_is_generated_then_every_rule_still_matches_like_finditer(text):
    lowered = text.lower()
    for rule in PACK.rules:
        full = [m.span() for pattern in rule.patterns for m in pattern.finditer(text)]
        assert [m.span() for m in rule.matches(text, lowered)] == full, rule.id


# --- context words --------------------------------------------------------------------------------------------------

def context_rule(words, required=True) -> Rule:
    return Rule.from_dict({
        "id": "t", "type": "T", "category": "secret", "severity": "high", "score": 0.5,
        "patterns": ["(?<![0-9])[0-9]{4}(?![0-9])"], "context": words, "context_required": required,
    }, 0)


@pytest.mark.parametrize("text, found", [
    ("the pin is 1234", True),
    ("spinning 1234", False),            # a word inside another word is no context
    ("PIN: 1234", True),
    ("nothing here 1234", False),
    ("ſecret 1234", True),               # re's case folding pairs the long s with s: the regex path decides
    ("Kelvin 1234", False),
])
def test_when_a_context_required_rule_scans_then_the_shortcuts_keep_its_findings(text, found):
    rule = context_rule(["pin", "secret"])
    assert bool(list(rule.find(text, text.lower()))) is found


def test_when_context_is_tested_on_lower_cased_ascii_then_it_agrees_with_the_spec_regex():
    text = mixed_text(20_000)
    lowered = text.lower()
    for rule in PACK.rules:
        if rule.context is None:
            continue
        for start in range(0, len(text) - 40, 97):
            end = start + 1 + start % 37
            fast = rule.context.near(text, start, end, rule.context_window, lowered)
            window = rule.context_window
            spec = bool(rule.context.matcher.search(text[max(0, start - window):start])
                        or rule.context.matcher.search(text[end:end + window]))
            assert fast is spec, (rule.id, start, end)


# --- the whole rule layer against a plain implementation ---------------------------------------------------------

def spec_findings(rule: Rule, text: str) -> list[Finding]:
    """Steps 1-5 of SPEC.md's matching algorithm, done plainly: every pattern's finditer, the context regex."""
    out = []
    for pattern in rule.patterns:
        for match in pattern.finditer(text):
            start, end = match.span(rule.group)
            if start < 0 or start == end or text[start:end] in rule.allow:
                continue
            if rule.validator is not None and not rule.validator(text[start:end]):
                continue
            score = rule.score
            window = rule.context_window
            near = rule.context is not None and bool(
                rule.context.matcher.search(text[max(0, start - window):start])
                or rule.context.matcher.search(text[end:end + window]))
            if near:
                score = min(1.0, score + CONTEXT_BOOST)
            elif rule.context_required:
                continue
            out.append(Finding(rule.id, rule.type, rule.category, rule.severity, start, end, round(score, 2)))
    return out


@pytest.mark.parametrize("name", list(TEXTS))
def test_when_the_rule_layer_matches_then_it_equals_the_plain_algorithm(name):
    text = TEXTS[name]
    expected = resolve_overlaps([f for rule in PACK.rules for f in spec_findings(rule, text)], PACK.order)
    assert PACK.match(text) == expected
    assert PACK.candidates(text) == [f for rule in PACK.rules for f in spec_findings(rule, text)]
