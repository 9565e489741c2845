"""Debian's Chromium with the unpacked extension, the real native host and the fixture hosts mapped to
loopback. No browser download: Playwright drives /usr/bin/chromium.

Chromium finds a user-level native-messaging host manifest in <user-data-dir>/NativeMessagingHosts/ and
passes the host no arguments of ours, so the host learns where the test agent lives from the environment
Chromium was started with (PROMPTFENCE_HOME, PROMPTFENCE_SOCKET, PROMPTFENCE_POLICY): every process
Chromium starts inherits it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from . import sites

REPO = Path(__file__).resolve().parents[3]
EXTENSION_DIR = REPO / "extension"
CHROMIUM = "/usr/bin/chromium"
HOST_NAME = "org.promptfence.agent"
NATIVE_HOST = REPO / ".venv" / "bin" / "promptfence-native-host"

# Playwright's defaults that would stop the extension from loading at all.
DROPPED_DEFAULT_ARGS = ["--disable-extensions", "--disable-component-extensions-with-background-pages"]


def extension_id() -> str:
    """The pinned development ID (the manifest `key` fixes it; extension/EXTENSION_ID records it)."""
    return (EXTENSION_DIR / "EXTENSION_ID").read_text().strip()


def register_native_host(user_data_dir: Path, ext_id: str, host_path: Path = NATIVE_HOST) -> Path:
    """Write the host manifest Chromium reads for this profile; return its path."""
    directory = user_data_dir / "NativeMessagingHosts"
    directory.mkdir(parents=True, exist_ok=True)
    manifest = directory / f"{HOST_NAME}.json"
    manifest.write_text(json.dumps({
        "name": HOST_NAME,
        "description": "Promptfence agent (end-to-end test profile)",
        "path": str(host_path),
        "type": "stdio",
        "allowed_origins": [f"chrome-extension://{ext_id}/"],
    }, indent=2))
    return manifest


def chromium_args(port: int, extension: Path | None) -> list[str]:
    args = [
        "--no-sandbox",  # root in a container; the renderer sandbox needs user namespaces
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--host-resolver-rules={sites.host_resolver_rules(port)}",
        "--ignore-certificate-errors",
    ]
    if extension is not None:
        args += [f"--load-extension={extension}", f"--disable-extensions-except={extension}"]
    return args


def launch(playwright, user_data_dir: Path, port: int, *, extension: Path | None = EXTENSION_DIR,
           env: dict[str, str] | None = None, viewport=None):
    """A persistent context (extensions need one) with clipboard access granted to the fixture sites.

    Playwright's `headless=True` passes Chromium's `--headless`, which is the new headless mode that runs
    extensions since Chromium 132 (the old one is gone), so no `--headless=new` juggling is needed.
    """
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=chromium_args(port, extension),
        ignore_default_args=DROPPED_DEFAULT_ARGS,
        env={**os.environ, **(env or {})},
        viewport=viewport or {"width": 1280, "height": 800},
    )
    for site in sites.ALL_SITES:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
    return context


def extension_service_worker(context, timeout_ms: float = 15_000):
    """The (only) extension's service worker, waiting for it to start if it has not yet."""
    def is_extension(worker) -> bool:
        return worker.url.startswith("chrome-extension://")

    for worker in context.service_workers:
        if is_extension(worker):
            return worker
    return context.wait_for_event("serviceworker", predicate=is_extension, timeout=timeout_ms)


def extension_with_host_permissions(destination: Path, hosts: list[str], source: Path = EXTENSION_DIR) -> Path:
    """A copy of the unpacked extension with `hosts` added to its host_permissions, as an administrator
    who repackages it for a force-install would ship it (see extension/background/site-registry.js).
    Chrome only grants an optional host permission during a user gesture, which a test cannot give; the
    pinned `key` is kept, so the copy has the same ID."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("tests", "*.test.js"))
    manifest_path = destination / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["host_permissions"] = list(manifest.get("host_permissions", [])) + [f"https://{h}/*" for h in hosts]
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return destination
