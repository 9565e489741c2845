"""Names that the words around them point at in running prose: "Hi Anna,", "Dr. Okafor", "Anna's email",
"salary from Legros S.A.R.L.", "I live in Lewisfort", "Lydia Powell (lydia@...)".

The small NER model misses or mistypes names in such places (it takes "Lewisfort" after "live in" for an
organisation and cuts "Tucker, Chambers and Schmidt" into two people and a company). Each cue below is a
short list of words people really use before or after a name, and the value after it must have the shape
of that kind of name (agent/name_shapes.py); weak cues ask for a strict shape (no common word in it).

- person: a greeting or thanks ("Hi", "Dear", "thanks"), a form of address ("Mr", "Dr", "Mme"), a verb
  that takes a person ("meet", "introduce", "ask", "call", "contact"), "my name is", a label used in a
  sentence ("account holder", "name on card"), a name before an e-mail address in brackets, a name before
  "'s email" / "'s phone", an action item "Anna to send ...";
- organisation: a name with a legal form (Inc, GmbH, S.A.R.L., e figli) anywhere; a partnership ("Hunt,
  Simpson and Lam") or an organisation-shaped name after at / for / from / to / with / by;
- place: after "live in", "based in", "in", "near", "moved to" ..., a capitalised name that is no common
  word; a country name from the closed list; an address after "address" or "lives at".

Each cue is one regular-expression pass over the prose plus a few word checks per hit.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

from promptfence.agent.fields import HAS_DIGIT, LOCATION, ORGANIZATION, PERSON, CueEntity, _address
from promptfence.agent.fields import Fields as _Collector
from promptfence.agent.layout import Layout
from promptfence.agent.name_shapes import (
    ORG_OPENERS,
    PERSON_PARTICLES,
    WORD,
    country_at,
    is_capitalised_word,
    is_common,
    org_phrase,
    person_phrase,
    place_phrase,
)

CUE_SCORE = 0.85
WEAK_CUE_SCORE = 0.75

# Words before a person's name. Case-insensitive; the name itself must be capitalised. Greetings may have a
# comma or "!" before the name ("Thanks, Anna"); verbs and labels take the name directly ("meet Anna").
PERSON_BEFORE = re.compile(
    r"\b(?:(?:hi|hello|hey|dear|thanks|thank you|thx|cheers|bye|congrats|congratulations|welcome)[,!]?|"
    r"meet|introduce|introducing|met with|spoke with|spoke to|talked to|talk to|ask|tell|contact|call|"
    r"cc|ping|thank|email|e-mail|text|message|my name is|his name is|her name is|name is|i am|i'm|this is|"
    r"account holder|name on card|name on the card|name on the account is|cardholder|beneficiary|"
    r"signed by|reported by|referred by|approved by|assigned to|"
    r"(?:send|sent|forward|forwarded|give|pass|hand|mail|email|e-mail)(?: (?:it|this|that|them|(?:the|my|our|your) "
    r"[a-z]+))? to)[ \t]+",
    re.IGNORECASE,
)
# A second name joined to a cued one: "forward this to Adrienne and Vincent".
AND_NAME = re.compile(r"[ \t]+(?:and|&)[ \t]+(?=[^\W\d_])")
# Words after a person's name that a company or a place seldom takes: "Anna said", "Margot and I".
PERSON_AFTER = re.compile(
    r"[ \t]+(?:said|says|asked|asks|told|tells|wrote|writes|replied|mentioned|thinks|thought|and I\b|and me\b)\b"
)
# A name spoken to: "Thank you for your order, Justin!", "- Tyler, meet Jeffrey".
VOCATIVE_AFTER = re.compile(
    r"\b(?:thanks|thank you|welcome|congratulations|congrats|sorry|hello|hi|hey|good morning|good evening)\b"
    r"[^.!?\n]{0,40}?,[ \t]+(?=[^\W\d_])",
    re.IGNORECASE,
)
VOCATIVE_END = re.compile(r"[ \t]*[!?.]")
VOCATIVE_BEFORE = re.compile(r"(?:^|(?<=[-–—:;]\s))[ \t]*(?=[^\W\d_])", re.MULTILINE)
VOCATIVE_TAIL = re.compile(r",[ \t]+(?:meet|please|can you|could you|would you|thanks|thank you|welcome|this is)\b",
                           re.IGNORECASE)
# Forms of address: capitalised, with or without a full stop.
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Herr|Frau|Mme|Mlle|Señor|Señora|Sr|Sra)"
                       r"\.?[ \t]+(?=[^\W\d_])")
# What may follow a name the cue found: punctuation, the end, or a word that does not continue a name.
AFTER_NAME = re.compile(r"[ \t]*(?:$|[,.!?;:)\-–—(<]|\n|[a-z])")
# "Anna's email", "Tom's phone number".
POSSESSIVE = re.compile(
    r"['’]s[ \t]+(?:e-?mail|phone|mobile|cell|number|address|birthday|date of birth|passport|account|salary|"
    r"wife|husband|partner|son|daughter|mother|father|manager|boss|desk|flight|contract|cv|resume)\b",
    re.IGNORECASE,
)
# "Anna Berg <anna@x.org>", "Lydia Powell (lydia@x.org)".
EMAIL_AFTER = re.compile(r"[ \t]*[<(][^\s<>()@]{1,64}@[^\s<>()]{1,255}[>)]")
# An action item: "Anna to send the draft", at a clause start.
ACTION = re.compile(r"(?:(?<=[:;]\s)|^[ \t]*[-*•][ \t]+)(?=[^\W\d_])", re.MULTILINE)
ACTION_TAIL = re.compile(r"[ \t]+to[ \t]+[a-z]+\b")

# Words before an organisation: a partnership or an organisation-shaped name after them is one.
ORG_BEFORE = re.compile(r"\b(?:at|for|from|to|with|by|of|join|joined|joining|client|customer|vendor|supplier|"
                        r"whether)[ \t]+(?=[^\W\d_])", re.IGNORECASE)
# Words that say the next name is an employer: any organisation-shaped name after them is one ("works at Boucher").
EMPLOYER_BEFORE = re.compile(r"\b(?:works at|work at|working at|worked at|works for|work for|working for|"
                             r"worked for|employed by|employed at|job at|salary from|wages from)[ \t]+(?=[^\W\d_])",
                             re.IGNORECASE)
# Words after an organisation: a partnership before them is one ("The Roberts, Watson and Long office").
ORG_AFTER = re.compile(r"[ \t]+(?:office|offices|headquarters|hq|branch|team|staff|employees|board|shares|stock|"
                       r"signed|wants|announced|reported|invoiced|billed)\b|['’]s[ \t]+(?:ceo|cfo|cto|office|staff)\b",
                       re.IGNORECASE)
# Words before a place.
PLACE_BEFORE = re.compile(
    r"\b(?:live in|lives in|living in|lived in|based in|located in|born in|grew up in|raised in|moved to|"
    r"moving to|relocated to|relocating to|travelling to|traveling to|travelled to|traveled to|flying to|"
    r"fly to|flew to|drove to|drive to|driving to|trip to|weekend in|holiday in|vacation in|visiting|visited|"
    r"arrived in|arriving in|staying in|stayed in|office in|offices in|headquartered in|room in|am in|I'm in|"
    r"be in|in|In|near)[ \t]+(?=[^\W\d_])",
)
# Cue words that are enough alone; "in" and "near" need NER to agree that a name follows.
WEAK_PLACE_WORDS = ("in", "In", "near")
# After a place: punctuation, the end, or a word that ends the place ("in Paris next week").
AFTER_PLACE = re.compile(
    r"[ \t]*(?:$|[,.!?;:)\n]|(?:next|last|this|on|for|and|or|office|area|region|today|tomorrow|yesterday|soon|"
    r"since|until|with|where|to|at|by|but|during|before|after|because|if|when|so)\b)"
)
ADDRESS_BEFORE = re.compile(
    r"\b(?:(?:residential|home|postal|mailing|billing|shipping|delivery|street|current|new) address(?: is)?|"
    r"my address is|lives at|living at|live at|resides at|arrived at|delivered to|correspondence to|near)[ \t:]+"
    r"(?=[^\W_])",
    re.IGNORECASE,
)
# A house number after a preposition: an address when a place follows after a comma ("near 12 Elm Road, Leeds").
NUMBER_ADDRESS_BEFORE = re.compile(r"\b(?:at|to|near|on|from)[ \t]+(?=\d{1,5}[A-Za-z]?[ \t]+[^\W\d_])")


def find_cues(text: str, layout: Layout, ner_spans: Sequence[tuple[int, int]] = ()) -> list[CueEntity]:
    """Cue entities in the layout's prose. `ner_spans`: where NER found names of any type; a weak place cue
    ("in X") counts only where NER agrees that X is a name."""
    found = _Collector()
    ner = sorted(ner_spans)
    for start, end in layout.prose:
        _people(text, start, end, found, ner)
        _organisations(text, start, end, found)
        _places(text, start, end, found, ner)
        _addresses(text, start, end, found)
    return [CueEntity(e.type, e.start, e.end, e.score, "cue") for e in found.entities]


def _name_after(text: str, pos: int, end: int, *, strict: bool = True, max_words: int = 3) -> int | None:
    stop = person_phrase(text, pos, end, strict=strict, max_words=max_words)
    if stop is None or not AFTER_NAME.match(text, stop, end):
        return None
    return stop


def _people(text: str, start: int, end: int, found: _Collector, ner: Sequence[tuple[int, int]]) -> None:
    for match in PERSON_BEFORE.finditer(text, start, end):
        pos = match.end()
        honorific = HONORIFIC.match(text, pos, end)
        if honorific is not None:
            pos = honorific.end()
        stop = _name_after(text, pos, end)
        if stop is not None:
            found.add(PERSON, pos, stop, CUE_SCORE)
            joined = AND_NAME.match(text, stop, end)
            second = _name_after(text, joined.end(), end) if joined else None
            if second is not None:
                found.add(PERSON, joined.end(), second, CUE_SCORE)
    # "Anna said": only where NER saw no name at all (a company says things too, and NER knows many).
    for match in PERSON_AFTER.finditer(text, start, end):
        name_start = _name_start_before(text, match.start(), start, max_words=3)
        if (name_start is not None and person_phrase(text, name_start, match.start(), strict=True) == match.start()
                and not _overlaps_any(ner, name_start, match.start())):
            found.add(PERSON, name_start, match.start(), WEAK_CUE_SCORE)
    for match in HONORIFIC.finditer(text, start, end):
        stop = _name_after(text, match.end(), end, strict=False)
        if stop is not None:
            found.add(PERSON, match.end(), stop, CUE_SCORE)
    for match in POSSESSIVE.finditer(text, start, end):
        name_start = _name_start_before(text, match.start(), start)
        if name_start is not None and person_phrase(text, name_start, match.start(), strict=True) == match.start():
            found.add(PERSON, name_start, match.start(), CUE_SCORE)
    for match in EMAIL_AFTER.finditer(text, start, end):
        name_start = _name_start_before(text, match.start(), start)
        if name_start is not None and person_phrase(text, name_start, match.start(), strict=True) == match.start():
            found.add(PERSON, name_start, match.start(), CUE_SCORE)
    for match in VOCATIVE_AFTER.finditer(text, start, end):
        stop = person_phrase(text, match.end(), end, strict=True, max_words=2)
        if stop is not None and VOCATIVE_END.match(text, stop, end):
            found.add(PERSON, match.end(), stop, CUE_SCORE)
    for match in VOCATIVE_BEFORE.finditer(text, start, end):
        stop = person_phrase(text, match.end(), end, strict=True, max_words=2)
        if stop is not None and VOCATIVE_TAIL.match(text, stop, end):
            found.add(PERSON, match.end(), stop, CUE_SCORE)
    for match in ACTION.finditer(text, start, end):
        stop = person_phrase(text, match.end(), end, strict=True, max_words=2)
        if stop is not None and ACTION_TAIL.match(text, stop, end):
            found.add(PERSON, match.end(), stop, WEAK_CUE_SCORE)


def _name_start_before(text: str, pos: int, limit: int, max_words: int = 4) -> int | None:
    """Start of the run of capitalised words (and name particles) that ends at `pos`."""
    start = None
    i = pos
    for _ in range(max_words):
        j = i
        while j > limit and (text[j - 1].isalpha() or text[j - 1] in "'’-"):
            j -= 1
        if j == i:
            break
        word = text[j:i]
        if word in PERSON_PARTICLES and start is not None:
            pass  # "Julien du Olivier": a particle inside the name
        elif not (is_capitalised_word(word) or (len(word) == 1 and word.isupper())):
            break
        else:
            start = j
        if j - 1 <= limit or text[j - 1] != " ":
            break
        i = j - 1
    return start


def _organisations(text: str, start: int, end: int, found: _Collector) -> None:
    # Partnerships and organisation-shaped names after a preposition.
    for match in ORG_BEFORE.finditer(text, start, end):
        org = org_phrase(text, match.end(), end)
        if org is not None and (org.certain or org.partnership):
            found.add(ORGANIZATION, match.end(), org.end, CUE_SCORE)
    # After "works at": any capitalised name that is not all common words.
    for match in EMPLOYER_BEFORE.finditer(text, start, end):
        org = org_phrase(text, match.end(), end, max_words=5)
        if org is not None and (org.uncommon or org.legal_form):
            found.add(ORGANIZATION, match.end(), org.end, CUE_SCORE)
    # An organisation's opening word anywhere: "Koninklijke van Dam", "Stichting van Loon".
    for match in ORG_OPENER.finditer(text, start, end):
        org = org_phrase(text, match.start(), end)
        if org is not None and org.legal_form:
            found.add(ORGANIZATION, match.start(), org.end, CUE_SCORE)
    # A partnership before "office", "signed", "'s CEO".
    for match in ORG_AFTER.finditer(text, start, end):
        list_start = _org_start_before(text, match.start(), start, max_words=6)
        if list_start is None:
            continue
        org = org_phrase(text, list_start, match.start())
        if org is not None and org.end == match.start() and (org.partnership or org.certain):
            found.add(ORGANIZATION, list_start, org.end, CUE_SCORE)
    # A legal form anywhere ends an organisation's name: find where the name starts.
    for match in LEGAL_FORM_WORD.finditer(text, start, end):
        name_start = _org_start_before(text, match.start(), start)
        if name_start is None:
            continue
        org = org_phrase(text, name_start, end)
        if org is not None and org.legal_form and org.end >= match.end() - 1:
            found.add(ORGANIZATION, name_start, org.end, CUE_SCORE)


ORG_OPENER = re.compile(r"\b(?:" + "|".join(sorted(w.capitalize() for w in ORG_OPENERS)) + r")[ \t]+(?=[^\W\d_])")
# A candidate legal-form word, checked properly by org_phrase.
LEGAL_FORM_WORD = re.compile(
    r"(?<=[^\W\d_]) (?:Inc|LLC|L\.L\.C|LLP|Ltd|Limited|PLC|plc|Corp|Corporation|GmbH|AG|KG|KGaA|OHG|GbR|SE|SA|S\.A|"
    r"SAS|S\.A\.S|SARL|S\.A\.R\.L|SL|S\.L|S\.L\.N\.E|S\.Coop|S\.Com|SpA|S\.p\.A|SPA|Srl|S\.r\.l|s\.r\.l|BV|B\.V|"
    r"NV|N\.V|AB|ASA|Oy|Oyj|ApS|Pty|Group|Groep|Grupo|Gruppe|Holdings?|Partners|Associates|and Sons|& Sons|"
    r"e figli|et Fils|y asociados|& Asociados|& Co|(?:[A-Z][a-z]?\.){1,3}[A-Z]?)(?![\w])"
)


def _org_start_before(text: str, pos: int, limit: int, max_words: int = 5) -> int | None:
    """Start of the capitalised words (joined by "&", "and", "e", "y", hyphens, or ", " in a partnership)
    that end at `pos`; a common word ("The", "CEO") is not part of them."""
    start = None
    i = pos
    for _ in range(max_words):
        j = i
        while j > limit and (text[j - 1].isalpha() or text[j - 1] in "'’-&"):
            j -= 1
        if j == i:
            break
        word = text[j:i]
        if (is_capitalised_word(word) or (word.isupper() and len(word) >= 2)) and not is_common(word):
            start = j
        elif word.lower() not in ("&", "and", "e", "y", "et", "und", "of", "de", "van", "der"):
            break
        if j - 2 > limit and text[j - 2:j] == ", ":
            i = j - 2
        elif j - 1 > limit and text[j - 1] == " ":
            i = j - 1
        else:
            break
    return start


def _places(text: str, start: int, end: int, found: _Collector, ner: Sequence[tuple[int, int]]) -> None:
    for match in PLACE_BEFORE.finditer(text, start, end):
        pos = match.end()
        stop = country_at(text, pos, end)
        if stop is None:
            stop = place_phrase(text, pos, end, strict=True)
        if stop is None or not AFTER_PLACE.match(text, stop, end):
            continue
        if match.group().split()[0] not in WEAK_PLACE_WORDS:
            found.add(LOCATION, pos, stop, CUE_SCORE)
        elif _overlaps_any(ner, pos, stop):
            found.add(LOCATION, pos, stop, WEAK_CUE_SCORE)
    # Country names anywhere (the ambiguous ones, "Jordan", only where an address or a cue puts them).
    for match in CAPITALISED.finditer(text, start, end):
        stop = country_at(text, match.start(), end)
        if stop is not None and not _continues_a_name(text, stop, end):
            found.add(LOCATION, match.start(), stop, CUE_SCORE)


def _overlaps_any(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect_left(spans, (end, end)) - 1
    while k >= 0 and spans[k][0] < end:
        if spans[k][1] > start:
            return True
        k -= 1
        if end - spans[k + 1][0] > 200:  # spans are short; no need to look further back
            break
    return False


CAPITALISED = re.compile(r"(?<![\w'’-])[^\W\d_a-z]")


def _continues_a_name(text: str, stop: int, end: int) -> bool:
    """"Chad Smith", "Holland & Knight": a capitalised word or '&' right after means this is part of a name."""
    match = re.compile(r"[ \t]+(&|[^\W\d_]+)").match(text, stop, end)
    return match is not None and (match.group(1) == "&" or is_capitalised_word(match.group(1)))


def _address_end(text: str, start: int, end: int) -> int:
    """An address in a sentence ends with its line, unless the line holds only "Flat 3" or "Studio 48"
    (an address pasted with its line break): then it ends with the next line."""
    line_end = text.find("\n", start, end)
    if line_end < 0:
        return end
    if line_end - start <= 12 and HAS_DIGIT.search(text, start, line_end):
        next_end = text.find("\n", line_end + 1, end)
        return end if next_end < 0 else next_end
    return line_end


def _addresses(text: str, start: int, end: int, found: _Collector) -> None:
    for match in ADDRESS_BEFORE.finditer(text, start, end):
        _address(text, match.end(), _address_end(text, match.end(), end), found)
    for match in NUMBER_ADDRESS_BEFORE.finditer(text, start, end):
        parts = _Collector()
        _address(text, match.end(), _address_end(text, match.end(), end), parts)
        if len(parts.entities) >= 2 and HAS_DIGIT.search(text, parts.entities[0].start, parts.entities[0].end):
            found.entities.extend(parts.entities)
