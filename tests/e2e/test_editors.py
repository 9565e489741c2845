"""Inserting redacted text keeps each editor's own state right: ProseMirror (chatgpt.com, claude.ai),
Quill (gemini.google.com) and a textarea (copilot.microsoft.com). The editor's model holds the text
(read through the editor instance, not the DOM), undo takes the insertion back, the send control
enables, and what the site sends is the redacted text."""

import pytest

from .harness import sites
from .harness.user_input import open_site, paste, paste_at_caret, send_enabled, wait_for_editor_text
from .texts import CLEAN, EMAIL, WITH_EMAIL, WITH_EMAIL_REDACTED

pytestmark = pytest.mark.e2e

EDITOR_SITES = [sites.CHATGPT, sites.CLAUDE, sites.GEMINI, sites.COPILOT]


@pytest.mark.parametrize("site", EDITOR_SITES, ids=lambda s: f"{s.editor}@{s.host}")
def test_redacted_paste_lives_in_the_editor_state_and_undo_takes_it_back(browser, page, site):
    open_site(page, site)
    paste(page, site.composer, WITH_EMAIL)
    wait_for_editor_text(page, WITH_EMAIL_REDACTED)
    assert send_enabled(page, site.send)

    page.keyboard.press("Control+z")
    wait_for_editor_text(page, "")
    assert not send_enabled(page, site.send)


@pytest.mark.parametrize("site", EDITOR_SITES, ids=lambda s: f"{s.editor}@{s.host}")
def test_redacted_paste_is_what_the_site_sends(browser, page, site):
    open_site(page, site)
    paste(page, site.composer, WITH_EMAIL)
    wait_for_editor_text(page, WITH_EMAIL_REDACTED)
    page.locator(site.send).click()
    browser.recorder.wait_for(lambda c: c.host == site.host and c.prompt == WITH_EMAIL_REDACTED,
                              what=f"the redacted prompt on {site.host}")
    assert not any(EMAIL in call.body for call in browser.recorder.calls())


@pytest.mark.parametrize("site", EDITOR_SITES, ids=lambda s: f"{s.editor}@{s.host}")
def test_clean_paste_after_typed_text_lands_at_the_caret(browser, page, site):
    open_site(page, site)
    page.locator(site.composer).click()
    page.keyboard.type("Context: ")
    paste_at_caret(page, CLEAN)
    wait_for_editor_text(page, "Context: " + CLEAN)
    page.keyboard.press("Enter")
    browser.recorder.wait_for(lambda c: c.host == site.host and c.prompt == "Context: " + CLEAN,
                              what=f"the prompt on {site.host}")
