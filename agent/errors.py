"""Typed errors shared by the agent and the extension.

The codes are those of shared-rules/protocol/error-codes.json (tests/test_engine.py checks that the enum and
the file agree); words for users come from the UI, so messages here are for logs and developers and never
contain the scanned text or a matched value.
"""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    BAD_REQUEST = "bad_request"
    BAD_FRAME = "bad_frame"
    BAD_UTF8 = "bad_utf8"
    BINARY_INPUT = "binary_input"
    TOO_LARGE = "too_large"
    UNSUPPORTED_VERSION = "unsupported_version"
    UNKNOWN_TYPE = "unknown_type"
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"
    POLICY_INVALID = "policy_invalid"
    AGENT_UNAVAILABLE = "agent_unavailable"
    TIMEOUT = "timeout"
    BUSY = "busy"
    INTERNAL = "internal"

    def __str__(self) -> str:
        return self.value


class PromptfenceError(Exception):
    """Base of every error the agent reports with a code."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, code: ErrorCode | str | None = None, message: str = ""):
        if code is not None:
            self.code = ErrorCode(code)
        self.message = message or self.code.value
        super().__init__(self.message)

    def as_dict(self) -> dict:
        return {"code": self.code.value, "message": self.message}

    def as_protocol(self, request_id=None) -> dict:
        """The native-messaging error message (design.md: id null when the request could not be read)."""
        return {"v": 1, "type": "error", "id": request_id, **self.as_dict()}


class BadRequest(PromptfenceError):
    code = ErrorCode.BAD_REQUEST

    def __init__(self, message: str):
        super().__init__(None, message)


class TextTooLarge(PromptfenceError):
    code = ErrorCode.TOO_LARGE

    def __init__(self, size: int | None, limit: int, unit: str = "characters"):
        """size None: the input was not read to its end (it is known to be over the limit)."""
        self.size = size
        self.limit = limit
        of = f" of {size} {unit}" if size is not None else ""
        super().__init__(None, f"input{of} exceeds the limit of {limit} {unit}")


class BadUtf8(PromptfenceError):
    code = ErrorCode.BAD_UTF8

    def __init__(self, offset: int, where: str = "input"):
        self.offset = offset
        super().__init__(None, f"{where} is not valid UTF-8: bad byte at offset {offset}")

    @classmethod
    def from_decode_error(cls, exc: UnicodeDecodeError, where: str = "input") -> "BadUtf8":
        return cls(exc.start, where)


class BinaryInput(PromptfenceError):
    code = ErrorCode.BINARY_INPUT

    def __init__(self, reason: str):
        super().__init__(None, f"input looks like binary data, not text: {reason}")


class PolicyInvalid(PromptfenceError):
    code = ErrorCode.POLICY_INVALID

    def __init__(self, source: str, key: str, problem: str):
        self.source = source
        self.key = key
        self.problem = problem
        super().__init__(None, f"{source}: {key}: {problem}")
