"""Paste on chatgpt.com through the whole chain: trusted Control+V, the content script, the service
worker, the native host, the real daemon, and back into the real ProseMirror editor."""

import pytest

from .harness import sites
from .harness.agent_process import agent_files_bytes, wait_for_outbox_event
from .harness.user_input import editor_text, open_site, paste, send_enabled, type_text, wait_for_editor_text
from .texts import AWS_KEY, CLEAN, EMAIL, MARKED, MARKED_BODY, WITH_AWS_KEY, WITH_EMAIL, WITH_EMAIL_REDACTED

pytestmark = pytest.mark.e2e

AGENT_POLICY = {"user_override": {"allow_warn_override": True, "justification_required": True}}
SITE = sites.CHATGPT


def send_and_wait(page, recorder, expected_prompt):
    page.locator(SITE.send).click()
    return recorder.wait_for(lambda c: c.path == SITE.api and c.prompt == expected_prompt,
                             what=f"the send call with {expected_prompt!r}")


def test_when_clean_text_is_pasted_then_it_goes_in_untouched_and_is_sent(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, CLEAN)
    wait_for_editor_text(page, CLEAN)
    assert ui.find(data_pf="notice") is None, "allow must be silent"
    assert send_enabled(page, SITE.send)
    send_and_wait(page, browser.recorder, CLEAN)


def test_when_an_aws_key_is_pasted_then_nothing_is_inserted_and_nothing_reaches_the_api(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, WITH_AWS_KEY)
    notice = ui.wait_for_notice("block")
    assert notice.attrs.get("role") == "alertdialog"
    assert AWS_KEY not in ui.markup(notice), "the notice must name types, never the value"
    assert editor_text(page) == ""
    assert not send_enabled(page, SITE.send)

    ui.click_action("dismiss" if "dismiss" in ui.actions() else "cancel")
    ui.wait_gone(data_pf="notice")
    # The page still works: a clean message goes out, and the key never went anywhere before it.
    type_text(page, SITE.composer, "Which IAM policy lets a CI job read one S3 bucket?")
    send_and_wait(page, browser.recorder, "Which IAM policy lets a CI job read one S3 bucket?")
    assert not any(AWS_KEY in call.body for call in browser.recorder.calls())


def test_when_an_email_is_pasted_then_the_placeholder_is_inserted_and_sent(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, WITH_EMAIL)
    wait_for_editor_text(page, WITH_EMAIL_REDACTED)
    assert send_enabled(page, SITE.send)
    send_and_wait(page, browser.recorder, WITH_EMAIL_REDACTED)
    assert not any(EMAIL in call.body for call in browser.recorder.calls())


def test_when_a_warning_is_overridden_with_a_justification_then_the_agent_records_the_user_action(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, MARKED)
    notice = ui.wait_for_notice("warn")
    assert {"paste-anyway", "cancel"} <= set(ui.actions())
    assert MARKED_BODY not in ui.text(notice)

    justification = "The board asked for this summary"
    ui.type_justification(justification)
    ui.click_action("paste-anyway")
    wait_for_editor_text(page, MARKED)

    event = wait_for_outbox_event(browser.home, lambda e: e.get("user_action") == "overrode")
    assert event["site"] == SITE.host
    assert event["decision"] == "warn"
    assert event["justification"] == justification
    # Anonymised by construction: neither the text nor any part of it is anywhere the agent writes.
    assert MARKED_BODY.encode() not in agent_files_bytes(browser.home)
    send_and_wait(page, browser.recorder, MARKED)


def test_when_a_warning_is_cancelled_then_nothing_is_inserted_and_the_agent_records_it(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, MARKED)
    ui.wait_for_notice("warn")
    ui.click_action("cancel")
    ui.wait_gone(data_pf="notice")
    assert editor_text(page) == ""
    wait_for_outbox_event(browser.home, lambda e: e.get("user_action") == "cancelled")


def test_when_a_notice_opens_then_the_keyboard_drives_it(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, MARKED)
    ui.wait_for_notice("warn")
    # Focus is on the first action; Escape cancels.
    page.keyboard.press("Escape")
    ui.wait_gone(data_pf="notice")
    assert editor_text(page) == ""


def test_the_notice_lives_in_a_closed_shadow_root(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, WITH_AWS_KEY)
    ui.wait_for_notice("block")
    hosts = ui.hosts()
    assert hosts and all(h["shadow_root_types"] == ["closed"] for h in hosts)
    # Page scripts cannot reach into it.
    assert page.evaluate("() => [...document.querySelectorAll('promptfence-ui')].every(e => e.shadowRoot === null)")


# Where every element of the page is, and how far the document scrolls (the extension's own hosts aside).
PAGE_GEOMETRY = """() => ({
  boxes: [document.body, ...document.body.querySelectorAll('*')]
    .filter((e) => !e.closest('promptfence-ui'))
    .map((e) => { const r = e.getBoundingClientRect(); return [e.tagName, r.x, r.y, r.width, r.height]; }),
  scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
})"""


def test_the_notice_does_not_move_the_page(browser, page, ui):
    open_site(page, SITE)
    before = page.evaluate(PAGE_GEOMETRY)
    paste(page, SITE.composer, WITH_AWS_KEY)
    ui.wait_for_notice("block")
    during = page.evaluate(PAGE_GEOMETRY)
    assert during["scroll"] == before["scroll"]
    assert during["boxes"] == before["boxes"]
