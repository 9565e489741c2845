// One long-lived native-messaging port to the agent: request ids, a timeout per request, reconnection.
//
// Replies are matched to requests by id (PROTOCOL.md envelope {"v": 1, "type", "id"}); a timeout or a
// lost connection rejects as a PromptfenceError with the shared code (timeout, agent_unavailable), so
// callers deal in one kind of failure. After a disconnect the port reconnects with exponential backoff
// and says hello again. Everything the browser provides comes in through the constructor (connect,
// timers), so tests drive it with a fake port and node's mock timers.
//
// A reply longer than Chrome's 1 MB frame limit comes as `reply_part` frames (PROTOCOL.md "Long
// replies"): slices of its JSON text, in order, joined here by id and then handled as one reply. Only a
// pending request's parts are kept, at most maxReplyChars of them, and they go when it settles (reply,
// timeout, disconnect), so an assembly never outlives its request.

import { ErrorCode, PromptfenceError } from "../common/errors.js";

export const PROTOCOL_VERSION = 1;

export const PortState = Object.freeze({
  CLOSED: "closed", // not connected; a reconnect may be scheduled
  CONNECTING: "connecting", // port open, hello not answered yet
  OPEN: "open", // hello answered: requests go straight through
});

const DEFAULTS = {
  helloTimeoutMs: 12_000, // the host may wait up to 10 s for the daemon it starts to load its model
  backoffInitialMs: 250,
  backoffMaxMs: 30_000,
  // The longest reply joined from parts, in UTF-16 code units: the host sends at most 16 MiB of UTF-8,
  // which is never more code units than bytes.
  maxReplyChars: 16 * 1024 * 1024,
};

export class NativePort {
  /**
   * connect: () => a runtime.Port-like object (postMessage, disconnect, onMessage, onDisconnect).
   * hello: () => the hello payload ({type: "hello", ...}) sent on every (re)connection.
   * onStateChange: (state, helloReply | null, error | null) => void.
   */
  constructor({ connect, hello, onStateChange = () => {}, timers = globalThis, options = {} }) {
    this.connectFn = connect;
    this.helloPayload = hello;
    this.onStateChange = onStateChange;
    this.timers = timers;
    this.options = { ...DEFAULTS, ...options };
    this.state = PortState.CLOSED;
    this.port = null;
    this.pending = new Map(); // id -> {expect, resolve, reject, timer}
    this.assemblies = new Map(); // id -> {parts, chunks, length}: a long reply's parts so far
    this.waiting = new Set(); // requests made while CONNECTING: sent once hello is answered
    this.nextId = 1;
    this.backoffMs = this.options.backoffInitialMs;
    this.reconnectTimer = null;
    this.helloReply = null;
    this.stopped = false;
  }

  /** Open the port (idempotent while open or connecting). */
  start() {
    this.stopped = false;
    if (this.state !== PortState.CLOSED) return;
    this.clearReconnect();
    let port;
    try {
      port = this.connectFn();
    } catch (error) {
      this.handleClosed(new PromptfenceError(ErrorCode.AGENT_UNAVAILABLE, `connect failed: ${error.message}`));
      return;
    }
    this.port = port;
    this.setState(PortState.CONNECTING);
    port.onMessage.addListener((message) => this.handleMessage(port, message));
    port.onDisconnect.addListener((closed) => {
      // Reading lastError marks it checked (Chrome logs unchecked ones); Firefox puts it on the port.
      const reason = globalThis.chrome?.runtime?.lastError?.message ?? closed?.error?.message ?? "the native host disconnected";
      if (this.port !== port) return;
      this.handleClosed(new PromptfenceError(ErrorCode.AGENT_UNAVAILABLE, reason));
    });
    this.send(this.helloPayload(), this.options.helloTimeoutMs, { beforeOpen: true }).then(
      (reply) => {
        if (this.port !== port) return;
        this.backoffMs = this.options.backoffInitialMs;
        this.helloReply = reply;
        this.setState(PortState.OPEN, reply);
        for (const flush of this.waiting) flush();
        this.waiting.clear();
      },
      (error) => {
        if (this.port !== port) return;
        // No usable agent behind this host: drop the port and try again later.
        this.dropPort(error);
      },
    );
  }

  /** Close for good (tests, extension shutdown). */
  stop() {
    this.stopped = true;
    this.clearReconnect();
    this.dropPort(new PromptfenceError(ErrorCode.AGENT_UNAVAILABLE, "stopped"));
  }

  /** Reconnect now instead of waiting for the backoff (e.g. a user opened the popup). */
  reconnectNow() {
    if (this.state === PortState.CLOSED && !this.stopped) this.start();
  }

  /**
   * Send `payload` ({type, ...fields}) and resolve with the reply of type `${type}_result`.
   * Rejects with PromptfenceError: the reply's own code for an error reply, `timeout` after timeoutMs,
   * `agent_unavailable` when there is no connection.
   */
  request(payload, timeoutMs) {
    return this.send(payload, timeoutMs, { beforeOpen: false });
  }

  send(payload, timeoutMs, { beforeOpen }) {
    if (this.state === PortState.CLOSED || !this.port) {
      return Promise.reject(new PromptfenceError(ErrorCode.AGENT_UNAVAILABLE, "not connected"));
    }
    const id = `r${this.nextId++}`;
    const message = { v: PROTOCOL_VERSION, ...payload, id };
    return new Promise((resolve, reject) => {
      const entry = { expect: `${payload.type}_result`, resolve, reject, timer: null, flush: null };
      entry.timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        this.assemblies.delete(id);
        if (entry.flush) this.waiting.delete(entry.flush);
        reject(new PromptfenceError(ErrorCode.TIMEOUT, `no reply to ${payload.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, entry);
      const post = () => {
        try {
          this.port.postMessage(message);
        } catch (error) {
          this.settle(id, null, new PromptfenceError(ErrorCode.AGENT_UNAVAILABLE, `post failed: ${error.message}`));
        }
      };
      if (beforeOpen || this.state === PortState.OPEN) post();
      else {
        entry.flush = post;
        this.waiting.add(post);
      }
    });
  }

  handleMessage(port, message) {
    if (this.port !== port) return;
    if (!message || typeof message !== "object" || !("id" in message)) {
      console.warn("promptfence: native message without an id ignored");
      return;
    }
    if (message.type === "reply_part") {
      this.handlePart(port, message);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) {
      // A late reply to a request that timed out, or an id-less error (null): nothing waits for it.
      if (message.type === "error") console.warn(`promptfence: agent error ${message.code} for no pending request`);
      return;
    }
    if (message.type === "error") {
      this.settle(message.id, null, new PromptfenceError(message.code, message.message || message.code));
    } else if (message.type !== entry.expect) {
      this.settle(message.id, null, new PromptfenceError(ErrorCode.INTERNAL, `expected ${entry.expect}, got ${message.type}`));
    } else {
      this.settle(message.id, message, null);
    }
  }

  /** One slice of a long reply: kept until the last one, then the joined reply is handled as one. */
  handlePart(port, message) {
    const { id, part, parts, data } = message;
    if (!this.pending.has(id)) return; // nothing waits for it (timed out): hold nothing
    const broken = (what) => {
      this.settle(id, null, new PromptfenceError(ErrorCode.BAD_FRAME, `reply_part: ${what}`));
    };
    if (!Number.isInteger(part) || !Number.isInteger(parts) || parts < 2 || part < 0 || part >= parts || typeof data !== "string") {
      broken("malformed part");
      return;
    }
    let assembly = this.assemblies.get(id);
    if (part === 0 && !assembly) {
      assembly = { parts, chunks: [], length: 0 };
      this.assemblies.set(id, assembly);
    } else if (!assembly || assembly.parts !== parts || assembly.chunks.length !== part) {
      broken(`part ${part} of ${parts} out of order`);
      return;
    }
    assembly.length += data.length;
    if (assembly.length > this.options.maxReplyChars) {
      this.settle(id, null, new PromptfenceError(ErrorCode.TOO_LARGE, `reply over ${this.options.maxReplyChars} characters`));
      return;
    }
    assembly.chunks.push(data);
    if (assembly.chunks.length < parts) return;
    this.assemblies.delete(id);
    let reply;
    try {
      reply = JSON.parse(assembly.chunks.join(""));
    } catch {
      broken("the joined parts are not JSON");
      return;
    }
    if (!reply || typeof reply !== "object" || reply.id !== id || reply.type === "reply_part") {
      broken("the joined reply is not this request's");
      return;
    }
    this.handleMessage(port, reply);
  }

  settle(id, reply, error) {
    this.assemblies.delete(id);
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    this.timers.clearTimeout(entry.timer);
    if (entry.flush) this.waiting.delete(entry.flush);
    if (error) entry.reject(error);
    else entry.resolve(reply);
  }

  dropPort(error) {
    const port = this.port;
    this.port = null;
    if (port) {
      try {
        port.disconnect();
      } catch {
        // already gone
      }
    }
    this.handleClosed(error);
  }

  handleClosed(error) {
    this.port = null;
    this.helloReply = null;
    for (const id of [...this.pending.keys()]) this.settle(id, null, error);
    this.assemblies.clear();
    this.waiting.clear();
    this.setState(PortState.CLOSED, null, error);
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped || this.reconnectTimer !== null) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoffMaxMs);
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.start();
    }, delay);
  }

  clearReconnect() {
    if (this.reconnectTimer !== null) {
      this.timers.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
  }

  setState(state, helloReply = null, error = null) {
    const changed = state !== this.state;
    this.state = state;
    if (changed || state === PortState.OPEN) this.onStateChange(state, helloReply, error);
  }
}
