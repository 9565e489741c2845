"""Names that the words around them point at in running prose: "Hi Anna,", "Dr. Okafor", "Anna's email",
"salary from Legros S.A.R.L.", "I live in Lewisfort", "Lydia Powell (lydia@...)".

The small NER model misses or mistypes names in such places (it takes "Lewisfort" after "live in" for an
organisation and cuts "Tucker, Chambers and Schmidt" into two people and a company). Each cue is a short
list of words people really use before or after a name, and the value must have the shape of that kind of
name (agent/name_shapes.py); weak cues ask for a strict shape (no common word in it).

- person: a greeting or thanks ("Hi", "Dear", "thanks,"), a form of address ("Mr", "Dr", "Mme"), a verb
  that takes a person ("meet", "ask", "call", "send the report to"), "my name is", a label used in a
  sentence ("account holder", "name on card"); after the name: "'s email", an e-mail address in brackets,
  "said", "and I"; a name spoken to ("Thank you for your order, Justin!", "Tyler, meet ..."); an action
  item ("Actions: Anna to send ...");
- organisation: a legal form (Inc, GmbH, S.A.R.L., e figli) or an opening word (Stichting, Grupo)
  anywhere; a partnership ("Hunt, Simpson and Lam") or an organisation-shaped name after at / for / from /
  to / by, or before "office" / "signed"; any capitalised name after "works at" / "salary from";
- place: a capitalised name that is no common word after "live in", "based in", "moved to", "drove to" ...,
  and after a bare "in" / "near" where NER agrees that a name is there; a country from the closed list;
  an address after "residential address", "lives at", or a house number after "at" / "near".

After NER, retype_ner corrects its type by the same kind of evidence: an organisation shaped like a
person's name (two or three capitalised words, no company word) after "for" / "with" / "was" / a person
cue or a heading dash, or opening a clause before "moved" / "asked" ..., is a person; an organisation (or
a one-word person) shaped like a place after "in" / "near", or after "from" / "to" following a word of
going ("moved", "flight"), is a place.

Cost: the scan is driven by the capitalised words (and numbers, for addresses) of the prose, one regular-
expression pass to find them; each is checked against the few words before it by set look-ups and against
what follows by anchored matches. About 0.1 ms per KB of prose.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Sequence

from promptfence.agent.fields import (
    HAS_DIGIT,
    LOCATION,
    MAX_VALUE,
    ORGANIZATION,
    PERSON,
    CueEntity,
    Fields,
    read_address,
)
from promptfence.agent.layout import Layout
from promptfence.agent.name_shapes import (
    HONORIFICS,
    LEGAL_FORMS,
    ORG_HEADS,
    ORG_OPENERS,
    PLACE_MODIFIERS,
    country_at,
    is_capitalised_word,
    is_common,
    org_phrase,
    person_phrase,
    place_phrase,
)

CUE_SCORE = 0.85
WEAK_CUE_SCORE = 0.75

# Where a cue may point: a word starting with a capital letter or a digit, not inside another word.
ANCHOR = re.compile(r"(?<![\w'’.@/-])[^\W_a-z]")
# The words before an anchor, read from a short window.
WORDS_BEFORE = re.compile(r"\w[\w'’-]*")
WINDOW = 48


def _phrases(block: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(p.split()) for p in block.replace("\n", " ").split("|") if p.strip())


# Greetings: a comma or "!" may stand between them and the name ("Thanks, Anna").
GREETINGS = _phrases("hi|hello|hey|dear|thanks|thank you|thx|cheers|bye|congrats|congratulations|welcome|morning|"
                     "good morning|good evening")
# Words that take a person's name directly after them ("meet Anna", "my name is Anna").
PERSON_BEFORE = _phrases(
    """meet|introduce|introducing|met with|spoke with|spoke to|talked to|talk to|ask|tell|contact|call|cc|ping|
    thank|email|e-mail|text|message|my name is|his name is|her name is|name is|i am|i'm|this is|account holder|
    name on card|name on the card|name on the account is|cardholder|beneficiary|signed by|reported by|
    referred by|approved by|assigned to|
    contractor|customer|client|patient|employee|passenger|tenant|applicant|candidate|colleague|coworker|
    co-worker|manager|boss|intern|new hire|friend|neighbour|neighbor|brother|sister|wife|husband|son|daughter|
    mother|father|uncle|aunt|cousin|ceo|cto|cfo|founder|lawyer|attorney|doctor|nurse|teacher|tutor|landlord|
    invite|invited|inviting|hire|hired|hiring|thank|congratulate|remind|notify|inform|
    reach|ring|phone|page|pay|paid|refund|remove|transfer to|wire to|payment to|paid to|
    led by|written by|sent by|prepared by|hosted by|presented by|organised by|organized by|managed by|
    requested by|submitted by|reviewed by|authored by|interviewed|interview with|meeting with|call with|
    lunch with|dinner with|appointment for|appointment with|confirmed for|booked for|booking for|
    reservation for|order for|package for|parcel for|delivery for|prescription for|license of|licence of|
    passport of|ssn of|account of|address of|details of|record of|records of|file of|salary of|
    user|member|guest|visitor|subscriber|resident|congratulations to|congrats to|thanks to|shout out to|
    shoutout to|on behalf of"""
)
# A role word is followed by a company as often as by a person ("our client Acme Ltd"): not if org-shaped.
ROLE_WORDS = frozenset("client customer".split())
# "send it to Anna", "forward the report to Anna".
SEND_VERBS = frozenset("send sent forward forwarded give pass hand mail email e-mail".split())
SEND_OBJECTS = frozenset("it this that them".split())
DETERMINERS = frozenset("the my our your".split())
AND_NAME = re.compile(r"[ \t]+(?:and|&)[ \t]+(?=[^\W\d_])")
# What may follow a cued name: punctuation, the end, or a lower-case word.
AFTER_NAME = re.compile(r"[ \t]*(?:$|[,.!?;:)\-–—(<]|\n|[a-z])")
# After a name: "'s email", "(anna@x.org)", "said".
POSSESSIVE = re.compile(
    r"['’]s[ \t]+(?:e-?mail|phone|mobile|cell|number|address|birthday|date of birth|passport|account|salary|"
    r"wife|husband|partner|son|daughter|mother|father|manager|boss|desk|flight|contract|cv|resume)\b",
    re.IGNORECASE,
)
EMAIL_AFTER = re.compile(r"[ \t]*[<(][^\s<>()@]{1,64}@[^\s<>()]{1,255}[>)]")
PERSON_AFTER = re.compile(
    r"[ \t]+(?:said|says|asked|asks|told|tells|wrote|writes|replied|mentioned|thinks|thought|and I|and me)\b"
)
# "Victoria from accounting": a person of a department.
DEPARTMENT_AFTER = re.compile(
    r"[ \t]+from[ \t]+(?:accounting|accounts|finance|hr|sales|marketing|legal|support|it|engineering|ops|operations|"
    r"procurement|purchasing|payroll|security|design|product|compliance|the [a-z]+ (?:team|department|office))\b"
)
# A name spoken to: "Thank you for your order, Justin!", "Tyler, meet Jeffrey".
VOCATIVE_OPENER = re.compile(
    r"\b(?:thanks|thank you|welcome|congratulations|congrats|sorry|hello|hi|hey|good morning|good evening)\b",
    re.IGNORECASE,
)
VOCATIVE_END = re.compile(r"[ \t]*[!?.]")
VOCATIVE_TAIL = re.compile(r",[ \t]+(?:meet|please|can you|could you|would you|thanks|thank you|welcome|this is)\b",
                           re.IGNORECASE)
# An action item after "Actions:" or "; ": "Anna to send the draft".
ACTION_TAIL = re.compile(r"[ \t]+to[ \t]+[a-z]+\b")

# Words after which a partnership or an organisation-shaped name is an organisation.
ORG_BEFORE = frozenset("at for from to with by of join joined joining client customer vendor supplier whether".split())
# Words after which any capitalised name is an employer.
EMPLOYER_BEFORE = _phrases(
    "works at|work at|working at|worked at|works for|work for|working for|worked for|employed by|employed at|"
    "job at|salary from|wages from"
)
# Words after a partnership that make it an organisation: "The Roberts, Watson and Long office".
ORG_AFTER = re.compile(r"[ \t]+(?:office|offices|headquarters|hq|branch|team|staff|employees|board|shares|stock|"
                       r"signed|wants|announced|reported|invoiced|billed)\b|['’]s[ \t]+(?:ceo|cfo|cto|office|staff)\b",
                       re.IGNORECASE)
LEGAL_FORM_HINT = re.compile(
    r" (?:Inc|LLC|L\.L\.C|LLP|Ltd|Limited|PLC|plc|Corp|Corporation|GmbH|AG|KG|KGaA|OHG|GbR|SE|SA|SAS|SARL|SL|SpA|"
    r"SPA|Srl|BV|NV|AB|ASA|Oy|Oyj|ApS|Pty|Group|Groep|Grupo|Gruppe|Holdings?|Partners|Associates|and Sons|& Sons|"
    r"e figli|et Fils|y asociados|& Asociados|& Co|(?:[A-Z][a-z]?\.){1,3}[A-Z]?|[a-z]\.[A-Z]\.)(?![\w])"
)

# Words before a place; "in", "In" and "near" are weak: NER must agree that a name is there.
PLACE_BEFORE = _phrases(
    """live in|lives in|living in|lived in|based in|located in|born in|grew up in|raised in|moved to|moving to|
    relocated to|relocating to|travelling to|traveling to|travelled to|traveled to|flying to|fly to|flew to|
    drove to|drive to|driving to|trip to|weekend in|holiday in|vacation in|visiting|visited|arrived in|
    arriving in|staying in|stayed in|office in|offices in|headquartered in|room in|am in|i'm in|be in|
    i'm from|i am from|am from|are from|come from|comes from|came from|originally from|moved from|far from|
    flew from|drove from|travelled from|traveled from|relocated from|hail from|hails from|miles from|km from|
    city is|town is|country is|hometown is|city of|town of|held in|hotel in|hotels in|apartment in|flat in|
    house in|home in|team in|teams in|branch in|store in|shop in|plant in|factory in|warehouse in|workshop in|
    conference in|campus in|hospital in|school in|university in"""
)
WEAK_PLACE_BEFORE = frozenset(("in", "near"))
# After a place: punctuation, the end, or a word that ends the place ("in Paris next week").
AFTER_PLACE = re.compile(
    r"[ \t]*(?:$|[,.!?;:)\n]|(?:next|last|this|on|for|and|or|office|area|region|today|tomorrow|yesterday|soon|"
    r"since|until|with|where|to|at|by|but|during|before|after|because|if|when|so|is|are|was|were|has|have|had|"
    r"will|would|can|could)\b)"
)
# Words before an address; a house number after "at" / "near" ... too, if a place follows after a comma.
ADDRESS_BEFORE = _phrases(
    """residential address|home address|postal address|mailing address|billing address|shipping address|
    delivery address|street address|current address|new address|residential address is|home address is|
    my address is|address is|lives at|living at|live at|resides at|arrived at|delivered to|correspondence to|
    near"""
)
NUMBER_ADDRESS_BEFORE = frozenset("at to near on from".split())
HOUSE_NUMBER = re.compile(r"\d{1,5}[A-Za-z]?[ \t]+[^\W\d_]")

# The last word of each cue phrase: most anchors are ruled out by one set look-up.
_LAST_WORDS = {phrases: frozenset(p[-1] for p in phrases)
               for phrases in (GREETINGS, PERSON_BEFORE, EMPLOYER_BEFORE, PLACE_BEFORE, ADDRESS_BEFORE)}
HONORIFIC_AT = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Herr|Frau|Mme|Mlle|Señor|Señora|Sr|Sra)"
                          r"\.?[ \t]+(?=[^\W\d_])")
# Cheap look-aheads for _person_by_what_follows: is the cue's mark anywhere in the next characters?
AFTER_MARK = re.compile(r"['’]s |[<(][^\s<>()]*@| (?:said|says|asked|asks|told|tells|wrote|writes|replied|mentioned|"
                        r"thinks|thought|and I|and me)\b|[ ,]\+?[\d(][\d ()./-]{6}| \((?:[Tt]el|[Pp]hone|\+?\d)| from [a-z]")
# A contact line: "Domitila Antón, +34 634 602 209" at the start of a sentence or a line; or the number in
# brackets after the name, anywhere ("Carlota Naranjo (+34 842 52 46 49) asked for a callback").
PHONE_AFTER = re.compile(r",?[ \t]+\+?[\d(][\d ()./-]{6,}\d")
PHONE_IN_BRACKETS = re.compile(r"[ \t]+\((?:tel\.?:?[ \t]*|phone:?[ \t]*)?\+?\d[\d ()./-]{5,}\d\)", re.IGNORECASE)
VOCATIVE_TAIL_HINT = re.compile(r", (?:meet|please|can|could|would|thanks|thank|welcome|this)\b", re.IGNORECASE)
ACTION_HINT = re.compile(r" to [a-z]")
BULLET_GAP = re.compile(r"\s*\n[ \t]*[-*•][ \t]+")
ANCHOR_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


@dataclass
class Cues:
    """What the cues found: names that stand alone, and names that depend on NER's view (see resolve)."""

    entities: list[CueEntity] = field(default_factory=list)
    # (entity, True): only where NER agrees a name is there ("in X"); (entity, False): only where NER saw
    # none ("X said": NER's reading of "Google said" stands).
    pending: list[tuple[CueEntity, bool]] = field(default_factory=list)

    def resolve(self, ner_spans: Sequence[tuple[int, int]]) -> list[CueEntity]:
        """All cue entities, the pending ones kept or not by where NER found names (of any type)."""
        spans = sorted(ner_spans)
        return self.entities + [e for e, needs_ner in self.pending
                                if _overlaps_any(spans, e.start, e.end) == needs_ner]


def find_cues(text: str, layout: Layout) -> Cues:
    """Cue entities in the layout's prose. They are found before NER runs, so NER can skip names they
    already know; the few that depend on NER are returned as pending."""
    found, needs_ner, needs_no_ner = Fields(), Fields(), Fields()
    for start, end in layout.prose:
        for match in ANCHOR.finditer(text, start, end):
            pos = match.start()
            if text[pos].isdigit():
                if HOUSE_NUMBER.match(text, pos, end):  # "12 Elm Road", not a date or a phone number
                    _address_at(text, pos, start, end, found, number=True)
            elif text[pos].isupper():
                word = ANCHOR_WORD.match(text, pos, end)
                if word is not None and _may_start_a_name(text, word, end):
                    _anchor(text, pos, start, end, found, needs_ner, needs_no_ner)
        _legal_forms(text, start, end, found)
    cues = Cues([_as_cue(e) for e in found.entities])
    cues.pending = [(_as_cue(e), True) for e in needs_ner.entities] + [(_as_cue(e), False) for e in needs_no_ner.entities]
    return cues


def _as_cue(entity: CueEntity) -> CueEntity:
    return CueEntity(entity.type, entity.start, entity.end, entity.score, "cue")


def _may_start_a_name(text: str, word: re.Match, end: int) -> bool:
    """A common word starts no cued name, unless it is a form of address ("Mr"), a place opener ("New
    York"), or a surname that a comma or another capitalised word follows ("Page, Mclaughlin and Robertson",
    "Long LLC")."""
    lower = word.group().lower()
    if not is_common(word.group()) or lower in HONORIFICS or lower in PLACE_MODIFIERS:
        return True
    after = word.end()
    return text.startswith(", ", after) or (after + 1 < end and text[after] == " " and text[after + 1].isupper())


def _before(text: str, pos: int, start: int) -> tuple[list[str], str]:
    """Up to four lower-cased words before `pos`, and what separates the last of them from `pos`."""
    window = text[max(start, pos - WINDOW):pos]
    words = WORDS_BEFORE.findall(window)
    if not words:
        return [], window
    last = window.rfind(words[-1])
    return [w.lower() for w in words[-5:]], window[last + len(words[-1]):]


def _ends_with(words: list[str], phrases: frozenset[tuple[str, ...]]) -> bool:
    if not words or words[-1] not in _LAST_WORDS[phrases]:
        return False
    return any(tuple(words[-n:]) in phrases for n in (1, 2, 3, 4, 5) if len(words) >= n)


def _anchor(text: str, pos: int, start: int, end: int, found: Fields, needs_ner: Fields, needs_no_ner: Fields) -> None:
    words, gap = _before(text, pos, start)
    plain_gap = gap in (" ", "\t")
    previous = text[pos - 1 - len(words[-1]):pos - 1] if words else ""
    first_of_run = not (plain_gap and is_capitalised_word(previous) and not is_common(previous))
    # --- people -------------------------------------------------------------------------------------------
    cued = plain_gap and (_ends_with(words, PERSON_BEFORE) or _send_to(words))
    greeted = _ends_with(words, GREETINGS) and gap.strip(" \t") in ("", ",", "!")
    if cued or greeted:
        # "forward this to Nguyen Group", "our client Acme Ltd": an organisation-shaped name is one.
        org = org_phrase(text, pos, end)
        if org is not None and (org.certain or (org.partnership and words[-1] in ROLE_WORDS)):
            found.add(ORGANIZATION, pos, org.end, CUE_SCORE)
            cued = greeted = False
    if cued or greeted:
        stop = _name_after(text, pos, end)
        if stop is not None:
            found.add(PERSON, pos, stop, CUE_SCORE)
            joined = AND_NAME.match(text, stop, end)
            second = _name_after(text, joined.end(), end) if joined else None
            if second is not None:
                found.add(PERSON, joined.end(), second, CUE_SCORE)
    honorific = HONORIFIC_AT.match(text, pos, end)
    if honorific is not None:
        stop = _name_after(text, honorific.end(), end, strict=False)
        if stop is not None:
            found.add(PERSON, honorific.end(), stop, CUE_SCORE)
    if first_of_run:
        _person_by_what_follows(text, pos, start, end, words, gap, found, needs_no_ner)
    # --- organisations ------------------------------------------------------------------------------------
    if plain_gap and words and words[-1] in ORG_BEFORE:
        org = org_phrase(text, pos, end)
        if org is not None and (org.certain or org.partnership):
            found.add(ORGANIZATION, pos, org.end, CUE_SCORE)
    if plain_gap and _ends_with(words, EMPLOYER_BEFORE):
        org = org_phrase(text, pos, end, max_words=5)
        if org is not None and (org.uncommon or org.legal_form):
            found.add(ORGANIZATION, pos, org.end, CUE_SCORE)
    if first_of_run and text.startswith(", ", pos + _word_length(text, pos, end)):
        org = org_phrase(text, pos, end)
        if org is not None and org.partnership and ORG_AFTER.match(text, org.end, end):
            found.add(ORGANIZATION, pos, org.end, CUE_SCORE)
    if text[pos:pos + 12].split(" ")[0].lower() in ORG_OPENERS:
        org = org_phrase(text, pos, end)
        if org is not None and org.legal_form:
            found.add(ORGANIZATION, pos, org.end, CUE_SCORE)
    # --- places -------------------------------------------------------------------------------------------
    if plain_gap and words:
        strong = _ends_with(words, PLACE_BEFORE)
        if strong or words[-1] in WEAK_PLACE_BEFORE:
            stop = country_at(text, pos, end)
            if stop is None:
                stop = place_phrase(text, pos, end, strict=True)
            if stop is not None and AFTER_PLACE.match(text, stop, end):
                if strong:
                    found.add(LOCATION, pos, stop, CUE_SCORE)
                else:
                    needs_ner.add(LOCATION, pos, stop, WEAK_CUE_SCORE)
    stop = country_at(text, pos, end)
    if stop is not None and not _continues_a_name(text, stop, end):
        found.add(LOCATION, pos, stop, CUE_SCORE)
    _address_at(text, pos, start, end, found, number=False, words=words, gap=gap)


def _word_length(text: str, pos: int, end: int) -> int:
    word = ANCHOR_WORD.match(text, pos, end)
    return word.end() - pos if word else 0


def _send_to(words: list[str]) -> bool:
    """"send to", "forward it to", "send the report to"."""
    if not words or words[-1] != "to":
        return False
    if len(words) >= 2 and words[-2] in SEND_VERBS:
        return True
    if len(words) >= 3 and words[-3] in SEND_VERBS and words[-2] in SEND_OBJECTS:
        return True
    return len(words) >= 4 and words[-4] in SEND_VERBS and words[-3] in DETERMINERS


def _name_after(text: str, pos: int, end: int, *, strict: bool = True, max_words: int = 3) -> int | None:
    stop = person_phrase(text, pos, end, strict=strict, max_words=max_words)
    if stop is None or not AFTER_NAME.match(text, stop, end):
        return None
    return stop


def _person_by_what_follows(text: str, pos: int, start: int, end: int, words: list[str], gap: str,
                            found: Fields, needs_no_ner: Fields) -> None:
    """A name known by what comes after it: "'s email", "(anna@...)", "said", ", meet", " to send"; or
    spoken to after a comma ("Thank you for your order, Justin!"). Cheap tests on the gap and the next
    characters come first; the name is parsed only when one of them holds."""
    ahead = min(end, pos + 80)
    marked = AFTER_MARK.search(text, pos, ahead) is not None
    clause_start = not words or gap.rstrip(" \t").endswith(("-", "–", "—")) or "\n" in gap
    sentence_start = gap.rstrip(" \t").endswith((".", "?", "!"))
    vocative_tail = clause_start and VOCATIVE_TAIL_HINT.search(text, pos, ahead) is not None
    after_colon = gap.rstrip(" \t").endswith((":", ";")) or BULLET_GAP.fullmatch(gap) is not None
    action = after_colon and ACTION_HINT.search(text, pos, ahead) is not None
    vocative = gap.strip(" \t") == "," and VOCATIVE_OPENER.search(text, max(start, pos - 60), pos) is not None
    if not (marked or vocative_tail or action or vocative):
        return
    stop = person_phrase(text, pos, end, strict=True, max_words=4)
    if stop is None:
        return
    if marked and (POSSESSIVE.match(text, stop, end) or EMAIL_AFTER.match(text, stop, end)
                   or DEPARTMENT_AFTER.match(text, stop, end) or PHONE_IN_BRACKETS.match(text, stop, end)
                   or (clause_start or sentence_start) and PHONE_AFTER.match(text, stop, end)):
        found.add(PERSON, pos, stop, CUE_SCORE)
    elif marked and PERSON_AFTER.match(text, stop, end):
        # NER's own reading stands where it saw a name ("Google said" stays an organisation).
        needs_no_ner.add(PERSON, pos, stop, WEAK_CUE_SCORE)
    elif vocative_tail and VOCATIVE_TAIL.match(text, stop, end):
        found.add(PERSON, pos, stop, CUE_SCORE)
    else:
        short = person_phrase(text, pos, end, strict=True, max_words=2)
        if short is None:
            return
        if action and ACTION_TAIL.match(text, short, end):
            found.add(PERSON, pos, short, WEAK_CUE_SCORE)
        elif vocative and VOCATIVE_END.match(text, short, end):
            sentence = text[max(start, pos - 60):pos]
            cut = max(sentence.rfind("."), sentence.rfind("!"), sentence.rfind("?"), sentence.rfind("\n"))
            if VOCATIVE_OPENER.search(sentence, cut + 1):
                found.add(PERSON, pos, short, CUE_SCORE)


def _legal_forms(text: str, start: int, end: int, found: Fields) -> None:
    """A legal form ends an organisation's name anywhere: find where the name starts, then read it."""
    for match in LEGAL_FORM_HINT.finditer(text, start, end):
        name_start = _org_start_before(text, match.start(), start)
        if name_start is None:
            continue
        org = org_phrase(text, name_start, end)
        if org is not None and org.legal_form and org.end >= match.end() - 1:
            found.add(ORGANIZATION, name_start, org.end, CUE_SCORE)


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


def _overlaps_any(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect_left(spans, (end, end)) - 1
    while k >= 0:
        if spans[k][1] > start:
            return True
        if end - spans[k][0] > 200:  # names are short; nothing further back reaches this far
            break
        k -= 1
    return False


NEXT_WORD = re.compile(r"[ \t]+(&|[^\W\d_]+)")


def _continues_a_name(text: str, stop: int, end: int) -> bool:
    """"Chad Smith", "Holland & Knight": a capitalised word or '&' right after means this is part of a name."""
    match = NEXT_WORD.match(text, stop, end)
    return match is not None and (match.group(1) == "&" or is_capitalised_word(match.group(1)))


def _address_end(text: str, start: int, end: int) -> int:
    """An address in a sentence ends with its line, unless the line holds only "Flat 3" or "Studio 48"
    (an address pasted with its line break): then it ends with the next line."""
    end = min(end, start + MAX_VALUE)
    line_end = text.find("\n", start, end)
    if line_end < 0:
        return end
    if line_end - start <= 12 and HAS_DIGIT.search(text, start, line_end):
        next_end = text.find("\n", line_end + 1, end)
        return end if next_end < 0 else next_end
    return line_end


def _address_at(text: str, pos: int, start: int, end: int, found: Fields, *, number: bool,
                words: list[str] | None = None, gap: str | None = None) -> None:
    if words is None:
        words, gap = _before(text, pos, start)
    if gap not in (" ", "\t", ": ", ":\t") or not words:
        return
    if _ends_with(words, ADDRESS_BEFORE):
        read_address(text, pos, _address_end(text, pos, end), found)
    elif number and words[-1] in NUMBER_ADDRESS_BEFORE and HOUSE_NUMBER.match(text, pos, end):
        parts = Fields()
        read_address(text, pos, _address_end(text, pos, end), parts)
        # "at 5 Guys" is no address; "at 12 Elm Road, Leeds" is: a street with a number, then a place (one
        # entity from the street to the place, or two where something else stood between them).
        first = parts.entities[0] if parts.entities else None
        if first is not None and first.start == pos and HAS_DIGIT.search(text, first.start, first.end) and (
                len(parts.entities) >= 2 or "," in text[first.start:first.end]):
            found.entities.extend(parts.entities)


# --- NER's type, corrected by the words around it ----------------------------------------------------------
# The small model types many foreign people and towns as organisations ("Ulf Lundberg", "Piteå"). Where the
# words before a name say what it is and its shape has no company mark, the type is changed; its span stays.

# Words after which a person-shaped name is a person, not a company ("KYC review for Ulf Lundberg:").
PERSON_SLOT_BEFORE = frozenset("for with by was is about on regarding re".split())
# "HR file note - Ulf Lundberg": a name after a dash that ends a heading.
DASH_GAP = re.compile(r"[ \t]+[-–—][ \t]+")
# After a name at a clause start, words that only a person is the subject of ("Ulf Lundberg moved to ...").
PERSON_VERB_AFTER = re.compile(
    r"[ \t]+(?:moved|lives|lived|was born|was injured|was hired|was fired|resigned|retired|complained|applied|"
    r"asked|emailed|phoned|needs a|needs an|needs his|needs her|will travel|is moving|is relocating)\b"
)
# Marks of a company that a person's name never has.
COMPANY_WORDS = frozenset(LEGAL_FORMS | ORG_HEADS | ORG_OPENERS | frozenset(
    "partner partners labs lab bank group center centre club team store shop press news times".split()))
# Words of going somewhere: "moved from X to Y", "travel to Y", "relocating from X".
MOTION_WORDS = frozenset(
    """move moved moving moves relocate relocated relocating relocation travel travels travelled traveled travelling
    traveling trip flight flights flew fly flying drove drive driving went go going emigrated emigrating
    returned returning return commute commuting transferred""".split()
)
MOTION_PREPOSITIONS = frozenset(("from", "to"))
# "invest in X", "shares in X": a bare "in" that is followed by a company as often as by a place.
IN_COMPANY_BEFORE = frozenset("invest invested investing investment shares stake stock career job role position "
                              "interest interested".split())


def retype_ner(text: str, entities: Sequence, start: int = 0) -> list:
    """NER entities (with .type, .start, .end), an organisation retyped as a person or a place where the
    words before it say so and its shape agrees. A few set look-ups and one anchored parse per organisation."""
    out = []
    for entity in entities:
        new_type = None
        if entity.type == ORGANIZATION:
            new_type = _organisation_retyped(text, entity.start, entity.end, start)
        elif entity.type == PERSON:
            new_type = _person_retyped(text, entity.start, entity.end, start)
        out.append(entity if new_type is None else replace(entity, type=new_type))
    return out


def _has_company_word(text: str, start: int, end: int) -> bool:
    value = text[start:end]
    return "&" in value or any(w.lower().rstrip(".") in COMPANY_WORDS for w in value.split())


def _organisation_retyped(text: str, pos: int, stop: int, limit: int) -> str | None:
    if not text[pos:pos + 1].isupper() or _has_company_word(text, pos, stop):
        return None
    words, gap = _before(text, pos, limit)
    plain_gap = gap in (" ", "\t")
    # A person: two or three capitalised words in a person's slot.
    if " " in text[pos:stop] and (plain_gap and words and (words[-1] in PERSON_SLOT_BEFORE
                                                          or _ends_with(words, PERSON_BEFORE))
                                  or DASH_GAP.fullmatch(gap) is not None):
        if not _ends_with(words, EMPLOYER_BEFORE) and person_phrase(text, pos, stop, strict=True, max_words=3) == stop:
            return PERSON
    clause_start = not words or "\n" in gap or gap.rstrip(" \t").endswith((".", ":", ";", "!", "?"))
    if " " in text[pos:stop] and clause_start and PERSON_VERB_AFTER.match(text, stop):
        if person_phrase(text, pos, stop, strict=True, max_words=3) == stop:
            return PERSON
    # A place: after "in" / "near", or "from" / "to" after a word of going somewhere.
    if plain_gap and words and _place_slot(words):
        if place_phrase(text, pos, stop, strict=True) == stop or country_at(text, pos, stop) == stop:
            return LOCATION
    return None


def _person_retyped(text: str, pos: int, stop: int, limit: int) -> str | None:
    """One capitalised word that NER calls a person, after "moved from" / "travel to": a place."""
    if " " in text[pos:stop]:
        return None
    words, gap = _before(text, pos, limit)
    if gap in (" ", "\t") and words and words[-1] in MOTION_PREPOSITIONS and _place_slot(words):
        if place_phrase(text, pos, stop, strict=True) == stop:
            return LOCATION
    return None


def _place_slot(words: list[str]) -> bool:
    last = words[-1]
    if last in WEAK_PLACE_BEFORE:
        return len(words) < 2 or words[-2] not in IN_COMPANY_BEFORE
    return last in MOTION_PREPOSITIONS and any(w in MOTION_WORDS for w in words[:-1])
