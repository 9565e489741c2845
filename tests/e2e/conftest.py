"""Fixtures of the real-browser end-to-end tests.

Session: the fixture editors bundled, the extension's generated rule data. Package (all of tests/e2e):
a TLS certificate with the HTTPS fixture server, and Playwright. Module: one testing home with its policy (a module sets AGENT_POLICY, a
dict merged over the default policy), the real daemon started in it, and one Chromium with the unpacked
extension and the real native host registered in its profile. Test: a fresh page, and an empty
recorder.
"""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import sync_playwright

from .harness import browser as browser_mod
from .harness import sites, tls
from .harness.agent_process import AgentDaemon, AgentHome, policy_document
from .harness.extension_pages import Popup
from .harness.fixture_build import build_fixtures
from .harness.shadow_ui import InlineUI
from .harness.site_server import SiteServer


@pytest.fixture(scope="session")
def fixture_build_dir():
    return build_fixtures()


@pytest.fixture(scope="session")
def extension_dir():
    # The extension reads the shared rules from extension/generated/, which this step writes.
    result = subprocess.run(["node", str(browser_mod.EXTENSION_DIR / "build.mjs")], capture_output=True, text=True)
    assert result.returncode == 0, f"node extension/build.mjs failed: {result.stderr}"
    return browser_mod.EXTENSION_DIR


@pytest.fixture(scope="package")
def site_server(tmp_path_factory, fixture_build_dir):
    cert, key = tls.make_self_signed([site.host for site in sites.ALL_SITES], tmp_path_factory.mktemp("tls"))
    with SiteServer(cert, key, fixture_build_dir) as server:
        yield server


@pytest.fixture(scope="package")
def playwright():
    # Package scope: Playwright's driver and its event loop end with the last browser test, before the
    # rest of the suite's asyncio tests run.
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def agent_home(request):
    home = AgentHome(policy_document(**getattr(request.module, "AGENT_POLICY", {})))
    yield home
    home.cleanup()


@pytest.fixture(scope="module")
def agent(agent_home):
    """The daemon, started by the test run. A module that wants the native host to start it overrides
    this fixture."""
    daemon = AgentDaemon(agent_home)
    daemon.start()
    yield daemon
    daemon.stop()


class BrowserUnderTest:
    def __init__(self, context, ext_id: str, server: SiteServer, home: AgentHome):
        self.context = context
        self.ext_id = ext_id
        self.server = server
        self.home = home

    @property
    def recorder(self):
        return self.server.recorder

    def service_worker(self):
        return browser_mod.extension_service_worker(self.context)

    def popup(self) -> Popup:
        return Popup(self.context, self.ext_id)

    def wait_for_state(self, state: str, timeout: float = 30.0) -> None:
        popup = self.popup()
        try:
            popup.wait_for_state(state, timeout)
        finally:
            popup.close()


@pytest.fixture(scope="module")
def browser(playwright, site_server, extension_dir, agent_home, agent, tmp_path_factory):
    ext_id = browser_mod.extension_id()
    profile = tmp_path_factory.mktemp("chromium-profile")
    browser_mod.register_native_host(profile, ext_id)
    context = browser_mod.launch(playwright, profile, site_server.port, extension=extension_dir,
                                 env=agent_home.env())
    under_test = BrowserUnderTest(context, ext_id, site_server, agent_home)
    loaded_id = under_test.service_worker().url.split("/")[2]
    # The host manifest's allowed_origins names the pinned ID; any other ID means the manifest `key`
    # and extension/EXTENSION_ID disagree, and every native call would be refused.
    assert loaded_id == ext_id, f"extension loaded as {loaded_id}, extension/EXTENSION_ID says {ext_id}"
    yield under_test
    context.close()


@pytest.fixture
def page(browser):
    browser.recorder.clear()
    page = browser.context.new_page()
    yield page
    page.close()


@pytest.fixture
def ui(page):
    return InlineUI(page)

