// common/policy.js beyond the fallback's decisions (fallback.test.js): the uploads rules the content
// script applies to attached files.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { UPLOAD_DEFAULTS, uploadRules } from "../common/policy.js";
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
