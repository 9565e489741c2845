// The service worker (Chrome, Edge) or background script (Firefox): wiring only.
//
// Every listener is registered synchronously at the top level, so an event that wakes the worker is
// never missed; whatever needs state waits on the one start-up promise `ready`. Concepts live in their
// own modules: native-port (the connection), agent-client (the requests), decisions (verdicts),
// fallback (built-in rules), policy-store, managed-settings, site-registry, protection-state, history,
// dispatch (the message table).

import { uploadRules } from "../common/policy.js";
import { browserKind } from "../common/webext.js";
import { AgentClient } from "./agent-client.js";
import { DecisionRouter } from "./decisions.js";
import { createDispatcher, Tier } from "./dispatch.js";
import { BuiltinRules } from "./fallback.js";
import { DecisionHistory } from "./history.js";
import { parseManagedSettings, readManagedSettings, SETTING_DEFAULTS } from "./managed-settings.js";
import { NativePort, PortState } from "./native-port.js";
import { PolicyStore } from "./policy-store.js";
import { computeState, ProtectionIndicator } from "./protection-state.js";
import { guardedPatterns, reinjectOpenTabs } from "./reinjection.js";
import { SiteRegistry } from "./site-registry.js";

const api = globalThis.browser ?? globalThis.chrome;
const manifest = api.runtime.getManifest();
const extensionOrigin = api.runtime.getURL("").replace(/\/$/, "");

const CHANNELS = new Set(["paste", "drop", "submit", "upload", "network"]);
const USER_ACTIONS = new Set(["cancelled", "accepted_redaction", "overrode"]);
const MAX_TEXT_CHARS = 8_000_000; // far above the policy's limit; beyond it the message is refused
const SETTINGS_CACHE_KEY = "pf_managed_settings";

async function loadGenerated(name) {
  const response = await fetch(api.runtime.getURL(`generated/${name}`));
  if (!response.ok) throw new Error(`generated/${name}: ${response.status}`);
  return response.json();
}

function words(key, substitutions) {
  return api.i18n.getMessage(key, substitutions) || key;
}

// ------------------------------------------------------------------------------------------- services

let settings = { ...SETTING_DEFAULTS, extra_sites: [] };
const policyStore = new PolicyStore({ area: api.storage.local, loadDefault: () => loadGenerated("policy/default.json") });
const history = new DecisionHistory(api.storage.local);
const indicator = new ProtectionIndicator(api);
const sites = new SiteRegistry(api);
const builtin = new BuiltinRules(loadGenerated);

const nativePort = new NativePort({
  connect: () => api.runtime.connectNative(settings.agent_host_name),
  hello: () => agent.helloPayload(),
  onStateChange: (state) => {
    agent.portChanged(state);
    if (state === PortState.OPEN) refreshPolicy();
    refreshState();
  },
});
const agent = new AgentClient({
  nativePort,
  extensionVersion: manifest.version,
  onHealthChange: (healthy) => {
    // The daemon may have come back with another policy behind a port that never closed.
    if (healthy && nativePort.state === PortState.OPEN) refreshPolicy();
    refreshState();
  },
});
const router = new DecisionRouter({
  agent,
  builtin,
  policyStore,
  settings: () => settings,
  history,
  words,
  onPolicyVersion: () => refreshPolicy(),
});

let policyRefresh = null;
function refreshPolicy() {
  policyRefresh ??= agent
    .policy()
    .then((policy) => policyStore.update(policy))
    .catch((error) => console.warn(`promptfence: policy not fetched: ${error.code ?? error.message}`))
    .finally(() => {
      policyRefresh = null;
    });
  return policyRefresh;
}

function snapshot() {
  const failMode = router.failMode("");
  return {
    state: computeState({ agentHealthy: agent.healthy && nativePort.state === PortState.OPEN, failMode }),
    failMode,
    port: nativePort.state,
    browser: browserKind(api),
    agentVersion: nativePort.helloReply?.agent_version ?? null,
    policyVersion: policyStore.version,
    policySource: policyStore.source,
    addedSites: sites.added,
    missingSites: sites.missing,
  };
}

function refreshState() {
  return indicator.show(snapshot());
}

policyStore.onChange(() => {
  sites.sync(policyStore.view, settings.extra_sites).then(refreshState);
});

async function applySettings(next) {
  await api.storage.local.set({ [SETTINGS_CACHE_KEY]: next });
  const hostChanged = next.agent_host_name !== settings.agent_host_name;
  settings = next;
  if (hostChanged && nativePort.state !== PortState.CLOSED) {
    nativePort.stop();
    nativePort.start();
  }
  await sites.sync(policyStore.view, settings.extra_sites);
  await refreshState();
}

// ------------------------------------------------------------------------------------------ start-up

async function start() {
  // Chrome answers the first storage.managed read only once its policy service has loaded, seconds
  // after start-up. Start from the last settings seen (cached in storage.local) and apply the managed
  // ones when they arrive, rather than holding every paste until then.
  settings = parseManagedSettings((await api.storage.local.get(SETTINGS_CACHE_KEY))[SETTINGS_CACHE_KEY]);
  readManagedSettings(api).then(applySettings);
  try {
    await policyStore.load();
  } catch (error) {
    console.warn(`promptfence: no policy loaded: ${error.message}`);
  }
  nativePort.start();
  await sites.sync(policyStore.view, settings.extra_sites);
  await refreshState();
}

const ready = start();

// ------------------------------------------------------------------------------------------ messages

function checkText(message) {
  if (!CHANNELS.has(message.channel)) return "channel";
  if (typeof message.text !== "string" || message.text.length > MAX_TEXT_CHARS) return "text";
  if (message.path !== undefined && typeof message.path !== "string") return "path";
  return null;
}

const handlers = {
  scan: {
    tier: Tier.CONTENT,
    check: checkText,
    handle: async (message, sender) => ({
      verdict: await router.scan({
        channel: message.channel,
        host: new URL(sender.origin).host,
        path: message.path ?? null,
        text: message.text,
        tabId: sender.tab.id,
      }),
    }),
  },
  user_action: {
    tier: Tier.CONTENT,
    check: (message) => {
      if (typeof message.scanId !== "string") return "scanId";
      if (!USER_ACTIONS.has(message.action)) return "action";
      if (message.justification !== undefined && typeof message.justification !== "string") return "justification";
      return null;
    },
    handle: (message, sender) =>
      router.userAction({ scanId: message.scanId, action: message.action, justification: message.justification, tabId: sender.tab.id }),
  },
  file_policy: {
    tier: Tier.CONTENT,
    // Which files are read as text and scanned, and what happens to the rest (images, archives, PDFs,
    // text files over the size cap): the policy's uploads section.
    handle: async () => uploadRules(policyStore.view),
  },
  get_state: {
    tier: Tier.EXTENSION,
    handle: async () => {
      nativePort.reconnectNow();
      return { state: snapshot(), history: await history.list() };
    },
  },
};

api.runtime.onMessage.addListener(
  createDispatcher(handlers, { extensionId: api.runtime.id, extensionOrigin, isGuardedOrigin: (origin) => sites.coversOrigin(origin) }, ready),
);

// Waking the worker at browser start opens the native port before the first paste.
api.runtime.onStartup.addListener(() => {});
api.runtime.onInstalled.addListener((details) => {
  if (details.reason === "install" || details.reason === "update") {
    // Open AI tabs have no content script of this version (none at all after an install, an orphaned
    // one after an update or reload): give them one, after start-up registered the added hosts.
    ready
      .then(() => {
        const granted = sites.added.filter((host) => !sites.missing.includes(host));
        return reinjectOpenTabs(api, { patterns: guardedPatterns(manifest, granted), files: sites.scriptFiles() });
      })
      .then(({ failed }) => {
        if (failed) console.warn(`promptfence: content scripts not injected into ${failed} open tab(s)`);
      })
      .catch((error) => console.warn(`promptfence: open tabs not re-injected: ${error.message}`));
  }
  // Managed storage may be filled a moment after install: read it again once.
  setTimeout(() => ready.then(() => readManagedSettings(api)).then(applySettings), 2000);
});

api.storage.onChanged.addListener((changes, areaName) => {
  if (areaName === "managed") ready.then(() => readManagedSettings(api)).then(applySettings);
});

api.permissions.onAdded.addListener(() => ready.then(() => sites.sync(policyStore.view, settings.extra_sites)).then(refreshState));
api.permissions.onRemoved.addListener(() => ready.then(() => sites.sync(policyStore.view, settings.extra_sites)).then(refreshState));
