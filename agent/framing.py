"""Native-messaging frames: a 32-bit length in native byte order, then that many bytes of UTF-8 JSON.

Chrome and Firefox speak this on the host's stdin and stdout, and the host and the daemon speak the same
on their local socket, so one module serves both. Standard library only: the native host imports it.

Frames are read as bytes with the length capped *before* anything is allocated, and decoded once
(unlike a byte-at-a-time reader with no cap). A frame over the cap is reported, not read: its body can
then be skipped in bounded chunks so the stream stays in sync, which is the only way to recover, since
the browser cannot resend a frame.
"""

from __future__ import annotations

import json
import struct

# "=I": native byte order, standard 4-byte size, as Chrome and Firefox write it.
HEADER = struct.Struct("=I")

# What the host and the daemon accept from their peer by default; well under Chrome's 64 MiB.
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024
# Chrome refuses a message from the host above 1 MB and closes the port; nothing we send may exceed it.
MAX_REPLY_BYTES = 1024 * 1024
# A longer reply goes to the browser as `reply_part` frames, each at most this long (a margin under 1 MB).
MAX_PART_BYTES = 1000 * 1000
# The longest reply the daemon sends and the extension reassembles from parts (the input cap's figure);
# a result past it becomes `too_large`.
MAX_ASSEMBLED_REPLY_BYTES = 16 * 1024 * 1024
# How much of an oversize frame is held at once while it is being skipped.
SKIP_CHUNK_BYTES = 64 * 1024


class FrameError(Exception):
    """A frame could not be read; `code` is one of shared-rules/protocol/error-codes.json."""

    code = "bad_frame"


class TruncatedFrame(FrameError):
    """The stream ended inside a frame (in its length prefix or its body)."""

    code = "bad_frame"


class FrameTooLarge(FrameError):
    """The length prefix announces more than the cap; the body has not been read."""

    code = "too_large"

    def __init__(self, length: int, limit: int):
        super().__init__(f"frame of {length} bytes exceeds the limit of {limit} bytes")
        self.length = length
        self.limit = limit


class MessageError(FrameError):
    """The frame's bytes are not a UTF-8 JSON object."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def encode_frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def encode_message(message: dict) -> bytes:
    """One message as a whole frame. ensure_ascii=False keeps non-ASCII text at its UTF-8 size."""
    return encode_frame(dump_message(message))


def dump_message(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_message(payload: bytes) -> dict:
    """The frame's body as a JSON object, or MessageError with the code the protocol names."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise MessageError("bad_utf8", "the message is not valid UTF-8") from None
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        # RecursionError: deeply nested arrays exhaust the C decoder's stack guard.
        raise MessageError("bad_request", "the message is not valid JSON") from None
    if not isinstance(message, dict):
        raise MessageError("bad_request", "the message is not a JSON object")
    return message


def parse_length(header: bytes, limit: int) -> int:
    (length,) = HEADER.unpack(header)
    if length > limit:
        raise FrameTooLarge(length, limit)
    return length


class FrameReader:
    """Reads frames from a blocking binary stream (the host's stdin, a socket's file)."""

    def __init__(self, stream, limit: int = DEFAULT_MAX_FRAME_BYTES):
        self._stream = stream
        self.limit = limit

    def _read_exactly(self, size: int) -> bytes:
        # A buffered stream's read(n) already loops until n bytes or end of file; a raw one may not.
        chunks = []
        remaining = size
        while remaining:
            chunk = self._stream.read(remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def read(self) -> bytes | None:
        """The next frame's body; None at a clean end of stream (between frames).

        Raises TruncatedFrame when the stream ends inside a frame, FrameTooLarge when the length is
        over the limit (the body is left unread: call skip(error.length) to stay in sync).
        """
        header = self._read_exactly(HEADER.size)
        if not header:
            return None
        if len(header) < HEADER.size:
            raise TruncatedFrame("the stream ended inside a length prefix")
        length = parse_length(header, self.limit)
        payload = self._read_exactly(length)
        if len(payload) < length:
            raise TruncatedFrame(f"the stream ended after {len(payload)} of {length} bytes")
        return payload

    def skip(self, length: int) -> bool:
        """Discard `length` bytes in bounded chunks; False if the stream ended first."""
        remaining = length
        while remaining:
            chunk = self._stream.read(min(remaining, SKIP_CHUNK_BYTES))
            if not chunk:
                return False
            remaining -= len(chunk)
        return True


async def read_frame_async(reader, limit: int = DEFAULT_MAX_FRAME_BYTES) -> bytes | None:
    """The asyncio twin of FrameReader.read, for an asyncio.StreamReader."""
    import asyncio  # only the daemon reads asynchronously; the host never pays for this import

    try:
        header = await reader.readexactly(HEADER.size)
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            return None
        raise TruncatedFrame("the stream ended inside a length prefix") from None
    length = parse_length(header, limit)
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError as error:
        raise TruncatedFrame(f"the stream ended after {len(error.partial)} of {length} bytes") from None


async def skip_async(reader, length: int) -> bool:
    """The asyncio twin of FrameReader.skip."""
    import asyncio

    remaining = length
    while remaining:
        try:
            chunk = await reader.readexactly(min(remaining, SKIP_CHUNK_BYTES))
        except asyncio.IncompleteReadError:
            return False
        remaining -= len(chunk)
    return True
