"""Where the prose is: split a pasted text into lines and classify each one, cheaply and in one pass.

NER is by far the most expensive step of a scan (spaCy costs about 0.1 ms per token on a slow core), and it
is only good at prose anyway. So the analyzer first sorts lines into code regions (agent/code_detect.py),
CSV/TSV tables (agent/tables.py, which finds names there by column header instead of NER), opaque blobs
(base64, hex, long tokens without spaces) and prose. Only prose lines go on to NER (agent/nlp.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from promptfence.agent.code_detect import CodeRegion, find_code_regions
from promptfence.agent.tables import Table, find_tables

# A line made of one long token with no spaces: base64, hex, a key, a URL, a minified blob. No names there.
BLOB_LINE = re.compile(r"\s*\S{40,}\s*")
# Lines with letters in them at all; digits-and-punctuation lines (numbers, separators, dates) hold no names.
HAS_LETTER = re.compile(r"[^\W\d_]")
# HTTP messages pasted from a terminal or the browser's network panel: a status or request line, and header
# lines. NER takes header names for organisations ("Content-Type") and their values for people ("max-age").
HTTP_START = re.compile(r"[ \t]*(?:HTTP/\d(?:\.\d)?[ \t]+\d{3}\b|(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]+\S+[ \t]+HTTP/\d)")
HEADER_NAME = re.compile(r"[ \t]*(?P<name>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*):[ \t]")
# Header names that are never form labels, whatever the paste around them; "X-", "Sec-" and "CF-" prefixed too.
HTTP_ONLY_HEADERS = frozenset(
    """
    content-type content-length content-encoding content-language content-disposition content-range
    content-security-policy cache-control set-cookie user-agent accept-encoding accept-language
    accept-ranges access-control-allow-origin access-control-allow-methods access-control-allow-headers
    access-control-allow-credentials access-control-expose-headers access-control-max-age
    access-control-request-method access-control-request-headers strict-transport-security
    transfer-encoding last-modified if-none-match if-modified-since if-match if-unmodified-since keep-alive
    retry-after www-authenticate proxy-authorization proxy-authenticate referrer-policy permissions-policy
    cross-origin-opener-policy cross-origin-embedder-policy cross-origin-resource-policy etag
    """.split()
)
# Header names that are also ordinary form labels ("Location: Glasgow office"): headers only next to one
# of the above or to a status line.
HTTP_SHARED_HEADERS = frozenset(
    "host authorization cookie server date vary via expires pragma connection location origin referer "
    "upgrade range link allow age accept forwarded".split()
)


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # offset of the first character
    end: int  # offset just past the last character, before the newline


def split_lines(text: str) -> list[Line]:
    """Every line's span; `\\r\\n`, `\\n` and `\\r` all end a line."""
    lines = []
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\n|\r|$)", text):
        start = match.start()
        body = match.group().rstrip("\r\n")
        if start == len(text) and not body and lines:
            break
        lines.append(Line(start, start + len(body)))
    return lines


@dataclass
class Layout:
    lines: list[Line]
    code_regions: list[CodeRegion] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Maximal runs of prose lines as (start, end) offsets: what NER reads.
    prose: list[tuple[int, int]] = field(default_factory=list)

    @property
    def prose_chars(self) -> int:
        return sum(end - start for start, end in self.prose)


def analyse_layout(text: str, *, code_min_lines: int = 5, detect_code: bool = True) -> Layout:
    lines = split_lines(text)
    layout = Layout(lines)
    taken = [False] * len(lines)
    # Code is no place for NER even when it is too short to report (or the policy does not report it).
    regions = find_code_regions(text, lines, min_lines=min(2, code_min_lines))
    if detect_code:
        layout.code_regions = [r for r in regions if r.code_lines >= code_min_lines]
    for region in regions:
        for i in range(region.first_line, region.last_line + 1):
            taken[i] = True
    layout.tables = find_tables(text, lines, taken)
    for table in layout.tables:
        for i in range(table.first_line, table.last_line + 1):
            taken[i] = True
    for i in http_header_lines(text, lines):
        taken[i] = True
    run_start = run_end = -1
    for i, line in enumerate(lines):
        prose = not taken[i] and is_prose_line(text, line)
        if prose:
            if run_start < 0:
                run_start = line.start
            run_end = line.end
        elif run_start >= 0 and (taken[i] or line.end > line.start):
            # Blank lines do not end a run (paragraphs of one letter stay together); other lines do.
            layout.prose.append((run_start, run_end))
            run_start = -1
    if run_start >= 0:
        layout.prose.append((run_start, run_end))
    return layout


def http_header_lines(text: str, lines: list[Line]) -> list[int]:
    """Indexes of HTTP status/request lines and header lines (see HTTP_ONLY_HEADERS)."""
    if ":" not in text:
        return []
    sure = set()
    shared = []
    for i, line in enumerate(lines):
        if HTTP_START.match(text, line.start, line.end):
            sure.add(i)
            continue
        match = HEADER_NAME.match(text, line.start, line.end)
        if match is None:
            continue
        name = match.group("name").lower()
        if name in HTTP_ONLY_HEADERS or name.startswith(("x-", "sec-", "cf-")):
            sure.add(i)
        elif name in HTTP_SHARED_HEADERS:
            shared.append(i)
    # A shared name is a header when the run of header-shaped lines it sits in holds a sure one: one pass
    # over the runs (spreading marks to neighbours until nothing changes was quadratic in the run's length).
    marked = set(sure)
    shaped = sorted(sure.union(shared))
    run_start = 0
    for k in range(1, len(shaped) + 1):
        if k == len(shaped) or shaped[k] != shaped[k - 1] + 1:
            run = shaped[run_start:k]
            if any(i in sure for i in run):
                marked.update(run)
            run_start = k
    return sorted(marked)


def is_prose_line(text: str, line: Line) -> bool:
    if line.end - line.start < 2:
        return False
    if BLOB_LINE.fullmatch(text, line.start, line.end):
        return False
    return HAS_LETTER.search(text, line.start, line.end) is not None
