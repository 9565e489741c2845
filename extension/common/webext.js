// Which browser runs us, told by the scheme of our own URLs rather than the user agent (which a user or
// an enterprise policy may change): chrome-extension: for Chrome, Edge and Chromium, moz-extension: for
// Firefox, safari-web-extension: for Safari.

export function browserKind(api) {
  const scheme = api.runtime.getURL("").split(":")[0];
  if (scheme === "moz-extension") return "firefox";
  if (scheme === "safari-web-extension") return "safari";
  if (scheme === "chrome-extension") return "chromium";
  return "unknown";
}
