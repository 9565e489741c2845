"""Is this pasted text source code, where, and in which language — line heuristics, one linear pass.

Each line gets a code score from cheap signals: how it starts (`def f(`, `#include`, `SELECT ... FROM`),
how it ends (`;`, `{`, `):`), operators prose never uses (`==`, `=>`, `::`), assignments, the share of
brackets and semicolons, indentation under a code line, and a penalty for sentence-like lines. Runs of
code lines (blank lines and the odd weak line inside allowed) become regions; Markdown fences are regions
outright. The language is a vote of per-language token patterns over the region's first few KB
(bounded per region).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

STRONG = 3.0  # a line scoring this much is code on its own
WEAK = 1.0  # a line scoring this much is code when it sits inside a run of code
LANGUAGE_SAMPLE_CHARS = 4096
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
      | (?:sudo|apt-get|apt|yum|dnf|brew|pip3?|npm|npx|yarn|cd|ls|mkdir|rm|cp|mv|chmod|chown|curl|wget|git|docker|kubectl|echo|source|cat|grep|sed|awk|ssh|scp|tar|gzip|gunzip|systemctl|make|cargo|go|python3?|node)\s+-{0,2}[\w./$~"'-]
      | set\s+[-+][a-z]+ | for\s+\w+\s+in\s.*;\s*do\s*$ | (?:if|elif|while|until)\s+\[\[?\s | require(?:_relative)?\s+['"]
      | import\s+["'(] | (?:export\s+)?(?:interface|enum|struct|trait)\s+\w+(?:<[^>]*>)?\s*[{:]?\s*$ | type\s+\w+(?:<[^>]*>)?\s*=\s
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
# An unindented line of plain words starting with a capital ("Thanks!", "Here is the SQL:") ends a region.
PROSE_LINE = re.compile(r"[A-Z][A-Za-z'’,-]*(?:[ \t]+[A-Za-z0-9'’,()-]+)*[ \t]*[.!?:]?[ \t]*$")


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
                if gap > MAX_GAP_LINES or PROSE_LINE.match(text, line.start, line.end):
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


# Language votes: each token found in a region's sample votes for the languages it is typical of. One
# regex pass plus dictionary look-ups keeps this cheap; the line patterns below add what tokens miss.
VOTE_TOKEN = re.compile(
    r"<\?php|<\?xml|<!DOCTYPE|#!/\S+|#include|#define|\$this->|<[A-Za-z][\w:-]*|</|/>|\w+!\(|[A-Za-z_]\w*"
    r"|:=|=>|===|!==|->|::|\$\w+|@\w+|\{ get; set; \}"
)


def _votes() -> dict[str, tuple[tuple[str, int], ...]]:
    table: dict[str, list[tuple[str, int]]] = {}

    def vote(language: str, weight: int, tokens: str) -> None:
        for token in tokens.split():
            table.setdefault(token, []).append((language, weight))

    vote("python", 3, "def elif self None True False __init__ __name__ __main__ lambda nonlocal")
    vote("python", 1, "import from print len range dict async await pass raise except with as in not is")
    vote("javascript", 3, "const let => === !== console require undefined document window function")
    vote("javascript", 1, "var null async await export default new this")
    vote("typescript", 4, "interface readonly implements namespace enum")
    vote("typescript", 2, "string number boolean any void unknown never")
    vote("java", 3, "System println @Override extends throws final")
    vote("java", 1, "public private protected static void class new import package String")
    vote("c", 3, "#include #define printf malloc free sizeof typedef NULL")
    vote("c", 1, "int char unsigned struct void return ->")
    vote("cpp", 4, "std :: cout cin nullptr template")
    vote("cpp", 1, "namespace auto virtual const")
    vote("csharp", 4, "Console WriteLine Task")
    table.setdefault("{ get; set; }", []).append(("csharp", 6))  # a token with spaces: added whole
    vote("csharp", 1, "using namespace var public private async await string")
    vote("go", 4, ":= fmt func chan defer nil")
    vote("go", 1, "package import struct go")
    vote("rust", 4, "fn mut impl println! vec! Some Ok Err unwrap Option Result")
    vote("rust", 1, "let pub use match self struct enum ::")
    vote("ruby", 3, "puts elsif attr_accessor attr_reader nil unless require_relative")
    vote("ruby", 1, "def end do require module each")
    vote("php", 5, "<?php $this->")
    vote("php", 1, "echo function public array")
    vote("shell", 4, "#!/bin/bash #!/bin/sh #!/usr/bin/env fi esac done then")
    vote("shell", 1, "echo export sudo apt apt-get curl grep awk sed chmod cd mkdir")
    vote("sql", 3, "SELECT FROM WHERE JOIN INSERT INTO UPDATE DELETE CREATE TABLE GROUP ORDER BY VARCHAR PRIMARY")
    vote("sql", 1, "select from where join insert into values limit and or on as")
    vote("html", 3, "<!DOCTYPE <html <div <span <body <head <script <style <ul <li <table <tr <td <form <input")
    vote("html", 1, "<a <p <img <meta <link <button <h1 <h2 <h3 </ />")
    vote("xml", 4, "<?xml xmlns")
    vote("xml", 1, "</ />")
    return {token: tuple(votes) for token, votes in table.items()}


VOTES = _votes()
LINE_VOTES = (
    ("python", 3, re.compile(r"^[ \t]*(?:def \w+\(.*\)|class \w+.*|(?:el)?if .+|for .+ in .+|while .+|try|else|finally|except.*)"
                            r":[ \t]*$", re.MULTILINE)),
    ("ruby", 3, re.compile(r"^[ \t]*(?:def \w+[?!]?(?:\(.*\))?|end)[ \t]*$", re.MULTILINE)),
    ("go", 6, re.compile(r"^package \w+[ \t]*$", re.MULTILINE)),
    ("java", 4, re.compile(r"^package [\w.]+;", re.MULTILINE)),
    ("json", 3, re.compile(r"^[ \t]*\"[^\"\n]+\"[ \t]*:", re.MULTILINE)),
    ("yaml", 2, re.compile(r"^[ \t]*(?:- )?[\w.-]+:(?:[ \t]+[^{};=\n]*)?$", re.MULTILINE)),
    ("css", 3, re.compile(r"^[ \t]*[\w-]+:[ \t]*[^;{}\n]+;[ \t]*$|^[^\n:;]*\{[ \t]*$", re.MULTILINE)),
    ("shell", 3, re.compile(r"^[ \t]*(?:\$ )?(?:sudo|apt-get|apt|yum|brew|pip3?|npm|cd|mkdir|chmod|curl|wget|git|docker|kubectl"
                           r"|export|source|for \w+ in|if \[)\b", re.MULTILINE)),
)
# Languages whose tokens another's include: the specific one wins when it has real evidence of its own.
REFINEMENTS = (("javascript", "typescript", 6), ("c", "cpp", 6), ("java", "csharp", 8), ("xml", "html", 6))


def guess_language(sample: str) -> str:
    scores: dict[str, int] = {}
    for token in VOTE_TOKEN.findall(sample):
        for language, weight in VOTES.get(token, ()):
            scores[language] = scores.get(language, 0) + weight
    for language, weight, pattern in LINE_VOTES:
        count = len(pattern.findall(sample))
        if count:
            scores[language] = scores.get(language, 0) + weight * count
    if not scores:
        return "unknown"
    best = max(scores, key=scores.get)
    for general, specific, evidence in REFINEMENTS:
        if best == general and scores.get(specific, 0) >= evidence:
            best = specific
    return best


def code_info(text: str, lines: Sequence, regions: Sequence[CodeRegion]) -> CodeInfo:
    """CodeInfo of a text from its regions: the share counts code lines among non-blank lines."""
    non_blank = sum(1 for line in lines if line.end > line.start and not text[line.start:line.end].isspace())
    code_lines = sum(region.code_lines for region in regions)
    if not regions:
        return CodeInfo(False, None, 0.0, ())
    biggest = max(regions, key=lambda r: r.code_lines)
    return CodeInfo(True, biggest.language, min(1.0, code_lines / max(1, non_blank)), tuple(regions))
