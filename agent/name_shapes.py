"""What a person's name, a company's name and a place's name look like as words, without a gazetteer.

The cue rules (agent/fields.py, agent/cues.py) know from the words around a value what kind of value it is
("Employer: ...", "Best regards,\\n...", "salary from ..."); these parsers then say how far the value
runs. Each takes the text and a start offset and returns the end offset of the phrase, or None when what
follows does not look like a name of that kind. They read a few words each, so they cost microseconds.

- A person: one to four capitalised words (initials and particles such as "van", "de", "bin" allowed in
  between), not all of them common words ("Name: Test Account" names nobody).
- An organisation: capitalised words joined by "&", "and", "of", "e", "y", "et" ..., ending in a legal
  form (Inc, LLC, GmbH, S.A.R.L., e figli ...) or shaped as a partnership ("Hunt, Simpson and Lam").
- A place: capitalised words with the particles place names use ("Frankfurt am Main", "Newcastle upon
  Tyne", "Saint-Étienne"), or one of the country names below, which is a closed list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from promptfence.agent.common_words import (
    COMMON_SENTENCE_STARTS,
    HONORIFICS,
    NEVER_CANDIDATES,
    NOT_NAMES,
    TECH_TERMS,
)

# A word: letters, with inner apostrophes or hyphens (O'Neil, Jean-Luc, Sant'Angelo). No digits.
WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Between two words of one name: one space (a double space separates fields: "Patient: X  DOB: ...").
SPACE = " "

COMMON = frozenset(COMMON_SENTENCE_STARTS | STOP_WORDS | NEVER_CANDIDATES | NOT_NAMES | TECH_TERMS | HONORIFICS)

PERSON_PARTICLES = frozenset(
    "van von de der den del della di da dos das du le la ten ter bin ben al el zu af av y".split()
)
# Abbreviations that end in a full stop inside a name rather than ending the sentence.
NAME_ABBREVIATIONS = frozenset("St Ste Mt Ft Jr Sr Dr".split())

PLACE_PARTICLES = frozenset(
    "am an im in der die den de del della di da do dos das du des la le les lès sur sous upon on by en "
    "op aan bei ob unter sul sull".split()
)

# Words that begin many place names and are common words too: "New Bradley", "West Lisa", "Port David".
PLACE_MODIFIERS = frozenset("new north south east west upper lower great little old port saint st fort mount lake bad".split())

# Legal forms, compared with dots removed and in lower case ("S.A.R.L." -> "sarl").
LEGAL_FORMS = frozenset(
    """
    inc incorporated llc llp ltd limited plc corp corporation company gmbh kgaa ohg gbr mbh ev sas sasu
    sarl eurl sca snc slne slu scoop scom srl srls spa sapa vof asa oyj aps pty pte bhd sdn group groep grupo
    gruppe gruppo holding holdings partners associates asociados associati sons fils figli hijos brothers bros
    stiftung
    """.split()
)
# Two-letter forms are ordinary letters too: only in these spellings, or dotted ("S.A.", "N.V.", "e.V.").
SHORT_LEGAL_FORMS = frozenset("Co AG KG SA SE NV BV AB AS SL LP UG Oy KK".split())
# Forms that follow a lower-case joiner: "e figli", "et fils", "y asociados".
LOWER_CASE_FORMS = frozenset("figli fils hijos asociados associati".split())
# Legal forms written with full stops, keyed without them ("S.C.P." -> "scp"); "B.Sc." is a degree, not one.
DOTTED_LEGAL_FORMS = LEGAL_FORMS | frozenset("sa nv bv ev se ag kg ab as oy kk sl sc scp scs snc sca spa srl sas".split())
# Words that open an organisation's name ("Koninklijke van Dam", "Stichting van Loon", "Grupo Nebot").
ORG_OPENERS = frozenset(
    """
    koninklijke stichting grupo gruppo groupe banco banca fundación fundacion fondation fondazione verein
    société societe sociedad compagnie compañía compania instituto institut istituto universidad università
    université universität
    """.split()
)
# Lower-case words that join the parts of a company name.
ORG_JOINERS = frozenset("& and und et y e of the for für de du des di del della la le van der den zu".split())
LEGAL_TOKEN = re.compile(r"[^\W\d_][\w.]*")

# Nouns that end many organisation names ("Brightline Solutions", "Blue Harbor Bank").
ORG_HEADS = frozenset(
    """
    solutions systems technologies technology industries enterprises consulting consultants labs
    laboratories bank insurance university college institute foundation hospital clinic agency airlines
    logistics motors pharmaceuticals pharma capital ventures media studios networks software services
    traders foods trust authority council ministry association society
    """.split()
)

COUNTRIES = frozenset(
    """
    Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|Austria|
    Azerbaijan|Bahamas|The Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|
    Bosnia and Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cabo Verde|Cape Verde|
    Cambodia|Cameroon|Canada|Central African Republic|Chile|China|Colombia|Comoros|Congo|
    Democratic Republic of the Congo|Republic of the Congo|Costa Rica|Côte d'Ivoire|Ivory Coast|Croatia|
    Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|
    El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Swaziland|Ethiopia|Fiji|Finland|France|Gabon|
    Gambia|The Gambia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|
    Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Republic of Ireland|Israel|Italy|Jamaica|Japan|
    Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|
    Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|
    Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|
    Burma|Namibia|Nauru|Nepal|Netherlands|The Netherlands|Kingdom of the Netherlands|Holland|New Zealand|
    Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Macedonia|Norway|Oman|Pakistan|Palau|Palestine|
    Panama|Papua New Guinea|Paraguay|Peru|Philippines|The Philippines|Poland|Portugal|Qatar|Romania|
    Russia|Russian Federation|Rwanda|Saint Kitts and Nevis|Saint Lucia|Saint Vincent and the Grenadines|
    Samoa|San Marino|Sao Tome and Principe|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|
    Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|South Korea|Korea|Republic of Korea|South Sudan|
    Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|
    Timor-Leste|East Timor|Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|Türkiye|Turkmenistan|Tuvalu|
    Uganda|Ukraine|United Arab Emirates|UAE|United Kingdom|UK|Great Britain|Britain|England|Scotland|Wales|
    Northern Ireland|United States|United States of America|USA|US|Uruguay|Uzbekistan|Vanuatu|
    Vatican City|Venezuela|Vietnam|Viet Nam|Yemen|Zambia|Zimbabwe|Hong Kong|Puerto Rico|Greenland|
    Deutschland|España|Italia|Österreich|Schweiz|Suisse|Nederland|België|Belgique|Polska|Sverige|Norge|
    Danmark|Suomi|Éire|Brasil|México|Georgia|Jordan|Chad|Jersey
    """.replace("\n", "").split("|")
) - {""}
# Countries that are also common first names or words: a country only where an address puts it.
AMBIGUOUS_COUNTRIES = frozenset("Georgia Jordan Chad Israel Turkey China Guinea Niger Chile Jersey US".split())
_COUNTRY_FIRST_WORDS: dict[str, list[str]] = {}
for _name in sorted((c.strip() for c in COUNTRIES), key=len, reverse=True):
    _COUNTRY_FIRST_WORDS.setdefault(_name.split(" ")[0], []).append(_name)


def _bare(word: str) -> str:
    return word[:-2] if len(word) > 3 and word[-2] in "'’" and word[-1] == "s" else word


def is_common(word: str) -> bool:
    """A word that on its own is no name: stop words, sentence openers, labels, roles, technology."""
    lower = word.lower().rstrip(".")
    return lower in COMMON


def is_capitalised_word(word: str) -> bool:
    """Upper-case first letter and some lower-case after it: Anna, McDonald, O'Neil, Jean-Luc; not NASA, not anna."""
    return len(word) >= 2 and word[0].isupper() and any(c.islower() for c in word[1:])


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str


def words_from(text: str, pos: int, end: int, limit: int = 8) -> list[Word]:
    """Words from `pos`, each one space after the previous one; stops at any other character."""
    out: list[Word] = []
    i = pos
    while i < end and len(out) < limit:
        match = WORD.match(text, i, end)
        if match is None:
            break
        out.append(Word(match.start(), match.end(), match.group()))
        i = match.end()
        # "St." or an initial "J." keeps the phrase going; any other full stop ends it.
        if i < end and text[i] == "." and (match.group() in NAME_ABBREVIATIONS or len(match.group()) == 1):
            i += 1
        if i + 1 < end and text[i] == SPACE and text[i + 1] != SPACE:
            i += 1
        else:
            break
    return out


def _word_end(text: str, word: Word, end: int) -> int:
    """A word's end, with the full stop of an initial or an abbreviation that belongs to it."""
    if word.end < end and text[word.end] == "." and (len(word.text) == 1 or word.text in NAME_ABBREVIATIONS):
        return word.end + 1
    return word.end


def person_phrase(text: str, pos: int, end: int, *, max_words: int = 4, strict: bool = False) -> int | None:
    """End of a person's name starting at `pos`, or None. `strict`: no word of it may be a common word
    (for weak cues such as "Hi X"); otherwise at least one must not be (for labelled values)."""
    taken: list[Word] = []
    pending: list[Word] = []  # particles waiting for the capitalised word that must follow them
    for word in words_from(text, pos, end, limit=max_words + 3):
        if is_capitalised_word(word.text) or (len(word.text) == 1 and word.text.isupper() and taken == []
                                             and _word_end(text, word, end) > word.end):
            if len(taken) >= max_words:
                break
            taken.extend(pending)
            pending = []
            taken.append(word)
        elif len(word.text) == 1 and word.text.isupper() and taken and _word_end(text, word, end) > word.end:
            taken.append(word)  # a middle initial: "John F. Kennedy"
        elif word.text.lower() in PERSON_PARTICLES and taken:
            pending.append(word)
        else:
            break
    capitalised = [_bare(w.text) for w in taken if len(w.text) > 1 and w.text[0].isupper()]
    if not capitalised:
        return None
    common = [is_common(w) for w in capitalised]
    if all(common) or (strict and any(common)):
        return None
    return _without_possessive(text, taken[-1], _word_end(text, taken[-1], end))


def place_phrase(text: str, pos: int, end: int, *, max_words: int = 4, strict: bool = False) -> int | None:
    """End of a place name starting at `pos`, or None (same contract as person_phrase)."""
    taken: list[Word] = []
    pending: list[Word] = []
    for word in words_from(text, pos, end, limit=max_words + 3):
        if is_capitalised_word(word.text) or (word.text.isupper() and 2 <= len(word.text) <= 3 and taken):
            if len(taken) >= max_words:
                break
            taken.extend(pending)
            pending = []
            taken.append(word)
        elif word.text.lower() in PLACE_PARTICLES and taken:
            pending.append(word)
        else:
            break
    if not taken:
        return None
    common = [is_common(w.text) and w.text.lower() not in PLACE_MODIFIERS for w in taken if w.text[0].isupper()]
    if all(common) or (strict and any(common)):
        return None
    return _without_possessive(text, taken[-1], _word_end(text, taken[-1], end))


def _without_possessive(text: str, word: Word, end: int) -> int:
    """"Anna's" names Anna: the possessive ending is not part of the name."""
    if word.end - word.start > 3 and text[word.end - 2] in "'’" and text[word.end - 1] == "s":
        return word.end - 2
    return end


def country_at(text: str, pos: int, end: int, *, allow_ambiguous: bool = False) -> int | None:
    """End of a country name starting at `pos` (whole words, exact spelling), or None."""
    match = WORD.match(text, pos, end)
    if match is None:
        return None
    for name in _COUNTRY_FIRST_WORDS.get(match.group(), ()):
        stop = pos + len(name)
        if stop <= end and text.startswith(name, pos) and (stop == end or not text[stop].isalnum()):
            if name in AMBIGUOUS_COUNTRIES and not allow_ambiguous:
                return None
            return stop
    return None


def _legal_form_at(text: str, pos: int, end: int) -> int | None:
    """End of a legal form written at `pos` ("Inc.", "GmbH", "S.A.R.L.", "S.L.N.E", "KG"), or None."""
    match = LEGAL_TOKEN.match(text, pos, end)
    if match is None:
        return None
    raw = match.group()
    bare = raw.rstrip(".")
    key = bare.replace(".", "").lower()
    if "." in bare and (key in DOTTED_LEGAL_FORMS or (2 <= len(key) <= 4 and bare.replace(".", "").isupper())):
        pass  # dotted: S.A., N.V., e.V., S.A.R.L., S.Coop, S.L.L.; not "B.Sc."
    elif len(key) <= 2:
        if bare not in SHORT_LEGAL_FORMS:
            return None
    elif key not in LEGAL_FORMS or not (bare[0].isupper() or key in LOWER_CASE_FORMS):
        return None
    # The full stop of an abbreviation belongs to it ("Inc.", "S.A."); a word's does not ("Holdings.").
    if raw.endswith(".") and ("." in bare or key in ("inc", "ltd", "corp", "co", "bros")):
        return match.start() + len(bare) + 1
    return match.start() + len(bare)


@dataclass(frozen=True, slots=True)
class OrgPhrase:
    end: int
    legal_form: bool  # ends in Inc, GmbH, e figli ...
    partnership: bool  # "Hunt, Simpson and Lam"
    head_noun: bool  # ends in Solutions, Bank, University ...
    uncommon: bool  # has a capitalised word that is not a common word

    @property
    def certain(self) -> bool:
        """Shaped like a company whatever the words around it say."""
        return self.legal_form or (self.head_noun and self.uncommon)


def org_phrase(text: str, pos: int, end: int, *, max_words: int = 7) -> OrgPhrase | None:
    """The organisation name starting at `pos` (a capitalised word): capitalised words, joiners, legal
    forms, or a partnership list ("A, B and C"). None if `pos` does not start with a capitalised word."""
    i = pos
    words = 0
    last_end = None
    legal = partnership = head = uncommon = opener = False
    joiner_pending = False
    in_list = False  # after "A, ": waiting for "and C"
    list_closed = False
    while i < end and words < max_words:
        legal_end = _legal_form_at(text, i, end) if words else None
        match = None if legal_end is not None else WORD.match(text, i, end)
        if legal_end is not None:
            legal, words, last_end, joiner_pending, i = True, words + 1, legal_end, False, legal_end
        elif match is None and text.startswith("&", i) and words and not joiner_pending:
            joiner_pending = True
            i += 1
        elif match is None:
            break
        elif is_capitalised_word(match.group()) or (match.group().isupper() and len(match.group()) >= 2):
            word = match.group()
            if legal:
                break  # a legal form ends the name: "Acme Ltd Berlin office" is "Acme Ltd"
            if words == 0 and word.lower() in ORG_OPENERS:
                opener = True
            if joiner_pending and in_list:
                partnership, in_list, list_closed = True, False, True
            words += 1
            last_end = i = match.end()
            head = word.lower() in ORG_HEADS
            uncommon = uncommon or not is_common(word)
            joiner_pending = False
        elif match.group().lower() in ORG_JOINERS and words and not joiner_pending:
            joiner_pending = True
            i = match.end()
        elif opener and match.group().lower() in PERSON_PARTICLES and not joiner_pending:
            # "Koninklijke van Dam": a surname particle inside the name
            joiner_pending = True
            i = match.end()
        else:
            break
        # What comes between two parts: one space, or ", " inside a partnership list.
        if i < end and text[i] == SPACE:
            i += 1
            continue
        if (text.startswith(", ", i) and not list_closed and not joiner_pending
                and _PARTNERSHIP_TAIL.match(text, i + 2, min(end, i + 122))):
            in_list = True
            i += 2
            continue
        break
    if last_end is None or in_list:
        return None
    return OrgPhrase(last_end, legal or (opener and words >= 2), partnership, head, uncommon)


# A capitalised word for the partnership look-ahead.
_CAP = r"[^\W\d_a-z][^\W\d_]*(?:['’\-][^\W\d_]+)*"
_PARTNERSHIP_TAIL = re.compile(rf"(?:{_CAP}, )*{_CAP},? (?:and|&|et|y|e|und) {_CAP}")
