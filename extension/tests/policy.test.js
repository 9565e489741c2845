// common/policy.js beyond what fallback.test.js covers: the uploads rules the content script applies to
// attached files, and the agent's rule that code findings are never redacted.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { decide, findingActions, UPLOAD_DEFAULTS, uploadRules } from "../common/policy.js";
import { sharedRules } from "./helpers/shared.js";

const { defaultPolicy } = sharedRules();

describe("uploads", () => {
  test("when the view is the default policy then its uploads section is what the defaults say", () => {
    const rules = uploadRules(defaultPolicy);
    assert.deepEqual(rules, {
      nonText: defaultPolicy.uploads.non_text,
      maxTextBytes: defaultPolicy.uploads.max_text_bytes,
      textExtensions: defaultPolicy.uploads.text_extensions,
    });
    // The built-in defaults (for a view from an older agent) are the shipped policy's.
    assert.deepEqual(
      { ...UPLOAD_DEFAULTS, textExtensions: [...UPLOAD_DEFAULTS.textExtensions] },
      rules,
    );
  });

  test("when the policy blocks non-text files and narrows the list then the rules follow it", () => {
    const view = { uploads: { non_text: "block", max_text_bytes: 1000, text_extensions: ["md", "csv"] } };
    assert.deepEqual(uploadRules(view), { nonText: "block", maxTextBytes: 1000, textExtensions: ["md", "csv"] });
  });

  test("when a key is missing or malformed then that key alone takes its default", () => {
    const view = { uploads: { non_text: "warn", max_text_bytes: 9_000_000, text_extensions: [".md"] } };
    assert.deepEqual(uploadRules(view), { ...UPLOAD_DEFAULTS, textExtensions: [...UPLOAD_DEFAULTS.textExtensions] });
    const partial = uploadRules({ uploads: { non_text: "block" } });
    assert.equal(partial.nonText, "block");
    assert.equal(partial.maxTextBytes, UPLOAD_DEFAULTS.maxTextBytes);
    assert.deepEqual(uploadRules(null).nonText, "allow");
  });
});

describe("code findings", () => {
  const code = { rule: "source-code", type: "SOURCE_CODE", category: "code", severity: "low", start: 0, end: 40, score: 0.8 };
  const email = { rule: "email", type: "EMAIL_ADDRESS", category: "pii", severity: "medium", start: 50, end: 60, score: 0.9 };
  const redactAll = { actions: [{ match: {}, action: "redact" }], default_action: "allow", messages: { warn: "check {types}" }, user_override: { allow_warn_override: true } };

  test("when the policy says redact for code then the code finding warns and the others still redact", () => {
    assert.deepEqual(findingActions([code, email], redactAll, "chatgpt.com", "paste"), ["warn", "redact"]);
    const result = decide([code, email], redactAll, "chatgpt.com", "paste");
    assert.equal(result.decision, "warn");
    assert.equal(result.message, "check source code");
    assert.ok(result.can_override);
  });

  test("when redact comes from default_action then code warns too", () => {
    const view = { actions: [], default_action: "redact" };
    assert.deepEqual(findingActions([code, email], view, "chatgpt.com", "paste"), ["warn", "redact"]);
  });

  test("when the policy allows or blocks code then that action stands", () => {
    for (const action of ["allow", "warn", "block"]) {
      const view = { actions: [{ match: { category: "code" }, action }], default_action: "allow" };
      assert.deepEqual(findingActions([code], view, "chatgpt.com", "paste"), [action]);
    }
  });
});
