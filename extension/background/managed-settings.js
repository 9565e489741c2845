// IT's settings for this browser, from storage.managed (managed_schema.json).
//
// Only known keys are read, each validated on its own: a bad value is ignored with a warning and its
// default applies, so one typo in a policy file cannot disable the extension. Missing storage areas
// (Firefox without enterprise policies throws; Safari has none) mean "all defaults".

export const SETTING_DEFAULTS = Object.freeze({
  fail_mode: null, // null: the policy's fail mode applies (see common/policy.js effectiveFailMode)
  extra_sites: [],
  agent_host_name: "org.promptfence.agent",
});

const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// Chrome's rule for native-messaging host names.
const NATIVE_HOST_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
const MAX_EXTRA_SITES = 200;

/** A host or wildcard host in canonical form, or null. Accepts `chat.example.com` or a URL. */
export function normaliseSitePattern(value) {
  if (typeof value !== "string") return null;
  let host = value.trim().toLowerCase();
  if (host.includes("://")) host = host.split("://")[1];
  host = host.split("/")[0].split(":")[0].replace(/\.$/, "");
  return HOST_PATTERN.test(host) ? host : null;
}

const VALIDATORS = {
  fail_mode: (value) => (["block", "allow", "builtin"].includes(value) ? value : undefined),
  extra_sites: (value) => {
    if (!Array.isArray(value)) return undefined;
    const hosts = value.map(normaliseSitePattern).filter(Boolean);
    return [...new Set(hosts)].slice(0, MAX_EXTRA_SITES);
  },
  agent_host_name: (value) => (typeof value === "string" && NATIVE_HOST_NAME.test(value) ? value : undefined),
};

/** Allow-listed, validated settings from a raw storage.managed object. */
export function parseManagedSettings(raw) {
  const settings = { ...SETTING_DEFAULTS, extra_sites: [] };
  if (!raw || typeof raw !== "object") return settings;
  for (const [key, validate] of Object.entries(VALIDATORS)) {
    if (!(key in raw)) continue;
    const value = validate(raw[key]);
    if (value === undefined) console.warn(`promptfence: managed setting ${key} ignored: invalid value`);
    else settings[key] = value;
  }
  return settings;
}

export async function readManagedSettings(api) {
  try {
    const raw = await api.storage?.managed?.get(Object.keys(VALIDATORS));
    return parseManagedSettings(raw);
  } catch {
    return parseManagedSettings(null);
  }
}
