"""Lint of the shared rule pack: schemas, ids, the portable regex subset, ReDoS, and vector coverage.

shared-rules/SPEC.md ("Portable regex subset") is the contract checked here. Patterns are checked three
ways: a scan for constructs outside the subset, Python's and node's own compilers (one node process for
every pattern), and a ReDoS review of each repeated group. Then every pattern runs over 20 KB adversarial
strings, in Python and in node, in subprocesses with a generous timeout: that run must simply finish.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

try:  # the regex parser behind `re`; 3.11 renamed the module
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants
    import sre_parse

from promptfence.agent.rules import load_json, shared_rules_dir

BASE = shared_rules_dir()
INDEX = load_json(BASE / "index.json")
RULE_FILES = INDEX["rule_files"]
VECTOR_FILES = INDEX["vector_files"]
RULES = [rule for name in RULE_FILES for rule in load_json(BASE / name)["rules"]]
VECTORS = [vector for name in VECTOR_FILES for vector in load_json(BASE / name)["vectors"]]
PATTERNS = [(rule["id"], i, p, bool(rule.get("ignore_case"))) for rule in RULES for i, p in enumerate(rule["patterns"])]
PATTERN_IDS = [f"{rule_id}[{i}]" for rule_id, i, _, _ in PATTERNS]
SUBPROCESS_TIMEOUT = 300  # seconds; a finished run takes a few, a catastrophic pattern never finishes


def python_flags(ignore_case: bool) -> int:
    return re.ASCII | re.MULTILINE | (re.IGNORECASE if ignore_case else 0)


def run_node(script: str, payload) -> dict:
    node = shutil.which("node")
    assert node, "node is required (see the Makefile's setup)"
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=True,
    )
    return json.loads(result.stdout)


# --- schemas and ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RULE_FILES)
def test_when_rule_file_is_read_then_it_matches_the_rule_pack_schema(name):
    jsonschema.validate(load_json(BASE / name), load_json(BASE / INDEX["schemas"]["rule_pack"]))


@pytest.mark.parametrize("name", VECTOR_FILES)
def test_when_vector_file_is_read_then_it_matches_the_vectors_schema(name):
    jsonschema.validate(load_json(BASE / name), load_json(BASE / INDEX["schemas"]["vectors"]))


def test_when_all_packs_are_read_then_rule_ids_are_unique():
    ids = [rule["id"] for rule in RULES]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_when_vectors_name_rules_then_those_rules_exist():
    known = {rule["id"] for rule in RULES}
    named = {r for v in VECTORS for r in v.get("rules", [])} | {f["rule"] for v in VECTORS for f in v["expected"]}
    assert sorted(named - known) == []


# --- the portable subset -------------------------------------------------------------------------------------

# Escapes SPEC.md allows: any ASCII punctuation (a literal in both engines), the classes and \b \B, and
# \n \r \t \f \v. Letters and digits mean different things in the two engines (\A \Z \p \1 \x \u
# \k \g \c), so only the listed ones pass; \b inside a class is a backspace in both and is refused.
PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ")
ESCAPES_OUTSIDE = PUNCTUATION | set("wWdDsSbBnrtfv")
ESCAPES_INSIDE = ESCAPES_OUTSIDE - {"b", "B"}
GROUP_OPENERS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")


def portable_subset_violations(pattern: str) -> list[str]:
    """Constructs outside SPEC.md's portable subset, each described in a few words."""
    problems = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            escaped = pattern[i + 1:i + 2]
            allowed = ESCAPES_INSIDE if in_class else ESCAPES_OUTSIDE
            if escaped.isdigit():
                problems.append(f"back-reference or octal escape \\{escaped}")
            elif escaped in "AZz" and escaped:
                problems.append(f"\\{escaped} anchor (use ^ and $)")
            elif escaped in "pP" and escaped:
                problems.append("Unicode property escape")
            elif escaped not in allowed:
                problems.append(f"escape \\{escaped} outside the portable subset")
            i += 2
            continue
        if in_class:
            if pattern.startswith("[:", i) or pattern.startswith("[=", i) or pattern.startswith("[.", i):
                problems.append("POSIX class")
            elif ch == "]":
                in_class = False
            i += 1
            continue
        if ch == "[":
            in_class = True
            # a ] right after [ or [^ is a literal in Python but ends an empty class in JavaScript
            start = i + 2 if pattern.startswith("[^", i) else i + 1
            if pattern[start:start + 1] == "]":
                problems.append("] as the first character of a class (escape it)")
            i = start
            continue
        if ch == "(" and pattern.startswith("(?", i):
            if not pattern.startswith(GROUP_OPENERS, i):
                problems.append(f"group {pattern[i:i + 4]!r}: inline flag, named or atomic group, or comment")
        if ch in "*+?}" and pattern[i + 1:i + 2] == "+":
            problems.append("possessive quantifier")
        i += 1
    return problems


@pytest.mark.parametrize(
    "pattern, problem",
    [
        ("(?i)abc", "inline flag"),
        ("(?P<year>[0-9]{4})", "named"),
        ("(?<year>[0-9]{4})", "named"),
        ("\\Aabc", "anchor"),
        ("abc\\Z", "anchor"),
        ("abc\\z", "anchor"),
        ("(?>a+)b", "atomic"),
        ("a++b", "possessive"),
        ("a{2}+", "possessive"),
        ("(a)\\1", "back-reference"),
        ("(?P=a)", "named"),
        ("\\p{L}+", "property"),
        ("[[:alpha:]]+", "POSIX"),
        ("\\x{41}", "escape \\x"),
        ("\\u{41}", "escape \\u"),
        ("[]a]", "first character"),
        ("(?#note)a", "comment"),
    ],
)
def test_when_pattern_leaves_the_portable_subset_then_the_lint_says_why(pattern, problem):
    problems = portable_subset_violations(pattern)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    "pattern",
    ["(?<![\\w.-])[0-9]{3}-[0-9]{2}", "\\+?[0-9]{1,3}(?:[ .-][0-9]{2,4})+", "[\\s\\S]{0,40}?", "a\\.b\\/c", "x\\++"],
)
def test_when_pattern_is_portable_then_the_lint_is_silent(pattern):
    assert portable_subset_violations(pattern) == []


@pytest.mark.parametrize("rule_id, index, pattern, ignore_case", PATTERNS, ids=PATTERN_IDS)
def test_when_rule_pattern_is_scanned_then_it_stays_in_the_portable_subset(rule_id, index, pattern, ignore_case):
    assert portable_subset_violations(pattern) == []


@pytest.mark.parametrize("rule_id, index, pattern, ignore_case", PATTERNS, ids=PATTERN_IDS)
def test_when_rule_pattern_is_compiled_in_python_then_its_group_exists(rule_id, index, pattern, ignore_case):
    compiled = re.compile(pattern, python_flags(ignore_case))
    group = next(rule.get("group", 0) for rule in RULES if rule["id"] == rule_id)
    assert group <= compiled.groups


NODE_COMPILE = """
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([pattern, ignoreCase]) => {
    try {
      const regex = new RegExp(pattern, "gmd" + (ignoreCase ? "i" : ""));
      // groups: the length of a match of the pattern or-ed with the empty string, less one
      return { ok: true, groups: new RegExp(pattern + "|", regex.flags).exec("").length - 1 };
    } catch (error) {
      return { ok: false, error: String(error.message) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def node_compile(patterns: list[tuple[str, bool]]) -> list[dict]:
    return run_node(NODE_COMPILE, patterns)


@pytest.fixture(scope="module")
def node_compiled() -> dict:
    results = node_compile([(pattern, ignore_case) for _, _, pattern, ignore_case in PATTERNS])
    return {(rule_id, index): result for (rule_id, index, _, _), result in zip(PATTERNS, results)}


@pytest.mark.parametrize("rule_id, index, pattern, ignore_case", PATTERNS, ids=PATTERN_IDS)
def test_when_rule_pattern_is_compiled_by_node_then_it_compiles_with_python_group_count(
    node_compiled, rule_id, index, pattern, ignore_case
):
    result = node_compiled[(rule_id, index)]
    assert result["ok"], result.get("error")
    assert result["groups"] == re.compile(pattern, python_flags(ignore_case)).groups


def test_when_pattern_is_python_only_then_node_refuses_it():
    # The node check is real: a Python comment group and a Python-only escape do not compile there.
    results = node_compile([("(?#note)a", False), ("(?P<x>a)", False), ("[0-9]{3}", False)])
    assert [r["ok"] for r in results] == [False, False, True]


# --- ReDoS review of repeated groups ---------------------------------------------------------------------------

ASCII = frozenset(range(128))
NON_ASCII = 128  # stands for every character above ASCII
CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: frozenset(range(48, 58)),
    sre_constants.CATEGORY_WORD: frozenset(list(range(48, 58)) + list(range(65, 91)) + list(range(97, 123)) + [95]),
    sre_constants.CATEGORY_SPACE: frozenset([9, 10, 11, 12, 13, 32]),
}
CATEGORIES[sre_constants.CATEGORY_NOT_DIGIT] = (ASCII - CATEGORIES[sre_constants.CATEGORY_DIGIT]) | {NON_ASCII}
CATEGORIES[sre_constants.CATEGORY_NOT_WORD] = (ASCII - CATEGORIES[sre_constants.CATEGORY_WORD]) | {NON_ASCII}
CATEGORIES[sre_constants.CATEGORY_NOT_SPACE] = (ASCII - CATEGORIES[sre_constants.CATEGORY_SPACE]) | {NON_ASCII}
REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def fold(chars: set[int], ignore_case: bool) -> frozenset[int]:
    if not ignore_case:
        return frozenset(chars)
    out = set(chars)
    for c in chars:
        if 65 <= c <= 90 or 97 <= c <= 122:
            out.add(c ^ 0x20)
    return frozenset(out)


def class_chars(items) -> frozenset[int]:
    chars: set[int] = set()
    negate = False
    for op, av in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            chars.add(min(av, NON_ASCII))
        elif op is sre_constants.RANGE:
            chars.update(range(av[0], min(av[1], 127) + 1))
            if av[1] > 127:
                chars.add(NON_ASCII)
        elif op is sre_constants.CATEGORY:
            chars |= CATEGORIES[av]
    return frozenset((ASCII | {NON_ASCII}) - chars) if negate else frozenset(chars)


def item_chars(item, ignore_case: bool) -> frozenset[int]:
    """Every character an item (and anything inside it) can consume."""
    op, av = item
    if op is sre_constants.LITERAL:
        return fold({min(av, NON_ASCII)}, ignore_case)
    if op is sre_constants.NOT_LITERAL:
        return frozenset((ASCII | {NON_ASCII}) - fold({av}, ignore_case))
    if op is sre_constants.IN:
        return fold(set(class_chars(av)), ignore_case)
    if op is sre_constants.ANY:
        return ASCII | {NON_ASCII}
    if op in ZERO_WIDTH:
        return frozenset()
    out: set[int] = set()
    for sub in children(item):
        for inner in sub:
            out |= item_chars(inner, ignore_case)
    return frozenset(out)


def children(item) -> list[list]:
    """The sub-sequences of a compound item: a group's body, a repeat's body, each branch."""
    op, av = item
    if op is sre_constants.SUBPATTERN:
        return [list(av[-1])]
    if op in REPEATS:
        return [list(av[2])]
    if op is sre_constants.BRANCH:
        return [list(branch) for branch in av[1]]
    return []


def width(items) -> tuple[int, int]:
    low = high = 0
    for item in items:
        lo, hi = sre_parse.SubPattern(sre_parse.State(), [item]).getwidth()
        low, high = low + lo, high + hi
    return low, high


def first_chars(items, ignore_case: bool) -> frozenset[int]:
    """The characters a match of this sequence can start with."""
    out: set[int] = set()
    for item in items:
        op, av = item
        if op in ZERO_WIDTH:
            continue
        if op is sre_constants.BRANCH:
            for branch in av[1]:
                out |= first_chars(list(branch), ignore_case)
        elif op in (sre_constants.SUBPATTERN, *REPEATS):
            out |= first_chars(children(item)[0], ignore_case)
        else:
            out |= item_chars(item, ignore_case)
        if width([item])[0] > 0:
            return frozenset(out)
    return frozenset(out)


def has_delimiter(body: list, ignore_case: bool) -> bool:
    """The body starts or ends with one fixed character that none of its variable parts can consume, so
    every repetition begins (or ends) at a place the text itself marks."""
    consuming = [item for item in body if item[0] not in ZERO_WIDTH]
    if not consuming:
        return False
    variable = set()
    for item in consuming:
        lo, hi = width([item])
        if lo != hi:
            variable |= item_chars(item, ignore_case)
    for end in (consuming[0], consuming[-1]):
        if width([end]) == (1, 1) and end[0] in (sre_constants.LITERAL, sre_constants.IN, sre_constants.NOT_LITERAL):
            if not item_chars(end, ignore_case) & variable:
                return True
    return False


def repeated_group_branches(pattern: str) -> list[list[str]]:
    """The top-level alternatives of every group in the source that a quantifier allows to repeat.

    Read from the source because Python's parser rewrites alternations (a|ab becomes a(?:|b)) before
    the tree can be inspected.
    """
    found = []
    opened: list[int] = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 2 if pattern.startswith("[^]", i) or pattern.startswith("[]", i) else 1
            continue
        elif ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            start = opened.pop()
            quantifier = re.match(r"[*+]|\{([0-9]+)(,([0-9]*))?\}", pattern[i + 1:])
            repeats = quantifier and (
                quantifier.group(0) in "*+"
                or (quantifier.group(2) and (quantifier.group(3) == "" or int(quantifier.group(3)) > 1))
                or (not quantifier.group(2) and int(quantifier.group(1)) > 1)
            )
            if repeats:
                body = pattern[start + 1:i]
                body = body[2:] if body.startswith("?:") else body
                found.append(split_top_level(body))
        i += 1
    return found


def split_top_level(body: str) -> list[str]:
    parts, depth, in_class, current, i = [], 0, False, "", 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            current += body[i:i + 2]
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    return parts + [current]


def redos_violations(pattern: str, ignore_case: bool = False) -> list[str]:
    """Repeated groups that can split one text in more than one way (SPEC.md, Portable regex subset)."""
    tree = sre_parse.parse(pattern, python_flags(ignore_case))
    problems: list[str] = []
    for branches in repeated_group_branches(pattern):
        if len(branches) > 1:
            seen: set[int] = set()
            for branch in branches:
                starts = first_chars(list(sre_parse.parse(branch, python_flags(ignore_case))), ignore_case)
                if starts & seen:
                    problems.append("a repeated alternation whose branches can start with the same character")
                    break
                seen |= starts

    def visit(items):
        for item in items:
            op, av = item
            if op in REPEATS and av[1] > 1:
                body = list(av[2])
                lo, hi = width(body)
                single_char = len(body) == 1 and (lo, hi) == (1, 1)
                if not single_char:
                    review(body, lo, hi)
            for sub in children(item):
                visit(sub)

    def review(body, lo, hi):
        if lo == 0:
            problems.append("a repeated group that can match the empty string")
            return
        branches = [list(b) for b in body[0][1][1]] if len(body) == 1 and body[0][0] is sre_constants.BRANCH else None
        if branches:
            seen: set[int] = set()
            for branch in branches:
                starts = first_chars(branch, ignore_case)
                if starts & seen:
                    problems.append("a repeated alternation whose branches can start with the same character")
                    return
                seen |= starts
            for branch in branches:
                if width(branch)[0] != width(branch)[1] and not has_delimiter(branch, ignore_case):
                    problems.append("a repeated alternation with a variable-width branch and no delimiter")
                    return
            return
        if lo != hi and not has_delimiter(body, ignore_case):
            problems.append("a repeated variable-width group (nested quantifier) without a delimiter")

    visit(list(tree))
    return problems


@pytest.mark.parametrize(
    "pattern",
    [
        "(a+)+",
        "(a*)*",
        "(a+)*",
        "(?:a|ab)+",
        "(?:[a-z]{1,5})+",
        "(\\w+\\s?)+",
        "(?:[a-z]+\\.?)+",
        "(?:x?)+",
        "(?:a|a)*b",
        "^(?:[0-9]+-?){2,5}$",
        "(?:[a-z0-9]+[.-]?){1,8}@",
    ],
)
def test_when_group_repeats_ambiguously_then_the_redos_lint_rejects_it(pattern):
    assert redos_violations(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?:\\.[a-z]+)*",
        "(?:[a-z0-9]+-)*[a-z0-9]+",
        "(?:[0-9]{1,3}\\.){3}[0-9]{1,3}",
        "(?:[ .-][0-9]{1,8}){0,6}",
        "(?:[A-Z0-9]{4}){2,7}",
        "(?:a[0-9]+|b[0-9]+)+",
        "[0-9]{13,19}",
    ],
)
def test_when_group_repeats_unambiguously_then_the_redos_lint_accepts_it(pattern):
    assert redos_violations(pattern) == []


@pytest.mark.parametrize("rule_id, index, pattern, ignore_case", PATTERNS, ids=PATTERN_IDS)
def test_when_rule_pattern_is_reviewed_then_no_repeated_group_is_ambiguous(rule_id, index, pattern, ignore_case):
    assert redos_violations(pattern, ignore_case) == []


# --- adversarial run -------------------------------------------------------------------------------------------

SIZE = 20_000
ADVERSARIAL = [
    "a" * SIZE, "A" * SIZE, "0" * SIZE, "9" * SIZE, " " * SIZE, "-" * SIZE, "." * SIZE, ":" * SIZE,
    "a1" * (SIZE // 2), "1-" * (SIZE // 2), "1 " * (SIZE // 2), "0." * (SIZE // 2), "a." * (SIZE // 2),
    "a@" * (SIZE // 2), "1:" * (SIZE // 2), "ab:" * (SIZE // 3), "+1" * (SIZE // 2),
    "dob " * (SIZE // 4), "call 1 " * (SIZE // 7), "ssn: 1" * (SIZE // 6), "0x" + "f" * SIZE,
    "bc1" + "q" * SIZE, "1" + "A" * SIZE, "x@" + "a." * (SIZE // 2), "\n" * SIZE,
]

PYTHON_ADVERSARIAL = """
import json, re, sys
patterns, texts = json.load(sys.stdin)
count = 0
for pattern, ignore_case in patterns:
    flags = re.ASCII | re.MULTILINE | (re.IGNORECASE if ignore_case else 0)
    compiled = re.compile(pattern, flags)
    for text in texts:
        count += sum(1 for _ in compiled.finditer(text))
print(json.dumps({"done": len(patterns) * len(texts), "matches": count}))
"""

NODE_ADVERSARIAL = """
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const [patterns, texts] = JSON.parse(input);
  let matches = 0;
  for (const [pattern, ignoreCase] of patterns) {
    const regex = new RegExp(pattern, "gmd" + (ignoreCase ? "i" : ""));
    for (const text of texts) for (const _ of text.matchAll(regex)) matches++;
  }
  process.stdout.write(JSON.stringify({ done: patterns.length * texts.length, matches }));
});
"""


def all_patterns() -> list[tuple[str, bool]]:
    return [(pattern, ignore_case) for _, _, pattern, ignore_case in PATTERNS]


def test_when_every_pattern_runs_on_adversarial_text_in_python_then_the_run_finishes():
    result = subprocess.run(
        [sys.executable, "-c", PYTHON_ADVERSARIAL],
        input=json.dumps([all_patterns(), ADVERSARIAL]),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=True,
    )
    assert json.loads(result.stdout)["done"] == len(PATTERNS) * len(ADVERSARIAL)


def test_when_every_pattern_runs_on_adversarial_text_in_node_then_the_run_finishes():
    result = run_node(NODE_ADVERSARIAL, [all_patterns(), ADVERSARIAL])
    assert result["done"] == len(PATTERNS) * len(ADVERSARIAL)


# --- vectors cover every rule -------------------------------------------------------------------------------------


def positives_of(rule_id: str) -> list[dict]:
    return [v for v in VECTORS if any(f["rule"] == rule_id for f in v["expected"])]


def negatives_of(rule_id: str) -> list[dict]:
    return [
        v for v in VECTORS
        if not v["expected"]
        and (rule_id in v.get("rules", []) or rule_id in v["name"] or rule_id in v.get("desc", ""))
    ]


@pytest.mark.parametrize("rule_id", [rule["id"] for rule in RULES])
def test_when_rule_exists_then_a_vector_shows_it_finding_something(rule_id):
    assert positives_of(rule_id), f"no positive vector for {rule_id}"


@pytest.mark.parametrize("rule_id", [rule["id"] for rule in RULES])
def test_when_rule_exists_then_a_look_alike_vector_shows_it_staying_quiet(rule_id):
    assert negatives_of(rule_id), f"no negative vector names {rule_id}"


KEYWORD_RULES = [rule for rule in RULES if rule.get("keywords")]
# Every vector's input, and upper-cased for the case-insensitive rules: the texts a keyword rule's patterns
# are re-run on, whichever rule the vector was written for.
VECTOR_INPUTS = [vector["input"] for vector in VECTORS]


def keyword_violations(rule: dict, texts: list[str]) -> list[str]:
    """The matches of a rule's patterns (whole matches, before validators and context) without a keyword."""
    flags = python_flags(bool(rule.get("ignore_case")))
    missing = []
    for pattern in rule["patterns"]:
        for text in texts:
            for match in re.finditer(pattern, text, flags):
                if not any(k in match.group(0).lower() for k in rule["keywords"]):
                    missing.append(match.group(0))
    return missing


@pytest.mark.parametrize("rule", KEYWORD_RULES, ids=[rule["id"] for rule in KEYWORD_RULES])
def test_when_rule_has_keywords_then_every_match_contains_one(rule):
    # SPEC.md: every match of the rule contains a keyword, not only the finding's span (a rule may report a
    # captured value and keep its keyword outside it): the JavaScript engine skips the rule on a text without
    # one, and the agent scans big texts only near them, so a match without one would be found by neither.
    texts = VECTOR_INPUTS + ([t.upper() for t in VECTOR_INPUTS] if rule.get("ignore_case") else [])
    assert positives_of(rule["id"]), "a keyword rule needs a vector that exercises it"
    assert keyword_violations(rule, texts) == []


def test_when_a_match_lacks_the_keyword_then_the_keyword_check_says_so():
    # The check reads whole matches: a keyword in the match but outside the captured value passes, a
    # keyword only in a lookbehind does not.
    rule = {"patterns": ["token=([a-z0-9]{8})", "(?<=secret:)[a-z0-9]{8}"], "keywords": ["token", "secret"]}
    assert keyword_violations(rule, ["token=abcd1234", "secret:abcd1234"]) == ["abcd1234"]
