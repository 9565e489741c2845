"""Native messaging, measured end to end: the host as Chrome starts it, a real daemon, the real model.

    python -m bench.native            # the table (a minute or two on a slow two-core machine)
    python -m bench.native --quick    # fewer rounds

Rows:
- round trip through the host (stdin frame in, stdout frame out) for scans of 1 KB, 100 KB and 1 MB of
  document-like text (bench/corpus.py's hand-written paragraphs, with one 1 KB PII-dense sample at the top so
  every text has findings), median / p95 / p99, beside the agent's own time for the same requests (the
  reply's elapsed_ms: queue + scan) and the difference, which is what the relay and the framing add;
- once, 1 MB of bench/corpus.py's PII-dense mixed text (tens of thousands of findings): how long, and
  whether the reply fit the 1 MB limit (full run only);
- dense exports (CSV rows each with an email and a phone, 400 KB and 1 MB), whose replies pass 1 MB and
  come back as `reply_part` frames: round trip, agent time, frames, largest frame, and the host's CPU
  time to cut the reply (`--dense-only` runs just these);
- a `status` round trip (no scan): the relay alone;
- 1 KB scans while a 1 MB scan is running (the scheduler keeps a worker for small scans);
- request checking (protocol.parse_request: envelope + JSON Schema) for a 1 KB and a 1 MB scan;
- the daemon's memory (RSS of the main process and of its workers, and their PSS sum) with 4 hosts connected;
- host cold start: from spawning the host to its first reply (hello), daemon already warm.
Raw figures go to bench/results/native.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.corpus import NATURAL_PARAGRAPHS, mixed_text
from promptfence.agent import framing, protocol

ROOT = Path(__file__).resolve().parent.parent
HOST = str(Path(sys.executable).with_name("promptfence-native-host"))
ORIGIN = "chrome-extension://kclocbobpikonbnlimgpfjmcjgaogihp/"
SIZES = {"1 KB": 1_000, "100 KB": 100_000, "1 MB": 1_000_000}


def document_text(size: int) -> str:
    """A long document with a few sensitive values: what a large paste usually is."""
    head = mixed_text(1_000)
    body, index = [head], 0
    total = len(head)
    while total < size:
        paragraph = NATURAL_PARAGRAPHS[index % len(NATURAL_PARAGRAPHS)]
        body.append(paragraph)
        total += len(paragraph) + 2
        index += 1
    return "\n\n".join(body)[:size]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "median": statistics.median(values), "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99)}


class Host:
    def __init__(self, env: dict):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([HOST, ORIGIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        self.last_frames: list[int] = []  # the sizes of the frames the last reply came in

    def send(self, message: dict) -> None:
        self.proc.stdin.write(framing.encode_message(message))
        self.proc.stdin.flush()

    def recv_frame(self) -> bytes:
        header = self.proc.stdout.read(4)
        if len(header) < 4:
            raise RuntimeError("the host closed its stdout")
        (length,) = struct.unpack("=I", header)
        return self.proc.stdout.read(length)

    def recv(self) -> dict:
        """The next reply, joined from its reply_part frames as the extension joins them."""
        body = self.recv_frame()
        self.last_frames = [len(body)]
        message = json.loads(body)
        if message.get("type") != "reply_part":
            return message
        slices = [message["data"]]
        while len(slices) < message["parts"]:
            body = self.recv_frame()
            self.last_frames.append(len(body))
            slices.append(json.loads(body)["data"])
        return json.loads("".join(slices))

    def ask(self, message: dict) -> tuple[dict, float]:
        started = time.perf_counter()
        self.send(message)
        reply = self.recv()
        return reply, (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def start_daemon(home: Path, workers: int) -> subprocess.Popen:
    env = environment(home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "promptfence.agent.daemon", "--no-gui", "--home", str(home), "--socket",
         env["PROMPTFENCE_SOCKET"], "--workers", str(workers)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # poll the condition "the socket accepts"
        if proc.poll() is not None:
            raise RuntimeError(f"the daemon exited with {proc.returncode}; see {home}/log")
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(env["PROMPTFENCE_SOCKET"])
                return proc
            except OSError:
                time.sleep(0.05)
    raise RuntimeError("the daemon did not start")


def environment(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMPTFENCE_")}
    env.update(PROMPTFENCE_HOME=str(home), PROMPTFENCE_SOCKET=str(home / "run" / "agent.sock"))
    return env


def scan(text: str, request_id) -> dict:
    return {"v": 1, "type": "scan", "id": request_id, "channel": "paste", "site": "chatgpt.com", "text": text}


def round_trips(host: Host, rounds: dict) -> dict:
    results = {}
    for label, size in SIZES.items():
        text = document_text(size)
        host.ask(scan(text, "warm"))
        totals, agent, overhead = [], [], []
        for number in range(rounds[label]):
            reply, total_ms = host.ask(scan(text, number))
            assert reply["type"] == "scan_result", reply
            totals.append(total_ms)
            agent.append(reply["elapsed_ms"])
            overhead.append(total_ms - reply["elapsed_ms"])
        results[label] = {"round_trip_ms": summary(totals), "agent_ms": summary(agent), "relay_ms": summary(overhead),
                          "reply_bytes": len(framing.dump_message(reply))}
    statuses = [host.ask({"v": 1, "type": "status", "id": n})[1] for n in range(200)]
    results["status (relay only)"] = {"round_trip_ms": summary(statuses)}
    return results


def dense_rows(size: int) -> str:
    """A customer export of about `size` characters: every row has an email address and a phone number."""
    rows, total, index = ["id,email,phone,amount\n"], 0, 0
    while total < size:
        row = f"{index},user{index}@acme-corp.com,415-555-{index % 10000:04d},{index * 7 % 1000}.00\n"
        rows.append(row)
        total += len(row)
        index += 1
    return "".join(rows)


def dense_exports(host: Host, rounds: int) -> dict:
    from promptfence.agent import native_host

    results = {}
    for label, size in (("dense CSV 400 KB", 400_000), ("dense CSV 1 MB", 1_000_000)):
        text = dense_rows(size)
        host.ask(scan(text, "warm"))
        totals, agent = [], []
        for number in range(rounds):
            reply, total_ms = host.ask(scan(text, number))
            assert reply["type"] == "scan_result", reply
            totals.append(total_ms)
            agent.append(reply["elapsed_ms"])
        payload = framing.dump_message(reply)
        started = time.process_time()
        native_host.split_reply(payload, reply["id"])
        results[label] = {"round_trip_ms": summary(totals), "agent_ms": summary(agent),
                          "relay_ms": summary([t - a for t, a in zip(totals, agent)]),
                          "reply_bytes": len(payload), "replacements": len(reply["replacements"]),
                          "frames": len(host.last_frames), "largest_frame_bytes": max(host.last_frames),
                          "split_cpu_ms": (time.process_time() - started) * 1000}
    return results


def small_beside_large(host: Host, rounds: int) -> dict:
    """1 KB scans sent one after another while a 1 MB scan runs in the other worker."""
    small = document_text(1_000)
    host.send(scan(document_text(1_000_000), "large"))
    latencies, large_done_first = [], False
    for number in range(rounds):
        started = time.perf_counter()
        host.send(scan(small, f"small-{number}"))
        while True:
            reply = host.recv()
            if reply["id"] == "large":
                large_done_first = True
                continue
            break
        latencies.append((time.perf_counter() - started) * 1000)
    if not large_done_first:
        while host.recv()["id"] != "large":
            pass
    return {"round_trip_ms": summary(latencies), "large_finished_during": large_done_first}


def validation_cost() -> dict:
    out = {}
    for label in ("1 KB", "1 MB"):
        payload = framing.dump_message(scan(document_text(SIZES[label]), "v"))
        protocol.parse_request(payload)
        rounds = 200 if label == "1 KB" else 20
        started = time.perf_counter()
        for _ in range(rounds):
            protocol.parse_request(payload)
        out[label] = (time.perf_counter() - started) * 1000 / rounds
    return out


def engine_in_process(rounds: int) -> dict:
    """The same 1 KB scan with the Engine called directly: what the daemon's pool adds is agent - this."""
    from promptfence.agent.engine import Engine

    engine = Engine.create()
    text = document_text(1_000)
    engine.scan(text, site="chatgpt.com")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        engine.scan(text, site="chatgpt.com")
        times.append((time.perf_counter() - started) * 1000)
    return summary(times)


def memory(daemon_pid: int, env: dict, hosts: int = 4) -> dict:
    connected = [Host(env) for _ in range(hosts)]
    try:
        for host in connected:
            host.ask({"v": 1, "type": "hello", "id": 1})
        main = psutil.Process(daemon_pid)
        workers = [p for p in main.children() if "spawn_main" in " ".join(p.cmdline())]
        status = connected[0].ask({"v": 1, "type": "status", "id": "s"})[0]
        pss = 0
        for process in [main, *workers]:
            info = process.memory_full_info()
            pss += getattr(info, "pss", info.rss)
        return {
            "hosts_connected": status["connections"],
            "daemon_rss_mb": main.memory_info().rss / 2**20,
            "worker_rss_mb": [w.memory_info().rss / 2**20 for w in workers],
            "total_pss_mb": pss / 2**20,
            "host_rss_mb": statistics.median(psutil.Process(h.proc.pid).memory_info().rss / 2**20 for h in connected),
        }
    finally:
        for host in connected:
            host.close()


def cold_starts(env: dict, rounds: int) -> dict:
    times = []
    for _ in range(rounds):
        host = Host(env)
        host.send({"v": 1, "type": "hello", "id": "cold"})
        host.recv()
        times.append((time.perf_counter() - host.started) * 1000)
        host.close()
    return summary(times)


def table(results: dict) -> str:
    lines = ["native messaging (host as Chrome starts it -> daemon, real model, "
             f"{results['workers']} workers, {os.cpu_count()} cores)", ""]
    lines.append(f"{'round trip':<22}{'n':>5}{'median':>11}{'p95':>11}{'p99':>11}{'agent':>11}{'relay':>10}")
    for label, row in results["round_trips"].items():
        rt = row["round_trip_ms"]
        agent = f"{row['agent_ms']['median']:.1f}" if "agent_ms" in row else "-"
        relay = f"{row['relay_ms']['median']:.2f}" if "relay_ms" in row else "-"
        lines.append(f"{label:<22}{rt['n']:>5}{rt['median']:>11.1f}{rt['p95']:>11.1f}{rt['p99']:>11.1f}{agent:>11}{relay:>10}")
    beside = results["small_beside_large"]["round_trip_ms"]
    lines.append(f"{'1 KB beside a 1 MB':<22}{beside['n']:>5}{beside['median']:>11.1f}{beside['p95']:>11.1f}{beside['p99']:>11.1f}")
    for label, row in results.get("dense_exports", {}).items():
        rt = row["round_trip_ms"]
        lines.append(f"{label:<22}{rt['n']:>5}{rt['median']:>11.1f}{rt['p95']:>11.1f}{rt['p99']:>11.1f}"
                     f"{row['agent_ms']['median']:>11.1f}{row['relay_ms']['median']:>10.1f}  reply {row['reply_bytes'] / 1e6:.2f} MB, "
                     f"{row['replacements']} replacements, {row['frames']} frames (largest {row['largest_frame_bytes']:,} B), "
                     f"cut in {row['split_cpu_ms']:.1f} ms CPU")
    if "dense_1mb" in results:
        dense = results["dense_1mb"]
        lines.append(f"{'1 MB PII-dense':<22}{1:>5}{dense['round_trip_ms']:>11.1f}{'':>22}  reply: {dense['reply']}, "
                     f"{dense.get('replacements', 0)} replacements, findings truncated: {dense['findings_truncated']}")
    cold = results["cold_start_ms"]
    lines.append(f"{'host cold start':<22}{cold['n']:>5}{cold['median']:>11.1f}{cold['p95']:>11.1f}{cold['p99']:>11.1f}")
    engine = results["engine_in_process_ms"]
    lines.append(f"{'1 KB, Engine direct':<22}{engine['n']:>5}{engine['median']:>11.1f}{engine['p95']:>11.1f}{engine['p99']:>11.1f}")
    lines.append("(ms; agent = the reply's elapsed_ms, queue + worker pool + scan; relay = round trip - agent, medians;")
    lines.append(" Engine direct = the same 1 KB scan in-process, no daemon)")
    memory_row = results["memory"]
    lines.append("")
    lines.append(
        f"memory with {memory_row['hosts_connected']} hosts connected: daemon {memory_row['daemon_rss_mb']:.0f} MB RSS, "
        f"workers {' + '.join(f'{w:.0f}' for w in memory_row['worker_rss_mb'])} MB RSS, "
        f"all {memory_row['total_pss_mb']:.0f} MB PSS; a host {memory_row['host_rss_mb']:.0f} MB RSS"
    )
    check = results["validation_ms"]
    lines.append(f"request check (envelope + JSON Schema): 1 KB {check['1 KB'] * 1000:.0f} µs, 1 MB {check['1 MB'] * 1000:.0f} µs")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.native", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dense-only", action="store_true", help="only the dense exports (replies in parts)")
    args = parser.parse_args(argv)
    rounds = {"1 KB": 60, "100 KB": 10, "1 MB": 3} if args.quick else {"1 KB": 300, "100 KB": 20, "1 MB": 5}

    with tempfile.TemporaryDirectory(prefix="pf-bench-native-") as tmp:
        home = Path(tmp)
        daemon = start_daemon(home, args.workers)
        env = environment(home)
        try:
            host = Host(env)
            host.ask({"v": 1, "type": "hello", "id": 0})
            if args.dense_only:
                results = {"workers": args.workers, "dense_exports": dense_exports(host, 5)}
                host.close()
                print(json.dumps(results, indent=2))
                return 0
            results = {"workers": args.workers, "round_trips": round_trips(host, rounds)}
            results["dense_exports"] = dense_exports(host, 3 if args.quick else 5)
            results["small_beside_large"] = small_beside_large(host, 20)
            if not args.quick:
                reply, total_ms = host.ask(scan(mixed_text(1_000_000), "dense"))
                # An error reply names its code; a scan_result's own "code" is the source-code verdict.
                outcome = reply["code"] if reply["type"] == "error" else reply["decision"]
                results["dense_1mb"] = {"round_trip_ms": total_ms, "reply": outcome,
                                        "replacements": len(reply.get("replacements", ())),
                                        "findings_truncated": bool(reply.get("findings_truncated"))}
            host.close()
            results["memory"] = memory(daemon.pid, env)
            results["cold_start_ms"] = cold_starts(env, 10 if args.quick else 30)
            results["validation_ms"] = validation_cost()
            results["engine_in_process_ms"] = engine_in_process(60 if args.quick else 300)
        finally:
            daemon.terminate()
            daemon.wait(timeout=60)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "native.json").write_text(json.dumps(results, indent=2))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
