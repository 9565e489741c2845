// The policy's keyword dictionaries in JavaScript: agent/org_data.py's KeywordDictionary, for the
// built-in fallback, so a "CONFIDENTIAL" document is caught while the agent is down too.
//
// Each dictionary compiles into one regular expression shaped as a trie of its terms (shared prefixes
// factored out): a few character comparisons per position however many terms, and the greedy trie tries
// the longest term first. Whole-word terms must not touch a letter or digit (Unicode categories L and N,
// as Python's `[^\W_]`). The shared vectors (shared-rules/vectors/keywords.json) hold both engines to the
// same findings. Pure code: no browser API.

import { round2 } from "./rule-engine.js";

export const DEFAULT_KEYWORD_SCORE = 0.9;
const WORD_BEFORE = "(?<![\\p{L}\\p{N}])";
const WORD_AFTER = "(?![\\p{L}\\p{N}])";

export class KeywordDictionaryError extends Error {
  constructor(id, problem) {
    super(`keyword dictionary ${id}: ${problem}`);
    this.name = "KeywordDictionaryError";
    this.dictionary = id;
  }
}

// With the `u` flag only syntax characters may be escaped.
function escapeLiteral(text) {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** One pattern matching any of `terms`, longest first, as a trie; chains of one child stay literals. */
export function trieRegex(terms) {
  const END = "";
  const root = new Map();
  for (const term of terms) {
    let node = root;
    for (const char of term) {
      // for..of walks code points, so a surrogate pair is never split between two branches
      if (!node.has(char)) node.set(char, new Map());
      node = node.get(char);
    }
    node.set(END, new Map());
  }
  const byCodePoint = (a, b) => a.codePointAt(0) - b.codePointAt(0);

  function build(node) {
    const branches = [];
    for (const char of [...node.keys()].filter((key) => key !== END).sort(byCodePoint)) {
      let literal = char;
      let child = node.get(char);
      while (child.size === 1 && !child.has(END)) {
        const [[nextChar, grandchild]] = child;
        literal += nextChar;
        child = grandchild;
      }
      branches.push(escapeLiteral(literal) + build(child));
    }
    if (!branches.length) return "";
    const body = branches.length === 1 ? branches[0] : `(?:${branches.join("|")})`;
    return node.has(END) ? `(?:${body})?` : body;
  }

  return build(root);
}

export class KeywordDictionary {
  constructor({ id, type, category, severity, score, caseSensitive, source }) {
    this.id = id;
    this.type = type;
    this.category = category;
    this.severity = severity;
    this.score = score;
    this.caseSensitive = caseSensitive;
    this.pattern = new RegExp(source, "gu");
    this.foldedSource = source;
    this.folded = null; // compiled on first need
  }

  /** raw: one entry of the policy's `keywords` (policy schema, keywordDictionary). */
  static fromPolicy(raw) {
    const id = typeof raw?.id === "string" ? raw.id : "(no id)";
    if (!raw || typeof raw !== "object") throw new KeywordDictionaryError(id, "not an object");
    for (const key of ["type", "severity"]) {
      if (typeof raw[key] !== "string" || !raw[key]) throw new KeywordDictionaryError(id, `no ${key}`);
    }
    if (!Array.isArray(raw.terms)) throw new KeywordDictionaryError(id, "terms is not a list");
    const caseSensitive = Boolean(raw.case_sensitive ?? false);
    const wholeWord = Boolean(raw.whole_word ?? true);
    let terms = raw.terms.filter((term) => typeof term === "string" && term.length > 0);
    if (!terms.length) throw new KeywordDictionaryError(id, "no terms");
    if (!caseSensitive) terms = terms.map((term) => term.toLowerCase());
    let source = trieRegex([...new Set(terms)]);
    if (wholeWord) source = `${WORD_BEFORE}(?:${source})${WORD_AFTER}`;
    try {
      return new KeywordDictionary({
        id,
        type: raw.type,
        category: raw.category ?? "keyword",
        severity: raw.severity,
        score: typeof raw.score === "number" ? raw.score : DEFAULT_KEYWORD_SCORE,
        caseSensitive,
        source,
      });
    } catch (error) {
      throw new KeywordDictionaryError(id, "its terms do not compile"); // the engine's message quotes them
    }
  }

  /** Findings in `text`; `lowered` is text.toLowerCase(), shared between dictionaries. */
  *find(text, lowered = null) {
    let pattern = this.pattern;
    let subject = text;
    if (!this.caseSensitive) {
      lowered ??= text.toLowerCase();
      if (lowered.length === text.length) {
        subject = lowered; // the lowered terms against the lowered text: faster than the `i` flag
      } else {
        // Lower-casing changed the length (e.g. "İ"): offsets would shift, so match the text itself.
        this.folded ??= new RegExp(this.foldedSource, "giu");
        pattern = this.folded;
      }
    }
    pattern.lastIndex = 0;
    let match;
    while ((match = pattern.exec(subject)) !== null) {
      const start = match.index;
      const end = start + match[0].length;
      if (end === start) {
        pattern.lastIndex++; // never loop on an empty match
        continue;
      }
      yield {
        rule: this.id,
        type: this.type,
        category: this.category,
        severity: this.severity,
        start,
        end,
        score: round2(this.score),
      };
    }
  }
}

/**
 * The policy's dictionaries, compiled. A dictionary that does not compile is left out and reported in
 * `errors` (its id and problem, never its terms), so one bad entry cannot switch off the others.
 */
export function keywordDictionaries(list) {
  const dictionaries = [];
  const errors = [];
  for (const raw of Array.isArray(list) ? list : []) {
    try {
      dictionaries.push(KeywordDictionary.fromPolicy(raw));
    } catch (error) {
      if (!(error instanceof KeywordDictionaryError)) throw error;
      errors.push(error);
    }
  }
  return { dictionaries, errors };
}

/** Every dictionary's findings, in dictionary order (overlaps are resolved by the caller). */
export function keywordFindings(dictionaries, text) {
  let lowered = null;
  const found = [];
  for (const dictionary of dictionaries) {
    if (!dictionary.caseSensitive) lowered ??= text.toLowerCase();
    for (const finding of dictionary.find(text, lowered)) found.push(finding);
  }
  return found;
}
