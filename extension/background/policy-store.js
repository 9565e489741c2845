// The policy as the extension knows it: the agent's "extension view" (policy_result), cached in
// storage.local so that a browser started while the agent is down still applies the organisation's
// sites, texts and fail modes; before any agent ever answered, the default policy shipped in generated/.

const KEY = "pf_policy";

export class PolicyStore {
  constructor({ area, loadDefault }) {
    this.area = area;
    this.loadDefault = loadDefault;
    this.view = null;
    this.version = null;
    this.source = null; // "agent" | "cache" | "default"
    this.listeners = new Set();
  }

  async load() {
    const cached = (await this.area.get(KEY))[KEY];
    if (cached && cached.view && typeof cached.view === "object") {
      this.set(cached.view, cached.version, "cache");
      return;
    }
    const document = await this.loadDefault();
    this.set(document, document.policy_version ?? "default", "default");
  }

  /** A policy fresh from the agent: apply and cache it. */
  async update({ view, version }) {
    this.set(view, version || view.policy_version || "", "agent");
    await this.area.set({ [KEY]: { view, version: this.version, fetched_at: Date.now() } });
  }

  set(view, version, source) {
    const changed = version !== this.version || JSON.stringify(view) !== JSON.stringify(this.view);
    this.view = view;
    this.version = version;
    this.source = source;
    if (changed) for (const listener of this.listeners) listener(view);
  }

  onChange(listener) {
    this.listeners.add(listener);
  }
}
