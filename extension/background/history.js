// The last decisions on this device, for the popup: when, which site, which channel, the decision, who
// decided (agent or fallback) and the finding types with counts. Never text, never a matched value.

const KEY = "pf_history";
export const HISTORY_LENGTH = 20;

/** The history entry for one verdict: counts per type only. */
export function historyEntry({ at, site, channel, decision, source, findings }) {
  const types = {};
  for (const finding of findings) types[finding.type] = (types[finding.type] ?? 0) + 1;
  return { at, site, channel, decision, source, types };
}

export class DecisionHistory {
  constructor(storageArea) {
    this.area = storageArea;
    this.queue = Promise.resolve(); // serialise read-modify-write cycles
  }

  add(entry) {
    this.queue = this.queue.then(async () => {
      const stored = (await this.area.get(KEY))[KEY];
      const list = Array.isArray(stored) ? stored : [];
      list.unshift(entry);
      await this.area.set({ [KEY]: list.slice(0, HISTORY_LENGTH) });
    }).catch((error) => console.warn(`promptfence: history not saved: ${error.message}`));
    return this.queue;
  }

  async list() {
    const stored = (await this.area.get(KEY))[KEY];
    return Array.isArray(stored) ? stored : [];
  }
}
