// The toolbar popup (also openable as a tab): protection state, policy and agent versions, sites that
// still need a host permission, and the last decisions on this device — types and counts, never text.
// It asks the service worker once, then follows the state it writes to storage.session.

const api = globalThis.browser ?? globalThis.chrome;
const t = (key, substitutions) => api.i18n.getMessage(key, substitutions) || key;
const $ = (name) => document.querySelector(`[data-pf="${name}"]`);
const STATE_KEY = "pf_state";
const HISTORY_KEY = "pf_history";

function localise() {
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const text = t(el.dataset.i18n);
    if (text !== el.dataset.i18n) el.textContent = text;
  }
}

function showState(state) {
  if (!state) return;
  document.getElementById("root").dataset.pfState = state.state;
  $("state-label").textContent = t(`state_${state.state}`);
  $("state-detail").textContent = t(`state_${state.state}_detail`);
  $("policy-version").textContent = state.policyVersion || "–";
  $("agent-version").textContent = state.agentVersion || "–";
  $("fail-mode").textContent = t(`fail_mode_${state.failMode}`);
  const missing = state.missingSites || [];
  $("missing-sites").hidden = missing.length === 0;
  $("missing-list").replaceChildren(...missing.map((host) => Object.assign(document.createElement("li"), { textContent: host })));
  $("grant").onclick = () => {
    // Must run in the click's user gesture: Chrome refuses the request otherwise.
    api.permissions.request({ origins: missing.map((host) => `https://${host}/*`) });
  };
}

function showHistory(history) {
  const list = $("decisions");
  $("no-decisions").hidden = history.length > 0;
  list.replaceChildren(
    ...history.map((entry) => {
      const li = document.createElement("li");
      li.dataset.decision = entry.decision;
      li.dataset.site = entry.site;
      const decision = Object.assign(document.createElement("span"), { className: "decision", textContent: t(`decision_${entry.decision}`) });
      const types = Object.entries(entry.types || {}).map(([type, count]) => `${type} ×${count}`).join(", ");
      const time = new Date(entry.at).toLocaleTimeString();
      li.append(decision, ` ${entry.site} · ${t(`channel_${entry.channel}`)} · ${time}${types ? ` · ${types}` : ""}`);
      li.dataset.types = Object.keys(entry.types || {}).join(" ");
      return li;
    }),
  );
}

async function main() {
  localise();
  api.storage.onChanged.addListener((changes) => {
    if (changes[STATE_KEY]) showState(changes[STATE_KEY].newValue);
    if (changes[HISTORY_KEY]) showHistory(changes[HISTORY_KEY].newValue || []);
  });
  const reply = await api.runtime.sendMessage({ type: "get_state" });
  if (reply && reply.ok) {
    showState(reply.state);
    showHistory(reply.history);
  }
}

main();
