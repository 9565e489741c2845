// The native port's protocol helpers with a fake port and node's mock timers: ids, replies matched by
// id, typed timeouts, errors, disconnects and reconnection with backoff.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { ErrorCode, PromptfenceError } from "../common/errors.js";
import { AgentClient, checkScanResult, SCAN_TIMEOUT_CAP_MS, scanTimeoutMs } from "../background/agent-client.js";
import { NativePort, PortState } from "../background/native-port.js";
import { applyReplacements } from "../common/redaction.js";
import { fakeConnector, HELLO_RESULT } from "./helpers/fake-port.js";

function openPort(options = {}) {
  const { ports, connect } = fakeConnector();
  const states = [];
  const port = new NativePort({
    connect,
    hello: () => ({ type: "hello", versions: [1] }),
    onStateChange: (state) => states.push(state),
    timers: globalThis,
    options: { backoffInitialMs: 100, backoffMaxMs: 400, ...options },
  });
  port.start();
  return { port, ports, states };
}

async function rejectsWithCode(promise, code) {
  await assert.rejects(promise, (error) => error instanceof PromptfenceError && error.code === code);
}

/** A reply as the native host cuts one over 1 MB: reply_part frames, slices of its JSON text. */
function partsOf(reply, count) {
  const json = JSON.stringify(reply);
  const size = Math.ceil(json.length / count);
  const parts = [];
  for (let index = 0; index < count; index++) {
    parts.push({ v: 1, type: "reply_part", id: reply.id, part: index, parts: count, data: json.slice(index * size, (index + 1) * size) });
  }
  return parts;
}

/** A scan_result with `count` replacements and some characters that JSON escapes. */
function longScanResult(id, count) {
  const replacements = [];
  for (let index = 0; index < count; index++) {
    replacements.push({ start: index * 10, end: index * 10 + 5, placeholder: `<EMAIL_${index + 1}>`, action: "redact" });
  }
  return { v: 1, type: "scan_result", id, decision: "redact", findings: [], replacements, message: 'ünïcode "quoted" \\ 😀' };
}

async function openedPort(options = {}) {
  const opened = openPort(options);
  opened.ports[0].reply("hello", HELLO_RESULT);
  await Promise.resolve();
  return opened;
}

describe("NativePort", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
  afterEach(() => mock.timers.reset());

  test("when it starts then it says hello with an envelope and opens on the reply", () => {
    const { port, ports, states } = openPort();
    const hello = ports[0].posted[0];
    assert.equal(hello.v, 1);
    assert.equal(hello.type, "hello");
    assert.equal(typeof hello.id, "string");
    assert.equal(port.state, PortState.CONNECTING);
    ports[0].reply("hello", HELLO_RESULT);
    return Promise.resolve().then(() => {
      assert.equal(port.state, PortState.OPEN);
      assert.deepEqual(states, [PortState.CONNECTING, PortState.OPEN]);
      });
  });

  test("when replies arrive out of order then each resolves its own request", async () => {
    const { port, ports } = openPort();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const first = port.request({ type: "status" }, 1000);
    const second = port.request({ type: "policy" }, 1000);
    const [statusRequest, policyRequest] = ports[0].posted.slice(1);
    assert.notEqual(statusRequest.id, policyRequest.id);
    ports[0].onMessage.fire({ v: 1, type: "policy_result", id: policyRequest.id, policy_version: "p", policy: {} });
    ports[0].onMessage.fire({ v: 1, type: "status_result", id: statusRequest.id, state: "ok" });
    assert.equal((await first).state, "ok");
    assert.equal((await second).policy_version, "p");
  });

  test("when no reply comes in time then the request rejects with the timeout code", async () => {
    const { port, ports } = openPort();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const pending = port.request({ type: "scan", text: "x" }, 1500);
    mock.timers.tick(1499);
    let settled = false;
    pending.catch(() => {}).finally(() => (settled = true));
    await Promise.resolve();
    assert.equal(settled, false);
    mock.timers.tick(1);
    await rejectsWithCode(pending, ErrorCode.TIMEOUT);
    // A late reply for the timed-out id is ignored, not a crash.
    const late = ports[0].posted.at(-1);
    ports[0].onMessage.fire({ v: 1, type: "scan_result", id: late.id });
  });

  test("when the agent answers with an error then the request rejects with its code", async () => {
    const { port, ports } = openPort();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const pending = port.request({ type: "scan", text: "x" }, 1000);
    ports[0].fail("scan", ErrorCode.TOO_LARGE);
    await rejectsWithCode(pending, ErrorCode.TOO_LARGE);
  });

  test("when a reply has the wrong type then the request rejects as internal", async () => {
    const { port, ports } = openPort();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const pending = port.request({ type: "scan", text: "x" }, 1000);
    const request = ports[0].posted.at(-1);
    ports[0].onMessage.fire({ v: 1, type: "status_result", id: request.id });
    await rejectsWithCode(pending, ErrorCode.INTERNAL);
  });

  test("when messages without an id arrive then they are ignored", async () => {
    const { port, ports } = openPort();
    ports[0].onMessage.fire(null);
    ports[0].onMessage.fire("garbage");
    ports[0].onMessage.fire({ v: 1, type: "error", id: null, code: "bad_request" });
    assert.equal(port.state, PortState.CONNECTING);
  });

  test("when the host disconnects then pending requests fail and it reconnects with growing backoff", async () => {
    const { port, ports, states } = openPort();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const pending = port.request({ type: "scan", text: "x" }, 5000);
    ports[0].drop();
    await rejectsWithCode(pending, ErrorCode.AGENT_UNAVAILABLE);
    assert.equal(port.state, PortState.CLOSED);
    await rejectsWithCode(port.request({ type: "status" }, 1000), ErrorCode.AGENT_UNAVAILABLE);

    mock.timers.tick(100);
    assert.equal(ports.length, 2, "first retry after the initial backoff");
    ports[1].drop();
    mock.timers.tick(100);
    assert.equal(ports.length, 2, "the second retry waits twice as long");
    mock.timers.tick(100);
    assert.equal(ports.length, 3);
    ports[2].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    assert.equal(port.state, PortState.OPEN);
    assert.deepEqual(states.filter((s) => s === PortState.OPEN).length, 2);
  });

  test("when requests are made while connecting then they are sent once hello is answered", async () => {
    const { port, ports } = openPort();
    const pending = port.request({ type: "status" }, 1000);
    assert.equal(ports[0].posted.length, 1, "only hello so far");
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    assert.equal(ports[0].posted.length, 2);
    ports[0].reply("status", { state: "ok" });
    assert.equal((await pending).state, "ok");
  });

  test("when hello fails then the port is dropped and retried", async () => {
    const { port, ports } = openPort();
    ports[0].fail("hello", ErrorCode.AGENT_UNAVAILABLE);
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(port.state, PortState.CLOSED);
    assert.equal(ports[0].disconnected, true);
    mock.timers.tick(100);
    assert.equal(ports.length, 2);
  });
});

describe("NativePort, long replies in parts", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
  afterEach(() => mock.timers.reset());

  test("when a reply comes in parts in order then the joined reply resolves the request", async () => {
    const { port, ports } = await openedPort();
    const pending = port.request({ type: "scan", text: "x" }, 1000);
    const reply = longScanResult(ports[0].posted.at(-1).id, 500);
    const parts = partsOf(reply, 3);
    ports[0].onMessage.fire(parts[0]);
    ports[0].onMessage.fire(parts[1]);
    assert.equal(port.assemblies.size, 1, "held until the last part");
    ports[0].onMessage.fire(parts[2]);
    assert.deepEqual(await pending, reply);
    assert.equal(port.assemblies.size, 0);
  });

  test("when parts of two replies are interleaved with a whole reply then each request gets its own", async () => {
    const { port, ports } = await openedPort();
    const first = port.request({ type: "scan", text: "a" }, 1000);
    const middle = port.request({ type: "status" }, 1000);
    const last = port.request({ type: "scan", text: "b" }, 1000);
    const [firstId, middleId, lastId] = ports[0].posted.slice(1).map((m) => m.id);
    const a = partsOf(longScanResult(firstId, 300), 3);
    const b = partsOf(longScanResult(lastId, 200), 2);
    for (const message of [a[0], b[0], { v: 1, type: "status_result", id: middleId, state: "ok" }, a[1], b[1], a[2]]) {
      ports[0].onMessage.fire(message);
    }
    assert.deepEqual(await first, longScanResult(firstId, 300));
    assert.equal((await middle).state, "ok");
    assert.deepEqual(await last, longScanResult(lastId, 200));
    assert.equal(port.assemblies.size, 0);
  });

  test("when the parts add up past the cap then too_large and the rest are dropped", async () => {
    const { port, ports } = await openedPort({ maxReplyChars: 5000 });
    const pending = port.request({ type: "scan", text: "x" }, 1000);
    const parts = partsOf(longScanResult(ports[0].posted.at(-1).id, 500), 4); // ~8,700 characters each
    ports[0].onMessage.fire(parts[0]);
    await rejectsWithCode(pending, ErrorCode.TOO_LARGE);
    for (const part of parts.slice(1)) ports[0].onMessage.fire(part);
    assert.equal(port.assemblies.size, 0);
    assert.equal(port.state, PortState.OPEN, "one oversize reply does not cost the connection");
  });

  test("when the host disconnects mid-assembly then the request fails and nothing is kept", async () => {
    const { port, ports } = await openedPort();
    const pending = port.request({ type: "scan", text: "x" }, 5000);
    const parts = partsOf(longScanResult(ports[0].posted.at(-1).id, 500), 3);
    ports[0].onMessage.fire(parts[0]);
    assert.equal(port.assemblies.size, 1);
    ports[0].drop();
    await rejectsWithCode(pending, ErrorCode.AGENT_UNAVAILABLE);
    assert.equal(port.assemblies.size, 0);
    mock.timers.tick(100);
    ports[1].onMessage.fire(parts[1]); // a stray part on the new connection holds nothing
    assert.equal(port.assemblies.size, 0);
  });

  test("when the request times out mid-assembly then the parts so far are dropped and later ones ignored", async () => {
    const { port, ports } = await openedPort();
    const pending = port.request({ type: "scan", text: "x" }, 1000);
    const parts = partsOf(longScanResult(ports[0].posted.at(-1).id, 500), 3);
    ports[0].onMessage.fire(parts[0]);
    mock.timers.tick(1000);
    await rejectsWithCode(pending, ErrorCode.TIMEOUT);
    assert.equal(port.assemblies.size, 0);
    ports[0].onMessage.fire(parts[1]);
    ports[0].onMessage.fire(parts[2]);
    assert.equal(port.assemblies.size, 0);
  });

  test("when a part is missing, repeated or malformed then the request fails as bad_frame", async () => {
    const { port, ports } = await openedPort();
    for (const mangle of [
      (parts) => [parts[0], parts[2]],
      (parts) => [parts[1]],
      (parts) => [parts[0], parts[0]],
      (parts) => [parts[0], { ...parts[1], parts: 4 }],
      (parts) => [{ ...parts[0], data: 42 }],
      (parts) => [{ ...parts[0], parts: 1, part: 0 }],
      (parts) => [parts[0], parts[1], { ...parts[2], data: parts[2].data + "}" }],
    ]) {
      const pending = port.request({ type: "scan", text: "x" }, 1000);
      const parts = partsOf(longScanResult(ports[0].posted.at(-1).id, 300), 3);
      for (const part of mangle(parts)) ports[0].onMessage.fire(part);
      await rejectsWithCode(pending, ErrorCode.BAD_FRAME);
      assert.equal(port.assemblies.size, 0);
    }
  });

  test("when the joined reply carries another id then it is refused", async () => {
    const { port, ports } = await openedPort();
    const pending = port.request({ type: "scan", text: "x" }, 1000);
    const id = ports[0].posted.at(-1).id;
    for (const part of partsOf(longScanResult(`${id}-other`, 300), 2)) ports[0].onMessage.fire({ ...part, id });
    await rejectsWithCode(pending, ErrorCode.BAD_FRAME);
  });
});

describe("AgentClient", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
  afterEach(() => mock.timers.reset());

  function client() {
    const { port, ports } = openPort();
    const health = [];
    const agent = new AgentClient({ nativePort: port, extensionVersion: "0.1.0", onHealthChange: (h) => health.push(h) });
    port.onStateChange = (state) => agent.portChanged(state);
    return { agent, port, ports, health };
  }

  const SCAN_RESULT = {
    decision: "redact",
    findings: [{ type: "EMAIL_ADDRESS", category: "pii", start: 5, end: 16, score: 1, rule: "email", severity: "medium", action: "redact" }],
    replacements: [{ start: 5, end: 16, placeholder: "<EMAIL_1>", action: "redact" }],
    message: "m",
    override_allowed: false,
    justification_required: false,
    policy_version: "default-1",
    elapsed_ms: 1,
    event_id: "0b7f7d0e-3f3c-4c1e-9d55-6c1f5b9d7a10",
  };

  test("when a scan is answered then the result is checked and the agent counts as healthy", async () => {
    const { agent, ports, health } = client();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const pending = agent.scan({ channel: "paste", site: "chatgpt.com", text: "mail bob@corp.com" });
    const request = ports[0].posted.at(-1);
    assert.deepEqual(
      { type: request.type, channel: request.channel, site: request.site, text: request.text },
      { type: "scan", channel: "paste", site: "chatgpt.com", text: "mail bob@corp.com" },
    );
    ports[0].reply("scan", SCAN_RESULT);
    const result = await pending;
    assert.equal(result.decision, "redact");
    assert.equal(result.event_id, SCAN_RESULT.event_id);
    assert.deepEqual(health, [true]);
  });

  test("when a scan's result comes in parts then every replacement reaches the redaction", async () => {
    const { agent, ports } = client();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const text = Array.from({ length: 2000 }, (_, i) => `u${String(i).padStart(4, "0")}@c.io `).join("");
    const pending = agent.scan({ channel: "paste", site: "chatgpt.com", text });
    const id = ports[0].posted.at(-1).id;
    const replacements = Array.from({ length: 2000 }, (_, i) => ({ start: i * 11, end: i * 11 + 10, placeholder: `<EMAIL_${i + 1}>`, action: "redact" }));
    for (const part of partsOf({ v: 1, type: "scan_result", id, ...SCAN_RESULT, findings: [], replacements, findings_truncated: true }, 4)) {
      ports[0].onMessage.fire(part);
    }
    const result = await pending;
    assert.equal(result.replacements.length, 2000);
    assert.equal(applyReplacements(text, result.replacements).text.includes("@"), false);
  });

  test("when a scan times out then the agent is unhealthy and a status probe follows", async () => {
    const { agent, ports, health } = client();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const pending = agent.scan({ channel: "paste", site: "chatgpt.com", text: "hello" });
    mock.timers.tick(scanTimeoutMs(5));
    await rejectsWithCode(pending, ErrorCode.TIMEOUT);
    assert.equal(agent.healthy, false);
    assert.equal(agent.worthAsking(), false);
    mock.timers.tick(500);
    const probe = ports[0].posted.at(-1);
    assert.equal(probe.type, "status");
    ports[0].reply("status", { state: "ok" });
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(agent.healthy, true);
    assert.deepEqual(health, [true, false, true]);
  });

  test("when a scan_result points outside the text then it is refused", () => {
    assert.throws(() => checkScanResult({ ...SCAN_RESULT, replacements: [{ start: 0, end: 99, placeholder: "x" }] }, 20), /replacement/);
    assert.throws(() => checkScanResult({ ...SCAN_RESULT, decision: "maybe" }, 20), /decision/);
    assert.equal(checkScanResult(SCAN_RESULT, 20).can_override, false);
  });

  test("when texts grow then the scan timeout grows, within a cap", () => {
    assert.equal(scanTimeoutMs(0), 1500);
    assert.ok(scanTimeoutMs(100 * 1024) > scanTimeoutMs(1024));
    assert.equal(scanTimeoutMs(100 * 1024 * 1024), SCAN_TIMEOUT_CAP_MS);
    assert.ok(scanTimeoutMs(100 * 1024) >= 5000, "a 100 KiB paste gets seconds, not the built-in rules");
  });

  test("when the user acts then user_action quotes the event id", async () => {
    const { agent, ports } = client();
    ports[0].reply("hello", HELLO_RESULT);
    await Promise.resolve();
    const pending = agent.userAction(SCAN_RESULT.event_id, "overrode", "customer asked");
    const request = ports[0].posted.at(-1);
    assert.deepEqual([request.type, request.event_id, request.action, request.justification], ["user_action", SCAN_RESULT.event_id, "overrode", "customer asked"]);
    ports[0].reply("user_action", { event_id: SCAN_RESULT.event_id, recorded: true });
    assert.equal(await pending, true);
    await assert.rejects(agent.userAction(SCAN_RESULT.event_id, "shrugged"), (e) => e.code === ErrorCode.BAD_REQUEST);
  });
});
