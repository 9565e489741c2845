// Reading shared-rules/ and loading the content scripts (classic scripts) into node for tests.

import { readFileSync } from "node:fs";
import vm from "node:vm";

const SHARED = new URL("../../../shared-rules/", import.meta.url);
const EXTENSION = new URL("../../", import.meta.url);

export function readShared(path) {
  return JSON.parse(readFileSync(new URL(path, SHARED), "utf8"));
}

export function readExtension(path) {
  return readFileSync(new URL(path, EXTENSION), "utf8");
}

/** The shared index, the rule packs it lists and the default policy, as the extension's build copies them. */
export function sharedRules() {
  const index = readShared("index.json");
  return {
    index,
    packs: index.rule_files.map((name) => readShared(name)),
    defaultPolicy: readShared(index.default_policy),
  };
}

/**
 * Run content scripts (classic scripts sharing globalThis.promptfence) in a fresh context with the
 * given globals; return the namespace they filled.
 */
export function loadContentScripts(files, globals = {}) {
  const context = vm.createContext({ ...globals });
  for (const file of files) vm.runInContext(readExtension(file), context, { filename: file });
  return context.promptfence;
}
