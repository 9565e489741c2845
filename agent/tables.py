"""CSV/TSV exports: find delimited tables and read names, places and companies by column header.

A customer export is the riskiest paste there is, and NER is both slow and unreliable on rows of cells.
The header says what each column is, so a column named `name`, `first_name`, `city` or `company` makes
each of its cells a PERSON, LOCATION or ORGANIZATION finding without running NER at all. Tables are
found line by line: at least three consecutive lines splitting into the same number (≥ 2) of fields on
the same delimiter (tab, comma, semicolon or pipe; double quotes respected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from promptfence.agent.rules import Finding

DELIMITERS = ("\t", ",", ";", "|")
MIN_ROWS = 3  # header + two rows, or three rows
TABLE_SCORE = 0.85
MAX_HEADER_CELL = 40

PERSON_COLUMNS = {
    "name", "full_name", "fullname", "first_name", "firstname", "given_name", "givenname", "forename",
    "last_name", "lastname", "surname", "family_name", "familyname", "middle_name", "customer_name",
    "client_name", "contact_name", "contact", "employee_name", "employee", "patient_name", "patient",
    "person", "owner", "owner_name", "manager", "manager_name", "author", "user_name", "display_name",
    "student_name", "member_name", "account_holder", "cardholder", "cardholder_name", "beneficiary",
    "recipient", "recipient_name", "sender_name", "applicant", "applicant_name", "nom", "prenom", "vorname",
    "nachname",
}
LOCATION_COLUMNS = {
    "city", "town", "address", "street", "street_address", "address1", "address2", "address_1", "address_2",
    "address_line_1", "address_line_2", "home_address", "mailing_address", "billing_address", "shipping_address",
    "country", "state", "province", "region", "county", "location", "place", "birthplace", "place_of_birth",
    "district", "suburb", "neighbourhood", "neighborhood", "ville", "stadt", "adresse",
}
ORGANIZATION_COLUMNS = {
    "company", "company_name", "organization", "organisation", "organization_name", "organisation_name", "org",
    "employer", "employer_name", "business", "business_name", "vendor", "vendor_name", "supplier",
    "supplier_name", "account_name", "customer_company", "firm", "agency", "institution", "school", "bank",
    "bank_name", "insurer", "hospital", "clinic",
}
COLUMN_TYPES = (
    [(name, "PERSON") for name in PERSON_COLUMNS]
    + [(name, "LOCATION") for name in LOCATION_COLUMNS]
    + [(name, "ORGANIZATION") for name in ORGANIZATION_COLUMNS]
)
COLUMN_TYPE = dict(COLUMN_TYPES)
SEVERITY = {"PERSON": "medium", "LOCATION": "low", "ORGANIZATION": "low"}
RULE_IDS = {"PERSON": "table-person", "LOCATION": "table-location", "ORGANIZATION": "table-organization"}

HAS_LETTER = re.compile(r"[^\W\d_]")
HAS_DIGIT = re.compile(r"\d")
INDEX_SUFFIX = re.compile(r"[\s_-]?\d$")


@dataclass(frozen=True, slots=True)
class Table:
    start: int
    end: int
    first_line: int
    last_line: int
    delimiter: str
    fields: int
    # The type of each column when the first line is a header we understand, else ().
    column_types: tuple[str | None, ...] = ()


def split_fields(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """Field spans of one line, quote-aware (a delimiter inside "..." does not split)."""
    spans = []
    field_start = start
    quoted = False
    i = start
    if '"' not in text[start:end]:
        # The common case, without a per-character loop.
        position = start
        while True:
            found = text.find(delimiter, position, end)
            if found < 0:
                spans.append((position, end))
                return spans
            spans.append((position, found))
            position = found + 1
    while i < end:
        char = text[i]
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            spans.append((field_start, i))
            field_start = i + 1
        i += 1
    spans.append((field_start, end))
    return spans


def line_shape(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The delimiter a line splits on and its field count, or None for a line that is no table row."""
    if end - start < 3:
        return None
    segment = text[start:end]
    best = None
    for delimiter in DELIMITERS:
        count = segment.count(delimiter)
        if count and (best is None or count > best[1]):
            best = (delimiter, count)
            if delimiter == "\t":
                break  # a tab is never prose punctuation: it decides
    if best is None:
        return None
    delimiter = best[0]
    if '"' in segment:
        return delimiter, len(split_fields(text, start, end, delimiter))
    return delimiter, best[1] + 1


def find_tables(text: str, lines: Sequence, taken: Sequence[bool]) -> list[Table]:
    tables = []
    n = len(lines)
    i = 0
    while i < n:
        if taken[i]:
            i += 1
            continue
        shape = line_shape(text, lines[i].start, lines[i].end)
        if shape is None:
            i += 1
            continue
        j = i + 1
        while j < n and not taken[j] and line_shape(text, lines[j].start, lines[j].end) == shape:
            j += 1
        if j - i >= MIN_ROWS and looks_tabular(text, lines, i, j, shape[0]):
            tables.append(make_table(text, lines, i, j - 1, shape))
        i = j
    return tables


def looks_tabular(text: str, lines: Sequence, first: int, stop: int, delimiter: str) -> bool:
    """Reject prose that happens to have the same number of commas on three lines: cells are short."""
    if delimiter != ",":
        return True
    sample = range(first, min(stop, first + 20))
    long_cells = total = 0
    for k in sample:
        for a, b in split_fields(text, lines[k].start, lines[k].end, delimiter):
            total += 1
            long_cells += text.count(" ", a, b) >= 6
    return long_cells * 4 <= total


def make_table(text: str, lines: Sequence, first: int, last: int, shape: tuple[str, int]) -> Table:
    delimiter, fields = shape
    header = [clean_cell(text, a, b) for a, b in split_fields(text, lines[first].start, lines[first].end, delimiter)]
    column_types: tuple[str | None, ...] = ()
    # A header row has short cells and no digits, except an index at the end of a name (address_2).
    if all(len(cell) <= MAX_HEADER_CELL and not HAS_DIGIT.search(INDEX_SUFFIX.sub("", cell)) for cell in header):
        column_types = tuple(COLUMN_TYPE.get(normalise_header(cell)) for cell in header)
        if not any(column_types):
            column_types = ()
    return Table(lines[first].start, lines[last].end, first, last, delimiter, fields, column_types)


def clean_cell(text: str, start: int, end: int) -> str:
    return text[start:end].strip().strip('"').strip()


def normalise_header(cell: str) -> str:
    return re.sub(r"[\s\-.]+", "_", cell.strip().lower()).strip("_")


def cell_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The cell's value without surrounding blanks and quotes."""
    while start < end and text[start] in ' \t"':
        start += 1
    while end > start and text[end - 1] in ' \t"':
        end -= 1
    return start, end


def table_findings(text: str, lines: Sequence, table: Table, types: set[str]) -> Iterator[Finding]:
    """One finding per non-empty cell in a PERSON, LOCATION or ORGANIZATION column (rows after the header)."""
    if not table.column_types:
        return
    wanted = [(k, t) for k, t in enumerate(table.column_types) if t in types]
    if not wanted:
        return
    for row in range(table.first_line + 1, table.last_line + 1):
        line = lines[row]
        spans = split_fields(text, line.start, line.end, table.delimiter)
        for column, entity in wanted:
            if column >= len(spans):
                continue
            start, end = cell_span(text, *spans[column])
            if end - start >= 2 and HAS_LETTER.search(text, start, end):
                yield Finding(RULE_IDS[entity], entity, "pii", SEVERITY[entity], start, end, TABLE_SCORE)
