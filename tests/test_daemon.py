"""The agent daemon with a hand-written fake engine (tests/native_fakes.py): transport, protocol handlers,
outbox events, the worker pool's lanes, limits and crash recovery, the lock, keys and the socket's
protection. The real engine and the real host are exercised in tests/test_native_host.py."""

import asyncio
import functools
import json
import os
import socket
import stat
import struct
import threading
import uuid
from pathlib import Path

import jsonschema
import pytest

import native_fakes
from promptfence.agent import daemon, framing, ipc, keys, protocol, scheduler, winpipe
from promptfence.agent.lock import AlreadyLocked, InstanceLock
from promptfence.agent.outbox import AWAITING, READY, Outbox, OutboxError

SECRET = "AKIAZ7Q3WXYV4TRS2P5K"
EMAIL = "carol.secret@corp.example"
IO_TIMEOUT_S = 60


def validate(reply: dict) -> dict:
    jsonschema.validate(reply, protocol.load_schema(reply["type"]), format_checker=jsonschema.FormatChecker())
    return reply


class Client:
    """A blocking client speaking frames on the daemon's socket, as the native host does."""

    def __init__(self, address: str):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(IO_TIMEOUT_S)
        self.sock.connect(address)
        self.reader = framing.FrameReader(self.sock.makefile("rb"), limit=4 * framing.MAX_REPLY_BYTES)

    def send(self, message: dict) -> None:
        self.sock.sendall(framing.encode_message(message))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self) -> dict | None:
        payload = self.reader.read()
        return None if payload is None else json.loads(payload)

    def ask(self, message: dict) -> dict:
        self.send(message)
        return self.recv()

    def close(self) -> None:
        self.sock.close()


def scan(text, request_id="r1", **extra):
    return {"v": 1, "type": "scan", "id": request_id, "channel": "paste", "site": "chatgpt.com", "text": text, **extra}


class RunningDaemon:
    """daemon.run() on its own event loop in a thread, with the fake engine in real worker processes."""

    def __init__(self, home: Path, **settings):
        self.home = home
        self.settings = daemon.Settings(
            address=str(home / "run" / "agent.sock"),
            data_dir=home / "data",
            log_dir=home / "log",
            home=home,
            **settings,
        )
        self.agent = None
        self._ready = threading.Event()
        self._error = None
        self._thread = threading.Thread(target=self._main, daemon=True)

    def _main(self):
        pool_factory = functools.partial(scheduler.WorkerPool, factory=native_fakes.create)
        try:
            asyncio.run(daemon.run(self.settings, pool_factory, self._on_ready))
        except BaseException as error:  # noqa: BLE001 - reported to the test thread
            self._error = error
            self._ready.set()

    def _on_ready(self, agent):
        self.agent = agent
        self._ready.set()

    def start(self):
        daemon.setup_logging(self.settings.log_dir)
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.lock = InstanceLock(self.settings.lock_path)  # as daemon.main() takes it
        self.lock.acquire()
        self._thread.start()
        assert self._ready.wait(IO_TIMEOUT_S), "daemon did not become ready"
        assert self._error is None, self._error
        return self

    def stop(self):
        if self.agent is not None:
            self.agent.request_stop()
        self._thread.join(IO_TIMEOUT_S)
        self.lock.release()

    @property
    def address(self):
        return self.settings.address

    def client(self) -> Client:
        return Client(self.address)

    def log_text(self) -> str:
        for handler in __import__("logging").getLogger().handlers:
            handler.flush()
        return "".join(p.read_text(errors="replace") for p in sorted(self.settings.log_dir.glob("agent.log*")))


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    home = tmp_path_factory.mktemp("daemon-home")
    instance = RunningDaemon(home, workers=2, max_frame_bytes=1024 * 1024).start()
    yield instance
    instance.stop()


@pytest.fixture()
def client(running):
    connection = running.client()
    yield connection
    connection.close()


# --- protocol through the socket ---------------------------------------------------------------------


def test_when_saying_hello_then_versions_limits_and_capabilities(client):
    reply = validate(client.ask({"v": 1, "type": "hello", "id": "h", "versions": [1, 2], "client": {"version": "9.9"}}))
    assert reply["protocol"] == 1 and reply["policy_version"] == "fake-7" and reply["offsets"] == "utf16"
    assert reply["limits"]["max_frame_bytes"] == 1024 * 1024
    assert set(reply["capabilities"]) == {"scan", "user_action", "status", "policy"}


def test_when_hello_offers_no_common_version_then_unsupported_version(client):
    reply = validate(client.ask({"v": 1, "type": "hello", "id": "h", "versions": [2, 3]}))
    assert reply["code"] == "unsupported_version" and reply["supported_versions"] == [1]


def test_when_scanning_an_email_after_an_emoji_then_redact_with_utf16_offsets_and_no_value(running, client):
    text = f"😀 mail {EMAIL} now"
    reply = validate(client.ask(scan(text)))
    assert reply["decision"] == "redact"
    start = text.index(EMAIL) + 1  # the emoji is two UTF-16 code units
    assert reply["replacements"] == [{"start": start, "end": start + len(EMAIL), "placeholder": "<EMAIL_1>", "action": "redact"}]
    assert EMAIL not in json.dumps(reply)
    event = Outbox(running.settings.outbox_path).events(AWAITING)
    assert any(e["event_id"] == reply["event_id"] for e in event)


def test_when_scanning_a_secret_then_block_and_an_event_ready_at_once(running, client):
    reply = validate(client.ask(scan(f"key={SECRET}", extension_version="1.2.3")))
    assert reply["decision"] == "block" and SECRET not in json.dumps(reply)
    outbox = Outbox(running.settings.outbox_path)
    assert outbox.state_of(reply["event_id"]) == READY
    (event,) = [e for e in outbox.events() if e["event_id"] == reply["event_id"]]
    assert event["extension_version"] == "1.2.3" and event["counts"]["types"] == {"AWS_ACCESS_KEY_ID": 1}


def test_when_the_text_is_clean_then_allow_without_an_event(client):
    reply = validate(client.ask(scan("nothing to see")))
    assert (reply["decision"], reply["event_id"], reply["findings"]) == ("allow", None, [])


def test_when_the_user_accepts_a_redaction_then_the_event_is_completed_once(running, client):
    event_id = client.ask(scan(f"to {EMAIL}"))["event_id"]
    action = {"v": 1, "type": "user_action", "id": "u1", "event_id": event_id, "action": "accepted_redaction"}
    assert validate(client.ask(action))["recorded"] is True
    assert validate(client.ask({**action, "id": "u2"}))["recorded"] is False
    outbox = Outbox(running.settings.outbox_path)
    (event,) = [e for e in outbox.events(READY) if e["event_id"] == event_id]
    assert event["user_action"] == "accepted_redaction" and event["justification"] is None


def test_when_a_warning_needs_a_justification_then_an_override_without_one_is_refused(running, client):
    event_id = client.ask(scan("WARNME please"))["event_id"]
    override = {"v": 1, "type": "user_action", "id": "u", "event_id": event_id, "action": "overrode"}
    refused = validate(client.ask(override))
    assert (refused["code"], refused["field"]) == ("bad_request", "justification")
    assert client.ask({**override, "justification": "ticket 42"})["recorded"] is True
    (event,) = [e for e in Outbox(running.settings.outbox_path).events() if e["event_id"] == event_id]
    assert (event["user_action"], event["justification"]) == ("overrode", "ticket 42")


def test_when_the_event_id_is_unknown_then_not_recorded(client):
    reply = client.ask({"v": 1, "type": "user_action", "id": 5, "event_id": str(uuid.uuid4()), "action": "cancelled"})
    assert validate(reply)["recorded"] is False


def test_when_asking_status_and_policy_then_both_fit_their_schemas(client):
    status = validate(client.ask({"v": 1, "type": "status", "id": "s"}))
    assert status["state"] == "ok" and status["workers"] == 2 and status["connections"] >= 1
    policy = validate(client.ask({"v": 1, "type": "policy", "id": "p", "site": "chatgpt.com"}))
    assert policy["policy"]["site"] == {"host": "chatgpt.com", "guarded": True, "fail_mode": "builtin"}


def test_when_many_requests_are_in_flight_then_each_reply_has_its_id(client):
    for number in range(200):
        text = f"{number} {EMAIL}" if number % 3 == 0 else (f"{number} {SECRET}" if number % 3 == 1 else f"{number} ok")
        client.send(scan(text, request_id=f"m{number}"))
    replies = {}
    for _ in range(200):
        reply = client.recv()
        replies[reply["id"]] = reply
    assert set(replies) == {f"m{n}" for n in range(200)}
    for number in range(200):
        assert replies[f"m{number}"]["decision"] == ("redact", "block", "allow")[number % 3]


def test_when_the_text_is_over_the_engine_limit_then_too_large(client):
    reply = validate(client.ask(scan("x" * 100_001, request_id=77)))
    assert (reply["code"], reply["id"]) == ("too_large", 77)


def test_when_the_engine_fails_then_internal_and_the_log_has_the_type_not_the_text(running, client):
    reply = validate(client.ask(scan(f"BOOM {SECRET}", request_id="boom")))
    assert (reply["code"], reply["id"]) == ("internal", "boom")
    log = running.log_text()
    assert "RuntimeError" in log and "native_fakes.py" in log


def test_when_findings_would_exceed_one_megabyte_then_they_are_cut_and_replacements_kept(client):
    text = "a@b.cc " * 6000 + SECRET
    reply = validate(client.ask(scan(text, request_id="many")))
    assert len(framing.dump_message(reply)) <= framing.MAX_REPLY_BYTES
    assert reply["findings_truncated"] is True and len(reply["replacements"]) == 6000
    assert reply["findings"][-1]["type"] == "AWS_ACCESS_KEY_ID"  # the most severe is kept
    assert reply["findings"] == sorted(reply["findings"], key=lambda f: f["start"])


@pytest.mark.parametrize("extra", [0, 1])
def test_when_a_reply_is_exactly_one_megabyte_then_its_findings_stay_and_one_byte_more_cuts_them(extra):
    finding = {"type": "EMAIL_ADDRESS", "category": "pii", "start": 0, "end": 6, "score": 1.0, "rule": "email-address",
               "severity": "medium", "action": "redact"}
    result = {"v": 1, "type": "scan_result", "id": "x", "decision": "redact", "findings": [dict(finding) for _ in range(3000)],
              "replacements": [], "message": ""}
    result["message"] = "m" * (framing.MAX_REPLY_BYTES - len(framing.dump_message(result)) + extra)
    fitted = daemon.fit_reply(result)
    assert ("findings_truncated" in fitted, len(fitted["findings"]) == 3000) == (bool(extra), not extra)
    assert len(framing.dump_message(fitted)) <= framing.MAX_REPLY_BYTES


def test_when_replacements_alone_exceed_one_megabyte_then_all_are_sent_with_findings_cut_to_their_share(client):
    # Over 1 MB the native host relays the reply in parts; the daemon keeps every replacement.
    reply = validate(client.ask(scan("a@b.cc " * 14000, request_id="big")))
    assert (reply["type"], reply["id"], len(reply["replacements"])) == ("scan_result", "big", 14000)
    assert len(framing.dump_message(reply["replacements"])) > framing.MAX_REPLY_BYTES
    assert reply["findings_truncated"] is True and 0 < len(reply["findings"]) < 14000
    assert len(framing.dump_message(reply["findings"])) <= daemon.MIN_FINDINGS_BYTES


# --- frames ------------------------------------------------------------------------------------------


def test_when_a_frame_is_over_the_cap_then_too_large_and_the_next_frame_is_served(client):
    body = b"z" * (1024 * 1024 + 1)
    client.send_raw(framing.encode_frame(body))
    client.send({"v": 1, "type": "status", "id": "after"})
    first, second = client.recv(), client.recv()
    assert (first["code"], first["id"]) == ("too_large", None)
    assert (second["type"], second["id"]) == ("status_result", "after")


def test_when_the_body_is_not_json_or_not_utf8_then_typed_errors_with_null_id(client):
    client.send_raw(framing.encode_frame(b"\xff\xfe"))
    client.send_raw(framing.encode_frame(b"{oops"))
    codes = [client.recv()["code"], client.recv()["code"]]
    assert sorted(codes) == ["bad_request", "bad_utf8"]


def test_when_a_client_sends_half_a_frame_and_leaves_then_others_are_served(running):
    for partial in (b"\x10", framing.HEADER.pack(100) + b'{"v":1'):
        quitter = running.client()
        quitter.send_raw(partial)
        quitter.close()
    other = running.client()
    assert other.ask({"v": 1, "type": "status", "id": 1})["type"] == "status_result"
    other.close()


def test_when_a_client_hangs_up_mid_reply_then_the_daemon_keeps_serving(running):
    rude = running.client()
    many = " ".join(f"user{n}@corp.example" for n in range(2500))  # replies of several hundred KB
    for number in range(20):
        rude.send(scan(many, request_id=number))
    header = rude.sock.recv(4)  # the first reply has started to arrive
    assert len(header) == 4 and struct.unpack("=I", header)[0] > 100_000
    rude.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not FIN
    rude.close()
    polite = running.client()
    for number in range(3):
        assert polite.ask(scan(f"{number} {EMAIL}", request_id=number))["decision"] == "redact"
    assert polite.ask({"v": 1, "type": "status", "id": "s"})["state"] == "ok"
    polite.close()


def test_when_a_peer_runs_as_another_user_then_the_connection_is_dropped(running, monkeypatch):
    def reject(sock):
        raise ipc.PeerRejected("peer uid 4242 is not ours")

    monkeypatch.setattr(daemon.ipc, "check_peer", reject)
    intruder = running.client()
    intruder.send({"v": 1, "type": "status", "id": 1})
    try:
        assert intruder.recv() is None  # closed without a word...
    except ConnectionResetError:
        pass  # ...or reset, since the request was left unread
    intruder.close()
    monkeypatch.undo()
    assert "connection refused: peer uid 4242" in running.log_text()


def test_when_checking_a_peer_then_the_uid_decides(monkeypatch):
    left, right = socket.socketpair(socket.AF_UNIX)
    with left, right:
        assert ipc.check_peer(left) in (os.getpid(), None)
        monkeypatch.setattr(ipc.os, "getuid", lambda: os.geteuid() + 1)
        with pytest.raises(ipc.PeerRejected):
            ipc.check_peer(left)


def test_when_the_daemon_listens_then_the_socket_is_0600_in_a_0700_dir(running):
    assert stat.S_IMODE(os.stat(running.address).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(Path(running.address).parent).st_mode) == 0o700


def test_when_logging_then_no_text_or_value_reaches_the_log(running, client):
    client.ask(scan(f"{SECRET} and {EMAIL} WARNME BOOM", request_id="privacy"))
    client.ask(scan(f"again {SECRET}", request_id="privacy2", site="bad site!"))
    log = running.log_text()
    assert 'scan id="privacy"' in log and 'id="privacy2" failed code=bad_request' in log
    for value in (SECRET, EMAIL, "carol", "WARNME"):
        assert value not in log


def test_when_the_outbox_is_read_raw_then_no_text_or_value_is_stored(running, client):
    client.ask(scan(f"{SECRET} {EMAIL}", request_id="stored"))
    raw = b"".join(p.read_bytes() for p in running.settings.data_dir.glob("outbox.sqlite*"))
    assert SECRET.encode() not in raw and EMAIL.encode() not in raw


# --- single instance ---------------------------------------------------------------------------------


def test_when_the_lock_is_held_then_a_second_lock_fails_with_the_owner_pid(tmp_path):
    first = InstanceLock(tmp_path / "agent.lock")
    first.acquire()
    with pytest.raises(AlreadyLocked) as raised:
        InstanceLock(tmp_path / "agent.lock").acquire()
    assert raised.value.pid == os.getpid()
    first.release()
    with InstanceLock(tmp_path / "agent.lock"):
        pass


def test_when_a_healthy_agent_runs_then_a_second_promptfence_agent_exits_0_with_a_message(running, capsys):
    from promptfence.agent import cli

    code = cli.main(["agent", "--no-gui", "--home", str(running.home), "--socket", running.address])
    assert code == 0
    assert "already running" in capsys.readouterr().out


def test_when_the_lock_holder_does_not_answer_then_a_second_one_exits_1(tmp_path, capsys):
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    with InstanceLock(home / "data" / daemon.LOCK_FILE):
        code = daemon.main(["--no-gui", "--home", str(home), "--socket", str(tmp_path / "nobody.sock")])
    assert code == 1
    assert "does not answer" in capsys.readouterr().err


# --- the worker pool ---------------------------------------------------------------------------------


def pool(**options) -> scheduler.WorkerPool:
    return scheduler.WorkerPool(factory=native_fakes.create, factory_args=(None,), install_key=b"k" * 32, **options)


def wait_text(path: Path, size: int = 10) -> str:
    """A text the fake engine holds until `path` exists, padded to `size` characters."""
    text = f"WAIT-FOR:{path};"
    return text + " " * max(0, size - len(text))


async def scan_job(workers: scheduler.WorkerPool, text: str):
    from promptfence.agent import worker

    return await workers.submit(worker.scan, text, "chatgpt.com", "paste", size=len(text))


async def test_when_large_scans_wait_then_a_small_scan_still_gets_a_worker(tmp_path):
    workers = pool(workers=2, small_chars=100)
    await workers.start()
    try:
        gate = tmp_path / "gate"
        large = [asyncio.create_task(scan_job(workers, wait_text(gate, 500))) for _ in range(2)]
        small = await asyncio.wait_for(scan_job(workers, f"small {EMAIL}"), IO_TIMEOUT_S)
        assert small["result"]["decision"] == "redact"
        assert not any(task.done() for task in large)  # the small one did not wait for them
        gate.touch()
        await asyncio.wait_for(asyncio.gather(*large), IO_TIMEOUT_S)
    finally:
        await workers.close()


async def test_when_the_queue_is_full_then_busy(tmp_path):
    workers = pool(workers=1, max_pending=2)
    await workers.start()
    try:
        gate = tmp_path / "gate"
        held = [asyncio.create_task(scan_job(workers, wait_text(gate))) for _ in range(2)]
        await asyncio.sleep(0)  # let both tasks enqueue (a scheduling point, not a wait for time)
        assert workers.pending == 2
        with pytest.raises(scheduler.Busy):
            await scan_job(workers, "one too many")
        gate.touch()
        await asyncio.wait_for(asyncio.gather(*held), IO_TIMEOUT_S)
        assert workers.pending == 0
        assert (await scan_job(workers, "fits again"))["result"]["decision"] == "allow"
    finally:
        await workers.close()


async def test_when_a_worker_dies_then_its_job_fails_and_the_pool_restarts():
    workers = pool(workers=1)
    await workers.start()
    first_pids = list(workers.pids)
    try:
        with pytest.raises(scheduler.WorkerCrashed):
            await asyncio.wait_for(scan_job(workers, "CRASH-WORKER"), IO_TIMEOUT_S)
        after = await asyncio.wait_for(scan_job(workers, f"after {EMAIL}"), IO_TIMEOUT_S)
        assert after["result"]["decision"] == "redact"
        assert workers.restarts == 1 and workers.pids != first_pids and workers.healthy
    finally:
        await workers.close()


async def test_when_the_pool_closes_during_a_long_scan_then_it_does_not_wait_for_it(tmp_path):
    import psutil

    workers = pool(workers=1)
    await workers.start()
    (pid,) = workers.pids
    stuck = asyncio.create_task(scan_job(workers, wait_text(tmp_path / "never")))
    await asyncio.sleep(0)  # let it reach the worker's queue (a scheduling point)
    await asyncio.wait_for(workers.close(), IO_TIMEOUT_S)
    assert not psutil.pid_exists(pid)  # terminated and reaped, not left to finish the scan
    with pytest.raises((scheduler.WorkerCrashed, asyncio.CancelledError)):
        await stuck


async def test_when_the_engine_cannot_be_built_then_start_fails_with_its_type():
    workers = scheduler.WorkerPool(factory=native_fakes.create_broken, factory_args=(None,), workers=1)
    with pytest.raises(scheduler.WorkerCrashed, match="RuntimeError"):
        await workers.start()


# --- keys, outbox, addresses -------------------------------------------------------------------------


def test_when_no_keyring_backend_exists_then_a_0600_key_file_is_made_once(tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    key, where = keys.install_key(tmp_path)
    assert where == "file" and len(key) == keys.KEY_BYTES
    assert stat.S_IMODE(os.stat(tmp_path / keys.KEY_FILE).st_mode) == 0o600
    assert keys.install_key(tmp_path) == (key, "file")


def test_when_a_keyring_exists_then_the_key_lives_there_and_not_in_a_file(tmp_path):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.store = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        key, where = keys.install_key(tmp_path)
        assert where == "keyring" and not (tmp_path / keys.KEY_FILE).exists()
        assert keys.install_key(tmp_path) == (key, "keyring")
        assert (keys.KEYRING_SERVICE, keys.KEYRING_ACCOUNT) in memory.store
    finally:
        keyring.set_keyring(previous)


def test_when_the_outbox_comes_from_a_newer_agent_then_it_is_refused(tmp_path):
    Outbox(tmp_path / "o.sqlite").close()
    import sqlite3

    with sqlite3.connect(tmp_path / "o.sqlite") as raw:
        raw.execute("PRAGMA user_version=99")
    with pytest.raises(OutboxError):
        Outbox(tmp_path / "o.sqlite")


def test_when_events_go_unanswered_then_settle_makes_them_ready(tmp_path):
    from datetime import timedelta

    outbox = Outbox(tmp_path / "o.sqlite")
    outbox.add({"event_id": "e1", "user_action": None}, awaiting_action=True)
    assert outbox.settle(timedelta(minutes=15)) == 0
    assert outbox.settle(timedelta(0)) == 1
    assert outbox.state_of("e1") == READY and outbox.record_action("e1", "cancelled", None) is False
    assert outbox.device_id() == outbox.device_id()


def test_when_resolving_the_address_then_env_beats_home_beats_runtime_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(ipc.ENV_SOCKET, raising=False)
    monkeypatch.delenv(ipc.ENV_HOME, raising=False)
    assert ipc.agent_address(tmp_path) == str(tmp_path / "run" / "agent.sock")
    monkeypatch.setenv(ipc.ENV_HOME, str(tmp_path / "h"))
    assert ipc.agent_address() == str(tmp_path / "h" / "run" / "agent.sock")
    monkeypatch.setenv(ipc.ENV_SOCKET, "/x/y.sock")
    assert ipc.agent_address(tmp_path) == "/x/y.sock"


def test_when_the_runtime_dir_is_private_then_it_matches_platformdirs(tmp_path, monkeypatch):
    import platformdirs

    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert ipc.user_runtime_dir() == platformdirs.user_runtime_dir("promptfence", appauthor=False)


def test_when_the_runtime_dir_is_open_to_others_then_a_private_dir_under_data_is_used(tmp_path, monkeypatch):
    runtime = tmp_path / "xdg"
    runtime.mkdir()
    os.chmod(runtime, 0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    system = f"/run/user/{os.getuid()}"
    expected = f"{system}/promptfence" if ipc._private_dir_ok(system) else str(tmp_path / "data" / "promptfence" / "run")
    assert ipc.user_runtime_dir() == expected


def test_when_building_the_windows_pipe_descriptor_then_only_the_user_sid_is_granted():
    assert winpipe.sddl_for("S-1-5-21-1004336348-1177238915-682003330-512") == (
        "D:P(A;;GA;;;S-1-5-21-1004336348-1177238915-682003330-512)"
    )
    with pytest.raises(ValueError):
        winpipe.sddl_for("S-1-1-0)(A;;GA;;;WD")  # no injection of another entry


def test_when_on_windows_then_the_pipe_name_is_per_user_and_per_home(monkeypatch, tmp_path):
    monkeypatch.setattr(ipc, "IS_WINDOWS", True)
    monkeypatch.delenv(ipc.ENV_SOCKET, raising=False)
    monkeypatch.delenv(ipc.ENV_HOME, raising=False)
    monkeypatch.setenv("USERNAME", "alice")
    assert ipc.agent_address() == r"\\.\pipe\promptfence-agent-alice"
    assert ipc.agent_address(tmp_path) == ipc.agent_address(tmp_path) != ipc.agent_address()
