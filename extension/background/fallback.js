// What happens when the agent cannot answer: the fail mode of the site (block, allow, or builtin), and
// the built-in rules themselves — the shared rule pack run by common/rule-engine.js and the policy's
// keyword dictionaries run by common/keywords.js, with the policy's actions, allowlists and texts (the
// cached policy, else the default one shipped in generated/).
//
// The built-in layer has the regex rules and keyword dictionaries only: no NER, no code detection, no
// exact-data match (the fingerprint sets never leave the agent). It is a safety net for minutes of agent
// downtime, not a replacement for the agent.

import { keywordDictionaries, keywordFindings } from "../common/keywords.js";
import { resolveOverlaps, RuleEngine } from "../common/rule-engine.js";
import { decide, filterFindings } from "../common/policy.js";
import { planReplacements } from "../common/redaction.js";

export class BuiltinRules {
  /** loadJson: (relative path inside generated/) => Promise of the parsed file. */
  constructor(loadJson) {
    this.loadJson = loadJson;
    this.enginePromise = null;
    this.compiledKeywords = new WeakMap(); // a view's keywords array -> its compiled dictionaries
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

  /** The view's keyword dictionaries, compiled once per policy; a malformed one is left out and logged. */
  keywords(view) {
    const list = Array.isArray(view?.keywords) ? view.keywords : null;
    if (!list) return [];
    let compiled = this.compiledKeywords.get(list);
    if (!compiled) {
      const { dictionaries, errors } = keywordDictionaries(list);
      for (const error of errors) console.warn(`promptfence: ${error.message}; left out of the built-in rules`);
      compiled = dictionaries;
      this.compiledKeywords.set(list, compiled);
    }
    return compiled;
  }

  /** A scan_result-shaped decision computed locally. */
  async scan({ text, host, channel, view }) {
    const engine = await this.engine();
    const dictionaries = this.keywords(view);
    // As agent/analyzer.py: the policy's filters on every candidate, then one overlap resolution with
    // the rule pack's order followed by the dictionaries'.
    const order = new Map(engine.order);
    for (const dictionary of dictionaries) if (!order.has(dictionary.id)) order.set(dictionary.id, order.size);
    const candidates = [...engine.candidates(text), ...keywordFindings(dictionaries, text)];
    const findings = resolveOverlaps(filterFindings(candidates, text, view), order);
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
