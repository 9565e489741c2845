"""Names that the shape of a paste points at: labelled fields, chat speakers, signatures, address blocks.

NER reads running sentences well and structured pastes badly: "Name: Beau van Doorn", "Employer: Morin
SAS", "Mike: hey are you coming?", a signature under "Best regards," or a "Ship to:" block give it almost
no context, so the small model misses or mistypes most of them. The structure itself says what a value
is, so these rules read it directly, line by line over the prose (agent/layout.py):

- **Labelled fields.** `Label: value` at a line start, after a sentence or after a wide gap, where the
  label says what the value is (LABEL_TYPES). The value is parsed as a person's, a company's or a place's
  name (agent/name_shapes.py), or an address read part by part at its commas (one LOCATION from its first
  place to its last; a name before the house number is the addressee). Labels of numbers and dates
  ("Telefon:", "DOB:") are labels too, never names. A label alone on its line ("Ship to:") takes the lines
  below it.
- **Chat speakers.** `Anna: hey, are you coming?` on two or more lines: a name, a colon and chat.
- **Signatures.** After a closing ("Best regards,", "Thanks,", "--"), a line that is only a name is a
  person; below it a company line ("Title | Company", "Kambs GmbH") and address lines.
- **Address blocks.** A street line (a house number and a capitalised word) followed by "12345 City" or
  "City 12345", then optionally a country: the city and the country are places.

Labels themselves are returned too ("Traveller", "National Insurance number"): an NER entity inside a
label is no name (agent/context.py drops it).

Every rule is a regular expression or a few word checks per line: microseconds for a 1 KB paste.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from promptfence.agent.layout import Layout
from promptfence.agent.name_shapes import (
    COUNTRIES,
    WORD,
    country_at,
    is_common,
    org_phrase,
    person_phrase,
    place_phrase,
)

PERSON, LOCATION, ORGANIZATION = "PERSON", "LOCATION", "ORGANIZATION"
FIELD_SCORE = 0.85
SPEAKER_SCORE = 0.8
MAX_VALUE = 300  # characters of a field's value that are read: names and addresses are shorter

# What a label says its value is. Lower case, single spaces; "(s)" and a trailing "name" are not stripped,
# so each spelling people use is listed.
_PERSON_LABELS = """
name|full name|first name|last name|surname|given name|given names|family name|middle name|maiden name|
legal name|preferred name|name on card|name on account|customer|customer name|client|client name|contact|
contact name|contact person|primary contact|emergency contact|next of kin|patient|patient name|employee|
employee name|staff member|user|applicant|applicant name|co-applicant|tenant|landlord|guarantor|
beneficiary|beneficiary name|account holder|account name|cardholder|cardholder name|card holder|traveller|
traveler|passenger|passenger name|guest|guest name|driver|owner|policyholder|policy holder|insured|claimant|
member|member name|student|student name|candidate|recipient|recipient name|sender|attn|attention|
signed|signed by|prepared by|reported by|requested by|submitted by|approved by|reviewed by|assigned to|
assignee|author|reporter|manager|line manager|supervisor|doctor|physician|gp|referred by|referring physician|
witness|spouse|husband|wife|father|mother|parent|guardian|nominee|executor|attendee|attendees|participants|
present|invitees|organiser|organizer|interviewer|interviewee|references|referee|from|to|cc|bcc|payee|payee name|
account owner|holder|lead|prospect
"""
_ORGANIZATION_LABELS = """
employer|employer name|current employer|previous employer|former employer|company|company name|
organisation|organization|organisation name|organization name|business|business name|firm|vendor|supplier|
merchant|bank|bank name|insurer|insurance company|school|university|college|institution|hospital|clinic|
agency|workplace|place of work|issuer|lender
"""
_ADDRESS_LABELS = """
address|home address|current address|previous address|residential address|residence|mailing address|
postal address|billing address|shipping address|delivery address|street address|permanent address|
correspondence address|ship to|deliver to|bill to|sold to
"""
_PLACE_LABELS = """
street|city|town|city/town|village|suburb|district|county|state|province|region|country|
country of residence|country of birth|place of birth|birthplace|birth place|location|hometown|home town|
destination|office location|work location|based in
"""


def _labels(block: str) -> list[str]:
    return [label.strip() for label in block.replace("\n", "").split("|") if label.strip()]


LABEL_TYPES: dict[str, str] = {
    **{label: PERSON for label in _labels(_PERSON_LABELS)},
    **{label: ORGANIZATION for label in _labels(_ORGANIZATION_LABELS)},
    **{label: "ADDRESS" for label in _labels(_ADDRESS_LABELS)},
    **{label: LOCATION for label in _labels(_PLACE_LABELS)},
}
# Labels of values that are no names (numbers, dates, addresses on the net), in the languages people paste:
# still labels, so NER does not read "Telefon: +49 30 ..." as a person.
DATA_LABELS = frozenset(_labels("""
phone|phone number|telephone|telephone number|tel|mobile|mobile number|cell|cell phone|fax|work phone|
home phone|telefon|telefono|teléfono|téléphone|tél|telefoon|handy|mobil|móvil|movil|cellulare|portable|
email|e-mail|email address|e-mail address|mail|correo|courriel|dob|date of birth|birth date|birthday|
geburtsdatum|date de naissance|fecha de nacimiento|data di nascita|geboortedatum|ssn|social security number|
iban|bic|swift|account number|routing number|sort code|passport|passport number|passport no|nino|
national insurance number|tax id|vat|vat number|ip|ip address|mac|mac address|website|url|card number|
credit card|expiry|cvv|postcode|zip|zip code|postal code|plz|ref|reference|order number|invoice number
"""))
# Labels after which several people may follow ("Attendees: A (Acme), B (Globex)").
PERSON_LIST_LABELS = frozenset("attendee attendees participants present invitees references cc bcc to".split())
# E-mail header labels: their value is a name only when a name comes first ("From: Anna Berg <a@b.c>").
HEADER_LABELS = frozenset("from to cc bcc".split())

# `Label:` where a label may stand: line start (after a bullet), after a sentence, a wide gap, a bar or a tab.
LABEL = re.compile(
    r"(?:^[ \t]*(?:[-*•>]\s+|\d{1,2}[.)]\s+)?|(?<=[.!?;|]\s)|(?<=\s\s)|(?<=\t))"
    r"(?P<label>[^\W\d_][^\W\d_'’/-]*(?: [^\W\d_][^\W\d_'’/-]*){0,3})[ \t]*:(?=[ \t]|$)",
    re.MULTILINE,
)
# A line whose label is a speaker: "[10:02] Anna: ...", "Anna Berg: ...".
SPEAKER = re.compile(r"^[ \t]*(?:\[[^\]\n]{1,25}\][ \t]*)?(?P<name>[^\W\d_][^\s:]*(?: [^\W\d_][^\s:]*)?):[ \t]+(?=\S)",
                     re.MULTILINE)
# Chat, as opposed to a form value: a pronoun, a question or an exclamation, or a lower-case start.
CHAT = re.compile(r"^[a-z]|\b(?:I|I'm|[Yy]ou|[Yy]our|[Ww]e|[Mm]y|[Mm]e|[Uu]s|[Oo]ur)\b|[?!]")
CLOSING = re.compile(
    r"[ \t]*(?:(?:best|kind|warm|warmest|many|with best|with kind)?[ \t]*(?:regards|wishes|thanks)|best|thanks|"
    r"thank you|thanks again|many thanks|cheers|sincerely|yours sincerely|sincerely yours|yours faithfully|"
    r"yours truly|respectfully|take care|talk soon|all the best|love|br|mit freundlichen grüßen|"
    r"viele grüße|cordialement|saludos|un saluto|met vriendelijke groet|--|—|–)[ \t]*[,.!]?[ \t]*",
    re.IGNORECASE,
)
POSTCODE = r"(?:\d{5}(?:-\d{4})?|\d{4}(?: ?[A-Z]{2})?|\d{3} \d{2}|\d{2}-\d{3}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)"
POSTCODE_FIRST = re.compile(rf"[ \t]*{POSTCODE}[ \t]+(?=[^\W\d_])")
POSTCODE_AFTER = re.compile(rf"[ \t]*,?[ \t]*(?:[A-Z]{{2}}[ \t]+)?{POSTCODE}[ \t]*,?[ \t]*$")
POSTCODE_ONLY = re.compile(rf"[ \t]*{POSTCODE}[ \t]*$|[ \t]*\d{{3,6}}[ \t]*$")
HAS_DIGIT = re.compile(r"\d")
# A street line: a house number and a capitalised word, short, no label ("570 David Court", "Kimdreef 755").
STREET_LINE = re.compile(r"[ \t]*(?=[^\n:@]{4,60}$)(?=.*\d)(?=.*[^\W\d_][^\W\d_]{2,}).*[^\s,]")
AFFILIATION = re.compile(r"[ \t]*\((?P<inside>[^()\n]{2,60})\)")


@dataclass(frozen=True, slots=True)
class CueEntity:
    """A PERSON, LOCATION or ORGANIZATION that a cue points at, with offsets into the scanned text."""

    type: str
    start: int
    end: int
    score: float
    cue: str  # the rule family: "field" here, "cue" in agent/cues.py


@dataclass
class Fields:
    entities: list[CueEntity] = field(default_factory=list)
    labels: list[tuple[int, int]] = field(default_factory=list)  # spans of labels: no name inside

    def add(self, type_: str, start: int, end: int, score: float = FIELD_SCORE) -> None:
        if end > start:
            self.entities.append(CueEntity(type_, start, end, score, "field"))


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int


def prose_lines(text: str, layout: Layout) -> list[Line]:
    """The lines inside the layout's prose runs, in order."""
    out = []
    spans = layout.prose
    k = 0
    for line in layout.lines:
        while k < len(spans) and spans[k][1] < line.start:
            k += 1
        if k == len(spans):
            break
        if spans[k][0] <= line.start and line.end <= spans[k][1]:
            out.append(Line(line.start, line.end))
    return out


def find_fields(text: str, layout: Layout) -> Fields:
    lines = prose_lines(text, layout)
    found = Fields()
    if not lines:
        return found
    blocks_done: set[int] = set()  # lines already read as part of a block
    for index, line in enumerate(lines):
        if index in blocks_done:
            continue
        for match in LABEL.finditer(text, line.start, line.end):
            _label_field(text, lines, index, match, found, blocks_done)
        _signature(text, lines, index, found, blocks_done)
    _address_blocks(text, lines, found, blocks_done)
    _speakers(text, lines, found)
    return found


def _normal_label(raw: str) -> str:
    return " ".join(raw.lower().split())


def _label_field(text: str, lines: list[Line], index: int, match: re.Match, found: Fields, blocks_done: set[int]) -> None:
    line = lines[index]
    label = _normal_label(match.group("label"))
    kind = LABEL_TYPES.get(label)
    words = label.split()
    if kind is not None or label in DATA_LABELS or (len(words) >= 2 and match.group("label").split()[-1].islower()):
        # A known label, or a phrase of several words ending in a lower-case one ("National Insurance
        # number"): a label, not a name, whatever NER makes of it.
        found.labels.append((match.start("label"), match.end("label")))
    if kind is None:
        return
    value_start = _skip_blanks(text, match.end(), line.end)
    value_end = _value_end(text, value_start, line.end)
    if value_start >= value_end:
        # "Ship to:" alone: the value is the block of lines below.
        if kind in ("ADDRESS", PERSON):
            _block_below(text, lines, index, kind, found, blocks_done)
        return
    if kind == PERSON:
        _people(text, value_start, value_end, label, found)
    elif kind == ORGANIZATION:
        org = org_phrase(text, value_start, value_end)
        if org is not None and (org.uncommon or org.legal_form):
            found.add(ORGANIZATION, value_start, org.end)
    elif kind == "ADDRESS":
        end = read_address(text, _addressee(text, value_start, value_end, found), value_end, found)
        # An address may go on over the next lines until the next label.
        k = index + 1
        while end == value_end and k < min(len(lines), index + 4) and ":" not in text[lines[k].start:lines[k].end]:
            nxt = lines[k]
            if nxt.end - nxt.start > 80 or nxt.end == nxt.start:
                break
            end = value_end = nxt.end
            read_address(text, nxt.start, nxt.end, found)
            blocks_done.add(k)
            k += 1
    else:
        _place(text, value_start, value_end, label, found)


# After the addressee: a comma, then a house number and a street name ("908 Sunset Blvd"). "Via Azeglio, 229,
# Napoli" is a street and its number instead, as is any name opening with a street word.
ADDRESSEE_END = re.compile(r",[ \t]*(?=\d{1,5}[A-Za-z]?[ \t]+[^\W\d_])")
STREET_OPENERS = frozenset(
    """
    via viale vicolo piazza piazzale corso largo strada contrada rotonda canale incrocio borgo lungomare
    calle avenida avda paseo plaza carrer camino carretera ronda rambla glorieta rua praça travessa estrada
    alameda rue avenue boulevard chemin allée impasse quai place route cours passage
    """.split()
)


def _addressee(text: str, start: int, end: int, found: Fields) -> int:
    """"Ship to: Daniel Ortiz, 908 Sunset Blvd, ...": a name before the house number is the addressee, a
    person or a company. Returns where the address itself starts."""
    org = org_phrase(text, start, end)
    name_end = org.end if org is not None and org.certain else person_phrase(text, start, end)
    if name_end is None or text[start:name_end].split(" ", 1)[0].lower() in STREET_OPENERS:
        return start
    comma = ADDRESSEE_END.match(text, name_end, end)
    if comma is None:
        return start
    found.add(ORGANIZATION if org is not None and org.certain and org.end == name_end else PERSON, start, name_end)
    return comma.end()


def _skip_blanks(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in " \t":
        pos += 1
    return pos


def _value_end(text: str, start: int, end: int) -> int:
    """Where a field's value stops: the line end, or a wide gap before the next field ("X  DOB: ..."); at
    most MAX_VALUE characters on, so a megabyte-long line of fields is read in linear time."""
    end = min(end, start + MAX_VALUE)
    gap = text.find("  ", start, end)
    tab = text.find("\t", start, end)
    stops = [p for p in (gap, tab) if p >= 0]
    stop = min(stops) if stops else end
    while stop > start and text[stop - 1] in " \t":
        stop -= 1
    return stop


def _people(text: str, start: int, end: int, label: str, found: Fields) -> None:
    """One name, or a list of them for plural labels, each maybe followed by "(Company)" or "<email>"."""
    pos = start
    many = label in PERSON_LIST_LABELS
    first = True
    while pos < end:
        if text.startswith(("Mr", "Mrs", "Ms", "Dr"), pos):
            title = re.compile(r"(?:Mrs|Mr|Ms|Dr)\.?\s").match(text, pos, end)
            if title:
                pos = title.end()
        name_end = person_phrase(text, pos, end)
        if name_end is None:
            return
        if not first and name_end - pos < 2:
            return
        # An organisation-shaped value under a person label ("Payee: Acme Ltd") is the organisation.
        org = org_phrase(text, pos, end)
        if org is not None and org.certain and org.end >= name_end:
            found.add(ORGANIZATION, pos, org.end)
            pos = org.end
        else:
            found.add(PERSON, pos, name_end)
            pos = name_end
        affiliation = AFFILIATION.match(text, pos, end)
        if affiliation is not None:
            inside = affiliation.start("inside")
            org = org_phrase(text, inside, affiliation.end("inside"))
            if org is not None and org.end == affiliation.end("inside") and (org.uncommon or org.legal_form):
                found.add(ORGANIZATION, inside, org.end)
            pos = affiliation.end()
        if not many:
            return
        separator = re.compile(r"\s*(?:,|;|&|\band\b)\s*").match(text, pos, end)
        if separator is None:
            return
        pos = separator.end()
        first = False


def _place(text: str, start: int, end: int, label: str, found: Fields) -> None:
    stop = _place_end(text, start, end)
    if stop is not None:
        found.add(LOCATION, start, stop)


def _place_end(text: str, start: int, end: int, max_words: int = 4) -> int | None:
    """End of a place name (a country from the list, or a place-shaped phrase, whichever is longer)."""
    stops = [country_at(text, start, end, allow_ambiguous=True), place_phrase(text, start, end, max_words=max_words)]
    return max((s for s in stops if s is not None), default=None)


def read_address(text: str, start: int, end: int, found: Fields) -> int:
    """An address written on one line: the comma-separated parts with letters are places (a street, a city,
    a country) and postcodes may sit among them; a run of such parts is one LOCATION, from its first place
    to its last ("4417 Maple Avenue, Apt 2B, Springfield, IL 62704"), so the address is one value whether a
    reader counts it as one place or as several. Returns where the address stops (the end unless a sentence
    ends first, and at most MAX_VALUE characters on)."""
    stop = _sentence_end(text, start, min(end, start + MAX_VALUE))
    parts = []
    for piece in re.finditer(r"[^,;]+", text[start:stop]):
        parts.append((start + piece.start(), start + piece.end()))
    merged: list[tuple[int, int]] = []
    carry = None
    for a, b in parts:
        if carry is not None:
            a = carry
            carry = None
        if re.fullmatch(r"\s*\d{1,5}[A-Za-z]?\s*", text[a:b]) and merged is not None:
            carry = a  # "64, boulevard Leroux": the number belongs to the street after it
            continue
        merged.append((a, b))
    run: tuple[int, int] | None = None  # the places read so far that one LOCATION will span
    for k, (a, b) in enumerate(merged):
        a = _skip_blanks(text, a, b)
        while b > a and text[b - 1] in " \t":
            b -= 1
        # "24039 Hohenmölsen" is a postcode and a city; "7619 Edwin Roads, Austin" starts with a house number.
        first = POSTCODE_FIRST.match(text, a, b) if k > 0 or len(merged) == 1 else None
        if first is not None and not HAS_DIGIT.search(text, first.end(), b):
            a = first.end()
        after = POSTCODE_AFTER.search(text, a, b)
        if after is not None and after.start() > a and not HAS_DIGIT.search(text, a, after.start()):
            b = after.start()
        if POSTCODE_ONLY.fullmatch(text, a, b):
            continue  # a postcode between places stays inside the run
        segment = text[a:b]
        if not any(w[0].isupper() for w in WORD.findall(segment)) or (
                not HAS_DIGIT.search(segment) and not _place_like(text, a, b)):
            if run is not None:
                found.add(LOCATION, *run)
                run = None
            continue
        run = (a, b) if run is None else (run[0], b)
    if run is not None:
        found.add(LOCATION, *run)
    return stop


SENTENCE_END = re.compile(r"[.;](?:\s|$)")
# Abbreviations in addresses whose full stop does not end the sentence ("Apt. 990", "St. Louis").
ADDRESS_ABBREVIATIONS = frozenset("apt st rd ave av blvd dr ln ct no nr str pl sq hwy ste bldg fl mt ft".split())


def _sentence_end(text: str, start: int, end: int) -> int:
    for match in SENTENCE_END.finditer(text, start, end):
        word = WORD.findall(text, max(start, match.start() - 6), match.start())
        if text[match.start()] == "." and word and text[match.start() - len(word[-1]):match.start()] == word[-1] \
                and (word[-1].lower() in ADDRESS_ABBREVIATIONS or len(word[-1]) == 1 or word[-1].endswith("str")):
            continue  # "Apt. 990", "Klotzstr. 82"
        return match.start()
    return end


def _place_like(text: str, start: int, end: int) -> bool:
    """A part of an address without a number: a city, a region or a country, not a sentence."""
    stop = _place_end(text, start, end, max_words=6)
    return stop is not None and stop >= end - 1


def _block_below(text: str, lines: list[Line], index: int, kind: str, found: Fields, blocks_done: set[int]) -> None:
    """A label alone on its line ("Ship to:", "Attendees:"): the lines below, up to a blank or a label."""
    k = index + 1
    first = True
    while k < len(lines) and k <= index + 8:
        line = lines[k]
        body = text[line.start:line.end]
        if not body.strip() or LABEL.match(text, line.start, line.end) and ":" in body:
            break
        start = _skip_blanks(text, line.start, line.end)
        bullet = re.compile(r"[-*•]\s+").match(text, start, line.end)
        if bullet:
            start = bullet.end()
        if kind == PERSON:
            _people(text, start, line.end, "attendees", found)
        elif first and person_phrase(text, start, line.end) == line.end and not HAS_DIGIT.search(body):
            found.add(PERSON, start, line.end)  # "Ship to:" then the addressee's name
        elif STREET_LINE.fullmatch(text, line.start, line.end) or _address_line(text, start, line.end):
            read_address(text, start, line.end, found)
        else:
            stop = _place_end(text, start, line.end)
            if stop is not None and stop >= line.end - 1:
                found.add(LOCATION, start, stop)
        blocks_done.add(k)
        first = False
        k += 1


def _address_line(text: str, start: int, end: int) -> bool:
    """"12345 City", "City 12345", "City, ST 12345"."""
    return _city_of_postcode_line(text, start, end) is not None


def _city_of_postcode_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    start = _skip_blanks(text, start, end)
    first = POSTCODE_FIRST.match(text, start, end)
    if first is not None:
        stop = place_phrase(text, first.end(), end, max_words=5)
        if stop is not None and (stop == end or not text[stop:end].strip(" ,")):
            return first.end(), stop
        return None
    stop = place_phrase(text, start, end, max_words=5)
    if stop is not None and POSTCODE_AFTER.match(text, stop, end):
        return start, stop
    return None


def _signature(text: str, lines: list[Line], index: int, found: Fields, blocks_done: set[int]) -> None:
    """A line that is only a name, under a closing line (maybe after blank lines), then company and
    address lines. The closing may be a non-prose line such as "--", so it is looked up in the text."""
    k = index
    name_line = lines[k]
    if not _after_closing(text, name_line.start):
        return
    start = _skip_blanks(text, name_line.start, name_line.end)
    end = name_line.end
    while end > start and text[end - 1] in " \t,.":
        end -= 1
    stop = person_phrase(text, start, end)
    if stop != end or start == end:
        return
    found.add(PERSON, start, stop)
    blocks_done.add(k)
    # Below the name: "Title | Company", a company line, an address; contact lines are skipped.
    for j in range(k + 1, min(len(lines), k + 7)):
        below = lines[j]
        body = text[below.start:below.end]
        if not body.strip():
            break
        if "@" in body or ":" in body:
            continue
        blocks_done.add(j)
        bar = body.rfind("|")
        if bar < 0:
            bar = body.rfind(" at ") + 3 if " at " in body else -1
        if bar >= 0:
            org_start = _skip_blanks(text, below.start + bar + 1, below.end)
            org = org_phrase(text, org_start, below.end)
            if org is not None and (org.uncommon or org.legal_form):
                found.add(ORGANIZATION, org_start, org.end)
            continue
        start = _skip_blanks(text, below.start, below.end)
        org = org_phrase(text, start, below.end)
        if org is not None and org.end >= below.end - 1 and (org.certain or org.partnership):
            found.add(ORGANIZATION, start, org.end)
            continue
        # Address lines under a signature are read by _address_blocks.
        blocks_done.discard(j)


def _after_closing(text: str, line_start: int) -> bool:
    """Is the last non-blank line before this one a closing ("Best regards,", "Thanks,", "--")?"""
    end = line_start - 1
    for _ in range(3):
        if end < 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        body = text[start:end].strip()
        if body:
            return len(body) <= 40 and CLOSING.fullmatch(body) is not None
        end = start - 1
    return False


def _address_blocks(text: str, lines: list[Line], found: Fields, blocks_done: set[int]) -> None:
    """A street line followed by a postcode-and-city line (and maybe a country line)."""
    for k in range(1, len(lines)):
        if k in blocks_done:
            continue
        city = _city_of_postcode_line(text, lines[k].start, lines[k].end)
        if city is None:
            continue
        previous = lines[k - 1]
        if not STREET_LINE.fullmatch(text, previous.start, previous.end):
            continue
        if (k - 1) not in blocks_done:
            street_start = _skip_blanks(text, previous.start, previous.end)
            found.add(LOCATION, street_start, previous.end)
        found.add(LOCATION, *city)
        if k + 1 < len(lines):
            after = lines[k + 1]
            start = _skip_blanks(text, after.start, after.end)
            stop = country_at(text, start, after.end, allow_ambiguous=True)
            if stop is not None and not text[stop:after.end].strip():
                found.add(LOCATION, start, stop)


def _speakers(text: str, lines: list[Line], found: Fields) -> None:
    """Chat transcripts: two or more lines "Name: chat"; each such name is a person."""
    speakers = []
    for line in lines:
        match = SPEAKER.match(text, line.start, line.end)
        if match is None:
            continue
        name = match.group("name")
        if _normal_label(name) in LABEL_TYPES:
            continue
        start = match.start("name")
        if person_phrase(text, start, match.end("name"), strict=True) != match.end("name"):
            continue
        rest = text[match.end():line.end]
        if " " not in rest.strip() or not CHAT.search(rest):  # chat has words, not one token
            continue
        speakers.append((start, match.end("name")))
    if len(speakers) >= 2:
        for start, end in speakers:
            found.add(PERSON, start, end, SPEAKER_SCORE)

