// What happens when the agent cannot answer: the fail mode of the site (block, allow, or builtin), and
// the built-in rules themselves — the shared rule pack run by common/rule-engine.js, with the policy's
// actions, allowlists and texts (the cached policy, else the default one shipped in generated/).
//
// The built-in layer has only the regex rules: no NER, no keyword dictionaries, no exact-data match. It
// is a safety net for minutes of agent downtime, not a replacement for the agent.

import { RuleEngine } from "../common/rule-engine.js";
import { decide, filterFindings } from "../common/policy.js";
import { planReplacements } from "../common/redaction.js";

export class BuiltinRules {
  /** loadJson: (relative path inside generated/) => Promise of the parsed file. */
  constructor(loadJson) {
    this.loadJson = loadJson;
    this.enginePromise = null;
  }

  engine() {
    if (!this.enginePromise) {
      this.enginePromise = (async () => {
        const index = await this.loadJson("index.json");
        const packs = await Promise.all(index.rule_files.map((name) => this.loadJson(name)));
        return RuleEngine.fromPacks(packs);
      })();
      // A failed load is retried on the next call rather than cached for the worker's lifetime.
      this.enginePromise.catch(() => {
        this.enginePromise = null;
      });
    }
    return this.enginePromise;
  }

  /** A scan_result-shaped decision computed locally. */
  async scan({ text, host, channel, view }) {
    const engine = await this.engine();
    const findings = filterFindings(engine.match(text), text, view);
    const result = decide(findings, view, host, channel);
    const replacements =
      result.decision === "allow"
        ? []
        : planReplacements(text, result.findings, {
            style: view?.redaction?.style ?? "placeholder",
            labels: view?.redaction?.labels ?? {},
          });
    return { ...result, replacements, event_id: null, policy_version: view?.policy_version ?? null };
  }
}

/** The decision when the fail mode is block: nothing leaves while the agent is away. */
export function failClosedResult(message) {
  return {
    decision: "block",
    findings: [],
    replacements: [],
    message,
    can_override: false,
    justification_required: false,
    event_id: null,
    policy_version: null,
  };
}

export function failOpenResult() {
  return {
    decision: "allow",
    findings: [],
    replacements: [],
    message: "",
    can_override: false,
    justification_required: false,
    event_id: null,
    policy_version: null,
  };
}
