// The manifest against what the code and the design expect, and web-ext lint (Firefox's linter, which
// also catches MV3 mistakes Chrome would only report at load time).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { readExtension } from "./helpers/shared.js";

const MANIFEST = JSON.parse(readExtension("manifest.json"));
const EXTENSION_DIR = fileURLToPath(new URL("../", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const MESSAGES = JSON.parse(readExtension("_locales/en/messages.json"));

/** Chrome's extension ID: the first 128 bits of SHA-256 of the public key, hex digits mapped to a-p. */
function extensionIdOf(base64Key) {
  const digest = createHash("sha256").update(Buffer.from(base64Key, "base64")).digest("hex").slice(0, 32);
  return [...digest].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}

describe("manifest", () => {
  test("when the key is hashed then it gives the ID recorded in EXTENSION_ID", () => {
    assert.equal(extensionIdOf(MANIFEST.key), readExtension("EXTENSION_ID").trim());
  });

  test("when read by either browser then each finds its background form, as a module", () => {
    assert.equal(MANIFEST.manifest_version, 3);
    assert.equal(MANIFEST.background.service_worker, "background/service-worker.js");
    assert.deepEqual(MANIFEST.background.scripts, ["background/service-worker.js"]);
    assert.equal(MANIFEST.background.type, "module");
    assert.equal(MANIFEST.browser_specific_settings.gecko.id, "promptfence@promptfence.org");
  });

  test("when permissions are listed then they are the minimal set", () => {
    assert.deepEqual([...MANIFEST.permissions].sort(), ["nativeMessaging", "scripting", "storage"]);
    assert.deepEqual(MANIFEST.optional_host_permissions, ["https://*/*"]);
    assert.ok(MANIFEST.host_permissions.every((p) => p.startsWith("https://") && !p.startsWith("https://*")));
    assert.equal(MANIFEST.content_security_policy.extension_pages, "script-src 'self'; object-src 'none'");
  });

  test("when content scripts are declared then both worlds run at document_start on the same sites", () => {
    const [isolated, main] = MANIFEST.content_scripts;
    assert.equal(isolated.world, undefined);
    assert.equal(main.world, "MAIN");
    assert.deepEqual(isolated.matches, main.matches);
    for (const script of MANIFEST.content_scripts) {
      assert.equal(script.run_at, "document_start");
      for (const file of script.js) assert.ok(existsSync(new URL(`../${file}`, import.meta.url)), file);
    }
    assert.equal(isolated.js.at(-1), "content/interceptor.js", "the interceptor needs the others loaded first");
    // Every content-script host has a host permission.
    const hostOf = (pattern) => new URL(pattern.replace("*", "x")).host;
    const permitted = new Set(MANIFEST.host_permissions.map(hostOf));
    for (const pattern of isolated.matches) assert.ok(permitted.has(hostOf(pattern)), pattern);
  });

  test("when the code asks for a string then _locales has it", () => {
    const files = ["content/notice.js", "content/interceptor.js", "background/service-worker.js", "background/decisions.js", "popup/popup.js"];
    const literalKeys = new Set();
    for (const file of files) {
      for (const match of readExtension(file).matchAll(/\b(?:t|words|getMessage)\("([a-z][a-z0-9_]+)"/g)) literalKeys.add(match[1]);
    }
    for (const match of readExtension("popup/popup.html").matchAll(/data-i18n="([a-z_A-Z]+)"/g)) literalKeys.add(match[1]);
    for (const match of JSON.stringify(MANIFEST).matchAll(/__MSG_([A-Za-z_]+)__/g)) literalKeys.add(match[1]);
    for (const state of ["protected", "degraded", "unprotected"]) {
      for (const suffix of ["", "_detail", "_title"]) literalKeys.add(`state_${state}${suffix}`);
    }
    for (const decision of ["warn", "block", "redact"]) literalKeys.add(`notice_title_${decision}`).add(`default_${decision}_message`);
    for (const key of literalKeys) assert.ok(MESSAGES[key], `missing message ${key}`);
    const errors = JSON.parse(readFileSync(new URL("../../shared-rules/protocol/error-codes.json", import.meta.url), "utf8"));
    for (const code of Object.keys(errors.codes)) assert.ok(MESSAGES[`error_${code}`], `missing words for ${code}`);
  });
});

test("when web-ext lints the extension then there are no errors", { timeout: 180_000 }, async () => {
  const bin = `${REPO}node_modules/.bin/web-ext`;
  const { stdout } = await promisify(execFile)(bin, ["lint", "--source-dir", EXTENSION_DIR, "--output", "json", "--no-config-discovery"], {
    cwd: REPO,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error) => error); // web-ext exits non-zero on errors; the JSON says which
  const report = JSON.parse(stdout);
  assert.deepEqual(report.errors.map((e) => `${e.code}: ${e.message} (${e.file})`), []);
  // The one warning Firefox gives by design: it ignores background.service_worker and uses scripts.
  assert.deepEqual(report.warnings.map((w) => w.code), ["BACKGROUND_SERVICE_WORKER_IGNORED"]);
});
