"""Check digits and encodings the corpus generators need to make values that are valid, not just shaped.

Written from the formats' own specifications, independently of agent/validators.py, so that a bug in the
product's validators cannot hide behind the same bug in the corpus. tests/test_eval.py checks each one
against published examples.
"""

from __future__ import annotations

import hashlib
import zlib

# --- decimal check digits ----------------------------------------------------------------------------


def luhn_check_digit(partial: str) -> str:
    """The digit that makes `partial + digit` pass Luhn (ISO/IEC 7812-1 annex B)."""
    total = 0
    # Walking from the right of the partial number, the first digit gets doubled (it becomes the
    # second-from-right once the check digit is appended).
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = [c for c in number if c.isdigit()]
    return len(digits) > 1 and luhn_check_digit("".join(digits[:-1])) == digits[-1]


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits: 98 - (BBAN + country + "00" as a number, letters A=10..Z=35) mod 97."""
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def aba_check_digit(first8: str) -> str:
    """ABA routing number: 3-7-1 weights over nine digits sum to a multiple of 10."""
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    total = sum(int(d) * w for d, w in zip(first8, weights))
    return str((10 - total % 10) % 10)


# --- Bitcoin -------------------------------------------------------------------------------------------

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(BASE58_ALPHABET[rem])
    # Each leading zero byte is written as the alphabet's first character.
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def base58check_encode(version: int, payload: bytes) -> str:
    body = bytes([version]) + payload
    checksum = hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4]
    return base58_encode(body + checksum)


BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3  # BIP-350


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(generators):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _to_5bit(data: bytes) -> list[int]:
    acc, bits, out = 0, 0, []
    for byte in data:
        acc = (acc << 8) | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            out.append((acc >> bits) & 31)
    if bits:
        out.append((acc << (5 - bits)) & 31)
    return out


def segwit_address(hrp: str, witness_version: int, program: bytes) -> str:
    """BIP-173 (version 0, bech32) or BIP-350 (version 1+, bech32m) address."""
    const = BECH32_CONST if witness_version == 0 else BECH32M_CONST
    data = [witness_version] + _to_5bit(program)
    polymod = _bech32_polymod(_hrp_expand(hrp) + data + [0] * 6) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in data + checksum)


def bech32_valid(address: str) -> bool:
    hrp, _, rest = address.lower().rpartition("1")
    if not hrp or len(rest) < 6 or any(c not in BECH32_CHARSET for c in rest):
        return False
    values = [BECH32_CHARSET.index(c) for c in rest]
    return _bech32_polymod(_hrp_expand(hrp) + values) in (BECH32_CONST, BECH32M_CONST)


def bech32_encode_words(hrp: str, data: bytes) -> str:
    """Plain bech32 of arbitrary bytes (the age key format, upper-cased by the caller)."""
    words = _to_5bit(data)
    polymod = _bech32_polymod(_hrp_expand(hrp) + words + [0] * 6) ^ BECH32_CONST
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in words + checksum)


# --- Ethereum ------------------------------------------------------------------------------------------


def _keccak_round_constants() -> list[int]:
    # The iota constants come from a degree-8 LFSR (Keccak reference, section 1.2); deriving them keeps
    # this file free of a second hand-copied table.
    constants, state = [], 1
    for _ in range(24):
        rc = 0
        for j in range(7):
            if state & 1:
                rc |= 1 << ((1 << j) - 1)
            state = ((state << 1) ^ 0x171) if state & 0x80 else state << 1
        constants.append(rc)
    return constants


_RC = _keccak_round_constants()
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
_M64 = (1 << 64) - 1


def _rol(v: int, n: int) -> int:
    return ((v << n) | (v >> (64 - n))) & _M64 if n else v


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                a[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _ROT[x][y])
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Original Keccak-256 (pad 0x01), as Ethereum uses it; not FIPS SHA3-256 (pad 0x06)."""
    rate = 136
    pad_len = rate - len(data) % rate
    # pad10*1 on bytes: 0x01, zeros, 0x80; with one byte left the first and last bits share it.
    padding = b"\x81" if pad_len == 1 else b"\x01" + b"\0" * (pad_len - 2) + b"\x80"
    padded = bytes(data) + padding
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(padded), rate):
        block = padded[off:off + rate]
        for i in range(rate // 8):
            a[i % 5][i // 5] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        _keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


def eip55(address_hex: str) -> str:
    """Mixed-case checksum encoding of a 20-byte address (EIP-55)."""
    lower = address_hex.lower().removeprefix("0x")
    digest = keccak256(lower.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c for i, c in enumerate(lower))


# --- token checksums -----------------------------------------------------------------------------------

BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(number: int, width: int) -> str:
    out = []
    while number:
        number, rem = divmod(number, 62)
        out.append(BASE62_ALPHABET[rem])
    return "".join(reversed(out)).rjust(width, "0")


def github_token_checksum(random_part: str) -> str:
    """The last six characters of a GitHub token: CRC32 of the random part in base62 (GitHub's
    2021 token-format announcement)."""
    return base62(zlib.crc32(random_part.encode("ascii")), 6)


def crc24(data: bytes) -> int:
    """OpenPGP ASCII-armour checksum (RFC 4880, section 6.1)."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF
