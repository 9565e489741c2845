"""An extension update under an open page: the extension reloads (chrome.runtime.reload, as an update
does), the service worker injects its content scripts into the open tab, the orphaned instance stands
down, and the same tab keeps working without a page reload — pastes are scanned, not refused with
"reload the page"."""

import json

import pytest

from .conftest import BrowserUnderTest
from .harness import browser as browser_mod
from .harness import sites
from .harness.user_input import editor_text, open_site, paste, wait_for_editor_text
from .texts import AWS_KEY, CLEAN, WITH_AWS_KEY

pytestmark = pytest.mark.e2e

SITE = sites.CHATGPT
RELOAD_TIMEOUT_MS = 30_000


def enable_developer_mode(profile) -> None:
    """Chromium keeps an unpacked extension disabled after it reloads itself unless developer mode is on
    (it is, for anyone who loads one by hand); the command-line load alone does not need it."""
    preferences = profile / "Default" / "Preferences"
    preferences.parent.mkdir(parents=True, exist_ok=True)
    preferences.write_text(json.dumps({"extensions": {"ui": {"developer_mode": True}}}))


@pytest.fixture(scope="module")
def browser(playwright, site_server, extension_dir, agent_home, agent, tmp_path_factory):
    """conftest's browser, in a profile with developer mode on."""
    ext_id = browser_mod.extension_id()
    profile = tmp_path_factory.mktemp("chromium-profile")
    enable_developer_mode(profile)
    browser_mod.register_native_host(profile, ext_id)
    context = browser_mod.launch(playwright, profile, site_server.port, extension=extension_dir, env=agent_home.env())
    under_test = BrowserUnderTest(context, ext_id, site_server, agent_home)
    assert under_test.service_worker().url.split("/")[2] == ext_id
    yield under_test
    context.close()


def reload_extension(browser, page) -> None:
    """Reload the extension from its service worker and wait until the new content script has announced
    itself in the page (a page-world listener sees the takeover event: the worlds share the DOM)."""
    page.evaluate("""() => {
        window.__pfTakeovers = 0;
        document.addEventListener("promptfence-takeover", () => { window.__pfTakeovers++; }, true);
    }""")
    worker = browser.service_worker()
    with browser.context.expect_event("serviceworker", timeout=RELOAD_TIMEOUT_MS):
        # Deferred, so the evaluation returns before the worker it runs in goes away.
        worker.evaluate("() => { setTimeout(() => chrome.runtime.reload(), 0); }")
    page.wait_for_function("() => window.__pfTakeovers > 0", timeout=RELOAD_TIMEOUT_MS)


def test_when_the_extension_reloads_under_an_open_page_then_the_same_tab_is_still_guarded(browser, page, ui):
    open_site(page, SITE)
    paste(page, SITE.composer, CLEAN)
    wait_for_editor_text(page, CLEAN)

    reload_extension(browser, page)

    # A key is scanned by the new instance (the agent's words, its finding types), not refused by the
    # orphan with "reload the page".
    page.locator(SITE.composer).click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    paste(page, SITE.composer, WITH_AWS_KEY)
    notice = ui.wait_for_notice("block")
    text = ui.text(notice)
    assert "must not be sent" in text and "reload the page" not in text.lower(), text
    assert ui.find(data_type="AWS_ACCESS_KEY_ID") is not None, "the notice lists what was found"
    assert AWS_KEY not in ui.markup(notice)
    assert editor_text(page) == ""
    ui.click_action("dismiss" if "dismiss" in ui.actions() else "cancel")
    ui.wait_gone(data_pf="notice")

    # Clean text goes in and out: nothing of the orphan holds the paste or the send.
    paste(page, SITE.composer, CLEAN)
    wait_for_editor_text(page, CLEAN)
    page.locator(SITE.send).click()
    browser.recorder.wait_for(lambda c: c.path == SITE.api and c.prompt == CLEAN, what="the send after the reload")
    assert not any(AWS_KEY in call.body for call in browser.recorder.calls())
