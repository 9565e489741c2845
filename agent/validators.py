"""Named checks on a matched value (shared-rules/SPEC.md, "Validators").

Each validator is a pure function str -> bool. `make(name, args)` returns one, bound to its arguments.
extension/common/validators.js implements the same names with the same results.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections import Counter
from typing import Callable

Validator = Callable[[str], bool]


def digits_of(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


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


def shannon_bits(value: str) -> float:
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def character_classes(value: str) -> int:
    lower = any("a" <= c <= "z" for c in value)
    upper = any("A" <= c <= "Z" for c in value)
    digit = any("0" <= c <= "9" for c in value)
    other = any(not c.isalnum() for c in value)
    return lower + upper + digit + other


def min_entropy(bits: float, min_classes: int = 1) -> Validator:
    def check(value: str) -> bool:
        return shannon_bits(value) >= bits and character_classes(value) >= min_classes

    return check


def ipv4(value: str) -> bool:
    parts = value.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part.isdigit() or len(part) > 3 or (len(part) > 1 and part[0] == "0") or int(part) > 255:
            return False
    return True


def b64url_json(part: str):
    padded = part + "=" * (-len(part) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeError):
        return None


def jwt_structure(value: str) -> bool:
    parts = value.split(".")
    if len(parts) != 3:
        return False
    header, payload = b64url_json(parts[0]), b64url_json(parts[1])
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)


# name -> factory taking the rule's args. Plain checks ignore args.
REGISTRY: dict[str, Callable[..., Validator]] = {
    "luhn": lambda: luhn,
    "min_entropy": min_entropy,
    "ipv4": lambda: ipv4,
    "jwt_structure": lambda: jwt_structure,
}


def make(name: str, args: dict) -> Validator:
    try:
        factory = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown validator {name!r}") from None
    return factory(**args)
