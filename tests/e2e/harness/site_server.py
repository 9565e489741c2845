"""The fixture sites over HTTPS on loopback: one aiohttp server, pages chosen by the Host header, and a
recorder of every call the pages make to their fake APIs.

Chromium maps the real host names here with --host-resolver-rules, so pages load from
https://chatgpt.com/ and friends and the extension sees its real match patterns. The server runs on its
own event loop in a daemon thread so the synchronous Playwright tests can use it directly.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import WSMsgType, web

from . import sites

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class ApiCall:
    """One call a fixture page made: an HTTP request with a body, or one WebSocket message."""

    host: str
    path: str
    kind: str  # "http" | "ws"
    body: str
    prompt: str | None  # the prompt text inside, read by sites.prompt_of()
    at: float = field(default_factory=time.monotonic)


class Recorder:
    """Thread-safe list of ApiCalls with a condition variable to wait on; never sleeps to poll."""

    def __init__(self):
        self._calls: list[ApiCall] = []
        self._changed = threading.Condition()

    def add(self, call: ApiCall) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def clear(self) -> None:
        with self._changed:
            self._calls.clear()

    def calls(self, host: str | None = None, path_prefix: str = "") -> list[ApiCall]:
        with self._changed:
            return [
                c for c in self._calls
                if (host is None or c.host == host) and c.path.startswith(path_prefix)
            ]

    def wait_for(self, predicate, timeout: float = 15.0, what: str = "an API call") -> ApiCall:
        """The first recorded call for which predicate(call) is true, waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for call in self._calls:
                    if predicate(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.host, c.path, (c.prompt or "")[:60]) for c in self._calls]
                    raise AssertionError(f"timed out waiting for {what}; recorded: {seen}")
                self._changed.wait(remaining)


class SiteServer:
    """`with SiteServer(cert, key) as server:` serves on 127.0.0.1:server.port until the block ends."""

    def __init__(self, cert: Path, key: Path, build_dir: Path):
        self.recorder = Recorder()
        self.build_dir = build_dir
        self.port: int | None = None
        self._ssl = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._ssl.load_cert_chain(cert, key)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="e2e-site-server", daemon=True)
        self._runner: web.AppRunner | None = None

    # --- lifecycle -------------------------------------------------------------------------------------

    def __enter__(self) -> "SiteServer":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)
        return self

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)

    async def _start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/__records", self._records)
        app.router.add_get("/__fixture/{name}", self._asset)
        app.router.add_get(sites.COPILOT.api, self._websocket)
        app.router.add_get("/{tail:.*}", self._page)
        app.router.add_post("/{tail:.*}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self._ssl)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    # --- handlers --------------------------------------------------------------------------------------

    @staticmethod
    def _host(request: web.Request) -> str:
        return (request.host or "").split(":")[0].lower()

    async def _page(self, request: web.Request) -> web.StreamResponse:
        site = sites.BY_HOST.get(self._host(request))
        if site is None or request.path.startswith("/__"):
            raise web.HTTPNotFound(text="no fixture for this host")
        html = (FIXTURES / "pages" / f"{site.bundle}.html").read_text()
        return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = (self.build_dir / name).resolve()
        if path.parent != self.build_dir.resolve() or not path.is_file():
            raise web.HTTPNotFound(text="no such fixture asset")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return web.Response(body=path.read_bytes(), content_type=content_type,
                            headers={"Cache-Control": "no-store"})

    async def _api(self, request: web.Request) -> web.StreamResponse:
        host, body = self._host(request), await request.text()
        self.recorder.add(ApiCall(host, request.path, "http", body, sites.prompt_of(host, request.path, body)))
        return web.json_response({"ok": True})

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return await self._page(request)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        host = self._host(request)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.recorder.add(ApiCall(host, request.path, "ws", message.data,
                                          sites.prompt_of(host, request.path, message.data)))
                await ws.send_str(json.dumps({"event": "received"}))
        return ws

    async def _records(self, request: web.Request) -> web.StreamResponse:
        return web.json_response([
            {"host": c.host, "path": c.path, "kind": c.kind, "prompt": c.prompt}
            for c in self.recorder.calls()
        ])
