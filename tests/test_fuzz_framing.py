"""Property-based fuzzing of frame reading and message decoding (hypothesis).

Whatever bytes arrive, reading frames either yields frames, ends cleanly, or raises one of framing's typed
errors, and never reads a body over the cap; decoding and request parsing either give a message or a
ProtocolError with a code from the shared list — never another exception.
"""

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptfence.agent import framing, protocol

CAP = 256
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
envelope_like = st.fixed_dictionaries(
    {},
    optional={
        "v": st.one_of(st.just(1), st.integers(-2, 3), st.text(max_size=2), st.none(), st.booleans()),
        "type": st.one_of(st.sampled_from(protocol.REQUEST_TYPES + ("error", "scan_result")), st.text(max_size=12), st.integers()),
        "id": st.one_of(st.text(max_size=140), st.integers(), st.none(), st.booleans(), st.lists(st.integers(), max_size=2)),
        "text": st.one_of(st.text(max_size=40), st.integers(), st.none()),
        "site": st.one_of(st.sampled_from(["chatgpt.com", "a b", ""]), st.text(max_size=20)),
        "channel": st.one_of(st.sampled_from(["paste", "drop", "submit", "upload", "network", "fax"]), st.integers()),
        "event_id": st.one_of(st.uuids().map(str), st.text(max_size=10)),
        "action": st.one_of(st.sampled_from(["cancelled", "accepted_redaction", "overrode", "x"]), st.none()),
        "versions": st.one_of(st.lists(st.integers(0, 3), max_size=3), st.text(max_size=3)),
        "client": st.one_of(st.dictionaries(st.sampled_from(["name", "version"]), json_values, max_size=2), st.text(max_size=3)),
    },
)


@FUZZ
@given(st.binary(max_size=2048))
def test_when_any_bytes_arrive_then_frames_or_typed_errors_only(data):
    reader = framing.FrameReader(io.BytesIO(data), limit=CAP)
    for _ in range(len(data) + 1):
        try:
            payload = reader.read()
        except framing.FrameTooLarge as error:
            assert error.length > CAP
            if not reader.skip(error.length):
                return
            continue
        except framing.TruncatedFrame:
            return
        if payload is None:
            return
        assert len(payload) <= CAP


@FUZZ
@given(st.lists(st.binary(max_size=CAP), max_size=8))
def test_when_frames_are_encoded_then_reading_gives_them_back(payloads):
    data = b"".join(framing.encode_frame(p) for p in payloads)
    reader = framing.FrameReader(io.BytesIO(data), limit=CAP)
    assert [reader.read() for _ in payloads] == payloads
    assert reader.read() is None


@FUZZ
@given(st.binary(max_size=512))
def test_when_any_body_is_decoded_then_an_object_or_a_typed_error(payload):
    try:
        message = framing.decode_message(payload)
    except framing.MessageError as error:
        assert error.code in {"bad_utf8", "bad_request"}
    else:
        assert isinstance(message, dict)


def _check_parse(payload: bytes) -> None:
    try:
        request = protocol.parse_request(payload)
    except protocol.ProtocolError as error:
        assert error.code in protocol.error_codes()
        reply = error.as_reply()
        assert reply["id"] is None or isinstance(reply["id"], (str, int))
        json.dumps(reply)
    else:
        assert request.type in protocol.REQUEST_TYPES
        assert request.body["v"] == 1


@FUZZ
@given(json_values)
def test_when_any_json_value_is_parsed_as_a_request_then_a_request_or_a_protocol_error(value):
    _check_parse(json.dumps(value).encode())


@FUZZ
@given(envelope_like)
def test_when_near_miss_envelopes_are_parsed_then_a_request_or_a_protocol_error(message):
    _check_parse(json.dumps(message).encode())


def _jsonschema_fields(message_type: str, message: dict) -> set[str]:
    import jsonschema

    schema = protocol.load_schema(message_type)
    fields = set()
    for error in jsonschema.Draft202012Validator(schema).iter_errors(message):
        path = [str(part) for part in error.absolute_path]
        if error.validator == "required":
            path += [name for name in error.validator_value if name not in error.instance][:1]
        fields.add("/".join(path))
    return fields


@FUZZ
@given(envelope_like, st.sampled_from(protocol.REQUEST_TYPES))
def test_when_the_compiled_checker_and_jsonschema_judge_a_request_then_they_agree(message, message_type):
    """Differential test: schemacheck (what the daemon runs) against the jsonschema library."""
    message = {**message, "v": 1, "type": message_type, "id": "x"}
    expected = _jsonschema_fields(message_type, message)
    violation = protocol._checker(message_type)(message)
    if violation is None:
        assert not expected
    else:
        assert "/".join(str(part) for part in violation.path) in expected
