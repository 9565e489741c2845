"""What a classifier process keeps between scans (agent/worker.py): built once, nothing redone per request."""

from __future__ import annotations

import gc
import queue

import pytest

from promptfence.agent import events, worker
from native_fakes import FakeEngine

KEY = b"i" * 32


@pytest.fixture
def initialised():
    """A worker initialised in this process with a fake engine; yields (engines built, ready queue)."""
    ready = queue.Queue()
    built = []

    def factory():
        built.append(FakeEngine())
        return built[-1]

    try:
        worker.initialize(factory, (), KEY, ready)
        yield built, ready
    finally:
        gc.unfreeze()
        worker._State.engine = None


def test_when_a_worker_initialises_then_what_it_loaded_is_frozen_out_of_the_collector_and_it_reports_ready(initialised):
    built, ready = initialised
    assert gc.get_freeze_count() > 0
    assert ready.get_nowait()["policy_version"] == built[0].policy.version


def test_when_a_worker_scans_twice_then_the_engine_is_built_once_and_the_pseudonym_is_the_users(initialised):
    built, _ = initialised
    first = worker.scan("mail bob@example.com", "chatgpt.com", "paste")
    second = worker.scan("nothing here", "chatgpt.com", "paste")
    assert len(built) == 1
    assert first["user"] == second["user"] == events.pseudonym(KEY)
    assert first["result"]["findings"] and not second["result"]["findings"]
