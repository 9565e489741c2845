"""What runs inside each classifier process of the daemon's pool.

Each process builds one Engine in the pool's initializer (the model loads once per process, not per
scan) and then serves jobs: `scan`, `policy_view`. A job returns plain data and never raises across the
process boundary for a typed failure: an Engine error comes back as {"error": {code, message}}, because
exception classes with their own __init__ do not always survive pickling.

The text is only ever here and in the daemon's memory: the reply carries offsets and placeholders, the
event summary carries counts and keyed fingerprints.
"""

from __future__ import annotations

import base64
import bisect
import functools
import gc
import os
import re
import time
import traceback
from pathlib import Path
from typing import Callable

from promptfence.agent import events

# Astral characters are one code point in Python and two UTF-16 code units in JavaScript.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class _State:
    engine = None
    install_key: bytes = b""


def create_engine(home: str | None):
    """The production engine factory: settings from the environment and the testing home, if any."""
    from promptfence.agent.config import AgentConfig
    from promptfence.agent.engine import Engine

    config = AgentConfig.from_env(home=home) if home else AgentConfig.from_env()
    return Engine.create(config)


def _exit_with_parent() -> None:
    """End this worker when the daemon dies, however it dies (SIGKILL included): otherwise it would wait
    on the pool's queue forever, holding its model in memory."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch():
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def initialize(factory: Callable, factory_args: tuple, install_key: bytes, ready_queue) -> None:
    """Pool initializer: build the engine, then say so (pid, or the error) on `ready_queue`."""
    _exit_with_parent()
    try:
        _State.engine = factory(*factory_args)
        _State.install_key = install_key
        # The model, rule pack and policy live as long as the process: move them out of the collector's
        # reach, so a full collection walks only what scans allocate (100 KB scan: 25 -> 0.6 ms of GC).
        gc.collect()
        gc.freeze()
        ready_queue.put({"pid": os.getpid(), **info()})
    except BaseException as error:
        ready_queue.put({"pid": os.getpid(), "error": type(error).__name__, "code": getattr(error, "code", "internal")})
        raise


def _policy():
    return _State.engine.policy


def _key() -> bytes:
    """The organisation's pseudonym key when the policy has one, else the per-install key."""
    encoded = _policy().document.get("pseudonym_key") or ""
    return base64.b64decode(encoded) if encoded else _State.install_key


@functools.lru_cache(maxsize=4)
def _pseudonym(key: bytes) -> str:
    """The user's pseudonym under a key: two HMACs and a user look-up, the same for every scan."""
    return events.pseudonym(key)


def info() -> dict:
    engine = _State.engine
    return {
        "policy_version": engine.policy.version,
        "max_text_chars": int(engine.max_text_chars),
        "user": _pseudonym(_key()),
    }


def ping() -> int:
    return os.getpid()


def utf16_offsets(text: str, offsets: list[int]) -> list[int]:
    """Code-point offsets into `text` as UTF-16 code-unit offsets (JavaScript string indices)."""
    if text.isascii():
        return offsets
    astral = [match.start() for match in _ASTRAL.finditer(text)]
    if not astral:
        return offsets
    return [offset + bisect.bisect_left(astral, offset) for offset in offsets]


def _to_utf16(text: str, result: dict) -> None:
    spans = result["findings"] + result["replacements"]
    if not spans or text.isascii():
        return
    flat = [value for span in spans for value in (span["start"], span["end"])]
    converted = utf16_offsets(text, flat)
    for index, span in enumerate(spans):
        span["start"], span["end"] = converted[2 * index], converted[2 * index + 1]


def _contained(job: Callable) -> Callable:
    """Turn any exception of a job into data: a typed error keeps its code and message (written to be
    content-free); anything else becomes `internal` with the exception's type and stack locations only,
    since its message, and the traceback text the pool would ship back, may quote the text."""

    @functools.wraps(job)
    def run(*args):
        from promptfence.agent.errors import PromptfenceError

        try:
            return job(*args)
        except PromptfenceError as error:
            return {"error": {"code": str(error.code), "message": error.message}}
        except Exception as error:  # noqa: BLE001 - reported as data, see above
            frames = traceback.extract_tb(error.__traceback__)
            return {
                "error": {"code": "internal", "message": "internal error; see the agent log"},
                "crash": {
                    "exception": type(error).__name__,
                    "where": [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames[-6:]],
                },
            }

    return run


@_contained
def scan(text: str, site: str, channel: str) -> dict:
    """{"result": scan_result fields (UTF-16 offsets), "summary": event summary, "user", "policy_version",
    "worker_ms"} or {"error": {"code", "message"}, "crash"?: {...}}."""
    started = time.perf_counter()
    engine = _State.engine
    outcome = engine.scan(text, site=site, channel=channel)
    result = outcome.as_protocol()
    for envelope_key in ("v", "type", "id"):
        result.pop(envelope_key, None)
    # The summary needs code-point offsets into the text: take it before converting them.
    detail = engine.policy.document.get("events", {}).get("detail", "counts")
    summary = events.summarise(text, result["findings"], detail, _key())
    _to_utf16(text, result)
    return {
        "result": result,
        "summary": summary,
        "user": _pseudonym(_key()),
        "policy_version": outcome.policy_version,
        "worker_ms": (time.perf_counter() - started) * 1000,
    }


@_contained
def policy_view(site: str | None) -> dict:
    policy = _policy()
    return {"policy_version": policy.version, "policy": policy.extension_view(site)}
