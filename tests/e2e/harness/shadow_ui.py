"""The extension's inline UI, reached the way a test may: through the DevTools protocol.

The notice lives in a CLOSED shadow root under <promptfence-ui>, which page scripts (and so Playwright's
selectors) cannot enter. CDP's DOM.getDocument with pierce=true can; we find elements by their data-pf
attributes, then act with real input: a mouse click at the element's box (DOM.getBoxModel), or keys.

Only nodes inside <promptfence-ui>'s own shadow root count, so a page that fakes data-pf attributes in
its light DOM cannot satisfy a test.
"""

from __future__ import annotations

import html.parser
import time
from dataclasses import dataclass

HOST_TAG = "promptfence-ui"
POLL_SECONDS = 0.05  # how often the DOM is re-read while waiting for a condition


@dataclass
class UiNode:
    backend_id: int
    tag: str
    attrs: dict[str, str]


def _attributes(node: dict) -> dict[str, str]:
    flat = node.get("attributes", [])
    return dict(zip(flat[0::2], flat[1::2]))


class _TextOf(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


class InlineUI:
    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    # --- reading -------------------------------------------------------------------------------------

    def _ui_nodes(self) -> list[UiNode]:
        """Every element inside a <promptfence-ui> host's shadow root, in document order."""
        root = self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        found: list[UiNode] = []

        def walk(node: dict, inside_ui: bool) -> None:
            if inside_ui and node.get("nodeType") == 1:
                found.append(UiNode(node["backendNodeId"], node.get("localName", ""), _attributes(node)))
            for child in node.get("children", []):
                walk(child, inside_ui)
            for shadow in node.get("shadowRoots", []):
                walk(shadow, inside_ui or node.get("localName") == HOST_TAG)
            if "contentDocument" in node:
                walk(node["contentDocument"], inside_ui)

        walk(root, False)
        return found

    def hosts(self) -> list[dict]:
        """The <promptfence-ui> host elements and their shadow root types ("closed" expected)."""
        root = self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        hosts = []

        def walk(node: dict) -> None:
            if node.get("localName") == HOST_TAG:
                hosts.append({
                    "shadow_root_types": [s.get("shadowRootType") for s in node.get("shadowRoots", [])],
                    "backend_id": node["backendNodeId"],
                })
            for child in node.get("children", []):
                walk(child)

        walk(root)
        return hosts

    def find(self, **attrs: str) -> UiNode | None:
        """The first UI element whose attributes include all of `attrs` (use data_pf="notice" for
        data-pf, underscores becoming dashes)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        for node in self._ui_nodes():
            if all(node.attrs.get(k) == v for k, v in wanted.items()):
                if self._rendered(node):
                    return node
        return None

    def _rendered(self, node: UiNode) -> bool:
        """Laid out on screen (has a box); a hidden template or closed notice has none."""
        try:
            model = self.cdp.send("DOM.getBoxModel", {"backendNodeId": node.backend_id})["model"]
        except Exception:  # CDP answers an error for elements without a box
            return False
        return model["width"] > 0 and model["height"] > 0

    def text(self, node: UiNode) -> str:
        markup = self.cdp.send("DOM.getOuterHTML", {"backendNodeId": node.backend_id})["outerHTML"]
        parser = _TextOf()
        parser.feed(markup)
        return " ".join(" ".join(parser.parts).split())

    def markup(self, node: UiNode) -> str:
        return self.cdp.send("DOM.getOuterHTML", {"backendNodeId": node.backend_id})["outerHTML"]

    # --- waiting -------------------------------------------------------------------------------------

    def wait_for(self, timeout: float = 15.0, **attrs: str) -> UiNode:
        """Wait until a rendered UI element with these attributes exists; raise AssertionError if not."""
        deadline = time.monotonic() + timeout
        while True:
            node = self.find(**attrs)
            if node is not None:
                return node
            if time.monotonic() > deadline:
                raise AssertionError(f"no rendered <{HOST_TAG}> element with {attrs} within {timeout} s")
            self.page.wait_for_timeout(POLL_SECONDS * 1000)

    def wait_gone(self, timeout: float = 15.0, **attrs: str) -> None:
        deadline = time.monotonic() + timeout
        while self.find(**attrs) is not None:
            if time.monotonic() > deadline:
                raise AssertionError(f"the <{HOST_TAG}> element with {attrs} stayed for {timeout} s")
            self.page.wait_for_timeout(POLL_SECONDS * 1000)

    def wait_for_notice(self, decision: str | None = None, timeout: float = 15.0) -> UiNode:
        attrs = {"data_pf": "notice"}
        if decision is not None:
            attrs["data_decision"] = decision
        return self.wait_for(timeout=timeout, **attrs)

    # --- acting --------------------------------------------------------------------------------------

    def click(self, node: UiNode) -> None:
        """A real mouse click in the middle of the element's border box."""
        self.cdp.send("DOM.scrollIntoViewIfNeeded", {"backendNodeId": node.backend_id})
        quad = self.cdp.send("DOM.getBoxModel", {"backendNodeId": node.backend_id})["model"]["border"]
        xs, ys = quad[0::2], quad[1::2]
        self.page.mouse.click(sum(xs) / 4, sum(ys) / 4)

    def click_action(self, action: str, timeout: float = 15.0) -> None:
        self.click(self.wait_for(timeout=timeout, data_pf_action=action))

    def actions(self) -> list[str]:
        return [n.attrs["data-pf-action"] for n in self._ui_nodes()
                if "data-pf-action" in n.attrs and self._rendered(n)]

    def type_justification(self, text: str) -> None:
        self.click(self.wait_for(data_pf="justification"))
        self.page.keyboard.type(text)


# The host elements themselves are in the page's DOM (only their shadow roots are closed), each marked
# with what it holds (data-pf-kind: notice, scanning, highlight). A MutationObserver installed before the
# page's own scripts logs every one added or removed, so a test can say a UI was never shown at all,
# which polling cannot (a host that lived between two polls would pass unseen).
_HOST_LOG_SCRIPT = """
(() => {
  const log = [];
  window.__pfHostLog = log;
  const note = (nodes, event) => {
    for (const node of nodes) {
      if (node.nodeName === "%s") log.push({ event, kind: node.getAttribute("data-pf-kind") });
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      note(record.addedNodes, "added");
      note(record.removedNodes, "removed");
    }
  }).observe(document, { childList: true, subtree: true });
})();
""" % HOST_TAG.upper()


def log_ui_hosts(page) -> None:
    """Log every <promptfence-ui> host from the next navigation on; call before opening the site."""
    page.add_init_script(_HOST_LOG_SCRIPT)


def ui_host_log(page) -> list[dict]:
    """[{event: added|removed, kind}] in order, since the page loaded."""
    return page.evaluate("() => window.__pfHostLog.map(entry => ({...entry}))")
