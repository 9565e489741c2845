// Managed settings (storage.managed) read by allow-list and validated key by key; the run-time site
// list built from policy and settings; the managed schema documents every key.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { parseManagedSettings, SETTING_DEFAULTS } from "../background/managed-settings.js";
import { addedHosts, builtinHosts, matchPatternFor } from "../background/site-registry.js";
import { readExtension } from "./helpers/shared.js";

const MANIFEST = JSON.parse(readExtension("manifest.json"));
const SCHEMA = JSON.parse(readExtension("managed_schema.json"));

describe("managed settings", () => {
  test("when nothing is set then the defaults apply", () => {
    assert.deepEqual(parseManagedSettings(undefined), { ...SETTING_DEFAULTS, extra_sites: [] });
  });

  test("when values are valid then they are taken, hosts normalised", () => {
    const settings = parseManagedSettings({
      fail_mode: "block",
      extra_sites: ["Chat.Example.com", "https://ai.corp.example/path", "*.llm.example", "chat.example.com"],
      agent_host_name: "com.example.dlp_agent",
    });
    assert.deepEqual(settings, {
      fail_mode: "block",
      extra_sites: ["chat.example.com", "ai.corp.example", "*.llm.example"],
      agent_host_name: "com.example.dlp_agent",
    });
  });

  test("when a value is invalid then only that key falls back, and unknown keys are ignored", () => {
    const settings = parseManagedSettings({ fail_mode: "sometimes", extra_sites: "chat.example.com", agent_host_name: "../evil", surprise: 1 });
    assert.deepEqual(settings, { ...SETTING_DEFAULTS, extra_sites: [] });
    assert.deepEqual(parseManagedSettings({ extra_sites: ["ok.example", "not a host", 7] }).extra_sites, ["ok.example"]);
  });

  test("when the schema is read then every key has a title, a description and a default", () => {
    assert.equal(SCHEMA.type, "object");
    assert.deepEqual(Object.keys(SCHEMA.properties).sort(), Object.keys(SETTING_DEFAULTS).sort());
    for (const [key, property] of Object.entries(SCHEMA.properties)) {
      assert.ok(property.title && property.description && "default" in property && property.type, key);
    }
  });
});

describe("run-time sites", () => {
  const builtin = builtinHosts(MANIFEST);

  test("when the manifest is read then the built-in hosts are the AI sites", () => {
    for (const host of ["chatgpt.com", "chat.openai.com", "claude.ai", "gemini.google.com", "copilot.microsoft.com", "perplexity.ai", "chat.deepseek.com", "chat.mistral.ai", "poe.com", "grok.com", "huggingface.co", "meta.ai"]) {
      assert.ok(builtin.has(host), host);
    }
  });

  test("when the policy and IT add hosts then only the new ones need registration", () => {
    const view = { sites: { guarded: ["chatgpt.com", { host: "chat.example-ai.test", paths: ["/"] }], extra: ["*.corp-llm.example"] } };
    assert.deepEqual(addedHosts(view, ["claude.ai", "bot.example"], builtin), ["*.corp-llm.example", "bot.example", "chat.example-ai.test"]);
    assert.equal(matchPatternFor("*.corp-llm.example"), "https://*.corp-llm.example/*");
  });
});
