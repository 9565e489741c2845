"""The other way the daemon comes up: nobody started it, and the native host starts it when the
extension connects (the first browser of the session does exactly this)."""

import pytest

from .harness import sites
from .harness.user_input import open_site, paste, wait_for_editor_text
from .texts import WITH_EMAIL, WITH_EMAIL_REDACTED

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def agent(agent_home):
    """No daemon: the native host must start one. agent_home's cleanup kills what it started."""
    assert agent_home.daemon_pid() is None
    yield None


def test_when_no_agent_runs_then_the_native_host_starts_it(browser):
    browser.wait_for_state("protected", timeout=90)
    pid = browser.home.daemon_pid()
    assert pid is not None, "protected, yet no daemon holds the lock in the testing home"
    assert browser.home.healthy()

    page = browser.context.new_page()
    open_site(page, sites.CHATGPT)
    paste(page, sites.CHATGPT.composer, WITH_EMAIL)
    wait_for_editor_text(page, WITH_EMAIL_REDACTED)
    page.close()
