// Site adapters over small DOM snippets (linkedom): each site's composer and send control are found,
// event targets inside them are recognised, and the editable root of a paste target is right.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseHTML } from "linkedom";

import { loadContentScripts } from "./helpers/shared.js";

const { sites } = loadContentScripts(["content/sites.js"]);

function dom(body) {
  return parseHTML(`<!doctype html><html><body>${body}</body></html>`).document;
}

// Markup in the shape each site (and its e2e fixture) has today.
const SNIPPETS = {
  "chatgpt.com": `<form><div id="composer"><div contenteditable="true" translate="no" class="ProseMirror" id="prompt-textarea"><p>hi <strong>there</strong></p></div></div>
    <button id="composer-submit-button" data-testid="send-button"><svg><path/></svg></button></form>`,
  "claude.ai": `<div class="composer"><div contenteditable="true" role="textbox" class="ProseMirror" aria-label="Write your prompt"><p>x</p></div>
    <button aria-label="Send message"><svg/></button></div>`,
  "gemini.google.com": `<rich-textarea><div class="ql-editor textarea" contenteditable="true" role="textbox"><p>x</p></div></rich-textarea>
    <button class="send-button" aria-label="Send message"><mat-icon>send</mat-icon></button>`,
  "copilot.microsoft.com": `<div><textarea id="userInput" placeholder="Message Copilot"></textarea><button title="Submit message">Go</button></div>`,
};

describe("site adapters", () => {
  for (const [host, html] of Object.entries(SNIPPETS)) {
    test(`when the page is ${host} then its composer and send control are found`, () => {
      const document = dom(html);
      const adapter = sites.adapterFor(host, "/");
      assert.notEqual(adapter.id, "generic");
      const composer = sites.findComposer(document, adapter);
      assert.ok(composer, "composer");
      const send = sites.findSendButton(document, adapter);
      assert.ok(send && send.tagName === "BUTTON", "send");
      // An event target deep inside either is recognised.
      const inner = composer.querySelector("p, strong") || composer;
      assert.equal(sites.composerOf(inner, adapter), composer);
      assert.equal(sites.sendControlOf(send.firstElementChild || send, adapter), send);
      assert.equal(sites.sendControlOf(composer, adapter), null);
    });
  }

  test("when ChatGPT shows its pre-hydration textarea then that is the composer", () => {
    const document = dom(`<form><textarea name="prompt-textarea"></textarea><button data-testid="send-button"></button></form>`);
    const composer = sites.findComposer(document, sites.adapterFor("chatgpt.com", "/"));
    assert.equal(composer.tagName, "TEXTAREA");
  });

  test("when the host is chat.openai.com then the ChatGPT adapter applies", () => {
    assert.equal(sites.adapterFor("chat.openai.com", "/c/1").id, "chatgpt");
  });

  test("when HuggingFace is outside /chat then no HuggingChat adapter applies", () => {
    assert.equal(sites.adapterFor("huggingface.co", "/chat/conversation/1").id, "huggingchat");
    assert.equal(sites.adapterFor("huggingface.co", "/models").id, "generic");
  });

  test("when a host was added by policy then the generic adapter finds a plain chat form", () => {
    const document = dom(`<form><textarea id="message"></textarea><button id="send" type="submit">Send</button></form>`);
    const adapter = sites.adapterFor("chat.example-ai.test", "/");
    assert.equal(adapter.id, "generic");
    assert.equal(sites.findComposer(document, adapter).id, "message");
    assert.equal(sites.findSendButton(document, adapter).id, "send");
  });

  test("when every adapter is listed then each has composer and send selectors", () => {
    for (const adapter of [...sites.ADAPTERS, sites.GENERIC]) {
      assert.ok(adapter.composer.length > 0 && adapter.send.length > 0, adapter.id);
    }
  });
});

describe("editable roots and editor kinds", () => {
  test("when the target is inside a contenteditable then the outermost editable element is the root", () => {
    const document = dom(`<div class="ProseMirror" contenteditable="true"><p><em id="t">x</em></p></div>`);
    const root = sites.editableRoot(document.getElementById("t"));
    assert.equal(root.className, "ProseMirror");
    assert.equal(sites.editorKind(root), "prosemirror");
  });

  test("when a non-editable island sits inside an editor then it is not editable", () => {
    const document = dom(`<div contenteditable="true"><span contenteditable="false"><b id="t">chip</b></span></div>`);
    assert.equal(sites.editableRoot(document.getElementById("t")), null);
  });

  test("when the target is a textarea, a text input or a checkbox then only the first two are editable", () => {
    const document = dom(`<textarea id="a"></textarea><input id="b" type="search"><input id="c" type="checkbox">`);
    assert.equal(sites.editorKind(sites.editableRoot(document.getElementById("a"))), "textarea");
    assert.equal(sites.editorKind(sites.editableRoot(document.getElementById("b"))), "input");
    assert.equal(sites.editableRoot(document.getElementById("c")), null);
  });

  test("when the target is a Quill editor then its kind is quill", () => {
    const document = dom(`<div class="ql-editor" contenteditable="true"><p>x</p></div>`);
    assert.equal(sites.editorKind(document.querySelector(".ql-editor")), "quill");
  });

  test("when the target is plain page text then nothing is editable", () => {
    const document = dom(`<main><p id="t">hello</p></main>`);
    assert.equal(sites.editableRoot(document.getElementById("t")), null);
  });
});
