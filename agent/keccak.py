"""Keccak-256 as Ethereum uses it (EIP-55 address checksums).

hashlib.sha3_256 is the FIPS 202 SHA3-256, which pads with 0x06; the original Keccak submission that
Ethereum adopted pads with 0x01, so the digests differ. This is a plain Keccak-f[1600] sponge, small and
slow, which is fine for hashing 40 hex characters. extension/common/hashes.js is its JavaScript twin.
"""

from __future__ import annotations

MASK64 = (1 << 64) - 1

# Round constants of the iota step (FIPS 202, section 3.2.5).
ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)

# Rotation offsets of the rho step, indexed [x][y].
ROTATIONS = (
    (0, 36, 3, 41, 18),
    (1, 44, 10, 45, 2),
    (62, 6, 43, 15, 61),
    (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)

RATE_BYTES = 136  # 1600 - 2 * 256 bits of capacity


def rotate_left(lane: int, n: int) -> int:
    return ((lane << n) | (lane >> (64 - n))) & MASK64 if n else lane


def keccak_f1600(state: list[int]) -> None:
    """Permute the 25 lanes in place; lane (x, y) is state[x + 5 * y]."""
    for constant in ROUND_CONSTANTS:
        # theta
        columns = [state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20] for x in range(5)]
        for x in range(5):
            d = columns[(x - 1) % 5] ^ rotate_left(columns[(x + 1) % 5], 1)
            for y in range(5):
                state[x + 5 * y] ^= d
        # rho and pi
        moved = [0] * 25
        for x in range(5):
            for y in range(5):
                moved[y + 5 * ((2 * x + 3 * y) % 5)] = rotate_left(state[x + 5 * y], ROTATIONS[x][y])
        # chi
        for y in range(5):
            row = moved[5 * y:5 * y + 5]
            for x in range(5):
                state[x + 5 * y] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5])
        # iota
        state[0] ^= constant


def sponge256(data: bytes, domain: int) -> bytes:
    """The 256-bit Keccak sponge with the given first padding byte (0x01 Keccak, 0x06 SHA-3)."""
    padded = bytearray(data)
    padded.append(domain)
    padded.extend(b"\x00" * (-len(padded) % RATE_BYTES))
    padded[-1] |= 0x80
    state = [0] * 25
    for offset in range(0, len(padded), RATE_BYTES):
        block = padded[offset:offset + RATE_BYTES]
        for i in range(RATE_BYTES // 8):
            state[i] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        keccak_f1600(state)
    return b"".join(state[i].to_bytes(8, "little") for i in range(4))


def keccak256(data: bytes) -> bytes:
    return sponge256(data, 0x01)  # Keccak padding, not SHA-3's 0x06
