"""The local channel between the native host and the daemon: where it is, how to reach it, who is calling.

Linux and macOS: a Unix domain socket in the user's runtime directory, mode 0600, and the daemon checks
the peer's uid (SO_PEERCRED on Linux, LOCAL_PEERCRED on macOS). Windows: a named pipe whose security
descriptor admits only the user (the server side is in winpipe.py).

Standard library only: the native host imports this module, and the daemon must compute the very same
address, so both go through `agent_address()`.
"""

from __future__ import annotations

import os
import socket
import stat
import struct
import sys
import zlib

APP_NAME = "promptfence"
SOCKET_NAME = "agent.sock"
# Environment overrides, used by the testing mode and inherited by a daemon the host starts.
ENV_SOCKET = "PROMPTFENCE_SOCKET"
ENV_HOME = "PROMPTFENCE_HOME"

IS_WINDOWS = sys.platform == "win32"


class PeerRejected(Exception):
    """The process at the other end of the socket belongs to another user."""


# --- where --------------------------------------------------------------------------------------------


def _private_dir_ok(path: str) -> bool:
    """A real directory (not a symlink) owned by us and closed to others, as the XDG spec requires."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) & 0o077 == 0
    )


def _home(*parts: str) -> str:
    return os.path.join(os.path.expanduser("~"), *parts)


def user_data_dir() -> str:
    """platformdirs' user_data_dir("promptfence") computed with the standard library."""
    if sys.platform == "darwin":
        return _home("Library", "Application Support", APP_NAME)
    if IS_WINDOWS:
        base = os.environ.get("LOCALAPPDATA") or _home("AppData", "Local")
        return os.path.join(base, APP_NAME, APP_NAME)
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = xdg if xdg and os.path.isabs(xdg) else _home(".local", "share")
    return os.path.join(base, APP_NAME)


def user_runtime_dir() -> str:
    """The user's runtime dir for the socket, like platformdirs' user_runtime_dir("promptfence").

    $XDG_RUNTIME_DIR, else /run/user/<uid>, each only if it is ours and private; otherwise a 0700
    directory under the data dir (rather than a guessable path in /tmp that another user could
    pre-create).
    """
    if sys.platform == "darwin":
        return _home("Library", "Caches", "TemporaryItems", APP_NAME)
    candidates = []
    xdg = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if xdg and os.path.isabs(xdg):
        candidates.append(xdg)
    candidates.append(f"/run/user/{os.getuid()}")
    for base in candidates:
        if _private_dir_ok(base):
            return os.path.join(base, APP_NAME)
    return os.path.join(user_data_dir(), "run")


def agent_address(home: str | os.PathLike | None = None) -> str:
    """Where the daemon listens: a socket path, or a pipe name on Windows.

    $PROMPTFENCE_SOCKET wins; then a testing home (`home`, else $PROMPTFENCE_HOME) holds its own
    socket in run/; then the user's runtime dir.
    """
    explicit = os.environ.get(ENV_SOCKET)
    if explicit:
        return explicit
    home = home or os.environ.get(ENV_HOME)
    if IS_WINDOWS:
        user = os.environ.get("USERNAME", "user")
        # crc32, not hash(): the host and the daemon must derive the same name in different processes.
        suffix = f"-{zlib.crc32(os.path.realpath(home).encode()):08x}" if home else ""
        return rf"\\.\pipe\{APP_NAME}-agent-{user}{suffix}"
    if home:
        # The layout of a testing home is config.AgentConfig's: data/, log/ and run/ under it.
        return os.path.join(os.fspath(home), "run", SOCKET_NAME)
    return os.path.join(user_runtime_dir(), SOCKET_NAME)


def ensure_private_dir(path: str | os.PathLike) -> None:
    """Create `path` (and parents) with mode 0700 and refuse one that others can write or own."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    if IS_WINDOWS:
        return  # the user's profile directories are already private; no uid to compare
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise PermissionError(f"{path} is not a directory owned by this user")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o700)


# --- who ----------------------------------------------------------------------------------------------

# struct xucred from <sys/ucred.h> on macOS: cr_version, cr_uid, cr_ngroups, cr_groups[NGROUPS=16].
_XUCRED = struct.Struct("IIh16I")
_SOL_LOCAL = 0
_LOCAL_PEERCRED = 0x001
# struct ucred from <sys/socket.h> on Linux: pid, uid, gid.
_UCRED = struct.Struct("3i")


def peer_credentials(sock: socket.socket) -> tuple[int | None, int]:
    """(pid or None, uid) of the process connected to a Unix socket."""
    if hasattr(socket, "SO_PEERCRED"):
        pid, uid, _gid = _UCRED.unpack(sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size))
        return pid, uid
    if sys.platform == "darwin":
        fields = _XUCRED.unpack(sock.getsockopt(_SOL_LOCAL, _LOCAL_PEERCRED, _XUCRED.size))
        return None, fields[1]
    raise OSError("no peer-credential call on this platform")


def check_peer(sock: socket.socket) -> int | None:
    """Raise PeerRejected unless the peer runs as our uid; return its pid where the OS tells it."""
    pid, uid = peer_credentials(sock)
    if uid != os.getuid():
        raise PeerRejected(f"peer uid {uid} is not {os.getuid()}")
    return pid


# --- connect (client side) ----------------------------------------------------------------------------


class Channel:
    """A connected, blocking byte stream to the daemon: `reader` for FrameReader, `send` for frames."""

    def __init__(self, reader, send, close, set_timeout=None):
        self.reader = reader
        self.send = send
        self._close = close
        self._set_timeout = set_timeout

    def set_timeout(self, seconds: float | None) -> None:
        """Bound later reads and writes (None: block). Pipes on Windows ignore it."""
        if self._set_timeout is not None:
            self._set_timeout(seconds)

    def close(self) -> None:
        try:
            self._close()
        except OSError:
            pass


def connect(address: str, timeout: float | None = None) -> Channel:
    """Connect to the daemon; OSError (ENOENT, ECONNREFUSED, ...) when nobody listens there.

    `timeout` bounds every later read and write too (socket.timeout, an OSError); None blocks.
    """
    if IS_WINDOWS:
        return _connect_pipe(address)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    reader = sock.makefile("rb")

    def close():
        # shutdown first: it wakes a thread blocked reading from the socket, close alone does not.
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        reader.close()
        sock.close()

    return Channel(reader, sock.sendall, close, sock.settimeout)


class _OverlappedPipe:
    """A client end of a named pipe with overlapped I/O, so one thread can write while another waits
    in a read (synchronous handles serialise the two). The pattern of multiprocessing.connection."""

    def __init__(self, handle):
        self._handle = handle

    def read(self, size: int) -> bytes:
        import _winapi

        try:
            overlapped, _ = _winapi.ReadFile(self._handle, size, overlapped=True)
            _nread, err = overlapped.GetOverlappedResult(True)
        except OSError as error:
            if getattr(error, "winerror", None) == _winapi.ERROR_BROKEN_PIPE:
                return b""
            raise
        if err not in (0, _winapi.ERROR_MORE_DATA):
            return b""
        return overlapped.getbuffer()

    def write(self, data: bytes) -> None:
        import _winapi

        view = memoryview(data)
        while view:
            overlapped, _ = _winapi.WriteFile(self._handle, view, overlapped=True)
            written, _err = overlapped.GetOverlappedResult(True)
            view = view[written:]

    def close(self) -> None:
        import _winapi

        _winapi.CloseHandle(self._handle)


def _connect_pipe(address: str) -> Channel:
    import _winapi

    try:
        handle = _winapi.CreateFile(
            address,
            _winapi.GENERIC_READ | _winapi.GENERIC_WRITE,
            0,
            _winapi.NULL,
            _winapi.OPEN_EXISTING,
            _winapi.FILE_FLAG_OVERLAPPED,
            _winapi.NULL,
        )
    except OSError as error:
        raise ConnectionRefusedError(str(error)) from None
    pipe = _OverlappedPipe(handle)
    return Channel(pipe, pipe.write, pipe.close)
