// The content script's listeners: paste, drop, Enter / send click / form submit, file inputs, and the
// composer's input (for the network guard). Loaded last; sites.js, uncleared.js, guard-channel.js,
// editor.js, notice.js and lifecycle.js come before it in the manifest. The listeners go through the
// lifecycle (content/lifecycle.js), so that after an extension update the instance the service worker
// injects takes over from this one.
//
// Every listener is on window, in the capture phase, registered at document_start: it runs before any
// handler of the page, and stops the event before the page sees unscanned data. Only trusted events
// (the user's own) are acted on; the synthetic events this script dispatches to hand checked data
// back to the page are untrusted, so they pass through untouched.

(function (root) {
  "use strict";
  const ns = root.promptfence;
  if (!ns || ns.started) return; // injected twice (manifest and run-time registration)
  ns.started = true;

  const { sites, editor, notice } = ns;
  const adapter = sites.adapterFor(location.hostname, location.pathname);
  const tracker = new ns.UnclearedTexts();
  const guard = ns.openGuardChannel(document, { tracker, scanHeld });
  const life = ns.createLifecycle(document, ns.runtimeAlive);
  life.onStandDown(() => guard.close());
  const SCANNING_DELAY_MS = 150;
  // MIME types read as text; file-name extensions and the size cap come from the policy (uploads).
  const TEXT_FILE_TYPES = /^(text\/|application\/(json|xml|x-yaml|yaml|javascript|x-javascript|x-sh|sql|x-python|toml|csv|x-ndjson))/;

  // ------------------------------------------------------------------------------ the service worker

  function unavailableVerdict() {
    return {
      scanId: null,
      decision: "block",
      source: "extension_unavailable",
      summary: [],
      message: notice.t("extension_unavailable_message"),
      canOverride: false,
      justificationRequired: false,
      redacted: null,
      redactedMarks: [],
      overrideText: null,
      overrideMarks: [],
    };
  }

  /** Ask the service worker for a verdict. No answer (the extension was updated under this page): block. */
  async function scan(channel, text) {
    try {
      const reply = await chrome.runtime.sendMessage({ type: "scan", channel, text, path: location.pathname });
      if (reply && reply.ok && reply.verdict) return reply.verdict;
    } catch (error) {
      // extension context invalidated
    }
    return unavailableVerdict();
  }

  function report(verdict, action, justification) {
    if (!verdict.scanId || (verdict.decision !== "warn" && verdict.decision !== "redact")) return;
    const message = { type: "user_action", scanId: verdict.scanId, action };
    if (justification) message.justification = justification;
    chrome.runtime.sendMessage(message).catch(() => {});
  }

  async function scanWithIndicator(channel, text, anchor) {
    const hide = notice.scanningAfter(SCANNING_DELAY_MS, anchor);
    try {
      return await scan(channel, text);
    } finally {
      hide();
    }
  }

  /** The actions a warn offers, in order: the safe choice first. */
  function warnActions(verdict) {
    const actions = [];
    if (verdict.redacted !== null) actions.push("paste-redacted");
    if (verdict.canOverride) actions.push("paste-anyway");
    actions.push("cancel");
    return actions;
  }

  /** Show the notice for a warn or block verdict; resolves with the user's choice. */
  function askUser(verdict, channel, anchor) {
    return notice.ask({
      anchor,
      channel,
      decision: verdict.decision,
      summary: verdict.summary,
      message: verdict.message,
      actions: verdict.decision === "warn" ? warnActions(verdict) : ["dismiss"],
      justificationRequired: verdict.justificationRequired,
    });
  }

  function highlightPlaceholders(target, verdictText, marks) {
    const placeholders = [...new Set(marks.map((m) => verdictText.slice(m.start, m.end)))];
    requestAnimationFrame(() => notice.highlight(editor.placeholderRects(target, placeholders)));
  }

  // ---------------------------------------------------------------------------- paste and drop: text

  /** Scan text about to enter an editor, then insert what the verdict allows. */
  async function incomingText(channel, target, text, selection) {
    const verdict = await scanWithIndicator(channel, text, target);
    switch (verdict.decision) {
      case "allow":
        tracker.clear(text);
        await editor.insertText(target, text, selection);
        return;
      case "redact":
        await editor.insertText(target, verdict.redacted, selection);
        highlightPlaceholders(target, verdict.redacted, verdict.redactedMarks);
        report(verdict, "accepted_redaction");
        return;
      case "warn": {
        const choice = await askUser(verdict, channel, target);
        if (choice.action === "paste-redacted") {
          await editor.insertText(target, verdict.redacted, selection);
          highlightPlaceholders(target, verdict.redacted, verdict.redactedMarks);
          report(verdict, "accepted_redaction");
        } else if (choice.action === "paste-anyway") {
          const inserted = verdict.overrideText ?? text;
          tracker.clear(inserted);
          await editor.insertText(target, inserted, selection);
          report(verdict, "overrode", choice.justification);
        } else {
          report(verdict, "cancelled");
          editor.restoreSelection(target, selection);
        }
        return;
      }
      default:
        await askUser(verdict, channel, target);
        editor.restoreSelection(target, selection);
    }
  }

  // --------------------------------------------------------------------------------------- files

  /** Read and scanned as text: a text-like type or a listed extension, within the size cap. */
  function readsAsText(file, policy) {
    if (file.size > policy.maxTextBytes) return false;
    const dot = file.name.lastIndexOf(".");
    const extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : ""; // ".env" counts as env
    return TEXT_FILE_TYPES.test(file.type) || (extension !== "" && policy.textExtensions.includes(extension));
  }

  /** The policy's uploads rules (common/policy.js uploadRules). No answer: no file goes unscanned. */
  async function filePolicy() {
    try {
      const reply = await chrome.runtime.sendMessage({ type: "file_policy" });
      if (reply && reply.ok && Array.isArray(reply.textExtensions) && Number.isInteger(reply.maxTextBytes)) return reply;
    } catch (error) {
      // extension context invalidated
    }
    return { nonText: "block", maxTextBytes: 0, textExtensions: [] };
  }

  /** Check files before the page gets them. Resolves with the files that may go (some rewritten). */
  async function checkFiles(files, anchor) {
    const policy = await filePolicy();
    const accepted = [];
    for (const file of files) {
      if (!readsAsText(file, policy)) {
        if (policy.nonText === "allow") accepted.push(file);
        else await askUser({ ...unavailableVerdict(), source: "policy", message: notice.t("file_blocked_message", [file.name]) }, "upload", anchor);
        continue;
      }
      const text = await file.text();
      const verdict = await scanWithIndicator("upload", text, anchor);
      const rewritten = (content) => new File([content], file.name, { type: file.type, lastModified: file.lastModified });
      if (verdict.decision === "allow") accepted.push(file);
      else if (verdict.decision === "redact") {
        accepted.push(rewritten(verdict.redacted));
        report(verdict, "accepted_redaction");
      } else if (verdict.decision === "warn") {
        const choice = await askUser(verdict, "upload", anchor);
        if (choice.action === "paste-redacted") {
          accepted.push(rewritten(verdict.redacted));
          report(verdict, "accepted_redaction");
        } else if (choice.action === "paste-anyway") {
          accepted.push(verdict.overrideText === text ? file : rewritten(verdict.overrideText));
          report(verdict, "overrode", choice.justification);
        } else report(verdict, "cancelled");
      } else {
        await askUser(verdict, "upload", anchor);
      }
    }
    return accepted;
  }

  // ----------------------------------------------------------------------------------- listeners

  function onPaste(event) {
    if (!event.isTrusted || notice.isOurs(event.target)) return;
    const data = event.clipboardData;
    if (!data) return;
    const target = sites.editableRoot(event.target);
    const files = Array.from(data.files || []);
    const text = data.getData("text/plain");
    if (!target && !files.length) return;
    if (!text && !files.length) return;
    // Synchronously, before any other handler: the page must not see the clipboard's content.
    event.preventDefault();
    event.stopImmediatePropagation();
    const pageTarget = event.target;
    const selection = target ? editor.captureSelection(target) : null;
    (async () => {
      if (files.length) {
        const accepted = await checkFiles(files, target || pageTarget);
        if (accepted.length) editor.redispatchFiles(pageTarget, "paste", accepted);
      }
      if (text && target) await incomingText("paste", target, text, selection);
    })();
  }

  function onDrop(event) {
    if (!event.isTrusted || notice.isOurs(event.target)) return;
    const data = event.dataTransfer;
    if (!data) return;
    const files = Array.from(data.files || []);
    const target = sites.editableRoot(event.target);
    const text = files.length ? "" : data.getData("text/plain");
    if (!files.length && !(text && target)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const pageTarget = event.target;
    const point = { x: event.clientX, y: event.clientY };
    (async () => {
      if (files.length) {
        const accepted = await checkFiles(files, target || pageTarget);
        if (accepted.length) editor.redispatchFiles(pageTarget, "drop", accepted, point);
        return;
      }
      const selection = editor.caretAtPoint(target, point.x, point.y) || editor.captureSelection(target);
      await incomingText("drop", target, text, selection);
    })();
  }

  // File inputs fire input then change; both are stopped until the files are checked, then re-fired.
  function onFileInput(event) {
    const input = event.target;
    if (!event.isTrusted || !input || input.tagName !== "INPUT" || input.type !== "file") return;
    event.stopImmediatePropagation();
    if (event.type === "input") return; // change follows; both are re-fired together
    const files = Array.from(input.files || []);
    if (!files.length) {
      input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      return;
    }
    // Empty until checked: the page (a form submit, a script reading input.files) must not get the files
    // while they are scanned or while a notice about them is open.
    input.value = "";
    (async () => {
      const accepted = await checkFiles(files, sites.findComposer(document, adapter) || input);
      if (!accepted.length) return; // nothing may go: the page never learns a file was chosen
      const transfer = new DataTransfer();
      for (const file of accepted) transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    })();
  }

  // ------------------------------------------------------------------------------ typed text at submit

  let submitting = false;

  /** Scan the composer's text; send it (again) through `resend` when it may go. */
  async function submitFlow(composer, text, resend) {
    submitting = true;
    try {
      const verdict = await scanWithIndicator("submit", text, composer);
      const sendNow = async (sentText, replaced = true) => {
        // Let the editor fold the change into its state before the site reads it to send.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (ns.normaliseForGuard(editor.readText(composer)) !== ns.normaliseForGuard(sentText)) {
          if (!replaced) return; // the user edited while we scanned: the next Enter scans the new text
          // The editor did not take the replacement: send nothing rather than what it holds.
          tracker.refuse(text);
          guard.settle();
          await askUser({ ...unavailableVerdict(), source: "editor", message: notice.t("replace_failed_message") }, "submit", composer);
          return;
        }
        tracker.clear(sentText);
        guard.settle();
        resend();
      };
      if (verdict.decision === "allow") return sendNow(text, false);
      if (verdict.decision === "redact") {
        tracker.refuse(text);
        await editor.replaceText(composer, verdict.redacted);
        highlightPlaceholders(composer, verdict.redacted, verdict.redactedMarks);
        report(verdict, "accepted_redaction");
        return sendNow(verdict.redacted);
      }
      const choice = await askUser(verdict, "submit", composer);
      if (choice.action === "paste-redacted") {
        tracker.refuse(text);
        await editor.replaceText(composer, verdict.redacted);
        report(verdict, "accepted_redaction");
        return sendNow(verdict.redacted);
      }
      if (choice.action === "paste-anyway") {
        const sent = verdict.overrideText ?? text;
        if (sent !== text) await editor.replaceText(composer, sent);
        tracker.clear(text);
        report(verdict, "overrode", choice.justification);
        return sendNow(sent, sent !== text);
      }
      if (verdict.decision === "warn") report(verdict, "cancelled");
      tracker.refuse(text);
      guard.settle();
      editor.restoreSelection(composer, null);
    } finally {
      submitting = false;
    }
  }

  /** The composer's text when it needs a scan before leaving, else null. */
  function textNeedingScan(composer) {
    const text = editor.readText(composer);
    if (!text.trim() || tracker.isCleared(text)) return null;
    return text;
  }

  /** A send of uncleared text: stop the site's own handling and scan first; `resend` sends once cleared. */
  function holdForScan(event, composer, resend) {
    const text = textNeedingScan(composer);
    if (text === null) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!submitting) submitFlow(composer, text, resend);
  }

  function onKeydown(event) {
    if (!event.isTrusted || event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    const composer = sites.composerOf(event.target, adapter);
    if (!composer) return;
    const init = { key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true, cancelable: true, composed: true, ctrlKey: event.ctrlKey, metaKey: event.metaKey };
    holdForScan(event, composer, () => {
      const button = sites.findSendButton(document, adapter);
      if (button && !button.disabled && button.getAttribute("aria-disabled") !== "true") button.click();
      else composer.dispatchEvent(new KeyboardEvent("keydown", init));
    });
  }

  function onClick(event) {
    if (!event.isTrusted) return;
    const control = sites.sendControlOf(event.target, adapter);
    if (!control) return;
    const composer = sites.findComposer(document, adapter);
    if (!composer) return;
    holdForScan(event, composer, () => control.click());
  }

  function onSubmit(event) {
    if (!event.isTrusted) return;
    const form = event.target;
    const composer = form && form.querySelector ? sites.findComposer(form, adapter) : null;
    if (!composer) return;
    const submitter = event.submitter || null;
    holdForScan(event, composer, () => form.requestSubmit(submitter && submitter.form === form ? submitter : undefined));
  }

  // ------------------------------------------------------------------------------ the network guard

  function onComposerInput(event) {
    const composer = sites.composerOf(event.target, adapter);
    if (!composer) return;
    // textContent: no layout; the tracker ignores whitespace, so paragraph breaks do not matter.
    tracker.observe(composer.tagName === "TEXTAREA" || composer.tagName === "INPUT" ? composer.value : composer.textContent);
    guard.settle();
  }

  const scanning = new Set(); // keys of held texts being scanned

  /** A request carrying uncleared text is held: scan that text now (channel "network"). */
  async function scanHeld(keys) {
    const fresh = keys.filter((key) => !scanning.has(key));
    if (!fresh.length) {
      guard.settle();
      return;
    }
    for (const key of fresh) scanning.add(key);
    try {
      const composer = sites.findComposer(document, adapter);
      const current = composer ? editor.readText(composer) : "";
      // Scan the composer's text when it holds every held version (the usual case): the agent sees
      // real line breaks. Otherwise scan the held versions themselves.
      const text = fresh.every((key) => ns.normaliseForGuard(current).includes(key)) ? current : fresh.join("\n");
      const verdict = await scan("network", text);
      if (verdict.decision === "allow") tracker.clearKeys(fresh.concat(ns.normaliseForGuard(text)));
      else tracker.flag(fresh); // held until the user decides at submit, or edits the text away
    } finally {
      for (const key of fresh) scanning.delete(key);
      guard.settle();
    }
  }

  life.listen(window, "paste", onPaste, true);
  life.listen(window, "drop", onDrop, true);
  life.listen(window, "keydown", onKeydown, true);
  life.listen(window, "click", onClick, true);
  life.listen(window, "submit", onSubmit, true);
  life.listen(window, "input", onFileInput, true);
  life.listen(window, "change", onFileInput, true);
  life.listen(window, "input", onComposerInput, true);
  // Listening now: an orphan of the previous extension version in this page may stand down.
  life.announce();
})(globalThis);
