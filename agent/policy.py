"""The policy: which sites are guarded, what each finding leads to, and what the user is told.

A policy document (shared-rules/schemas/policy.schema.json) is validated whole, merged over the default
policy (objects key by key, arrays and scalars replaced) and only then turned into a Policy, which is
immutable: a corrupt file raises PolicyInvalid and whoever holds the previous Policy keeps it.

`decide()` maps findings to actions with the ordered `actions` list (first matching entry wins) and the
text's decision is the strongest of them. Site overrides are resolved per host into a SitePolicy.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from promptfence.agent.errors import PolicyInvalid
from promptfence.agent.rules import SEVERITIES, load_json, shared_rules_dir

ACTIONS = ("allow", "redact", "warn", "block")  # weakest to strongest
ACTION_STRENGTH = {action: rank for rank, action in enumerate(ACTIONS)}
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
CHANNELS = ("paste", "drop", "submit", "upload", "network")
# Fingerprint sets can hold many hashes; anything beyond this is not a policy.
MAX_POLICY_BYTES = 64 * 1024 * 1024
# The extension view travels in one native message, which Chrome caps at 1 MB: keyword dictionaries get
# at most this much of it (JSON bytes); the ones that do not fit stay with the agent (keywords_omitted).
VIEW_KEYWORD_BUDGET = 512 * 1024


# ---------------------------------------------------------------------------------------------- hosts

def normalise_host(site: str | None) -> str:
    """A host from what callers pass: `chatgpt.com`, `ChatGPT.com.`, `chatgpt.com:443` or a whole URL."""
    if not site:
        return ""
    host = site.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = host.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1]
    if host.startswith("["):  # an IPv6 literal keeps its colons
        return host[1:host.index("]")] if "]" in host else host[1:]
    return host.split(":", 1)[0].rstrip(".")


def host_matches(pattern: str, host: str) -> bool:
    """`chatgpt.com` matches only itself; `*.openai.com` matches every subdomain, not openai.com itself."""
    pattern = pattern.lower()
    if pattern.startswith("*."):
        suffix = pattern[1:]
        return host.endswith(suffix) and len(host) > len(suffix)
    return host == pattern


def pattern_specificity(pattern: str) -> tuple[int, int]:
    """Sort key, most specific last: an exact host beats any wildcard, a longer wildcard a shorter one."""
    return (0 if pattern.startswith("*.") else 1, pattern.count("."))


@dataclass(frozen=True)
class GuardedSite:
    host: str  # a host pattern
    paths: tuple[str, ...] = ()  # path prefixes; empty: every path

    @classmethod
    def from_json(cls, raw) -> "GuardedSite":
        if isinstance(raw, str):
            return cls(raw.lower())
        return cls(raw["host"].lower(), tuple(raw.get("paths", ())))

    def covers(self, host: str, path: str | None) -> bool:
        if not host_matches(self.host, host):
            return False
        if not self.paths or path is None:
            return True
        return any(path == prefix or path.startswith(prefix.rstrip("/") + "/") for prefix in self.paths)

    def as_json(self) -> dict:
        return {"host": self.host, "paths": list(self.paths)} if self.paths else {"host": self.host}


# -------------------------------------------------------------------------------------------- actions

def _as_set(value) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset([value] if isinstance(value, str) else value)


@dataclass(frozen=True)
class ActionEntry:
    """One compiled line of the `actions` list."""

    action: str
    types: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    rules: frozenset[str] | None = None
    channels: frozenset[str] | None = None
    min_severity: int | None = None
    min_score: float | None = None
    min_count: int | None = None

    @classmethod
    def from_json(cls, raw: Mapping) -> "ActionEntry":
        match = raw["match"]
        return cls(
            action=raw["action"],
            types=_as_set(match.get("type")),
            categories=_as_set(match.get("category")),
            rules=_as_set(match.get("rule")),
            channels=_as_set(match.get("channel")),
            min_severity=SEVERITY_RANK[match["min_severity"]] if "min_severity" in match else None,
            min_score=match.get("min_score"),
            min_count=match.get("min_count"),
        )

    def fits(self, finding, channel: str) -> bool:
        """Every condition but min_count, which depends on the other findings of the text."""
        return (
            (self.types is None or finding.type in self.types)
            and (self.categories is None or finding.category in self.categories)
            and (self.rules is None or finding.rule in self.rules)
            and (self.channels is None or channel in self.channels)
            and (self.min_severity is None or SEVERITY_RANK.get(finding.severity, 0) >= self.min_severity)
            and (self.min_score is None or finding.score >= self.min_score)
        )


@dataclass(frozen=True)
class Decision:
    """What to do with one text, and each finding's own action (same order as the findings)."""

    action: str
    finding_actions: tuple[str, ...]
    message: str
    override_allowed: bool
    justification_required: bool
    policy_version: str


def strongest(actions: Iterable[str]) -> str:
    return max(actions, key=ACTION_STRENGTH.__getitem__, default="allow")


def describe_types(types: Iterable[str]) -> str:
    """`AWS_ACCESS_KEY_ID` -> `aws access key id`, for the user-facing messages."""
    return ", ".join(sorted({t.replace("_", " ").lower() for t in types}))


# ---------------------------------------------------------------------------------------- site policy

class SitePolicy:
    """The policy as it applies to one host: site overrides merged in."""

    def __init__(self, policy: "Policy", host: str, overrides: Sequence[tuple[str, Mapping]]):
        # `overrides` is most specific first.
        self.policy = policy
        self.host = host
        self.override_patterns = tuple(pattern for pattern, _ in overrides)
        raw_actions = [entry for _, override in overrides for entry in override.get("actions", ())]
        raw_actions += policy.document["actions"]
        self.raw_actions = tuple(raw_actions)
        self.actions = tuple(ActionEntry.from_json(entry) for entry in raw_actions)
        self.default_action: str = policy.document["default_action"]
        detectors = copy.deepcopy(policy.document["detectors"])
        for _, override in reversed(overrides):
            detectors = deep_merge(detectors, override.get("detectors", {}))
        self.detectors: dict = detectors
        self.fail_mode: str = next(
            (override["fail_mode"] for _, override in overrides if "fail_mode" in override),
            policy.site_fail_mode(host),
        )

    def detector_document(self) -> dict:
        """The policy document with this site's detector settings, for DetectorSettings.from_policy."""
        document = dict(self.policy.document)
        document["detectors"] = self.detectors
        return document

    def finding_actions(self, findings: Sequence, channel: str = "paste") -> list[str]:
        counts = {}
        for index, entry in enumerate(self.actions):
            if entry.min_count is not None:
                counts[index] = sum(1 for finding in findings if entry.fits(finding, channel))
        result = []
        for finding in findings:
            for index, entry in enumerate(self.actions):
                if entry.fits(finding, channel) and (entry.min_count is None or counts[index] >= entry.min_count):
                    action = entry.action
                    break
            else:
                action = self.default_action
            if action == "redact" and finding.category == "code":
                action = "warn"  # a code block has no value a placeholder could stand for
            result.append(action)
        return result

    def decide(self, findings: Sequence, channel: str = "paste") -> Decision:
        actions = self.finding_actions(findings, channel)
        action = strongest(actions)
        document = self.policy.document
        message = ""
        if action != "allow":
            template = document["messages"].get(action, "")
            behind = [finding.type for finding, a in zip(findings, actions) if a == action]
            message = template.replace("{types}", describe_types(behind))
        user_override = document["user_override"]
        override_allowed = action == "warn" and bool(user_override.get("allow_warn_override"))
        return Decision(
            action=action,
            finding_actions=tuple(actions),
            message=message,
            override_allowed=override_allowed,
            justification_required=override_allowed and bool(user_override.get("justification_required")),
            policy_version=self.policy.version,
        )


# --------------------------------------------------------------------------------------------- policy

class Policy:
    """A validated policy document. Build it with Policy.load, Policy.from_dict or Policy.default."""

    def __init__(self, document: dict, source: str):
        # Only called after validation (see from_dict), so every section exists.
        self.document = document
        self.source = source
        self.version: str = document["policy_version"]
        sites = document["sites"]
        self.guarded = tuple(GuardedSite.from_json(raw) for raw in sites["guarded"])
        self.extra = tuple(GuardedSite.from_json(raw) for raw in sites["extra"])
        by_specificity = sorted(document["site_overrides"].items(), key=lambda item: pattern_specificity(item[0]))
        self._overrides = tuple(reversed(by_specificity))  # most specific first
        self._site_cache: dict[str, SitePolicy] = {}

    # -- construction

    @classmethod
    def load(cls, path: str | Path) -> "Policy":
        source = str(path)
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_POLICY_BYTES + 1)
        except OSError as exc:
            raise PolicyInvalid(source, "(file)", exc.strerror or str(exc)) from exc
        if len(data) > MAX_POLICY_BYTES:
            raise PolicyInvalid(source, "(file)", f"larger than {MAX_POLICY_BYTES} bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicyInvalid(source, "(file)", f"not valid UTF-8 at byte {exc.start}") from exc
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyInvalid(source, "(file)", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
        return cls.from_dict(document, source)

    @classmethod
    def from_dict(cls, document, source: str = "<policy>") -> "Policy":
        validate_document(document, source)
        merged = deep_merge(default_document(), document)
        validate_document(merged, source)  # the merge cannot break the schema, but a default file edit could
        check_semantics(merged, source)
        return cls(merged, source)

    @classmethod
    def default(cls) -> "Policy":
        return _default_policy()

    # -- queries

    def for_site(self, site: str | None) -> SitePolicy:
        host = normalise_host(site)
        cached = self._site_cache.get(host)
        if cached is None:
            overrides = [(pattern, body) for pattern, body in self._overrides if host_matches(pattern, host)]
            cached = SitePolicy(self, host, overrides)
            if len(self._site_cache) < 1024:  # hosts come from callers: bound the cache
                self._site_cache[host] = cached
        return cached

    def decide(self, findings: Sequence, site: str | None = None, channel: str = "paste") -> Decision:
        return self.for_site(site).decide(findings, channel)

    def is_guarded(self, site: str | None, path: str | None = None) -> bool:
        host = normalise_host(site)
        return any(entry.covers(host, path) for entry in self.guarded + self.extra)

    def site_fail_mode(self, host: str) -> str:
        """fail_mode.sites (most specific pattern first), else fail_mode.default; site_overrides come first
        and are applied by SitePolicy."""
        fail_mode = self.document["fail_mode"]
        fitting = [pattern for pattern in fail_mode["sites"] if host_matches(pattern, host)]
        if fitting:
            return fail_mode["sites"][max(fitting, key=pattern_specificity)]
        return fail_mode["default"]

    def extension_view(self, site: str | None = None) -> dict:
        """What the extension needs, JSON-ready: guarded sites, texts, fail modes, override rules, what to
        do with uploaded files and, for its built-in fallback rules, the action list, allowlists and
        keyword dictionaries (terms an organisation lists, not secret values). Never the pseudonym key or
        the fingerprint sets, whose salt would let anyone test guesses against the hashes. With a site:
        that site's effective actions and fail mode."""
        document = self.document
        view = {
            "policy_version": self.version,
            "organisation": document["organisation"].get("name", ""),
            "sites": {
                "guarded": [entry.as_json() for entry in self.guarded],
                "extra": [entry.as_json() for entry in self.extra],
            },
            "fail_mode": copy.deepcopy(document["fail_mode"]),
            "messages": dict(document["messages"]),
            "user_override": dict(document["user_override"]),
            "redaction": copy.deepcopy(document["redaction"]),
            "detectors": {
                key: copy.deepcopy(document["detectors"][key])
                for key in ("disabled_rules", "disabled_types", "min_score")
                if key in document["detectors"]
            },
            "allowlists": copy.deepcopy(document["allowlists"]),
            **keywords_for_view(document["keywords"]),
            "uploads": copy.deepcopy(document["uploads"]),
            "actions": copy.deepcopy(document["actions"]),
            "default_action": document["default_action"],
        }
        if site is None:
            view["site_overrides"] = {
                pattern: {key: copy.deepcopy(body[key]) for key in ("actions", "fail_mode") if key in body}
                for pattern, body in document["site_overrides"].items()
            }
        else:
            site_policy = self.for_site(site)
            view["actions"] = copy.deepcopy(list(site_policy.raw_actions))
            view["site"] = {
                "host": site_policy.host,
                "guarded": self.is_guarded(site_policy.host),
                "fail_mode": site_policy.fail_mode,
            }
        return view

    def as_dict(self) -> dict:
        return copy.deepcopy(self.document)


def keywords_for_view(dictionaries: Sequence[Mapping], budget: int = VIEW_KEYWORD_BUDGET) -> dict:
    """The keyword dictionaries for the extension's fallback, whole and in policy order, as long as they
    fit the budget; `keywords_omitted` names the ones left out (only the agent matches them)."""
    sent, omitted, used = [], [], 0
    for dictionary in dictionaries:
        size = len(json.dumps(dictionary))  # ASCII-escaped: never less than the UTF-8 bytes sent
        if used + size <= budget:
            sent.append(copy.deepcopy(dictionary))
            used += size
        else:
            omitted.append(dictionary["id"])
    return {"keywords": sent, "keywords_omitted": omitted} if omitted else {"keywords": sent}


# ----------------------------------------------------------------------------------------- validation

def deep_merge(base: Mapping, top: Mapping) -> dict:
    """Objects merged key by key; arrays and scalars of `top` replace those of `base`."""
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def format_key(path: Iterable) -> str:
    """jsonschema's error path as `actions[3].match.type`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(root)"


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    base = shared_rules_dir()
    index = load_json(base / "index.json")
    schema = load_json(base / index["schemas"]["policy"])
    return jsonschema.Draft202012Validator(schema)


def validate_document(document, source: str) -> None:
    import jsonschema

    if not isinstance(document, dict):
        raise PolicyInvalid(source, "(root)", "a policy is a JSON object")
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        problem = error.message
        if error.validator == "pattern" and error.schema.get("description"):
            # the schema's words say more than a regular expression does
            problem = f"{error.instance!r} is not of the expected form: {error.schema['description']}"
        raise PolicyInvalid(source, format_key(error.absolute_path), problem)


def check_semantics(document: dict, source: str) -> None:
    """What a JSON Schema cannot say."""
    ids: set[str] = set()
    for index, dictionary in enumerate(document["keywords"]):
        if dictionary["id"] in ids:
            raise PolicyInvalid(source, f"keywords[{index}].id", f"duplicate id {dictionary['id']!r}")
        ids.add(dictionary["id"])
    fingerprints = document["fingerprints"]
    for index, fingerprint_set in enumerate(fingerprints["sets"]):
        key = f"fingerprints.sets[{index}]"
        if fingerprint_set["id"] in ids:
            raise PolicyInvalid(source, f"{key}.id", f"duplicate id {fingerprint_set['id']!r}")
        ids.add(fingerprint_set["id"])
        try:
            re.compile(fingerprint_set["candidate"], re.ASCII | re.MULTILINE)
        except re.error as exc:
            raise PolicyInvalid(source, f"{key}.candidate", f"bad regular expression: {exc}") from exc
    if fingerprints["sets"] and not fingerprints["salt"]:
        raise PolicyInvalid(source, "fingerprints.salt", "fingerprint sets need the salt their hashes were made with")


def default_document() -> dict:
    return copy.deepcopy(_default_raw())


@lru_cache(maxsize=1)
def _default_raw() -> dict:
    base = shared_rules_dir()
    index = load_json(base / "index.json")
    return load_json(base / index["default_policy"])


@lru_cache(maxsize=1)
def _default_policy() -> Policy:
    base = shared_rules_dir()
    index = load_json(base / "index.json")
    return Policy.load(base / index["default_policy"])
