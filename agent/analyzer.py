"""The analyzer: Presidio's AnalyzerEngine on our spaCy NLP engine, with recognizers made from the rule pack.

    analyzer = Analyzer(DetectorSettings.from_policy(policy), pack=RulePack.load())
    analyzer.analyze(text)      # [Finding], sorted by start
    analyzer.detect_code(text)  # CodeInfo(is_code, language, share)

Pipeline of one analyze() call:
  1. PromptfenceNlpEngine.process_text: layout (code regions, CSV tables, prose) and NER on candidate
     windows of the prose only (agent/layout.py, agent/nlp.py).
  2. Our recognizers, the only ones registered (agent/recognizers.py): rule pack, NER, table columns,
     keyword dictionaries, fingerprints, source code.
  3. The linear context step (agent/context.py) instead of Presidio's lemma enhancer.
  4. Policy filters: disabled rules and types, score thresholds, allowlists (agent/allowlists.py).
  5. SPEC.md's overlap resolution (rules.resolve_overlaps, O(n log n)) instead of Presidio's
     remove_duplicates. SOURCE_CODE findings stay out of it: a code region contains the secrets in it,
     and both must be reported.

The engine opens no network connection: no predefined recognizer is loaded, spacy.load is given a model
name and never downloads, and tldextract (which presidio_analyzer imports) is set offline below anyway.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import List, Sequence

# tldextract is imported by presidio_analyzer's predefined recognizers; with no suffix-list URLs it uses
# its bundled snapshot and never fetches. Must be set before presidio_analyzer is imported.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

# nlp first: it asks for one BLAS thread before spaCy loads numpy (see agent/nlp.py).
from promptfence.agent.nlp import DEFAULT_MODEL, NER_TYPES, PromptfenceNlpEngine  # noqa: E402, I001

from presidio_analyzer import AnalyzerEngine, RecognizerResult  # noqa: E402
from presidio_analyzer.recognizer_registry import RecognizerRegistry  # noqa: E402

from promptfence.agent.allowlists import Allowlists  # noqa: E402
from promptfence.agent.code_detect import CodeInfo, code_info  # noqa: E402
from promptfence.agent.context import LinearContextStep  # noqa: E402
from promptfence.agent.errors import PolicyInvalid  # noqa: E402
from promptfence.agent.layout import analyse_layout  # noqa: E402
from promptfence.agent.org_data import fingerprint_sets, keyword_dictionaries  # noqa: E402
from promptfence.agent.recognizers import (  # noqa: E402
    CODE_RULE_ID,
    CUE_RULE_IDS,
    NER_RULE_IDS,
    CodeRecognizer,
    CueRecognizer,
    FingerprintRecognizer,
    KeywordRecognizer,
    NerRecognizer,
    RulePackRecognizer,
    TableRecognizer,
    finding_of,
)
from promptfence.agent.rules import Finding, RulePack, resolve_overlaps  # noqa: E402
from promptfence.agent.tables import RULE_IDS as TABLE_RULE_IDS  # noqa: E402

__all__ = ["DEFAULT_MODEL", "Analyzer", "DetectorSettings", "CodeInfo", "model_from_environment"]

MODEL_ENV = "PROMPTFENCE_SPACY_MODEL"


def _make_tldextract_offline() -> None:
    """If tldextract was imported before us, point its shared extractor at the bundled snapshot."""
    import sys

    module = sys.modules.get("tldextract.tldextract")
    if module is not None and getattr(module.TLD_EXTRACTOR, "suffix_list_urls", ()):
        module.TLD_EXTRACTOR = module.TLDExtract(suffix_list_urls=(), cache_dir=None)


_make_tldextract_offline()


def model_from_environment(model: str | None = DEFAULT_MODEL) -> str | None:
    """The model to load: $PROMPTFENCE_SPACY_MODEL overrides the default (not an explicit other name, nor None)."""
    if model == DEFAULT_MODEL:
        return os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    return model


@dataclass
class DetectorSettings:
    """The detector-related sections of a policy document, with the schema's defaults filled in."""

    disabled_rules: frozenset[str] = frozenset()
    disabled_types: frozenset[str] = frozenset()
    min_score: float = 0.0
    ner_enabled: bool = True
    ner_types: tuple[str, ...] = NER_TYPES
    ner_min_score: float = 0.5
    code_enabled: bool = True
    code_min_lines: int = 5
    allowlists: dict = field(default_factory=dict)
    keywords: list = field(default_factory=list)
    fingerprints: dict = field(default_factory=dict)

    @classmethod
    def from_policy(cls, policy: dict) -> "DetectorSettings":
        detectors = policy.get("detectors") or {}
        ner = detectors.get("ner") or {}
        code = detectors.get("code") or {}
        ner_types = tuple(ner.get("types", NER_TYPES))
        unknown = [t for t in ner_types if t not in NER_TYPES]
        if unknown:
            raise PolicyInvalid("policy", "detectors.ner.types", f"unknown NER types {unknown}")
        min_lines = int(code.get("min_lines", 5))
        if min_lines < 1:
            raise PolicyInvalid("policy", "detectors.code.min_lines", "must be at least 1")
        return cls(
            disabled_rules=frozenset(detectors.get("disabled_rules", ())),
            disabled_types=frozenset(detectors.get("disabled_types", ())),
            min_score=float(detectors.get("min_score", 0.0)),
            ner_enabled=bool(ner.get("enabled", True)),
            ner_types=ner_types,
            ner_min_score=float(ner.get("min_score", 0.5)),
            code_enabled=bool(code.get("enabled", True)),
            code_min_lines=min_lines,
            allowlists=dict(policy.get("allowlists") or {}),
            keywords=list(policy.get("keywords") or []),
            fingerprints=dict(policy.get("fingerprints") or {}),
        )


class PromptfenceAnalyzerEngine(AnalyzerEngine):
    """AnalyzerEngine without its two quadratic steps.

    AnalyzerEngine.analyze runs the LemmaContextAwareEnhancer (every token scanned for every result) and
    EntityRecognizer.remove_duplicates; on 1 MB of CSV with thousands of findings that is minutes. This
    override keeps Presidio's structure (NLP engine -> registry's recognizers -> context enhancer) and
    leaves deduplication to the caller, which applies SPEC.md's O(n log n) overlap resolution.
    """

    def analyze(self, text: str, language: str = "en", entities=None, **_ignored) -> List[RecognizerResult]:
        nlp_artifacts = self.nlp_engine.process_text(text, language)
        results: list[RecognizerResult] = []
        for recognizer in self.registry.recognizers:
            results.extend(recognizer.analyze(text=text, entities=entities or [], nlp_artifacts=nlp_artifacts))
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=results, nlp_artifacts=nlp_artifacts, recognizers=self.registry.recognizers
        )


class Analyzer:
    """Rules + NER + organisation data + code detection under one policy's detector settings."""

    def __init__(self, settings: DetectorSettings, *, pack: RulePack | None = None,
                 model: str | None = DEFAULT_MODEL):
        self.settings = settings
        base_pack = pack if pack is not None else RulePack.load()
        self.pack = RulePack([r for r in base_pack.rules if r.id not in settings.disabled_rules])
        model = model_from_environment(model) if settings.ner_enabled else None
        self.model = model
        self.allowlists = Allowlists.from_policy(settings.allowlists)
        ner_types = [t for t in settings.ner_types if t not in settings.disabled_types]

        recognizers = [RulePackRecognizer(self.pack)]
        keywords = keyword_dictionaries(settings.keywords)
        if keywords:
            recognizers.append(KeywordRecognizer(keywords))
        fingerprints = fingerprint_sets(settings.fingerprints)
        if fingerprints:
            recognizers.append(FingerprintRecognizer(fingerprints))
        if ner_types:
            recognizers.append(TableRecognizer(ner_types))
        if model and ner_types:
            recognizers.append(NerRecognizer(ner_types))
        # Names from the paste's structure and cue words: part of the NER detector, but they need no model.
        name_cues = bool(settings.ner_enabled and ner_types)
        if name_cues:
            recognizers.append(CueRecognizer(ner_types))
        if settings.code_enabled:
            recognizers.append(CodeRecognizer())

        # Rule order for overlap ties: the pack, then organisation data, then tables, NER and code.
        self.order = dict(self.pack.order)
        extra = [k.id for k in keywords] + [s.id for s in fingerprints]
        cue_rule_ids = [rule_id for family in CUE_RULE_IDS.values() for rule_id in family.values()]
        extra += list(TABLE_RULE_IDS.values()) + cue_rule_ids + list(NER_RULE_IDS.values()) + [CODE_RULE_ID]
        for rule_id in extra:
            self.order.setdefault(rule_id, len(self.order))
        # The NER min_score applies to everything the NER detector reports, cues included.
        self.ner_rule_ids = frozenset(NER_RULE_IDS.values()) | frozenset(cue_rule_ids)

        nlp_engine = PromptfenceNlpEngine(
            model if ner_types else None,
            code_min_lines=settings.code_min_lines,
            detect_code=settings.code_enabled,
            name_cues=name_cues,
        )
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
        self.engine = PromptfenceAnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            context_aware_enhancer=LinearContextStep(),
        )

    def analyze(self, text: str) -> list[Finding]:
        if not text:
            return []
        findings = [finding_of(r) for r in self.engine.analyze(text, "en")]
        findings = self.apply_policy(text, findings)
        code = [f for f in findings if f.category == "code"]
        resolved = resolve_overlaps([f for f in findings if f.category != "code"], self.order)
        if code:
            resolved.extend(code)
            resolved.sort(key=lambda f: (f.start, f.end, self.order.get(f.rule, 1 << 30)))
        return resolved

    def apply_policy(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        s = self.settings
        kept = [
            f for f in findings
            if f.score >= s.min_score
            and f.type not in s.disabled_types
            and f.rule not in s.disabled_rules
            and (f.rule not in self.ner_rule_ids or f.score >= s.ner_min_score)
        ]
        return self.allowlists.apply(text, kept)

    def detect_code(self, text: str) -> CodeInfo:
        layout = analyse_layout(text, code_min_lines=self.settings.code_min_lines)
        return code_info(text, layout.lines, layout.code_regions)
