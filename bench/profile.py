"""Where a scan's time goes, in CPU time and (under callgrind) instructions: for before/after comparisons on a
shared machine, where wall time is noise.

    python -m bench.profile                       # CPU ms per scan (Engine.scan, as a worker runs it) and per stage
    python -m bench.profile --size 100000         # the same for another bench text size
    python -m bench.profile --cprofile 25         # plus the 25 costliest functions (cProfile, inflates small calls)
    valgrind --tool=callgrind --instr-atstart=no python -m bench.profile --callgrind 20
                                                  # instructions of 20 scans only (model load not counted)

With --callgrind N the process switches callgrind's instrumentation on (callgrind_control -i on) after
loading and a warm-up, runs N scans and switches it off; `Collected` / N is the instructions per scan.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import time

from bench.corpus import mixed_text


def cpu_ms(function, repeats: int) -> tuple[float, float]:
    function()
    times = []
    for _ in range(repeats):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000, min(times) * 1000


def stages(engine, text: str, repeats: int) -> list[tuple[str, float, float]]:
    from promptfence.agent.cues import find_cues
    from promptfence.agent.fields import find_fields
    from promptfence.agent.layout import analyse_layout
    from promptfence.agent.nlp import candidate_windows, decode_as_beam_of_one

    analyzer = engine.analyzer_for(engine.policy.for_site(None))
    nlp_engine = analyzer.engine.nlp_engine
    layout = analyse_layout(text)
    fields, cues = find_fields(text, layout), find_cues(text, layout)
    known = [(e.start, e.end) for e in (*fields.entities, *cues.entities)] + fields.labels
    windows = candidate_windows(text, layout.prose, nlp_engine.window, known)
    rows = [
        ("Engine.scan", lambda: engine.scan(text)),
        ("Analyzer.analyze", lambda: analyzer.analyze(text)),
        ("  layout", lambda: analyse_layout(text)),
        ("  fields", lambda: find_fields(text, layout)),
        ("  cues", lambda: find_cues(text, layout)),
        ("  NER windows", lambda: candidate_windows(text, layout.prose, nlp_engine.window, known)),
    ]
    if nlp_engine.ner is not None:
        nlp = nlp_engine.ner.nlp
        rows.append(("  NER decode", lambda: decode_as_beam_of_one(
            nlp.get_pipe("ner"), [nlp.make_doc(text[a:b]) for a, b in windows])))
    rows.append(("  rule layer", lambda: analyzer.pack.candidates(text)))
    return [(name, *cpu_ms(function, repeats)) for name, function in rows]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--size", type=int, default=1000, help="bench text size in characters (bench/corpus.py)")
    parser.add_argument("--repeats", type=int, default=0, help="scans per figure (default: by size)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the N costliest functions")
    parser.add_argument("--callgrind", type=int, default=0, metavar="N", help="run N scans with instrumentation on")
    args = parser.parse_args()

    from promptfence.agent.engine import Engine

    engine = Engine.create()
    gc.collect()
    gc.freeze()  # as a daemon worker does after loading (agent/worker.py)
    text = mixed_text(args.size)
    if args.callgrind:
        for _ in range(3):
            engine.scan(text)
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True)
        for _ in range(args.callgrind):
            engine.scan(text)
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True, capture_output=True)
        print(f"{args.callgrind} scans of {args.size} characters: divide callgrind's 'Collected' by {args.callgrind}")
        return
    repeats = args.repeats or max(3, min(300, 300_000 // args.size))
    print(f"{args.size} characters, {repeats} scans per figure; CPU ms (time.process_time), median / min")
    for name, median, low in stages(engine, text, repeats):
        print(f"{name:<18} {median:9.2f} {low:9.2f}")
    if args.cprofile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeats):
            engine.scan(text)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
