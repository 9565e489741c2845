"""The NER speed-ups of agent/nlp.py give the entities spaCy's own pipeline gives (real model)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.corpus import mixed_text
from promptfence.agent import nlp
from promptfence.agent.layout import analyse_layout

PROSE = (
    "Yesterday I spoke with Margaret Okonkwo about the vendor contract in Rotterdam. Her counterpart at "
    "Brightline Solutions, Peter Vance, moved to Osaka. Dear Mr. Hashimoto, the parcel is held in customs."
)


@pytest.fixture(scope="module")
def model():
    return nlp.load_ner_model(nlp.DEFAULT_MODEL)


def entity_lists(docs):
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def windows_of(text: str) -> list[str]:
    layout = analyse_layout(text)
    return [text[a:b] for a, b in nlp.candidate_windows(text, layout.prose)] + [text[a:b] for a, b in layout.prose]


def test_when_windows_are_decoded_as_a_beam_of_one_then_the_entities_are_the_pipelines(model):
    texts = [PROSE] + windows_of(mixed_text(10_000)) + windows_of(mixed_text(3_000, seed=7))
    expected = entity_lists(model.pipe(texts))
    docs = [model.make_doc(t) for t in texts]
    nlp.decode_as_beam_of_one(model.get_pipe("ner"), docs)
    assert entity_lists(docs) == expected
    assert sum(map(len, expected)) > 20  # the texts do hold names, places and organisations


def test_when_more_windows_than_a_batch_are_decoded_then_each_gets_its_own_entities(model):
    texts = [f"Item {i}: ask Margaret Okonkwo in Rotterdam." if i % 2 else "nothing here" for i in range(150)]
    docs = [model.make_doc(t) for t in texts]
    nlp.decode_as_beam_of_one(model.get_pipe("ner"), docs)
    assert entity_lists(docs) == entity_lists(model.pipe(texts))
    assert all(doc.ents for doc in docs[1::2]) and not any(doc.ents for doc in docs[::2])


def test_when_a_worker_builds_its_engine_then_ner_products_run_on_one_blas_thread_without_blis():
    # A fresh interpreter, as a daemon worker starts: the import order decides whether the pin takes effect.
    probe = (
        "import os; from promptfence.agent.worker import create_engine; engine = create_engine(None); "
        "ner = engine.analyzer_for(engine.policy.for_site(None)).engine.nlp_engine.ner.nlp.get_pipe('ner'); "
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), sorted({n.ops.use_blis for n in ner.model.walk()}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in nlp.BLAS_THREAD_VARS}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split("\n")[-2] == "1 [False]"


def test_when_the_blas_thread_count_is_set_otherwise_then_it_is_kept_and_blis_stays(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    assert nlp.pin_blas_threads() is False
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
