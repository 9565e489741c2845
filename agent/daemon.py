"""`promptfence agent`: the one long-running agent per OS user that every native host relays to.

It holds the single-instance lock, loads the classifier once per worker process (scheduler.py), listens
on the local socket (ipc.py; a named pipe on Windows, winpipe.py), answers protocol v1 (protocol.py,
PROTOCOL.md) and writes anonymised events to the outbox (outbox.py). It only binds its socket once the
workers are warm, so for a host "connect succeeded" means "ready".

Many hosts connect at once (browsers, profiles); each may have many requests in flight, answered in any
order and matched by id. Nothing here logs text or matched values: the log holds ids, counts, sizes and
timings.

    promptfence agent [--no-gui] [--socket PATH] [--home DIR] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import logging.handlers
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from promptfence.agent import events, framing, ipc, protocol, scheduler, worker
from promptfence.agent.lock import AlreadyLocked, InstanceLock
from promptfence.agent.protocol import ProtocolError, reply

log = logging.getLogger("promptfence.agent.daemon")

# The daemon's files: the log in the log dir, the instance lock and the event outbox in the data dir.
LOG_FILE = "agent.log"
LOCK_FILE = "agent.lock"
OUTBOX_FILE = "outbox.sqlite"
LOG_MAX_BYTES = 1024 * 1024
LOG_BACKUPS = 3
# A warn or redact nobody answered is sent without a user action after this long.
SETTLE_AFTER = timedelta(minutes=15)
SETTLE_EVERY_S = 300
HEALTH_CHECK_TIMEOUT_S = 5.0


def agent_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("promptfence")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class Settings:
    address: str
    data_dir: Path
    log_dir: Path
    home: Path | None = None
    workers: int = scheduler.DEFAULT_WORKERS
    max_pending: int = scheduler.DEFAULT_MAX_PENDING
    max_frame_bytes: int = framing.DEFAULT_MAX_FRAME_BYTES
    gui: bool = True

    @property
    def lock_path(self) -> Path:
        return self.data_dir / LOCK_FILE

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / OUTBOX_FILE


@dataclass(eq=False)
class Connection:
    number: int
    writer: asyncio.StreamWriter
    pid: int | None = None
    client_version: str | None = None
    tasks: set = field(default_factory=set)


class Agent:
    """The protocol handlers and the connection loop, around one worker pool and one outbox."""

    def __init__(self, settings: Settings, pool: scheduler.WorkerPool, outbox):
        self.settings = settings
        self.pool = pool
        self.outbox = outbox
        self.version = agent_version()
        self.started = time.monotonic()
        self.device_id = outbox.device_id()
        self.connections: set[Connection] = set()
        self._numbers = itertools.count(1)
        self.dispatcher = protocol.Dispatcher(
            {
                "hello": self.hello,
                "scan": self.scan,
                "user_action": self.user_action,
                "status": self.status,
                "policy": self.policy,
            }
        )

    @property
    def policy_version(self) -> str:
        return self.pool.info.get("policy_version", "")

    # --- handlers ----------------------------------------------------------------------------------

    async def hello(self, request: protocol.Request, conn: Connection) -> dict:
        offered = request.body.get("versions", [protocol.PROTOCOL_VERSION])
        shared = sorted(set(offered) & set(protocol.SUPPORTED_VERSIONS))
        if not shared:
            raise ProtocolError(
                "unsupported_version",
                "no protocol version in common",
                request.id,
                supported_versions=list(protocol.SUPPORTED_VERSIONS),
            )
        client = request.body.get("client") or {}
        if isinstance(client.get("version"), str):
            conn.client_version = client["version"]
        return reply(
            "hello_result",
            request.id,
            protocol=shared[-1],
            versions=list(protocol.SUPPORTED_VERSIONS),
            agent_version=self.version,
            policy_version=self.policy_version,
            capabilities=list(protocol.REQUEST_TYPES[1:]),
            limits={
                "max_frame_bytes": self.settings.max_frame_bytes,
                "max_reply_bytes": framing.MAX_REPLY_BYTES,
                "max_text_chars": self.pool.info.get("max_text_chars", 0),
            },
            offsets="utf16",
        )

    async def scan(self, request: protocol.Request, conn: Connection) -> dict:
        started = time.perf_counter()
        body = request.body
        text, site, channel = body["text"], body["site"], body["channel"]
        limit = self.pool.info.get("max_text_chars")
        if limit and len(text) > limit:
            # Refused here rather than after shipping the text to a worker.
            raise ProtocolError("too_large", f"text of {len(text)} characters exceeds {limit}", request.id)
        try:
            outcome = await self.pool.submit(worker.scan, text, site, channel, size=len(text))
        except scheduler.Busy:
            raise ProtocolError("busy", "the agent has too many scans waiting; retry shortly", request.id) from None
        except scheduler.WorkerCrashed:
            raise ProtocolError("internal", "the classifier stopped during the scan; retry", request.id) from None
        self._raise_for_error(outcome, request)
        result = outcome["result"]
        elapsed_ms = (time.perf_counter() - started) * 1000
        event_id = None
        if result["decision"] != "allow":
            event = events.new_event(
                device_id=self.device_id,
                user=outcome["user"],
                site=site,
                channel=channel,
                decision=result["decision"],
                summary=outcome["summary"],
                policy_version=outcome["policy_version"],
                agent_version=self.version,
                extension_version=body.get("extension_version") or conn.client_version,
                latency_ms=elapsed_ms,
            )
            self.outbox.add(
                event,
                awaiting_action=result["decision"] in ("warn", "redact"),
                justification_allowed=bool(result.get("justification_required")),
            )
            event_id = event["event_id"]
        self.pool.info["policy_version"] = outcome["policy_version"]
        result["elapsed_ms"] = round(elapsed_ms, 2)
        log.info(
            "scan id=%s conn=%d site=%s channel=%s chars=%d decision=%s findings=%d worker_ms=%.1f ms=%.1f",
            protocol.loggable_id(request.id), conn.number, site, channel, len(text), result["decision"],
            len(result["findings"]), outcome["worker_ms"], elapsed_ms,
        )
        return fit_reply(reply("scan_result", request.id, **result, event_id=event_id))

    async def user_action(self, request: protocol.Request, conn: Connection) -> dict:
        body = request.body
        event_id, action = body["event_id"], body["action"]
        justification = body.get("justification")
        if action == "overrode" and self.outbox.justification_required(event_id) and not (justification or "").strip():
            raise ProtocolError("bad_request", "this override needs a justification", request.id, field="justification")
        recorded = self.outbox.record_action(event_id, action, justification)
        log.info("user_action id=%s conn=%d action=%s recorded=%s", protocol.loggable_id(request.id), conn.number,
                 action, recorded)
        return reply("user_action_result", request.id, event_id=event_id, recorded=recorded)

    async def status(self, request: protocol.Request, conn: Connection) -> dict:
        return reply(
            "status_result",
            request.id,
            state="ok" if self.pool.healthy else "degraded",
            agent_version=self.version,
            policy_version=self.policy_version,
            protocol=protocol.PROTOCOL_VERSION,
            uptime_s=round(time.monotonic() - self.started, 1),
            workers=self.pool.workers,
            queue={"pending": self.pool.pending, "limit": self.pool.max_pending},
            connections=len(self.connections),
            outbox={"pending": self.outbox.unsent_count()},
        )

    async def policy(self, request: protocol.Request, conn: Connection) -> dict:
        try:
            view = await self.pool.submit(worker.policy_view, request.body.get("site"), size=0)
        except scheduler.Busy:
            raise ProtocolError("busy", "the agent is at its limit; retry shortly", request.id) from None
        except scheduler.WorkerCrashed:
            raise ProtocolError("internal", "the classifier stopped; retry", request.id) from None
        self._raise_for_error(view, request)
        return reply("policy_result", request.id, **view)

    @staticmethod
    def _raise_for_error(outcome: dict, request: protocol.Request) -> None:
        if "error" not in outcome:
            return
        if "crash" in outcome:
            crash = outcome["crash"]
            log.error("%s id=%s failed in the worker: %s at %s", request.type, protocol.loggable_id(request.id),
                      crash["exception"], " < ".join(reversed(crash["where"])))
        raise ProtocolError(outcome["error"]["code"], outcome["error"]["message"], request.id)

    # --- connections -------------------------------------------------------------------------------

    async def serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = Connection(next(self._numbers), writer)
        sock = writer.get_extra_info("socket")
        if sock is not None and sock.family == socket.AF_UNIX:
            try:
                conn.pid = ipc.check_peer(sock)
            except (ipc.PeerRejected, OSError) as error:
                log.warning("connection refused: %s", error)
                writer.close()
                return
        self.connections.add(conn)
        log.info("connection %d opened pid=%s", conn.number, conn.pid)
        try:
            await self._read_loop(reader, conn)
        finally:
            self.connections.discard(conn)
            # Requests still waiting for a worker are dropped; running ones finish and are discarded.
            for task in list(conn.tasks):
                task.cancel()
            writer.close()
            log.info("connection %d closed", conn.number)

    async def _read_loop(self, reader: asyncio.StreamReader, conn: Connection) -> None:
        limit = self.settings.max_frame_bytes
        while True:
            try:
                payload = await framing.read_frame_async(reader, limit)
            except framing.FrameTooLarge as error:
                log.info("conn=%d frame of %d bytes over the limit; skipping it", conn.number, error.length)
                await self._send(conn, protocol.error_reply(None, "too_large", str(error)))
                if not await framing.skip_async(reader, error.length):
                    return
                continue
            except framing.TruncatedFrame:
                log.info("conn=%d ended inside a frame", conn.number)
                return
            except (ConnectionError, OSError):
                return
            if payload is None:
                return
            task = asyncio.create_task(self._answer(payload, conn))
            conn.tasks.add(task)
            task.add_done_callback(conn.tasks.discard)

    async def _answer(self, payload: bytes, conn: Connection) -> None:
        message = await self.dispatcher.handle(payload, conn)
        await self._send(conn, message)

    async def _send(self, conn: Connection, message: dict) -> None:
        data = framing.dump_message(message)
        if len(data) > framing.MAX_ASSEMBLED_REPLY_BYTES:
            # Over 1 MB the host sends a reply in parts, which the extension joins up to this cap; past it,
            # a typed error lets the extension apply its fail mode.
            log.warning("reply id=%s of %d bytes over the reassembly cap", protocol.loggable_id(message.get("id")), len(data))
            data = framing.dump_message(
                protocol.error_reply(message.get("id"), "too_large", "the result is too large to send to the browser")
            )
        if conn.writer.is_closing():
            return
        try:
            conn.writer.write(framing.HEADER.pack(len(data)) + data)
            await conn.writer.drain()
        except (ConnectionError, OSError):
            # The host hung up mid-reply: its other requests end with the connection, others carry on.
            conn.writer.close()


SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


# The findings a reply always has room for, however many replacements it carries (~1,500 findings).
MIN_FINDINGS_BYTES = 256 * 1024


def fit_reply(result: dict) -> dict:
    """Keep a scan_result light: a text with thousands of findings (a pasted customer table) would pass
    the browser's 1 MB. Replacements are what the extension needs to redact, so they stay whole (a reply
    over 1 MB reaches the extension in parts); the findings list is cut to the most severe that keep the
    reply within 1 MB, or within MIN_FINDINGS_BYTES when the replacements alone take more, and
    `findings_truncated` says so."""
    findings = result["findings"]
    result["findings"] = []
    rest = len(framing.dump_message(result))
    # +1: the last finding needs no comma.
    if count_within(findings, framing.MAX_REPLY_BYTES - rest + 1) == len(findings):
        result["findings"] = findings
        return result
    result["findings_truncated"] = True
    budget = max(framing.MAX_REPLY_BYTES - rest - len(',"findings_truncated":true'), MIN_FINDINGS_BYTES)
    ranked = sorted(findings, key=lambda f: (SEVERITY_RANK.get(f["severity"], 9), f["start"]))
    kept = ranked[: count_within(ranked, budget)]
    result["findings"] = sorted(kept, key=lambda f: (f["start"], f["end"]))
    return result


def count_within(items: list, budget: int, chunk: int = 256) -> int:
    """How many of `items`, from the first, fit in `budget` bytes of JSON, each with a comma. Measured a
    chunk at a time (one dump per 256 items, not per item: tens of thousands of findings took 0.2 s) and
    item by item only in the chunk where the budget runs out."""
    used = kept = 0
    for begin in range(0, len(items), chunk):
        part = items[begin:begin + chunk]
        size = len(framing.dump_message(part)) - 2 + 1  # without its brackets; a comma per item
        if used + size <= budget:
            used += size
            kept += len(part)
            continue
        for item in part:
            size = len(framing.dump_message(item)) + 1
            if used + size > budget:
                return kept
            used += size
            kept += 1
        return kept
    return kept


# --- start-up ---------------------------------------------------------------------------------------


def setup_logging(log_dir: Path, level: str = "INFO") -> None:
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / LOG_FILE, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # asyncio's own error reports can quote an exception's message; keep only its warnings of note.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


def existing_agent_healthy(address: str) -> bool:
    """Whether a daemon answers `status` at `address` (used when the lock is taken)."""
    try:
        channel = ipc.connect(address, timeout=HEALTH_CHECK_TIMEOUT_S)
    except OSError:
        return False
    try:
        channel.send(framing.encode_message({"v": 1, "type": "status", "id": "health"}))
        payload = framing.FrameReader(channel.reader, framing.MAX_REPLY_BYTES).read()
        return payload is not None and framing.decode_message(payload).get("type") == "status_result"
    except (OSError, framing.FrameError):
        return False
    finally:
        channel.close()


def _bind_unix_socket(path: str) -> socket.socket:
    parent = Path(path).parent
    ipc.ensure_private_dir(parent)
    # We hold the lock, so a socket file left here belongs to a dead daemon.
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # created 0600: no window in which another user could connect
    try:
        sock.bind(path)
    finally:
        os.umask(old_umask)
    os.chmod(path, 0o600)
    return sock


async def run(settings: Settings, pool_factory=scheduler.WorkerPool, ready_callback=None) -> None:
    from promptfence.agent.keys import install_key
    from promptfence.agent.outbox import Outbox

    key, key_store = install_key(settings.data_dir, use_keyring=settings.home is None)
    outbox = Outbox(settings.outbox_path)
    pool = pool_factory(
        factory_args=(str(settings.home) if settings.home else None,),
        install_key=key,
        workers=settings.workers,
        max_pending=settings.max_pending,
    )
    started = time.perf_counter()
    await pool.start()
    log.info("workers ready n=%d pids=%s ms=%.0f key=%s policy=%s", settings.workers, pool.pids,
             (time.perf_counter() - started) * 1000, key_store, pool.info.get("policy_version"))
    agent = Agent(settings, pool, outbox)
    outbox.settle(SETTLE_AFTER)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C arrives as KeyboardInterrupt
            pass

    if ipc.IS_WINDOWS:
        from promptfence.agent import winpipe

        server = await winpipe.serve(settings.address, agent.serve_connection)
    else:
        sock = _bind_unix_socket(settings.address)
        server = await asyncio.start_unix_server(agent.serve_connection, sock=sock)
    log.info("listening on %s", settings.address)
    # For an embedding caller (tests run the daemon in a thread): stop it from any thread.
    agent.request_stop = lambda: loop.call_soon_threadsafe(stop.set)
    if ready_callback:
        ready_callback(agent)

    async def settle_periodically():
        while True:
            await asyncio.sleep(SETTLE_EVERY_S)  # a timer, not synchronisation
            outbox.settle(SETTLE_AFTER)

    settler = asyncio.create_task(settle_periodically())
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        settler.cancel()
        server.close()
        for conn in list(agent.connections):
            conn.writer.close()
        await pool.close()
        outbox.close()
        if not ipc.IS_WINDOWS:
            try:
                os.unlink(settings.address)
            except OSError:
                pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `promptfence agent` (the CLI's subcommand table calls this)."""
    parser.add_argument("--no-gui", action="store_true", help="no tray icon (tests, servers, headless sessions)")
    parser.add_argument("--socket", help="listen here instead of the user's runtime dir (a pipe name on Windows)")
    parser.add_argument("--home", help="testing mode: keep data, logs, lock and socket in this directory")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"classifier processes (default {scheduler.DEFAULT_WORKERS}, or $PROMPTFENCE_WORKERS)")
    parser.add_argument("--max-pending", type=int, default=scheduler.DEFAULT_MAX_PENDING,
                        help="scans waiting or running beyond which requests get `busy`")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="promptfence agent",
        description="Run the Promptfence agent daemon (one per user) that browsers reach through the native host.",
    )
    add_arguments(parser)
    return parser.parse_args(argv)


def settings_from_args(args: argparse.Namespace) -> Settings:
    from promptfence.agent.config import AgentConfig

    home = Path(args.home).resolve() if args.home else None
    config = AgentConfig.from_env(home=home) if home else AgentConfig.from_env()
    workers = args.workers or int(os.environ.get("PROMPTFENCE_WORKERS", scheduler.DEFAULT_WORKERS))
    max_frame = int(os.environ.get("PROMPTFENCE_MAX_FRAME_BYTES", framing.DEFAULT_MAX_FRAME_BYTES))
    return Settings(
        address=args.socket or ipc.agent_address(home),
        data_dir=config.data_dir,
        log_dir=config.log_dir,
        home=home,
        workers=workers,
        max_pending=args.max_pending,
        max_frame_bytes=max_frame,
        gui=not args.no_gui,
    )


def main(argv: list[str] | None = None) -> int:
    return run_cli(parse_args(argv))


def run_cli(args: argparse.Namespace) -> int:
    """`promptfence agent`: 0 when it ran and stopped, or when a healthy agent already runs; 1 otherwise."""
    settings = settings_from_args(args)
    ipc.ensure_private_dir(settings.data_dir)
    setup_logging(settings.log_dir, args.log_level)

    lock = InstanceLock(settings.lock_path)
    try:
        lock.acquire()
    except AlreadyLocked as taken:
        if existing_agent_healthy(settings.address):
            print(f"promptfence agent is already running (pid {taken.pid}) on {settings.address}")
            return 0
        print(
            f"another promptfence agent (pid {taken.pid}) holds {settings.lock_path} but does not answer on "
            f"{settings.address}; it may still be starting",
            file=sys.stderr,
        )
        return 1

    tray = None
    try:
        if settings.gui:
            from promptfence.agent import tray as tray_module

            tray = tray_module.start_if_possible()
        log.info("agent %s starting pid=%d socket=%s", agent_version(), os.getpid(), settings.address)
        asyncio.run(run(settings))
        return 0
    except scheduler.WorkerCrashed as error:
        log.error("cannot start: %s", error)
        print(f"promptfence agent: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if tray is not None:
            tray.stop()
        lock.release()


if __name__ == "__main__":
    sys.exit(main())
