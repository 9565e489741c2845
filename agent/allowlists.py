"""The policy's allowlists: matches that are not findings (the company's own e-mail domain, test cards it lists).

- `email_domains`: an EMAIL_ADDRESS finding at one of these domains is dropped.
- `hosts`: a finding whose value names one of these hosts (a URL's or connection string's host, an
  e-mail's domain, or the bare host) is dropped.
- `values`: exact values; for digit-like values (digits, spaces and dashes) spaces and dashes are ignored.

Host patterns follow the policy schema: `example.com` is that host exactly, `*.example.com` every subdomain
but not the domain itself; case-insensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from promptfence.agent.rules import Finding

DIGIT_LIKE = re.compile(r"[\d\s-]+")
HOST_IN_VALUE = re.compile(r"(?:@|://(?:[^/@\s]*@)?)\[?([A-Za-z0-9.-]+)")


class HostPatterns:
    def __init__(self, patterns: Iterable[str]):
        self.exact: set[str] = set()
        self.suffixes: list[str] = []
        for pattern in patterns:
            pattern = pattern.lower().rstrip(".")
            if pattern.startswith("*."):
                self.suffixes.append(pattern[1:])  # ".example.com"
            else:
                self.exact.add(pattern)

    def __bool__(self) -> bool:
        return bool(self.exact or self.suffixes)

    def matches(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return host in self.exact or any(host.endswith(s) for s in self.suffixes)


def squeeze(value: str) -> str:
    """The comparison form of a value: digit-like values lose their spaces and dashes."""
    if DIGIT_LIKE.fullmatch(value):
        return re.sub(r"[\s-]", "", value)
    return value


@dataclass
class Allowlists:
    email_domains: HostPatterns
    hosts: HostPatterns
    values: frozenset[str]

    @classmethod
    def from_policy(cls, section: dict | None) -> "Allowlists":
        section = section or {}
        return cls(
            email_domains=HostPatterns(section.get("email_domains", ())),
            hosts=HostPatterns(section.get("hosts", ())),
            values=frozenset(squeeze(v) for v in section.get("values", ())),
        )

    def __bool__(self) -> bool:
        return bool(self.email_domains or self.hosts or self.values)

    def allows(self, text: str, finding: Finding) -> bool:
        value = text[finding.start:finding.end]
        if self.values and squeeze(value) in self.values:
            return True
        if self.email_domains and finding.type == "EMAIL_ADDRESS" and "@" in value:
            if self.email_domains.matches(value.rsplit("@", 1)[1]):
                return True
        if self.hosts:
            if self.hosts.matches(value):
                return True
            for match in HOST_IN_VALUE.finditer(value):
                if self.hosts.matches(match.group(1)):
                    return True
        return False

    def apply(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        if not self:
            return list(findings)
        return [f for f in findings if f.category == "code" or not self.allows(text, f)]
