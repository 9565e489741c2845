"""Protocol v1 (PROTOCOL.md): read a request, check it, route it to its handler, shape the reply.

Every message is one JSON object `{"v": 1, "type": ..., "id": ..., <payload>}`. The envelope is checked by
hand, in an order that gives the most useful error (a request whose id cannot be read gets `id: null`; a
wrong version is `unsupported_version`, an unknown type `unknown_type`); each payload is then checked
against its JSON Schema in shared-rules/schemas/protocol/, which is also the written contract, compiled by
schemacheck.py into checks that cost about 0.03 ms a request (bench.native measures it).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Awaitable, Callable

from promptfence.agent import framing

PROTOCOL_VERSION = 1
SUPPORTED_VERSIONS = (1,)
REQUEST_TYPES = ("hello", "scan", "user_action", "status", "policy")
REPLY_TYPES = {name: f"{name}_result" for name in REQUEST_TYPES}
MAX_ID_CHARS = 128

log = logging.getLogger("promptfence.agent.protocol")


def shared_rules_dir() -> Path:
    from promptfence.agent.rules import shared_rules_dir as locate

    return locate()


@lru_cache(maxsize=None)
def error_codes() -> frozenset[str]:
    path = shared_rules_dir() / "protocol" / "error-codes.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["codes"])


@lru_cache(maxsize=None)
def load_schema(message_type: str) -> dict:
    path = shared_rules_dir() / "schemas" / "protocol" / f"{message_type}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _checker(message_type: str):
    from promptfence.agent.schemacheck import compile_schema

    return compile_schema(load_schema(message_type))


class ProtocolError(Exception):
    """A request the agent answers with a typed error instead of a result."""

    def __init__(self, code: str, message: str, request_id=None, field: str | None = None, **extra):
        super().__init__(message)
        if code not in error_codes():
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.message = message
        self.request_id = request_id
        self.field = field
        self.extra = extra

    def as_reply(self) -> dict:
        reply = {"v": PROTOCOL_VERSION, "type": "error", "id": self.request_id, "code": self.code, "message": self.message}
        if self.field is not None:
            reply["field"] = self.field
        reply.update(self.extra)
        return reply


def error_reply(request_id, code: str, message: str, **extra) -> dict:
    return ProtocolError(code, message, request_id, **extra).as_reply()


def reply(message_type: str, request_id, **fields) -> dict:
    return {"v": PROTOCOL_VERSION, "type": message_type, "id": request_id, **fields}


@dataclass(frozen=True, slots=True)
class Request:
    type: str
    id: object
    body: dict  # the whole message, envelope included, checked against its schema


def _request_id(message: dict):
    """The id to echo, or ProtocolError with id null when there is none we may echo."""
    if "id" not in message:
        raise ProtocolError("bad_request", "the message has no id", None, field="id")
    value = message["id"]
    # bool is an int in Python but not an id; a float id would not survive the round trip exactly.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ProtocolError("bad_request", "id must be a string or an integer", None, field="id")
    if isinstance(value, str) and not 0 < len(value) <= MAX_ID_CHARS:
        raise ProtocolError("bad_request", f"id must have 1 to {MAX_ID_CHARS} characters", None, field="id")
    return value


def _field_of(violation) -> str:
    """The path of the field a violation is about, e.g. "text" or "client/version"."""
    return "/".join(str(part) for part in violation.path)


def _problem_of(violation, field: str) -> str:
    # Never quote the offending value: it may be the user's text.
    kind, expected = violation.keyword, violation.expected
    if kind == "required":
        return f"missing field {field}"
    if kind == "type":
        return f"{field} must be of type {expected}"
    if kind in ("enum", "const"):
        allowed = expected if kind == "enum" else [expected]
        return f"{field} must be one of {', '.join(map(str, allowed))}"
    if kind in ("maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum"):
        return f"{field} violates {kind} {expected}"
    return f"{field} is invalid ({kind})"


def parse_request(payload: bytes) -> Request:
    """The frame's body as a checked Request, or ProtocolError carrying the code and the id to echo."""
    try:
        message = framing.decode_message(payload)
    except framing.MessageError as error:
        raise ProtocolError(error.code, str(error)) from None
    request_id = _request_id(message)

    version = message.get("v")
    if "v" not in message:
        raise ProtocolError("bad_request", "missing field v", request_id, field="v")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ProtocolError("bad_request", "v must be an integer", request_id, field="v")
    if version not in SUPPORTED_VERSIONS:
        raise ProtocolError(
            "unsupported_version",
            f"protocol version {version} is not supported",
            request_id,
            supported_versions=list(SUPPORTED_VERSIONS),
        )

    message_type = message.get("type")
    if not isinstance(message_type, str):
        raise ProtocolError("bad_request", "type must be a string", request_id, field="type")
    if message_type not in REQUEST_TYPES:
        # The name is the sender's, but shorten it: it is echoed in the message and may be logged.
        raise ProtocolError("unknown_type", f"unknown message type {message_type[:40]!r}", request_id)

    violation = _checker(message_type)(message)
    if violation is not None:
        field = _field_of(violation)
        raise ProtocolError("bad_request", _problem_of(violation, field), request_id, field=field)
    return Request(message_type, request_id, message)


Handler = Callable[[Request, object], Awaitable[dict]]


class Dispatcher:
    """One table from request type to handler; every outcome is one reply dict, never an exception."""

    def __init__(self, handlers: dict[str, Handler]):
        unknown = set(handlers) - set(REQUEST_TYPES)
        if unknown:
            raise ValueError(f"handlers for unknown types: {sorted(unknown)}")
        self._handlers = handlers

    async def handle(self, payload: bytes, context=None) -> dict:
        """The reply to one frame; `context` (the caller's connection) is passed to the handler."""
        started = time.perf_counter()
        request_id = None
        try:
            request = parse_request(payload)
            request_id = request.id
            handler = self._handlers.get(request.type)
            if handler is None:
                raise ProtocolError("unknown_type", f"{request.type} is not served here", request_id)
            return await handler(request, context)
        except ProtocolError as error:
            if error.request_id is None and request_id is not None:
                error.request_id = request_id
            log.info("request id=%s failed code=%s ms=%.1f", loggable_id(error.request_id), error.code,
                     (time.perf_counter() - started) * 1000)
            return error.as_reply()
        except Exception as error:  # noqa: BLE001 - the daemon must answer every request
            # Type and traceback only: an exception's message may quote the text.
            log.error("request id=%s internal error %s", loggable_id(request_id), type(error).__name__,
                      exc_info=_ContentFreeTraceback(error))
            return error_reply(request_id, "internal", "internal error; see the agent log")


def loggable_id(request_id) -> str:
    return json.dumps(request_id)[: MAX_ID_CHARS + 2]


class _ContentFreeTraceback(tuple):
    """exc_info whose exception prints as its type name alone, so logs keep the stack but not the
    message, which may quote user text."""

    def __new__(cls, error: BaseException):
        stripped = type("Redacted" + type(error).__name__, (Exception,), {})()
        stripped.__traceback__ = error.__traceback__
        return super().__new__(cls, (type(stripped), stripped, error.__traceback__))
