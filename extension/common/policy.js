// The policy as the extension applies it: which hosts are guarded, the fail mode per site, and — for the
// built-in fallback only — what findings lead to (the agent decides everything when it is reachable).
//
// Input is the policy's "extension view" (agent/policy.py Policy.extension_view: sites, fail_mode,
// messages, user_override, redaction, uploads, detectors, allowlists, keywords, actions, default_action,
// site_overrides),
// or the default policy document, which has the same fields. The steps mirror agent/policy.py
// (SitePolicy.decide: ordered `actions`, first matching entry wins, the strongest action decides).

export const ACTIONS = ["allow", "redact", "warn", "block"]; // weakest to strongest
export const FAIL_MODES = ["block", "allow", "builtin"];
const SEVERITIES = ["low", "medium", "high", "critical"];

// ------------------------------------------------------------------------------------------------ hosts

/** `chatgpt.com` matches only itself; `*.openai.com` every subdomain, not openai.com itself. */
export function hostMatches(pattern, host) {
  const p = String(pattern).toLowerCase();
  if (p.startsWith("*.")) {
    const suffix = p.slice(1);
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return host === p;
}

function patternSpecificity(pattern) {
  return [pattern.startsWith("*.") ? 0 : 1, pattern.split(".").length - 1];
}

function compareSpecificity(a, b) {
  const [a0, a1] = patternSpecificity(a);
  const [b0, b1] = patternSpecificity(b);
  return a0 - b0 || a1 - b1;
}

/** The policy's guarded-site entries as {host, paths}. */
export function guardedEntries(view) {
  const sites = view?.sites ?? {};
  return [...(sites.guarded ?? []), ...(sites.extra ?? [])].map((raw) =>
    typeof raw === "string" ? { host: raw.toLowerCase(), paths: [] } : { host: String(raw.host).toLowerCase(), paths: raw.paths ?? [] },
  );
}

export function isGuarded(view, host, path = null) {
  return guardedEntries(view).some((entry) => {
    if (!hostMatches(entry.host, host)) return false;
    if (!entry.paths.length || path === null) return true;
    return entry.paths.some((prefix) => path === prefix || path.startsWith(prefix.replace(/\/+$/, "") + "/"));
  });
}

/** Site overrides that apply to a host, most specific first. */
function overridesFor(view, host) {
  return Object.entries(view?.site_overrides ?? {})
    .filter(([pattern]) => hostMatches(pattern, host))
    .sort(([a], [b]) => compareSpecificity(b, a));
}

/** The policy's fail mode set for this host in particular (site_overrides, then fail_mode.sites), or null. */
export function siteFailMode(view, host) {
  if (view?.site?.host === host && FAIL_MODES.includes(view.site.fail_mode)) return view.site.fail_mode;
  for (const [, override] of overridesFor(view, host)) {
    if (FAIL_MODES.includes(override.fail_mode)) return override.fail_mode;
  }
  const sites = view?.fail_mode?.sites ?? {};
  const fitting = Object.keys(sites).filter((pattern) => hostMatches(pattern, host) && FAIL_MODES.includes(sites[pattern]));
  if (!fitting.length) return null;
  fitting.sort(compareSpecificity);
  return sites[fitting[fitting.length - 1]];
}

/** The policy's fail mode for every other host, or null. */
export function defaultFailMode(view) {
  const mode = view?.fail_mode?.default;
  return FAIL_MODES.includes(mode) ? mode : null;
}

/**
 * The fail mode that applies to a host: the policy's setting for that site wins, then the managed
 * setting (IT's choice for this browser, e.g. before any policy arrived), then the policy's default,
 * then builtin.
 */
export function effectiveFailMode(view, host, managedFailMode = null) {
  return siteFailMode(view, host) ?? (FAIL_MODES.includes(managedFailMode) ? managedFailMode : null) ?? defaultFailMode(view) ?? "builtin";
}

// -------------------------------------------------------------------------------------------- uploads

// The policy schema's defaults (shared-rules/policy/default.json), for a view from an agent that predates
// the uploads section; extension/tests/fallback.test.js holds the two lists together.
export const UPLOAD_DEFAULTS = Object.freeze({
  nonText: "allow",
  maxTextBytes: 5 * 1024 * 1024,
  textExtensions: Object.freeze([
    "txt", "md", "markdown", "csv", "tsv", "json", "jsonl", "ndjson", "xml", "yaml", "yml", "toml", "ini",
    "cfg", "conf", "env", "properties", "log", "sql", "py", "js", "mjs", "cjs", "ts", "tsx", "jsx",
    "java", "kt", "go", "rs", "rb", "php", "c", "h", "cc", "cpp", "hpp", "cs", "swift", "sh", "bash",
    "zsh", "ps1", "bat", "html", "htm", "css", "scss", "tex", "rst", "pem", "key", "crt", "ipynb", "tf",
    "gradle",
  ]),
});
const MAX_TEXT_BYTES = 8_000_000; // the schema's maximum: the service worker refuses longer texts
const EXTENSION_NAME = /^[a-z0-9][a-z0-9_+-]{0,15}$/;

/**
 * What the content script does with attached files, from the view's `uploads` (policy schema): each
 * key read on its own, a missing or malformed one taking its default.
 */
export function uploadRules(view) {
  const uploads = view?.uploads ?? {};
  const bytes = uploads.max_text_bytes;
  const extensions = uploads.text_extensions;
  return {
    nonText: uploads.non_text === "block" ? "block" : uploads.non_text === "allow" ? "allow" : UPLOAD_DEFAULTS.nonText,
    maxTextBytes: Number.isInteger(bytes) && bytes >= 1 && bytes <= MAX_TEXT_BYTES ? bytes : UPLOAD_DEFAULTS.maxTextBytes,
    textExtensions:
      Array.isArray(extensions) && extensions.every((name) => typeof name === "string" && EXTENSION_NAME.test(name))
        ? [...extensions]
        : [...UPLOAD_DEFAULTS.textExtensions],
  };
}

// ------------------------------------------------------------------------------------------- findings

/** The policy's detector settings and allowlists applied to rule-layer findings. */
export function filterFindings(findings, text, view) {
  const detectors = view?.detectors ?? {};
  const disabledRules = new Set(detectors.disabled_rules ?? []);
  const disabledTypes = new Set(detectors.disabled_types ?? []);
  const minScore = typeof detectors.min_score === "number" ? detectors.min_score : 0;
  const allowlists = view?.allowlists ?? {};
  const allowedValues = new Set((allowlists.values ?? []).map((value) => value.trim()));
  const emailDomains = (allowlists.email_domains ?? []).map((domain) => domain.toLowerCase());
  return findings.filter((finding) => {
    if (disabledRules.has(finding.rule) || disabledTypes.has(finding.type)) return false;
    if (finding.score < minScore) return false;
    const value = text.slice(finding.start, finding.end);
    if (allowedValues.has(value.trim())) return false;
    if (finding.type === "EMAIL_ADDRESS") {
      const domain = value.slice(value.lastIndexOf("@") + 1).toLowerCase();
      if (emailDomains.some((allowed) => domain === allowed || domain.endsWith("." + allowed))) return false;
    }
    return true;
  });
}

function asSet(value) {
  if (value === undefined || value === null) return null;
  return new Set(Array.isArray(value) ? value : [value]);
}

function compileEntry(raw) {
  const match = raw.match ?? {};
  return {
    action: raw.action,
    types: asSet(match.type),
    categories: asSet(match.category),
    rules: asSet(match.rule),
    channels: asSet(match.channel),
    minSeverity: match.min_severity ? SEVERITIES.indexOf(match.min_severity) : null,
    minScore: match.min_score ?? null,
    minCount: match.min_count ?? null,
  };
}

function fits(entry, finding, channel) {
  return (
    (!entry.types || entry.types.has(finding.type)) &&
    (!entry.categories || entry.categories.has(finding.category)) &&
    (!entry.rules || entry.rules.has(finding.rule)) &&
    (!entry.channels || entry.channels.has(channel)) &&
    (entry.minSeverity === null || SEVERITIES.indexOf(finding.severity) >= entry.minSeverity) &&
    (entry.minScore === null || finding.score >= entry.minScore)
  );
}

/** Each finding's action: the first fitting entry of the ordered `actions` list, else default_action. */
export function findingActions(findings, view, host, channel) {
  const raw = view?.site?.host === host ? view.actions ?? [] : [...overridesFor(view, host).flatMap(([, o]) => o.actions ?? []), ...(view?.actions ?? [])];
  const entries = raw.map(compileEntry);
  const counts = entries.map((entry) => (entry.minCount === null ? 0 : findings.filter((f) => fits(entry, f, channel)).length));
  const fallback = ACTIONS.includes(view?.default_action) ? view.default_action : "warn";
  return findings.map((finding) => {
    const index = entries.findIndex(
      (entry, i) => fits(entry, finding, channel) && (entry.minCount === null || counts[i] >= entry.minCount),
    );
    const action = index === -1 ? fallback : entries[index].action;
    // As agent/policy.py: a code block has no value a placeholder could stand for, so redact asks instead.
    return action === "redact" && finding.category === "code" ? "warn" : action;
  });
}

export function strongest(actions) {
  return actions.reduce((best, action) => (ACTIONS.indexOf(action) > ACTIONS.indexOf(best) ? action : best), "allow");
}

/** `AWS_ACCESS_KEY_ID` -> `aws access key id`, as agent/policy.py describe_types. */
export function describeTypes(types) {
  return [...new Set([...types].map((type) => type.replaceAll("_", " ").toLowerCase()))].sort().join(", ");
}

/** The decision for one text's findings, shaped like the agent's scan_result fields. */
export function decide(findings, view, host, channel) {
  const actions = findingActions(findings, view, host, channel);
  const decision = strongest(actions);
  let message = "";
  if (decision !== "allow") {
    const template = view?.messages?.[decision] ?? "";
    message = template.replace("{types}", describeTypes(findings.filter((_, i) => actions[i] === decision).map((f) => f.type)));
  }
  const userOverride = view?.user_override ?? {};
  const canOverride = decision === "warn" && Boolean(userOverride.allow_warn_override);
  return {
    decision,
    findings: findings.map((finding, i) => ({ ...finding, action: actions[i] })),
    message,
    can_override: canOverride,
    justification_required: canOverride && Boolean(userOverride.justification_required),
  };
}
