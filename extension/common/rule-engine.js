// The rule layer in JavaScript: shared-rules/SPEC.md, "Matching algorithm".
//
// The service worker runs it as the built-in fallback when the agent is unreachable; agent/rules.py is
// its Python twin and the shared vectors hold both to the same findings (extension/tests/rule-engine.test.js).
// Pure code: no browser API, so it runs unchanged in node.

import { makeValidator } from "./validators.js";

export const CONTEXT_BOOST = 0.3;
export const DEFAULT_CONTEXT_WINDOW = 64;

export class RulePackError extends Error {
  constructor(message) {
    super(message);
    this.name = "RulePackError";
  }
}

// Python compiles patterns with re.ASCII. In JavaScript (no `u` flag) \w \d \b are ASCII already, but \s
// also matches Unicode spaces and `.` refuses \r; rewrite both so the engines agree on every input.
const ASCII_SPACE = "\\t\\n\\v\\f\\r ";

/** A SPEC.md portable pattern rewritten so that JavaScript gives it Python's re.ASCII meaning. */
export function portablePattern(source) {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      const next = source[i + 1];
      i++;
      if (inClass && next === "s" && source.startsWith("\\S", i + 1)) {
        out += "\\s\\S"; // [\s\S]: any character, unchanged
        i += 2;
      } else if (next === "s") {
        out += inClass ? ASCII_SPACE : `[${ASCII_SPACE}]`;
      } else if (next === "S" && !inClass) {
        out += `[^${ASCII_SPACE}]`;
      } else {
        out += ch + (next ?? "");
      }
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      if (source[i + 1] === "^") out += source[++i];
      if (source[i + 1] === "]") out += "\\" + source[++i]; // a literal ] first in a class
      continue;
    }
    out += ch === "." ? "[^\\n]" : ch;
  }
  return out;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\\-\/]/g, "\\$&");
}

/** The context matcher: any word, not touching an ASCII letter or digit on either side. */
export function compileContext(words) {
  if (!words || words.length === 0) return null;
  const alternatives = [...words].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|");
  return new RegExp(`(?<![A-Za-z0-9])(?:${alternatives})(?![A-Za-z0-9])`, "i");
}

/** Python's round(x, 2): half to even on exact ties, which only matter for scores like 0.125. */
export function round2(x) {
  const scaled = x * 100;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) return (floor % 2 === 0 ? floor : floor + 1) / 100;
  return Math.round(scaled) / 100;
}

class Rule {
  constructor(raw, order) {
    this.id = raw.id;
    this.type = raw.type;
    this.category = raw.category;
    this.severity = raw.severity;
    this.score = Number(raw.score);
    this.order = order;
    this.group = raw.group ?? 0;
    const flags = "gmd" + (raw.ignore_case ? "i" : "");
    try {
      this.patterns = raw.patterns.map((pattern) => new RegExp(portablePattern(pattern), flags));
    } catch (error) {
      throw new RulePackError(`rule ${raw.id}: bad regex: ${error.message}`);
    }
    if (raw.validator) {
      try {
        this.validator = makeValidator(raw.validator.name, raw.validator.args ?? {});
      } catch (error) {
        throw new RulePackError(`rule ${raw.id}: validator ${raw.validator.name}: ${error.message}`);
      }
    } else {
      this.validator = null;
    }
    this.context = compileContext(raw.context);
    this.contextRequired = Boolean(raw.context_required);
    this.contextWindow = raw.context_window ?? DEFAULT_CONTEXT_WINDOW;
    this.allow = new Set(raw.allow ?? []);
    this.keywords = raw.keywords ?? [];
  }

  *find(text, lowered) {
    if (this.keywords.length && !this.keywords.some((keyword) => lowered.includes(keyword))) return;
    for (const pattern of this.patterns) {
      pattern.lastIndex = 0;
      let match;
      while ((match = pattern.exec(text)) !== null) {
        if (match[0].length === 0) pattern.lastIndex++; // never loop on an empty match
        const span = match.indices[this.group];
        if (!span) continue; // the group did not participate
        const [start, end] = span;
        if (start === end) continue;
        const value = text.slice(start, end);
        if (this.allow.has(value)) continue;
        if (this.validator && !this.validator(value)) continue;
        let score = this.score;
        if (this.context) {
          if (this.hasContext(text, start, end)) score = Math.min(1, score + CONTEXT_BOOST);
          else if (this.contextRequired) continue;
        } else if (this.contextRequired) {
          continue;
        }
        yield {
          rule: this.id,
          type: this.type,
          category: this.category,
          severity: this.severity,
          start,
          end,
          score: round2(score),
        };
      }
    }
  }

  hasContext(text, start, end) {
    const before = text.slice(Math.max(0, start - this.contextWindow), start);
    const after = text.slice(end, end + this.contextWindow);
    return this.context.test(before) || this.context.test(after);
  }
}

/** Disjoint half-open intervals kept sorted, so overlap resolution stays O(n log n) on big pastes. */
class IntervalSet {
  constructor() {
    this.starts = [];
    this.ends = [];
  }

  // First index whose start is > value (bisect_right).
  upperBound(value) {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  overlaps(start, end) {
    const i = this.upperBound(start);
    if (i > 0 && this.ends[i - 1] > start) return true;
    return i < this.starts.length && this.starts[i] < end;
  }

  add(start, end) {
    const i = this.upperBound(start);
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
  }
}

/** Keep the strongest of overlapping findings (score, then length, then start, then rule order). */
export function resolveOverlaps(findings, ruleOrder) {
  const orderOf = (finding) => ruleOrder.get(finding.rule) ?? Number.MAX_SAFE_INTEGER;
  const ranked = [...findings].sort(
    (a, b) =>
      b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start || orderOf(a) - orderOf(b),
  );
  const taken = new IntervalSet();
  const kept = [];
  for (const finding of ranked) {
    if (taken.overlaps(finding.start, finding.end)) continue;
    taken.add(finding.start, finding.end);
    kept.push(finding);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end || orderOf(a) - orderOf(b));
}

/** All rules of the packs listed in shared-rules/index.json, compiled. */
export class RuleEngine {
  constructor(rules) {
    this.rules = rules;
    this.order = new Map(rules.map((rule) => [rule.id, rule.order]));
  }

  /** packs: the parsed rule files in index.json order. Throws RulePackError on a bad rule. */
  static fromPacks(packs) {
    const seen = new Set();
    const rules = [];
    for (const pack of packs) {
      if (!pack || !Array.isArray(pack.rules)) throw new RulePackError("a rule pack needs a rules array");
      for (const raw of pack.rules) {
        if (seen.has(raw.id)) throw new RulePackError(`duplicate rule id ${raw.id}`);
        seen.add(raw.id);
        rules.push(new Rule(raw, rules.length));
      }
    }
    return new RuleEngine(rules);
  }

  /** Every rule's findings before overlap resolution. */
  candidates(text) {
    const lowered = text.toLowerCase();
    const found = [];
    for (const rule of this.rules) {
      for (const finding of rule.find(text, lowered)) found.push(finding);
    }
    return found;
  }

  /** The rule layer's result as the vectors define it. */
  match(text) {
    return resolveOverlaps(this.candidates(text), this.order);
  }
}
