"""Our Presidio recognizers: the only ones in the engine's registry.

Presidio's predefined recognizers are never loaded: its e-mail and URL recognizers call tldextract, which
fetches the Public Suffix List over the network, and its phone recognizer runs phonenumbers' matcher for
eight regions over the whole text. Our detectors are the shared rule pack (the same rules the extension
runs), NER from the layout's prose, header-aware tables, organisation data and code detection.

Every result carries the finished Finding in its recognition_metadata, so turning results back into
findings (agent/analyzer.py) loses nothing: rule id, category, severity, language.
"""

from __future__ import annotations

from typing import Iterable, List, Sequence

from presidio_analyzer import EntityRecognizer, RecognizerResult

from promptfence.agent.context import CUES, NER, RULES, SOURCE_KEY
from promptfence.agent.org_data import FingerprintSet, KeywordDictionary
from promptfence.agent.rules import Finding, RulePack
from promptfence.agent.tables import header_context_findings, table_findings

FINDING_KEY = "promptfence_finding"
NER_RULE_IDS = {"PERSON": "ner-person", "LOCATION": "ner-location", "ORGANIZATION": "ner-organization"}
NER_SEVERITY = {"PERSON": "medium", "LOCATION": "low", "ORGANIZATION": "low"}
# Names that cues point at (agent/fields.py: the paste's structure; agent/cues.py: words around a name).
CUE_RULE_IDS = {
    family: {t: f"{family}-{t.lower()}" for t in ("PERSON", "LOCATION", "ORGANIZATION")} for family in ("field", "cue")
}
CODE_RULE_ID = "source-code"
CODE_SCORE = 0.8


class FindingRecognizer(EntityRecognizer):
    """A recognizer whose results wrap Findings; subclasses say where the findings come from."""

    source = "other"

    def __init__(self, name: str, entities: Iterable[str]):
        super().__init__(supported_entities=sorted(set(entities)) or ["NONE"], name=name, supported_language="en")

    def load(self) -> None:  # everything is compiled in __init__
        pass

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        raise NotImplementedError

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        metadata_base = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            SOURCE_KEY: self.source,
        }
        return [
            RecognizerResult(f.type, f.start, f.end, f.score, None, {**metadata_base, FINDING_KEY: f})
            for f in self.findings(text, nlp_artifacts)
        ]


class RulePackRecognizer(FindingRecognizer):
    """The shared rule pack (rules, validators, context words, allow values: SPEC.md's steps 1-5), plus
    table cells whose column header is a rule's context word (agent/tables.py)."""

    source = RULES

    def __init__(self, pack: RulePack):
        super().__init__("PromptfenceRulePack", (rule.type for rule in pack.rules))
        self.pack = pack

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        found = self.pack.candidates(text)
        layout = getattr(nlp_artifacts, "layout", None)
        if layout is not None and layout.tables:
            found.extend(header_context_findings(text, layout.lines, layout.tables, self.pack))
        return found


class NerRecognizer(FindingRecognizer):
    """spaCy NER results (agent/nlp.py) of the policy's NER types, at or above its NER min_score."""

    source = NER

    def __init__(self, types: Sequence[str]):
        super().__init__("PromptfenceSpacyNer", types)
        self.types = frozenset(types)

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        for entity in getattr(nlp_artifacts, "entities", ()):
            if entity.type in self.types:
                yield Finding(
                    NER_RULE_IDS[entity.type], entity.type, "pii", NER_SEVERITY[entity.type],
                    entity.start, entity.end, entity.score,
                )


class CueRecognizer(FindingRecognizer):
    """Names the paste's structure or the words around them point at (agent/fields.py, agent/cues.py)."""

    source = CUES

    def __init__(self, types: Sequence[str]):
        super().__init__("PromptfenceNameCues", types)
        self.types = frozenset(types)

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        for cue in getattr(nlp_artifacts, "cues", ()):
            if cue.type in self.types:
                yield Finding(CUE_RULE_IDS[cue.cue][cue.type], cue.type, "pii", NER_SEVERITY[cue.type],
                              cue.start, cue.end, cue.score)


class TableRecognizer(FindingRecognizer):
    """Cells of name, place and company columns in CSV/TSV exports (agent/tables.py)."""

    source = "tables"

    def __init__(self, types: Sequence[str]):
        super().__init__("PromptfenceTableColumns", types)
        self.types = set(types)

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        layout = nlp_artifacts.layout
        for table in layout.tables:
            yield from table_findings(text, layout.lines, table, self.types)


class CodeRecognizer(FindingRecognizer):
    """One SOURCE_CODE finding per code region, with its language (agent/code_detect.py)."""

    source = "code"

    def __init__(self):
        super().__init__("PromptfenceSourceCode", ["SOURCE_CODE"])

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        for region in nlp_artifacts.layout.code_regions:
            yield Finding(CODE_RULE_ID, "SOURCE_CODE", "code", "low", region.start, region.end, CODE_SCORE,
                          region.language)


class KeywordRecognizer(FindingRecognizer):
    """The policy's keyword dictionaries (agent/org_data.py)."""

    source = "keywords"

    def __init__(self, dictionaries: Sequence[KeywordDictionary]):
        super().__init__("PromptfenceKeywords", (d.type for d in dictionaries))
        self.dictionaries = tuple(dictionaries)

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        lowered = None
        for dictionary in self.dictionaries:
            if not dictionary.case_sensitive and lowered is None:
                lowered = text.lower()
            yield from dictionary.find(text, lowered)


class FingerprintRecognizer(FindingRecognizer):
    """The policy's exact-data-match sets (agent/org_data.py)."""

    source = "fingerprints"

    def __init__(self, sets: Sequence[FingerprintSet]):
        super().__init__("PromptfenceFingerprints", (s.type for s in sets))
        self.sets = tuple(sets)

    def findings(self, text: str, nlp_artifacts) -> Iterable[Finding]:
        for fingerprint_set in self.sets:
            yield from fingerprint_set.find(text)


def finding_of(result: RecognizerResult) -> Finding:
    """The Finding behind a result, with the score the context step may have changed."""
    finding: Finding = result.recognition_metadata[FINDING_KEY]
    score = round(result.score, 2)
    if score != finding.score:
        return Finding(finding.rule, finding.type, finding.category, finding.severity, finding.start, finding.end,
                       score, finding.language)
    return finding
