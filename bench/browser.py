"""In-browser latency of the extension: from the user's Control+V to the text in the editor (or the
block notice on screen), on the chatgpt.com fixture (the real ProseMirror), with the real extension,
native host and daemon, against the same page in the same Chromium without the extension.

    python -m bench.browser [--runs N] [--runs-large N] [--json PATH]

Timing is taken inside the page: the start is the keydown event's own timestamp (when Chromium created
the key event), the end is performance.now() in the editor's change callback (or when the extension's
UI host appears, for a block). Each run loads a fresh page; the first runs of each case are discarded
as warm-up. Figures: median and 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.harness import browser as browser_mod
from tests.e2e.harness import sites, tls
from tests.e2e.harness.agent_process import AgentDaemon, AgentHome, policy_document
from tests.e2e.harness.fixture_build import build_fixtures
from tests.e2e.harness.site_server import SiteServer
from tests.e2e.harness.user_input import focus, open_site, set_clipboard

SITE = sites.CHATGPT
SIZES = {"1 KB": 1024, "100 KB": 100 * 1024}
WARMUP_RUNS = 2
RUN_TIMEOUT_MS = 60_000
RESULTS = Path("bench/results/browser.json")
# The daemon logs one line per scan (no text): its own time and decision, to set beside the browser's.
SCAN_LOG_LINE = re.compile(r" scan id=\S+ .*?chars=(\d+) decision=(\w+) .*? ms=([\d.]+)$")

# Ordinary prompt sentences without names, places or organisations: clean text the agent reads in
# full (NER included) and lets through. (Random word salad is not clean: sentence-initial nouns read as
# names to a small NER model.)
SENTENCES = """\
We moved the release to next week because the integration tests kept failing on the build server.
Please summarise the main risks of the migration plan in a short paragraph.
The team agreed to review the budget again after the quarterly numbers are final.
Most of the latency comes from the database query that runs before every page load.
Can you suggest a clearer structure for the onboarding guide for new engineers?
The customer feedback from the last survey was mostly positive about the new search feature.
We still need an owner for the action items from the weekly planning meeting.
Rewrite this paragraph so that it sounds less formal and a little shorter.
The dashboard shows a spike in error rates every night when the backup job starts.
Our goal for this quarter is to reduce the time it takes to resolve a support ticket.
The draft proposal needs a section on costs and a realistic timeline.
Explain the difference between a process and a thread in simple terms.
The training material is out of date and does not cover the new approval workflow.
We should add more tests around the payment retry logic before the next release.
The design review raised concerns about how the cache is invalidated after an update.
Give me three options for naming the new internal tool, each with a short reason.
The memory usage of the service grows slowly until it is restarted on the weekend.
Everyone liked the idea of a shorter status update at the start of the meeting.
The estimate assumes that two people work on the feature for about four weeks.
Turn these notes into a polite email that asks for the missing documents.""".splitlines()

# Installed in the page before each paste: timestamps the keydown and the end condition.
PROBE = """
([kind, expected]) => {
  const probe = { start: null, end: null };
  window.__bench = probe;
  window.addEventListener("keydown", (event) => {
    if (probe.start === null && event.ctrlKey && event.key.toLowerCase() === "v") probe.start = event.timeStamp;
  }, true);
  const finish = () => { if (probe.start !== null && probe.end === null) probe.end = performance.now(); };
  if (kind === "insert") {
    window.__fixture.changeListeners.push((text) => { if (text.length === expected) finish(); });
  } else if (kind === "redact") {
    window.__fixture.changeListeners.push((text) => { if (text.includes(expected)) finish(); });
  } else {
    // A block inserts nothing; it ends when the extension's UI host appears or changes.
    const watch = new MutationObserver(() => { if (document.querySelector("promptfence-ui")) finish(); });
    watch.observe(document.documentElement, { childList: true });
    const existing = document.querySelector("promptfence-ui");
    if (existing) watch.observe(existing, { attributes: true });
  }
}
"""


def clean_text(size: int, seed: int = 7) -> str:
    """`size` characters of prompt prose in lines of one to three sentences (single newlines: the
    editors keep them as pasted)."""
    rng = random.Random(seed)
    lines, length = [], 0
    while length < size:
        line = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines)[:size - 1].rstrip() + "."


def with_value(size: int, value: str) -> str:
    """Clean text of about `size` characters with `value` in the middle, as a word on its own."""
    text = clean_text(size - len(value) - 2)
    middle = text.rfind(" ", 0, len(text) // 2)
    return f"{text[:middle]} {value} {text[middle + 1:]}"


@dataclass
class Case:
    name: str
    kind: str  # insert | redact | block
    text: str
    expected: object  # insert: the text's length; redact: a placeholder prefix; block: None
    size_label: str


def cases() -> list[Case]:
    found = []
    for label, size in SIZES.items():
        text = clean_text(size)
        found.append(Case("clean paste (allow)", "insert", text, len(text), label))
        found.append(Case("email (redact)", "redact", with_value(size, "jane.doe@northwind-traders.com"),
                          "<EMAIL_", label))
        found.append(Case("AWS key (block)", "block", with_value(size, "AWS_ACCESS_KEY_ID=AKIAZ7Q3WXYV4TRS2P5K"),
                          None, label))
    return found


def measure_once(context, case: Case) -> float:
    page = context.new_page()
    try:
        open_site(page, SITE)
        page.evaluate(PROBE, [case.kind, case.expected])
        set_clipboard(page, case.text)
        focus(page, SITE.composer)
        page.keyboard.press("Control+v")
        page.wait_for_function("() => window.__bench.end !== null", timeout=RUN_TIMEOUT_MS)
        probe = page.evaluate("() => window.__bench")
        return probe["end"] - probe["start"]
    finally:
        page.close()


def agent_scans(log_path: Path, offset: int) -> tuple[list[float], dict[str, int], int]:
    """Scans the daemon logged after byte `offset`: their times, their decisions, and the new offset."""
    if not log_path.exists():
        return [], {}, offset
    with open(log_path, "rb") as log:
        log.seek(offset)
        chunk = log.read()
    times, decisions = [], {}
    for line in chunk.decode(errors="replace").splitlines():
        match = SCAN_LOG_LINE.search(line)
        if match:
            times.append(float(match.group(3)))
            decisions[match.group(2)] = decisions.get(match.group(2), 0) + 1
    return times, decisions, offset + len(chunk)


def measure(context, case: Case, runs: int) -> list[float]:
    for _ in range(WARMUP_RUNS):
        measure_once(context, case)
    return [measure_once(context, case) for _ in range(runs)]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with few runs, p95 is honestly the worst or next-to-worst run."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float] | None) -> dict | None:
    if not values:
        return None
    return {"median_ms": round(statistics.median(values), 1), "p95_ms": round(percentile(values, 0.95), 1),
            "runs": len(values)}


def fmt(stats: dict | None, key: str) -> str:
    return "-" if stats is None else f"{stats[key]:.1f}"


def print_table(rows: list[dict]) -> None:
    header = (f"{'case':<22} {'size':>6} | {'extension med':>13} {'p95':>8} | {'no ext med':>10} {'p95':>8}"
              f" | {'overhead med':>12} | {'agent med':>9}  agent decisions")
    print(header)
    print("-" * len(header))
    for row in rows:
        with_ext, without = row["with_extension"], row["without_extension"]
        overhead = "-"
        if with_ext and without:
            overhead = f"{with_ext['median_ms'] - without['median_ms']:.1f}"
        print(f"{row['case']:<22} {row['size']:>6} | {fmt(with_ext, 'median_ms'):>13} {fmt(with_ext, 'p95_ms'):>8}"
              f" | {fmt(without, 'median_ms'):>10} {fmt(without, 'p95_ms'):>8} | {overhead:>12}"
              f" | {fmt(row['agent'], 'median_ms'):>9}  {row['agent_decisions']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="measured runs per 1 KB case (after warm-up)")
    parser.add_argument("--runs-large", type=int, default=6, help="measured runs per 100 KB case")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write the figures (default {RESULTS})")
    args = parser.parse_args(argv)

    build = build_fixtures()
    work = Path(tempfile.mkdtemp(prefix="pf-bench-browser-"))
    cert, key = tls.make_self_signed([s.host for s in sites.ALL_SITES], work / "tls")
    home = AgentHome(policy_document())
    daemon = AgentDaemon(home)
    rows = []
    try:
        daemon.start()
        with SiteServer(cert, key, build) as server, sync_playwright() as pw:
            ext_id = browser_mod.extension_id()
            guarded_profile = work / "with-extension"
            browser_mod.register_native_host(guarded_profile, ext_id)
            guarded = browser_mod.launch(pw, guarded_profile, server.port, env=home.env())
            plain = browser_mod.launch(pw, work / "without-extension", server.port, extension=None)
            browser_mod.extension_service_worker(guarded)
            log_offset = 0
            for case in cases():
                runs = args.runs if case.size_label == "1 KB" else args.runs_large
                started = time.monotonic()
                _, _, log_offset = agent_scans(home.log_path, log_offset)
                with_ext = measure(guarded, case, runs)
                agent_ms, agent_decisions, log_offset = agent_scans(home.log_path, log_offset)
                # Without the extension only the clean paste means anything (nothing redacts or blocks).
                without = measure(plain, case, runs) if case.kind == "insert" else None
                rows.append({"case": case.name, "size": case.size_label, "chars": len(case.text),
                             "with_extension": summary(with_ext), "without_extension": summary(without),
                             "agent": summary(agent_ms), "agent_decisions": agent_decisions})
                print(f"  measured {case.name} {case.size_label} in {time.monotonic() - started:.0f} s",
                      file=sys.stderr)
            guarded.close()
            plain.close()
    finally:
        daemon.stop()
        home.cleanup()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nIn-browser latency, Control+V to inserted (or blocked), {SITE.host} fixture (ProseMirror), ms")
    print_table(rows)
    print("agent med: the daemon's own time per scan (its log), warm-up runs included; an agent decision"
          " that differs from the case means the extension decided without it (timeout -> fail mode).")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"site": SITE.host, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
