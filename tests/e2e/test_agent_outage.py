"""The daemon dies mid-session (SIGKILL, as a crash): the extension falls back per site to the policy's
fail mode (chatgpt.com: the built-in JavaScript rules; claude.ai: block), shows itself degraded, and is
protected again once the daemon is back."""

import pytest

from .harness import sites
from .harness.shadow_ui import InlineUI
from .harness.user_input import editor_text, open_site, paste, wait_for_editor_text
from .texts import AWS_KEY, CLEAN, WITH_AWS_KEY

pytestmark = pytest.mark.e2e

AGENT_POLICY = {
    "policy_version": "e2e-outage-1",
    "fail_mode": {"default": "builtin", "sites": {"claude.ai": "block"}},
}
# Falling back waits for the failed connect or the request timeout; allow for both on slow cores.
FALLBACK_TIMEOUT_S = 45.0


def test_when_the_agent_dies_then_the_fail_modes_apply_and_protection_returns(browser, agent):
    browser.wait_for_state("protected")
    # The policy reached the extension before the outage: it is what tells it claude.ai fails closed.
    popup = browser.popup()
    popup.wait_for_text("e2e-outage-1")
    popup.close()

    # Kill it and keep it down even if the native host tries to start a new one: we hold its lock.
    lock = browser.home.take_down()
    try:

        page = browser.context.new_page()
        ui = InlineUI(page)

        # chatgpt.com, fail mode "builtin": the shared rules in JavaScript still block the key...
        open_site(page, sites.CHATGPT)
        paste(page, sites.CHATGPT.composer, WITH_AWS_KEY)
        notice = ui.wait_for_notice("block", timeout=FALLBACK_TIMEOUT_S)
        assert AWS_KEY not in ui.markup(notice)
        assert editor_text(page) == ""
        browser.wait_for_state("degraded")

        # ... and let clean text through.
        open_site(page, sites.CHATGPT)
        paste(page, sites.CHATGPT.composer, CLEAN)
        wait_for_editor_text(page, CLEAN, timeout_ms=FALLBACK_TIMEOUT_S * 1000)

        # claude.ai, fail mode "block": even clean text is refused while the agent is away.
        open_site(page, sites.CLAUDE)
        paste(page, sites.CLAUDE.composer, CLEAN)
        ui.wait_for_notice("block", timeout=FALLBACK_TIMEOUT_S)
        assert editor_text(page) == ""
        page.close()
    finally:
        lock.release()

    # Recovery: the daemon comes back, the extension reconnects, claude.ai takes clean text again.
    agent.start()
    browser.wait_for_state("protected", timeout=FALLBACK_TIMEOUT_S)
    page = browser.context.new_page()
    open_site(page, sites.CLAUDE)
    paste(page, sites.CLAUDE.composer, CLEAN)
    wait_for_editor_text(page, CLEAN)
    page.close()
