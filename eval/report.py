"""Printing the results and writing eval/results/latest.json.

Nothing printed or written contains a labelled value: misses and false alarms are shown as their
surrounding context with every gold span replaced by ⟨TYPE:format⟩ and the focus span by ⟦...⟧.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from eval.corpus import PII_TYPES, SECRET, Sample
from eval.scoring import CleanShare, FalseAlarm, Miss, Tally, Totals

CONTEXT_CHARS = 40
TARGETS = {"secrets_recall": 0.95, "clean_flagged_max": 0.02, "pii_f2": 0.85}


def masked_snippet(sample: Sample, start: int, end: int, focus_label: str, width: int = CONTEXT_CHARS) -> str:
    """Context around [start, end) with the focus and every gold span replaced by labels."""
    text = sample.text
    lo, hi = max(0, start - width), min(len(text), end + width)
    owner: list[object] = [None] * (hi - lo)
    for gold in sample.spans:
        for i in range(max(lo, gold.start), min(hi, gold.end)):
            owner[i - lo] = gold
    for i in range(start, end):
        owner[i - lo] = "focus"
    out, i = [], 0
    while i < len(owner):
        who = owner[i]
        j = i
        while j < len(owner) and owner[j] is who:
            j += 1
        if who is None:
            out.append(text[lo + i:lo + j].replace("\n", "⏎").replace("\t", " "))
        elif who == "focus":
            out.append(f"⟦{focus_label}⟧")
        else:
            out.append(f"⟨{who.type}:{who.fmt}⟩")
        i = j
    return ("…" if lo else "") + "".join(out) + ("…" if hi < len(text) else "")


def worst_misses(misses: Iterable[Miss], limit: int = 10) -> dict[str, list[Miss]]:
    """Per type, up to `limit` misses: the most-missed formats first, one format at a time, and within a
    format the ones no prediction even touched before partial overlaps."""
    by_type: dict[str, dict[str, list[Miss]]] = defaultdict(lambda: defaultdict(list))
    for miss in misses:
        by_type[miss.gold.type][miss.gold.fmt].append(miss)
    chosen: dict[str, list[Miss]] = {}
    for type_name, by_fmt in by_type.items():
        queues = sorted(by_fmt.values(), key=lambda ms: (-len(ms), ms[0].gold.fmt))
        for queue in queues:
            queue.sort(key=lambda m: (m.best_overlap, m.sample.id))
        picked: list[Miss] = []
        round_ = 0
        while len(picked) < limit and any(round_ < len(q) for q in queues):
            for queue in queues:
                if round_ < len(queue) and len(picked) < limit:
                    picked.append(queue[round_])
            round_ += 1
        chosen[type_name] = picked
    return chosen


def false_alarm_rules(alarms: Iterable[FalseAlarm]) -> list[tuple[str, str, int, int, FalseAlarm]]:
    """(rule, type, count on all texts, count on clean texts, an example), most frequent first."""
    total: Counter = Counter()
    clean: Counter = Counter()
    example: dict[tuple[str, str], FalseAlarm] = {}
    for alarm in alarms:
        key = (alarm.pred.rule or "-", alarm.pred.type)
        total[key] += 1
        clean[key] += alarm.sample.kind == "clean"
        if key not in example or (alarm.sample.kind == "clean" and example[key].sample.kind != "clean"):
            example[key] = alarm
    return [(rule, type_name, n, clean[(rule, type_name)], example[(rule, type_name)])
            for (rule, type_name), n in total.most_common()]


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.3f}"


def _row(name: str, t: Tally) -> str:
    return (f"{name:<22} {t.gold:>6} {t.predicted:>6} {_fmt(t.precision)} {_fmt(t.recall)} {_fmt(t.f2)}   "
            f"{_fmt(t.precision_exact)} {_fmt(t.recall_exact)} {_fmt(t.f2_exact)}")


def print_report(totals: Totals, clean: CleanShare, meta: dict, out=print) -> None:
    out(f"Promptfence eval - {meta['detector']}")
    if meta.get("note"):
        out(f"  note: {meta['note']}")
    out(f"  corpus: {meta['corpus']}  seed {meta['seed']}  ({meta['seconds']:.1f} s, {meta['errors']} detector errors)")
    out("")
    out(f"{'type':<22} {'gold':>6} {'pred':>6} {'P':>5} {'R':>5} {'F2':>5}   {'P=':>5} {'R=':>5} {'F2=':>5}   (= exact span)")
    for type_name in PII_TYPES:
        if type_name in totals.by_type:
            out(_row(type_name, totals.by_type[type_name]))
    pii = totals.micro(PII_TYPES)
    out(_row("PII micro", pii))
    out(_row("SECRET (category)", totals.by_type.get(SECRET, Tally())))
    out("")
    secrets = totals.by_type.get(SECRET, Tally())
    out("Headline vs targets")
    out(f"  secrets recall            {_fmt(secrets.recall)}   target >= {TARGETS['secrets_recall']}")
    out(f"  clean texts flagged       {_fmt(clean.share(clean.any_secret, clean.texts))}   (any secret finding; target <= {TARGETS['clean_flagged_max']})")
    out(f"  clean texts any finding   {_fmt(clean.share(clean.any_finding, clean.texts))}   (non-code: {_fmt(clean.share(clean.any_non_code, clean.texts))})")
    engine = clean.share(clean.decision_not_allow, clean.decisions_measured)
    out(f"  engine decision != allow  {_fmt(engine)}   {'(' + meta['engine_note'] + ')' if meta.get('engine_note') else ''}")
    out(f"  PII micro F2              {_fmt(pii.f2)}   target >= {TARGETS['pii_f2']}")
    out(f"  over {clean.texts} clean texts")
    out("")
    weak = sorted(((n, t) for n, t in totals.by_format.items() if (t.recall or 0) < 1), key=lambda nt: (nt[1].recall or 0, nt[0]))
    out(f"Secret formats below full recall: {len(weak)} of {len(totals.by_format)}")
    for name, t in weak[:40]:
        out(f"  {name:<36} {t.found:>3}/{t.gold:<3} {_fmt(t.recall)}")
    out("")
    rules = false_alarm_rules(totals.false_alarms)
    out("Top false-positive rules (count on all texts / on clean texts), with an example context")
    for rule, type_name, n, n_clean, example in rules[:15]:
        snippet = masked_snippet(example.sample, example.pred.start, example.pred.end, f"{type_name} by {rule}")
        out(f"  {rule:<30} {type_name:<18} {n:>4} / {n_clean:<4} [{example.sample.source}] {snippet}")
    if totals.unscored:
        out("  predictions of types outside the label set (not scored): "
            + ", ".join(f"{t}={n}" for t, n in totals.unscored.most_common(10)))
    out("")
    out("Worst misses per type (values masked)")
    by_type_fmt: dict[str, Counter] = defaultdict(Counter)
    for miss in totals.misses:
        by_type_fmt[miss.gold.type][miss.gold.fmt] += 1
    for type_name, picked in sorted(worst_misses(totals.misses).items()):
        counts = by_type_fmt[type_name]
        out(f"  {type_name}: {sum(counts.values())} missed; by format "
            + ", ".join(f"{fmt}={n}" for fmt, n in counts.most_common(6)))
        for miss in picked:
            tag = f" as {miss.confused_with}" if miss.confused_with else ""
            extra = f" overlap {miss.best_overlap:.0%}" if miss.best_overlap else ""
            snippet = masked_snippet(miss.sample, miss.gold.start, miss.gold.end, f"MISSED {miss.gold.type}:{miss.gold.fmt}")
            out(f"    [{miss.sample.source}]{extra}{tag} {snippet}")


def results_json(totals: Totals, clean: CleanShare, meta: dict) -> dict:
    pii = totals.micro(PII_TYPES)
    secrets = totals.by_type.get(SECRET, Tally())
    return {
        "meta": meta,
        "headline": {
            "secrets_recall": secrets.recall, "secrets_precision": secrets.precision,
            "clean_flagged_any_secret": clean.share(clean.any_secret, clean.texts),
            "clean_flagged_any_finding": clean.share(clean.any_finding, clean.texts),
            "clean_flagged_engine_not_allow": clean.share(clean.decision_not_allow, clean.decisions_measured),
            "pii_micro_f2": pii.f2, "pii_micro_precision": pii.precision, "pii_micro_recall": pii.recall,
            "targets": TARGETS,
        },
        "by_type": {name: t.as_dict() for name, t in sorted(totals.by_type.items())},
        "pii_micro": pii.as_dict(),
        "secret_formats": {name: {"gold": t.gold, "found": t.found, "recall": round(t.recall or 0, 4)}
                           for name, t in sorted(totals.by_format.items())},
        "clean": clean.as_dict(),
        "false_positive_rules": [
            {"rule": rule, "type": type_name, "count": n, "on_clean": n_clean, "source": ex.sample.source,
             "context": masked_snippet(ex.sample, ex.pred.start, ex.pred.end, f"{type_name} by {rule}")}
            for rule, type_name, n, n_clean, ex in false_alarm_rules(totals.false_alarms)[:50]
        ],
        "worst_misses": {
            type_name: [{"format": m.gold.fmt, "source": m.sample.source, "sample": m.sample.id,
                         "best_overlap": round(m.best_overlap, 3), "confused_with": m.confused_with,
                         "context": masked_snippet(m.sample, m.gold.start, m.gold.end, f"MISSED {m.gold.type}:{m.gold.fmt}")}
                        for m in picked]
            for type_name, picked in sorted(worst_misses(totals.misses).items())
        },
        "unscored_types": dict(totals.unscored),
    }
