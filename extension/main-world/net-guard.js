// The network guard, in the page's own JavaScript world (MAIN), at document_start.
//
// A backstop behind the paste and submit checks: the site's own requests (fetch, XMLHttpRequest,
// WebSocket.send, navigator.sendBeacon) are checked for text the user typed that no scan has cleared
// yet — ChatGPT, for one, sends the composer's text while the user types. Such a request is held (its
// promise pending, its send deferred) until the content script releases it (the text was cleared) or
// cancels it (the text was refused: the fetch rejects as a network error, the message is dropped).
//
// Cheap for clean pages: until the content script says some uncleared text exists ("armed"), every call
// goes straight to the original. Only bodies that are text (strings, URLSearchParams, FormData strings,
// byte arrays and text Blobs) are looked at.
//
// The channel to the content script is a detached element handed over at document_start (see
// content/guard-channel.js for why); this file has its own copy of that handshake because the two
// worlds share no code.

(() => {
  "use strict";
  const MARK = Symbol.for("promptfence.net-guard");
  if (window[MARK]) return; // injected twice (manifest and run-time registration): wrap once
  Object.defineProperty(window, MARK, { value: true });

  const HELLO = "promptfence-channel-hello";
  const ACK = "promptfence-channel-ack";
  const MAX_BODY_CHARS = 4 * 1024 * 1024;
  const MIN_BODY_CHARS = 8;

  const originalFetch = window.fetch;
  const originalXhrSend = XMLHttpRequest.prototype.send;
  const originalWsSend = WebSocket.prototype.send;
  const originalBeacon = navigator.sendBeacon;
  const RequestClass = window.Request;
  const decoder = new TextDecoder();

  let channel = null;
  let armed = false;
  let answer = null;
  let nextQuery = 1;
  const holds = new Map(); // holdId -> {resolve, reject}

  function handshake(onReady) {
    const mine = document.createElement("promptfence-channel");
    let done = false;
    function adopt(element) {
      if (done) return;
      done = true;
      document.removeEventListener(HELLO, onHello, { capture: true });
      onReady(element);
    }
    function onHello(event) {
      const theirs = event.relatedTarget;
      if (done || !theirs || theirs === mine) return;
      event.stopImmediatePropagation();
      theirs.dispatchEvent(new CustomEvent(ACK));
      adopt(theirs);
    }
    mine.addEventListener(ACK, () => adopt(mine), { once: true });
    document.addEventListener(HELLO, onHello, { capture: true });
    document.dispatchEvent(new MouseEvent(HELLO, { relatedTarget: mine }));
  }

  function payloadOf(event) {
    try {
      return JSON.parse(event.detail);
    } catch (error) {
      return null;
    }
  }

  function connect() {
    handshake((element) => {
      channel = element;
      channel.addEventListener("promptfence-armed", (event) => {
        armed = Boolean(payloadOf(event)?.armed);
      });
      channel.addEventListener("promptfence-answer", (event) => {
        answer = payloadOf(event);
      });
      channel.addEventListener("promptfence-release", (event) => {
        const id = payloadOf(event)?.holdId;
        holds.get(id)?.resolve();
        holds.delete(id);
      });
      channel.addEventListener("promptfence-cancel", (event) => {
        const id = payloadOf(event)?.holdId;
        holds.get(id)?.reject();
        holds.delete(id);
      });
      channel.addEventListener("promptfence-bye", () => {
        // The content script behind this channel was orphaned by an extension update and stood down
        // (content/lifecycle.js). What it held was never cleared: cancel it. Then handshake again for
        // its successor. Unlike the first one, this handshake happens while page scripts run, so the new
        // channel is not private; it only ever carries the backstop's questions, never a decision on a
        // paste or submit.
        for (const hold of holds.values()) hold.reject();
        holds.clear();
        armed = false;
        channel = null;
        connect();
      }, { once: true });
    });
  }

  connect();

  /** A body's text when it is text, else null (binary bodies are not the guard's business). */
  function textOf(body) {
    if (typeof body === "string") return body;
    if (body instanceof URLSearchParams) return body.toString();
    if (body instanceof FormData) {
      const parts = [];
      for (const [, value] of body) if (typeof value === "string") parts.push(value);
      return parts.join("\n");
    }
    if (body instanceof ArrayBuffer) return body.byteLength <= MAX_BODY_CHARS ? decoder.decode(body) : null;
    if (ArrayBuffer.isView(body)) return body.byteLength <= MAX_BODY_CHARS ? decoder.decode(body) : null;
    return null;
  }

  function isTextBlob(body) {
    return body instanceof Blob && body.size <= MAX_BODY_CHARS && (body.type === "" || /^(text\/|application\/(json|x-www-form-urlencoded))/.test(body.type));
  }

  /** null: the body may go now. A promise: resolves when released, rejects when cancelled. */
  function check(text) {
    if (!channel || !armed || typeof text !== "string" || text.length < MIN_BODY_CHARS || text.length > MAX_BODY_CHARS) return null;
    answer = null;
    const id = nextQuery++;
    channel.dispatchEvent(new CustomEvent("promptfence-query", { detail: JSON.stringify({ id, body: text }) }));
    const reply = answer;
    answer = null;
    if (!reply || reply.id !== id || !reply.hold) return null;
    return new Promise((resolve, reject) => holds.set(reply.holdId, { resolve, reject }));
  }

  // A cancelled fetch fails the way a network failure does, which sites already handle.
  function cancelledFetch() {
    return Promise.reject(new TypeError("Failed to fetch"));
  }

  async function checkAsync(blobOrRequest) {
    const text = await blobOrRequest.text();
    return check(text);
  }

  window.fetch = function fetch(input, init) {
    if (!armed) return originalFetch.apply(this, arguments);
    const self = this;
    const args = arguments;
    const body = init && "body" in init ? init.body : undefined;
    if (body === undefined && input instanceof RequestClass && input.body) {
      // A Request carrying its own body: read a copy; the original is left untouched for sending.
      return checkAsync(input.clone()).then((hold) => (hold ? hold.then(() => originalFetch.apply(self, args), cancelledFetch) : originalFetch.apply(self, args)));
    }
    if (isTextBlob(body)) {
      return checkAsync(body).then((hold) => (hold ? hold.then(() => originalFetch.apply(self, args), cancelledFetch) : originalFetch.apply(self, args)));
    }
    const hold = check(textOf(body));
    if (!hold) return originalFetch.apply(this, arguments);
    return hold.then(() => originalFetch.apply(self, args), cancelledFetch);
  };

  XMLHttpRequest.prototype.send = function send(body) {
    if (!armed) return originalXhrSend.call(this, body);
    const hold = check(textOf(body));
    if (!hold) return originalXhrSend.call(this, body);
    const xhr = this;
    hold.then(
      () => originalXhrSend.call(xhr, body),
      () => {
        xhr.dispatchEvent(new ProgressEvent("error"));
        xhr.dispatchEvent(new ProgressEvent("loadend"));
      },
    );
  };

  // Messages on one socket keep their order: once one is held, later ones queue behind it.
  const socketQueues = new WeakMap();

  async function drain(socket, queue) {
    while (queue.length) {
      const { data, hold } = queue[0];
      let send = true;
      if (hold) {
        try {
          await hold;
        } catch (error) {
          send = false;
        }
      }
      queue.shift();
      if (send && socket.readyState === WebSocket.OPEN) originalWsSend.call(socket, data);
    }
    socketQueues.delete(socket);
  }

  WebSocket.prototype.send = function send(data) {
    const queue = socketQueues.get(this);
    if (queue) {
      queue.push({ data, hold: armed ? check(textOf(data)) : null });
      return;
    }
    if (!armed) return originalWsSend.call(this, data);
    const hold = check(textOf(data));
    if (!hold) return originalWsSend.call(this, data);
    const fresh = [{ data, hold }];
    socketQueues.set(this, fresh);
    drain(this, fresh);
  };

  if (typeof originalBeacon === "function") {
    navigator.sendBeacon = function sendBeacon(url, data) {
      if (!armed) return originalBeacon.call(navigator, url, data);
      const hold = check(textOf(data));
      if (!hold) return originalBeacon.call(navigator, url, data);
      hold.then(() => originalBeacon.call(navigator, url, data), () => {});
      return true; // queued, as the browser would say; it goes (or not) once the text is decided
    };
  }
})();
