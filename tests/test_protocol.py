"""Protocol v1: envelope checks in order, payload checks naming the field, the schemas themselves,
UTF-16 offsets, and the anonymised event summary."""

import asyncio
import json
from pathlib import Path

import jsonschema
import pytest

from promptfence.agent import events, protocol, worker

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL_SCHEMAS = ROOT / "shared-rules" / "schemas" / "protocol"
EVENT_SCHEMA = json.loads((ROOT / "shared-rules" / "schemas" / "event.schema.json").read_text())


def encode(message) -> bytes:
    return json.dumps(message).encode()


def scan(**changes):
    message = {"v": 1, "type": "scan", "id": "r1", "channel": "paste", "site": "chatgpt.com", "text": "hi"}
    message.update(changes)
    return {key: value for key, value in message.items() if value is not ...}


def failure(message) -> protocol.ProtocolError:
    payload = message if isinstance(message, bytes) else encode(message)
    with pytest.raises(protocol.ProtocolError) as raised:
        protocol.parse_request(payload)
    return raised.value


# --- the schemas -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(PROTOCOL_SCHEMAS.glob("*.schema.json")) + [ROOT / "shared-rules/schemas/event.schema.json"],
                         ids=lambda p: p.name)
def test_when_a_schema_is_loaded_then_it_is_valid_draft_2020_12(path):
    schema = json.loads(path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("/draft/2020-12/schema")


def test_when_listing_schemas_then_every_request_has_one_and_its_reply_too():
    names = {p.name.removesuffix(".schema.json") for p in PROTOCOL_SCHEMAS.glob("*.schema.json")}
    expected = set(protocol.REQUEST_TYPES) | {f"{t}_result" for t in protocol.REQUEST_TYPES} | {"error", "reply_part"}
    assert names == expected


def test_when_comparing_error_codes_then_the_error_schema_lists_exactly_the_shared_codes():
    shared = json.loads((ROOT / "shared-rules/protocol/error-codes.json").read_text())["codes"]
    assert set(protocol.load_schema("error")["properties"]["code"]["enum"]) == set(shared)
    assert protocol.error_codes() == frozenset(shared)


def test_when_an_unknown_code_is_raised_then_it_is_refused():
    with pytest.raises(ValueError):
        protocol.ProtocolError("no_such_code", "x")


# --- envelope order ----------------------------------------------------------------------------------


def test_when_the_request_is_well_formed_then_it_parses():
    request = protocol.parse_request(encode(scan(extra_field_from_a_newer_extension=[1])))
    assert (request.type, request.id, request.body["text"]) == ("scan", "r1", "hi")


@pytest.mark.parametrize(
    "payload, code",
    [(b"\xc3\x28", "bad_utf8"), (b"not json", "bad_request"), (b"[]", "bad_request"), (b"", "bad_request")],
)
def test_when_the_body_cannot_be_read_then_id_is_null(payload, code):
    error = failure(payload)
    assert (error.code, error.as_reply()["id"]) == (code, None)


@pytest.mark.parametrize("bad_id", [..., None, True, 1.5, "", "x" * 129, ["r1"], {"a": 1}])
def test_when_the_id_is_missing_or_of_a_wrong_type_then_bad_request_on_field_id_with_null_id(bad_id):
    error = failure(scan(id=bad_id))
    assert error.code == "bad_request" and error.field == "id" and error.request_id is None


@pytest.mark.parametrize("good_id", ["r7", 0, -3, 2**53, "x" * 128])
def test_when_the_id_is_a_string_or_an_integer_then_it_is_echoed(good_id):
    assert protocol.parse_request(encode(scan(id=good_id))).id == good_id
    assert failure(scan(id=good_id, type="nope")).as_reply()["id"] == good_id


@pytest.mark.parametrize("version", [..., "1", 1.0, True, None])
def test_when_v_is_missing_or_not_an_integer_then_bad_request_on_v(version):
    error = failure(scan(v=version))
    assert (error.code, error.field, error.request_id) == ("bad_request", "v", "r1")


@pytest.mark.parametrize("version", [0, 2, 99])
def test_when_v_is_another_integer_then_unsupported_version_with_what_is_supported(version):
    reply = failure(scan(v=version)).as_reply()
    assert reply["code"] == "unsupported_version" and reply["supported_versions"] == [1] and reply["id"] == "r1"


@pytest.mark.parametrize("kind", ["scan_result", "error", "SCAN", "delete_everything"])
def test_when_the_type_is_unknown_then_unknown_type(kind):
    assert failure(scan(type=kind)).code == "unknown_type"


def test_when_the_type_is_not_a_string_then_bad_request_on_type():
    assert failure(scan(type=3)).field == "type"


# --- payloads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"text": ...}, "text"),
        ({"text": 42}, "text"),
        ({"text": None}, "text"),
        ({"site": ...}, "site"),
        ({"site": "chatgpt.com/path?q"}, "site"),
        ({"channel": "fax"}, "channel"),
        ({"channel": ...}, "channel"),
        ({"extension_version": 3}, "extension_version"),
    ],
)
def test_when_a_scan_field_is_missing_or_wrong_then_bad_request_naming_it(changes, field):
    error = failure(scan(**changes))
    assert (error.code, error.field, error.request_id) == ("bad_request", field, "r1")
    assert field in error.message


def test_when_a_nested_field_is_wrong_then_its_path_is_named():
    error = failure({"v": 1, "type": "hello", "id": 1, "client": {"version": 5}})
    assert error.field == "client/version"


def test_when_a_user_action_is_incomplete_then_the_missing_field_is_named():
    error = failure({"v": 1, "type": "user_action", "id": 2, "action": "cancelled"})
    assert error.field == "event_id"
    error = failure({"v": 1, "type": "user_action", "id": 2, "event_id": "00000000-0000-4000-8000-000000000000", "action": "shrugged"})
    assert error.field == "action"


def test_when_a_field_is_wrong_then_the_message_does_not_quote_its_value():
    secret = "AKIAZ7Q3WXYV4TRS2P5K"
    error = failure(scan(site=secret + " !"))
    assert secret not in error.message and secret not in json.dumps(error.as_reply())
    error = failure({"v": 1, "type": "user_action", "id": 2, "event_id": "x", "action": secret})
    assert secret not in json.dumps(error.as_reply())


# --- dispatcher --------------------------------------------------------------------------------------


def test_when_dispatching_then_handlers_get_the_request_and_failures_become_replies():
    async def status(request, context):
        return protocol.reply("status_result", request.id, context=context)

    async def broken(request, context):
        raise RuntimeError("text that must not be logged")

    dispatcher = protocol.Dispatcher({"status": status, "scan": broken})

    async def scenario():
        ok = await dispatcher.handle(encode({"v": 1, "type": "status", "id": 9}), "conn-1")
        crash = await dispatcher.handle(encode(scan()), "conn-1")
        missing = await dispatcher.handle(encode({"v": 1, "type": "policy", "id": "p"}), "conn-1")
        garbage = await dispatcher.handle(b"\x00\x01", "conn-1")
        return ok, crash, missing, garbage

    ok, crash, missing, garbage = asyncio.run(scenario())
    assert ok == {"v": 1, "type": "status_result", "id": 9, "context": "conn-1"}
    assert (crash["code"], crash["id"]) == ("internal", "r1")
    assert (missing["code"], missing["id"]) == ("unknown_type", "p")
    assert (garbage["code"], garbage["id"]) == ("bad_request", None)
    for reply in (crash, missing, garbage):
        jsonschema.validate(reply, protocol.load_schema("error"))


def test_when_a_handler_table_names_an_unknown_type_then_it_is_refused():
    with pytest.raises(ValueError):
        protocol.Dispatcher({"format_disk": None})


# --- offsets -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["plain ascii", "ünïcödé in the BMP", "😀 emoji first", "a😀b😀😀c", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters", "\ud800 lone surrogate 😀"],
)
def test_when_converting_offsets_then_they_are_javascript_string_indices(text):
    offsets = list(range(len(text) + 1))
    converted = worker.utf16_offsets(text, offsets)
    # What JavaScript's String.prototype.length gives for each prefix.
    expected = [len(text[:i].encode("utf-16-le", "surrogatepass")) // 2 for i in offsets]
    assert converted == expected


def test_when_a_result_is_converted_then_findings_and_replacements_move_together():
    text = "😀 bob@corp.example"
    result = {"findings": [{"start": 2, "end": 18}], "replacements": [{"start": 2, "end": 18, "placeholder": "<EMAIL_1>"}]}
    worker._to_utf16(text, result)
    assert result["findings"][0] == {"start": 3, "end": 19}
    assert result["replacements"][0]["start"] == 3 and result["replacements"][0]["end"] == 19


# --- events ------------------------------------------------------------------------------------------

KEY = b"k" * 32
TEXT = "write to bob@corp.example and bob@corp.example, key AKIAZ7Q3WXYV4TRS2P5K"
FINDINGS = [
    {"type": "EMAIL_ADDRESS", "rule": "email-address", "start": 9, "end": 25},
    {"type": "EMAIL_ADDRESS", "rule": "email-address", "start": 30, "end": 46},
    {"type": "AWS_ACCESS_KEY_ID", "rule": "aws-access-key-id", "start": 52, "end": 72},
]


def make_event(detail):
    summary = events.summarise(TEXT, FINDINGS, detail, KEY)
    return events.new_event(device_id="3f1c2a9e-0000-4000-8000-000000000001", user=events.pseudonym(KEY, "alice"),
                            site="chatgpt.com", channel="paste", decision="block", summary=summary,
                            policy_version="default-1", agent_version="0.1.0", extension_version=None, latency_ms=3.14159)


@pytest.mark.parametrize("detail", events.DETAIL_LEVELS)
def test_when_an_event_is_built_then_it_fits_the_schema_and_holds_no_text(detail):
    event = make_event(detail)
    jsonschema.validate(event, EVENT_SCHEMA, format_checker=jsonschema.FormatChecker())
    flat = json.dumps(event)
    for value in ("bob@corp.example", "AKIAZ7Q3WXYV4TRS2P5K", "alice", "write to"):
        assert value not in flat


def test_when_the_detail_is_counts_then_counts_and_length_but_no_fingerprints():
    event = make_event("counts")
    assert event["counts"] == {"types": {"EMAIL_ADDRESS": 2, "AWS_ACCESS_KEY_ID": 1},
                               "rules": {"email-address": 2, "aws-access-key-id": 1}}
    assert event["content_length"] == len(TEXT) and "fingerprints" not in event
    assert "counts" not in make_event("minimal")


def test_when_the_detail_is_fingerprints_then_one_per_distinct_value_and_keyed():
    event = make_event("fingerprints")
    values = event["fingerprints"]["values"]
    assert len(values) == 2  # the repeated email counts once
    other_key = events.summarise(TEXT, FINDINGS, "fingerprints", b"z" * 32)["fingerprints"]
    assert other_key["content"] != event["fingerprints"]["content"]


def test_when_pseudonymising_then_stable_per_key_and_distinct_from_fingerprints():
    assert events.pseudonym(KEY, "alice") == events.pseudonym(KEY, "alice")
    assert events.pseudonym(KEY, "alice") != events.pseudonym(b"o" * 32, "alice")
    assert events.pseudonym(KEY, "alice")[:32] != events.fingerprint(KEY, "alice")


def test_when_a_request_schema_is_compiled_then_every_keyword_is_supported():
    from promptfence.agent import schemacheck

    for message_type in protocol.REQUEST_TYPES:
        schemacheck.compile_schema(protocol.load_schema(message_type))
    with pytest.raises(schemacheck.UnsupportedSchema):
        schemacheck.compile_schema({"type": "object", "patternProperties": {"x": {}}})
    with pytest.raises(schemacheck.UnsupportedSchema):
        schemacheck.compile_schema({"type": "object", "additionalProperties": False})
