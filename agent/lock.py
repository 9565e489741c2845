"""One daemon per OS user (or per testing home): an exclusive, non-blocking lock on a file.

The OS drops the lock when the process dies, however it dies, so a stale lock file never blocks a
restart. The file holds the owner's pid, for messages and for tests that need to find the daemon.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class AlreadyLocked(Exception):
    """Another live process holds the lock; `pid` is what it wrote, or None if unreadable."""

    def __init__(self, path: Path, pid: int | None):
        super().__init__(f"{path} is held by pid {pid}")
        self.path = path
        self.pid = pid


def read_pid(path: Path) -> int | None:
    try:
        return int(Path(path).read_text().strip() or "x")
    except (OSError, ValueError):
        return None


class InstanceLock:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyLocked; never waits."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise AlreadyLocked(self.path, read_pid(self.path)) from None
        # The pid is written after locking, so a reader that sees it knows it belongs to the owner.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


if sys.platform == "win32":
    import msvcrt

    # Windows locks are mandatory: lock one byte far past the pid, so others can still read the pid.
    _LOCK_OFFSET = 1 << 20

    def _lock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        os.lseek(fd, 0, os.SEEK_SET)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        # flock, not lockf/fcntl: a POSIX record lock is dropped when *any* descriptor of the file
        # closes in the process, which read_pid() would do.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
