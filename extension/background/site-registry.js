// Which hosts are guarded, and content scripts for the ones added at run time.
//
// The built-in AI sites are in the manifest (content_scripts + host_permissions). Hosts added later come
// from the policy (sites.guarded and sites.extra) and from IT's managed extra_sites. For those the same
// two content scripts are registered with scripting.registerContentScripts, for every host the
// extension holds a host permission for. Where that permission comes from:
//   - optional_host_permissions (https://*/*): granted by the user from the popup (Chrome and Edge
//     only grant it during a user gesture), or by default on Firefox, where MV3 host permissions are
//     user-controlled anyway;
//   - an administrator: Chrome's ExtensionSettings policy (runtime_allowed_hosts does not grant, but a
//     force-installed extension can be repackaged with the hosts in host_permissions), or the
//     end-to-end tests, which load a copy of extension/ with the test host added to host_permissions.
// Hosts without a permission are listed in the popup with a "Grant access" button.

import { guardedEntries } from "../common/policy.js";

const SCRIPT_IDS = { isolated: "pf-extra-isolated", main: "pf-extra-main" };

/** A match pattern for a host or wildcard host (ports are not part of match patterns). */
export function matchPatternFor(host) {
  return `https://${host}/*`;
}

/** The hosts of the manifest's content scripts: `https://chatgpt.com/*` -> `chatgpt.com`. */
export function builtinHosts(manifest) {
  const hosts = new Set();
  for (const script of manifest.content_scripts ?? []) {
    for (const pattern of script.matches ?? []) {
      const match = /^https:\/\/([^/]+)\//.exec(pattern);
      if (match) hosts.add(match[1]);
    }
  }
  return hosts;
}

/** Hosts to guard beyond the manifest's: the policy's guarded and extra sites, IT's extra_sites. */
export function addedHosts(view, managedExtraSites, builtin) {
  const hosts = new Set();
  for (const entry of guardedEntries(view)) if (!builtin.has(entry.host)) hosts.add(entry.host);
  for (const host of managedExtraSites) if (!builtin.has(host)) hosts.add(host);
  return [...hosts].sort();
}

export class SiteRegistry {
  constructor(api) {
    this.api = api;
    this.manifest = api.runtime.getManifest();
    this.builtin = builtinHosts(this.manifest);
    this.added = [];
    this.missing = []; // added hosts without a host permission
    this.syncing = Promise.resolve();
  }

  /** The content script files, taken from the manifest so that both lists cannot drift apart. */
  scriptFiles() {
    const scripts = this.manifest.content_scripts ?? [];
    return {
      isolated: scripts.find((s) => s.world !== "MAIN")?.js ?? [],
      main: scripts.find((s) => s.world === "MAIN")?.js ?? [],
    };
  }

  /** Is this origin one the content scripts may run in (built-in or added)? */
  coversOrigin(origin) {
    let url;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== "https:") return false;
    const host = url.hostname;
    const fits = (pattern) => (pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern);
    return [...this.builtin].some(fits) || this.added.some(fits);
  }

  /** Re-register the run-time content scripts for the current policy and settings (serialised). */
  sync(view, managedExtraSites) {
    this.syncing = this.syncing.then(() => this.doSync(view, managedExtraSites)).catch((error) => {
      console.warn(`promptfence: content scripts for added sites not registered: ${error.message}`);
    });
    return this.syncing;
  }

  async doSync(view, managedExtraSites) {
    const added = addedHosts(view, managedExtraSites, this.builtin);
    const granted = [];
    const missing = [];
    for (const host of added) {
      const origins = [matchPatternFor(host)];
      (await this.api.permissions.contains({ origins }) ? granted : missing).push(host);
    }
    this.added = added;
    this.missing = missing;
    const scripting = this.api.scripting;
    const existing = await scripting.getRegisteredContentScripts({ ids: Object.values(SCRIPT_IDS) });
    const matches = granted.map(matchPatternFor);
    const current = existing[0]?.matches ?? [];
    if (JSON.stringify([...current].sort()) === JSON.stringify([...matches].sort()) && existing.length === 2) return;
    if (existing.length) await scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
    if (!matches.length) return;
    const files = this.scriptFiles();
    await scripting.registerContentScripts([
      { id: SCRIPT_IDS.isolated, matches, js: files.isolated, runAt: "document_start", allFrames: false, persistAcrossSessions: true },
      { id: SCRIPT_IDS.main, matches, js: files.main, runAt: "document_start", allFrames: false, world: "MAIN", persistAcrossSessions: true },
    ]);
  }
}
