// Content scripts for tabs that were open before this version of the extension was installed.
//
// Chrome injects manifest content scripts only into pages loaded after the extension: at install, open
// AI tabs have none, and after an update or reload they have the previous version's, orphaned (its
// runtime is gone, every message fails). So on runtime.onInstalled the service worker injects the same
// files, both worlds, into the open tabs of guarded sites; the new instance then takes over from the
// orphan (content/lifecycle.js). Injecting twice into a page that already runs this version is harmless:
// the interceptor and the network guard each start once per world.

import { matchPatternFor } from "./site-registry.js";

/** Match patterns of the guarded pages: the manifest's content scripts and the hosts added at run time. */
export function guardedPatterns(manifest, grantedAddedHosts) {
  const patterns = new Set();
  for (const script of manifest.content_scripts ?? []) for (const pattern of script.matches ?? []) patterns.add(pattern);
  for (const host of grantedAddedHosts) patterns.add(matchPatternFor(host));
  return [...patterns];
}

/**
 * Inject the content scripts into every open tab matching `patterns` (top frame, as the manifest does).
 * files: {isolated: [...], main: [...]}. Resolves with counts; a tab that refuses (an error page, a tab
 * closed meanwhile) is counted, never thrown, and nothing about its content is logged.
 */
export async function reinjectOpenTabs(api, { patterns, files }) {
  if (!patterns.length || !files.isolated.length) return { injected: 0, failed: 0 };
  const tabs = await api.tabs.query({ url: patterns });
  let injected = 0;
  let failed = 0;
  for (const tab of tabs) {
    // A discarded tab reloads when shown, and then gets the manifest's scripts like any page.
    if (typeof tab.id !== "number" || tab.discarded) continue;
    try {
      // Both worlds, as the manifest's two entries; their handshake completes in either order.
      if (files.main.length) await api.scripting.executeScript({ target: { tabId: tab.id }, files: files.main, world: "MAIN" });
      await api.scripting.executeScript({ target: { tabId: tab.id }, files: files.isolated });
      injected++;
    } catch (error) {
      failed++;
    }
  }
  return { injected, failed };
}
