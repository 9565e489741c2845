"""A policy whose uploads section blocks what cannot be scanned (non_text: block): a file that is not text,
or a text file over max_text_bytes, never reaches the page. test_drop_and_upload.py has the default,
where such files go unscanned."""

import pytest

from .harness import sites
from .harness.page_state import sentinel_round_trip
from .harness.user_input import choose_files, file_input_names, files_chosen, open_site
from .texts import CLEAN_FILE, PNG_BYTES

pytestmark = pytest.mark.e2e

POLICY_VERSION = "e2e-uploads-block"
MAX_TEXT_BYTES = 4096
AGENT_POLICY = {"policy_version": POLICY_VERSION, "uploads": {"non_text": "block", "max_text_bytes": MAX_TEXT_BYTES}}
SITE = sites.CHATGPT


@pytest.fixture(scope="module")
def policy_in_force(browser):
    """The extension reads the uploads rules from the policy it fetched from the agent; until then it
    has the built-in default (non_text: allow)."""
    browser.wait_for_state("protected")
    popup = browser.popup()
    try:
        popup.wait_for_text(POLICY_VERSION, timeout=45)
    finally:
        popup.close()


def assert_refused(page, ui, recorder, path):
    notice = ui.wait_for_notice("block")
    assert path.name in ui.text(notice), "the notice names the file it refused"
    assert file_input_names(page, sites.CHATGPT_FILE_INPUT) == []
    ui.click_action("dismiss")
    ui.wait_gone(data_pf="notice")
    sentinel_round_trip(page, recorder, f"after-{path.name}")
    assert files_chosen(page) == []
    assert recorder.calls(SITE.host, sites.CHATGPT_UPLOAD) == []


def test_when_non_text_is_blocked_then_an_image_never_reaches_the_page(policy_in_force, browser, page, ui, tmp_path):
    image = tmp_path / "diagram.png"
    image.write_bytes(PNG_BYTES)
    open_site(page, SITE)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [image])
    assert_refused(page, ui, browser.recorder, image)


def test_a_text_file_over_the_size_cap_counts_as_non_text(policy_in_force, browser, page, ui, tmp_path):
    notes = tmp_path / "long-notes.txt"
    notes.write_text(CLEAN_FILE * (MAX_TEXT_BYTES // len(CLEAN_FILE) + 1))
    assert notes.stat().st_size > MAX_TEXT_BYTES
    open_site(page, SITE)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [notes])
    assert_refused(page, ui, browser.recorder, notes)


def test_a_clean_text_file_within_the_cap_still_goes(policy_in_force, browser, page, ui, tmp_path):
    notes = tmp_path / "release-checklist.txt"
    notes.write_text(CLEAN_FILE)
    open_site(page, SITE)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [notes])
    call = browser.recorder.wait_for(lambda c: c.path == sites.CHATGPT_UPLOAD, what="the upload")
    assert sites.upload_of(call.body) == sites.Upload(notes.name, notes.read_bytes())
    assert ui.find(data_pf="notice") is None
