// The validators of shared-rules/SPEC.md in JavaScript: the shared cases (the same file
// tests/test_validators.py runs), the registry contract, and the hashes behind btc_address and eth_address.
// tests/test_validators.py also compares both implementations on thousands of near-miss values.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { keccak256, keccakSponge256, sha256, toHex } from "../common/hashes.js";
import { dateOfBirthOn, makeValidator, phoneNumber, VALIDATOR_NAMES, ValidatorError } from "../common/validators.js";

const SHARED = new URL("../../shared-rules/", import.meta.url);
const readJson = (path) => JSON.parse(readFileSync(new URL(path, SHARED), "utf8"));
const INDEX = readJson("index.json");
const { cases: CASES } = readJson(INDEX.validator_cases);

describe("shared validator cases", () => {
  for (const c of CASES) {
    const label = c.value.length > 40 ? `${c.value.slice(0, 37)}...` : c.value;
    test(`when ${c.validator} checks ${JSON.stringify(label)} then it is ${c.valid ? "valid" : "invalid"}`, () => {
      assert.equal(makeValidator(c.validator, c.args ?? {})(c.value), c.valid);
    });
  }
});

describe("registry", () => {
  test("when listed then the names equal the rule-pack schema enum", () => {
    const schema = readJson(INDEX.schemas.rule_pack);
    const names = schema.$defs.rule.properties.validator.properties.name.enum;
    assert.deepEqual([...VALIDATOR_NAMES].sort(), [...names].sort());
  });

  test("when every validator is listed then the shared cases cover a pass and a fail of each", () => {
    for (const name of VALIDATOR_NAMES) {
      const outcomes = new Set(CASES.filter((c) => c.validator === name).map((c) => c.valid));
      assert.deepEqual([...outcomes].sort(), [false, true], name);
    }
  });

  test("when the name is unknown then makeValidator throws ValidatorError", () => {
    assert.throws(() => makeValidator("luhnn", {}), ValidatorError);
    assert.throws(() => makeValidator("__proto__", {}), ValidatorError);
  });

  test("when a plain validator gets an argument then makeValidator throws ValidatorError", () => {
    assert.throws(() => makeValidator("luhn", { strict: true }), ValidatorError);
  });

  for (const args of [{}, { bits: "4" }, { bits: 4, min_classes: 2.5 }, { bits: 4, extra: 1 }, null, []]) {
    test(`when min_entropy gets ${JSON.stringify(args)} then makeValidator throws ValidatorError`, () => {
      assert.throws(() => makeValidator("min_entropy", args), ValidatorError);
    });
  }

  test("when args are omitted then a plain validator still works", () => {
    assert.equal(makeValidator("luhn")("79927398713"), true);
  });
});

describe("date_of_birth against a fixed today", () => {
  const today = [2026, 3, 15];
  const expectations = [
    ["2026-03-15", true],
    ["2026-03-16", false],
    ["15/03/2026", true],
    ["16.03.2026", false],
    ["March 15, 2026", true],
    ["March 16, 2026", false],
    // two-digit years: the latest of 19YY and 20YY not after today
    ["01/01/26", true],
    ["01/01/27", true],
    ["31/12/99", true],
    ["16/03/26", false],
  ];
  for (const [value, expected] of expectations) {
    test(`when the date is ${value} then it is ${expected ? "valid" : "invalid"}`, () => {
      assert.equal(dateOfBirthOn(value, today), expected);
    });
  }
});

describe("phone_number", () => {
  for (const value of ["2024-01-15", "15.01.2024", "01/15/2024", "1999 12 31"]) {
    test(`when the candidate ${value} is a real date then it is not a phone number`, () => {
      assert.equal(phoneNumber(value), false);
    });
  }
  test("when the candidate is date-shaped but not a date then it is a phone number", () => {
    assert.equal(phoneNumber("2024-13-45"), true);
  });
});

describe("hashes", () => {
  const bytes = (length) => Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);

  test("when keccak256 hashes the published inputs then the digests match", () => {
    const utf8 = (s) => new TextEncoder().encode(s);
    assert.equal(toHex(keccak256(utf8(""))), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assert.equal(toHex(keccak256(utf8("abc"))), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  });

  test("when the sponge uses SHA-3 padding then it equals node's sha3-256 at every length up to 300", () => {
    for (let length = 0; length < 300; length++) {
      const data = bytes(length);
      assert.equal(toHex(keccakSponge256(data, 0x06)), createHash("sha3-256").update(data).digest("hex"), `${length}`);
    }
  });

  test("when sha256 hashes any length up to 300 then it equals node's sha256", () => {
    for (let length = 0; length < 300; length++) {
      const data = bytes(length);
      assert.equal(toHex(sha256(data)), createHash("sha256").update(data).digest("hex"), `${length}`);
    }
  });
});
