"""The fixture sites themselves, in Chromium without the extension: each composer takes a trusted paste
into its editor's own state, undoes it, enables its send control and sends what it holds. This is the
baseline the extension's tests (and the in-browser benchmark) compare against; if it fails, the fixture
is wrong, not the extension."""

import pytest

from .harness import browser as browser_mod
from .harness import sites
from .harness.user_input import open_site, paste, send_enabled, wait_for_editor_text
from .texts import CLEAN, WITH_AWS_KEY

pytestmark = pytest.mark.e2e


class PlainBrowser:
    def __init__(self, context, server):
        self.context = context
        self.server = server
        self.recorder = server.recorder


@pytest.fixture(scope="module")
def browser(playwright, site_server, tmp_path_factory):
    context = browser_mod.launch(playwright, tmp_path_factory.mktemp("plain-profile"), site_server.port, extension=None)
    yield PlainBrowser(context, site_server)
    context.close()


@pytest.mark.parametrize("site", sites.ALL_SITES, ids=lambda s: f"{s.editor}@{s.host}")
def test_fixture_composer_behaves_like_its_site(browser, page, site):
    open_site(page, site)
    assert not send_enabled(page, site.send)
    paste(page, site.composer, CLEAN)
    wait_for_editor_text(page, CLEAN)
    assert send_enabled(page, site.send)
    page.keyboard.press("Control+z")
    wait_for_editor_text(page, "")
    assert not send_enabled(page, site.send)
    paste(page, site.composer, WITH_AWS_KEY)
    wait_for_editor_text(page, WITH_AWS_KEY)
    page.keyboard.press("Enter")
    browser.recorder.wait_for(lambda c: c.host == site.host and c.path.startswith(site.api) and c.prompt == WITH_AWS_KEY,
                              what=f"the send call of {site.host}")
    wait_for_editor_text(page, "")


def test_chatgpt_fixture_sends_a_prepare_call_while_typing(browser, page):
    open_site(page, sites.CHATGPT)
    page.locator(sites.CHATGPT.composer).click()
    page.keyboard.type("draft in progress")
    browser.recorder.wait_for(lambda c: c.path == sites.CHATGPT_PREPARE and c.prompt == "draft in progress",
                              what="the prepare call")
