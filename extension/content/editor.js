// Reading from and writing into the site's editor so that the editor's own state stays right.
//
// Rich editors (ProseMirror on ChatGPT and Claude, Quill on Gemini) keep a model of the document and
// rebuild the DOM from it; writing the DOM behind their back is undone on the next render and breaks
// undo. document.execCommand("insertText") edits the way typing does: the browser fires beforeinput
// and input, the editors read the change into their model, the native undo stack records it, and
// React-controlled textareas see an input event. Where execCommand is refused, a synthetic paste event
// carrying the text lets the editor's own paste handler insert it (our listeners ignore untrusted
// events, so it reaches the editor), and a textarea gets its value through the native setter.

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

  function restoreSelection(el, saved) {
    el.focus({ preventScroll: true });
    if (!saved) return;
    if (isTextControl(el)) {
      const length = el.value.length;
      el.setSelectionRange(Math.min(saved.start, length), Math.min(saved.end, length));
      return;
    }
    if (saved.range && el.contains(saved.range.commonAncestorContainer)) {
      const selection = el.ownerDocument.getSelection();
      selection.removeAllRanges();
      selection.addRange(saved.range);
    }
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

  /** Insert text at the saved selection (or the caret). Returns how it was inserted. */
  function insertText(el, text, saved) {
    restoreSelection(el, saved);
    if (!text) return "nothing";
    const doc = el.ownerDocument;
    if (isTextControl(el)) {
      const before = el.value;
      if (doc.execCommand("insertText", false, text) && el.value !== before) return "execCommand";
      setValueNatively(el, text);
      return "setter";
    }
    const before = el.textContent;
    if (doc.execCommand("insertText", false, text) && el.textContent !== before) return "execCommand";
    if (dispatchPaste(el, text)) return "paste-event";
    return "failed";
  }

  /** Replace the editor's whole content (submit: send the redacted text instead). */
  function replaceText(el, text) {
    selectAll(el);
    const doc = el.ownerDocument;
    if (isTextControl(el)) {
      if (doc.execCommand("insertText", false, text) && el.value === text) return "execCommand";
      el.setSelectionRange(0, el.value.length);
      setValueNatively(el, text);
      return "setter";
    }
    if (doc.execCommand("insertText", false, text)) return "execCommand";
    return dispatchPaste(el, text) ? "paste-event" : "failed";
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
