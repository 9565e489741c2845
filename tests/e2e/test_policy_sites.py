"""A host the built-in list does not know becomes guarded once the policy adds it (sites.extra): the
extension registers its content scripts for it at run time.

Registering needs a host permission. Chrome grants an optional one only during a user gesture on its
own permission prompt, which no test can click, so this module loads the extension as an administrator
would repackage it for a force-install: the host in host_permissions. The permission alone guards
nothing: the "before" half of the test shows the host unguarded until the policy names it.
"""

import pytest

from .harness import browser as browser_mod
from .harness import sites
from .harness.agent_process import policy_document
from .harness.shadow_ui import InlineUI
from .harness.user_input import editor_text, open_site, paste, wait_for_editor_text
from .texts import AWS_KEY, WITH_AWS_KEY

pytestmark = pytest.mark.e2e

AGENT_POLICY = {"policy_version": "e2e-sites-1"}
SITE = sites.EXAMPLE_AI


@pytest.fixture(scope="module")
def extension_dir(extension_dir, tmp_path_factory):
    return browser_mod.extension_with_host_permissions(tmp_path_factory.mktemp("admin-build") / "extension", [SITE.host])


def test_when_the_policy_adds_a_host_then_it_is_guarded(browser, agent):
    browser.wait_for_state("protected")

    # Before: not guarded. The key goes in and out as on any other site (this is what makes the
    # "after" meaningful: the fixture really is unguarded until the policy says otherwise).
    page = browser.context.new_page()
    open_site(page, SITE)
    paste(page, SITE.composer, WITH_AWS_KEY)
    wait_for_editor_text(page, WITH_AWS_KEY)
    page.keyboard.press("Enter")
    browser.recorder.wait_for(lambda c: c.host == SITE.host and c.prompt == WITH_AWS_KEY, what="the unguarded send")
    page.close()

    # The organisation adds the host; the agent restarts with the new policy. The extension learns of it
    # from the next scan result's policy_version and fetches the policy.
    browser.home.write_policy(policy_document(policy_version="e2e-sites-2", sites={"extra": [SITE.host]}))
    agent.stop()
    agent.start()
    page = browser.context.new_page()
    open_site(page, sites.CHATGPT)
    paste(page, sites.CHATGPT.composer, "What is a good name for a cat?")
    wait_for_editor_text(page, "What is a good name for a cat?")
    page.close()
    popup = browser.popup()
    try:
        popup.wait_for_state("protected", timeout=45)
        popup.wait_for_text("e2e-sites-2", timeout=45)
    finally:
        popup.close()

    browser.recorder.clear()
    page = browser.context.new_page()
    open_site(page, SITE)
    paste(page, SITE.composer, WITH_AWS_KEY)
    ui = InlineUI(page)
    notice = ui.wait_for_notice("block")
    assert AWS_KEY not in ui.markup(notice)
    assert editor_text(page) == ""
    assert not any(AWS_KEY in call.body for call in browser.recorder.calls())
    page.close()
