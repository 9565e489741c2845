// Uncleared text: what the user typed into the composer that no scan has let through yet, and the
// network requests held because they carry some of it.
//
// ChatGPT sends the composer's text before submit (its "prepare" and autocompletion calls). The
// MAIN-world guard asks, for each request body, whether it contains uncleared text; if so the request
// is held until that text is cleared (released) or refused (cancelled). Texts are compared with all
// whitespace removed, so the composer's innerText, its textContent and a JSON-escaped copy in a body
// compare equal. Pure logic: no DOM, so node tests drive it (extension/tests/uncleared.test.js).

(function (root) {
  "use strict";
  const ns = (root.promptfence = root.promptfence || {});

  const MIN_CHARS = 8; // shorter texts ("hi", "ok") occur in any body and are no leak on their own
  const MAX_VERSIONS = 40; // composer versions kept while typing
  const MAX_CLEARED = 100;
  const MAX_BODY_CHARS = 4 * 1024 * 1024; // bodies beyond this are not inspected

  function normalise(text) {
    return String(text).replace(/\s+/g, "");
  }

  function collectStrings(value, out, depth) {
    if (depth > 32) return;
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) for (const item of value) collectStrings(item, out, depth + 1);
    else if (value && typeof value === "object") for (const key of Object.keys(value)) collectStrings(value[key], out, depth + 1);
  }

  /** The forms of a body to search: as sent, its JSON strings unescaped, its form fields decoded. */
  function bodyForms(body) {
    const forms = [normalise(body)];
    const start = body.trimStart()[0];
    if (start === "{" || start === "[" || start === '"') {
      try {
        const strings = [];
        collectStrings(JSON.parse(body), strings, 0);
        forms.push(normalise(strings.join("")));
      } catch (error) {
        // not JSON after all
      }
    }
    if (body.includes("=") && body.includes("%")) {
      try {
        forms.push(normalise(decodeURIComponent(body.replace(/\+/g, " "))));
      } catch (error) {
        // not form-encoded
      }
    }
    return forms;
  }

  class UnclearedTexts {
    constructor() {
      this.versions = new Map(); // key -> "pending" | "flagged"
      this.cleared = new Set(); // keys let through
      this.rejected = new Set(); // keys refused (blocked, cancelled, edited away after a flag)
      this.holds = new Map(); // hold id -> array of keys
    }

    /** True when some uncleared text exists, so the guard must look at bodies. */
    get armed() {
      return this.versions.size > 0;
    }

    isCleared(text) {
      const key = normalise(text);
      return key.length < MIN_CHARS || this.cleared.has(key);
    }

    /** The composer now holds `text`. A flagged version it no longer contains was edited away. */
    observe(text) {
      const key = normalise(text);
      for (const [version, state] of this.versions) {
        if (state === "flagged" && !key.includes(version)) this.refuseKey(version);
      }
      if (key.length < MIN_CHARS || this.cleared.has(key) || this.versions.has(key)) return;
      this.versions.set(key, "pending");
      while (this.versions.size > MAX_VERSIONS) {
        const oldest = this.versions.keys().next().value;
        this.versions.delete(oldest);
      }
    }

    /** The uncleared versions a request body carries (empty: let it go). */
    matchBody(body) {
      if (!this.armed || typeof body !== "string" || body.length > MAX_BODY_CHARS) return [];
      const forms = bodyForms(body);
      const found = [];
      for (const key of this.versions.keys()) {
        if (forms.some((form) => form.includes(key))) found.push(key);
      }
      return found;
    }

    hold(id, keys) {
      this.holds.set(id, keys);
    }

    /** A scan let `text` through: it and every version inside it are cleared. */
    clear(text) {
      const key = normalise(text);
      if (key.length < MIN_CHARS) return;
      this.remember(this.cleared, key);
      this.rejected.delete(key);
      for (const version of [...this.versions.keys()]) {
        if (key.includes(version)) {
          this.versions.delete(version);
          this.remember(this.cleared, version);
        }
      }
    }

    clearKeys(keys) {
      for (const key of keys) this.clear(key);
    }

    /** A scan found something in these versions: requests carrying them wait for the user's choice. */
    flag(keys) {
      for (const key of keys) if (this.versions.has(key)) this.versions.set(key, "flagged");
    }

    /** The user or the policy refused `text`: flagged versions inside it are refused too. */
    refuse(text) {
      const key = normalise(text);
      this.refuseKey(key);
      for (const [version, state] of [...this.versions]) {
        if (state === "flagged" && key.includes(version)) this.refuseKey(version);
      }
    }

    refuseKey(key) {
      this.versions.delete(key);
      this.remember(this.rejected, key);
    }

    remember(set, key) {
      set.delete(key);
      set.add(key);
      if (set.size > MAX_CLEARED) set.delete(set.values().next().value);
    }

    /** Which holds can now go (all their texts cleared) and which must be dropped (one refused). */
    settle() {
      const release = [];
      const cancel = [];
      for (const [id, keys] of this.holds) {
        if (keys.some((key) => this.rejected.has(key))) cancel.push(id);
        else if (keys.every((key) => this.cleared.has(key))) release.push(id);
        else continue;
        this.holds.delete(id);
      }
      return { release, cancel };
    }
  }

  ns.UnclearedTexts = UnclearedTexts;
  ns.normaliseForGuard = normalise;
  ns.GUARD_MIN_CHARS = MIN_CHARS;
})(globalThis);
