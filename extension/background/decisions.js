// From a content script's scan request to the verdict it acts on: ask the agent, or apply the site's
// fail mode when the agent cannot answer, then shape the verdict (decision, counts per type, the
// policy's words, the texts to insert) and remember the scan so a later user_action can quote it.

import { ErrorCode, PromptfenceError, UNREACHABLE_CODES } from "../common/errors.js";
import { effectiveFailMode, isGuarded } from "../common/policy.js";
import { applyReplacements, withActions } from "../common/redaction.js";
import { failClosedResult, failOpenResult } from "./fallback.js";
import { historyEntry } from "./history.js";

const SCAN_MEMORY_MS = 30 * 60 * 1000; // how long a warned user has to decide
const MAX_REMEMBERED_SCANS = 500;

/** Counts per type of the findings that matter (action other than allow). */
export function summarise(findings) {
  const counts = new Map();
  for (const finding of findings) {
    if (finding.action === "allow") continue;
    counts.set(finding.type, (counts.get(finding.type) ?? 0) + 1);
  }
  return [...counts].map(([type, count]) => ({ type, count }));
}

/** The verdict a content script acts on. Holds texts to insert, never the findings' values alone. */
export function toVerdict(result, text, { scanId, source }) {
  const findings = result.findings;
  const replacements = withActions(result.replacements ?? [], findings);
  const verdict = {
    scanId,
    decision: result.decision,
    source,
    summary: summarise(findings),
    message: result.message,
    canOverride: Boolean(result.can_override),
    justificationRequired: Boolean(result.justification_required),
    redacted: null,
    redactedMarks: [],
    overrideText: null,
    overrideMarks: [],
  };
  if (result.decision !== "allow" && replacements.length) {
    const all = applyReplacements(text, replacements);
    verdict.redacted = all.text;
    verdict.redactedMarks = all.marks;
  }
  if (result.decision === "warn") {
    // Sending anyway still replaces what the policy redacts on its own (agent/engine.py override_text).
    const redactOnly = applyReplacements(text, replacements, new Set(["redact"]));
    verdict.overrideText = redactOnly.text;
    verdict.overrideMarks = redactOnly.marks;
  }
  return verdict;
}

export class DecisionRouter {
  constructor({ agent, builtin, policyStore, settings, history, words, onPolicyVersion = () => {} }) {
    this.agent = agent;
    this.builtin = builtin;
    this.policyStore = policyStore;
    this.settings = settings; // () => current managed settings
    this.history = history;
    this.words = words; // (key, substitutions) => localised string
    this.onPolicyVersion = onPolicyVersion;
    this.scans = new Map(); // scanId -> {tabId, eventId, at}
  }

  failMode(host) {
    return effectiveFailMode(this.policyStore.view, host, this.settings().fail_mode);
  }

  isGuarded(host, path) {
    if (this.settings().extra_sites.some((pattern) => (pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern))) {
      return true;
    }
    const view = this.policyStore.view;
    return !view?.sites || isGuarded(view, host, path);
  }

  /** request: {channel, host, path, text, tabId}. Always resolves with a verdict. */
  async scan({ channel, host, path, text, tabId }) {
    const scanId = crypto.randomUUID();
    if (!this.isGuarded(host, path)) {
      return toVerdict(failOpenResult(), text, { scanId, source: "unguarded" });
    }
    let result = null;
    let source = "agent";
    if (this.agent.worthAsking()) {
      try {
        result = await this.agent.scan({ channel, site: host, text });
        if (result.policy_version && result.policy_version !== this.policyStore.version) this.onPolicyVersion(result.policy_version);
      } catch (error) {
        const code = error instanceof PromptfenceError ? error.code : ErrorCode.INTERNAL;
        if (code === ErrorCode.TOO_LARGE) {
          result = failClosedResult(this.words("too_large_message"));
          source = "too_large";
        } else if (!UNREACHABLE_CODES.has(code)) {
          console.warn(`promptfence: scan refused by the agent (${code}); applying the fail mode`);
        }
      }
    }
    if (!result) ({ result, source } = await this.whenUnreachable({ channel, host, text }));
    const verdict = toVerdict(result, text, { scanId, source });
    if (!verdict.message && verdict.decision !== "allow") verdict.message = this.words(`default_${verdict.decision}_message`);
    this.remember(scanId, { tabId, eventId: result.event_id ?? null });
    if (!(channel === "network" && verdict.decision === "allow")) {
      this.history.add(historyEntry({ at: Date.now(), site: host, channel, decision: verdict.decision, source, findings: result.findings.filter((f) => f.action !== "allow") }));
    }
    return verdict;
  }

  async whenUnreachable({ channel, host, text }) {
    const mode = this.failMode(host);
    if (mode === "allow") return { result: failOpenResult(), source: "fail_allow" };
    if (mode === "block") return { result: failClosedResult(this.words("fail_closed_message")), source: "fail_block" };
    try {
      const result = await this.builtin.scan({ text, host, channel, view: this.policyStore.view });
      return { result, source: "builtin" };
    } catch (error) {
      // The built-in rules failed to load: fail closed rather than let text through unchecked.
      console.warn(`promptfence: built-in rules unavailable: ${error.message}`);
      return { result: failClosedResult(this.words("fail_closed_message")), source: "fail_block" };
    }
  }

  remember(scanId, entry) {
    const now = Date.now();
    for (const [id, old] of this.scans) {
      if (now - old.at > SCAN_MEMORY_MS || this.scans.size >= MAX_REMEMBERED_SCANS) this.scans.delete(id);
      else break; // Map keeps insertion order: the rest are newer
    }
    this.scans.set(scanId, { ...entry, at: now });
  }

  /** What the user did after a warn or redact; forwarded to the agent when it recorded an event. */
  async userAction({ scanId, action, justification, tabId }) {
    const scan = this.scans.get(scanId);
    if (!scan || scan.tabId !== tabId) throw new PromptfenceError(ErrorCode.BAD_REQUEST, "unknown scan");
    this.scans.delete(scanId); // one action per decision
    if (!scan.eventId) return { recorded: false };
    try {
      return { recorded: await this.agent.userAction(scan.eventId, action, justification) };
    } catch (error) {
      console.warn(`promptfence: user_action not recorded: ${error.code ?? "internal"}`);
      return { recorded: false };
    }
  }
}
