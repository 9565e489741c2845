"""Span matching and per-type precision, recall and F2.

Matching (eval/README.md explains why):
- A gold span is found when a prediction of a compatible type overlaps at least half of the gold span.
  Compatible means the same type for PII; for secrets any prediction of category `secret` (secrets are
  scored at the category level, and each secret span keeps its format for per-format recall).
- A prediction is correct when it finds some gold span, or when at least half of it lies inside gold
  spans of a compatible type (a fragment of a true entity - "Wit" of "Bastiaan de Wit" - is not a false
  alarm, though it does not earn recall).
- Exact matching, reported beside it, requires identical start and end.
Recall counts gold spans, precision counts predictions, so each side uses its own numerator.
F2 = 5PR / (4P + R) weighs recall four times as much as precision, as a DLP product should.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from eval.corpus import PII_TYPES, SECRET, Sample, Span

SCORED_TYPES = frozenset(PII_TYPES) | {SECRET}
MIN_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class Prediction:
    start: int
    end: int
    type: str
    category: str
    rule: str = ""
    score: float = 1.0

    @property
    def scored_type(self) -> str:
        """The type this prediction is scored as: SECRET for every secret, else its own type."""
        return SECRET if self.category == "secret" else self.type


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def finds(pred: Prediction, gold: Span) -> bool:
    need = max(1, MIN_OVERLAP * (gold.end - gold.start))
    return pred.scored_type == gold.type and overlap(pred.start, pred.end, gold.start, gold.end) >= need


def exactly_finds(pred: Prediction, gold: Span) -> bool:
    return pred.scored_type == gold.type and (pred.start, pred.end) == (gold.start, gold.end)


def inside_gold(pred: Prediction, golds: Sequence[Span]) -> bool:
    covered = sum(overlap(pred.start, pred.end, g.start, g.end) for g in golds if g.type == pred.scored_type)
    return covered >= max(1, MIN_OVERLAP * (pred.end - pred.start))


def f2(precision: float, recall: float) -> float:
    if precision + recall == 0:
        return 0.0
    return 5 * precision * recall / (4 * precision + recall)


@dataclass
class Tally:
    """Counts for one type. Precision and recall are None when there is nothing to divide by."""

    gold: int = 0
    found: int = 0  # gold spans found (lenient)
    found_exact: int = 0
    predicted: int = 0
    correct: int = 0  # predictions that are correct (lenient)
    correct_exact: int = 0

    def add(self, other: "Tally") -> None:
        for name in ("gold", "found", "found_exact", "predicted", "correct", "correct_exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def f2(self) -> float | None:
        if self.precision is None or self.recall is None:
            return None
        return f2(self.precision, self.recall)

    @property
    def precision_exact(self) -> float | None:
        return self.correct_exact / self.predicted if self.predicted else None

    @property
    def recall_exact(self) -> float | None:
        return self.found_exact / self.gold if self.gold else None

    @property
    def f2_exact(self) -> float | None:
        if self.precision_exact is None or self.recall_exact is None:
            return None
        return f2(self.precision_exact, self.recall_exact)

    def as_dict(self) -> dict:
        def r(x):
            return None if x is None else round(x, 4)
        return {"gold": self.gold, "found": self.found, "predicted": self.predicted, "correct": self.correct,
                "precision": r(self.precision), "recall": r(self.recall), "f2": r(self.f2),
                "exact": {"found": self.found_exact, "correct": self.correct_exact, "precision": r(self.precision_exact),
                          "recall": r(self.recall_exact), "f2": r(self.f2_exact)}}


@dataclass(frozen=True)
class Miss:
    sample: Sample
    gold: Span
    best_overlap: float  # largest share of the gold span any same-type prediction covered
    confused_with: str | None  # the type of another prediction overlapping it, if any


@dataclass(frozen=True)
class FalseAlarm:
    sample: Sample
    pred: Prediction


@dataclass
class SampleResult:
    tallies: dict[str, Tally]
    misses: list[Miss]
    false_alarms: list[FalseAlarm]
    unscored: Counter  # predictions of types outside the label set, by type


def score_sample(sample: Sample, predictions: Iterable[Prediction]) -> SampleResult:
    preds = list(predictions)
    scored = [p for p in preds if p.scored_type in SCORED_TYPES]
    tallies: dict[str, Tally] = defaultdict(Tally)
    misses: list[Miss] = []
    for gold in sample.spans:
        tally = tallies[gold.type]
        tally.gold += 1
        if any(finds(p, gold) for p in scored):
            tally.found += 1
        else:
            length = gold.end - gold.start
            same = [overlap(p.start, p.end, gold.start, gold.end) / length for p in scored if p.scored_type == gold.type]
            others = [p.scored_type for p in preds if p.scored_type != gold.type and overlap(p.start, p.end, gold.start, gold.end)]
            misses.append(Miss(sample, gold, max(same, default=0.0), others[0] if others else None))
        if any(exactly_finds(p, gold) for p in scored):
            tally.found_exact += 1
    alarms: list[FalseAlarm] = []
    for pred in scored:
        tally = tallies[pred.scored_type]
        tally.predicted += 1
        if any(finds(pred, g) for g in sample.spans) or inside_gold(pred, sample.spans):
            tally.correct += 1
        else:
            alarms.append(FalseAlarm(sample, pred))
        if any(exactly_finds(pred, g) for g in sample.spans):
            tally.correct_exact += 1
    unscored = Counter(p.type for p in preds if p.scored_type not in SCORED_TYPES)
    return SampleResult(dict(tallies), misses, alarms, unscored)


@dataclass
class Totals:
    """Everything the report needs, accumulated over the corpus."""

    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_format: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))  # secret formats: recall only
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[FalseAlarm] = field(default_factory=list)
    unscored: Counter = field(default_factory=Counter)

    def add(self, sample: Sample, result: SampleResult) -> None:
        for type_name, tally in result.tallies.items():
            self.by_type[type_name].add(tally)
        missed = {id(m.gold) for m in result.misses}
        for gold in sample.spans:
            if gold.type == SECRET:
                fmt = self.by_format[gold.fmt]
                fmt.gold += 1
                fmt.found += id(gold) not in missed
        self.misses.extend(result.misses)
        self.false_alarms.extend(result.false_alarms)
        self.unscored.update(result.unscored)

    def micro(self, types: Iterable[str]) -> Tally:
        total = Tally()
        for type_name in types:
            if type_name in self.by_type:
                total.add(self.by_type[type_name])
        return total


@dataclass
class CleanShare:
    """How many clean texts were flagged, by three definitions."""

    texts: int = 0
    any_secret: int = 0
    any_finding: int = 0
    any_non_code: int = 0
    decision_not_allow: int = 0
    decisions_measured: int = 0

    def add(self, predictions: Sequence[Prediction], decision: str | None) -> None:
        self.texts += 1
        self.any_secret += any(p.category == "secret" for p in predictions)
        self.any_finding += bool(predictions)
        self.any_non_code += any(p.category != "code" for p in predictions)
        if decision is not None:
            self.decisions_measured += 1
            self.decision_not_allow += decision != "allow"

    @staticmethod
    def share(count: int, total: int) -> float | None:
        return count / total if total else None

    def as_dict(self) -> dict:
        def r(count, total):
            s = self.share(count, total)
            return None if s is None else round(s, 4)
        return {"texts": self.texts, "any_secret_finding": r(self.any_secret, self.texts),
                "any_finding": r(self.any_finding, self.texts), "any_non_code_finding": r(self.any_non_code, self.texts),
                "engine_decision_not_allow": r(self.decision_not_allow, self.decisions_measured),
                "counts": {"any_secret_finding": self.any_secret, "any_finding": self.any_finding,
                           "any_non_code_finding": self.any_non_code, "engine_decision_not_allow": self.decision_not_allow,
                           "engine_decisions_measured": self.decisions_measured}}
