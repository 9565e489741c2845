// The built-in fallback: shared rules + the default policy's actions in JavaScript, fail modes per
// site, and the verdicts the content script receives (texts rebuilt from replacements).

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { decide, effectiveFailMode, filterFindings, isGuarded } from "../common/policy.js";
import { applyReplacements, planReplacements } from "../common/redaction.js";
import { BuiltinRules } from "../background/fallback.js";
import { DecisionRouter, toVerdict } from "../background/decisions.js";
import { ErrorCode, PromptfenceError } from "../common/errors.js";
import { readShared, sharedRules } from "./helpers/shared.js";

const { defaultPolicy } = sharedRules();
const builtin = new BuiltinRules(async (name) => readShared(name));
const AWS_KEY = "AKIAZ7Q3WXYV4TRS2P5K";

describe("built-in rules with the default policy", () => {
  test("when an AWS key is pasted then the decision is block with the policy's words", async () => {
    const result = await builtin.scan({ text: `AWS_ACCESS_KEY_ID=${AWS_KEY}`, host: "chatgpt.com", channel: "paste", view: defaultPolicy });
    assert.equal(result.decision, "block");
    assert.match(result.message, /must not be sent/);
    assert.ok(!result.message.includes(AWS_KEY));
  });

  test("when an email is pasted then it is redacted to a stable placeholder", async () => {
    const text = "write to jane.doe@northwind-traders.com and again jane.doe@northwind-traders.com";
    const result = await builtin.scan({ text, host: "chatgpt.com", channel: "paste", view: defaultPolicy });
    assert.equal(result.decision, "redact");
    assert.equal(applyReplacements(text, result.replacements).text, "write to <EMAIL_1> and again <EMAIL_1>");
  });

  test("when the email's domain is allowlisted then nothing is found", async () => {
    const view = { ...defaultPolicy, allowlists: { ...defaultPolicy.allowlists, email_domains: ["example.com"] } };
    const result = await builtin.scan({ text: "mail bob@example.com", host: "chatgpt.com", channel: "paste", view });
    assert.equal(result.decision, "allow");
  });

  test("when a document carries a marking then the default policy's keyword dictionary warns", async () => {
    const text = "CONFIDENTIAL draft of the third-quarter roadmap for the board.";
    const result = await builtin.scan({ text, host: "chatgpt.com", channel: "paste", view: defaultPolicy });
    assert.equal(result.decision, "warn");
    assert.deepEqual(
      result.findings.map(({ rule, type, category, start, end }) => [rule, type, category, start, end]),
      [["document-markings", "DOCUMENT_MARKING", "keyword", 0, 12]],
    );
    assert.ok(result.can_override);
    assert.match(result.message, /document marking/);
  });

  test("when the word is lower case in a sentence then the marking dictionary leaves it alone", async () => {
    const text = "Please keep this confidential between us.";
    const result = await builtin.scan({ text, host: "chatgpt.com", channel: "paste", view: defaultPolicy });
    assert.equal(result.decision, "allow");
  });

  test("when the policy lists code names then the fallback blocks them as the policy's actions say", async () => {
    const view = {
      ...defaultPolicy,
      keywords: [{ id: "codenames", type: "CODE_NAME", severity: "critical", terms: ["Project Bluebird"] }],
    };
    const text = "Status of project bluebird, please.";
    const result = await builtin.scan({ text, host: "chatgpt.com", channel: "paste", view });
    assert.equal(result.decision, "block"); // the default policy blocks anything critical
    assert.deepEqual(result.findings.map((f) => [f.rule, f.start, f.end, f.score]), [["codenames", 10, 26, 0.9]]);
  });

  test("when a dictionary is disabled then its findings are dropped before overlaps are resolved", async () => {
    // As the agent does: a disabled higher-scoring dictionary must not hide what another one finds.
    const view = {
      ...defaultPolicy,
      detectors: { ...defaultPolicy.detectors, disabled_rules: ["wide"] },
      keywords: [
        { id: "wide", type: "CODE_NAME", severity: "high", score: 0.95, terms: ["alpha beta"] },
        { id: "narrow", type: "CODE_NAME", severity: "high", score: 0.5, terms: ["beta"] },
      ],
    };
    const result = await builtin.scan({ text: "the alpha beta plan", host: "chatgpt.com", channel: "paste", view });
    assert.deepEqual(result.findings.map((f) => [f.rule, f.start, f.end]), [["narrow", 10, 14]]);
  });

  test("when the view's dictionary is malformed then the rules and other dictionaries still run", async () => {
    const view = { ...defaultPolicy, keywords: [{ id: "broken", type: "X", severity: "low", terms: [] }, ...defaultPolicy.keywords] };
    const result = await builtin.scan({ text: `CONFIDENTIAL ${AWS_KEY}`, host: "chatgpt.com", channel: "paste", view });
    assert.deepEqual(result.findings.map((f) => f.rule).sort(), ["aws-access-key-id", "document-markings"]);
  });

  test("when the text is clean then it is allowed", async () => {
    const result = await builtin.scan({ text: "Summarise these notes in three bullet points.", host: "claude.ai", channel: "paste", view: defaultPolicy });
    assert.deepEqual([result.decision, result.findings.length], ["allow", 0]);
  });
});

describe("policy steps", () => {
  const finding = (fields) => ({ rule: "r", type: "T", category: "pii", severity: "medium", start: 0, end: 4, score: 0.9, ...fields });

  test("when the first matching action entry is taken then later entries do not apply", () => {
    const view = { actions: [{ match: { type: "T" }, action: "allow" }, { match: { category: "pii" }, action: "block" }], default_action: "warn", messages: {} };
    assert.equal(decide([finding({})], view, "x.com", "paste").decision, "allow");
  });

  test("when no entry matches then default_action applies", () => {
    const view = { actions: [], default_action: "warn", messages: { warn: "check {types}" }, user_override: { allow_warn_override: true, justification_required: true } };
    const result = decide([finding({ type: "SOME_TYPE" })], view, "x.com", "paste");
    assert.deepEqual([result.decision, result.message, result.can_override, result.justification_required], ["warn", "check some type", true, true]);
  });

  test("when min_count is set then the entry needs that many findings", () => {
    const view = { actions: [{ match: { type: "PERSON", min_count: 3 }, action: "warn" }], default_action: "allow" };
    const two = [finding({ type: "PERSON" }), finding({ type: "PERSON", start: 5, end: 9 })];
    assert.equal(decide(two, view, "x.com", "paste").decision, "allow");
    assert.equal(decide([...two, finding({ type: "PERSON", start: 10, end: 14 })], view, "x.com", "paste").decision, "warn");
  });

  test("when a site override has actions then they come first for that site only", () => {
    const view = { actions: [{ match: {}, action: "allow" }], default_action: "allow", site_overrides: { "*.corp.example": { actions: [{ match: {}, action: "block" }] } } };
    assert.equal(decide([finding({})], view, "chat.corp.example", "paste").decision, "block");
    assert.equal(decide([finding({})], view, "chatgpt.com", "paste").decision, "allow");
  });

  test("when detectors disable a type or the score is low then the finding is dropped", () => {
    const view = { detectors: { disabled_types: ["T"], min_score: 0.5 } };
    assert.equal(filterFindings([finding({}), finding({ type: "U", score: 0.4 }), finding({ type: "U" })], "abcd", view).length, 1);
  });

  test("when fail modes are set in several places then the site's own wins, then the managed one", () => {
    const view = { fail_mode: { default: "builtin", sites: { "claude.ai": "block" } } };
    assert.equal(effectiveFailMode(view, "claude.ai", "allow"), "block");
    assert.equal(effectiveFailMode(view, "chatgpt.com", "allow"), "allow");
    assert.equal(effectiveFailMode(view, "chatgpt.com", null), "builtin");
    assert.equal(effectiveFailMode({}, "chatgpt.com", null), "builtin");
  });

  test("when sites are listed with paths then only those paths are guarded", () => {
    assert.equal(isGuarded(defaultPolicy, "huggingface.co", "/chat/x"), true);
    assert.equal(isGuarded(defaultPolicy, "huggingface.co", "/models"), false);
    assert.equal(isGuarded(defaultPolicy, "chatgpt.com", "/"), true);
    assert.equal(isGuarded({ sites: { guarded: [], extra: ["*.example-ai.test"] } }, "chat.example-ai.test"), true);
  });

  test("when the same card is written two ways then it gets one placeholder", () => {
    const text = "4111 1111 1111 1111 / 4111-1111-1111-1111";
    const findings = [
      { type: "CREDIT_CARD", category: "pii", start: 0, end: 19, action: "redact" },
      { type: "CREDIT_CARD", category: "pii", start: 22, end: 41, action: "redact" },
    ];
    const planned = planReplacements(text, findings, { labels: { CREDIT_CARD: "CARD" } });
    assert.deepEqual(planned.map((r) => r.placeholder), ["<CARD_1>", "<CARD_1>"]);
  });
});

describe("verdicts", () => {
  const text = "mail jane@corp.example with key SECRET123";
  const result = {
    decision: "warn",
    findings: [
      { type: "EMAIL_ADDRESS", start: 5, end: 22, action: "redact" },
      { type: "PASSWORD", start: 32, end: 41, action: "warn" },
    ],
    replacements: [
      { start: 5, end: 22, placeholder: "<EMAIL_1>", action: "redact" },
      { start: 32, end: 41, placeholder: "<PASSWORD_1>", action: "warn" },
    ],
    message: "check it",
    can_override: true,
    justification_required: false,
  };

  test("when a warn comes back then 'redacted' replaces all and 'anyway' only the redact ones", () => {
    const verdict = toVerdict(result, text, { scanId: "s", source: "agent" });
    assert.equal(verdict.redacted, "mail <EMAIL_1> with key <PASSWORD_1>");
    assert.equal(verdict.overrideText, "mail <EMAIL_1> with key SECRET123");
    assert.deepEqual(verdict.summary, [{ type: "EMAIL_ADDRESS", count: 1 }, { type: "PASSWORD", count: 1 }]);
    assert.deepEqual(verdict.redactedMarks[0], { start: 5, end: 14 });
  });

  test("when replacements lack their action then the finding with the same span supplies it", () => {
    const bare = { ...result, replacements: result.replacements.map(({ action, ...r }) => r) };
    assert.equal(toVerdict(bare, text, { scanId: "s", source: "agent" }).overrideText, "mail <EMAIL_1> with key SECRET123");
  });

  test("when a replacement is out of range then it is skipped, never corrupting the text", () => {
    assert.equal(applyReplacements("abc", [{ start: 2, end: 9, placeholder: "X" }]).text, "abc");
  });
});

describe("DecisionRouter", () => {
  function router({ agent, failMode = null, view = defaultPolicy }) {
    const history = [];
    return {
      history,
      router: new DecisionRouter({
        agent,
        builtin,
        policyStore: { view, version: view.policy_version },
        settings: () => ({ fail_mode: failMode, extra_sites: [] }),
        history: { add: (entry) => history.push(entry) },
        words: (key) => `[${key}]`,
      }),
    };
  }
  const downAgent = { worthAsking: () => false };
  const failingAgent = (code) => ({ worthAsking: () => true, scan: async () => { throw new PromptfenceError(code); } });

  test("when the agent is down and the fail mode is builtin then the JS rules decide", async () => {
    const { router: r, history } = router({ agent: downAgent });
    const verdict = await r.scan({ channel: "paste", host: "chatgpt.com", path: "/", text: `key ${AWS_KEY}`, tabId: 1 });
    assert.deepEqual([verdict.decision, verdict.source], ["block", "builtin"]);
    assert.deepEqual(history.map((h) => [h.decision, h.types]), [["block", { AWS_ACCESS_KEY_ID: 1 }]]);
    assert.ok(!JSON.stringify(history).includes(AWS_KEY), "history never holds the value");
  });

  test("when the agent times out and the managed fail mode is block then even clean text is blocked", async () => {
    const { router: r } = router({ agent: failingAgent(ErrorCode.TIMEOUT), failMode: "block" });
    const verdict = await r.scan({ channel: "paste", host: "chatgpt.com", path: "/", text: "hello there", tabId: 1 });
    assert.deepEqual([verdict.decision, verdict.source, verdict.message], ["block", "fail_block", "[fail_closed_message]"]);
  });

  test("when the agent is unavailable and the fail mode is allow then text goes", async () => {
    const { router: r } = router({ agent: failingAgent(ErrorCode.AGENT_UNAVAILABLE), failMode: "allow" });
    const verdict = await r.scan({ channel: "paste", host: "chatgpt.com", path: "/", text: `key ${AWS_KEY}`, tabId: 1 });
    assert.deepEqual([verdict.decision, verdict.source], ["allow", "fail_allow"]);
  });

  test("when the text is too large for the agent then it is blocked with that reason", async () => {
    const { router: r } = router({ agent: failingAgent(ErrorCode.TOO_LARGE) });
    const verdict = await r.scan({ channel: "paste", host: "chatgpt.com", path: "/", text: "x", tabId: 1 });
    assert.deepEqual([verdict.decision, verdict.message], ["block", "[too_large_message]"]);
  });

  test("when the site is not guarded by the policy then the text is allowed without asking", async () => {
    const agent = { worthAsking: () => true, scan: async () => assert.fail("the agent must not be asked") };
    const { router: r } = router({ agent });
    const verdict = await r.scan({ channel: "paste", host: "huggingface.co", path: "/models", text: AWS_KEY, tabId: 1 });
    assert.deepEqual([verdict.decision, verdict.source], ["allow", "unguarded"]);
  });

  test("when a user acts on a scan then only the same tab may report it, once", async () => {
    const eventId = "0b7f7d0e-3f3c-4c1e-9d55-6c1f5b9d7a10";
    const reported = [];
    const agent = {
      worthAsking: () => true,
      scan: async () => ({ ...result(), event_id: eventId }),
      userAction: async (...args) => (reported.push(args), true),
    };
    function result() {
      return { decision: "warn", findings: [{ type: "PASSWORD", start: 0, end: 3, action: "warn" }], replacements: [], message: "m", can_override: true, justification_required: true, policy_version: defaultPolicy.policy_version };
    }
    const { router: r } = router({ agent });
    const verdict = await r.scan({ channel: "paste", host: "chatgpt.com", path: "/", text: "abc def", tabId: 5 });
    await assert.rejects(r.userAction({ scanId: verdict.scanId, action: "overrode", tabId: 6 }), (e) => e.code === ErrorCode.BAD_REQUEST);
    assert.deepEqual(await r.userAction({ scanId: verdict.scanId, action: "overrode", justification: "needed", tabId: 5 }), { recorded: true });
    assert.deepEqual(reported, [[eventId, "overrode", "needed"]]);
    await assert.rejects(r.userAction({ scanId: verdict.scanId, action: "cancelled", tabId: 5 }), (e) => e.code === ErrorCode.BAD_REQUEST);
  });
});
