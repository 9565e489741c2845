"""Real user input: trusted paste through the clipboard and Control+V, typing, clicking, dropping text,
choosing files.

A ClipboardEvent a page script dispatches is untrusted and proves nothing about the extension, so text
goes into the browser's clipboard (the origin holds clipboard-write) and the paste comes from a real key
press that Chromium turns into its own trusted paste event. The same holds for the other channels: a drop
goes through the DevTools protocol's Input.dispatchDragEvent, which Chromium delivers as the user's own
drag (page.dispatch_event would be untrusted), and files are chosen with DOM.setFileInputFiles (Playwright's
set_input_files given paths), which fires trusted input and change events as the file dialog does.
"""

from __future__ import annotations

from pathlib import Path

DRAG_OPERATION_COPY = 1  # Input.DragData.dragOperationsMask: what the drag source allows


def set_clipboard(page, text: str) -> None:
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    # Read it back so a failed write cannot pass as an empty paste.
    got_length = page.evaluate("() => navigator.clipboard.readText().then(t => t.length)")
    assert got_length == len(text), "the clipboard did not take the text"


def focus(page, selector: str) -> None:
    """Click into the composer like a user, so the caret is where a user's would be."""
    page.locator(selector).click()


def paste(page, selector: str, text: str) -> None:
    """Click into the composer and paste `text`."""
    set_clipboard(page, text)
    focus(page, selector)
    page.keyboard.press("Control+v")


def paste_at_caret(page, text: str) -> None:
    """Paste where the caret already is (no click that would move it)."""
    set_clipboard(page, text)
    page.keyboard.press("Control+v")


def type_text(page, selector: str, text: str) -> None:
    focus(page, selector)
    page.keyboard.type(text)


def editor_text(page) -> str:
    """The composer's text as its editor library holds it (the fixture exposes it)."""
    return page.evaluate("() => window.__editorText()")


def wait_for_editor_text(page, expected: str, timeout_ms: float = 15_000) -> None:
    page.wait_for_function("expected => window.__editorText() === expected", arg=expected, timeout=timeout_ms)


def send_enabled(page, selector: str) -> bool:
    return page.locator(selector).is_enabled()


def open_site(page, site) -> None:
    """Load a fixture site (a sites.FixtureSite) and wait until its editor is up."""
    page.goto(site.url)
    page.wait_for_function("() => typeof window.__editorText === 'function'")


def _drop(page, selector: str, data: dict) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not on screen"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    try:
        for kind in ("dragEnter", "dragOver", "drop"):
            cdp.send("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})
    finally:
        cdp.detach()


def drop_text(page, selector: str, text: str) -> None:
    """Drag `text` (as from another window) over the middle of the element and drop it there."""
    _drop(page, selector, {"items": [{"mimeType": "text/plain", "data": text}], "dragOperationsMask": DRAG_OPERATION_COPY})


def drop_files(page, selector: str, paths: list[Path]) -> None:
    """Drag files on disk (as from the file manager) over the middle of the element and drop them."""
    assert all(isinstance(path, Path) and path.is_file() for path in paths), "files on disk only"
    _drop(page, selector, {"items": [], "files": [str(path) for path in paths], "dragOperationsMask": DRAG_OPERATION_COPY})


def choose_files(page, selector: str, paths: list[Path]) -> None:
    """Choose files on disk in a file input, as the file dialog would.

    Paths only: Playwright sets files given as paths through DOM.setFileInputFiles (trusted events), but
    files given as in-memory payloads from a page script (untrusted events the extension ignores)."""
    assert all(isinstance(path, Path) and path.is_file() for path in paths), "files on disk only"
    page.locator(selector).set_input_files([str(path) for path in paths])


def files_chosen(page) -> list[list[str]]:
    """The names of the files each `change` of a file input handed the page (the fixture's own log)."""
    return page.evaluate("() => window.__fixture.filesChosen.map(names => [...names])")


def files_dropped(page) -> list[list[str]]:
    """The names of the files each drop handed the page (the fixture's own log)."""
    return page.evaluate("() => window.__fixture.filesDropped.map(names => [...names])")


def file_input_names(page, selector: str) -> list[str]:
    """The files the input holds now."""
    return page.locator(selector).evaluate("input => Array.from(input.files, file => file.name)")
