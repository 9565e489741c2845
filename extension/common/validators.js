// Named checks on a matched value (shared-rules/SPEC.md, "Validators").
//
// makeValidator(name, args) returns a synchronous (value) => boolean. agent/validators.py implements the
// same names with the same results; shared-rules/vectors/validators.json holds both to it. Everything
// here is ASCII-only and strict in the same places as the Python side (base64url alphabet, JSON nesting),
// and uses no browser API beyond TextDecoder, so it runs in the service worker, a content script and node.

import { keccak256, sha256, toHex } from "./hashes.js";

/** A rule names an unknown validator or gives it bad arguments: the rule pack does not load. */
export class ValidatorError extends Error {
  constructor(message) {
    super(message);
    this.name = "ValidatorError";
  }
}

// Anchored matching without the m flag, so $ means the end of the value (Python's fullmatch).
function fullMatch(regex, value) {
  return regex.exec(value);
}

const isAscii = (value) => /^[\x00-\x7f]*$/.test(value);
const isAsciiDigits = (value) => /^[0-9]+$/.test(value);
const digitsOf = (value) => value.replace(/[^0-9]/g, "");

function onlyDigitsAnd(value, separators) {
  for (const ch of value) {
    if (!(ch >= "0" && ch <= "9") && !separators.includes(ch)) return false;
  }
  return true;
}

// --- payment cards ------------------------------------------------------------------------------------

export function luhn(value) {
  const digits = digitsOf(value);
  if (digits.length < 2) return false;
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// [first, last] prefix range of equal width, allowed lengths: the same table as agent/validators.py.
const CARD_ISSUERS = [
  ["4", "4", [13, 16, 19]], // Visa
  ["51", "55", [16]], // Mastercard
  ["2221", "2720", [16]], // Mastercard 2-series
  ["34", "34", [15]], // American Express
  ["37", "37", [15]], // American Express
  ["6011", "6011", range(16, 19)], // Discover
  ["644", "649", range(16, 19)], // Discover
  ["65", "65", range(16, 19)], // Discover
  ["622126", "622925", range(16, 19)], // Discover / UnionPay co-branded
  ["300", "305", range(14, 19)], // Diners Club International
  ["3095", "3095", range(14, 19)], // Diners Club International
  ["36", "36", range(14, 19)], // Diners Club International
  ["38", "39", range(14, 19)], // Diners Club International
  ["35", "35", range(16, 19)], // JCB (issued 3528-3589; test data uses all of 35)
  ["1800", "1800", [15]], // JCB 15-digit (legacy)
  ["2131", "2131", [15]], // JCB 15-digit (legacy)
  ["62", "62", range(16, 19)], // UnionPay
  ["81", "81", range(16, 19)], // UnionPay
  ["5018", "5018", range(12, 19)], // Maestro
  ["5020", "5020", range(12, 19)], // Maestro
  ["5038", "5038", range(12, 19)], // Maestro
  ["5893", "5893", range(12, 19)], // Maestro
  ["6304", "6304", range(12, 19)], // Maestro
  ["6759", "6759", range(12, 19)], // Maestro (incl. former Maestro UK)
  ["6761", "6763", range(12, 19)], // Maestro
  ["56", "58", range(12, 19)], // Maestro (older 56-58 ranges)
  ["6390", "6390", range(12, 19)], // Maestro
  ["0604", "0604", range(12, 19)], // Maestro
  ["5019", "5019", [16]], // Dankort
  ["2200", "2204", range(16, 19)], // Mir
  ["60", "60", [16]], // RuPay
  ["508", "508", [16]], // RuPay
  ["1", "1", [15]], // UATP (airline cards, e.g. AirPlus)
];

export function cardIssuer(value) {
  if (!onlyDigitsAnd(value, " -")) return false;
  const digits = digitsOf(value);
  if (!luhn(digits)) return false;
  return CARD_ISSUERS.some(([first, last, lengths]) => {
    const prefix = digits.slice(0, first.length);
    return lengths.includes(digits.length) && first <= prefix && prefix <= last;
  });
}

// --- bank numbers --------------------------------------------------------------------------------------

// Length of the whole IBAN per country code, SWIFT IBAN Registry (release 98, 2024).
const IBAN_LENGTHS = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27,
  BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28,
  EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21,
  LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22,
  RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25,
  SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

export function ibanMod97(value) {
  let compact = value.replaceAll(" ", "").replaceAll("-", "");
  if (!isAscii(compact)) return false;
  compact = compact.toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(compact)) return false;
  if (!Object.hasOwn(IBAN_LENGTHS, compact.slice(0, 2))) return false;
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    // Letters count as two digits (A = 10 ... Z = 35), ISO 13616-1.
    const code = ch.charCodeAt(0);
    const number = ch >= "0" && ch <= "9" ? code - 48 : code - 55;
    remainder = (remainder * (number > 9 ? 100 : 10) + number) % 97;
  }
  return remainder === 1;
}

function federalReservePrefix(prefix) {
  // 00 government, 01-12 Federal Reserve districts, 21-32 thrifts, 61-72 electronic, 80 traveller's cheques.
  return (prefix >= 0 && prefix <= 12) || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
}

export function abaRouting(value) {
  if (!onlyDigitsAnd(value, "- ")) return false;
  const digits = digitsOf(value);
  if (digits.length !== 9 || digits === "000000000") return false;
  if (!federalReservePrefix(Number(digits.slice(0, 2)))) return false;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * weights[i];
  return sum % 10 === 0;
}

// --- US and UK identity numbers --------------------------------------------------------------------------

// Numbers the SSA lists as invalid because they were printed in advertising (and the ubiquitous sample).
const SSN_ADVERTISING = new Set(["078051120", "219099999", "123456789"]);

/** AAA-GG-SSSS with one consistent separator (-, space, dot) or none. */
function nineDigitGroups(value) {
  const match = fullMatch(/^([0-9]{3})([- .]?)([0-9]{2})([- .]?)([0-9]{4})$/, value);
  if (!match || match[2] !== match[4]) return null;
  return [match[1], match[3], match[5]];
}

export function ssnRules(value) {
  const groups = nineDigitGroups(value);
  if (!groups) return false;
  const [area, group, serial] = groups;
  const digits = area + group + serial;
  if (area === "000" || area === "666" || area[0] === "9" || group === "00" || serial === "0000") return false;
  return !SSN_ADVERTISING.has(digits) && new Set(digits).size > 1;
}

export function itinRules(value) {
  const groups = nineDigitGroups(value);
  if (!groups) return false;
  const g = Number(groups[1]);
  return groups[0][0] === "9" && ((g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99));
}

const NINO_NEVER_ALLOCATED = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);

export function ukNino(value) {
  // HMRC National Insurance Manual NIM39110: D, F, I, Q, U, V are never used in either place, O is not
  // used as the second letter, and some prefixes are never allocated.
  const compact = value.replaceAll(" ", "");
  if (!isAscii(compact)) return false;
  const match = fullMatch(/^([A-Z])([A-Z])[0-9]{6}[A-D]$/, compact.toUpperCase()); // people type it in lower case too
  if (!match) return false;
  const [, first, second] = match;
  if ("DFIQUV".includes(first) || "DFIQUVO".includes(second)) return false;
  return !NINO_NEVER_ALLOCATED.has(first + second);
}

// --- crypto-currency addresses ---------------------------------------------------------------------------

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** The version byte of a valid 25-byte base58check payload, else null. */
function base58checkVersion(value) {
  if (value.length < 25 || value.length > 35) return null;
  let number = 0n;
  for (const ch of value) {
    const digit = BASE58.indexOf(ch);
    if (digit < 0) return null;
    number = number * 58n + BigInt(digit);
  }
  const leadingZeros = value.length - value.replace(/^1+/, "").length;
  let hex = number === 0n ? "" : number.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  if (leadingZeros + hex.length / 2 !== 25) return null;
  const raw = new Uint8Array(25);
  for (let i = 0; i < hex.length / 2; i++) raw[leadingZeros + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const payload = raw.slice(0, 21);
  const checksum = sha256(sha256(payload)).slice(0, 4);
  for (let i = 0; i < 4; i++) if (checksum[i] !== raw[21 + i]) return null;
  return payload[0];
}

const BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;
const BECH32_GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function bech32Polymod(values) {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = (((checksum & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) checksum = (checksum ^ BECH32_GENERATORS[i]) >>> 0;
  }
  return checksum;
}

/** Regroup bits without padding; null when the leftover bits are not zero padding (BIP 173). */
function convertBits(data, fromBits, toBits) {
  let accumulator = 0;
  let bits = 0;
  const result = [];
  const mask = (1 << toBits) - 1;
  for (const value of data) {
    accumulator = ((accumulator << fromBits) | value) & 0xffff; // only the low bits are ever read
    bits += fromBits;
    while (bits >= toBits) {
      bits -= toBits;
      result.push((accumulator >> bits) & mask);
    }
  }
  if (bits >= fromBits || ((accumulator << (toBits - bits)) & mask)) return null;
  return result;
}

function segwitAddress(value) {
  // BIP 173 (bech32, witness v0) and BIP 350 (bech32m, witness v1+), mainnet "bc" only.
  if (value.length > 90 || (value.toLowerCase() !== value && value.toUpperCase() !== value)) return false;
  const address = value.toLowerCase();
  const separator = address.lastIndexOf("1");
  if (separator < 0) return false;
  const hrp = address.slice(0, separator);
  const dataPart = address.slice(separator + 1);
  if (hrp !== "bc" || dataPart.length < 6) return false;
  const data = Array.from(dataPart, (ch) => BECH32_CHARSET.indexOf(ch));
  if (data.includes(-1)) return false;
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5).concat([0], [...hrp].map((c) => c.charCodeAt(0) & 31));
  const constant = bech32Polymod(expanded.concat(data));
  const witnessVersion = data[0];
  if (witnessVersion > 16) return false;
  if (constant !== (witnessVersion === 0 ? BECH32_CONST : BECH32M_CONST)) return false;
  const program = convertBits(data.slice(1, -6), 5, 8);
  if (program === null || program.length < 2 || program.length > 40) return false;
  return witnessVersion !== 0 || program.length === 20 || program.length === 32;
}

export function btcAddress(value) {
  if (!isAscii(value)) return false;
  if (value.slice(0, 3).toLowerCase() === "bc1") return segwitAddress(value);
  const version = base58checkVersion(value);
  return version === 0x00 || version === 0x05;
}

export function ethAddress(value) {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return false;
  const hexPart = value.slice(2);
  if (hexPart === hexPart.toLowerCase() || hexPart === hexPart.toUpperCase()) return true; // no checksum
  // EIP-55: a letter is upper case exactly when the matching nibble of keccak256(lower-case hex) is >= 8.
  const digest = toHex(keccak256(new TextEncoder().encode(hexPart.toLowerCase())));
  for (let i = 0; i < 40; i++) {
    const ch = hexPart[i];
    const isLetter = /[a-fA-F]/.test(ch);
    if (isLetter && (ch === ch.toUpperCase()) !== parseInt(digest[i], 16) >= 8) return false;
  }
  return true;
}

// --- tokens and random-looking strings ---------------------------------------------------------------------

export function shannonBits(value) {
  const chars = Array.from(value); // code points, as Python counts them
  if (chars.length === 0) return 0;
  const counts = new Map();
  for (const ch of chars) counts.set(ch, (counts.get(ch) || 0) + 1);
  const n = chars.length;
  let total = 0; // same order and rounding as the Python loop
  for (const count of counts.values()) total += (count / n) * Math.log2(count / n);
  return -total;
}

export function characterClasses(value) {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (const c of value) {
    if (c >= "a" && c <= "z") lower = 1;
    else if (c >= "A" && c <= "Z") upper = 1;
    else if (c >= "0" && c <= "9") digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

function minEntropy(args) {
  const { bits, min_classes: minClasses = 1 } = args;
  if (typeof bits !== "number" || !Number.isFinite(bits)) throw new ValidatorError("min_entropy: bits must be a number");
  if (!Number.isInteger(minClasses)) throw new ValidatorError("min_entropy: min_classes must be an integer");
  return (value) => shannonBits(value) >= bits && characterClasses(value) >= minClasses;
}

const MAX_JSON_DEPTH = 32;

/** How deep arrays and objects nest, ignoring brackets inside strings. */
function jsonDepth(text) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") deepest = Math.max(deepest, ++depth);
    else if (ch === "]" || ch === "}") depth--;
  }
  return deepest;
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The JSON value a base64url segment encodes, or undefined. Strict alphabet, no padding. */
function b64urlJson(part) {
  if (!/^[A-Za-z0-9_-]+$/.test(part) || part.length % 4 === 1) return undefined;
  const bytes = [];
  let accumulator = 0;
  let bits = 0;
  for (const ch of part) {
    accumulator = ((accumulator << 6) | BASE64URL.indexOf(ch)) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((accumulator >> bits) & 0xff);
    }
  }
  // Leftover bits are dropped, as Python's non-strict base64 decoder does.
  try {
    const text = UTF8.decode(new Uint8Array(bytes));
    if (jsonDepth(text) > MAX_JSON_DEPTH) return undefined;
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isPlainObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

export function jwtStructure(value) {
  const parts = value.split(".");
  if (parts.length !== 3) return false;
  const header = b64urlJson(parts[0]);
  const payload = b64urlJson(parts[1]);
  return isPlainObject(header) && Object.hasOwn(header, "alg") && isPlainObject(payload);
}

// --- network addresses ------------------------------------------------------------------------------------

export function ipv4(value) {
  const parts = value.split(".");
  if (parts.length !== 4) return false;
  return parts.every(
    (part) => isAsciiDigits(part) && part.length <= 3 && !(part.length > 1 && part[0] === "0") && Number(part) <= 255,
  );
}

export function ipv6(value) {
  // RFC 4291 section 2.2 text forms: 8 groups, or fewer with one "::", optionally ending in IPv4.
  if (value.split("::").length > 2 || value.includes(":::")) return false;
  const at = value.indexOf("::");
  const compressed = at >= 0;
  const head = compressed ? value.slice(0, at) : value;
  const tail = compressed ? value.slice(at + 2) : "";
  const groups = (head ? head.split(":") : []).concat(tail ? tail.split(":") : []);
  const endsInGroup = !compressed || tail !== ""; // "1.2.3.4::" does not end in its dotted quad
  let width = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (group.includes(".")) {
      // A dotted quad stands for the last two groups, so it must come last.
      if (i !== groups.length - 1 || !endsInGroup || !ipv4(group)) return false;
      width += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(group)) width += 1;
    else return false;
  }
  return compressed ? width <= 7 : width === 8;
}

// --- dates and phone numbers --------------------------------------------------------------------------------

const MONTHS = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4,
  may: 5, jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9,
  september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

// The same shapes as agent/validators.py (SPEC.md lists them).
const ISO_DATE = /^([0-9]{4})([-/. ])([0-9]{1,2})\2([0-9]{1,2})$/;
const DAY_FIRST_OR_MONTH_FIRST = /^([0-9]{1,2})([-/. ])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})$/;
const MONTH_NAME_FIRST = /^([A-Za-z]{3,9})\.?[ ]([0-9]{1,2})(?:st|nd|rd|th)?,?[ ]([0-9]{4})$/;
const DAY_FIRST_NAME = /^([0-9]{1,2})(?:st|nd|rd|th)?(?:[ ]of)?[ ]([A-Za-z]{3,9})\.?,?[ ]([0-9]{4})$/;
const DAY_MONTH_NAME_DASHED = /^([0-9]{1,2})([-/ ])([A-Za-z]{3,9})\2([0-9]{4})$/;

/** Today as [year, month, day] in local time, as Python's date.today() gives it. */
function localToday() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()];
}

function daysInMonth(year, month) {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function compareDates(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function realDate(year, month, day, today) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return compareDates([year, month, day], [1900, 1, 1]) >= 0 && compareDates([year, month, day], today) <= 0;
}

/** A two-digit year is the latest of 19YY and 20YY not after today. */
function fullYear(year, today) {
  if (year.length === 4) return Number(year);
  const yy = Number(year);
  return 2000 + yy <= today[0] ? 2000 + yy : 1900 + yy;
}

export function dateOfBirthOn(value, today) {
  let match = fullMatch(ISO_DATE, value);
  if (match) return realDate(Number(match[1]), Number(match[3]), Number(match[4]), today);
  match = fullMatch(DAY_FIRST_OR_MONTH_FIRST, value);
  if (match) {
    const a = Number(match[1]);
    const b = Number(match[3]);
    const year = fullYear(match[4], today);
    // 03/04/1985 is ambiguous: either reading being a real date is enough.
    return realDate(year, b, a, today) || realDate(year, a, b, today);
  }
  for (const [shape, dayGroup, monthGroup, yearGroup] of [
    [MONTH_NAME_FIRST, 2, 1, 3],
    [DAY_FIRST_NAME, 1, 2, 3],
    [DAY_MONTH_NAME_DASHED, 1, 3, 4],
  ]) {
    match = fullMatch(shape, value);
    if (match) {
      const name = match[monthGroup].toLowerCase();
      if (!Object.hasOwn(MONTHS, name)) return false;
      return realDate(Number(match[yearGroup]), MONTHS[name], Number(match[dayGroup]), today);
    }
  }
  return false;
}

export function dateOfBirth(value) {
  return dateOfBirthOn(value, localToday());
}

// A trailing extension ("x123", "ext. 123") is not part of the number's digit count.
const EXTENSION = /[ ]?(?:x|ext\.?|extension)[ ]?[0-9]{1,6}$/i;

/** Every digit one more (or one less) than the one before, e.g. 1234567 or 9876543. */
function isRun(digits) {
  const steps = new Set();
  for (let i = 1; i < digits.length; i++) steps.add((digits.charCodeAt(i) - digits.charCodeAt(i - 1) + 10) % 10);
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/** 2024-01-15, 15.01.2024, 01/15/24 or 20240115: a real date in any year from 1900 on. */
function numericDate(value) {
  const farFuture = [9999, 12, 31];
  if (value.length === 8 && isAsciiDigits(value)) {
    return realDate(Number(value.slice(0, 4)), Number(value.slice(4, 6)), Number(value.slice(6)), farFuture);
  }
  if (!ISO_DATE.test(value) && !DAY_FIRST_OR_MONTH_FIRST.test(value)) return false;
  return dateOfBirthOn(value, farFuture);
}

export function phoneNumber(value) {
  // 7 to 15 digits (ITU-T E.164) that look dialled: not a date, a run, one repeated digit or a round number.
  const main = value.replace(EXTENSION, "");
  if (!onlyDigitsAnd(main, "+-. ()/")) return false;
  const digits = digitsOf(main);
  if (digits.length < 7 || digits.length > 15 || new Set(digits).size === 1 || isRun(digits)) return false;
  if (digits.endsWith("000000")) return false; // 650 000 000 is an amount
  return !numericDate(main);
}

// --- the registry -------------------------------------------------------------------------------------------

const PLAIN = {
  luhn,
  card_issuer: cardIssuer,
  iban_mod97: ibanMod97,
  aba_routing: abaRouting,
  ssn_rules: ssnRules,
  itin_rules: itinRules,
  uk_nino: ukNino,
  btc_address: btcAddress,
  eth_address: ethAddress,
  jwt_structure: jwtStructure,
  ipv4,
  ipv6,
  date_of_birth: dateOfBirth,
  phone_number: phoneNumber,
};

const WITH_ARGS = { min_entropy: { make: minEntropy, allowed: ["bits", "min_classes"], required: ["bits"] } };

/** Every validator name, for the rule engine's load-time check. */
export const VALIDATOR_NAMES = Object.freeze([...Object.keys(PLAIN), ...Object.keys(WITH_ARGS)].sort());

/**
 * The named validator bound to its arguments: (value: string) => boolean.
 * Throws ValidatorError for an unknown name or arguments the validator does not take.
 */
export function makeValidator(name, args = {}) {
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new ValidatorError(`validator ${name}: args must be an object`);
  }
  const keys = Object.keys(args);
  if (Object.hasOwn(PLAIN, name)) {
    if (keys.length) throw new ValidatorError(`validator ${name} takes no arguments, got ${keys.join(", ")}`);
    return PLAIN[name];
  }
  if (Object.hasOwn(WITH_ARGS, name)) {
    const spec = WITH_ARGS[name];
    const unknown = keys.filter((k) => !spec.allowed.includes(k));
    if (unknown.length) throw new ValidatorError(`validator ${name}: unknown argument ${unknown.join(", ")}`);
    const missing = spec.required.filter((k) => !keys.includes(k));
    if (missing.length) throw new ValidatorError(`validator ${name}: missing argument ${missing.join(", ")}`);
    return spec.make(args);
  }
  throw new ValidatorError(`unknown validator ${JSON.stringify(name)}`);
}
