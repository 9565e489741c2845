"""What a fixture page itself knows about its API calls: each call it started and whether it settled.

Telling "held by the network guard" from "sent" needs both sides: the page started the call (its own
log says so), a later call from the same page reached the server (the network path is open), and the
server has still not seen the first one.
"""

from __future__ import annotations


def page_calls(page, path: str | None = None) -> list[dict]:
    calls = page.evaluate("() => window.__fixture.calls.map(c => ({...c}))")
    return [c for c in calls if path is None or c["path"] == path]


def wait_for_page_call(page, path: str, containing: str, timeout_ms: float = 15_000) -> None:
    """Wait until the page has started a call to `path` whose prompt contains `containing`."""
    page.wait_for_function(
        "([path, needle]) => window.__fixture.calls.some(c => c.path === path && (c.prompt || '').includes(needle))",
        arg=[path, containing], timeout=timeout_ms,
    )


def sentinel_round_trip(page, recorder, marker: str) -> None:
    """The page makes a clean call and we wait until the server has it: proof that anything the page
    started earlier and that was let go has had its chance to arrive."""
    page.evaluate(
        "marker => fetch('/__sentinel', {method: 'POST', body: JSON.stringify({marker})}).then(r => r.status)",
        marker,
    )
    recorder.wait_for(lambda c: c.path == "/__sentinel" and marker in c.body, what=f"sentinel {marker}")
