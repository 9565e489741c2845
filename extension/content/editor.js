// Reading from and writing into the site's editor so that the editor's own state stays right.
//
// Rich editors (ProseMirror on ChatGPT and Claude, Quill on Gemini) keep a model of the document and
// rebuild the DOM from it; writing the DOM behind their back is undone on the next render and breaks
// undo. Two ways respect that:
//   - a synthetic paste event carrying the text: the editor's own paste handler inserts it as one
//     transaction (one undo step), exactly as for the user's paste. Our listeners ignore untrusted
//     events, so it reaches the editor. First choice for rich editors: Chrome's execCommand inserts a
//     multi-line text line by line, about 5 s for 100 KB, against 0.15 s (ProseMirror) and 0.5 s (Quill)
//     through the paste handler (measured in the e2e fixtures).
//   - document.execCommand("insertText"): edits the way typing does (beforeinput/input fire, the native
//     undo stack records it, React sees an input event). First choice for textareas up to a few dozen
//     lines; for longer texts, and wherever execCommand is refused, the prototype's value setter plus an
//     input event (fast, but the browser's undo does not cover it).

(function (root) {
  "use strict";
  const ns = (root.promptfence = root.promptfence || {});
  const { editorKind } = ns.sites;

  function isTextControl(el) {
    const kind = editorKind(el);
    return kind === "textarea" || kind === "input";
  }

  /** The editor's text as the user sees it (lines kept). */
  function readText(el) {
    if (isTextControl(el)) return el.value;
    // innerText keeps paragraph breaks as newlines; Quill's empty line is a lone "\n".
    const text = typeof el.innerText === "string" ? el.innerText : el.textContent || "";
    return text.replace(/\n$/, "");
  }

  /** Where the caret or selection is, to restore it after a notice took the focus. */
  function captureSelection(el) {
    if (isTextControl(el)) return { start: el.selectionStart, end: el.selectionEnd };
    const selection = el.ownerDocument.getSelection();
    if (selection && selection.rangeCount && el.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      return { range: selection.getRangeAt(0).cloneRange() };
    }
    return null;
  }

  /** Focus the editor and put the selection back; true when a rich editor's selection was set anew. */
  function restoreSelection(el, saved) {
    el.focus({ preventScroll: true });
    if (!saved) return false;
    if (isTextControl(el)) {
      const length = el.value.length;
      el.setSelectionRange(Math.min(saved.start, length), Math.min(saved.end, length));
      return false;
    }
    if (!saved.range || !el.contains(saved.range.commonAncestorContainer)) return false;
    const selection = el.ownerDocument.getSelection();
    if (selection.rangeCount) {
      const current = selection.getRangeAt(0);
      const same = current.startContainer === saved.range.startContainer && current.startOffset === saved.range.startOffset &&
        current.endContainer === saved.range.endContainer && current.endOffset === saved.range.endOffset;
      if (same) return false;
    }
    selection.removeAllRanges();
    selection.addRange(saved.range);
    return true;
  }

  function selectAll(el) {
    el.focus({ preventScroll: true });
    if (isTextControl(el)) {
      el.setSelectionRange(0, el.value.length);
      return;
    }
    const range = el.ownerDocument.createRange();
    range.selectNodeContents(el);
    const selection = el.ownerDocument.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setValueNatively(el, text) {
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? el.value.length;
    const next = el.value.slice(0, start) + text + el.value.slice(end);
    // React tracks the value through the prototype's setter; setting el.value directly would be
    // swallowed by its value tracker and no onChange would fire.
    const proto = el.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(el, next);
    el.setSelectionRange(start + text.length, start + text.length);
    el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste", data: text }));
  }

  function dispatchPaste(el, text) {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true, composed: true });
    el.dispatchEvent(event);
    return event.defaultPrevented; // the editor took it
  }

  const EXEC_COMMAND_MAX_LINES = 40; // beyond this execCommand gets slow (about 1.5 ms per line)

  function lineCount(text) {
    let lines = 1;
    for (let at = text.indexOf("\n"); at !== -1 && lines <= EXEC_COMMAND_MAX_LINES; at = text.indexOf("\n", at + 1)) lines++;
    return lines;
  }

  function insertIntoTextControl(el, text) {
    if (lineCount(text) <= EXEC_COMMAND_MAX_LINES) {
      const before = el.value;
      if (el.ownerDocument.execCommand("insertText", false, text) && el.value !== before) return "execCommand";
    }
    setValueNatively(el, text);
    return "setter";
  }

  // ProseMirror and Quill learn of a selection set from script on the next selectionchange event; a paste
  // dispatched before that would land at their old selection.
  function selectionSettled(doc) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        doc.removeEventListener("selectionchange", done);
        resolve();
      };
      const timer = setTimeout(done, 50);
      doc.addEventListener("selectionchange", done);
    });
  }

  async function insertIntoRichEditor(el, text, selectionMoved) {
    if (selectionMoved) await selectionSettled(el.ownerDocument);
    if (dispatchPaste(el, text)) return "paste-event";
    // No paste handler took it (a plain contenteditable): let the browser edit.
    const before = el.textContent;
    if (el.ownerDocument.execCommand("insertText", false, text) && el.textContent !== before) return "execCommand";
    return "failed";
  }

  /** Insert text at the saved selection (or the caret). Resolves with how it was inserted. */
  async function insertText(el, text, saved) {
    const moved = restoreSelection(el, saved);
    if (!text) return "nothing";
    return isTextControl(el) ? insertIntoTextControl(el, text) : insertIntoRichEditor(el, text, moved);
  }

  /** Replace the editor's whole content (submit: send the redacted text instead). */
  async function replaceText(el, text) {
    selectAll(el);
    if (isTextControl(el)) return insertIntoTextControl(el, text);
    // A composer's text is short as a rule: execCommand replaces the selection the editor sees now.
    if (lineCount(text) <= EXEC_COMMAND_MAX_LINES && el.ownerDocument.execCommand("insertText", false, text)) return "execCommand";
    return insertIntoRichEditor(el, text, true);
  }

  /** Re-send files the user pasted or dropped, once checked, through a synthetic event. */
  function redispatchFiles(target, type, files, point) {
    const data = new DataTransfer();
    for (const file of files) data.items.add(file);
    if (type === "paste") {
      target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    } else {
      const init = { dataTransfer: data, bubbles: true, cancelable: true, composed: true, clientX: point?.x ?? 0, clientY: point?.y ?? 0 };
      target.dispatchEvent(new DragEvent("dragenter", init));
      target.dispatchEvent(new DragEvent("dragover", init));
      target.dispatchEvent(new DragEvent("drop", init));
    }
  }

  /** Put the caret where a drop happened, so dropped text lands there. */
  function caretAtPoint(el, x, y) {
    const doc = el.ownerDocument;
    if (isTextControl(el)) return null;
    const range = doc.caretRangeFromPoint ? doc.caretRangeFromPoint(x, y) : null;
    if (range && el.contains(range.startContainer)) return { range };
    const position = doc.caretPositionFromPoint ? doc.caretPositionFromPoint(x, y) : null;
    if (position && el.contains(position.offsetNode)) {
      const r = doc.createRange();
      r.setStart(position.offsetNode, position.offset);
      return { range: r };
    }
    return null;
  }

  /** Placeholders' boxes on screen (contenteditable only), to highlight them for a moment. */
  function placeholderRects(el, placeholders) {
    if (isTextControl(el) || !placeholders.length) return [];
    const doc = el.ownerDocument;
    const wanted = new Set(placeholders);
    const rects = [];
    const walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const placeholder of wanted) {
        let at = node.data.indexOf(placeholder);
        while (at !== -1 && rects.length < 200) {
          const range = doc.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + placeholder.length);
          for (const rect of range.getClientRects()) rects.push({ left: rect.left, top: rect.top, width: rect.width, height: rect.height });
          at = node.data.indexOf(placeholder, at + placeholder.length);
        }
      }
    }
    return rects;
  }

  ns.editor = { readText, captureSelection, restoreSelection, insertText, replaceText, redispatchFiles, caretAtPoint, placeholderRects };
})(globalThis);
