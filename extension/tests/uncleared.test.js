// The network guard's bookkeeping: which request bodies carry text no scan has cleared, and when a
// held request is released or cancelled.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { loadContentScripts } from "./helpers/shared.js";

const { UnclearedTexts } = loadContentScripts(["content/uncleared.js"]);
// The scripts run in their own vm realm: copy results into this one before deep comparisons.
const plain = (value) => JSON.parse(JSON.stringify(value));
const SECRET_DRAFT = "my key is AKIAZ7Q3WXYV4TRS2P5K ok";

describe("UnclearedTexts", () => {
  test("when nothing was typed then the guard is not armed and no body matches", () => {
    const texts = new UnclearedTexts();
    assert.equal(texts.armed, false);
    assert.deepEqual(plain(texts.matchBody(JSON.stringify({ q: SECRET_DRAFT }))), []);
  });

  test("when a typed draft appears JSON-escaped in a body then it matches", () => {
    const texts = new UnclearedTexts();
    const draft = 'line one "quoted"\nline two with enough text';
    texts.observe(draft);
    assert.equal(texts.armed, true);
    const body = JSON.stringify({ partial_query: { content: { parts: [draft] } } });
    assert.equal(texts.matchBody(body).length, 1);
  });

  test("when the draft is in a form-encoded body then it matches", () => {
    const texts = new UnclearedTexts();
    texts.observe(SECRET_DRAFT);
    const body = "f.req=" + encodeURIComponent(JSON.stringify([null, JSON.stringify([[SECRET_DRAFT]])]));
    assert.equal(texts.matchBody(body).length, 1);
  });

  test("when paragraphs differ only in whitespace then the draft still matches", () => {
    const texts = new UnclearedTexts();
    texts.observe("first paragraph text" + "second paragraph"); // textContent joins paragraphs
    assert.equal(texts.matchBody(JSON.stringify({ text: "first paragraph text\n\nsecond paragraph" })).length, 1);
  });

  test("when the draft is short then it never arms the guard", () => {
    const texts = new UnclearedTexts();
    texts.observe("hi");
    assert.equal(texts.armed, false);
    assert.equal(texts.isCleared("hi"), true);
  });

  test("when a body carries unrelated text then it goes", () => {
    const texts = new UnclearedTexts();
    texts.observe(SECRET_DRAFT);
    assert.deepEqual(plain(texts.matchBody(JSON.stringify({ event: "page_view", path: "/c/123" }))), []);
  });

  test("when the held text is cleared then the hold is released, and versions inside it too", () => {
    const texts = new UnclearedTexts();
    texts.observe("Tell me a joke");
    texts.observe("Tell me a joke about cats");
    const keys = texts.matchBody(JSON.stringify({ q: "Tell me a joke about cats" }));
    assert.equal(keys.length, 2, "the body carries both versions");
    texts.hold(1, keys);
    assert.deepEqual(plain(texts.settle()), { release: [], cancel: [] });
    texts.clear("Tell me a joke about cats");
    assert.deepEqual(plain(texts.settle()), { release: [1], cancel: [] });
    assert.equal(texts.armed, false);
    assert.equal(texts.isCleared("Tell me a joke about cats"), true);
  });

  test("when a flagged text is refused at submit then its holds are cancelled", () => {
    const texts = new UnclearedTexts();
    texts.observe(SECRET_DRAFT);
    const keys = texts.matchBody(JSON.stringify({ q: SECRET_DRAFT }));
    texts.hold(7, keys);
    texts.flag(keys);
    assert.deepEqual(plain(texts.settle()), { release: [], cancel: [] }, "flagged: still held");
    texts.refuse(SECRET_DRAFT + " and more");
    assert.deepEqual(plain(texts.settle()), { release: [], cancel: [7] });
  });

  test("when a flagged text is edited away then its holds are cancelled", () => {
    const texts = new UnclearedTexts();
    texts.observe(SECRET_DRAFT);
    const keys = texts.matchBody(SECRET_DRAFT);
    texts.hold(3, keys);
    texts.flag(keys);
    texts.observe("my key is gone now");
    assert.deepEqual(plain(texts.settle()), { release: [], cancel: [3] });
  });

  test("when a warned user sends anyway then the held request is released", () => {
    const texts = new UnclearedTexts();
    texts.observe(SECRET_DRAFT);
    const keys = texts.matchBody(SECRET_DRAFT);
    texts.hold(4, keys);
    texts.flag(keys);
    texts.clear(SECRET_DRAFT);
    assert.deepEqual(plain(texts.settle()), { release: [4], cancel: [] });
  });

  test("when many versions are typed then only the most recent are kept", () => {
    const texts = new UnclearedTexts();
    for (let i = 0; i < 100; i++) texts.observe(`draft number ${i} of the text`);
    assert.ok(texts.versions.size <= 40);
    assert.equal(texts.matchBody("draft number 99 of the text").length, 1);
  });
});
