// The extension's error codes are the shared list, no more and no fewer.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ErrorCode, isErrorCode, PromptfenceError, UNREACHABLE_CODES } from "../common/errors.js";
import { readShared } from "./helpers/shared.js";

const SHARED_CODES = Object.keys(readShared(readShared("index.json").error_codes).codes);

test("when compared with shared-rules/protocol/error-codes.json then the codes are the same", () => {
  assert.deepEqual(Object.values(ErrorCode).sort(), [...SHARED_CODES].sort());
});

test("when the codes that mean 'agent unreachable' are listed then each is a shared code", () => {
  for (const code of UNREACHABLE_CODES) assert.ok(SHARED_CODES.includes(code), code);
});

test("when an error is made with an unknown code then it becomes internal", () => {
  assert.equal(new PromptfenceError("no_such_code").code, ErrorCode.INTERNAL);
  assert.equal(new PromptfenceError(ErrorCode.TIMEOUT).code, "timeout");
  assert.equal(isErrorCode("timeout"), true);
  assert.equal(isErrorCode("nope"), false);
});
