// Redaction in the extension: rebuild the redacted text from (start, end, placeholder) replacements.
//
// The agent never sends redacted text (a reply must stay under Chrome's 1 MB whatever the input), only
// replacements with UTF-16 offsets into the text we sent, so the extension slices directly. The built-in
// fallback plans its own replacements the way agent/redaction.py does: the same value gets the same
// placeholder (`<EMAIL_1>` twice), values of one kind are numbered by first appearance.

const MASK = "\u2588".repeat(4);
const DIGIT_LIKE_TYPES = new Set([
  "CREDIT_CARD", "PHONE_NUMBER", "US_SSN", "US_ITIN", "IBAN_CODE", "US_BANK_ROUTING", "UK_NINO",
  "US_PASSPORT", "US_DRIVER_LICENSE", "DATE_OF_BIRTH",
]);
const SEPARATORS = /[\t\n\v\f\r \-.()/]+/g;

function valueKey(finding, value) {
  if (DIGIT_LIKE_TYPES.has(finding.type)) return value.replace(SEPARATORS, "").toUpperCase();
  if (finding.category === "pii") return value.toLowerCase();
  return value;
}

/** A replacement for every finding whose action is not allow, sorted by start (agent/redaction.py). */
export function planReplacements(text, findings, { style = "placeholder", labels = {} } = {}) {
  const numbers = new Map();
  const nextNumber = new Map();
  const replacements = [];
  const ordered = [...findings].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const finding of ordered) {
    if (finding.action === "allow") continue;
    const label = labels[finding.type] ?? finding.type;
    let placeholder;
    if (style === "mask") placeholder = MASK;
    else if (style === "type") placeholder = `[${label}]`;
    else {
      const key = `${label}\u0000${valueKey(finding, text.slice(finding.start, finding.end))}`;
      if (!numbers.has(key)) {
        nextNumber.set(label, (nextNumber.get(label) ?? 0) + 1);
        numbers.set(key, nextNumber.get(label));
      }
      placeholder = `<${label}_${numbers.get(key)}>`;
    }
    replacements.push({ start: finding.start, end: finding.end, placeholder, action: finding.action });
  }
  return replacements;
}

/** Each replacement's action: its own field, else that of the finding with the same span. */
export function withActions(replacements, findings) {
  const bySpan = new Map(findings.map((f) => [`${f.start}:${f.end}`, f.action]));
  return replacements.map((r) => ({ ...r, action: r.action ?? bySpan.get(`${r.start}:${r.end}`) ?? "redact" }));
}

/**
 * The text with the replacements applied, and where each placeholder landed in it (for highlighting).
 * onlyActions: apply just the replacements whose action is in this set (e.g. {"redact"} when a warned
 * user sends anyway). Invalid or overlapping spans are skipped, never allowed to corrupt the text.
 */
export function applyReplacements(text, replacements, onlyActions = null) {
  const chosen = replacements
    .filter((r) => !onlyActions || onlyActions.has(r.action))
    .filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start < r.end && r.end <= text.length)
    .sort((a, b) => a.start - b.start);
  let out = "";
  let cursor = 0;
  const marks = [];
  for (const r of chosen) {
    if (r.start < cursor) continue;
    out += text.slice(cursor, r.start);
    marks.push({ start: out.length, end: out.length + r.placeholder.length });
    out += r.placeholder;
    cursor = r.end;
  }
  out += text.slice(cursor);
  return { text: out, marks };
}
