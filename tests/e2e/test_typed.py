"""Typed text: held at submit (Enter, the send button), and ChatGPT's typing-time "prepare" call held
by the MAIN-world network guard until the text is cleared, and never sent if the user cancels."""

import pytest

from .harness import sites
from .harness.page_state import page_calls, sentinel_round_trip, wait_for_page_call
from .harness.user_input import editor_text, open_site, type_text, wait_for_editor_text
from .texts import AWS_KEY, MARKED, MARKED_BODY

pytestmark = pytest.mark.e2e

AGENT_POLICY = {"user_override": {"allow_warn_override": True, "justification_required": False}}
TYPED_SECRET = f"the key is {AWS_KEY}"


def prepare_calls_recorded(recorder, containing):
    return [c for c in recorder.calls(sites.CHATGPT.host, sites.CHATGPT_PREPARE) if containing in c.body]


@pytest.mark.parametrize("submit_with", ["Enter", "send button"])
@pytest.mark.parametrize("site", [sites.CHATGPT, sites.CLAUDE, sites.COPILOT], ids=lambda s: s.host)
def test_when_a_secret_is_typed_then_submit_is_held(browser, page, ui, site, submit_with):
    open_site(page, site)
    type_text(page, site.composer, TYPED_SECRET)
    wait_for_editor_text(page, TYPED_SECRET)
    if submit_with == "Enter":
        page.keyboard.press("Enter")
    else:
        page.locator(site.send).click()
    notice = ui.wait_for_notice("block")
    assert AWS_KEY not in ui.markup(notice)
    assert page.evaluate("() => window.__fixture.sends") == 0, "the site's own send handler ran"
    sentinel_round_trip(page, browser.recorder, f"held-{site.host}-{submit_with}")
    assert not any(AWS_KEY in call.body for call in browser.recorder.calls())
    # The text stays in the composer for the user to fix.
    assert editor_text(page) == TYPED_SECRET


def test_when_typed_text_is_uncleared_then_prepare_is_held_until_the_user_clears_it(browser, page, ui):
    site = sites.CHATGPT
    open_site(page, site)
    type_text(page, site.composer, MARKED)
    wait_for_page_call(page, sites.CHATGPT_PREPARE, MARKED_BODY)
    page.keyboard.press("Enter")
    ui.wait_for_notice("warn")
    sentinel_round_trip(page, browser.recorder, "prepare-held")
    assert prepare_calls_recorded(browser.recorder, MARKED_BODY) == [], "prepare went out before the user decided"
    held = [c for c in page_calls(page, sites.CHATGPT_PREPARE) if MARKED_BODY in (c["prompt"] or "")]
    assert held and all(c["state"] == "pending" for c in held)

    ui.click_action("paste-anyway")
    # Cleared: the held prepare call is released, and the message itself is sent.
    browser.recorder.wait_for(lambda c: c.path == sites.CHATGPT_PREPARE and MARKED_BODY in c.body,
                              what="the released prepare call")
    browser.recorder.wait_for(lambda c: c.path == site.api and c.prompt == MARKED, what="the sent message")


def test_when_the_user_cancels_then_the_held_prepare_never_goes(browser, page, ui):
    site = sites.CHATGPT
    open_site(page, site)
    type_text(page, site.composer, TYPED_SECRET)
    wait_for_page_call(page, sites.CHATGPT_PREPARE, AWS_KEY)
    page.keyboard.press("Enter")
    ui.wait_for_notice("block")
    ui.click_action("dismiss" if "dismiss" in ui.actions() else "cancel")
    ui.wait_gone(data_pf="notice")
    # The user fixes the text; the clean draft's prepare goes, the secret's never does.
    page.keyboard.press("Control+a")
    page.keyboard.type("how do I rotate an access key?")
    browser.recorder.wait_for(lambda c: c.path == sites.CHATGPT_PREPARE and "rotate an access key" in c.body,
                              what="the clean prepare call")
    sentinel_round_trip(page, browser.recorder, "prepare-cancelled")
    assert prepare_calls_recorded(browser.recorder, AWS_KEY) == []
    secret_calls = [c for c in page_calls(page, sites.CHATGPT_PREPARE) if AWS_KEY in (c["prompt"] or "")]
    assert secret_calls and all(c["state"] in ("pending", "failed") for c in secret_calls)
