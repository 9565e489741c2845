// Site adapters: where each AI site keeps its composer and its send control, as data.
//
// A site's DOM changes: the fix should be one selector here. Selectors are tried in order, the first
// one that finds an element wins, so the most specific come first and broader fallbacks last. The
// functions below take DOM objects only (no `document` or `window` of their own), so node tests run
// them over small HTML snippets (extension/tests/sites.test.js).
//
// Content scripts are classic scripts sharing one namespace, globalThis.promptfence, in manifest order.

(function (root) {
  "use strict";
  const ns = (root.promptfence = root.promptfence || {});

  const ADAPTERS = [
    {
      id: "chatgpt",
      hosts: ["chatgpt.com", "chat.openai.com"],
      // The ProseMirror editor; a plain <textarea> before hydration and when signed out.
      composer: ["div#prompt-textarea[contenteditable]", "#prompt-textarea", "textarea[name='prompt-textarea']", "form textarea"],
      send: ["#composer-submit-button", "button[data-testid='send-button']"],
    },
    {
      id: "claude",
      hosts: ["claude.ai"],
      composer: ["div.ProseMirror[contenteditable='true']", "div[contenteditable='true'][role='textbox']"],
      send: ["button[aria-label='Send message']", "button[aria-label='Send Message']"],
    },
    {
      id: "gemini",
      hosts: ["gemini.google.com"],
      composer: ["rich-textarea .ql-editor", ".ql-editor[contenteditable='true']"],
      send: ["button.send-button", "button[aria-label='Send message']"],
    },
    {
      id: "copilot",
      hosts: ["copilot.microsoft.com"],
      composer: ["textarea#userInput", "textarea[data-testid='composer-input']"],
      send: ["button[title='Submit message']", "button[data-testid='submit-button']"],
    },
    {
      id: "perplexity",
      hosts: ["perplexity.ai", "www.perplexity.ai"],
      composer: ["#ask-input", "div[contenteditable='true'][role='textbox']", "textarea[placeholder]"],
      send: ["button[aria-label='Submit']", "button[data-testid='submit-button']"],
    },
    {
      id: "deepseek",
      hosts: ["chat.deepseek.com"],
      composer: ["textarea#chat-input", "textarea"],
      send: ["div[role='button'][aria-disabled]:last-of-type", "button[type='submit']"],
    },
    {
      id: "mistral",
      hosts: ["chat.mistral.ai"],
      composer: ["div.ProseMirror[contenteditable='true']", "textarea"],
      send: ["button[aria-label='Send question']", "button[type='submit']"],
    },
    {
      id: "poe",
      hosts: ["poe.com"],
      composer: ["textarea[class*='GrowingTextArea']", "textarea"],
      send: ["button[data-button-send]", "button[aria-label='Send message']"],
    },
    {
      id: "grok",
      hosts: ["grok.com"],
      composer: ["div.ProseMirror[contenteditable='true']", "textarea"],
      send: ["button[type='submit'][aria-label='Submit']", "button[type='submit']"],
    },
    {
      id: "huggingchat",
      hosts: ["huggingface.co"],
      paths: ["/chat"],
      composer: ["textarea"],
      send: ["button[type='submit']", "button[aria-label='Send message']"],
    },
    {
      id: "meta",
      hosts: ["meta.ai", "www.meta.ai"],
      composer: ["div[contenteditable='true'][role='textbox']", "textarea"],
      send: ["div[aria-label='Send message']", "button[aria-label='Send message']"],
    },
  ];

  // Hosts added by policy at run time: the usual shapes of a chat composer.
  const GENERIC = {
    id: "generic",
    hosts: [],
    composer: ["div.ProseMirror[contenteditable='true']", ".ql-editor[contenteditable='true']", "[contenteditable='true'][role='textbox']", "textarea"],
    send: ["button[type='submit']", "button[aria-label*='send' i]", "button[data-testid*='send' i]"],
  };

  function adapterFor(hostname, pathname) {
    const host = String(hostname).toLowerCase();
    const path = pathname || "/";
    for (const adapter of ADAPTERS) {
      if (!adapter.hosts.includes(host)) continue;
      if (adapter.paths && !adapter.paths.some((prefix) => path === prefix || path.startsWith(prefix + "/"))) continue;
      return adapter;
    }
    return GENERIC;
  }

  function elementOf(node) {
    if (!node) return null;
    return node.nodeType === 1 ? node : node.parentElement || null;
  }

  function isEditableHost(el) {
    const value = el.getAttribute && el.getAttribute("contenteditable");
    return value !== null && value !== undefined && value !== "false";
  }

  const TEXT_INPUT_TYPES = new Set(["text", "search", "email", "url", "tel", ""]);

  /** The element a paste or drop edits: a textarea, a text input, or the root of a contenteditable. */
  function editableRoot(node) {
    const el = elementOf(node);
    if (!el) return null;
    const tag = el.tagName;
    if (tag === "TEXTAREA") return el;
    if (tag === "INPUT") return TEXT_INPUT_TYPES.has((el.getAttribute("type") || "").toLowerCase()) ? el : null;
    let host = null;
    for (let cursor = el; cursor && cursor.nodeType === 1; cursor = cursor.parentElement) {
      const value = cursor.getAttribute("contenteditable");
      if (value === "false") break;
      if (isEditableHost(cursor)) host = cursor; // keep climbing: the outermost editable is the editor
    }
    return host;
  }

  function firstMatch(root, selectors) {
    for (const selector of selectors) {
      const found = root.querySelector(selector);
      if (found) return found;
    }
    return null;
  }

  function closestMatch(el, selectors) {
    for (const selector of selectors) {
      const found = el.closest(selector);
      if (found) return found;
    }
    return null;
  }

  /** The site's composer, searched from a root (the document). */
  function findComposer(root, adapter) {
    return firstMatch(root, adapter.composer);
  }

  /** The composer an event target is in, or null. */
  function composerOf(node, adapter) {
    const el = elementOf(node);
    return el ? closestMatch(el, adapter.composer) : null;
  }

  /** The send control an event target is (or is inside), or null. */
  function sendControlOf(node, adapter) {
    const el = elementOf(node);
    return el ? closestMatch(el, adapter.send) : null;
  }

  function findSendButton(root, adapter) {
    return firstMatch(root, adapter.send);
  }

  /** How to read from and write into an editor. */
  function editorKind(el) {
    if (!el) return null;
    if (el.tagName === "TEXTAREA") return "textarea";
    if (el.tagName === "INPUT") return "input";
    const classes = el.classList;
    if (classes && classes.contains("ProseMirror")) return "prosemirror";
    if (classes && classes.contains("ql-editor")) return "quill";
    return "contenteditable";
  }

  ns.sites = { ADAPTERS, GENERIC, adapterFor, editableRoot, findComposer, composerOf, sendControlOf, findSendButton, editorKind };
})(globalThis);
