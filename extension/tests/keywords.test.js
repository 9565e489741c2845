// Keyword dictionaries in JavaScript (common/keywords.js) against the shared vectors, which
// tests/test_org_data.py runs through agent/org_data.py.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { KeywordDictionaryError, keywordDictionaries, keywordFindings, trieRegex } from "../common/keywords.js";
import { resolveOverlaps } from "../common/rule-engine.js";
import { readShared } from "./helpers/shared.js";

const INDEX = readShared("index.json");
const { dictionaries: FIXTURE, vectors: VECTORS } = readShared(INDEX.keyword_vectors);

/** The resolved findings of some dictionaries, as the vectors spell them. */
function run(rawDictionaries, text) {
  const { dictionaries, errors } = keywordDictionaries(rawDictionaries);
  assert.deepEqual(errors, []);
  const order = new Map(dictionaries.map((dictionary, i) => [dictionary.id, i]));
  return resolveOverlaps(keywordFindings(dictionaries, text), order).map(({ rule, type, category, severity, score, start, end }) => ({
    rule,
    type,
    category,
    severity,
    score,
    start,
    end,
  }));
}

describe("shared keyword vectors", () => {
  for (const vector of VECTORS) {
    test(vector.name, () => {
      const chosen = FIXTURE.filter((raw) => (vector.dictionaries ?? [raw.id]).includes(raw.id));
      assert.equal(chosen.length, (vector.dictionaries ?? chosen).length, "a vector names a dictionary the file lacks");
      assert.deepEqual(run(chosen, vector.input), vector.expected);
    });
  }
  test("when the file is read then it has vectors for every fixture dictionary", () => {
    const positives = new Set(VECTORS.flatMap((vector) => vector.expected.map((finding) => finding.rule)));
    assert.deepEqual([...positives].sort(), FIXTURE.map((raw) => raw.id).sort());
  });
});

const codenames = (terms, options = {}) => ({ id: "codenames", type: "CODE_NAME", severity: "high", terms, ...options });

describe("keyword dictionaries", () => {
  test("when the trie is built then it matches exactly the terms", () => {
    const terms = ["ab", "abc", "abd", "b", "bcd"];
    const pattern = new RegExp(`^(?:${trieRegex(terms)})$`, "u");
    for (const term of terms) assert.ok(pattern.test(term), term);
    for (const other of ["a", "bc", "abcd", "c", ""]) assert.ok(!pattern.test(other), other);
  });

  test("when a term is outside the Basic Multilingual Plane then its surrogate pair stays whole", () => {
    const text = "launch 🚀 🚁 now";
    const found = run([codenames(["🚀", "🚁"], { whole_word: false })], text);
    assert.deepEqual(found.map((f) => text.slice(f.start, f.end)), ["🚀", "🚁"]);
  });

  test("when the dictionary has 5000 terms then the listed one is found", () => {
    // Distinct pseudo-random words: a multiplicative hash of the index written in base 26.
    const word = (n) => {
      let value = Math.imul(n + 1, 2654435761) >>> 0;
      let out = "";
      for (; value > 0; value = Math.floor(value / 26)) out += String.fromCharCode(97 + (value % 26));
      return out;
    };
    const terms = Array.from({ length: 5000 }, (_, i) => `${word(2 * i)} ${word(2 * i + 1)}`);
    assert.equal(new Set(terms).size, 5000);
    const listed = terms[1234];
    const text = `${"Quarterly notes. ".repeat(200)}The ${listed.toUpperCase()} launch slips. ${"More notes. ".repeat(200)}`;
    const found = run([codenames(terms)], text);
    assert.deepEqual(found.map((f) => text.slice(f.start, f.end)), [listed.toUpperCase()]);
  });

  test("when a dictionary is malformed then it alone is left out, with a typed error naming it", () => {
    const { dictionaries, errors } = keywordDictionaries([
      { id: "empty", type: "X", severity: "low", terms: [""] },
      { id: "untyped", severity: "low", terms: ["a"] },
      codenames(["Bluebird"]),
    ]);
    assert.deepEqual(dictionaries.map((d) => d.id), ["codenames"]);
    assert.deepEqual(errors.map((e) => [e instanceof KeywordDictionaryError, e.dictionary]), [[true, "empty"], [true, "untyped"]]);
    assert.deepEqual(keywordDictionaries(undefined), { dictionaries: [], errors: [] });
  });
});
