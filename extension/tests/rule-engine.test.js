// Every shared vector through the JavaScript rule engine: the fallback must find what the agent finds.
// tests/test_vectors.py runs the same files through agent/rules.py.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { portablePattern, resolveOverlaps, round2, RuleEngine, RulePackError } from "../common/rule-engine.js";
import { readShared, sharedRules } from "./helpers/shared.js";

const { index, packs } = sharedRules();
const ENGINE = RuleEngine.fromPacks(packs);

describe("shared vectors", () => {
  let total = 0;
  for (const name of index.vector_files) {
    for (const vector of readShared(name).vectors) {
      total++;
      test(`${name}: ${vector.name}`, () => {
        const got = ENGINE.match(vector.input).map(({ rule, type, start, end }) => ({ rule, type, start, end }));
        assert.deepEqual(got, vector.expected);
      });
    }
  }
  test("when the index is read then it lists vectors and rules", () => {
    assert.ok(ENGINE.rules.length > 0, "no rules loaded");
    assert.ok(total > 0, "no vectors found");
  });
});

const rule = (fields) => ({ id: "r", type: "T", category: "secret", severity: "high", score: 0.5, patterns: ["x"], ...fields });

describe("matching steps", () => {
  test("when a group is set then the span is the group's", () => {
    const engine = RuleEngine.fromPacks([{ rules: [rule({ patterns: ["key=([A-Z]{4})"], group: 1 })] }]);
    assert.deepEqual(engine.match("a key=ABCD b").map((f) => [f.start, f.end]), [[6, 10]]);
  });

  test("when the group did not take part then there is no finding", () => {
    const engine = RuleEngine.fromPacks([{ rules: [rule({ patterns: ["a(b)?c"], group: 1 })] }]);
    assert.deepEqual(engine.match("ac"), []);
  });

  test("when the value is in allow then it is dropped", () => {
    const engine = RuleEngine.fromPacks([{ rules: [rule({ patterns: ["[0-9]{4}"], allow: ["1234"] })] }]);
    assert.deepEqual(engine.match("1234 5678").map((f) => f.start), [5]);
  });

  test("when a context word is near then the score rises, and context_required drops the rest", () => {
    const engine = RuleEngine.fromPacks([
      { rules: [rule({ patterns: ["[0-9]{6}"], context: ["pin"], context_required: true, context_window: 10 })] },
    ]);
    const found = engine.match("my pin 123456 and far away words here 654321");
    assert.deepEqual(found.map((f) => [f.start, f.score]), [[7, 0.8]]);
  });

  test("when a context word is part of a longer word then it does not count", () => {
    const engine = RuleEngine.fromPacks([{ rules: [rule({ patterns: ["[0-9]{6}"], context: ["pin"], context_required: true })] }]);
    assert.deepEqual(engine.match("spinning 123456"), []);
  });

  test("when a keyword is absent then the rule does not run", () => {
    const engine = RuleEngine.fromPacks([{ rules: [rule({ patterns: ["[a-z]{3}"], keywords: ["zzz"] })] }]);
    assert.deepEqual(engine.match("abc"), []);
    assert.equal(engine.match("abc zzz").length, 2);
  });

  test("when findings overlap then the higher score wins, then the longer span", () => {
    const engine = RuleEngine.fromPacks([
      {
        rules: [
          rule({ id: "short", patterns: ["abc"], score: 0.5 }),
          rule({ id: "long", patterns: ["abcdef"], score: 0.5 }),
          rule({ id: "strong", patterns: ["def"], score: 0.9 }),
        ],
      },
    ]);
    assert.deepEqual(engine.match("abcdef").map((f) => f.rule), ["short", "strong"]);
  });

  test("when findings tie on everything then the earlier rule wins", () => {
    const ranked = resolveOverlaps(
      [
        { rule: "b", start: 0, end: 3, score: 0.5 },
        { rule: "a", start: 0, end: 3, score: 0.5 },
      ],
      new Map([["a", 0], ["b", 1]]),
    );
    assert.deepEqual(ranked.map((f) => f.rule), ["a"]);
  });

  test("when a validator rejects the value then it is dropped", () => {
    const engine = RuleEngine.fromPacks([{ rules: [rule({ patterns: ["[0-9]{16}"], validator: { name: "luhn" } })] }]);
    assert.equal(engine.match("4111111111111111").length, 1);
    assert.equal(engine.match("4111111111111112").length, 0);
  });

  test("when a pattern matches empty text then the engine moves on instead of looping", () => {
    const engine = RuleEngine.fromPacks([{ rules: [rule({ patterns: ["a*"] })] }]);
    assert.deepEqual(engine.match("baab").map((f) => [f.start, f.end]), [[1, 3]]);
  });
});

describe("portable regex meaning (Python re.ASCII)", () => {
  test("when \\s is used then Unicode spaces do not match, as in Python", () => {
    const re = new RegExp(portablePattern("a\\sb"));
    assert.equal(re.test("a b"), true);
    assert.equal(re.test("a\u00a0b"), false);
    assert.equal(new RegExp(portablePattern("[\\s]")).test("\u2003"), false);
  });

  test("when . is used then it matches \\r but not \\n, as in Python", () => {
    const re = new RegExp(portablePattern("a.b"));
    assert.equal(re.test("a\rb"), true);
    assert.equal(re.test("a\nb"), false);
  });

  test("when [\\s\\S] is used then it still matches anything", () => {
    assert.equal(portablePattern("[\\s\\S]"), "[\\s\\S]");
    assert.equal(portablePattern("[^\\]x]"), "[^\\]x]");
  });

  test("when scores are rounded then ties go to even like Python's round", () => {
    assert.equal(round2(0.125), 0.12);
    assert.equal(round2(0.6 + 0.3), 0.9);
    assert.equal(round2(0.555), 0.56);
  });
});

describe("bad packs", () => {
  test("when two rules share an id then loading fails", () => {
    assert.throws(() => RuleEngine.fromPacks([{ rules: [rule({}), rule({})] }]), RulePackError);
  });
  test("when a pattern does not compile then loading fails with the rule's id", () => {
    assert.throws(() => RuleEngine.fromPacks([{ rules: [rule({ id: "broken", patterns: ["(a"] })] }]), /broken/);
  });
  test("when a validator is unknown then loading fails", () => {
    assert.throws(() => RuleEngine.fromPacks([{ rules: [rule({ validator: { name: "nope" } })] }]), RulePackError);
  });
});
