"""The real path: `promptfence-native-host` spawned as Chrome spawns it (the extension origin as its
argument, framed stdio), relaying to a real `promptfence agent` daemon (testing mode: own home, own
socket) running the real Engine with the real spaCy model.

One daemon serves the whole module; the tests that kill or fail to start a daemon use their own homes.
Nothing waits on time: every wait is for a condition (the socket accepts, a reply arrives, a process
ends), bounded by a generous deadline so a broken build fails instead of hanging.
"""

import json
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import jsonschema
import psutil
import pytest

from promptfence.agent import framing, native_host, protocol
from promptfence.agent.daemon import LOCK_FILE, OUTBOX_FILE
from promptfence.agent.lock import read_pid
from promptfence.agent.outbox import Outbox

HOST = str(Path(sys.executable).with_name("promptfence-native-host"))
CHROME_ORIGIN = "chrome-extension://kclocbobpikonbnlimgpfjmcjgaogihp/"
AWS_KEY = "AKIAT4UTB674OHBZOI3T"
SECRET_TEXT = f's3 = boto3.client("s3", aws_access_key_id="{AWS_KEY}")'
EMAIL = "carol.jones@acme-corp.com"
PHONE = "415-555-0142"
DEADLINE_S = 180  # the model loads in ~3 s alone; the CI box is shared and slow


def validate(reply: dict) -> dict:
    jsonschema.validate(reply, protocol.load_schema(reply["type"]), format_checker=jsonschema.FormatChecker())
    return reply


def scan(text, request_id, site="chatgpt.com", channel="paste"):
    return {"v": 1, "type": "scan", "id": request_id, "channel": channel, "site": site, "text": text}


def wait_for(condition, what: str, deadline_s: float = DEADLINE_S):
    """Poll a condition with a short backoff until it holds or the deadline passes."""
    end = time.monotonic() + deadline_s
    delay = 0.01
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def socket_accepts(path: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
            return True
        except OSError:
            return False


def agent_env(home: Path, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROMPTFENCE_")}
    env.update(
        PROMPTFENCE_HOME=str(home),
        PROMPTFENCE_SOCKET=str(home / "run" / "agent.sock"),
        PROMPTFENCE_START_TIMEOUT_S=str(DEADLINE_S),
    )
    env.update(extra)
    return env


class Host:
    """A native host process driven like Chrome drives it."""

    def __init__(self, env: dict, args=(CHROME_ORIGIN,), log_dir: Path | None = None):
        self.stderr_path = (log_dir or Path(env["PROMPTFENCE_HOME"])) / f"host-{time.monotonic_ns()}.err"
        self.stderr_path.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [HOST, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(self.stderr_path, "wb"), env=env
        )
        self.raw_out = bytearray()
        self._frames: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while True:
            header = self.proc.stdout.read(4)
            self.raw_out += header
            if len(header) < 4:
                self._frames.put(None if not header else ("partial", header))
                return
            (length,) = struct.unpack("=I", header)
            body = self.proc.stdout.read(length)
            self.raw_out += body
            self._frames.put(body)

    def send(self, message: dict) -> None:
        self.send_raw(framing.encode_message(message))

    def send_raw(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def recv(self) -> dict:
        body = self._frames.get(timeout=DEADLINE_S)
        assert isinstance(body, bytes), f"host stdout ended: {body!r}"
        assert len(body) <= framing.MAX_REPLY_BYTES
        return json.loads(body)

    def ask(self, message: dict) -> dict:
        self.send(message)
        return self.recv()

    def recv_joined(self) -> tuple[dict, list[dict]]:
        """The next reply as the extension sees it: `reply_part` frames joined; and the parts."""
        first = self.recv()
        if first["type"] != "reply_part":
            return first, []
        parts = [first]
        while len(parts) < first["parts"]:
            parts.append(self.recv())
        return json.loads("".join(part["data"] for part in parts)), parts

    def close_stdin_and_wait(self) -> int:
        self.proc.stdin.close()
        return self.proc.wait(timeout=DEADLINE_S)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=DEADLINE_S)


class Daemon:
    """A `promptfence agent` in testing mode, started by the test (the fixture) or found by its lock."""

    def __init__(self, home: Path):
        self.home = home
        self.socket = str(home / "run" / "agent.sock")
        self.proc = None

    def start(self, workers: int = 2):
        self.home.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "promptfence.agent.daemon", "--no-gui", "--home", str(self.home),
             "--socket", self.socket, "--workers", str(workers)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(self.home / "daemon.err", "wb"),
            env=agent_env(self.home),
        )
        wait_for(lambda: self.proc.poll() is not None or socket_accepts(self.socket), "the daemon's socket")
        assert self.proc.poll() is None, (self.home / "daemon.err").read_text()
        return self

    @property
    def pid(self) -> int | None:
        return read_pid(self.home / "data" / LOCK_FILE)

    def log(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted((self.home / "log").glob("agent.log*")))

    def stop(self):
        pid = self.pid
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=DEADLINE_S)
        elif pid and psutil.pid_exists(pid):  # one a host started for us
            process = psutil.Process(pid)
            process.terminate()
            process.wait(timeout=DEADLINE_S)


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    daemon = Daemon(tmp_path_factory.mktemp("agent-home")).start()
    yield daemon
    daemon.stop()


@pytest.fixture()
def host(agent):
    process = Host(agent_env(agent.home))
    yield process
    process.stop()


# --- the conversation --------------------------------------------------------------------------------


def test_when_the_extension_says_hello_then_the_agent_answers_with_its_versions(host):
    reply = validate(host.ask({"v": 1, "type": "hello", "id": "h1", "versions": [1], "client": {"version": "0.1.0"}}))
    assert reply["protocol"] == 1 and reply["policy_version"] and reply["offsets"] == "utf16"


def test_when_a_secret_is_scanned_then_block_with_findings_and_no_secret_in_the_reply(host):
    reply = validate(host.ask(scan(SECRET_TEXT, "s1")))
    assert reply["decision"] == "block"
    (finding,) = [f for f in reply["findings"] if f["type"] == "AWS_ACCESS_KEY_ID"]
    assert SECRET_TEXT[finding["start"]:finding["end"]] == AWS_KEY
    assert AWS_KEY.encode() not in bytes(host.raw_out)


def test_when_contact_details_are_scanned_then_redact_with_utf16_replacements(host):
    text = f"😀 contact me at {EMAIL} or {PHONE}"
    reply = validate(host.ask(scan(text, "s2")))
    assert reply["decision"] == "redact"
    utf16 = text.encode("utf-16-le")
    spans = {r["placeholder"]: utf16[2 * r["start"]:2 * r["end"]].decode("utf-16-le") for r in reply["replacements"]}
    assert spans == {"<EMAIL_1>": EMAIL, "<PHONE_1>": PHONE}
    assert EMAIL.encode() not in bytes(host.raw_out) and PHONE.encode() not in bytes(host.raw_out)


def test_when_the_user_accepts_the_redaction_then_an_event_without_text_is_in_the_outbox(agent, host):
    scanned = host.ask(scan(f"mail {EMAIL}", "s3"))
    action = validate(host.ask({"v": 1, "type": "user_action", "id": "a3", "event_id": scanned["event_id"],
                                "action": "accepted_redaction"}))
    assert action["recorded"] is True
    outbox = Outbox(agent.home / "data" / OUTBOX_FILE)
    (event,) = [e for e in outbox.events() if e["event_id"] == scanned["event_id"]]
    assert (event["decision"], event["user_action"], event["site"]) == ("redact", "accepted_redaction", "chatgpt.com")
    assert event["counts"]["types"] == {"EMAIL_ADDRESS": 1}
    schema = json.loads((Path(protocol.shared_rules_dir()) / "schemas" / "event.schema.json").read_text())
    jsonschema.validate(event, schema)
    raw = b"".join(p.read_bytes() for p in (agent.home / "data").glob("outbox.sqlite*"))
    assert EMAIL.encode() not in raw and AWS_KEY.encode() not in raw


def test_when_status_and_policy_are_asked_then_both_answer(host):
    status = validate(host.ask({"v": 1, "type": "status", "id": "st"}))
    assert status["state"] == "ok" and status["workers"] == 2
    policy = validate(host.ask({"v": 1, "type": "policy", "id": "po", "site": "claude.ai"}))
    assert policy["policy"]["site"]["guarded"] is True
    assert "pseudonym_key" not in json.dumps(policy)


def test_when_scans_are_done_then_the_log_holds_no_text_or_value(agent, host):
    host.ask(scan(f"{SECRET_TEXT} {EMAIL}", "log1"))
    log = agent.log()
    assert 'scan id="log1"' in log
    for value in (AWS_KEY, EMAIL, "boto3"):
        assert value not in log


# --- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload, code, echoed",
    [
        (b"\xff\xfe\xfd", "bad_utf8", None),
        (b'{"v": 1, "type": "scan", "id": "j1", ', "bad_request", None),
        (b"[1, 2, 3]", "bad_request", None),
        (json.dumps({"v": 1, "type": "teleport", "id": "u1"}).encode(), "unknown_type", "u1"),
        (json.dumps({"v": 3, "type": "scan", "id": "v1"}).encode(), "unsupported_version", "v1"),
        (json.dumps({"v": 1, "type": "scan", "id": "f1", "site": "chatgpt.com", "channel": "paste"}).encode(), "bad_request", "f1"),
        (json.dumps({"v": 1, "type": "scan", "id": "f2", "site": "chatgpt.com", "channel": "paste", "text": 7}).encode(), "bad_request", "f2"),
        (json.dumps({"v": 1, "type": "scan", "id": ["x"], "site": "chatgpt.com", "channel": "paste", "text": ""}).encode(), "bad_request", None),
    ],
)
def test_when_the_input_is_bad_then_a_typed_error_and_the_host_carries_on(host, payload, code, echoed):
    host.send_raw(framing.encode_frame(payload))
    reply = validate(host.recv())
    assert (reply["code"], reply["id"]) == (code, echoed)
    assert host.ask({"v": 1, "type": "status", "id": "after"})["type"] == "status_result"


def test_when_a_field_is_missing_then_the_error_names_it(host):
    reply = host.ask({"v": 1, "type": "scan", "id": "nf", "site": "chatgpt.com", "text": "x"})
    assert reply["field"] == "channel"


def test_when_a_frame_is_truncated_at_the_end_then_the_host_exits_cleanly(agent):
    host = Host(agent_env(agent.home))
    host.send({"v": 1, "type": "status", "id": "first"})
    assert host.recv()["id"] == "first"
    host.send_raw(framing.HEADER.pack(500) + b'{"v": 1, "type": "sc')
    assert host.close_stdin_and_wait() == 0
    # Everything it wrote is whole frames.
    out, frames = bytes(host.raw_out), 0
    while out:
        (length,) = struct.unpack("=I", out[:4])
        json.loads(out[4:4 + length])
        out, frames = out[4 + length:], frames + 1
    assert frames == 1


def test_when_a_length_is_over_the_cap_then_too_large_without_buffering_and_the_stream_resyncs(agent, host):
    length = 60 * 1024 * 1024  # over the 16 MiB default cap, under Chrome's 64 MiB
    assert host.ask({"v": 1, "type": "status", "id": "warm"})["type"] == "status_result"  # started, connected
    baseline = psutil.Process(host.proc.pid).memory_info().rss
    host.send_raw(framing.HEADER.pack(length))
    chunk = b"A" * (1024 * 1024)
    for _ in range(length // len(chunk) // 2):
        host.send_raw(chunk)
    # Half the body has been consumed by the host (the pipe holds at most 64 KiB): it must not be in memory.
    midway = psutil.Process(host.proc.pid).memory_info().rss
    assert midway - baseline < 8 * 1024 * 1024
    for _ in range(length // len(chunk) // 2):
        host.send_raw(chunk)
    too_large = validate(host.recv())
    assert (too_large["code"], too_large["id"]) == ("too_large", None)
    assert host.ask({"v": 1, "type": "hello", "id": "resync"})["type"] == "hello_result"


def test_when_the_caller_is_not_allowed_then_origin_not_allowed_and_no_daemon_is_contacted(tmp_path):
    home = tmp_path / "untouched"
    env = agent_env(home)
    host = Host(env, args=("chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/",), log_dir=tmp_path)
    reply = validate(host.ask({"v": 1, "type": "hello", "id": "x"}))
    assert (reply["code"], reply["id"]) == ("origin_not_allowed", "x")
    assert host.close_stdin_and_wait() == 0
    assert not (home / "run").exists() and not (home / "data").exists()  # no daemon was started


def test_when_firefox_starts_the_host_then_its_addon_id_is_the_origin(agent):
    host = Host(agent_env(agent.home), args=("/usr/lib/mozilla/native-messaging-hosts/org.promptfence.agent.json",
                                             "promptfence@promptfence.org"))
    try:
        assert host.ask({"v": 1, "type": "status", "id": "ff"})["type"] == "status_result"
    finally:
        host.stop()


def test_when_the_allow_list_comes_from_the_environment_then_only_it_counts(agent):
    env = agent_env(agent.home, PROMPTFENCE_ALLOWED_ORIGINS="chrome-extension://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/")
    refused = Host(env)
    allowed = Host(env, args=("chrome-extension://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/",))
    try:
        assert refused.ask({"v": 1, "type": "status", "id": 1})["code"] == "origin_not_allowed"
        assert allowed.ask({"v": 1, "type": "status", "id": 2})["type"] == "status_result"
    finally:
        refused.stop()
        allowed.stop()


# --- load and failures -------------------------------------------------------------------------------


def test_when_4_hosts_send_1000_scans_at_once_then_every_reply_matches_its_id(agent):
    texts = [
        (SECRET_TEXT, "block"),
        (f"write to {EMAIL} today", "redact"),
        ("What is the capital of France? Answer briefly.", "allow"),
        (f"ünïcödé 😀 {PHONE}", "redact"),
    ]
    hosts = [Host(agent_env(agent.home)) for _ in range(4)]
    try:
        def write_all(index, host):
            for number in range(250):
                text, _ = texts[(number + index) % len(texts)]
                host.send(scan(f"{number}: {text}", f"h{index}-{number}"))

        writers = [threading.Thread(target=write_all, args=(i, h)) for i, h in enumerate(hosts)]
        for writer in writers:
            writer.start()
        for index, host in enumerate(hosts):
            replies = [host.recv() for _ in range(250)]
            by_id = {reply["id"]: reply for reply in replies}
            assert len(by_id) == 250 and set(by_id) == {f"h{index}-{n}" for n in range(250)}
            for number in range(250):
                reply = by_id[f"h{index}-{number}"]
                assert reply["type"] == "scan_result", reply
                assert reply["decision"] == texts[(number + index) % len(texts)][1]
        for writer in writers:
            writer.join()
    finally:
        for host in hosts:
            host.stop()


def test_when_a_client_hangs_up_mid_reply_then_the_daemon_serves_the_others(agent, host):
    rude = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    rude.settimeout(DEADLINE_S)
    rude.connect(agent.socket)
    many = " ".join(f"person{n}@acme-corp.com" for n in range(2000))
    for number in range(10):
        rude.sendall(framing.encode_message(scan(many, number)))
    header = rude.recv(4)
    assert len(header) == 4 and struct.unpack("=I", header)[0] > 50_000  # a big reply has started
    rude.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    rude.close()
    assert host.ask(scan(f"still {EMAIL}", "others"))["decision"] == "redact"
    assert psutil.pid_exists(agent.pid)


def test_when_no_daemon_runs_the_host_starts_it_and_survives_its_sigkill(tmp_path):
    home = tmp_path / "restart-home"
    daemon = Daemon(home)
    host = Host(agent_env(home))
    try:
        # No daemon: the host starts one and waits for it.
        assert validate(host.ask({"v": 1, "type": "hello", "id": "start"}))["type"] == "hello_result"
        first_pid = daemon.pid
        workers = psutil.Process(first_pid).children(recursive=True)
        big = "The quarterly report is due on Friday. " * 2_500 + EMAIL  # seconds to scan, small to answer
        for number in range(8):
            host.send(scan(big, f"inflight-{number}"))
        os.kill(first_pid, signal.SIGKILL)
        replies = {}
        for _ in range(8):
            reply = host.recv()
            replies[reply["id"]] = reply
        assert set(replies) == {f"inflight-{n}" for n in range(8)}
        assert all(r["type"] == "scan_result" or r["code"] == "agent_unavailable" for r in replies.values()), replies
        assert any(r["type"] == "error" for r in replies.values())
        # The next request restarts the daemon; the host (the browser's port) stayed up throughout.
        after = validate(host.ask(scan(SECRET_TEXT, "after-restart")))
        assert after.get("decision") == "block", after
        assert host.proc.poll() is None and daemon.pid != first_pid
        # The killed daemon's classifier workers did not outlive it.
        gone, alive = psutil.wait_procs(workers, timeout=DEADLINE_S)
        assert not alive
    finally:
        host.stop()
        daemon.stop()


def test_when_the_daemon_cannot_start_then_agent_unavailable_without_hanging(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the home directory should be")
    env = agent_env(blocker, PROMPTFENCE_START_TIMEOUT_S="3")
    env["PROMPTFENCE_SOCKET"] = str(tmp_path / "nobody.sock")
    host = Host(env, log_dir=tmp_path)
    try:
        first = validate(host.ask({"v": 1, "type": "status", "id": "s1"}))
        assert (first["code"], first["id"]) == ("agent_unavailable", "s1")
        second = validate(host.ask({"v": 1, "type": "status", "id": "s2"}))  # cooldown: no second wait
        assert (second["code"], second["id"]) == ("agent_unavailable", "s2")
        assert host.proc.poll() is None
    finally:
        host.stop()


# --- the host itself ---------------------------------------------------------------------------------

HEAVY_MODULES = ("spacy", "presidio_analyzer", "jsonschema", "numpy", "sqlite_utils", "keyring", "platformdirs",
                 "asyncio", "promptfence.agent.engine", "promptfence.agent.policy", "promptfence.agent.rules",
                 "promptfence.agent.daemon", "promptfence.agent.protocol", "promptfence.agent.errors")


def test_when_the_host_module_is_imported_then_nothing_heavy_comes_with_it():
    probe = "import sys, promptfence.agent.native_host; print('\\n'.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split())
    assert "promptfence.agent.native_host" in loaded
    assert not {name for name in loaded if name.split(".")[0] in HEAVY_MODULES or name in HEAVY_MODULES}


def dense_rows(rows: int) -> str:
    """A customer export: every row has an email address and a phone number."""
    return "id,email,phone,amount\n" + "".join(
        f"{i},user{i}@acme-corp.com,415-555-{i % 10000:04d},{i * 7 % 1000}.00\n" for i in range(rows)
    )


def test_when_a_dense_export_is_scanned_then_the_reply_comes_in_parts_under_1_mb_with_every_replacement(host):
    text = dense_rows(8000)  # 380 KB; its replacements alone are ~1.2 MB of JSON
    host.send(scan(text, "dense"))
    reply, parts = host.recv_joined()
    # Every frame on stdout was under Chrome's limit (recv checks it); these were parts of one reply.
    assert len(parts) >= 2 and all(len(framing.dump_message(part)) <= framing.MAX_PART_BYTES for part in parts)
    assert [(p["id"], p["part"], p["parts"]) for p in parts] == [("dense", i, len(parts)) for i in range(len(parts))]
    for part in parts:
        validate(part)
    validate(reply)
    assert (reply["id"], reply["decision"]) == ("dense", "redact")
    assert len(framing.dump_message(reply["replacements"])) > framing.MAX_REPLY_BYTES
    redacted = text
    for replacement in sorted(reply["replacements"], key=lambda r: r["start"], reverse=True):
        redacted = redacted[:replacement["start"]] + replacement["placeholder"] + redacted[replacement["end"]:]
    assert not re.search(r"[\w.]+@[\w-]+\.\w+", redacted)
    assert redacted.count("<EMAIL_") == 8000 and "user7999@" not in redacted
    # The host carries on with whole frames after a long reply.
    assert validate(host.ask({"v": 1, "type": "status", "id": "after"}))["type"] == "status_result"


def frames_of(data: bytes) -> list[bytes]:
    import io

    reader = framing.FrameReader(io.BytesIO(data), limit=framing.DEFAULT_MAX_FRAME_BYTES)
    frames = []
    while (payload := reader.read()) is not None:
        frames.append(payload)
    return frames


def joined(parts: list[bytes], request_id) -> bytes:
    """What the extension does: check each part's envelope and order, join the slices."""
    messages = [framing.decode_message(part) for part in parts]
    for index, message in enumerate(messages):
        validate(message)
        assert (message["id"], message["part"], message["parts"]) == (request_id, index, len(parts))
    return "".join(message["data"] for message in messages).encode("utf-8")


def big_scan_result(request_id, count: int, message: str = "m") -> bytes:
    replacements = [{"start": 10 * i, "end": 10 * i + 5, "placeholder": f"<EMAIL_{i + 1}>", "action": "redact"}
                    for i in range(count)]
    return framing.dump_message({"v": 1, "type": "scan_result", "id": request_id, "decision": "redact",
                                 "findings": [], "replacements": replacements, "message": message})


@pytest.mark.parametrize("request_id", ["r1", 17, 'r"\\é' + "x" * 120])
def test_when_a_reply_is_split_then_every_part_fits_and_the_parts_join_to_it(request_id):
    payload = big_scan_result(request_id, 40_000)  # ~2.8 MB
    parts = native_host.split_reply(payload, request_id)
    assert len(parts) >= 3
    assert all(len(part) <= framing.MAX_PART_BYTES < framing.MAX_REPLY_BYTES for part in parts)
    assert joined(parts, request_id) == payload


@pytest.mark.parametrize(
    "payload",
    [
        # Quotes and backslashes double when escaped, control characters take six bytes: a slice sized
        # for plain JSON would overflow, so the parts must be measured once encoded.
        ('"' * 1_500_000).encode(),
        ("\\\x01\x1f\n" * 500_000).encode(),
        big_scan_result("r1", 20_000, message='é"😀\\\u2028' * 200_000),
        ("é😀字" * 400_000).encode(),  # multi-byte characters never cut in the middle
    ],
    ids=["quotes", "backslashes-controls", "mixed-non-ascii", "multibyte"],
)
def test_when_a_reply_inflates_under_escaping_then_its_parts_are_still_under_the_limit(payload):
    parts = native_host.split_reply(payload, "r1")
    assert len(parts) >= 2 and all(len(part) <= framing.MAX_PART_BYTES for part in parts)
    assert joined(parts, "r1") == payload


def test_when_parts_are_small_then_cuts_fall_between_characters_and_order_is_kept():
    payload = ("a😀é\"字" * 2000).encode()
    parts = native_host.split_reply(payload, 5, limit=300)
    assert len(parts) > 50 and all(len(part) <= 300 for part in parts)
    assert joined(parts, 5) == payload


def test_when_a_reply_is_over_one_megabyte_then_the_browser_gets_it_in_parts_on_one_stream():
    import io

    sink = io.BytesIO()
    output = native_host.BrowserOutput(sink)
    payload = big_scan_result("big", 30_000)
    assert len(payload) > framing.MAX_REPLY_BYTES
    output.send_payload(payload, "big")
    output.send_payload(b'{"v":1,"type":"status_result","id":"s"}', "s")
    frames = frames_of(sink.getvalue())
    assert all(len(frame) <= framing.MAX_REPLY_BYTES for frame in frames)
    assert joined(frames[:-1], "big") == payload and framing.decode_message(frames[-1])["id"] == "s"


def test_when_a_reply_is_over_the_reassembly_cap_then_the_browser_gets_a_typed_error_instead():
    import io

    sink = io.BytesIO()
    output = native_host.BrowserOutput(sink)
    output.send_payload(b'{"v":1,"type":"scan_result","id":"big","x":"' + b"y" * framing.MAX_ASSEMBLED_REPLY_BYTES + b'"}', "big")
    (frame,) = frames_of(sink.getvalue())
    message = validate(framing.decode_message(frame))
    assert (message["code"], message["id"]) == ("too_large", "big")


def test_when_a_reply_is_not_utf8_then_internal_rather_than_a_broken_part():
    import io

    sink = io.BytesIO()
    native_host.BrowserOutput(sink).send_payload(b'{"v":1,"type":"scan_result","id":"u","x":"\xff' + b"y" * framing.MAX_REPLY_BYTES + b'"}', "u")
    (frame,) = frames_of(sink.getvalue())
    assert framing.decode_message(frame)["code"] == "internal"


@pytest.mark.parametrize(
    "argv, origin",
    [
        (["chrome-extension://abc/"], "chrome-extension://abc/"),
        (["chrome-extension://abc/", "--parent-window=6"], "chrome-extension://abc/"),
        (["/path/to/manifest.json", "addon@example.org"], "addon@example.org"),
        ([], None),
    ],
)
def test_when_reading_the_arguments_then_the_caller_origin_is_found(argv, origin):
    assert native_host.caller_origin(argv) == origin


def test_when_reading_a_reply_id_then_the_envelope_prefix_suffices():
    assert native_host.reply_id(b'{"v":1,"type":"scan_result","id":"r\\"7","decision":"allow"}') == 'r"7'
    assert native_host.reply_id(b'{"v":1,"type":"error","id":null,"code":"bad_utf8"}') is None
    assert native_host.reply_id(b'{"id": 12, "v": 1}') == 12  # another order: full parse


def test_when_the_daemon_sends_a_reply_over_the_reassembly_cap_then_too_large_for_its_id_and_the_next_reply_flows():
    import io

    class Channel:  # the daemon's end of the socket, as DaemonLink reads it
        def __init__(self, data: bytes):
            self.reader = io.BufferedReader(io.BytesIO(data))

        def close(self):
            pass

    huge = b'{"v":1,"type":"scan_result","id":"huge","x":"' + b"y" * framing.MAX_ASSEMBLED_REPLY_BYTES + b'"}'
    after = b'{"v":1,"type":"status_result","id":"next"}'
    channel = Channel(framing.encode_frame(huge) + framing.encode_frame(after))
    sink = io.BytesIO()
    link = native_host.DaemonLink(native_host.BrowserOutput(sink), "unused", 1.0)
    link._channel, link._in_flight = channel, {"huge": 1, "next": 1}
    link._read_replies(channel)
    first, second = (framing.decode_message(frame) for frame in frames_of(sink.getvalue()))
    assert (validate(first)["code"], first["id"]) == ("too_large", "huge")
    assert (second["type"], second["id"]) == ("status_result", "next")
