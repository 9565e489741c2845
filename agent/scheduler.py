"""The classifier pool: N worker processes, two lanes, a bounded queue.

Classification is CPU-bound and runs in a ProcessPoolExecutor, off the event loop and on every core.
Jobs are not handed to the executor in arrival order: the daemon keeps them in two lanes, small (up to
`small_chars` characters of text) and large, submits one only when a worker is free, takes the small
lane first, and lets large jobs occupy at most N-1 workers (when N > 1). So a small scan never queues
behind a 1 MB one: one worker always stays for the small lane. The executor's own queue stays empty,
which is also what lets a job still waiting be dropped when its caller hangs up.

Beyond `max_pending` jobs, or `max_pending_chars` characters of text, waiting or running, submit()
raises Busy.

Workers start with the "spawn" method (a fork of a process that runs an event loop and threads is
unsafe) and each builds its Engine once in the initializer; start() returns when every worker has
reported ready. If a worker dies, the executor is broken: jobs it was running fail with WorkerCrashed,
a fresh pool is started, and waiting jobs run there.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import multiprocessing
import queue
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable

from promptfence.agent import worker

log = logging.getLogger("promptfence.agent.scheduler")

DEFAULT_WORKERS = 2
DEFAULT_SMALL_CHARS = 64 * 1024
DEFAULT_MAX_PENDING = 1024
DEFAULT_MAX_PENDING_CHARS = 256 * 1024 * 1024
READY_TIMEOUT_S = 120.0


class Busy(Exception):
    """The queue is full; the caller answers `busy`."""


class WorkerCrashed(Exception):
    """The worker running the job died (or the pool could not start)."""


@dataclass(eq=False)
class _Job:
    function: Callable
    args: tuple
    size: int
    future: asyncio.Future
    large: bool = False
    started: bool = field(default=False)


class WorkerPool:
    def __init__(
        self,
        factory: Callable = worker.create_engine,
        factory_args: tuple = (None,),
        install_key: bytes = b"",
        workers: int = DEFAULT_WORKERS,
        small_chars: int = DEFAULT_SMALL_CHARS,
        max_pending: int = DEFAULT_MAX_PENDING,
        max_pending_chars: int = DEFAULT_MAX_PENDING_CHARS,
    ):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.small_chars = small_chars
        self.max_pending = max_pending
        self.max_pending_chars = max_pending_chars
        self._factory = factory
        self._factory_args = factory_args
        self._install_key = install_key
        self._context = multiprocessing.get_context("spawn")
        self._executor: ProcessPoolExecutor | None = None
        self._small: collections.deque[_Job] = collections.deque()
        self._large: collections.deque[_Job] = collections.deque()
        self._running = 0
        self._running_large = 0
        self._pending = 0
        self._pending_chars = 0
        self._restarting: asyncio.Task | None = None
        self._closed = False
        self.info: dict = {}
        self.pids: list[int] = []
        self.restarts = 0

    # --- life cycle --------------------------------------------------------------------------------

    async def start(self) -> dict:
        """Start the workers and wait until every one has built its engine; returns a worker's info."""
        self._executor, self.info = await self._start_executor()
        return self.info

    async def _start_executor(self) -> tuple[ProcessPoolExecutor, dict]:
        ready_queue = self._context.Queue()
        executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=worker.initialize,
            initargs=(self._factory, self._factory_args, self._install_key, ready_queue),
        )
        # With "spawn" the executor starts a process per submit while none is idle: N pings, N workers.
        pings = [executor.submit(worker.ping) for _ in range(self.workers)]
        loop = asyncio.get_running_loop()
        try:
            reports = await loop.run_in_executor(None, _collect_ready, ready_queue, self.workers)
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            ready_queue.close()
        failed = [report for report in reports if "error" in report]
        if failed:
            executor.shutdown(wait=False, cancel_futures=True)
            report = failed[0]
            raise WorkerCrashed(f"a worker could not build its engine: {report['error']} ({report['code']})")
        for ping in pings:
            await asyncio.wrap_future(ping)
        self.pids = [report["pid"] for report in reports]
        info = {key: value for key, value in reports[0].items() if key != "pid"}
        return executor, info

    async def close(self) -> None:
        self._closed = True
        for lane in (self._small, self._large):
            while lane:
                job = lane.popleft()
                if not job.future.done():
                    job.future.cancel()
        if self._restarting:
            self._restarting.cancel()
        if self._executor:
            executor, self._executor = self._executor, None
            # A scan in progress may run for many seconds; on shutdown its result is unwanted, so end the
            # workers instead of waiting (shutdown(wait=True) would, and so would interpreter exit).
            # _processes is private but has been there since 3.2.
            for process in list(getattr(executor, "_processes", {}).values()):
                process.terminate()
            await asyncio.get_running_loop().run_in_executor(None, lambda: executor.shutdown(cancel_futures=True))

    # --- state -------------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        return self._pending

    @property
    def healthy(self) -> bool:
        return self._executor is not None and self._restarting is None

    # --- jobs --------------------------------------------------------------------------------------

    async def submit(self, function: Callable, *args, size: int = 0):
        """Run function(*args) in a worker; raises Busy, WorkerCrashed, or what the function raised."""
        if self._closed:
            raise WorkerCrashed("the pool is shut down")
        over_count = self._pending >= self.max_pending
        # One job alone may exceed the text budget (the frame cap bounds it), or nothing large could run.
        over_bytes = self._pending and self._pending_chars + size > self.max_pending_chars
        if over_count or over_bytes:
            raise Busy(f"{self._pending} jobs pending")
        job = _Job(function, args, size, asyncio.get_running_loop().create_future(), large=size > self.small_chars)
        self._pending += 1
        self._pending_chars += size
        (self._large if job.large else self._small).append(job)
        self._pump()
        try:
            return await job.future
        finally:
            # Reached on completion and on cancellation (the caller hung up): either way the job is done
            # as far as the budget goes; a cancelled job still waiting in a lane is skipped by _pump.
            self._pending -= 1
            self._pending_chars -= size

    def _next_job(self) -> _Job | None:
        large_slots = max(1, self.workers - 1)
        while self._small:
            job = self._small.popleft()
            if not job.future.done():
                return job
        while self._large and self._running_large < large_slots:
            job = self._large.popleft()
            if not job.future.done():
                return job
        return None

    def _pump(self) -> None:
        if self._restarting is not None or self._closed:
            return
        if self._executor is None:
            if self._small or self._large:
                self._begin_restart()  # the last restart failed: try again for the jobs now waiting
            return
        while self._running < self.workers:
            job = self._next_job()
            if job is None:
                return
            try:
                concurrent_future = self._executor.submit(job.function, *job.args)
            except BrokenProcessPool:
                # Put it back at the front: it never ran, so it runs first on the new pool.
                (self._large if job.large else self._small).appendleft(job)
                self._begin_restart()
                return
            self._running += 1
            self._running_large += job.large
            job.started = True
            loop = asyncio.get_running_loop()
            concurrent_future.add_done_callback(
                lambda done, job=job: loop.call_soon_threadsafe(self._finished, job, done)
            )

    def _finished(self, job: _Job, done) -> None:
        self._running -= 1
        self._running_large -= job.large
        error = WorkerCrashed("the job was cancelled") if done.cancelled() else done.exception()
        if isinstance(error, BrokenProcessPool):
            self._begin_restart()
            error = WorkerCrashed("the classifier worker stopped")
        if not job.future.done():
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(done.result())
        self._pump()

    def _begin_restart(self) -> None:
        if self._restarting is not None or self._closed:
            return
        log.error("classifier pool broken; restarting it")
        self._restarting = asyncio.get_running_loop().create_task(self._restart())

    async def _restart(self) -> None:
        broken, self._executor = self._executor, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        try:
            self._executor, self.info = await self._start_executor()
            self.restarts += 1
        except Exception as error:  # noqa: BLE001 - WorkerCrashed, or the OS refusing new processes
            # The engine cannot be built (say, a broken install): fail the waiting jobs rather than keep
            # them forever; the next job tries again.
            log.error("classifier pool restart failed: %s", error)
            self._fail_waiting(error)
        finally:
            self._restarting = None
        self._pump()

    def _fail_waiting(self, error: Exception) -> None:
        for lane in (self._small, self._large):
            while lane:
                job = lane.popleft()
                if not job.future.done():
                    job.future.set_exception(WorkerCrashed(str(error)))


def _collect_ready(ready_queue, count: int) -> list[dict]:
    """Block (in a thread) until `count` workers reported, or a worker failed, or the deadline passed."""
    reports = []
    while len(reports) < count:
        try:
            report = ready_queue.get(timeout=READY_TIMEOUT_S)
        except queue.Empty:
            raise WorkerCrashed(f"only {len(reports)} of {count} workers ready after {READY_TIMEOUT_S:.0f} s") from None
        reports.append(report)
        if "error" in report:
            break
    return reports
