"""Generators of PII values in the shapes people actually write them.

Names, streets, companies and cities come from Faker in several locales. Numbers with check digits or
numbering plans (cards, IBANs, SSNs, routing numbers, phones, crypto addresses, NINOs) are generated here
from the formats' rules, because a value that fails its own checksum is not a fair test of a validating
detector. Each generator returns a `Labelled` whose `fmt` says which written form was chosen.
"""

from __future__ import annotations

import datetime
import ipaddress
import random
import unicodedata
from dataclasses import dataclass, field

from faker import Faker

from eval import checksums
from eval.corpus import Labelled

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL")
LOCALE_WEIGHTS = (40, 20, 12, 12, 6, 5, 5)

# Real cities, because a text about a made-up "Port Petertown" tests less than one about Leeds.
REAL_CITIES = {
    "en_US": ("Chicago", "Austin", "Seattle", "Denver", "Boston", "Phoenix", "Atlanta", "Portland",
              "San Diego", "Nashville", "Philadelphia", "Minneapolis", "Columbus", "Raleigh"),
    "en_GB": ("Leeds", "Manchester", "Bristol", "Glasgow", "Edinburgh", "Cardiff", "Liverpool",
              "Sheffield", "Nottingham", "Brighton", "Birmingham", "Oxford"),
    "de_DE": ("Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Leipzig",
              "Dresden", "Düsseldorf", "Nürnberg"),
    "fr_FR": ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux", "Lille", "Strasbourg"),
    "es_ES": ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Zaragoza"),
    "it_IT": ("Roma", "Milano", "Torino", "Bologna", "Napoli", "Firenze"),
    "nl_NL": ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Den Haag"),
}
COMPANY_SUFFIX = {"en_US": "Inc.", "en_GB": "Ltd", "de_DE": "GmbH", "fr_FR": "SAS", "es_ES": "S.L.",
                  "it_IT": "S.p.A.", "nl_NL": "B.V."}

_fakers: dict[str, Faker] = {}


def faker_for(locale: str, seed: int) -> Faker:
    fake = _fakers.get(locale)
    if fake is None:
        fake = _fakers[locale] = Faker(locale)
    fake.seed_instance(seed)
    return fake


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded if ch.isalnum() or ch in ".-").lower()


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


# --- people, places, organisations ---------------------------------------------------------------------


@dataclass
class Persona:
    """One made-up person; fields are consistent within a sample (the email matches the name)."""

    rng: random.Random
    locale: str
    fake: Faker
    first: str = ""
    last: str = ""
    company: str = ""
    _cache: dict = field(default_factory=dict)

    @classmethod
    def make(cls, rng: random.Random, locale: str | None = None) -> "Persona":
        locale = locale or rng.choices(LOCALES, LOCALE_WEIGHTS)[0]
        fake = faker_for(locale, rng.randrange(1 << 30))
        persona = cls(rng, locale, fake, fake.first_name(), fake.last_name())
        company = fake.company()
        if " " not in company:  # some locales return a bare surname, which is not recognisably a company
            company = f"{company} {COMPANY_SUFFIX[locale]}"
        persona.company = company
        return persona

    def once(self, key: str, make):
        """The same value every time a template asks for `key` in this sample."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # Names -------------------------------------------------------------------------------------
    def full_name(self) -> Labelled:
        return Labelled(f"{self.first} {self.last}", "PERSON", "full-name")

    def first_name(self) -> Labelled:
        return Labelled(self.first, "PERSON", "first-name")

    def last_name(self) -> Labelled:
        return Labelled(self.last, "PERSON", "last-name")

    def organisation(self) -> Labelled:
        return Labelled(self.company, "ORGANIZATION", "company")

    def city(self) -> Labelled:
        def make():
            if self.rng.random() < 0.5:
                return Labelled(self.rng.choice(REAL_CITIES[self.locale]), "LOCATION", "city-real")
            return Labelled(self.fake.city(), "LOCATION", "city-faker")
        return self.once("city", make)

    def street(self) -> Labelled:
        return self.once("street", lambda: Labelled(self.fake.street_address().strip(), "LOCATION", "street"))

    def postcode(self) -> str:
        return self.once("postcode", self.fake.postcode)

    def country(self) -> Labelled:
        return Labelled(self.fake.current_country(), "LOCATION", "country")

    def job(self) -> str:
        return self.once("job", self.fake.job)

    # Contact -----------------------------------------------------------------------------------
    def email(self) -> Labelled:
        def make():
            first, last = ascii_fold(self.first), ascii_fold(self.last)
            style = self.rng.randrange(5)
            local = (f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{self.rng.randrange(10, 99)}",
                     f"{last}.{first}", f"{first}{self.rng.randrange(1970, 2005)}")[style]
            if self.rng.random() < 0.5:
                domain = self.fake.free_email_domain()
            else:
                domain = self.fake.domain_name()
            return Labelled(f"{local}@{domain}", "EMAIL_ADDRESS", "personal" if style else "first.last")
        return self.once("email", make)

    def phone(self) -> Labelled:
        return self.once("phone", lambda: phone_number(self.rng, self.locale))


def phone_number(rng: random.Random, locale: str) -> Labelled:
    """A number that fits its country's numbering plan, written the way people there write it."""
    r = rng
    if locale == "en_US" or locale not in ("en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL"):
        area = f"{r.randint(2, 9)}{r.randint(0, 8)}{r.randint(0, 9)}"
        exchange = f"{r.randint(2, 9)}{digits(r, 2)}"
        line = digits(r, 4)
        forms = [
            (f"({area}) {exchange}-{line}", "us-paren"), (f"{area}-{exchange}-{line}", "us-dashed"),
            (f"{area}.{exchange}.{line}", "us-dotted"), (f"+1 {area} {exchange} {line}", "us-intl"),
            (f"+1-{area}-{exchange}-{line}", "us-intl-dashed"), (f"1-{area}-{exchange}-{line}", "us-1-dashed"),
        ]
    elif locale == "en_GB":
        if r.random() < 0.5:
            body = f"7{r.randint(4, 9)}{digits(r, 2)} {digits(r, 6)}"
            forms = [(f"0{body}", "uk-mobile"), (f"+44 {body}", "uk-mobile-intl")]
        else:
            area, rest = r.choice([("20", f"{r.choice('378')}{digits(r, 3)} {digits(r, 4)}"),
                                   ("161", f"{r.randint(2, 9)}{digits(r, 2)} {digits(r, 4)}"),
                                   ("113", f"{r.randint(2, 9)}{digits(r, 2)} {digits(r, 4)}"),
                                   ("131", f"{r.randint(2, 9)}{digits(r, 2)} {digits(r, 4)}")])
            forms = [(f"0{area} {rest}", "uk-landline"), (f"+44 {area} {rest}", "uk-landline-intl"),
                     (f"+44 (0){area} {rest}", "uk-landline-intl-0")]
    elif locale == "de_DE":
        if r.random() < 0.5:
            prefix = r.choice(["151", "152", "160", "162", "170", "171", "172", "176", "177", "179"])
            number = digits(r, 7 if prefix.startswith("17") else 8)
            forms = [(f"0{prefix} {number}", "de-mobile"), (f"+49 {prefix} {number}", "de-mobile-intl"),
                     (f"0{prefix}/{number}", "de-mobile-slash")]
        else:
            area = r.choice(["30", "40", "89", "221", "69", "711"])
            number = digits(r, 8 - len(area) + 2)
            forms = [(f"0{area} {number}", "de-landline"), (f"+49 {area} {number}", "de-landline-intl"),
                     (f"+49 (0){area} {number}", "de-landline-intl-0"), (f"0{area}/{number}", "de-landline-slash")]
    elif locale == "fr_FR":
        first = r.choice("1234567")
        pairs = [digits(r, 2) for _ in range(4)]
        forms = [(f"0{first} {' '.join(pairs)}", "fr-spaced"), (f"0{first}.{'.'.join(pairs)}", "fr-dotted"),
                 (f"+33 {first} {' '.join(pairs)}", "fr-intl")]
    elif locale == "es_ES":
        body = f"{r.choice('6789')}{digits(r, 2)} {digits(r, 3)} {digits(r, 3)}"
        forms = [(body, "es-national"), (f"+34 {body}", "es-intl")]
    elif locale == "it_IT":
        body = f"3{r.randint(2, 9)}{digits(r, 1)} {digits(r, 3)} {digits(r, 4)}"
        forms = [(body, "it-mobile"), (f"+39 {body}", "it-mobile-intl")]
    else:  # nl_NL
        body = f"6 {digits(r, 8)}"
        forms = [(f"0{body}", "nl-mobile"), (f"+31 {body}", "nl-mobile-intl")]
    text, fmt = r.choice(forms)
    return Labelled(text, "PHONE_NUMBER", fmt)


# --- financial -----------------------------------------------------------------------------------------

# (issuer, prefixes, length, grouping). Ranges from ISO/IEC 7812 issuer tables as the networks publish them.
CARD_ISSUERS = (
    ("visa", ("4",), 16, (4, 4, 4, 4)),
    ("visa-13", ("4",), 13, (4, 4, 5)),
    ("mastercard", ("51", "52", "53", "54", "55"), 16, (4, 4, 4, 4)),
    ("mastercard-2", ("2221", "2300", "2500", "2720"), 16, (4, 4, 4, 4)),
    ("amex", ("34", "37"), 15, (4, 6, 5)),
    ("discover", ("6011", "644", "65"), 16, (4, 4, 4, 4)),
    ("diners", ("300", "305", "36", "38"), 14, (4, 6, 4)),
    ("jcb", ("3528", "3550", "3589"), 16, (4, 4, 4, 4)),
    ("unionpay", ("62",), 16, (4, 4, 4, 4)),
    ("unionpay-19", ("62",), 19, (4, 4, 4, 4, 3)),
    ("maestro", ("5018", "5020", "6759", "6304"), 16, (4, 4, 4, 4)),
)
# Published test numbers, which admins often allowlist; kept out so the figures do not depend on that.
PUBLISHED_TEST_CARDS = frozenset({"4111111111111111", "4242424242424242", "5555555555554444", "378282246310005"})


def credit_card(rng: random.Random) -> Labelled:
    while True:
        issuer, prefixes, length, groups = rng.choice(CARD_ISSUERS)
        partial = rng.choice(prefixes)
        partial += digits(rng, length - 1 - len(partial))
        number = partial + checksums.luhn_check_digit(partial)
        if number not in PUBLISHED_TEST_CARDS:
            break
    style = rng.choice(("spaced", "dashed", "compact"))
    if style == "compact":
        return Labelled(number, "CREDIT_CARD", f"{issuer}-compact")
    chunks, pos = [], 0
    for size in groups:
        chunks.append(number[pos:pos + size])
        pos += size
    return Labelled((" " if style == "spaced" else "-").join(chunks), "CREDIT_CARD", f"{issuer}-{style}")


def _alnum(rng: random.Random, n: int, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# BBAN structures from the SWIFT IBAN registry: a function of rng per country.
IBAN_BBAN = {
    "DE": lambda r: digits(r, 18),
    "GB": lambda r: _alnum(r, 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(r, 14),
    "FR": lambda r: digits(r, 23),
    "ES": lambda r: digits(r, 20),
    "IT": lambda r: _alnum(r, 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(r, 22),
    "NL": lambda r: _alnum(r, 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(r, 10),
    "BE": lambda r: digits(r, 12),
    "CH": lambda r: digits(r, 5) + _alnum(r, 12),
    "AT": lambda r: digits(r, 16),
    "PL": lambda r: digits(r, 24),
    "IE": lambda r: _alnum(r, 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(r, 14),
}
LOCALE_IBAN_COUNTRY = {"en_US": None, "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES",
                       "it_IT": "IT", "nl_NL": "NL"}


def iban(rng: random.Random, locale: str | None = None) -> Labelled:
    country = LOCALE_IBAN_COUNTRY.get(locale or "") or rng.choice(sorted(IBAN_BBAN))
    bban = IBAN_BBAN[country](rng)
    compact = country + checksums.iban_check_digits(country, bban) + bban
    if rng.random() < 0.6:
        return Labelled(" ".join(compact[i:i + 4] for i in range(0, len(compact), 4)), "IBAN_CODE", f"{country}-grouped")
    return Labelled(compact, "IBAN_CODE", f"{country}-compact")


def us_ssn(rng: random.Random) -> Labelled:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    group, serial = rng.randint(1, 99), rng.randint(1, 9999)
    a, g, s = f"{area:03d}", f"{group:02d}", f"{serial:04d}"
    text, fmt = rng.choice(((f"{a}-{g}-{s}", "dashed"), (f"{a} {g} {s}", "spaced"), (f"{a}{g}{s}", "compact")))
    return Labelled(text, "US_SSN", fmt)


def us_itin(rng: random.Random) -> Labelled:
    group = rng.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    text = f"9{digits(rng, 2)}-{group}-{digits(rng, 4)}"
    if rng.random() < 0.3:
        return Labelled(text.replace("-", ""), "US_ITIN", "compact")
    return Labelled(text, "US_ITIN", "dashed")


def us_routing(rng: random.Random) -> Labelled:
    # Federal Reserve routing symbol: 01-12 (banks), 21-32 (thrifts), 61-72 (electronic), 80 (traveller's cheques).
    prefix = rng.choice([*range(1, 13), *range(21, 33), *range(61, 73), 80])
    first8 = f"{prefix:02d}" + digits(rng, 6)
    return Labelled(first8 + checksums.aba_check_digit(first8), "US_BANK_ROUTING", "aba")


def us_passport(rng: random.Random) -> Labelled:
    if rng.random() < 0.5:
        return Labelled(str(rng.randint(1, 9)) + digits(rng, 8), "US_PASSPORT", "9-digit")
    return Labelled(rng.choice("ACEFGHJKLMNPRSTUVWXYZ") + digits(rng, 8), "US_PASSPORT", "letter-8-digit")


def us_driver_license(rng: random.Random) -> tuple[Labelled, str]:
    """A licence number in one state's published format, and the state's name for the context."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    state = rng.choice(("California", "New York", "Florida", "Texas", "Illinois", "Washington", "Pennsylvania"))
    if state == "California":
        value = rng.choice(letters) + digits(rng, 7)
    elif state == "New York":
        value = digits(rng, 9)
    elif state == "Florida":
        raw = rng.choice(letters) + digits(rng, 12)
        value = f"{raw[:4]}-{raw[4:7]}-{raw[7:9]}-{raw[9:12]}-{raw[12]}"
    elif state == "Texas":
        value = digits(rng, 8)
    elif state == "Illinois":
        raw = rng.choice(letters) + digits(rng, 11)
        value = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    elif state == "Washington":
        value = "WDL" + _alnum(rng, 9)
    else:
        value = digits(rng, 8)
    return Labelled(value, "US_DRIVER_LICENSE", state.lower().replace(" ", "-")), state


def uk_nino(rng: random.Random) -> Labelled:
    # HMRC: first letter not D F I Q U V; second not D F I O Q U V; some pairs never allocated.
    first_ok = [c for c in "ABCEGHJKLMNOPRSTWXYZ"]
    second_ok = [c for c in "ABCEGHJKLMNPRSTWXYZ"]
    while True:
        prefix = rng.choice(first_ok) + rng.choice(second_ok)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    number, suffix = digits(rng, 6), rng.choice("ABCD")
    if rng.random() < 0.5:
        return Labelled(f"{prefix} {number[:2]} {number[2:4]} {number[4:]} {suffix}", "UK_NINO", "spaced")
    return Labelled(f"{prefix}{number}{suffix}", "UK_NINO", "compact")


# --- network -------------------------------------------------------------------------------------------


def ipv4(rng: random.Random) -> Labelled:
    while True:
        address = ipaddress.IPv4Address(rng.getrandbits(32))
        if address.is_global:
            return Labelled(str(address), "IP_ADDRESS", "ipv4-public")


def ipv4_private(rng: random.Random) -> Labelled:
    return Labelled(f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "IP_ADDRESS", "ipv4-private")


def ipv6(rng: random.Random) -> Labelled:
    address = ipaddress.IPv6Address((0x2001 << 112) | (rng.getrandbits(16) << 96) | rng.getrandbits(64))
    if rng.random() < 0.3:
        return Labelled(address.exploded, "IP_ADDRESS", "ipv6-full")
    # Zero a run of groups so the compressed form has a "::", as addresses usually do.
    groups = address.exploded.split(":")
    start = rng.randint(2, 5)
    groups[start:start + 2] = ["0000", "0000"]
    compressed = ipaddress.IPv6Address(":".join(groups)).compressed
    return Labelled(compressed, "IP_ADDRESS", "ipv6-compressed")


def mac_address(rng: random.Random) -> Labelled:
    octets = [rng.randrange(256) for _ in range(6)]
    octets[0] &= 0xFC  # unicast, globally administered, like a real NIC
    style = rng.randrange(4)
    if style == 0:
        return Labelled(":".join(f"{o:02x}" for o in octets), "MAC_ADDRESS", "colon-lower")
    if style == 1:
        return Labelled(":".join(f"{o:02X}" for o in octets), "MAC_ADDRESS", "colon-upper")
    if style == 2:
        return Labelled("-".join(f"{o:02X}" for o in octets), "MAC_ADDRESS", "dash-upper")
    hexed = "".join(f"{o:02x}" for o in octets)
    return Labelled(f"{hexed[:4]}.{hexed[4:8]}.{hexed[8:]}", "MAC_ADDRESS", "cisco-dotted")


# --- crypto wallets ------------------------------------------------------------------------------------


def crypto_address(rng: random.Random) -> Labelled:
    kind = rng.randrange(6)
    payload = bytes(rng.randrange(256) for _ in range(32))
    if kind == 0:
        return Labelled(checksums.base58check_encode(0x00, payload[:20]), "CRYPTO_ADDRESS", "btc-p2pkh")
    if kind == 1:
        return Labelled(checksums.base58check_encode(0x05, payload[:20]), "CRYPTO_ADDRESS", "btc-p2sh")
    if kind == 2:
        return Labelled(checksums.segwit_address("bc", 0, payload[:20]), "CRYPTO_ADDRESS", "btc-bech32")
    if kind == 3:
        return Labelled(checksums.segwit_address("bc", 1, payload), "CRYPTO_ADDRESS", "btc-bech32m-taproot")
    if kind == 4:
        return Labelled(checksums.eip55(payload[:20].hex()), "CRYPTO_ADDRESS", "eth-eip55")
    return Labelled("0x" + payload[:20].hex(), "CRYPTO_ADDRESS", "eth-lowercase")


# --- dates of birth ------------------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_of_birth(rng: random.Random, locale: str = "en_US") -> Labelled:
    day = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 65))
    d, m, y = day.day, day.month, day.year
    if locale == "en_US":
        forms = [(f"{m:02d}/{d:02d}/{y}", "us-numeric"), (f"{m}/{d}/{y}", "us-short"),
                 (f"{MONTHS[m - 1]} {d}, {y}", "us-long"), (f"{y}-{m:02d}-{d:02d}", "iso")]
    elif locale == "de_DE":
        forms = [(f"{d:02d}.{m:02d}.{y}", "de-dotted"), (f"{y}-{m:02d}-{d:02d}", "iso")]
    else:
        forms = [(f"{d:02d}/{m:02d}/{y}", "eu-numeric"), (f"{d} {MONTHS[m - 1]} {y}", "eu-long"),
                 (f"{y}-{m:02d}-{d:02d}", "iso")]
    text, fmt = rng.choice(forms)
    return Labelled(text, "DATE_OF_BIRTH", fmt)
