// One dispatch table for runtime messages, with sender checks per tier.
//
// Messages are `{type, ...}`. A handler belongs to a tier:
//   CONTENT:   our content scripts on a guarded https origin (top frame of a tab);
//   EXTENSION: our own pages (popup, options), checked by origin.
// The sender is judged by sender.id and sender.origin, never sender.url (a page can make its URL lie
// through history.pushState, not its origin). A malformed or unknown message gets an error reply and a
// log line without its content; the listener never throws. Work waits for the worker's start-up.

import { ErrorCode, PromptfenceError } from "../common/errors.js";

export const Tier = Object.freeze({ CONTENT: "content", EXTENSION: "extension" });

/**
 * table: {type: {tier, check?: (message) => error string | null, handle: async (message, sender) => reply}}
 * senderPolicy: {extensionId, extensionOrigin, isGuardedOrigin: (origin) => boolean}
 */
export function createDispatcher(table, senderPolicy, ready) {
  function allowed(tier, sender) {
    if (!sender || sender.id !== senderPolicy.extensionId) return false;
    if (tier === Tier.EXTENSION) return sender.origin === senderPolicy.extensionOrigin;
    if (tier === Tier.CONTENT) {
      return Boolean(sender.tab) && sender.frameId === 0 && typeof sender.origin === "string" && senderPolicy.isGuardedOrigin(sender.origin);
    }
    return false;
  }

  async function dispatch(message, sender) {
    if (!message || typeof message !== "object" || typeof message.type !== "string") {
      console.warn("promptfence: malformed message ignored");
      return { ok: false, error: ErrorCode.BAD_REQUEST };
    }
    const entry = Object.hasOwn(table, message.type) ? table[message.type] : null;
    if (!entry) {
      console.warn(`promptfence: unknown message type ${String(message.type).slice(0, 40)}`);
      return { ok: false, error: ErrorCode.UNKNOWN_TYPE };
    }
    if (!allowed(entry.tier, sender)) {
      console.warn(`promptfence: ${message.type} refused from ${sender?.origin ?? "an unknown sender"}`);
      return { ok: false, error: ErrorCode.ORIGIN_NOT_ALLOWED };
    }
    const problem = entry.check ? entry.check(message) : null;
    if (problem) {
      console.warn(`promptfence: bad ${message.type} message: ${problem}`);
      return { ok: false, error: ErrorCode.BAD_REQUEST };
    }
    await ready;
    try {
      return { ok: true, ...(await entry.handle(message, sender)) };
    } catch (error) {
      const code = error instanceof PromptfenceError ? error.code : ErrorCode.INTERNAL;
      console.warn(`promptfence: ${message.type} failed: ${code}`);
      return { ok: false, error: code };
    }
  }

  /** The runtime.onMessage listener: replies asynchronously through sendResponse. */
  return function onMessage(message, sender, sendResponse) {
    if (!sender || sender.id !== senderPolicy.extensionId) return false; // not ours: no reply at all
    dispatch(message, sender).then(sendResponse, () => sendResponse({ ok: false, error: ErrorCode.INTERNAL }));
    return true;
  };
}
