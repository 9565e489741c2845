"""Organisation data: keyword dictionaries and exact-data-match fingerprints from the policy.

Keyword dictionaries (policy `keywords`) list exact terms: project code names, document markings, internal
host names. Each dictionary compiles into one regular expression shaped as a trie of its terms (shared
prefixes factored out), so thousands of terms cost a few character comparisons per position instead of one
per term, and the greedy trie prefers the longest term. Whole-word terms must not touch a letter or digit.

Fingerprints (policy `fingerprints`) find candidate tokens with a regex, normalise each one, and look up
HMAC-SHA256(salt, normalised value) in the set's hashes. The values themselves are never in the policy,
never stored and never logged; only a candidate whose hash is listed becomes a finding.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Sequence

from promptfence.agent.errors import PolicyInvalid
from promptfence.agent.regex_trie import trie_regex
from promptfence.agent.rules import Finding

DEFAULT_KEYWORD_SCORE = 0.9
FINGERPRINT_SCORE = 1.0
NORMALISERS = {
    "lower": str.lower,
    "digits": lambda value: "".join(c for c in value if c.isdigit()),
    "none": lambda value: value,
}
# Not a letter or digit (Unicode): the policy's whole-word boundary.
WORD_BEFORE = r"(?<![^\W_])"
WORD_AFTER = r"(?![^\W_])"


@dataclass(frozen=True)
class KeywordDictionary:
    id: str
    type: str
    category: str
    severity: str
    score: float
    pattern: re.Pattern
    case_sensitive: bool = True

    @classmethod
    def from_policy(cls, raw: dict) -> "KeywordDictionary":
        terms = [t for t in raw.get("terms", ()) if t]
        if not terms:
            raise PolicyInvalid("policy", f"keywords.{raw.get('id')}.terms", "no terms")
        case_sensitive = bool(raw.get("case_sensitive", False))
        whole_word = bool(raw.get("whole_word", True))
        if not case_sensitive:
            terms = [t.lower() for t in terms]
        body = trie_regex(sorted(set(terms)))
        if whole_word:
            body = WORD_BEFORE + "(?:" + body + ")" + WORD_AFTER
        return cls(
            id=raw["id"],
            type=raw["type"],
            category=raw.get("category", "keyword"),
            severity=raw["severity"],
            score=float(raw.get("score", DEFAULT_KEYWORD_SCORE)),
            pattern=re.compile(body),
            case_sensitive=case_sensitive,
        )

    @cached_property
    def folded(self) -> re.Pattern:
        # Case-insensitive dictionaries match the lower-cased text with `pattern` (several times faster than
        # re.IGNORECASE on a big trie); this is for the rare text whose lower-casing changes its length.
        return re.compile(self.pattern.pattern, re.IGNORECASE)

    def find(self, text: str, lowered: str | None = None) -> Iterator[Finding]:
        if self.case_sensitive:
            matches = self.pattern.finditer(text)
        else:
            lowered = text.lower() if lowered is None else lowered
            matches = self.pattern.finditer(lowered) if len(lowered) == len(text) else self.folded.finditer(text)
        for match in matches:
            if match.end() > match.start():
                yield Finding(self.id, self.type, self.category, self.severity, match.start(), match.end(), self.score)


def decode_salt(salt: str) -> bytes:
    try:
        return base64.b64decode(salt.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise PolicyInvalid("policy", "fingerprints.salt", "not base64") from exc


def fingerprint(salt: bytes, value: str, normalise: str = "none") -> str:
    """Lower-case hex HMAC-SHA256 of the normalised value: what a policy's `hashes` lists."""
    return hmac.digest(salt, NORMALISERS[normalise](value).encode("utf-8"), "sha256").hex()


@dataclass(frozen=True)
class FingerprintSet:
    id: str
    type: str
    category: str
    severity: str
    normalise: str
    candidate: re.Pattern
    hashes: frozenset[str]
    salt: bytes

    @classmethod
    def from_policy(cls, raw: dict, salt: bytes) -> "FingerprintSet":
        where = f"fingerprints.sets.{raw.get('id')}"
        normalise = raw.get("normalise", "none")
        if normalise not in NORMALISERS:
            raise PolicyInvalid("policy", f"{where}.normalise", f"unknown normaliser {normalise!r}")
        try:
            # The portable regex subset of SPEC.md, compiled as the rule layer compiles rules.
            candidate = re.compile(raw["candidate"], re.ASCII | re.MULTILINE)
        except re.error as exc:
            raise PolicyInvalid("policy", f"{where}.candidate", f"bad regex: {exc}") from exc
        return cls(
            id=raw["id"],
            type=raw["type"],
            category=raw.get("category", "pii"),
            severity=raw["severity"],
            normalise=normalise,
            candidate=candidate,
            hashes=frozenset(h.lower() for h in raw.get("hashes", ())),
            salt=salt,
        )

    def find(self, text: str) -> Iterator[Finding]:
        if not self.hashes:
            return
        normalise = NORMALISERS[self.normalise]
        salt, hashes = self.salt, self.hashes
        for match in self.candidate.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            value = normalise(match.group())
            if value and hmac.digest(salt, value.encode("utf-8"), "sha256").hex() in hashes:
                yield Finding(self.id, self.type, self.category, self.severity, start, end, FINGERPRINT_SCORE)


def keyword_dictionaries(policy_keywords: Sequence[dict]) -> list[KeywordDictionary]:
    return [KeywordDictionary.from_policy(raw) for raw in policy_keywords or ()]


def fingerprint_sets(policy_fingerprints: dict | None) -> list[FingerprintSet]:
    section = policy_fingerprints or {}
    sets = section.get("sets") or []
    if not sets:
        return []
    salt = decode_salt(section.get("salt", ""))
    if not salt:
        raise PolicyInvalid("policy", "fingerprints.salt", "empty salt with fingerprint sets")
    return [FingerprintSet.from_policy(raw, salt) for raw in sets]
