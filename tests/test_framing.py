"""Native-messaging frames: length prefix, cap before allocation, skipping, decoding."""

import asyncio
import io
import json
import struct
import sys

import pytest

from promptfence.agent import framing


class CountingStream(io.BytesIO):
    """A BytesIO that remembers the largest single read asked of it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.largest_read = 0

    def read(self, size=-1):
        self.largest_read = max(self.largest_read, size if size is not None and size >= 0 else len(self.getvalue()))
        return super().read(size)


def frames(*payloads: bytes) -> bytes:
    return b"".join(framing.encode_frame(p) for p in payloads)


def test_when_encoding_then_the_length_is_native_endian_32_bit():
    frame = framing.encode_message({"a": "é"})
    (length,) = struct.unpack("=I", frame[:4])
    assert length == len(frame) - 4
    assert frame[:4] == len(frame[4:]).to_bytes(4, sys.byteorder)
    assert json.loads(frame[4:].decode("utf-8")) == {"a": "é"}
    assert "é".encode() in frame  # UTF-8 as is, not \u escapes


def test_when_reading_several_frames_then_each_comes_back_in_order_and_eof_is_none():
    reader = framing.FrameReader(io.BytesIO(frames(b'{"n":1}', b"", b'{"n":2}')))
    assert reader.read() == b'{"n":1}'
    assert reader.read() == b""
    assert reader.read() == b'{"n":2}'
    assert reader.read() is None


@pytest.mark.parametrize("cut", [1, 3, 4, 5, 10])
def test_when_the_stream_ends_inside_a_frame_then_truncated_frame(cut):
    data = framing.encode_frame(b'{"hello":"world"}')[:cut]
    with pytest.raises(framing.TruncatedFrame) as raised:
        framing.FrameReader(io.BytesIO(data)).read()
    assert raised.value.code == "bad_frame"


def test_when_the_length_is_over_the_cap_then_too_large_before_reading_the_body():
    body = b"x" * 1000
    stream = CountingStream(frames(body, b'{"next":true}'))
    reader = framing.FrameReader(stream, limit=100)
    with pytest.raises(framing.FrameTooLarge) as raised:
        reader.read()
    assert raised.value.length == 1000 and raised.value.code == "too_large"
    assert stream.tell() == 4  # only the length prefix was consumed
    assert reader.skip(raised.value.length)
    assert reader.read() == b'{"next":true}'  # back in sync


def test_when_skipping_a_huge_body_then_reads_stay_bounded():
    length = 5 * 1024 * 1024
    stream = CountingStream(framing.HEADER.pack(length) + b"\0" * length + frames(b"{}"))
    reader = framing.FrameReader(stream, limit=1024)
    with pytest.raises(framing.FrameTooLarge):
        reader.read()
    assert reader.skip(length)
    assert stream.largest_read <= framing.SKIP_CHUNK_BYTES
    assert reader.read() == b"{}"


def test_when_skipping_past_the_end_then_false():
    reader = framing.FrameReader(io.BytesIO(framing.HEADER.pack(500) + b"abc"), limit=10)
    with pytest.raises(framing.FrameTooLarge):
        reader.read()
    assert reader.skip(500) is False


class Trickle(io.RawIOBase):
    """A raw stream returning at most 3 bytes per read, like a pipe under load."""

    def __init__(self, data):
        self._data = memoryview(data)

    def readable(self):
        return True

    def read(self, size=-1):
        chunk = bytes(self._data[: min(3, size)])
        self._data = self._data[len(chunk):]
        return chunk


def test_when_the_stream_returns_short_reads_then_frames_are_still_whole():
    payload = json.dumps({"text": "x" * 100}).encode()
    reader = framing.FrameReader(Trickle(frames(payload, payload)))
    assert reader.read() == payload
    assert reader.read() == payload
    assert reader.read() is None


@pytest.mark.parametrize(
    "payload, code",
    [
        (b"\xff\xfe{}", "bad_utf8"),
        (b'{"a": "\xed\xa0\x80"}', "bad_utf8"),  # an encoded surrogate is not UTF-8
        (b"{not json", "bad_request"),
        (b"", "bad_request"),
        (b"[1, 2]", "bad_request"),
        (b'"a string"', "bad_request"),
        (b"[" * 100_000 + b"]" * 100_000, "bad_request"),
    ],
)
def test_when_the_body_is_not_a_utf8_json_object_then_a_typed_error(payload, code):
    with pytest.raises(framing.MessageError) as raised:
        framing.decode_message(payload)
    assert raised.value.code == code


def test_when_decoding_an_object_then_it_comes_back():
    assert framing.decode_message('{"v":1,"t":"ü😀"}'.encode()) == {"v": 1, "t": "ü😀"}


def run(coroutine):
    return asyncio.run(coroutine)


def stream_reader(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


def test_when_reading_asynchronously_then_the_same_rules_apply():
    async def scenario():
        reader = stream_reader(frames(b"{}", b"x" * 50, b'{"z":0}') + b"\x05\x00")
        assert await framing.read_frame_async(reader, 20) == b"{}"
        with pytest.raises(framing.FrameTooLarge) as raised:
            await framing.read_frame_async(reader, 20)
        assert await framing.skip_async(reader, raised.value.length)
        assert await framing.read_frame_async(reader, 20) == b'{"z":0}'
        with pytest.raises(framing.TruncatedFrame):
            await framing.read_frame_async(reader, 20)

    run(scenario())


def test_when_the_async_stream_ends_cleanly_then_none():
    async def scenario():
        return await framing.read_frame_async(stream_reader(b""))

    assert run(scenario()) is None
