"""The daemon's listener on Windows: a named pipe only the current user can open.

asyncio's ProactorEventLoop serves named pipes (start_serving_pipe) but creates them with the default
security descriptor, which lets every local account open them for reading. Here each pipe instance is
created with a protected DACL granting access to the current user's SID alone, and with
PIPE_REJECT_REMOTE_CLIENTS; the rest is asyncio's own accept loop (windows_events.ProactorEventLoop.
start_serving_pipe), repeated because it offers no hook for the security attributes.

Byte mode, not message mode: frames carry their own lengths, and the client reads with overlapped
I/O (ipc._OverlappedPipe).

Only importable functions are exercised off Windows (tests/test_daemon.py checks the descriptor text).
"""

from __future__ import annotations

import asyncio
import sys

PIPE_REJECT_REMOTE_CLIENTS = 0x00000008
PIPE_BUFFER_BYTES = 64 * 1024


def sddl_for(sid: str) -> str:
    """A protected DACL (no inherited entries) granting GENERIC_ALL to one SID and nothing to anyone else."""
    if not sid.startswith("S-1-") or any(c not in "S0123456789-" for c in sid):
        raise ValueError("not a string SID")
    return f"D:P(A;;GA;;;{sid})"


if sys.platform == "win32":
    import ctypes
    import ctypes.wintypes as wintypes
    from asyncio import windows_events, windows_utils

    import _winapi

    _advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _TOKEN_QUERY = 0x0008
    _TOKEN_USER_CLASS = 1
    _SDDL_REVISION_1 = 1

    class _SecurityAttributes(ctypes.Structure):
        _fields_ = [
            ("nLength", wintypes.DWORD),
            ("lpSecurityDescriptor", wintypes.LPVOID),
            ("bInheritHandle", wintypes.BOOL),
        ]

    def current_user_sid() -> str:
        token = wintypes.HANDLE()
        if not _advapi32.OpenProcessToken(_kernel32.GetCurrentProcess(), _TOKEN_QUERY, ctypes.byref(token)):
            raise ctypes.WinError(ctypes.get_last_error())
        try:
            size = wintypes.DWORD()
            _advapi32.GetTokenInformation(token, _TOKEN_USER_CLASS, None, 0, ctypes.byref(size))
            buffer = ctypes.create_string_buffer(size.value)
            if not _advapi32.GetTokenInformation(token, _TOKEN_USER_CLASS, buffer, size, ctypes.byref(size)):
                raise ctypes.WinError(ctypes.get_last_error())
            sid_pointer = ctypes.cast(buffer, ctypes.POINTER(wintypes.LPVOID))[0]  # TOKEN_USER.User.Sid
            text = wintypes.LPWSTR()
            if not _advapi32.ConvertSidToStringSidW(sid_pointer, ctypes.byref(text)):
                raise ctypes.WinError(ctypes.get_last_error())
            try:
                return text.value
            finally:
                _kernel32.LocalFree(text)
        finally:
            _kernel32.CloseHandle(token)

    class _UserOnlyAttributes:
        """SECURITY_ATTRIBUTES for the current user only; kept alive as long as the server."""

        def __init__(self):
            descriptor = wintypes.LPVOID()
            ok = _advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
                sddl_for(current_user_sid()), _SDDL_REVISION_1, ctypes.byref(descriptor), None
            )
            if not ok:
                raise ctypes.WinError(ctypes.get_last_error())
            self._descriptor = descriptor
            self._struct = _SecurityAttributes(ctypes.sizeof(_SecurityAttributes), descriptor, False)
            self.address = ctypes.addressof(self._struct)

    class _UserOnlyPipeServer(windows_events.PipeServer):
        def __init__(self, address: str):
            self._attributes = _UserOnlyAttributes()
            super().__init__(address)

        def _server_pipe_handle(self, first):
            if self.closed():
                return None
            flags = _winapi.PIPE_ACCESS_DUPLEX | _winapi.FILE_FLAG_OVERLAPPED
            if first:
                # Fails if someone else already created a pipe of this name: no squatting.
                flags |= _winapi.FILE_FLAG_FIRST_PIPE_INSTANCE
            handle = _winapi.CreateNamedPipe(
                self._address,
                flags,
                _winapi.PIPE_TYPE_BYTE | _winapi.PIPE_READMODE_BYTE | _winapi.PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                _winapi.PIPE_UNLIMITED_INSTANCES,
                PIPE_BUFFER_BYTES,
                PIPE_BUFFER_BYTES,
                _winapi.NMPWAIT_WAIT_FOREVER,
                self._attributes.address,
            )
            pipe = windows_utils.PipeHandle(handle)
            self._free_instances.add(pipe)
            return pipe

    class _Listening:
        """What serve() returns: close() stops accepting, like asyncio's Server."""

        def __init__(self, server):
            self._server = server

        def close(self) -> None:
            self._server.close()

    async def serve(address: str, client_connected_cb, limit: int = 2**16):
        loop = asyncio.get_running_loop()
        if not isinstance(loop, windows_events.ProactorEventLoop):
            raise RuntimeError("named pipes need the ProactorEventLoop (the default on Windows)")
        server = _UserOnlyPipeServer(address)

        def protocol_factory():
            reader = asyncio.StreamReader(limit=limit, loop=loop)
            return asyncio.StreamReaderProtocol(reader, client_connected_cb, loop=loop)

        def accept(future=None):
            pipe = None
            try:
                if future is not None:
                    pipe = future.result()
                    server._free_instances.discard(pipe)
                    if server.closed():
                        pipe.close()
                        return
                    loop._make_duplex_pipe_transport(pipe, protocol_factory(), extra={"addr": address})
                pipe = server._get_unconnected_pipe()
                if pipe is None:
                    return
                future = loop._proactor.accept_pipe(pipe)
            except OSError:
                if pipe and pipe.fileno() != -1:
                    pipe.close()
                if not server.closed():
                    loop.call_soon(accept)
            except asyncio.CancelledError:
                if pipe:
                    pipe.close()
            else:
                server._accept_pipe_future = future
                future.add_done_callback(accept)

        loop.call_soon(accept)
        return _Listening(server)

else:

    async def serve(address: str, client_connected_cb, limit: int = 2**16):
        raise OSError("named pipes exist only on Windows")
