"""Is this pasted text source code, where, and in which language — line heuristics, one linear pass.

Each line gets a code score from cheap signals: how it starts (`def f(`, `#include`, `SELECT ... FROM`),
how it ends (`;`, `{`, `):`), operators prose never uses (`==`, `=>`, `::`), assignments, the share of
brackets and semicolons, indentation under a code line, and a penalty for sentence-like lines. Runs of
code lines (blank lines and the odd weak line inside allowed) become regions; Markdown fences are regions
outright. The language is a vote of per-language token patterns over the region's first few KB
(bounded, so a 1 MB paste costs no more than a 16 KB one for this step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

STRONG = 3.0  # a line scoring this much is code on its own
WEAK = 1.0  # a line scoring this much is code when it sits inside a run of code
LANGUAGE_SAMPLE_CHARS = 16_384
MAX_GAP_LINES = 2  # prose-looking lines tolerated inside a region (a comment in words, a stray label)

CODE_START = re.compile(
    r"""\s*(?:
        def\s+\w+\s*\( | class\s+\w+\s*[(:{<]| class\s+\w+\s*$ | (?:async\s+)?function\b\s*\w*\s*\(
      | import\s+[\w.{*]+ | from\s+[\w.]+\s+import\b | \#include\b | \#define\b | \#!\s*/ | <\?php
      | package\s+[\w.]+;?\s*$ | func\s+(?:\(\w+\s+\*?\w+\)\s*)?\w+\s*\( | fn\s+\w+\s*[(<] | pub\s+(?:fn|struct|enum|mod|use)\b
      | impl\b | let\s+mut\b | (?:const|let|var)\s+[\w{}\[\],\s]+= | return\b[^.]*;\s*$ | (?:if|for|while|switch|catch)\s*\(
      | \}\s*(?:else|catch|finally)\b | (?:else|try|finally|do)\s*\{ | elif\b.*:\s*$ | (?:else|try|finally):\s*$ | except\b.*:\s*$
      | using\s+[\w.]+\s*; | namespace\s+[\w.]+ | (?:public|private|protected|internal)\s+(?:static\s+)?[\w<>\[\]]+\s
      | (?:SELECT|select)\s.+\s(?:FROM|from)\s | (?:SELECT|FROM|WHERE|(?:LEFT\s+|RIGHT\s+|INNER\s+|OUTER\s+|CROSS\s+)?JOIN|ORDER\s+BY|GROUP\s+BY|HAVING|LIMIT|VALUES|UNION|WITH\s+\w+\s+AS)\s | (?:INSERT\s+INTO|insert\s+into|UPDATE\s+\w+\s+SET|update\s+\w+\s+set|DELETE\s+FROM|delete\s+from)\b
      | (?:CREATE|create|ALTER|alter|DROP|drop)\s+(?:TABLE|table|INDEX|index|VIEW|view|DATABASE|database)\b
      | <!DOCTYPE | <\?xml | </?[a-zA-Z][\w:-]*(?:\s+[\w:-]+=["'][^"']*["'])*\s*/?> | "[^"\n]{1,80}"\s*:\s*["\[{\d\-tfn]
      | (?:sudo|apt-get|apt|yum|dnf|brew|pip3?|npm|npx|yarn|cd|ls|mkdir|rm|cp|mv|chmod|chown|curl|wget|git|docker|kubectl|echo|source|cat|grep|sed|awk|ssh|scp|tar|make|cargo|go|python3?|node)\s+-{0,2}[\w./$~"'-]
      | [\w.$\[\]'"]+\s*(?:[+\-*/%|&^]|<<|>>|\?\?|\|\||&&)?=\s*[^=\s] | @\w+(?:\(.*\))?\s*$ | (?:end|fi|done|esac|then|\}|\]|\)|\};|\);|\},|\],)\s*$
      | \w+(?:\.\w+)*\(.*\)\s*;?\s*$ | [\w-]+:\s*$ | -\s+[\w"'-]+:\s
    )""",
    re.VERBOSE,
)
CODE_END = re.compile(r"(?:;|\{|\}|\(|\)|\):|\[|,\s*\\|=>|->|\\)\s*$")
OPERATORS = re.compile(r"==|!=|=>|->|::|&&|\|\||\+=|-=|:=|</|/>|\(\)|\[\]|\{\}|\$\{|<<|>>|\w\[\w*\]|\w\.\w+\(")
SYMBOLS = re.compile(r"[{}\[\]()<>;=|&$\\]")
COMMENT = re.compile(r"\s*(?://|/\*|\*/|\*\s|--\s|#\s*\w|<!--)")
SENTENCE = re.compile(r"\s*[A-Z\"'(]?[A-Za-z,'\"()-]+(?:\s+[A-Za-z,'\"()-]+){5,}[.?!:]?\s*$")
YAML_KEY = re.compile(r"\s*[\w.-]+:\s+\S")


def line_score(text: str, start: int, end: int, previous_is_code: bool) -> float:
    """How code-like one line is; STRONG and above is code on its own."""
    line = text[start:end]
    stripped = line.strip()
    if not stripped:
        return 0.0
    score = 0.0
    if CODE_START.match(line):
        score += 3.0
    if CODE_END.search(line):
        score += 1.5
    operators = len(OPERATORS.findall(line))
    score += min(operators, 3) * 1.0
    symbols = len(SYMBOLS.findall(line))
    density = symbols / max(1, len(stripped))
    if density >= 0.15:
        score += 2.0
    elif density >= 0.07:
        score += 1.0
    if COMMENT.match(line):
        score += 1.0
    if previous_is_code and (line.startswith(("  ", "\t"))):
        score += 1.0
    if YAML_KEY.match(line):
        score += 1.0
    if SENTENCE.match(line) and density < 0.07 and operators == 0:
        score -= 4.0
    return score


@dataclass(frozen=True, slots=True)
class CodeRegion:
    start: int
    end: int
    first_line: int
    last_line: int
    code_lines: int
    language: str


@dataclass(frozen=True)
class CodeInfo:
    """What detect_code() tells: is the text code, which language, what share of its lines are code."""

    is_code: bool = False
    language: str | None = None
    share: float = 0.0
    regions: tuple[CodeRegion, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict:
        return {"is_code": self.is_code, "language": self.language, "share": round(self.share, 3)}


FENCE = re.compile(r"\s*(```+|~~~+)\s*([\w+#.-]*)")
FENCE_LANGUAGES = {
    "py": "python", "python": "python", "python3": "python", "ipython": "python",
    "js": "javascript", "javascript": "javascript", "jsx": "javascript", "node": "javascript", "mjs": "javascript",
    "ts": "typescript", "typescript": "typescript", "tsx": "typescript",
    "java": "java", "kotlin": "java", "c": "c", "h": "c",
    "cpp": "cpp", "c++": "cpp", "cc": "cpp", "hpp": "cpp", "cxx": "cpp",
    "cs": "csharp", "csharp": "csharp", "c#": "csharp", "go": "go", "golang": "go", "rs": "rust", "rust": "rust",
    "rb": "ruby", "ruby": "ruby", "php": "php", "sh": "shell", "bash": "shell", "shell": "shell", "zsh": "shell",
    "console": "shell", "powershell": "shell", "ps1": "shell", "sql": "sql", "mysql": "sql", "postgresql": "sql",
    "html": "html", "xml": "xml", "svg": "xml", "json": "json", "jsonc": "json", "yaml": "yaml", "yml": "yaml",
    "css": "css", "scss": "css", "toml": "yaml", "ini": "yaml", "dockerfile": "shell",
}


def find_code_regions(text: str, lines: Sequence, *, min_lines: int = 5) -> list[CodeRegion]:
    """Code regions with at least `min_lines` code lines; `lines` are agent.layout.Line spans."""
    regions: list[CodeRegion] = []
    n = len(lines)
    i = 0
    run_first = -1  # first line of the open run
    run_last = -1  # last code line of the open run
    run_code = run_strong = gap = 0
    previous_is_code = False

    def close() -> None:
        nonlocal run_first, run_code, run_strong
        if run_first >= 0 and run_code >= min_lines and run_strong >= min(2, run_code):
            regions.append(make_region(text, lines, run_first, run_last, run_code, None))
        run_first = -1
        run_code = run_strong = 0

    while i < n:
        line = lines[i]
        fence = FENCE.match(text, line.start, line.end)
        if fence and fence.end() == line.end:
            close()
            end_line = find_fence_end(text, lines, i + 1, fence.group(1))
            body = [j for j in range(i + 1, end_line) if lines[j].end > lines[j].start]
            if len(body) >= min_lines:
                hint = FENCE_LANGUAGES.get(fence.group(2).lower())
                regions.append(make_region(text, lines, body[0], body[-1], len(body), hint))
            i = end_line + 1
            previous_is_code = False
            continue
        score = line_score(text, line.start, line.end, previous_is_code)
        blank = line.end == line.start or text[line.start:line.end].isspace()
        if score >= STRONG or (score >= WEAK and run_first >= 0):
            if run_first < 0:
                run_first = i
            run_last = i
            run_code += 1
            run_strong += score >= STRONG
            gap = 0
            previous_is_code = True
        elif blank:
            previous_is_code = previous_is_code and run_first >= 0
        else:
            previous_is_code = False
            if run_first >= 0:
                gap += 1
                if gap > MAX_GAP_LINES:
                    close()
                    gap = 0
        i += 1
    close()
    return regions


def find_fence_end(text: str, lines: Sequence, first: int, marker: str) -> int:
    for j in range(first, len(lines)):
        line = text[lines[j].start:lines[j].end].strip()
        if line.startswith(marker[:3]) and set(line) <= set(marker[0]):
            return j
    return len(lines)


def make_region(text: str, lines: Sequence, first: int, last: int, code_lines: int, hint: str | None) -> CodeRegion:
    start, end = lines[first].start, lines[last].end
    # Leading indentation is part of the code, trailing blanks are not.
    language = hint or guess_language(text[start:min(end, start + LANGUAGE_SAMPLE_CHARS)])
    return CodeRegion(start, end, first, last, code_lines, language)


def _language_patterns() -> dict[str, tuple[re.Pattern, re.Pattern]]:
    # (strong, weak) per language: a strong token says the language almost alone, a weak one only votes.
    raw = {
        "python": (
            r"^\s*def \w+\(.*\)\s*(?:->\s*[\w\[\], .]+)?:\s*$|^\s*from [\w.]+ import \w|^\s*import \w+(?:\.\w+)*\s*$"
            r"|^\s*elif\b|\bself\.\w|__\w+__|^\s*class \w+(?:\(.*\))?:\s*$|^\s*except\b.*:$|^\s*with .+ as \w+:$",
            r"\bNone\b|\bTrue\b|\bFalse\b|\bprint\(|^\s*@\w+|:\s*$|\bnot in\b|\blambda\b|\bdict\(|\blen\(",
        ),
        "javascript": (
            r"\bconsole\.log\(|\brequire\(['\"]|\bdocument\.\w|\bwindow\.\w|===|!==|\bmodule\.exports\b"
            r"|^\s*import .+ from ['\"]|\bexport default\b|\bfunction\s*\w*\s*\([^)]*\)\s*\{|\baddEventListener\(",
            r"\bconst \w+ =|\blet \w+ =|\bvar \w+ =|=>|\bundefined\b|\bnull\b|;\s*$|\basync\b|\bawait\b",
        ),
        "typescript": (
            r"\binterface \w+(?:<.*>)?\s*\{|\btype \w+(?:<.*>)? = |:\s*(?:string|number|boolean|any|void|unknown|never)\b"
            r"|\bexport (?:interface|type|enum)\b|\bas const\b|\breadonly \w+|\bimplements \w+|<\w+>\(",
            r"\bconst \w+:|\blet \w+:|\?:|\bPromise<",
        ),
        "java": (
            r"\bpublic (?:static )?(?:final )?(?:class|void|interface|enum)\b|\bSystem\.out\.print|^\s*import java\.|@Override"
            r"|\bString\[\] args|^\s*package [\w.]+;\s*$|\bprivate (?:static )?(?:final )?\w+(?:<[\w<>, ]+>)? \w+(?: = .*)?;",
            r"\bnew \w+\(|\bextends\b|\bthrows\b|\bpublic\b|\bprivate\b|;\s*$|\bList<|\bMap<",
        ),
        "c": (
            r"#include <\w+\.h>|\bprintf\(|\bint main\s*\(|\bmalloc\(|\bfree\(|\bsizeof\(|\btypedef struct\b|\bstruct \w+ \*",
            r"->|#define\b|\bNULL\b|\bchar \*|\bint \w+\s*[=;(]|;\s*$|\bunsigned\b",
        ),
        "cpp": (
            r"#include <(?:iostream|vector|string|map|memory|algorithm|unordered_map)>|\bstd::|\bcout\s*<<|\btemplate\s*<"
            r"|\bnullptr\b|\busing namespace\b|::\w+\(",
            r"\bauto \w+ =|\bclass \w+\s*(?::\s*public)?|\bconst \w+&|\bvirtual\b",
        ),
        "csharp": (
            r"^\s*using System|Console\.Write(?:Line)?\(|\{ get; set; \}|\bpublic (?:async )?Task\b|\bnamespace [\w.]+"
            r"|\bvar \w+ = new\b|^\s*\[\w+(?:\(.*\))?\]\s*$|\bstring\[\] args",
            r"\bpublic\b|\bprivate\b|;\s*$|\bvar \w+ =|\basync\b|\bawait\b|\bnew \w+\(",
        ),
        "go": (
            r"^package \w+\s*$|\bfunc (?:\(\w+ \*?\w+\) )?\w+\(|:=|\bfmt\.\w|\berr != nil\b|^import \($|\bgo func\b|\bchan\b",
            r"\bdefer\b|\bstruct \{|\bnil\b|\[\]\w+|\bmake\(",
        ),
        "rust": (
            r"\bfn \w+(?:<.*>)?\(|\blet mut\b|\bimpl\b|\bpub (?:fn|struct|enum|mod)\b|\w+!\(|^\s*use [\w:{}, ]+;"
            r"|&mut\b|\bmatch \w+ \{|\bunwrap\(\)|\bOption<|\bResult<|\bSome\(|\bOk\(",
            r"::new\(|->|\blet \w+ =|\bVec<|&self\b|\bmut\b",
        ),
        "ruby": (
            r"^\s*def \w+[?!]?(?:\(.*\))?\s*$|^\s*end\s*$|\bputs\b|^\s*require ['\"]|\battr_(?:accessor|reader)\b"
            r"|\bdo \|\w+(?:, \w+)*\||^\s*module \w+|\.each\b|\bunless\b",
            r"@\w+ =|\bnil\b|=>|:\w+\b",
        ),
        "php": (
            r"<\?php|\$this->|\bfunction \w+\(\$|\becho \$|\$\w+\s*=\s*[^=]|->\w+\(|\barray\(|\bnamespace [\w\\]+;",
            r"\$\w+|;\s*$|\bpublic function\b",
        ),
        "shell": (
            r"^#!/(?:usr/)?bin/(?:env )?(?:ba|z|k)?sh\b|^\s*(?:sudo|apt-get|apt|yum|brew|pip3?|npm|cd|mkdir|chmod|chown|curl|wget|git|docker|kubectl|ssh|scp|tar|export)\s"
            r"|^\s*(?:fi|then|done|esac)\s*$|\|\s*(?:grep|awk|sed|xargs|sort|head|tail|wc)\b|2>&1|^\s*if \[|\$\(\w",
            r"^\s*\$ |\$\{?\w+\}?|&&|^\s*echo\b|^\s*\w+=\S",
        ),
        "sql": (
            r"(?i:\bselect\b.+\bfrom\b|\binsert into\b|\bupdate \w+ set\b|\bcreate (?:table|index|view)\b|\bprimary key\b"
            r"|\bgroup by\b|\border by\b|\bleft join\b|\binner join\b|\bvarchar\(|\bdelete from\b)",
            r"(?i:\bwhere\b|\bjoin\b|\band\b|\bvalues\b|\bnot null\b|;\s*$)",
        ),
        "html": (
            r"<!DOCTYPE html|<html\b|<(?:div|span|body|head|script|style|ul|li|table|tr|td|form|input|button|img|meta|link|p|a|h[1-6])\b",
            r"</\w+>|\bclass=\"|\bhref=\"|\bsrc=\"",
        ),
        "xml": (
            r"<\?xml|\bxmlns(?::\w+)?=|<\w+:\w+[\s>]",
            r"</[\w:]+>|<\w+(?:\s+[\w:]+=\"[^\"]*\")+\s*/?>",
        ),
        "json": (
            r"^\s*\"[^\"\n]+\"\s*:\s*(?:\"|\d|-|\[|\{|true|false|null)",
            r"^\s*[\[{]\s*$|^\s*[\]}],?\s*$",
        ),
        "yaml": (
            r"^---\s*$|^\s*[\w.-]+:\s*$|^\s*- [\w.-]+:\s",
            r"^\s*[\w.-]+: [^{};=]+$|^\s*- \S",
        ),
        "css": (
            r"^\s*[.#@]?[\w-]+(?:[ .#:>~+\[\]=\"\w-]*)\s*\{\s*$|^\s*[\w-]+:\s*[^;{}]+;\s*$|@media\b",
            r"\b(?:px|em|rem|vh|vw)\b|#[0-9a-fA-F]{3,6}\b",
        ),
    }
    return {
        name: (re.compile(strong, re.MULTILINE), re.compile(weak, re.MULTILINE)) for name, (strong, weak) in raw.items()
    }


LANGUAGE_PATTERNS = _language_patterns()
# Languages whose tokens are a superset of another's: the specific one wins when it has strong evidence.
REFINEMENTS = (("javascript", "typescript"), ("c", "cpp"), ("html", "xml"), ("json", "javascript"))


def guess_language(sample: str) -> str:
    scores = {}
    for name, (strong, weak) in LANGUAGE_PATTERNS.items():
        scores[name] = 3 * len(strong.findall(sample)) + len(weak.findall(sample))
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        return "unknown"
    for general, specific in REFINEMENTS:
        if best == general and scores[specific] >= 6:
            best = specific
    # Markup is one big vote of tags; HTML's named tags beat XML's generic ones.
    if best == "xml" and scores["html"] >= scores["xml"] * 0.8:
        best = "html"
    return best


def code_info(text: str, lines: Sequence, regions: Sequence[CodeRegion]) -> CodeInfo:
    """CodeInfo of a text from its regions: the share counts code lines among non-blank lines."""
    non_blank = sum(1 for line in lines if line.end > line.start and not text[line.start:line.end].isspace())
    code_lines = sum(region.code_lines for region in regions)
    if not regions:
        return CodeInfo(False, None, 0.0, ())
    biggest = max(regions, key=lambda r: r.code_lines)
    return CodeInfo(True, biggest.language, min(1.0, code_lines / max(1, non_blank)), tuple(regions))
