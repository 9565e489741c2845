// The inline UI: a notice anchored to the composer, the "Scanning…" indicator and the brief highlight
// of placeholders after a redaction.
//
// Each lives in a <promptfence-ui> element appended to <html>, position: fixed (so the page's layout
// never moves), with a CLOSED shadow root: the page's scripts and styles cannot read or restyle it.
// The notice is an alertdialog: focus goes to its first action, Tab stays inside, Escape cancels.
// It lists what was found as types and counts, never the values. Strings come from _locales.
// Test contract (tests/e2e): data-pf="notice" with data-decision, buttons with data-pf-action,
// textarea data-pf="justification", indicator data-pf="scanning".

(function (root) {
  "use strict";
  const ns = (root.promptfence = root.promptfence || {});

  const HIGHLIGHT_MS = 1600;
  const STYLE = `
    :host { all: initial; }
    .box { position: fixed; z-index: 2147483647; box-sizing: border-box; max-width: min(440px, calc(100vw - 16px));
      font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a202c; background: #fff;
      border: 1px solid #cbd5e0; border-left: 4px solid #c05621; border-radius: 8px;
      box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 12px 14px; }
    .box[data-decision="block"] { border-left-color: #c53030; }
    .box[data-decision="redact"] { border-left-color: #2b6cb0; }
    h2 { font-size: 15px; margin: 0 0 6px; }
    p { margin: 0 0 8px; }
    ul { margin: 0 0 10px; padding-left: 18px; }
    label { display: block; margin: 0 0 4px; font-weight: 600; }
    textarea { box-sizing: border-box; width: 100%; min-height: 52px; margin: 0 0 10px; font: inherit; padding: 6px;
      border: 1px solid #a0aec0; border-radius: 4px; }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; justify-content: flex-end; }
    button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #a0aec0; background: #edf2f7;
      color: #1a202c; cursor: pointer; }
    button.primary { background: #2b6cb0; border-color: #2b6cb0; color: #fff; }
    button:disabled { opacity: .5; cursor: not-allowed; }
    button:focus-visible, textarea:focus-visible { outline: 3px solid #63b3ed; outline-offset: 1px; }
    .scanning { position: fixed; z-index: 2147483647; font: 13px/1 system-ui, sans-serif; color: #fff;
      background: #2d3748; border-radius: 12px; padding: 6px 10px; }
    .mark { position: fixed; z-index: 2147483646; background: rgba(66,153,225,.35); border-radius: 3px;
      pointer-events: none; transition: opacity .4s; }
  `;

  // Once the extension that injected this script is gone (an update under the open page), i18n answers
  // nothing; yet that is exactly when the "reload the page" notice is shown. So its strings are looked
  // up now, while the runtime lives, and remembered.
  const remembered = new Map();

  function t(key, substitutions) {
    if (!substitutions && remembered.has(key)) return remembered.get(key);
    let text;
    try {
      text = chrome.i18n.getMessage(key, substitutions);
    } catch (error) {
      text = ""; // the extension was reloaded under this page
    }
    if (text && !substitutions) remembered.set(key, text);
    return text || key;
  }

  for (const key of ["extension_unavailable_message", "notice_title_block", "action_dismiss", "scanning"]) t(key);

  /** A <promptfence-ui> host with a closed shadow root; returns [host, shadow]. */
  function createHost(kind) {
    const host = document.createElement("promptfence-ui");
    host.setAttribute("data-pf-kind", kind);
    const shadow = host.attachShadow({ mode: "closed" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    shadow.append(style);
    (document.documentElement || document).append(host);
    return [host, shadow];
  }

  function element(tag, attributes, text) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) el.setAttribute(name, value);
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /** Place a box near the anchor's rectangle: above it when there is room, else below, inside the view. */
  function place(box, anchor) {
    const view = { width: window.innerWidth, height: window.innerHeight };
    const rect = anchor && anchor.isConnected ? anchor.getBoundingClientRect() : null;
    const size = box.getBoundingClientRect();
    let left = rect ? rect.left : (view.width - size.width) / 2;
    left = Math.max(8, Math.min(left, view.width - size.width - 8));
    let top;
    if (!rect) top = view.height - size.height - 24;
    else if (rect.top - size.height - 8 >= 8) top = rect.top - size.height - 8;
    else top = Math.min(rect.bottom + 8, view.height - size.height - 8);
    box.style.left = `${Math.round(left)}px`;
    box.style.top = `${Math.round(Math.max(8, top))}px`;
  }

  function typeName(type) {
    const key = `type_${type}`;
    const word = t(key);
    return word !== key ? word : type.replace(/_/g, " ").toLowerCase();
  }

  let current = null; // the open notice: {close(result)}

  /**
   * Show a notice and resolve with {action, justification} when the user acts.
   * options: {anchor, decision, channel, summary, message, actions: [...data-pf-action], justificationRequired}
   */
  function ask(options) {
    if (current) current.close({ action: "cancel" });
    return new Promise((resolve) => {
      const [host, shadow] = createHost("notice");
      const box = element("div", {
        class: "box",
        role: "alertdialog",
        "aria-modal": "false",
        "aria-labelledby": "pf-title",
        "aria-describedby": "pf-message",
        "data-pf": "notice",
        "data-decision": options.decision,
      });
      box.append(element("h2", { id: "pf-title" }, t(`notice_title_${options.decision}`)));
      box.append(element("p", { id: "pf-message" }, options.message || t(`default_${options.decision}_message`)));
      if (options.summary && options.summary.length) {
        const list = element("ul", { "data-pf": "findings", "aria-label": t("notice_found") });
        for (const { type, count } of options.summary) {
          list.append(element("li", { "data-type": type }, t("notice_finding_count", [typeName(type), String(count)])));
        }
        box.append(list);
      }
      let justification = null;
      if (options.justificationRequired && options.actions.includes("paste-anyway")) {
        box.append(element("label", { for: "pf-justification" }, t("notice_justification_label")));
        justification = element("textarea", { id: "pf-justification", "data-pf": "justification", maxlength: "1000" });
        box.append(justification);
      }
      const row = element("div", { class: "actions" });
      const buttons = [];
      for (const action of options.actions) {
        const button = element("button", { type: "button", "data-pf-action": action }, t(`action_${action.replace(/-/g, "_")}_${options.channel}`));
        if (button.textContent.startsWith("action_")) button.textContent = t(`action_${action.replace(/-/g, "_")}`);
        if (action === options.actions[0]) button.classList.add("primary");
        button.addEventListener("click", () => choose(action));
        buttons.push(button);
        row.append(button);
      }
      box.append(row);
      shadow.append(box);

      const anyway = buttons.find((b) => b.dataset.pfAction === "paste-anyway");
      if (anyway && justification) {
        anyway.disabled = true;
        justification.addEventListener("input", () => {
          anyway.disabled = justification.value.trim().length === 0;
        });
      }

      function choose(action) {
        close({ action, justification: justification ? justification.value.trim() : undefined });
      }

      function close(result) {
        if (!host.isConnected) return;
        host.remove();
        window.removeEventListener("resize", reposition, true);
        window.removeEventListener("scroll", reposition, true);
        if (current && current.host === host) current = null;
        resolve(result);
      }

      box.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          choose(options.actions.includes("cancel") ? "cancel" : "dismiss");
        } else if (event.key === "Tab") {
          // Keep focus inside the notice while it is open.
          const focusable = [justification, ...buttons].filter((el) => el && !el.disabled);
          const index = focusable.indexOf(shadow.activeElement);
          const next = event.shiftKey ? index - 1 : index + 1;
          event.preventDefault();
          focusable[(next + focusable.length) % focusable.length].focus();
        }
      });

      const reposition = () => place(box, options.anchor);
      window.addEventListener("resize", reposition, true);
      window.addEventListener("scroll", reposition, true);
      place(box, options.anchor);
      (buttons.find((b) => !b.disabled) || buttons[0]).focus({ preventScroll: true });
      current = { host, close };
    });
  }

  /** Show "Scanning…" near the anchor after `delayMs` unless hidden first. Returns hide(). */
  function scanningAfter(delayMs, anchor) {
    let host = null;
    const timer = setTimeout(() => {
      let shadow;
      [host, shadow] = createHost("scanning");
      const pill = element("div", { class: "scanning", role: "status", "aria-live": "polite", "data-pf": "scanning" }, t("scanning"));
      shadow.append(pill);
      place(pill, anchor);
    }, delayMs);
    return function hide() {
      clearTimeout(timer);
      if (host) host.remove();
    };
  }

  /** Tint the placeholders' boxes for a moment after a redacted insert. */
  function highlight(rects) {
    if (!rects.length) return;
    const [host, shadow] = createHost("highlight");
    for (const rect of rects) {
      const mark = element("div", { class: "mark", "data-pf": "placeholder-mark" });
      Object.assign(mark.style, { left: `${rect.left - 1}px`, top: `${rect.top - 1}px`, width: `${rect.width + 2}px`, height: `${rect.height + 2}px` });
      shadow.append(mark);
    }
    setTimeout(() => host.remove(), HIGHLIGHT_MS);
  }

  function isOurs(node) {
    return Boolean(node && node.nodeType === 1 && node.tagName === "PROMPTFENCE-UI");
  }

  ns.notice = { ask, scanningAfter, highlight, isOurs, t };
})(globalThis);
