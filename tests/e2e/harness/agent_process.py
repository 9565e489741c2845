"""The real agent daemon in testing mode (`promptfence agent --no-gui --socket PATH --home DIR`), and
the means to kill it the hard way and bring it back.

Everything the daemon keeps lives under one short temporary directory (AF_UNIX paths are limited to
108 bytes, so no deep pytest tmp_path): home/data holds the lock and the outbox, home/agent.sock the
socket. The same variables go to Chromium, so a daemon the native host starts lands in the same place.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psutil

from promptfence.agent.daemon import LOCK_FILE, LOG_FILE, OUTBOX_FILE, existing_agent_healthy
from promptfence.agent.lock import AlreadyLocked, InstanceLock, read_pid

REPO = Path(__file__).resolve().parents[3]
# The command-line contract; the native host starts the same daemon as `python -m
# promptfence.agent.daemon` (test_host_starts_agent.py covers that path).
DAEMON = [str(REPO / ".venv" / "bin" / "promptfence"), "agent"]
DEFAULT_POLICY = REPO / "shared-rules" / "policy" / "default.json"
READY_TIMEOUT_S = 90.0  # the model loads once per worker; two slow shared cores


def deep_merge(base: dict, top: dict) -> dict:
    merged = dict(base)
    for key, value in top.items():
        merged[key] = deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def policy_document(**overrides) -> dict:
    """The default policy with `overrides` merged over it (objects key by key, lists replaced)."""
    document = json.loads(DEFAULT_POLICY.read_text())
    document.pop("$schema", None)
    return deep_merge(document, overrides)


class AgentHome:
    """One testing home: where a daemon keeps its data, listens and reads its policy."""

    def __init__(self, policy: dict | None = None):
        self.root = Path(tempfile.mkdtemp(prefix="pf-e2e-"))
        self.root.chmod(0o700)
        self.socket = self.root / "agent.sock"
        self.policy_path = self.root / "policy.json"
        self.write_policy(policy or policy_document())

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / LOCK_FILE

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / OUTBOX_FILE

    @property
    def log_path(self) -> Path:
        return self.root / "log" / LOG_FILE

    def write_policy(self, document: dict) -> None:
        # Write then rename, so a daemon never reads half a file.
        partial = self.policy_path.with_suffix(".tmp")
        partial.write_text(json.dumps(document, indent=1))
        partial.replace(self.policy_path)

    def env(self) -> dict[str, str]:
        """What the daemon, and Chromium (hence the native host and a daemon it starts), run with."""
        return {
            "PROMPTFENCE_HOME": str(self.root),
            "PROMPTFENCE_SOCKET": str(self.socket),
            "PROMPTFENCE_POLICY": str(self.policy_path),
            "PROMPTFENCE_WORKERS": "1",  # two shared cores: one warm model is enough
        }

    def daemon_pid(self) -> int | None:
        """The pid the running daemon wrote into its lock file, if it is alive."""
        pid = read_pid(self.lock_path)
        if pid is None or pid == os.getpid():  # our own, while take_down() holds the lock
            return None
        return pid if psutil.pid_exists(pid) else None

    def healthy(self) -> bool:
        return existing_agent_healthy(str(self.socket))

    def wait_healthy(self, timeout: float = READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while not self.healthy():
            if time.monotonic() > deadline:
                raise AssertionError(f"the agent did not answer on {self.socket} within {timeout} s; "
                                     f"log: {self.log_tail()}")
            time.sleep(0.1)  # polling the socket, a condition with a deadline

    def log_tail(self, lines: int = 20) -> str:
        logs = sorted(self.root.rglob("*.log")) + sorted(self.root.glob("daemon-*.out"))
        text = "\n".join(path.read_text(errors="replace") for path in logs if path.is_file())
        return "\n".join(text.splitlines()[-lines:])

    def kill_daemon(self) -> int:
        """SIGKILL the daemon and its worker processes (as a crash would); return the dead pid."""
        pid = self.daemon_pid()
        assert pid is not None, "no daemon is running in this home"
        process = psutil.Process(pid)
        family = [process] + process.children(recursive=True)
        for member in family:
            try:
                member.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(family, timeout=15)
        return pid

    def take_down(self, attempts: int = 5) -> InstanceLock:
        """SIGKILL the daemon and take its single-instance lock, so that a daemon the native host starts
        meanwhile exits at once: the agent stays down, however eager the host is to restart it, until
        the returned lock is released. (The lock cannot be taken first: the live daemon holds it.)"""
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = InstanceLock(self.lock_path)
        for _ in range(attempts):
            if self.daemon_pid() is not None:
                self.kill_daemon()
            try:
                lock.acquire()
                return lock
            except AlreadyLocked:
                continue  # the host started a new daemon between our kill and our lock: again
        raise AssertionError(f"could not keep the agent down after {attempts} attempts")

    def cleanup(self) -> None:
        if self.daemon_pid() is not None:
            self.kill_daemon()
        shutil.rmtree(self.root, ignore_errors=True)


class AgentDaemon:
    """A daemon this test run starts itself (the other path: the native host starts it)."""

    def __init__(self, home: AgentHome):
        self.home = home
        self.process: subprocess.Popen | None = None
        self._runs = 0

    def start(self) -> None:
        self._runs += 1
        out = open(self.home.root / f"daemon-{self._runs}.out", "wb")
        self.process = subprocess.Popen(
            [*DAEMON, "--no-gui", "--socket", str(self.home.socket), "--home", str(self.home.root)],
            env={**os.environ, **self.home.env()},
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.home.healthy():
            if self.process.poll() is not None:
                raise AssertionError(f"the agent exited with {self.process.returncode}: {self.home.log_tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the agent was not ready in {READY_TIMEOUT_S} s: {self.home.log_tail()}")
            time.sleep(0.1)  # polling the socket, a condition with a deadline

    def kill(self) -> None:
        self.home.kill_daemon()
        if self.process is not None:
            self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.home.daemon_pid() is not None:
            self.home.kill_daemon()


def outbox_events(home: AgentHome) -> list[dict]:
    """The event documents in the daemon's outbox, read straight from its SQLite file (WAL mode lets us
    read while the daemon writes)."""
    import sqlite3

    if not home.outbox_path.exists():
        return []
    connection = sqlite3.connect(f"file:{home.outbox_path}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT body FROM events ORDER BY created_at").fetchall()
    finally:
        connection.close()
    return [json.loads(body) for (body,) in rows]


def wait_for_outbox_event(home: AgentHome, predicate, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        for event in outbox_events(home):
            if predicate(event):
                return event
        if time.monotonic() > deadline:
            raise AssertionError(f"no matching outbox event within {timeout} s; events: {outbox_events(home)}")
        time.sleep(0.1)  # polling the file, a condition with a deadline


def agent_files_bytes(home: AgentHome) -> bytes:
    """Everything the agent wrote under its home (outbox with its WAL, logs): where no text may be."""
    return b"".join(path.read_bytes() for path in sorted(home.root.rglob("*"))
                    if path.is_file() and path.name != "policy.json")
