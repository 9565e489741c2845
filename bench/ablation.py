"""What each NER cut of agent/nlp.py buys, measured on the bench texts (python -m bench --ablation).

Steps, each on top of the previous one:
  A  the whole text through the full en_core_web_sm pipeline (what a stock SpacyNlpEngine does)
  B  only the `ner` pipe (its own internal tok2vec; shared tok2vec, tagger, parser, ... excluded)
  C  only the prose of the layout (no code regions, CSV tables, blobs)
  D  only candidate windows of that prose, batched through nlp.pipe (the analyzer decodes the same windows
     through a beam of one, agent/nlp.py, with the same entities)
For C and D it also counts NER entities (PERSON/LOCATION/ORGANIZATION) that B found in prose and the cut
lost: the cuts must be free.
"""

from __future__ import annotations

import statistics
import time

import spacy

from bench.corpus import mixed_text
from promptfence.agent import nlp as ner_module
from promptfence.agent.layout import analyse_layout

SIZES = (1_000, 10_000, 100_000)
REPEATS = {1_000: 15, 10_000: 5, 100_000: 1}


def timed(function, repeats: int) -> tuple[float, object]:
    result = function()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        function()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def entity_set(docs_with_offsets) -> set[tuple[str, int, int]]:
    found = set()
    for offset, doc in docs_with_offsets:
        for ent in doc.ents:
            mapped = ner_module.LABELS.get(ent.label_)
            if mapped and not ner_module.is_junk(ent.text):
                found.add((mapped[0], offset + ent.start_char, offset + ent.end_char))
    return found


def main() -> None:
    full = spacy.load(ner_module.DEFAULT_MODEL)
    ner_only = ner_module.load_ner_model(ner_module.DEFAULT_MODEL)
    print(f"full pipeline: {full.pipe_names}; NER-only: {ner_only.pipe_names}")
    print(f"{'size':>6} | {'A full':>9} | {'B ner':>9} | {'C prose':>9} | {'D windows':>9} | chars A/C/D | names lost C, D")
    for size in SIZES:
        text = mixed_text(size)
        full.max_length = ner_only.max_length = max(full.max_length, len(text) + 1)
        repeats = REPEATS[size]
        layout = analyse_layout(text)
        prose = layout.prose
        windows = ner_module.candidate_windows(text, prose)
        t_a, _ = timed(lambda: full(text), repeats)
        t_b, doc_b = timed(lambda: ner_only(text), repeats)
        t_c, docs_c = timed(lambda: list(ner_only.pipe(text[a:b] for a, b in prose)), repeats)
        t_d, docs_d = timed(lambda: list(ner_only.pipe((text[a:b] for a, b in windows),
                                                        batch_size=ner_module.BATCH_SIZE)), repeats)
        in_prose = {e for e in entity_set([(0, doc_b)]) if any(a <= e[1] and e[2] <= b for a, b in prose)}
        found_c = entity_set(zip((a for a, _ in prose), docs_c))
        found_d = entity_set(zip((a for a, _ in windows), docs_d))
        window_chars = sum(b - a for a, b in windows)
        print(f"{size // 1000:>4} KB | {t_a * 1000:>6.0f} ms | {t_b * 1000:>6.0f} ms | {t_c * 1000:>6.0f} ms | "
              f"{t_d * 1000:>6.0f} ms | {len(text)}/{layout.prose_chars}/{window_chars} | "
              f"{len(in_prose - found_c)}, {len(found_c - found_d)} of {len(found_c)}")
