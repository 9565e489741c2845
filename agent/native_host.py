"""`promptfence-native-host`: the thin relay between one browser profile and the agent daemon.

The browser starts this process for each extension port (design of keepassxc-proxy) and talks frames on
stdin/stdout: a 32-bit native-endian length, then UTF-8 JSON. The host

- checks the caller: Chrome passes the extension origin as argv[1] (plus --parent-window= on Windows),
  Firefox the manifest path and the extension id; an origin outside the allow-list gets
  `origin_not_allowed` for every message and the daemon is never contacted;
- reads each frame with its length capped (PROMPTFENCE_MAX_FRAME_BYTES, default 16 MiB); a longer one is
  answered `too_large` and skipped in 64 KiB chunks, never held, so the stream stays in sync;
- relays every readable request to the daemon as is, and the daemon's replies back as they come (any
  order; the browser matches ids), never a frame over 1 MB (Chrome's limit): a longer reply goes as
  `reply_part` frames, slices of its JSON text that the extension joins (split_reply);
- starts the daemon when none answers, waits for it up to a deadline, and answers `agent_unavailable`
  rather than hang; if the daemon dies, requests in flight get `agent_unavailable` and the next request
  reconnects (restarting it), so the browser's port survives. A new connection counts only once the
  daemon has answered a `status` probe on it.

Nothing but frames ever reaches stdout: file descriptor 1 is pointed at stderr at start and frames go
through a private duplicate. Standard library plus framing and ipc only, so it starts in a few tens of
milliseconds; tests/test_native_host.py checks that nothing heavy is imported.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

from promptfence.agent import framing, ipc

# The development extension's ids: Chrome's from the `key` pinned in extension/manifest.json, Firefox's
# from browser_specific_settings.gecko.id. Deployments list theirs in the config file or the environment.
DEV_ALLOWED_ORIGINS = (
    "chrome-extension://kclocbobpikonbnlimgpfjmcjgaogihp/",
    "promptfence@promptfence.org",
)
ENV_ALLOWED_ORIGINS = "PROMPTFENCE_ALLOWED_ORIGINS"
ENV_MAX_FRAME_BYTES = "PROMPTFENCE_MAX_FRAME_BYTES"
ENV_START_TIMEOUT = "PROMPTFENCE_START_TIMEOUT_S"
ENV_CONFIG = "PROMPTFENCE_HOST_CONFIG"
CONFIG_NAME = "promptfence-native-host.json"
DEFAULT_START_TIMEOUT_S = 10.0
# After a start that did not come up in time, later requests only try to connect (the daemon may still
# be loading) instead of waiting the whole deadline again, until this long has passed.
RESTART_COOLDOWN_S = 30.0
MAX_ID_CHARS = 128
# The liveness probe sent on each new connection (see DaemonLink._try_connect).
PROBE_ID = "promptfence-native-host-probe"
PROBE_TIMEOUT_S = 10.0


def load_config(argv0: str) -> dict:
    """The host's config file: $PROMPTFENCE_HOST_CONFIG, else promptfence-native-host.json beside it."""
    path = os.environ.get(ENV_CONFIG) or os.path.join(os.path.dirname(os.path.realpath(argv0)), CONFIG_NAME)
    try:
        with open(path, "rb") as handle:
            config = json.loads(handle.read(64 * 1024).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return config if isinstance(config, dict) else {}


def allowed_origins(config: dict) -> frozenset[str]:
    """$PROMPTFENCE_ALLOWED_ORIGINS (comma or space separated), else the config's list, else the dev ids."""
    env = os.environ.get(ENV_ALLOWED_ORIGINS)
    if env is not None:
        return frozenset(part for part in env.replace(",", " ").split() if part)
    listed = config.get("allowed_origins")
    if isinstance(listed, list) and all(isinstance(item, str) for item in listed):
        return frozenset(listed)
    return frozenset(DEV_ALLOWED_ORIGINS)


def caller_origin(argv: list[str]) -> str | None:
    """Who started us: `chrome-extension://ID/` (Chromium browsers), or the add-on id (Firefox, whose
    arguments are the manifest path and the add-on id)."""
    for arg in argv:
        if arg.startswith("chrome-extension://"):
            return arg if arg.endswith("/") else arg + "/"
    if len(argv) >= 2 and not argv[1].startswith("--"):
        return argv[1]
    return None


def int_setting(env_name: str, config: dict, key: str, default: float) -> float:
    raw = os.environ.get(env_name, config.get(key))
    try:
        value = float(raw) if raw is not None else default
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def request_key(message_id):
    """The id as the daemon will echo it: a string of 1..128 characters or an integer, else null."""
    if isinstance(message_id, bool):
        return None
    if isinstance(message_id, int):
        return message_id
    if isinstance(message_id, str) and 0 < len(message_id) <= MAX_ID_CHARS:
        return message_id
    return None


def reply_id(payload: bytes):
    """The id of a daemon reply without decoding a possibly large body: the daemon writes the envelope
    first ({"v":1,"type":"...","id":...}); anything else falls back to a full parse."""
    head = payload[:1024].decode("utf-8", "ignore")
    marker = head.find(',"id":')
    if head.startswith('{"v":') and 0 < marker < 64:
        try:
            value, _end = json.JSONDecoder().raw_decode(head, marker + 6)
            return request_key(value)
        except ValueError:
            pass
    try:
        return request_key(json.loads(payload).get("id"))
    except (ValueError, AttributeError):
        return None


def utf8_boundary(data: bytes, index: int) -> int:
    """The nearest index at or before `index` that does not fall inside a UTF-8 character."""
    while 0 < index < len(data) and data[index] & 0xC0 == 0x80:
        index -= 1
    return index


def split_reply(payload: bytes, request_id, limit: int = framing.MAX_PART_BYTES) -> list[bytes]:
    """A reply too long for one browser frame as `reply_part` frame bodies, each at most `limit` bytes:
    {"v":1,"type":"reply_part","id":ID,"part":i,"parts":n,"data":"<slice of the reply's JSON text>"}.

    The reply is cut as bytes, between UTF-8 characters, and never parsed. Each slice travels as a JSON
    string, and escaping grows it (a quote or a backslash doubles, a control character takes six bytes),
    so every part is measured once encoded and its slice shortened until it fits. Raises
    UnicodeDecodeError if the reply is not UTF-8."""
    id_json = json.dumps(request_id, ensure_ascii=False).encode("utf-8")
    head = b'{"v":1,"type":"reply_part","id":' + id_json + b',"part":%d,"parts":%d,"data":'
    # What the envelope takes, with room for part numbers of 9 digits.
    budget = limit - len(head % (10**9 - 1, 10**9 - 1)) - 1
    first_guess = budget * 3 // 4  # the daemon's JSON grows by about a quarter when escaped
    slices = []
    start = 0
    while start < len(payload):
        size = first_guess
        while True:
            end = utf8_boundary(payload, min(len(payload), start + size))
            if end <= start:  # a slice shorter than one character: take the whole character
                end = start + 1
                while end < len(payload) and payload[end] & 0xC0 == 0x80:
                    end += 1
            data = json.dumps(payload[start:end].decode("utf-8"), ensure_ascii=False).encode("utf-8")
            if len(data) <= budget:
                break
            # Shorten in proportion to the measured growth, with a margin, and always by something.
            size = min(end - start - 1, (end - start) * budget // len(data) * 31 // 32)
        slices.append(data)
        start = end
    count = len(slices)
    return [head % (index, count) + data + b"}" for index, data in enumerate(slices)]


def error_frame(request_id, code: str, message: str) -> bytes:
    return framing.encode_message({"v": 1, "type": "error", "id": request_id, "code": code, "message": message})


class BrowserOutput:
    """Frames to the browser, one writer at a time, none over Chrome's 1 MB."""

    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()

    def send_payload(self, payload: bytes, request_id) -> None:
        if len(payload) <= framing.MAX_REPLY_BYTES:
            self.send_frame(framing.encode_frame(payload))
        elif len(payload) > framing.MAX_ASSEMBLED_REPLY_BYTES:
            self.send_error(request_id, "too_large", "the reply exceeded what the extension reassembles")
        else:
            try:
                parts = split_reply(payload, request_id)
            except UnicodeDecodeError:
                self.send_error(request_id, "internal", "the agent's reply is not UTF-8")
                return
            self.send_frames([framing.encode_frame(part) for part in parts])

    def send_error(self, request_id, code: str, message: str) -> None:
        self.send_frame(error_frame(request_id, code, message))

    def send_frame(self, frame: bytes) -> None:
        self.send_frames([frame])

    def send_frames(self, frames: list[bytes]) -> None:
        # One reply's parts go out together, so no other frame comes between them.
        with self._lock:
            try:
                for frame in frames:
                    self._stream.write(frame)
                self._stream.flush()
            except (BrokenPipeError, ValueError, OSError):
                # The browser closed the port; the stdin loop will see EOF and end the process.
                pass


class DaemonLink:
    """The connection to the daemon: (re)connect, start it if needed, relay, track requests in flight."""

    def __init__(self, output: BrowserOutput, address: str, start_timeout_s: float):
        self.output = output
        self.address = address
        self.start_timeout_s = start_timeout_s
        self._channel: ipc.Channel | None = None
        self._in_flight: dict = {}  # request key -> how many with that id await a reply
        self._lock = threading.Lock()  # guards _channel and _in_flight together
        self._last_start_failed_at: float | None = None

    # --- sending -----------------------------------------------------------------------------------

    def relay(self, payload: bytes, key) -> None:
        """Forward one request; answer agent_unavailable if no daemon can be reached."""
        for _attempt in range(2):
            channel = self._channel or self._connect()
            if channel is None:
                self.output.send_error(key, "agent_unavailable", "the Promptfence agent is not running and could not be started")
                return
            with self._lock:
                if channel is not self._channel:
                    continue  # it died between connect and now: connect again
                # Registered before sending, under the lock the reader takes to fail requests in flight, so
                # a request is answered exactly once: by the daemon, or by agent_unavailable.
                self._in_flight[key] = self._in_flight.get(key, 0) + 1
                try:
                    channel.send(framing.encode_frame(payload))
                    return
                except OSError:
                    self._forget(key)
                    stranded = self._drop_channel(channel)
            self._fail(stranded)
            # The daemon went away before it got this request: a new one gets it (second attempt).
        self.output.send_error(key, "agent_unavailable", "the Promptfence agent went away")

    def _fail(self, keys: list) -> None:
        for key in keys:
            self.output.send_error(key, "agent_unavailable", "the Promptfence agent stopped before replying")

    def _forget(self, key) -> None:
        count = self._in_flight.get(key, 0)
        if count <= 1:
            self._in_flight.pop(key, None)
        else:
            self._in_flight[key] = count - 1

    def _drop_channel(self, channel: ipc.Channel) -> list:
        """Forget a dead channel (caller holds the lock); returns the keys that were in flight on it."""
        if channel is not self._channel:
            return []
        self._channel = None
        channel.close()
        stranded = [key for key, count in self._in_flight.items() for _ in range(count)]
        self._in_flight.clear()
        return stranded

    # --- connecting --------------------------------------------------------------------------------

    def _try_connect(self) -> ipc.Channel | None:
        """A channel to a daemon that answered a probe, or None.

        Connecting is not enough: a daemon that was just killed still accepts connections on its socket
        for a moment while the kernel closes its files (seen in tests right after SIGKILL), and requests
        sent there would be lost. A `status` round trip proves the other end is alive and an agent."""
        try:
            channel = ipc.connect(self.address, timeout=PROBE_TIMEOUT_S)
        except OSError:
            return None
        try:
            channel.send(framing.encode_message({"v": 1, "type": "status", "id": PROBE_ID}))
            payload = framing.FrameReader(channel.reader, framing.MAX_REPLY_BYTES).read()
            alive = payload is not None and reply_id(payload) == PROBE_ID
        except (OSError, framing.FrameError):
            alive = False
        if not alive:
            channel.close()
            return None
        channel.set_timeout(None)
        return channel

    def _connect(self) -> ipc.Channel | None:
        channel = self._try_connect()
        if channel is None:
            recently_failed = (
                self._last_start_failed_at is not None
                and time.monotonic() - self._last_start_failed_at < RESTART_COOLDOWN_S
            )
            if recently_failed:
                return None
            channel = self._start_daemon_and_wait()
        if channel is None:
            self._last_start_failed_at = time.monotonic()
            return None
        self._last_start_failed_at = None
        with self._lock:
            self._channel = channel
        threading.Thread(target=self._read_replies, args=(channel,), name="daemon-replies", daemon=True).start()
        return channel

    def _start_daemon_and_wait(self) -> ipc.Channel | None:
        try:
            start_daemon(self.address)
        except OSError as error:
            print(f"promptfence-native-host: cannot start the agent: {error}", file=sys.stderr)
            return None
        # Poll the condition "the socket accepts" with backoff: the daemon binds only once it is ready.
        deadline = time.monotonic() + self.start_timeout_s
        delay = 0.02
        while True:
            channel = self._try_connect()
            if channel is not None:
                return channel
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            time.sleep(min(delay, remaining))
            delay = min(delay * 1.5, 0.25)

    # --- receiving ---------------------------------------------------------------------------------

    def _read_replies(self, channel: ipc.Channel) -> None:
        # The daemon's replies are at most MAX_ASSEMBLED_REPLY_BYTES by construction; a longer one is
        # answered too_large for its id (read from its first bytes) and skipped, not held.
        reader = framing.FrameReader(channel.reader, limit=framing.MAX_ASSEMBLED_REPLY_BYTES)
        while True:
            try:
                payload = reader.read()
            except framing.FrameTooLarge as error:
                payload = self._skip_oversize(channel, reader, error.length)
            except (framing.FrameError, OSError, ValueError):
                payload = None
            if payload is None:
                break
            key = reply_id(payload)
            with self._lock:
                self._forget(key)
            self.output.send_payload(payload, key)
        with self._lock:
            stranded = self._drop_channel(channel)
        self._fail(stranded)

    def _skip_oversize(self, channel: ipc.Channel, reader: framing.FrameReader, length: int) -> bytes | None:
        """An error reply standing in for a daemon reply too long to relay, or None if the stream ended."""
        try:
            head = channel.reader.read(min(length, 1024))
            if len(head) < min(length, 1024) or not reader.skip(length - len(head)):
                return None
        except (OSError, ValueError):
            return None
        return framing.dump_message(
            {"v": 1, "type": "error", "id": reply_id(head), "code": "too_large",
             "message": "the reply exceeded what the extension reassembles"}
        )

    def close(self) -> None:
        with self._lock:
            if self._channel is not None:
                self._drop_channel(self._channel)


def start_daemon(address: str) -> None:
    """Start `promptfence agent` detached from us (own session, no stdio), so it outlives this host and
    never writes into the browser's pipe. A second one started by another host at the same moment finds
    the lock taken and exits."""
    import subprocess

    command = [sys.executable, "-m", "promptfence.agent.daemon", "--socket", address]
    home = os.environ.get(ipc.ENV_HOME)
    if home:
        command += ["--home", home]
    options = dict(
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        cwd=os.path.expanduser("~"),
    )
    if ipc.IS_WINDOWS:
        flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
        try:
            # Chrome runs native hosts in a job that kills the tree with them; the agent must stay.
            subprocess.Popen(command, creationflags=flags | subprocess.CREATE_BREAKAWAY_FROM_JOB, **options)
        except OSError:
            subprocess.Popen(command, creationflags=flags, **options)
    else:
        subprocess.Popen(command, start_new_session=True, **options)


def claim_stdout():
    """A private handle on the real stdout for frames; fd 1 then points at stderr, so a stray print or
    warning from anywhere lands in the browser's log instead of corrupting the stream."""
    if ipc.IS_WINDOWS:
        import msvcrt

        msvcrt.setmode(0, os.O_BINARY)
        msvcrt.setmode(1, os.O_BINARY)
    sys.stdout.flush()
    frames = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return frames


def serve(stdin, output: BrowserOutput, link: DaemonLink | None, max_frame_bytes: int) -> None:
    """The stdin loop. `link` None: the caller is not allowed, every request gets origin_not_allowed."""
    reader = framing.FrameReader(stdin, limit=max_frame_bytes)
    while True:
        try:
            payload = reader.read()
        except framing.FrameTooLarge as error:
            output.send_error(None, "too_large", str(error))
            if not reader.skip(error.length):
                return
            continue
        except framing.TruncatedFrame:
            return  # the browser closed the port in the middle of a frame: nothing to answer
        if payload is None:
            return
        try:
            message = framing.decode_message(payload)
        except framing.MessageError as error:
            output.send_error(None, error.code, str(error))
            continue
        key = request_key(message.get("id"))
        if link is None:
            output.send_error(key, "origin_not_allowed", "this extension is not allowed to use the Promptfence agent")
            continue
        link.relay(payload, key)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    output = BrowserOutput(claim_stdout())
    config = load_config(argv[0] if argv else "")
    origin = caller_origin(argv[1:])
    max_frame = int(int_setting(ENV_MAX_FRAME_BYTES, config, "max_frame_bytes", framing.DEFAULT_MAX_FRAME_BYTES))
    link = None
    if origin in allowed_origins(config):
        timeout = int_setting(ENV_START_TIMEOUT, config, "start_timeout_s", DEFAULT_START_TIMEOUT_S)
        link = DaemonLink(output, ipc.agent_address(), timeout)
    else:
        print(f"promptfence-native-host: caller {origin!r} is not in the allow-list", file=sys.stderr)
    try:
        serve(sys.stdin.buffer, output, link, max_frame)
    except KeyboardInterrupt:
        pass
    finally:
        if link is not None:
            link.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
