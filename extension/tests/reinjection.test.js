// After an extension update or reload: the service worker injects the content scripts into open tabs
// (background/reinjection.js), and the new instance takes over from the orphaned one
// (content/lifecycle.js), network guard included (content/guard-channel.js, main-world/net-guard.js).
// The worlds are separate vm contexts sharing one fake page, as Chrome's isolated worlds share the DOM
// and nothing else.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import vm from "node:vm";

import { guardedPatterns, reinjectOpenTabs } from "../background/reinjection.js";
import { readExtension } from "./helpers/shared.js";

const MANIFEST = JSON.parse(readExtension("manifest.json"));
const FILES = {
  isolated: MANIFEST.content_scripts.find((s) => s.world !== "MAIN").js,
  main: MANIFEST.content_scripts.find((s) => s.world === "MAIN").js,
};

describe("reinjectOpenTabs", () => {
  function fakeApi(tabs, refusing = new Set()) {
    const calls = [];
    return {
      calls,
      tabs: {
        query: async (filter) => {
          calls.push(["query", filter.url]);
          return tabs;
        },
      },
      scripting: {
        executeScript: async (injection) => {
          calls.push(["inject", injection.target.tabId, injection.world ?? "ISOLATED", injection.files]);
          if (refusing.has(injection.target.tabId)) throw new Error("Cannot access contents of the page");
          return [];
        },
      },
    };
  }

  test("when tabs of guarded sites are open then each gets both worlds' files, as the manifest lists them", async () => {
    const api = fakeApi([{ id: 3 }, { id: 4, discarded: true }, { id: 5 }], new Set([5]));
    const patterns = guardedPatterns(MANIFEST, ["chat.example-ai.test"]);
    const counts = await reinjectOpenTabs(api, { patterns, files: FILES });
    assert.deepEqual(counts, { injected: 1, failed: 1 });
    assert.deepEqual(api.calls, [
      ["query", patterns],
      ["inject", 3, "MAIN", ["main-world/net-guard.js"]],
      ["inject", 3, "ISOLATED", FILES.isolated],
      ["inject", 5, "MAIN", ["main-world/net-guard.js"]],
    ]);
    assert.ok(FILES.isolated.includes("content/lifecycle.js") && FILES.isolated.at(-1) === "content/interceptor.js");
  });

  test("when patterns are built then they are the manifest's plus one per granted added host", () => {
    const patterns = guardedPatterns(MANIFEST, ["chat.example-ai.test", "*.corp.example"]);
    assert.ok(patterns.includes("https://chatgpt.com/*") && patterns.includes("https://huggingface.co/chat*"));
    assert.deepEqual(patterns.slice(-2), ["https://chat.example-ai.test/*", "https://*.corp.example/*"]);
    assert.equal(new Set(patterns).size, patterns.length);
  });
});

// --------------------------------------------------------------------------------- the handover

class FakeElement extends EventTarget {
  constructor(tag) {
    super();
    this.tagName = tag.toUpperCase();
  }
}

class FakeDocument extends EventTarget {
  createElement(tag) {
    return new FakeElement(tag);
  }
}

// The handshake carries the channel element as a MouseEvent's relatedTarget.
class FakeMouseEvent extends Event {
  constructor(type, init = {}) {
    super(type, init);
    this.relatedTarget = init.relatedTarget ?? null;
  }
}

/** One page: its document and window, its MAIN world with the network guard, and what really went out. */
function makePage() {
  const document = new FakeDocument();
  const window = new EventTarget();
  const sent = [];
  const main = vm.createContext({
    document,
    CustomEvent,
    MouseEvent: FakeMouseEvent,
    TextDecoder,
    Blob,
    FormData,
    URLSearchParams,
    ProgressEvent: Event,
    fetch: async (url, init) => {
      sent.push(init?.body);
      return { ok: true, url };
    },
    Request: class Request {},
    XMLHttpRequest: class XMLHttpRequest {
      send() {}
    },
    WebSocket: class WebSocket {
      send() {}
    },
    navigator: {},
  });
  main.window = main;
  vm.runInContext(readExtension("main-world/net-guard.js"), main, { filename: "main-world/net-guard.js" });
  return { document, window, main, sent };
}

/** A content-script instance in its own isolated world, wired as content/interceptor.js wires it. */
function startInstance(page, name) {
  const chrome = { runtime: { id: "ext-id" } };
  const world = vm.createContext({ document: page.document, window: page.window, chrome, CustomEvent, MouseEvent: FakeMouseEvent });
  for (const file of ["content/uncleared.js", "content/guard-channel.js", "content/lifecycle.js"]) {
    vm.runInContext(readExtension(file), world, { filename: file });
  }
  const ns = world.promptfence;
  const scanned = [];
  const tracker = new ns.UnclearedTexts();
  const guard = ns.openGuardChannel(page.document, { tracker, scanHeld: (keys) => scanned.push(keys.length) });
  const life = ns.createLifecycle(page.document, ns.runtimeAlive);
  life.onStandDown(() => guard.close());
  const pastes = [];
  life.listen(page.window, "paste", () => pastes.push(name), true);
  life.announce();
  return {
    life,
    pastes,
    scanned,
    kill: () => delete chrome.runtime.id, // what Chrome does to an orphan's runtime
    type(text) {
      tracker.observe(text);
      guard.settle();
    },
  };
}

const DRAFT = "the deploy key is AKIAZ7Q3WXYV4TRS2P5K for now";

describe("takeover after an update", () => {
  test("when the new instance starts then the orphan stands down and the new one gets the events", () => {
    const page = makePage();
    const old = startInstance(page, "old");
    page.window.dispatchEvent(new Event("paste"));
    old.kill();
    const fresh = startInstance(page, "new");
    page.window.dispatchEvent(new Event("paste"));
    assert.deepEqual(old.pastes, ["old"]);
    assert.deepEqual(fresh.pastes, ["new"]);
    assert.equal(old.life.stoodDown, true);
    assert.equal(fresh.life.stoodDown, false);
  });

  test("when the runtime is still alive then a takeover announcement changes nothing", () => {
    // A second copy in a live world, or a page script dispatching the event.
    const page = makePage();
    const first = startInstance(page, "first");
    page.document.dispatchEvent(new CustomEvent("promptfence-takeover"));
    const second = startInstance(page, "second");
    page.window.dispatchEvent(new Event("paste"));
    assert.deepEqual([first.pastes, second.pastes], [["first"], ["second"]]);
    assert.equal(first.life.stoodDown, false);
  });

  test("when an orphan hears no successor then it keeps its listeners (it blocks, as before)", () => {
    const page = makePage();
    const old = startInstance(page, "old");
    old.kill();
    page.window.dispatchEvent(new Event("paste"));
    assert.deepEqual(old.pastes, ["old"]);
  });

  test("when the orphan stands down then its held request is cancelled and the guard answers to the successor", async () => {
    const page = makePage();
    const old = startInstance(page, "old");
    old.type(DRAFT);
    const held = page.main.fetch("/api/prepare", { method: "POST", body: JSON.stringify({ draft: DRAFT }) });
    assert.deepEqual(old.scanned, [1], "the orphan-to-be held the request and scanned its text");

    old.kill();
    const fresh = startInstance(page, "new");
    await assert.rejects(held, (error) => error.name === "TypeError", "never cleared: it must not go");
    assert.deepEqual(page.sent, []);

    // The guard is disarmed until the successor has uncleared text of its own...
    await page.main.fetch("/api/prepare", { method: "POST", body: JSON.stringify({ draft: DRAFT }) });
    assert.equal(page.sent.length, 1);
    // ...and then it asks the successor, not the orphan.
    fresh.type(DRAFT);
    page.main.fetch("/api/prepare", { method: "POST", body: JSON.stringify({ draft: DRAFT }) });
    assert.deepEqual([old.scanned, fresh.scanned], [[1], [1]]);
    assert.equal(page.sent.length, 1);
  });

  test("when the network guard is injected again into the same page then it wraps fetch once", () => {
    const page = makePage();
    const wrapped = page.main.fetch;
    vm.runInContext(readExtension("main-world/net-guard.js"), page.main);
    assert.equal(page.main.fetch, wrapped);
  });
});
