"""The extension's own pages, as a user opens them: the popup in a tab, read through its data-pf-*
attributes (state, policy version, last decisions)."""

from __future__ import annotations

import time

POLL_SECONDS = 0.1


def popup_url(ext_id: str) -> str:
    return f"chrome-extension://{ext_id}/popup/popup.html"


class Popup:
    def __init__(self, context, ext_id: str):
        self.page = context.new_page()
        self.url = popup_url(ext_id)
        self.page.goto(self.url)

    def state(self) -> str | None:
        locator = self.page.locator("[data-pf-state]")
        locator.first.wait_for(state="attached")
        return locator.first.get_attribute("data-pf-state")

    def text(self) -> str:
        return self.page.locator("body").inner_text()

    def wait_for_state(self, expected: str, timeout: float = 20.0) -> None:
        """Reopen the popup until it shows `expected` (a popup renders once, as a real one does)."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.state()
            if current == expected:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"popup state stayed {current!r}, expected {expected!r}; it shows: {self.text()!r}")
            self.page.wait_for_timeout(POLL_SECONDS * 1000)
            self.page.reload()

    def wait_for_text(self, needle: str, timeout: float = 20.0) -> None:
        """Reopen the popup until its text contains `needle`."""
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"the popup never showed {needle!r}; it shows: {self.text()!r}")
            self.page.wait_for_timeout(POLL_SECONDS * 1000)
            self.page.reload()

    def close(self) -> None:
        self.page.close()
