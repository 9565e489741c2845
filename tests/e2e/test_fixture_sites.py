"""The fixture sites themselves, in Chromium without the extension: each composer takes a trusted paste
into its editor's own state, undoes it, enables its send control and sends what it holds; ChatGPT's
composer takes a trusted drop of text, and uploads the files the user chose in its file input or dropped
on it, secret or not. This is the
baseline the extension's tests (and the in-browser benchmark) compare against; if it fails, the fixture
is wrong, not the extension."""

import pytest

from .harness import browser as browser_mod
from .harness import sites
from .harness.user_input import (choose_files, drop_files, drop_text, files_chosen, files_dropped, open_site, paste,
                                 send_enabled, wait_for_editor_text)
from .texts import CLEAN, ENV_FILE_WITH_AWS_KEY, PNG_BYTES, WITH_AWS_KEY

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


def test_chatgpt_fixture_takes_a_trusted_drop(browser, page):
    open_site(page, sites.CHATGPT)
    drop_text(page, sites.CHATGPT.composer, CLEAN)
    # ProseMirror's own drop puts a plain-text slice after the empty paragraph it fell on.
    page.wait_for_function("expected => window.__editorText().replace(/^\\n/, '') === expected", arg=CLEAN)


def test_chatgpt_fixture_uploads_the_files_chosen(browser, page, tmp_path):
    env_file, image = tmp_path / ".env", tmp_path / "diagram.png"
    env_file.write_text(ENV_FILE_WITH_AWS_KEY)
    image.write_bytes(PNG_BYTES)
    open_site(page, sites.CHATGPT)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [env_file, image])
    for path in (env_file, image):
        call = browser.recorder.wait_for(
            lambda c: c.path == sites.CHATGPT_UPLOAD and sites.upload_of(c.body).name == path.name,
            what=f"the upload of {path.name}")
        assert sites.upload_of(call.body).content == path.read_bytes()
    assert files_chosen(page) == [[".env", "diagram.png"]]


def test_chatgpt_fixture_uploads_the_files_dropped(browser, page, tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(ENV_FILE_WITH_AWS_KEY)
    open_site(page, sites.CHATGPT)
    drop_files(page, sites.CHATGPT.composer, [env_file])
    call = browser.recorder.wait_for(lambda c: c.path == sites.CHATGPT_UPLOAD, what="the upload of the dropped file")
    assert sites.upload_of(call.body) == sites.Upload(env_file.name, env_file.read_bytes())
    assert files_dropped(page) == [[env_file.name]]
    assert page.evaluate("() => window.__editorText()") == "", "a file drop is no text for the editor"
