"""Named checks on a matched value (shared-rules/SPEC.md, "Validators").

Each validator is a pure function str -> bool. `make(name, args)` returns one, bound to its arguments.
extension/common/validators.js implements the same names with the same results; the shared cases in
shared-rules/vectors/validators.json hold both to it. Therefore every check here is ASCII-only (a
Unicode digit such as "٣" is not a digit), strict where Python's library would be lenient (base64,
JSON constants), and free of anything JavaScript cannot do synchronously.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import math
import re
from collections import Counter
from typing import Callable

from promptfence.agent.keccak import keccak256

Validator = Callable[[str], bool]

ASCII_DIGITS = frozenset("0123456789")


def is_ascii_digits(value: str) -> bool:
    return bool(value) and all(ch in ASCII_DIGITS for ch in value)


def digits_of(value: str) -> str:
    return "".join(ch for ch in value if ch in ASCII_DIGITS)


def only_digits_and(value: str, separators: str) -> bool:
    return all(ch in ASCII_DIGITS or ch in separators for ch in value)


# --- payment cards ---------------------------------------------------------------------------------


def luhn(value: str) -> bool:
    digits = digits_of(value)
    if len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# (first, last) prefix range of equal width, allowed lengths. Sources: ISO/IEC 7812 issuer ranges as the
# networks publish them (Visa, Mastercard's 2-series, Amex, Discover/UnionPay co-branding, Diners, JCB,
# UnionPay, Maestro), plus Dankort, Mir, RuPay, UATP and the older JCB and Maestro ranges, which card test
# data (Faker, the processors' test-number lists) also carries.
_CARD_ISSUERS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),                      # Visa
    ("51", "55", (16,)),                           # Mastercard
    ("2221", "2720", (16,)),                       # Mastercard 2-series
    ("34", "34", (15,)),                           # American Express
    ("37", "37", (15,)),                           # American Express
    ("6011", "6011", (16, 17, 18, 19)),            # Discover
    ("644", "649", (16, 17, 18, 19)),              # Discover
    ("65", "65", (16, 17, 18, 19)),                # Discover
    ("622126", "622925", (16, 17, 18, 19)),        # Discover / UnionPay co-branded
    ("300", "305", (14, 15, 16, 17, 18, 19)),      # Diners Club International
    ("3095", "3095", (14, 15, 16, 17, 18, 19)),    # Diners Club International
    ("36", "36", (14, 15, 16, 17, 18, 19)),        # Diners Club International
    ("38", "39", (14, 15, 16, 17, 18, 19)),        # Diners Club International
    ("35", "35", (16, 17, 18, 19)),                # JCB (issued 3528-3589; test data uses all of 35)
    ("1800", "1800", (15,)),                       # JCB 15-digit (legacy)
    ("2131", "2131", (15,)),                       # JCB 15-digit (legacy)
    ("62", "62", (16, 17, 18, 19)),                # UnionPay
    ("81", "81", (16, 17, 18, 19)),                # UnionPay
    ("5018", "5018", tuple(range(12, 20))),        # Maestro
    ("5020", "5020", tuple(range(12, 20))),        # Maestro
    ("5038", "5038", tuple(range(12, 20))),        # Maestro
    ("5893", "5893", tuple(range(12, 20))),        # Maestro
    ("6304", "6304", tuple(range(12, 20))),        # Maestro
    ("6759", "6759", tuple(range(12, 20))),        # Maestro (incl. former Maestro UK)
    ("6761", "6763", tuple(range(12, 20))),        # Maestro
    ("56", "58", tuple(range(12, 20))),            # Maestro (older 56-58 ranges)
    ("6390", "6390", tuple(range(12, 20))),        # Maestro
    ("0604", "0604", tuple(range(12, 20))),        # Maestro
    ("5019", "5019", (16,)),                       # Dankort
    ("2200", "2204", (16, 17, 18, 19)),            # Mir
    ("60", "60", (16,)),                           # RuPay
    ("508", "508", (16,)),                         # RuPay
    ("1", "1", (15,)),                             # UATP (airline cards, e.g. AirPlus)
)


def card_issuer(value: str) -> bool:
    if not only_digits_and(value, " -"):
        return False
    digits = digits_of(value)
    if not luhn(digits):
        return False
    for first, last, lengths in _CARD_ISSUERS:
        prefix = digits[: len(first)]
        if len(digits) in lengths and first <= prefix <= last:
            return True
    return False


# --- bank numbers -----------------------------------------------------------------------------------

# Length of the whole IBAN per country code, from the SWIFT IBAN Registry (release 98, 2024).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
    "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", re.ASCII)


def iban_mod97(value: str) -> bool:
    compact = value.replace(" ", "").replace("-", "")
    if not compact.isascii():
        return False
    compact = compact.upper()
    if not _IBAN_SHAPE.fullmatch(compact) or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    remainder = 0
    for ch in rearranged:
        # Letters count as two digits (A = 10 ... Z = 35), ISO 13616-1.
        number = ord(ch) - 48 if ch in ASCII_DIGITS else ord(ch) - 55
        remainder = (remainder * (100 if number > 9 else 10) + number) % 97
    return remainder == 1


def _federal_reserve_prefix(prefix: int) -> bool:
    # 00 government, 01-12 Federal Reserve districts, 21-32 thrifts, 61-72 electronic, 80 traveller's cheques.
    return 0 <= prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80


def aba_routing(value: str) -> bool:
    if not only_digits_and(value, "- "):
        return False
    digits = digits_of(value)
    if len(digits) != 9 or digits == "000000000" or not _federal_reserve_prefix(int(digits[:2])):
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(digits, weights)) % 10 == 0


# --- US and UK identity numbers -------------------------------------------------------------------------

_THREE_GROUPS = re.compile(r"([0-9]{3})([- .]?)([0-9]{2})([- .]?)([0-9]{4})", re.ASCII)

# Numbers the SSA lists as invalid because they were printed in advertising (and the ubiquitous sample).
SSN_ADVERTISING = frozenset({"078051120", "219099999", "123456789"})


def _nine_digit_groups(value: str) -> tuple[str, str, str] | None:
    """AAA-GG-SSSS with one consistent separator (-, space, dot) or none."""
    match = _THREE_GROUPS.fullmatch(value)
    if not match or match.group(2) != match.group(4):
        return None
    return match.group(1), match.group(3), match.group(5)


def ssn_rules(value: str) -> bool:
    groups = _nine_digit_groups(value)
    if groups is None:
        return False
    area, group, serial = groups
    digits = area + group + serial
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return digits not in SSN_ADVERTISING and len(set(digits)) > 1


def itin_rules(value: str) -> bool:
    groups = _nine_digit_groups(value)
    if groups is None:
        return False
    area, group, _serial = groups
    g = int(group)
    return area[0] == "9" and (50 <= g <= 65 or 70 <= g <= 88 or 90 <= g <= 92 or 94 <= g <= 99)


_NINO_SHAPE = re.compile(r"([A-Z])([A-Z])[0-9]{6}[A-D]", re.ASCII)
_NINO_NEVER_ALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def uk_nino(value: str) -> bool:
    # HMRC National Insurance Manual NIM39110: the letters D, F, I, Q, U, V are never used in either place,
    # O is not used as the second letter, and some prefixes are never allocated.
    compact = value.replace(" ", "")
    if not compact.isascii():
        return False
    match = _NINO_SHAPE.fullmatch(compact.upper())  # people type it in lower case too
    if not match:
        return False
    first, second = match.group(1), match.group(2)
    if first in "DFIQUV" or second in "DFIQUVO":
        return False
    return first + second not in _NINO_NEVER_ALLOCATED


# --- crypto-currency addresses ------------------------------------------------------------------------

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {ch: i for i, ch in enumerate(_BASE58)}


def _base58check_version(value: str) -> int | None:
    """The version byte of a valid 25-byte base58check payload, else None."""
    if not 25 <= len(value) <= 35:
        return None
    number = 0
    for ch in value:
        digit = _BASE58_INDEX.get(ch)
        if digit is None:
            return None
        number = number * 58 + digit
    leading_zeros = len(value) - len(value.lstrip("1"))
    body_length = (number.bit_length() + 7) // 8
    if leading_zeros + body_length != 25:
        return None
    raw = b"\x00" * leading_zeros + number.to_bytes(body_length, "big")
    payload, checksum = raw[:21], raw[21:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload[0]


_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {ch: i for i, ch in enumerate(_BECH32_CHARSET)}
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                checksum ^= generators[i]
    return checksum


def _segwit_address(value: str) -> bool:
    # BIP 173 (bech32, witness v0) and BIP 350 (bech32m, witness v1+), mainnet "bc" only.
    if len(value) > 90 or (value.lower() != value and value.upper() != value):
        return False
    address = value.lower()
    hrp, sep, data_part = address.rpartition("1")
    if not sep or hrp != "bc" or len(data_part) < 6:
        return False
    data = [_BECH32_INDEX.get(ch, -1) for ch in data_part]
    if -1 in data:
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    constant = _bech32_polymod(expanded + data)
    witness_version, program5 = data[0], data[1:-6]
    if witness_version > 16:
        return False
    if constant != (_BECH32_CONST if witness_version == 0 else _BECH32M_CONST):
        return False
    program = _convert_bits(program5, 5, 8)
    if program is None or not 2 <= len(program) <= 40:
        return False
    return witness_version != 0 or len(program) in (20, 32)


def _convert_bits(data: list[int], from_bits: int, to_bits: int) -> list[int] | None:
    """Regroup bits without padding; None when the leftover bits are not zero padding (BIP 173)."""
    accumulator, bits, result = 0, 0, []
    for value in data:
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            result.append((accumulator >> bits) & ((1 << to_bits) - 1))
    if bits >= from_bits or (accumulator << (to_bits - bits)) & ((1 << to_bits) - 1):
        return None
    return result


def btc_address(value: str) -> bool:
    if not value.isascii():
        return False
    if value[:3].lower() == "bc1":
        return _segwit_address(value)
    return _base58check_version(value) in (0x00, 0x05)


_ETH_SHAPE = re.compile(r"0x[0-9a-fA-F]{40}", re.ASCII)


def eth_address(value: str) -> bool:
    if not _ETH_SHAPE.fullmatch(value):
        return False
    hex_part = value[2:]
    if hex_part == hex_part.lower() or hex_part == hex_part.upper():
        return True  # no checksum to check
    # EIP-55: a letter is upper case exactly when the matching nibble of keccak256(lower-case hex) is >= 8.
    digest = keccak256(hex_part.lower().encode("ascii")).hex()
    for ch, nibble in zip(hex_part, digest):
        if ch.isalpha() and ch.isupper() != (int(nibble, 16) >= 8):
            return False
    return True


# --- tokens and random-looking strings -------------------------------------------------------------------


def shannon_bits(value: str) -> float:
    if not value:
        return 0.0
    n = len(value)
    # A plain left-to-right sum in first-occurrence order, the same as the JavaScript twin does (Python
    # 3.12's sum() compensates rounding, which could differ in the last bit).
    total = 0.0
    for count in Counter(value).values():
        total += count / n * math.log2(count / n)
    return -total


def character_classes(value: str) -> int:
    """How many of ASCII lower, ASCII upper, ASCII digit and anything else occur."""
    lower = any("a" <= c <= "z" for c in value)
    upper = any("A" <= c <= "Z" for c in value)
    digit = any("0" <= c <= "9" for c in value)
    other = any(not ("a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9") for c in value)
    return lower + upper + digit + other


def min_entropy(bits: float, min_classes: int = 1) -> Validator:
    if isinstance(bits, bool) or not isinstance(bits, (int, float)):
        raise TypeError("min_entropy: bits must be a number")
    if isinstance(min_classes, bool) or not isinstance(min_classes, int):
        raise TypeError("min_entropy: min_classes must be an integer")

    def check(value: str) -> bool:
        return shannon_bits(value) >= bits and character_classes(value) >= min_classes

    return check


_BASE64URL = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


def _reject_constant(name: str):
    raise ValueError(f"JSON constant {name} is not JSON")  # JavaScript's JSON.parse refuses NaN/Infinity


MAX_JSON_DEPTH = 32


def json_depth(text: str) -> int:
    """How deep arrays and objects nest, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def b64url_json(part: str):
    """The JSON value a base64url segment encodes, or None. Strict alphabet, no padding.

    JSON nested deeper than MAX_JSON_DEPTH is refused up front: Python's parser would hit its recursion
    limit where JavaScript's would not, and no token header nests that deep.
    """
    if not _BASE64URL.fullmatch(part) or len(part) % 4 == 1:
        return None
    padded = part + "=" * (-len(part) % 4)
    try:
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        if json_depth(text) > MAX_JSON_DEPTH:
            return None
        return json.loads(text, parse_constant=_reject_constant)
    except (binascii.Error, ValueError, UnicodeError):
        return None


def jwt_structure(value: str) -> bool:
    parts = value.split(".")
    if len(parts) != 3:
        return False
    header, payload = b64url_json(parts[0]), b64url_json(parts[1])
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)


# --- network addresses ----------------------------------------------------------------------------------


def ipv4(value: str) -> bool:
    parts = value.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not is_ascii_digits(part) or len(part) > 3 or (len(part) > 1 and part[0] == "0") or int(part) > 255:
            return False
    return True


_HEX_GROUP = re.compile(r"[0-9A-Fa-f]{1,4}", re.ASCII)


def ipv6(value: str) -> bool:
    """RFC 4291 section 2.2 text forms: 8 groups, or fewer with one "::", optionally ending in IPv4."""
    if value.count("::") > 1 or ":::" in value:
        return False
    head, compressed, tail = value.partition("::")
    groups = (head.split(":") if head else []) + (tail.split(":") if tail else [])
    ends_in_group = not compressed or bool(tail)  # "1.2.3.4::" does not end in its dotted quad
    width = 0
    for i, group in enumerate(groups):
        if "." in group:
            # A dotted quad stands for the last two groups, so it must come last.
            if i != len(groups) - 1 or not ends_in_group or not ipv4(group):
                return False
            width += 2
        elif _HEX_GROUP.fullmatch(group):
            width += 1
        else:
            return False
    return width <= 7 if compressed else width == 8


# --- dates and phone numbers ------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

# The date shapes date_of_birth accepts (SPEC.md lists them). Numeric: Y-M-D with a four-digit year, or
# D-M-Y / M-D-Y with a two- or four-digit year; one separator of - / . or space, used twice. Textual:
# "March 7, 1985", "7 March 1985", "7th of March, 1985", "07-Mar-1985", English month names or their
# three-letter abbreviations (with an optional dot; "Sept" too).
_ISO_DATE = re.compile(r"([0-9]{4})([-/. ])([0-9]{1,2})\2([0-9]{1,2})", re.ASCII)
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"([0-9]{1,2})([-/. ])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})", re.ASCII)
_MONTH_NAME_FIRST = re.compile(
    r"([A-Za-z]{3,9})\.?[ ]([0-9]{1,2})(?:st|nd|rd|th)?,?[ ]([0-9]{4})", re.ASCII
)
_DAY_FIRST_NAME = re.compile(
    r"([0-9]{1,2})(?:st|nd|rd|th)?(?:[ ]of)?[ ]([A-Za-z]{3,9})\.?,?[ ]([0-9]{4})", re.ASCII
)
_DAY_MONTH_NAME_DASHED = re.compile(r"([0-9]{1,2})([-/ ])([A-Za-z]{3,9})\2([0-9]{4})", re.ASCII)


def _real_date(year: int, month: int, day: int, today: datetime.date) -> bool:
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= date <= today


def _full_year(year: str, today: datetime.date) -> int:
    """A two-digit year is the latest of 19YY and 20YY not after today."""
    if len(year) == 4:
        return int(year)
    yy = int(year)
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def date_of_birth_on(value: str, today: datetime.date) -> bool:
    match = _ISO_DATE.fullmatch(value)
    if match:
        return _real_date(int(match.group(1)), int(match.group(3)), int(match.group(4)), today)
    match = _DAY_FIRST_OR_MONTH_FIRST.fullmatch(value)
    if match:
        a, b = int(match.group(1)), int(match.group(3))
        year = _full_year(match.group(4), today)
        # 03/04/1985 is ambiguous: either reading being a real date is enough.
        return _real_date(year, b, a, today) or _real_date(year, a, b, today)
    for shape, day_group, month_group, year_group in (
        (_MONTH_NAME_FIRST, 2, 1, 3),
        (_DAY_FIRST_NAME, 1, 2, 3),
        (_DAY_MONTH_NAME_DASHED, 1, 3, 4),
    ):
        match = shape.fullmatch(value)
        if match:
            month = MONTHS.get(match.group(month_group).lower())
            if month is None:
                return False
            return _real_date(int(match.group(year_group)), month, int(match.group(day_group)), today)
    return False


def date_of_birth(value: str) -> bool:
    return date_of_birth_on(value, datetime.date.today())


# A trailing extension ("x123", "ext. 123") is not part of the number's digit count.
_EXTENSION = re.compile(r"[ ]?(?:x|ext\.?|extension)[ ]?[0-9]{1,6}\Z", re.ASCII | re.IGNORECASE)


def _is_run(digits: str) -> bool:
    """Every digit one more (or one less) than the one before, e.g. 1234567 or 9876543."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:])}
    return steps == {1} or steps == {9}


def _numeric_date(value: str) -> bool:
    """2024-01-15, 15.01.2024, 01/15/24 or 20240115: a real date in any year from 1900 on."""
    far_future = datetime.date(9999, 12, 31)
    if len(value) == 8 and is_ascii_digits(value):
        return _real_date(int(value[:4]), int(value[4:6]), int(value[6:]), far_future)
    if not (_ISO_DATE.fullmatch(value) or _DAY_FIRST_OR_MONTH_FIRST.fullmatch(value)):
        return False
    return date_of_birth_on(value, far_future)


def phone_number(value: str) -> bool:
    """7 to 15 digits (ITU-T E.164) that look dialled: not a date, a run, one repeated digit or a round number."""
    main = _EXTENSION.sub("", value, count=1)
    if not only_digits_and(main, "+-. ()/"):
        return False
    digits = digits_of(main)
    if not 7 <= len(digits) <= 15 or len(set(digits)) == 1 or _is_run(digits):
        return False
    if digits.endswith("000000"):
        return False  # 650 000 000 is an amount
    return not _numeric_date(main)


# name -> factory taking the rule's args. Plain checks take no args, so a stray arg is an error.
REGISTRY: dict[str, Callable[..., Validator]] = {
    "luhn": lambda: luhn,
    "card_issuer": lambda: card_issuer,
    "iban_mod97": lambda: iban_mod97,
    "aba_routing": lambda: aba_routing,
    "ssn_rules": lambda: ssn_rules,
    "itin_rules": lambda: itin_rules,
    "uk_nino": lambda: uk_nino,
    "btc_address": lambda: btc_address,
    "eth_address": lambda: eth_address,
    "jwt_structure": lambda: jwt_structure,
    "min_entropy": min_entropy,
    "ipv4": lambda: ipv4,
    "ipv6": lambda: ipv6,
    "date_of_birth": lambda: date_of_birth,
    "phone_number": lambda: phone_number,
}


def make(name: str, args: dict) -> Validator:
    try:
        factory = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown validator {name!r}") from None
    return factory(**args)
