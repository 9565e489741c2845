"""`python -m eval` (`make eval`): score the detector on the generated corpus and print a report.

The eval is a report, not a test: it always exits 0, whatever the numbers or errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    parser.add_argument("--seed", type=int, default=None, help="corpus seed (default: the fixed seed)")
    parser.add_argument("--scale", type=float, default=1.0, help="corpus size factor, e.g. 0.2 for a quick look")
    parser.add_argument("--detector", choices=("auto", "analyzer", "rules"), default="auto",
                        help="auto: the Analyzer when it exists, else the rule layer")
    parser.add_argument("--no-engine", action="store_true", help="skip the Engine's decision on clean texts")
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json", help="where to write the results")
    parser.add_argument("--dump", type=Path, help="also write the corpus (with its values) as JSONL here")
    return parser.parse_args(argv)


def run(args) -> None:
    from eval.corpus import write_jsonl
    from eval.dataset import DEFAULT_SEED, build_corpus
    from eval.detectors import load_detector, load_engine
    from eval.report import print_report, results_json
    from eval.scoring import CleanShare, Totals, score_sample

    seed = DEFAULT_SEED if args.seed is None else args.seed
    started = time.perf_counter()
    corpus = build_corpus(seed, args.scale)
    if args.dump:
        args.dump.parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(corpus, args.dump)
    detector = load_detector(args.detector)
    decide, engine_note = (None, "skipped") if args.no_engine else load_engine()

    totals, clean = Totals(), CleanShare()
    errors: Counter = Counter()
    detect_seconds = 0.0
    for sample in corpus:
        t0 = time.perf_counter()
        try:
            predictions = detector.find(sample.text)
        except Exception as exc:  # noqa: BLE001 - one bad sample must not stop the report
            errors[type(exc).__name__] += 1
            predictions = []
        detect_seconds += time.perf_counter() - t0
        totals.add(sample, score_sample(sample, predictions))
        if sample.kind == "clean":
            decision = None
            if decide is not None:
                try:
                    decision = decide(sample.text)
                except Exception as exc:  # noqa: BLE001
                    errors[f"engine {type(exc).__name__}"] += 1
            clean.add(predictions, decision)

    kinds = Counter(s.kind for s in corpus)
    meta = {
        "detector": detector.name, "note": detector.note, "engine_note": engine_note, "seed": seed,
        "scale": args.scale, "corpus": dict(kinds), "errors": sum(errors.values()), "error_kinds": dict(errors),
        "seconds": time.perf_counter() - started,
        "detector_ms_per_text": round(1000 * detect_seconds / max(1, len(corpus)), 2),
    }
    # The file first, so a reader that closes the pipe early (`| head`) still gets it.
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results_json(totals, clean, meta), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(totals, clean, meta)
    print(f"\nresults written to {args.json}")


def main(argv=None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit:  # --help, or a usage error argparse has already explained
        return 0
    try:
        run(args)
    except Exception:  # noqa: BLE001 - a report, not a test: say what broke and exit 0
        traceback.print_exc()
        print("eval failed before completing; see the traceback above", file=sys.stderr)
    return 0


def pin_hash_seed() -> None:
    """Faker draws some values (e.g. Italian towns) from sets, whose order follows str hashing: re-run
    under a fixed PYTHONHASHSEED so the same seed gives the same corpus in every run."""
    import os

    if os.environ.get("PYTHONHASHSEED") is None:
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, "-m", "eval", *sys.argv[1:]])


if __name__ == "__main__":
    pin_hash_seed()
    sys.exit(main())
