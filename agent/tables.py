"""CSV/TSV/markdown tables: find delimited tables and read their cells by column header.

A customer export is the riskiest paste there is, and NER is both slow and unreliable on rows of cells.
The header says what each column is:

- a column named `first_name`, `city` or `company` makes each of its cells a PERSON, LOCATION or
  ORGANIZATION finding without running NER at all (table_findings). Headers that name things other than
  people as often as people (`name`, `owner`, `display_name`) take only cells shaped like a person's name,
  and a bare `name` column in a table of products (`sku`, `price`, `qty`) names products;
- a column named `dob`, `ssn`, `passport_no` or `phone` gives its cells the context that a rule of the
  pack looks for near a value (header_context_findings): "123456789" under `ssn` is read as if written
  "ssn: 123456789". The cell must still be the rule's match, whole, and pass its validator; the header
  only stands in for the context word the rule would otherwise need within its window.

Tables are found line by line: at least three consecutive lines splitting into the same number (≥ 2) of
fields on the same delimiter (tab, comma, semicolon or pipe; double quotes respected; a line starting
with a pipe is a markdown row and splits on pipes).
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from promptfence.agent.name_shapes import PERSON_PARTICLES, WORD, is_common, org_phrase
from promptfence.agent.rules import CONTEXT_BOOST, Finding, Rule, RulePack

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
    "nachname", "payee", "payee_name", "payer", "payer_name", "account_owner", "account_holder_name",
    "holder", "holder_name", "policyholder", "policy_holder", "insured", "insured_name", "guest", "guest_name",
    "passenger", "passenger_name", "traveller", "traveler", "traveller_name", "traveler_name", "tenant",
    "tenant_name", "landlord", "guarantor", "spouse", "spouse_name", "emergency_contact", "next_of_kin",
    "father_name", "mother_name", "maiden_name", "preferred_name", "legal_name", "candidate", "candidate_name",
    "student", "teacher", "instructor", "physician", "doctor", "nurse", "attendee", "attendee_name",
    "participant", "participant_name", "signatory", "witness", "assignee", "reporter", "requester",
    "requestor", "created_by", "approved_by", "submitted_by", "sales_rep", "account_manager", "agent_name",
    "nombre", "apellido", "apellidos", "cognome", "achternaam", "voornaam", "customer", "client", "buyer",
    "seller",
}
# Headers that name a product, a host or a service as often as a person: only cells shaped like a
# person's name count, and none in a table whose other headers describe goods or systems.
# A cell shaped like a company there ("Acme Ltd", "Blue Harbor Logistics") is the organisation instead.
AMBIGUOUS_PERSON_COLUMNS = {
    "name", "display_name", "user_name", "owner", "owner_name", "author", "contact", "manager", "assignee",
    "reporter", "requester", "requestor", "created_by", "approved_by", "submitted_by", "holder", "customer",
    "client", "buyer", "seller", "payer", "payee", "account_holder", "beneficiary", "recipient", "insured",
    "customer_name", "client_name",
}
NON_PERSON_TABLE_COLUMNS = {
    "sku", "price", "unit_price", "qty", "quantity", "stock", "inventory", "product", "product_id",
    "product_name", "item", "item_id", "item_name", "category", "brand", "model", "colour", "color", "size",
    "weight", "upc", "ean", "gtin", "asin", "msrp", "cost", "version", "image", "namespace", "replicas",
    "port", "protocol", "cpu", "memory", "ram", "disk", "kind", "package", "license", "dependency", "cluster",
    "container", "pod", "node", "service", "endpoint", "method", "path", "url", "extension", "mime_type",
}
LOCATION_COLUMNS = {
    "city", "town", "address", "street", "street_address", "address1", "address2", "address_1", "address_2",
    "address_line_1", "address_line_2", "home_address", "mailing_address", "billing_address", "shipping_address",
    "country", "state", "province", "region", "county", "location", "place", "birthplace", "place_of_birth",
    "district", "suburb", "neighbourhood", "neighborhood", "ville", "stadt", "adresse",
    "street_name", "street1", "street2", "street_1", "street_2", "address_line1", "address_line2", "addr",
    "residence", "residential_address", "postal_address", "delivery_address", "home_town", "hometown",
    "city_name", "town_city", "state_name", "country_name", "country_of_residence", "country_of_birth",
    "municipality", "locality", "prefecture", "ciudad", "direccion", "dirección", "pais", "país", "citta",
    "città", "indirizzo", "paese", "ort", "strasse", "straße", "woonplaats", "plaats", "straat",
}
ORGANIZATION_COLUMNS = {
    "company", "company_name", "organization", "organisation", "organization_name", "organisation_name", "org",
    "employer", "employer_name", "business", "business_name", "vendor", "vendor_name", "supplier",
    "supplier_name", "account_name", "customer_company", "firm", "agency", "institution", "school", "bank",
    "bank_name", "insurer", "hospital", "clinic", "employer_company", "current_employer", "organisation_name",
    "company_name_legal", "legal_entity", "merchant", "merchant_name", "carrier", "lender", "university",
    "college", "empresa", "societe", "société", "firma", "azienda", "bedrijf",
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
    # The first line's cells when it reads as a header row (short cells, no numbers), else ().
    header: tuple[str, ...] = ()
    # Per column: only cells shaped like a person's name are people (an ambiguous header such as `name`).
    name_shaped: tuple[bool, ...] = ()


def split_fields(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """Field spans of one line, quote-aware (a delimiter inside "..." does not split)."""
    spans = []
    field_start = start
    quoted = False
    i = start
    segment = text[start:end]
    if '"' not in segment:
        # The common case, without a per-character loop.
        position = start
        for part in segment.split(delimiter):
            after = position + len(part)
            spans.append((position, after))
            position = after + 1
        return spans
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
    if delimiter != "|" and segment.lstrip().startswith("|") and segment.count("|") >= 2:
        delimiter = "|"  # a markdown row: its cells may hold more commas than it has pipes
    if '"' in segment:
        return delimiter, len(split_fields(text, start, end, delimiter))
    return delimiter, segment.count(delimiter) + 1


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
    name_shaped: tuple[bool, ...] = ()
    # A header row has short cells and no digits, except an index at the end of a name (address_2).
    if not all(len(cell) <= MAX_HEADER_CELL and not HAS_DIGIT.search(INDEX_SUFFIX.sub("", cell)) for cell in header):
        return Table(lines[first].start, lines[last].end, first, last, delimiter, fields)
    names = [normalise_header(cell) for cell in header]
    column_types = tuple(COLUMN_TYPE.get(name) for name in names)
    goods = any(name in NON_PERSON_TABLE_COLUMNS for name in names)
    name_shaped = tuple(name in AMBIGUOUS_PERSON_COLUMNS for name in names)
    if goods:
        # `name` beside `sku` and `price` names a product; `owner` beside `hostname` may still be a person.
        column_types = tuple(None if name in ("name", "display_name") else t for name, t in zip(names, column_types))
    if not any(column_types):
        column_types = name_shaped = ()
    return Table(lines[first].start, lines[last].end, first, last, delimiter, fields, column_types,
                 tuple(header), name_shaped)


def clean_cell(text: str, start: int, end: int) -> str:
    return text[start:end].strip().strip('"').strip()


CAMEL_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])")


def normalise_header(cell: str) -> str:
    """`First Name`, `first-name`, `firstName` and `FIRST_NAME` all read `first_name`."""
    return re.sub(r"[\s\-./#:()]+", "_", CAMEL_BREAK.sub("_", cell.strip()).lower()).strip("_")


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
            if end - start < 2 or not HAS_LETTER.search(text, start, end):
                continue
            if entity == "PERSON" and table.name_shaped[column]:
                org = org_phrase(text, start, end)
                if org is not None and org.end == end and org.certain:
                    entity = "ORGANIZATION"
                elif not person_shaped(text[start:end]):
                    continue
                if entity not in types:
                    continue
            yield Finding(RULE_IDS[entity], entity, "pii", SEVERITY[entity], start, end, TABLE_SCORE)


def person_shaped(cell: str) -> bool:
    """One to five words that read as a person's name in a list: each capitalised (or all capitals, or a
    particle such as "van"), an initial allowed, "Last, First" allowed; not all common words. Product
    names ("Steel water bottle"), host names ("api-01") and user handles ("jsmith") are not."""
    words = cell.replace(",", " ", 1).split() if cell.count(",") <= 1 else []
    if not 1 <= len(words) <= 5:
        return False
    uncommon = False
    for word in words:
        bare = word[:-1] if word.endswith(".") else word
        if len(bare) == 1:
            if not bare.isupper():
                return False
            continue
        if not WORD.fullmatch(bare):
            return False
        if not bare[0].isupper():
            if bare.lower() in PERSON_PARTICLES or bare[:2].lower() in ("d'", "d’"):
                continue
            return False
        if not is_common(bare):
            uncommon = True
    return uncommon


# Header words for a rule's context that are not in the rule's own list (other languages, short forms),
# with the context word they stand for. Keys are normalised headers (normalise_header).
HEADER_ALIASES = {
    "birthday": "date of birth", "bday": "date of birth", "born": "date of birth", "birth": "date of birth",
    "date_born": "date of birth", "geburtsdatum": "date of birth", "geburtstag": "date of birth",
    "geb_datum": "date of birth", "date_de_naissance": "date of birth", "date_naissance": "date of birth",
    "naissance": "date of birth", "fecha_de_nacimiento": "date of birth", "fecha_nacimiento": "date of birth",
    "data_di_nascita": "date of birth", "data_nascita": "date of birth", "geboortedatum": "date of birth",
    "data_de_nascimento": "date of birth",
    "ss_number": "ssn", "ss_no": "ssn", "social_security_num": "ssn", "soc_sec_no": "ssn",
    "passport_num": "passport", "reisepass": "passport", "pasaporte": "passport", "passeport": "passport",
    "passaporto": "passport", "paspoort": "passport",
    "dl_num": "driver license", "drivers_lic": "driver license", "driver_lic": "driver license",
    "drivers_license_number": "driver license", "driving_licence_number": "driver license",
    "telefon": "phone", "telefono": "phone", "teléfono": "phone", "telephone_number": "phone",
    "telefoon": "phone", "téléphone": "phone", "handy": "phone", "mobil": "phone", "movil": "phone",
    "móvil": "phone", "cellulare": "phone", "portable": "phone", "mobiel": "phone", "msisdn": "phone",
    "ni_no": "national insurance", "nin": "national insurance",
    "aba_routing": "routing", "routing_transit_number": "routing",
}
HEADER_PART = re.compile(r"[_\-./#:()\s]+")
HEADER_CELL_MAX = 64  # longer cells hold prose, not a value a header could name


@dataclass(frozen=True, slots=True)
class HeaderRule:
    rule: Rule
    word: str  # the context word the header gives, as the probe writes it before each cell


HEADER_CACHE_SIZE = 4096
# Per rule pack, what each header cell gives (headers repeat: every export of a system has the same ones).
_header_cache: "weakref.WeakKeyDictionary[RulePack, tuple[list[Rule], dict[str, tuple[HeaderRule, ...]]]]" = (
    weakref.WeakKeyDictionary()
)


def context_rules(pack: RulePack) -> tuple[list[Rule], dict[str, tuple[HeaderRule, ...]]]:
    """The pack's PII rules that need a context word to report anything, and the pack's header cache.
    Rules that report a value without context already found the cells; a header adds nothing to them."""
    entry = _header_cache.get(pack)
    if entry is None:
        rules = [r for r in pack.rules if r.category == "pii" and r.context is not None and r.context_required]
        entry = _header_cache[pack] = (rules, {})
    return entry


def header_rules(header: str, rules: Iterable[Rule]) -> list[HeaderRule]:
    """The rules whose context words the header holds, each with the word found. The header is read as
    written ("date_of_birth"), with its parts spaced ("date of birth", "birth date" from "birthDate") and
    through HEADER_ALIASES."""
    spaced = HEADER_PART.sub(" ", CAMEL_BREAK.sub(" ", header)).strip().lower()
    forms = [header.strip().lower(), spaced]
    alias = HEADER_ALIASES.get(normalise_header(header))
    if alias:
        forms.append(alias)
    found = []
    for rule in rules:
        for form in forms:
            match = rule.context.matcher.search(form)
            if match:
                found.append(HeaderRule(rule, match.group().lower()))
                break
    return found


def cached_header_rules(header: str, pack: RulePack) -> tuple[HeaderRule, ...]:
    rules, cache = context_rules(pack)
    found = cache.get(header)
    if found is None:
        if len(cache) >= HEADER_CACHE_SIZE:
            cache.clear()
        found = cache[header] = tuple(header_rules(header, rules))
    return found


def header_context_findings(text: str, lines: Sequence, tables: Sequence[Table], pack: RulePack) -> Iterator[Finding]:
    """Findings of the pack's context-gated PII rules in cells whose column header is one of the rule's
    context words (SPEC.md's step 4 with the header standing in for a word within the window).

    Each such column is read as the rule would read "word: cell" on a line of its own: all the column's
    cells go, one per line with the word before each, into one probe string that each rule scans once
    (linear, in the regex engine), so the rule's own patterns, allow list and validator decide; the score
    is the rule's score with the context boost. A match counts only when it is the whole cell, so a header
    never turns part of a longer cell ("Order 12345678 shipped" under `text`) into a finding."""
    for table in tables:
        if not table.header:
            continue
        plan = [(column, found) for column, cell in enumerate(table.header)
                if cell and (found := cached_header_rules(cell, pack))]
        if not plan:
            continue
        rows = [split_fields(text, lines[k].start, lines[k].end, table.delimiter)
                for k in range(table.first_line + 1, table.last_line + 1)]
        for column, found in plan:
            cells = []
            for spans in rows:
                if column < len(spans):
                    start, end = cell_span(text, *spans[column])
                    # Every context-gated rule's value holds a digit.
                    if 0 < end - start <= HEADER_CELL_MAX and HAS_DIGIT.search(text, start, end):
                        cells.append((start, end))
            if cells:
                for header_rule in found:
                    yield from probe_column(text, cells, header_rule)


def probe_column(text: str, cells: list[tuple[int, int]], header_rule: HeaderRule) -> Iterator[Finding]:
    prefix = header_rule.word + ": "
    parts = []
    starts = []  # where each cell begins in the probe
    position = 0
    for start, end in cells:
        parts.append(prefix)
        position += len(prefix)
        starts.append(position)
        parts.append(text[start:end])
        parts.append("\n")
        position += end - start + 1
    probe = "".join(parts)
    rule = header_rule.rule
    score = round(min(1.0, rule.score + CONTEXT_BOOST), 2)
    for match in rule.matches(probe, probe.lower()):
        found_start, found_end = match.span(rule.group)
        k = bisect_right(starts, found_start) - 1
        if k < 0 or found_start != starts[k]:
            continue
        start, end = cells[k]
        if found_end - found_start != end - start:
            continue
        value = text[start:end]
        if value in rule.allow or (rule.validator is not None and not rule.validator(value)):
            continue
        yield Finding(rule.id, rule.type, rule.category, rule.severity, start, end, score)
