// A hand-written stand-in for runtime.Port (connectNative): records what the extension posts and lets
// the test answer, or drop the connection, as the native host would.

class FakeEvent {
  constructor() {
    this.listeners = [];
  }
  addListener(listener) {
    this.listeners.push(listener);
  }
  fire(...args) {
    for (const listener of this.listeners) listener(...args);
  }
}

export class FakePort {
  constructor() {
    this.posted = [];
    this.onMessage = new FakeEvent();
    this.onDisconnect = new FakeEvent();
    this.disconnected = false;
  }
  postMessage(message) {
    if (this.disconnected) throw new Error("Attempting to use a disconnected port object");
    this.posted.push(message);
  }
  disconnect() {
    this.disconnected = true;
  }
  /** The host replies to the last message of `type` with `fields`. */
  reply(type, fields = {}) {
    const request = [...this.posted].reverse().find((m) => m.type === type);
    this.onMessage.fire({ v: 1, type: `${type}_result`, id: request.id, ...fields });
    return request;
  }
  fail(type, code) {
    const request = [...this.posted].reverse().find((m) => m.type === type);
    this.onMessage.fire({ v: 1, type: "error", id: request.id, code, message: code });
  }
  /** The host process went away. */
  drop() {
    this.disconnected = true;
    this.onDisconnect.fire(this);
  }
}

/** connect() for NativePort: each call makes a new FakePort, kept in `ports`. */
export function fakeConnector() {
  const ports = [];
  const connect = () => {
    const port = new FakePort();
    ports.push(port);
    return port;
  };
  return { ports, connect };
}

export const HELLO_RESULT = {
  protocol: 1,
  versions: [1],
  agent_version: "0.1.0",
  policy_version: "default-1",
  capabilities: ["scan", "user_action", "status", "policy"],
  limits: { max_frame_bytes: 16777216, max_reply_bytes: 1048576, max_text_chars: 2000000 },
  offsets: "utf16",
};
