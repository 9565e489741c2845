"""The channels besides paste and typing, through the whole chain on chatgpt.com: text and files dropped
on the composer (a trusted drop from CDP's Input.dispatchDragEvent), files chosen in the page's file input
(DOM.setFileInputFiles, trusted input and change events), and the "Scanning…" indicator a long scan
shows after 150 ms. The default policy throughout: text-like files are scanned, others go as they are
(test_upload_policy.py has the policy that blocks them)."""

import pytest

from .harness import sites
from .harness.page_state import sentinel_round_trip
from .harness.shadow_ui import log_ui_hosts, ui_host_log
from .harness.user_input import (choose_files, drop_files, drop_text, editor_text, file_input_names, files_chosen,
                                 files_dropped, open_site, paste, type_text, wait_for_editor_text)
from .texts import AWS_KEY, CLEAN, CLEAN_FILE, ENV_FILE_WITH_AWS_KEY, PNG_BYTES, WITH_AWS_KEY, mixed_clean_text

pytestmark = pytest.mark.e2e

SITE = sites.CHATGPT
BIG_PASTE_CHARS = 250_000  # about a second of real scanning on two slow cores: far past the 150 ms mark


def send_and_wait(page, recorder, expected_prompt):
    page.locator(SITE.send).click()
    return recorder.wait_for(lambda c: c.path == SITE.api and c.prompt == expected_prompt,
                             what=f"the send call with {expected_prompt!r}")


def uploads(recorder) -> list[sites.Upload]:
    return [sites.upload_of(c.body) for c in recorder.calls(SITE.host, sites.CHATGPT_UPLOAD)]


def wait_for_upload(recorder, name: str) -> sites.Upload:
    call = recorder.wait_for(lambda c: c.path == sites.CHATGPT_UPLOAD and sites.upload_of(c.body).name == name,
                             what=f"the upload of {name}")
    return sites.upload_of(call.body)


def dismiss(ui):
    ui.click_action("dismiss")
    ui.wait_gone(data_pf="notice")


# ------------------------------------------------------------------------------------------------ drop


def test_when_clean_text_is_dropped_then_it_goes_in_untouched_and_is_sent(browser, page, ui):
    open_site(page, SITE)
    drop_text(page, SITE.composer, CLEAN)
    wait_for_editor_text(page, CLEAN)
    assert ui.find(data_pf="notice") is None, "allow must be silent"
    send_and_wait(page, browser.recorder, CLEAN)


def test_when_an_aws_key_is_dropped_then_nothing_is_inserted_and_nothing_reaches_the_api(browser, page, ui):
    open_site(page, SITE)
    drop_text(page, SITE.composer, WITH_AWS_KEY)
    notice = ui.wait_for_notice("block")
    assert AWS_KEY not in ui.markup(notice), "the notice must name types, never the value"
    assert editor_text(page) == ""
    dismiss(ui)
    assert editor_text(page) == ""
    # The page still works: a clean message goes out, and the key never went anywhere before it.
    type_text(page, SITE.composer, "Which IAM policy lets a CI job read one S3 bucket?")
    send_and_wait(page, browser.recorder, "Which IAM policy lets a CI job read one S3 bucket?")
    sentinel_round_trip(page, browser.recorder, "after-dropped-key")
    assert not any(AWS_KEY in call.body for call in browser.recorder.calls())


# --------------------------------------------------------------------------------------- file uploads


def test_when_a_clean_text_file_is_chosen_then_the_page_uploads_it(browser, page, ui, tmp_path):
    notes = tmp_path / "release-checklist.txt"
    notes.write_text(CLEAN_FILE)
    open_site(page, SITE)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [notes])
    assert wait_for_upload(browser.recorder, notes.name).content == notes.read_bytes()
    assert files_chosen(page) == [[notes.name]]
    assert file_input_names(page, sites.CHATGPT_FILE_INPUT) == [notes.name]
    assert ui.find(data_pf="notice") is None, "allow must be silent"


@pytest.mark.parametrize("name", [".env", "deploy-notes.txt"])
def test_when_a_text_file_holds_a_secret_then_the_page_never_gets_it(browser, page, ui, tmp_path, name):
    secrets = tmp_path / name
    secrets.write_text(ENV_FILE_WITH_AWS_KEY)
    open_site(page, SITE)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [secrets])
    notice = ui.wait_for_notice("block")
    assert AWS_KEY not in ui.markup(notice)
    # Empty already while the notice is open: a form submitted now would carry no file.
    assert file_input_names(page, sites.CHATGPT_FILE_INPUT) == []
    dismiss(ui)
    assert file_input_names(page, sites.CHATGPT_FILE_INPUT) == []
    sentinel_round_trip(page, browser.recorder, f"after-{name}")
    assert files_chosen(page) == [], "the page must not learn a file was chosen"
    assert uploads(browser.recorder) == []
    assert not any(AWS_KEY in call.body for call in browser.recorder.calls())


def clean_and_secret_files(folder):
    """A clean text file and a .env holding the AWS key, on disk (trusted file choice needs paths)."""
    notes, secrets = folder / "release-checklist.txt", folder / ".env"
    notes.write_text(CLEAN_FILE)
    secrets.write_text(ENV_FILE_WITH_AWS_KEY)
    return notes, secrets


def test_when_a_clean_and_a_secret_file_are_chosen_together_then_only_the_clean_one_reaches_the_page(browser, page, ui, tmp_path):
    notes, secrets = clean_and_secret_files(tmp_path)
    open_site(page, SITE)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [notes, secrets])
    ui.wait_for_notice("block")
    assert file_input_names(page, sites.CHATGPT_FILE_INPUT) == []
    dismiss(ui)
    assert wait_for_upload(browser.recorder, notes.name).content == notes.read_bytes()
    sentinel_round_trip(page, browser.recorder, "after-two-files")
    assert files_chosen(page) == [[notes.name]]
    assert file_input_names(page, sites.CHATGPT_FILE_INPUT) == [notes.name]
    assert [upload.name for upload in uploads(browser.recorder)] == [notes.name]


def test_by_default_a_file_that_is_not_text_is_uploaded_unscanned(browser, page, ui, tmp_path):
    image = tmp_path / "diagram.png"
    image.write_bytes(PNG_BYTES)
    open_site(page, SITE)
    choose_files(page, sites.CHATGPT_FILE_INPUT, [image])
    assert wait_for_upload(browser.recorder, image.name).content == PNG_BYTES
    assert files_chosen(page) == [[image.name]]
    assert file_input_names(page, sites.CHATGPT_FILE_INPUT) == [image.name]
    assert ui.find(data_pf="notice") is None


def test_when_files_are_dropped_then_only_the_clean_one_reaches_the_page(browser, page, ui, tmp_path):
    notes, secrets = clean_and_secret_files(tmp_path)
    open_site(page, SITE)
    drop_files(page, SITE.composer, [notes, secrets])
    notice = ui.wait_for_notice("block")
    assert AWS_KEY not in ui.markup(notice)
    dismiss(ui)
    assert wait_for_upload(browser.recorder, notes.name).content == notes.read_bytes()
    sentinel_round_trip(page, browser.recorder, "after-dropped-files")
    assert files_dropped(page) == [[notes.name]]
    assert [upload.name for upload in uploads(browser.recorder)] == [notes.name]
    assert not any(AWS_KEY in call.body for call in browser.recorder.calls())
    assert editor_text(page) == ""


# --------------------------------------------------------------------------------- "Scanning…" indicator


def test_a_long_scan_shows_scanning_until_the_text_goes_in(browser, page, ui):
    text = mixed_clean_text(BIG_PASTE_CHARS)
    log_ui_hosts(page)
    open_site(page, SITE)
    paste(page, SITE.composer, text)
    pill = ui.wait_for(data_pf="scanning")
    assert pill.attrs.get("role") == "status"
    wait_for_editor_text(page, text, timeout_ms=60_000)
    assert ui.find(data_pf="scanning") is None
    scanning = [entry["event"] for entry in ui_host_log(page) if entry["kind"] == "scanning"]
    assert scanning == ["added", "removed"]


def test_a_long_scan_shows_scanning_until_the_notice_replaces_it(browser, page, ui):
    clean = mixed_clean_text(BIG_PASTE_CHARS).split("\n")
    text = "\n".join(clean[: len(clean) // 2] + [WITH_AWS_KEY] + clean[len(clean) // 2:])
    log_ui_hosts(page)
    open_site(page, SITE)
    paste(page, SITE.composer, text)
    ui.wait_for(data_pf="scanning")
    ui.wait_for_notice("block", timeout=60)
    assert ui.find(data_pf="scanning") is None
    kinds = [(entry["event"], entry["kind"]) for entry in ui_host_log(page)]
    assert kinds == [("added", "scanning"), ("removed", "scanning"), ("added", "notice")]
    assert editor_text(page) == ""


@pytest.fixture
def warm_chain(browser):
    """One scan through the whole chain first: the first after start-up (the native port opening, the
    daemon's first analysis) takes longer than 150 ms on these machines, and rightly shows the indicator."""
    first = browser.context.new_page()
    try:
        open_site(first, SITE)
        paste(first, SITE.composer, CLEAN)
        wait_for_editor_text(first, CLEAN)
    finally:
        first.close()


def test_a_short_paste_never_shows_scanning(warm_chain, browser, page, ui):
    log_ui_hosts(page)
    open_site(page, SITE)
    paste(page, SITE.composer, CLEAN)
    wait_for_editor_text(page, CLEAN)
    assert ui_host_log(page) == [], "an allowed short paste shows nothing at all"
