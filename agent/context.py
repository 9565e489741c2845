"""The context step of our Presidio engine: linear, replacing Presidio's LemmaContextAwareEnhancer.

Presidio's default enhancer walks every token of the text for every result (quadratic: minutes on a CSV
export with thousands of findings) and needs the lemmatizer we do not load. It would also add nothing for
the rule layer, which applies its own context words exactly as SPEC.md defines (both engines must agree on
the vectors). So this step only concerns NER results, with work bounded per result:

- an NER result inside a rule finding is dropped (the local part of an e-mail, a name inside a URL);
  one sweep over both lists sorted by start;
- an NER result that overlaps a name a cue points at (agent/fields.py, agent/cues.py) is dropped: the cue
  read the structure around the value and knows its type and extent better ("Employer: Hunt, Simpson and
  Lam" is one organisation, not two people and a company); where both give the same type and span, the
  NER result stays and the cue's goes, so one finding remains;
- an NER result inside a field label ("Traveller:", "National Insurance number:") is dropped;
- a cue word just before an NER result ("Dr.", "Mrs", "name:", "lives in", "works at") raises its score.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import List, Optional

from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

CUE_WINDOW = 24  # characters before the entity that are searched for a cue
CUE_BOOST = 0.1
CUE_WORDS = {
    "PERSON": re.compile(
        r"(?<![A-Za-z])(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|dear|hi|hello|name|named|called|contact|patient|"
        r"employee|customer|client|colleague|manager|signed|by|from|to|cc|attn)\b[.:,]?\s*$",
        re.IGNORECASE,
    ),
    "LOCATION": re.compile(
        r"(?<![A-Za-z])(?:lives in|living in|born in|located in|based in|moved to|address|city|in|at|near)\b[.:,]?\s*$",
        re.IGNORECASE,
    ),
    "ORGANIZATION": re.compile(
        r"(?<![A-Za-z])(?:works at|working at|works for|employed by|employer|company|client|vendor|at|of|for)\b[.:,]?\s*$",
        re.IGNORECASE,
    ),
}

# recognition_metadata["source"] of each recognizer family (agent/recognizers.py).
SOURCE_KEY = "promptfence_source"
RULES = "rules"
NER = "ner"
CUES = "cues"  # the source of names that cues point at (agent/fields.py, agent/cues.py)


def source_of(result: RecognizerResult) -> str | None:
    return (result.recognition_metadata or {}).get(SOURCE_KEY)


class Spans:
    """Sorted, possibly overlapping spans; does [start, end) overlap any of them? Binary search on starts,
    with the running maximum of ends, so each question costs O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.max_end = []
        furthest = -1
        for _, e in spans:
            furthest = max(furthest, e)
            self.max_end.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self.starts, end) - 1  # the last span starting before `end`
        return k >= 0 and self.max_end[k] > start


class LinearContextStep(ContextAwareEnhancer):
    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=CUE_BOOST,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: List[RecognizerResult],
        nlp_artifacts=None,
        recognizers=None,
        context: Optional[List[str]] = None,
    ) -> List[RecognizerResult]:
        ner = sorted((r for r in raw_results if source_of(r) == NER), key=lambda r: r.start)
        if not ner:
            return raw_results
        rule_spans = sorted((r.start, r.end) for r in raw_results if source_of(r) == RULES)
        labels = sorted(getattr(nlp_artifacts, "labels", ()))
        cues = [r for r in raw_results if source_of(r) == CUES]
        taken = Spans([(r.start, r.end) for r in cues])
        same = {(r.entity_type, r.start, r.end): r for r in cues}
        inside = set()
        k = 0
        reach = -1  # the furthest end among rule spans starting at or before the current NER start
        j = 0
        label_reach = -1
        for result in ner:
            while k < len(rule_spans) and rule_spans[k][0] <= result.start:
                reach = max(reach, rule_spans[k][1])
                k += 1
            while j < len(labels) and labels[j][0] <= result.start:
                label_reach = max(label_reach, labels[j][1])
                j += 1
            if reach >= result.end or label_reach >= result.end:
                inside.add(id(result))
                continue
            if taken.overlaps(result.start, result.end):
                agreeing = same.get((result.entity_type, result.start, result.end))
                if agreeing is None:
                    inside.add(id(result))  # the cue read the value's type or extent differently: it wins
                    continue
                inside.add(id(agreeing))  # NER and the cue agree: one finding, NER's
            cue = CUE_WORDS.get(result.entity_type)
            if cue is not None and cue.search(text, max(0, result.start - CUE_WINDOW), result.start):
                result.score = round(min(self.MAX_SCORE, result.score + CUE_BOOST), 2)
        return [r for r in raw_results if id(r) not in inside]
