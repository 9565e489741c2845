// Copies the shared rule data the extension needs at run time into extension/generated/.
//
// An installed extension can only read files inside its own folder, so the shared rules pack
// (../shared-rules) is copied in: index.json, the rule files it lists, the default policy and the
// error-code list, at the same relative paths. Idempotent: a file is rewritten only when its content
// changed. `make setup` and the end-to-end fixture run it; extension/generated/ is not committed.
//
//   node extension/build.mjs [--check]     --check: exit 1 if generated/ is stale, change nothing

import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const extensionDir = dirname(fileURLToPath(import.meta.url));
const sharedDir = resolve(extensionDir, "..", "shared-rules");
const generatedDir = join(extensionDir, "generated");

/** The shared files the extension reads, relative to shared-rules/, driven by index.json. */
export function filesToCopy(index) {
  return ["index.json", ...index.rule_files, index.default_policy, index.error_codes];
}

function parseJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${relative(process.cwd(), path)}: ${error.message}`);
  }
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)));
}

export function build({ check = false } = {}) {
  const index = parseJson(join(sharedDir, "index.json"));
  const wanted = filesToCopy(index);
  const stale = [];
  for (const name of wanted) {
    const source = join(sharedDir, name);
    parseJson(source); // refuse to ship a file that is not JSON
    const content = readFileSync(source);
    const target = join(generatedDir, name);
    if (existsSync(target) && readFileSync(target).equals(content)) continue;
    stale.push(name);
    if (!check) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
  // Files no longer listed (a rule file renamed) would otherwise linger and be loaded by nobody.
  for (const name of listFiles(generatedDir)) {
    if (wanted.includes(name)) continue;
    stale.push(name);
    if (!check) rmSync(join(generatedDir, name));
  }
  return stale;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const stale = build({ check });
  if (check && stale.length) {
    console.error(`extension/generated is stale: ${stale.join(", ")} (run node extension/build.mjs)`);
    process.exit(1);
  }
  if (!check) console.log(stale.length ? `extension/generated: updated ${stale.join(", ")}` : "extension/generated: up to date");
}
