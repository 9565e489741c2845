// The agent's requests (PROTOCOL.md) over the native port: build each message, check each reply, and
// keep track of whether the agent answers at all, so that decisions can go to the fallback at once
// instead of waiting out a timeout per paste while the daemon is down.

import { ErrorCode, PromptfenceError, UNREACHABLE_CODES } from "../common/errors.js";
import { PortState } from "./native-port.js";

const DECISIONS = new Set(["allow", "warn", "redact", "block"]);
const USER_ACTIONS = new Set(["cancelled", "accepted_redaction", "overrode"]);
const PROBE_INITIAL_MS = 500;
const PROBE_MAX_MS = 15_000;

/**
 * Time allowed for one scan: a base plus a share per KiB, since the agent's time grows with the text
 * (about 11 ms of CPU per KiB, several times that on a loaded laptop). Generous on purpose: the user sees
 * "Scanning…", and timing out hands a big paste to the built-in rules, which know no names or context.
 */
export const SCAN_TIMEOUT_CAP_MS = 45_000;
export function scanTimeoutMs(textLength) {
  return Math.min(SCAN_TIMEOUT_CAP_MS, 1500 + Math.ceil(textLength / 1024) * 40);
}

function isInteger(value) {
  return Number.isInteger(value) && value >= 0;
}

/** The scan_result fields the extension relies on, checked against the text that was sent. */
export function checkScanResult(reply, textLength) {
  const bad = (what) => new PromptfenceError(ErrorCode.INTERNAL, `malformed scan_result: ${what}`);
  if (!DECISIONS.has(reply.decision)) throw bad("decision");
  if (!Array.isArray(reply.findings)) throw bad("findings");
  for (const f of reply.findings) {
    if (!f || typeof f.type !== "string" || !isInteger(f.start) || !isInteger(f.end) || f.end > textLength || f.start > f.end) {
      throw bad("finding");
    }
  }
  if (!Array.isArray(reply.replacements)) throw bad("replacements");
  for (const r of reply.replacements) {
    if (!r || typeof r.placeholder !== "string" || !isInteger(r.start) || !isInteger(r.end) || r.end > textLength || r.start > r.end) {
      throw bad("replacement");
    }
  }
  if (typeof reply.message !== "string") throw bad("message");
  return {
    decision: reply.decision,
    findings: reply.findings,
    replacements: reply.replacements,
    message: reply.message,
    can_override: Boolean(reply.can_override ?? reply.override_allowed),
    justification_required: Boolean(reply.justification_required),
    policy_version: typeof reply.policy_version === "string" ? reply.policy_version : null,
    event_id: typeof reply.event_id === "string" ? reply.event_id : null,
    elapsed_ms: typeof reply.elapsed_ms === "number" ? reply.elapsed_ms : null,
  };
}

export class AgentClient {
  constructor({ nativePort, extensionVersion, timers = globalThis, onHealthChange = () => {} }) {
    this.port = nativePort;
    this.extensionVersion = extensionVersion;
    this.timers = timers;
    this.onHealthChange = onHealthChange;
    this.healthy = false;
    this.probeTimer = null;
    this.probeDelay = PROBE_INITIAL_MS;
  }

  /** The hello payload sent on every connection. */
  helloPayload() {
    return { type: "hello", versions: [1], client: { name: "promptfence-extension", version: this.extensionVersion } };
  }

  /** Called by the port's state listener. */
  portChanged(state) {
    if (state === PortState.OPEN) this.markHealthy(true);
    else if (state === PortState.CLOSED) this.markHealthy(false, false);
  }

  /** True when a request is worth trying: the agent answered lately, or the port is still connecting. */
  worthAsking() {
    if (this.port.state === PortState.CONNECTING) return true;
    return this.port.state === PortState.OPEN && this.healthy;
  }

  async call(payload, timeoutMs) {
    try {
      const reply = await this.port.request(payload, timeoutMs);
      this.markHealthy(true);
      return reply;
    } catch (error) {
      const code = error instanceof PromptfenceError ? error.code : ErrorCode.INTERNAL;
      if (UNREACHABLE_CODES.has(code)) this.markHealthy(false);
      throw error instanceof PromptfenceError ? error : new PromptfenceError(code, error.message);
    }
  }

  async scan({ channel, site, text }) {
    const reply = await this.call(
      { type: "scan", channel, site, text, extension_version: this.extensionVersion },
      scanTimeoutMs(text.length),
    );
    return checkScanResult(reply, text.length);
  }

  async policy(site = undefined) {
    const reply = await this.call(site ? { type: "policy", site } : { type: "policy" }, 5000);
    if (!reply.policy || typeof reply.policy !== "object") {
      throw new PromptfenceError(ErrorCode.POLICY_INVALID, "policy_result without a policy object");
    }
    return { version: String(reply.policy_version ?? reply.policy.policy_version ?? ""), view: reply.policy };
  }

  async userAction(eventId, action, justification = undefined) {
    if (!USER_ACTIONS.has(action)) throw new PromptfenceError(ErrorCode.BAD_REQUEST, "unknown user action");
    const payload = { type: "user_action", event_id: eventId, action };
    if (typeof justification === "string" && justification) payload.justification = justification.slice(0, 1000);
    const reply = await this.call(payload, 3000);
    return Boolean(reply.recorded);
  }

  async status() {
    return this.call({ type: "status" }, 3000);
  }

  markHealthy(healthy, probe = true) {
    if (healthy) {
      this.probeDelay = PROBE_INITIAL_MS;
      if (this.probeTimer !== null) {
        this.timers.clearTimeout(this.probeTimer);
        this.probeTimer = null;
      }
    } else if (probe && this.port.state === PortState.OPEN) {
      this.scheduleProbe();
    }
    if (healthy !== this.healthy) {
      this.healthy = healthy;
      this.onHealthChange(healthy);
    }
  }

  // The port is up but the agent behind it failed: ask for its status until it answers again.
  scheduleProbe() {
    if (this.probeTimer !== null) return;
    const delay = this.probeDelay;
    this.probeDelay = Math.min(this.probeDelay * 2, PROBE_MAX_MS);
    this.probeTimer = this.timers.setTimeout(() => {
      this.probeTimer = null;
      if (this.port.state !== PortState.OPEN) return; // the port's own reconnection takes over
      this.call({ type: "status" }, 3000).catch(() => this.scheduleProbe());
    }, delay);
  }
}
