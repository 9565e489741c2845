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

# Everyday words, no names: clean text that the agent must read in full and let through.
WORDS = (
    "the a we should review plan budget meeting notes team project update release schedule customer "
    "feedback product design test build deploy server database query report draft summary next week "
    "quarter goals risk issue fix change request support ticket document process training weekly sync "
    "agenda action item owner status progress timeline scope estimate cost resource priority launch "
    "market analysis data model version performance latency memory error log metric dashboard review"
).split()

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
    """About `size` characters of sentences in lines (single newlines: editors keep them as typed)."""
    rng = random.Random(seed)
    lines, length = [], 0
    while length < size:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
        line = " ".join(words).capitalize() + "."
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
              f" | {'overhead med':>12}")
    print(header)
    print("-" * len(header))
    for row in rows:
        with_ext, without = row["with_extension"], row["without_extension"]
        overhead = "-"
        if with_ext and without:
            overhead = f"{with_ext['median_ms'] - without['median_ms']:.1f}"
        print(f"{row['case']:<22} {row['size']:>6} | {fmt(with_ext, 'median_ms'):>13} {fmt(with_ext, 'p95_ms'):>8}"
              f" | {fmt(without, 'median_ms'):>10} {fmt(without, 'p95_ms'):>8} | {overhead:>12}")


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
            browser_mod.extension_service_worker(guarded, ext_id)
            for case in cases():
                runs = args.runs if case.size_label == "1 KB" else args.runs_large
                started = time.monotonic()
                with_ext = measure(guarded, case, runs)
                # Without the extension only the clean paste means anything (nothing redacts or blocks).
                without = measure(plain, case, runs) if case.kind == "insert" else None
                rows.append({"case": case.name, "size": case.size_label, "chars": len(case.text),
                             "with_extension": summary(with_ext), "without_extension": summary(without)})
                print(f"  measured {case.name} {case.size_label} in {time.monotonic() - started:.0f} s",
                      file=sys.stderr)
            guarded.close()
            plain.close()
    finally:
        daemon.stop()
        home.cleanup()

    print(f"\nIn-browser latency, Control+V to inserted (or blocked), {SITE.host} fixture (ProseMirror), ms")
    print_table(rows)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"site": SITE.host, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
