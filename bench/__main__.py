"""Run the benchmark: our analyzer and stock Presidio, each in its own subprocess, on the same texts.

    python -m bench              # the table (about two minutes on a slow two-core machine)
    python -m bench --ablation   # what each NER cut buys (agent/nlp.py), on the same texts
    python -m bench.profile      # where one scan's CPU time goes, by stage (and instructions under callgrind)
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

SIZES = (1_000, 10_000, 100_000, 1_000_000)
STOCK_SIZES = (1_000, 10_000, 100_000)
TARGETS = "targets: 1 KB <= 15 ms median, 100 KB <= 1 s, linear to 1 MB, peak RSS <= 300 MB"


def run_side(side: str, sizes) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.worker", side, ",".join(str(s) for s in sizes)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def label(size: int) -> str:
    return f"{size // 1_000_000} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def duration(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def estimate(rows: list[dict], size: int) -> float:
    """Extrapolate from the two largest measured sizes with their own growth exponent (stock is superlinear)."""
    a, b = rows[-2], rows[-1]
    exponent = math.log(b["median_s"] / a["median_s"]) / math.log(b["size"] / a["size"])
    return b["median_s"] * (size / b["size"]) ** max(1.0, exponent)


def main(argv: list[str]) -> None:
    if "--ablation" in argv:
        from bench.ablation import main as ablation

        ablation()
        return
    print("Promptfence analyzer vs stock Presidio AnalyzerEngine (same spaCy model), realistic mixed text")
    print(TARGETS)
    ours = run_side("ours", SIZES)
    stock = run_side("stock", STOCK_SIZES)
    print(f"model load: ours {ours['load_s']:.1f} s ({ours['rss_loaded_mb']:.0f} MB), "
          f"stock {stock['load_s']:.1f} s ({stock['rss_loaded_mb']:.0f} MB)")
    print(f"load average during the runs: {ours['load_average']:.1f} / {stock['load_average']:.1f} "
          f"(on a shared machine wall times grow with it; CPU time much less)")
    header = (f"{'size':>6} | {'side':<5} | {'runs':>4} | {'median':>10} | {'p95':>10} | {'CPU median':>10} | "
              f"{'throughput':>12} | {'peak RSS':>9} | findings")
    print(header)
    print("-" * len(header))
    stock_rows = {row["size"]: row for row in stock["rows"]}
    for row in ours["rows"]:
        for side, r in (("ours", row), ("stock", stock_rows.get(row["size"]))):
            if r is None:
                est = estimate(stock["rows"], row["size"])
                print(f"{label(row['size']):>6} | {side:<5} | {'':>4} | skipped (est. {est:.0f} s)")
                continue
            throughput = r["size"] / 1000 / r["median_s"]
            print(f"{label(r['size']):>6} | {side:<5} | {r['runs']:>4} | {duration(r['median_s']):>10} | "
                  f"{duration(r['p95_s']):>10} | {duration(r['cpu_median_s']):>10} | {throughput:>7.0f} KB/s | "
                  f"{r['peak_rss_mb']:>6.0f} MB | {r['findings']}")
    rows = ours["rows"]
    per_kb = [r["cpu_median_s"] / (r["size"] / 1000) * 1000 for r in rows]
    print("ours, CPU ms per KB by size (linear growth keeps this flat): "
          + ", ".join(f"{label(r['size'])} {v:.2f}" for r, v in zip(rows, per_kb)))


if __name__ == "__main__":
    main(sys.argv[1:])
