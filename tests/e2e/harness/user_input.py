"""Real user input: trusted paste through the clipboard and Control+V, typing, clicking.

A ClipboardEvent a page script dispatches is untrusted and proves nothing about the extension, so text
goes into the browser's clipboard (the origin holds clipboard-write) and the paste comes from a real key
press that Chromium turns into its own trusted paste event.
"""

from __future__ import annotations


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
