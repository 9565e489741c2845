// The message dispatch table: sender tiers judged by id and origin, malformed and unknown messages get
// an error reply, and a throwing handler never escapes the listener.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createDispatcher, Tier } from "../background/dispatch.js";
import { ErrorCode, PromptfenceError } from "../common/errors.js";

const EXTENSION_ID = "kclocbobpikonbnlimgpfjmcjgaogihp";
const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

const table = {
  scan: { tier: Tier.CONTENT, check: (m) => (typeof m.text === "string" ? null : "text"), handle: async (m) => ({ echoed: m.text.length }) },
  get_state: { tier: Tier.EXTENSION, handle: async () => ({ state: "protected" }) },
  explode: { tier: Tier.CONTENT, handle: async () => { throw new PromptfenceError(ErrorCode.TIMEOUT); } },
  crash: { tier: Tier.CONTENT, handle: async () => { throw new TypeError("boom"); } },
};
const listener = createDispatcher(
  table,
  { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN, isGuardedOrigin: (origin) => origin === "https://chatgpt.com" },
  Promise.resolve(),
);

const contentSender = { id: EXTENSION_ID, origin: "https://chatgpt.com", url: "https://chatgpt.com/c/1", tab: { id: 3 }, frameId: 0 };
const popupSender = { id: EXTENSION_ID, origin: EXTENSION_ORIGIN, url: `${EXTENSION_ORIGIN}/popup/popup.html` };

function send(message, sender) {
  return new Promise((resolve) => {
    const keepOpen = listener(message, sender, resolve);
    if (!keepOpen) resolve(undefined);
  });
}

describe("dispatch", () => {
  test("when a content script on a guarded origin scans then the handler answers", async () => {
    assert.deepEqual(await send({ type: "scan", text: "abc" }, contentSender), { ok: true, echoed: 3 });
  });

  test("when the origin is not guarded then the content tier refuses, whatever the url says", async () => {
    const liar = { ...contentSender, origin: "https://evil.example", url: "https://chatgpt.com/" };
    assert.deepEqual(await send({ type: "scan", text: "abc" }, liar), { ok: false, error: ErrorCode.ORIGIN_NOT_ALLOWED });
  });

  test("when a subframe sends then the content tier refuses", async () => {
    assert.equal((await send({ type: "scan", text: "a" }, { ...contentSender, frameId: 2 })).error, ErrorCode.ORIGIN_NOT_ALLOWED);
  });

  test("when a content script asks for an extension-page message then it is refused", async () => {
    assert.equal((await send({ type: "get_state" }, contentSender)).error, ErrorCode.ORIGIN_NOT_ALLOWED);
    assert.deepEqual(await send({ type: "get_state" }, popupSender), { ok: true, state: "protected" });
  });

  test("when another extension sends then there is no reply at all", async () => {
    assert.equal(await send({ type: "get_state" }, { ...popupSender, id: "someone-else" }), undefined);
  });

  test("when the message is malformed or unknown then the reply is a typed error", async () => {
    assert.equal((await send(null, contentSender)).error, ErrorCode.BAD_REQUEST);
    assert.equal((await send({ kind: "scan" }, contentSender)).error, ErrorCode.BAD_REQUEST);
    assert.equal((await send({ type: "scan", text: 42 }, contentSender)).error, ErrorCode.BAD_REQUEST);
    assert.equal((await send({ type: "toString" }, contentSender)).error, ErrorCode.UNKNOWN_TYPE);
    assert.equal((await send({ type: "__proto__" }, contentSender)).error, ErrorCode.UNKNOWN_TYPE);
  });

  test("when a handler throws then the reply carries its code, or internal", async () => {
    assert.deepEqual(await send({ type: "explode" }, contentSender), { ok: false, error: ErrorCode.TIMEOUT });
    assert.deepEqual(await send({ type: "crash" }, contentSender), { ok: false, error: ErrorCode.INTERNAL });
  });
});
