"""The whole labelled corpus, generated deterministically from one seed.

The corpus is generated at run time rather than committed: it stays small in git, it cannot drift from
its generators, and no secret-shaped string sits in the repository for scanners to trip over. The same
seed and the pinned Faker version (constraints.txt) give the same corpus byte for byte;
`python -m eval --dump FILE` writes it out as JSONL for inspection.
"""

from __future__ import annotations

from eval.clean_corpus import clean_samples
from eval.corpus import Sample
from eval.pii_corpus import pii_samples
from eval.secret_corpus import secret_samples

DEFAULT_SEED = 20240601
PII_SAMPLES = 1200
CLEAN_SAMPLES = 400


def build_corpus(seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Sample]:
    """PII, secret and clean samples; `scale` < 1 makes a smaller corpus for a quick look."""
    per_format = max(1, round(6 * scale))
    return (
        pii_samples(seed, max(1, round(PII_SAMPLES * scale)))
        + secret_samples(seed, per_format=per_format, per_block=max(1, round(7 * scale)),
                         structured=max(8, round(400 * scale)))
        + clean_samples(seed, max(1, round(CLEAN_SAMPLES * scale)))
    )
