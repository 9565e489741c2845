// Protected, degraded or not protected: one state from the agent's health and the fail mode, shown by
// the toolbar badge and the popup (which reads it from storage.session and follows its changes).

export const State = Object.freeze({
  PROTECTED: "protected", // the agent answers
  DEGRADED: "degraded", // the agent does not; the built-in rules or fail-closed blocking apply
  UNPROTECTED: "unprotected", // the agent does not and the fail mode lets text through
});

const STATE_KEY = "pf_state";

export function computeState({ agentHealthy, failMode }) {
  if (agentHealthy) return State.PROTECTED;
  return failMode === "allow" ? State.UNPROTECTED : State.DEGRADED;
}

const BADGE = {
  [State.PROTECTED]: { text: "", color: "#2f855a" },
  [State.DEGRADED]: { text: "!", color: "#c05621" },
  [State.UNPROTECTED]: { text: "off", color: "#c53030" },
};

export class ProtectionIndicator {
  constructor(api) {
    this.api = api;
    this.last = null;
  }

  /** snapshot: {state, failMode, policyVersion, agentVersion, missingHosts, ...}; badge and popup follow. */
  async show(snapshot) {
    const key = JSON.stringify(snapshot);
    if (key === this.last) return;
    this.last = key;
    const badge = BADGE[snapshot.state];
    const action = this.api.action;
    try {
      await action.setBadgeText({ text: badge.text });
      await action.setBadgeBackgroundColor({ color: badge.color });
      await action.setTitle({ title: this.api.i18n.getMessage(`state_${snapshot.state}_title`) || "Promptfence" });
    } catch (error) {
      console.warn(`promptfence: badge not updated: ${error.message}`);
    }
    try {
      await (this.api.storage.session ?? this.api.storage.local).set({ [STATE_KEY]: snapshot });
    } catch (error) {
      console.warn(`promptfence: state not saved: ${error.message}`);
    }
  }
}

export { STATE_KEY };
