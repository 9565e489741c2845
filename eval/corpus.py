"""The labelled corpus's data model and the builder that assembles a text while recording gold spans.

A sample is a text plus its gold spans. PII spans carry the entity type (PERSON, US_SSN, ...); secret
spans carry the type SECRET (secrets are scored at the category level) and the format's name in `fmt`,
so per-format recall can still be reported. Clean samples have no spans at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping, Union

SECRET = "SECRET"

PII_TYPES = (
    "PERSON", "LOCATION", "ORGANIZATION", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE",
    "US_SSN", "US_ITIN", "US_BANK_ROUTING", "US_PASSPORT", "US_DRIVER_LICENSE", "IP_ADDRESS",
    "MAC_ADDRESS", "CRYPTO_ADDRESS", "DATE_OF_BIRTH", "UK_NINO",
)

KINDS = ("pii", "secret", "clean")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str
    fmt: str  # the generator's format name: "visa-spaced", "github-pat-classic", "street"...


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    kind: str  # one of KINDS
    source: str  # the template or context that produced the text
    text: str
    spans: tuple[Span, ...] = ()

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "spans": [asdict(s) for s in self.spans]}, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Labelled:
    """A value that becomes a gold span when it is placed in a text."""

    text: str
    type: str
    fmt: str


# A piece of text: plain, labelled, or a sequence of both (a DB URL whose password alone is the secret).
Piece = Union[str, Labelled, tuple]


@dataclass
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    length: int = 0

    def add(self, piece: Piece) -> "TextBuilder":
        if isinstance(piece, Labelled):
            self.spans.append(Span(self.length, self.length + len(piece.text), piece.type, piece.fmt))
            self._append(piece.text)
        elif isinstance(piece, tuple):
            for part in piece:
                self.add(part)
        else:
            self._append(piece)
        return self

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def sample(self, sample_id: str, kind: str, source: str) -> Sample:
        return Sample(sample_id, kind, source, self.text, tuple(self.spans))


SLOT = re.compile(r"\{\{([a-z0-9_.]+)\}\}")


def render(template: str, values: Mapping[str, Piece], builder: TextBuilder | None = None) -> TextBuilder:
    """Fill `{{slot}}` placeholders; a labelled value becomes a gold span wherever it lands.

    Double braces because many templates are JSON, code or YAML, where single braces are literal.
    """
    builder = builder or TextBuilder()
    pos = 0
    for match in SLOT.finditer(template):
        builder.add(template[pos:match.start()])
        name = match.group(1)
        if name not in values:
            raise KeyError(f"template slot {name!r} has no value")
        builder.add(values[name])
        pos = match.end()
    builder.add(template[pos:])
    return builder


def plain(piece: Piece) -> str:
    """The text of a piece without its labels."""
    if isinstance(piece, Labelled):
        return piece.text
    if isinstance(piece, tuple):
        return "".join(plain(p) for p in piece)
    return piece


def slots_of(template: str) -> list[str]:
    """The template's slot names, each once, in order of first appearance (a set would make the corpus
    depend on the hash seed, since values are drawn in this order)."""
    return list(dict.fromkeys(SLOT.findall(template)))


def write_jsonl(samples: Iterable[Sample], path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for sample in samples:
            handle.write(sample.to_json() + "\n")
            count += 1
    return count
