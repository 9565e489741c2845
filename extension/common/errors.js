// The typed error codes of the native-messaging protocol, shared with the agent.
//
// The one list is shared-rules/protocol/error-codes.json; extension/tests/errors.test.js checks that this
// copy equals it, so code here can name codes as constants. Codes are turned into words only in the UI
// (_locales/en/messages.json, "error_<code>").

export const ErrorCode = Object.freeze({
  BAD_REQUEST: "bad_request",
  BAD_FRAME: "bad_frame",
  BAD_UTF8: "bad_utf8",
  BINARY_INPUT: "binary_input",
  TOO_LARGE: "too_large",
  UNSUPPORTED_VERSION: "unsupported_version",
  UNKNOWN_TYPE: "unknown_type",
  ORIGIN_NOT_ALLOWED: "origin_not_allowed",
  POLICY_INVALID: "policy_invalid",
  AGENT_UNAVAILABLE: "agent_unavailable",
  TIMEOUT: "timeout",
  BUSY: "busy",
  INTERNAL: "internal",
});

const KNOWN = new Set(Object.values(ErrorCode));

export function isErrorCode(value) {
  return typeof value === "string" && KNOWN.has(value);
}

/** Codes after which the agent counts as unreachable, so the fail mode applies. */
export const UNREACHABLE_CODES = Object.freeze(
  new Set([ErrorCode.AGENT_UNAVAILABLE, ErrorCode.TIMEOUT, ErrorCode.BUSY, ErrorCode.INTERNAL, ErrorCode.BAD_FRAME]),
);

/** An error with one of the shared codes. `message` is for logs and never holds user text. */
export class PromptfenceError extends Error {
  constructor(code, message = code) {
    super(message);
    this.name = "PromptfenceError";
    this.code = isErrorCode(code) ? code : ErrorCode.INTERNAL;
  }
}
