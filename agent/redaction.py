"""Redaction: replace flagged values by placeholders that stay stable within one text.

The same value gets the same placeholder (`<EMAIL_1>` twice), different values of one kind are numbered
by first appearance (`<EMAIL_1>`, `<EMAIL_2>`), so a model reading the redacted text can still tell who is
who. The agent never sends the redacted text to the browser, only the replacements (start, end,
placeholder), and the extension rebuilds the text itself: a reply must stay under Chrome's 1 MB limit
whatever the input size.

Numbering runs over every finding that is not allowed, so the placeholder of a value is the same whether
the extension applies only the `redact` findings (the user sends anyway after a warning) or all of them
(the user picks "paste redacted").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Mapping, NamedTuple, Sequence

STYLES = ("placeholder", "mask", "type")
MASK = "\u2588" * 4  # a fixed width: a mask must not reveal the value's length
# Types whose values are compared without separators, so `4111 1111 ...` and `4111-1111-...` are one card.
DIGIT_LIKE_TYPES = frozenset({
    "CREDIT_CARD", "PHONE_NUMBER", "US_SSN", "US_ITIN", "IBAN_CODE", "US_BANK_ROUTING", "UK_NINO",
    "US_PASSPORT", "US_DRIVER_LICENSE", "DATE_OF_BIRTH",
})
SEPARATORS = re.compile(r"[\s\-.()/]+")


class Replacement(NamedTuple):
    """Replace text[start:end] (code points) by `placeholder`; `action` is the finding's action."""

    start: int
    end: int
    placeholder: str
    action: str

    def as_dict(self) -> dict:
        return self._asdict()


def value_key(finding, value: str) -> str:
    """What makes two matches 'the same value' for numbering."""
    if finding.type in DIGIT_LIKE_TYPES:
        return SEPARATORS.sub("", value).upper()
    if finding.category == "pii":  # Alice@Example.com and alice@example.com are one person
        return value.casefold()
    return value  # secrets and keywords: exact


def plan_replacements(
    text: str,
    findings: Sequence,
    actions: Sequence[str],
    *,
    style: str = "placeholder",
    labels: Mapping[str, str] | None = None,
) -> list[Replacement]:
    """A replacement for every finding whose action is not `allow`, sorted by start.

    `actions[i]` is findings[i]'s action. Source-code findings (category code) get none: they span whole
    code blocks that contain the other findings, and a placeholder stands for a value, not for a block.
    The remaining findings do not overlap (the analyzer resolves overlaps).
    """
    if style not in STYLES:
        raise ValueError(f"unknown redaction style {style!r}")
    labels = labels or {}
    numbers: dict[tuple[str, str], int] = {}
    next_number: dict[str, int] = {}
    replacements = []
    pairs = list(zip(findings, actions))
    # The analyzer's findings come sorted; sort only when a caller's are not (1 MB can mean 50,000).
    if any(a[0].start > b[0].start for a, b in zip(pairs, pairs[1:])):
        pairs.sort(key=lambda pair: (pair[0].start, pair[0].end))
    for finding, action in pairs:
        if action == "allow" or finding.category == "code":
            continue
        label = labels.get(finding.type, finding.type)
        if style == "mask":
            placeholder = MASK
        elif style == "type":
            placeholder = f"[{label}]"
        else:
            key = (label, value_key(finding, text[finding.start:finding.end]))
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = next_number[label] = next_number.get(label, 0) + 1
            placeholder = f"<{label}_{number}>"
        replacements.append(Replacement(finding.start, finding.end, placeholder, action))
    return replacements


def apply_replacements(
    text: str, replacements: Sequence[Replacement], only_actions: Collection[str] | None = None
) -> str:
    """The text with the replacements applied, right to left so earlier offsets stay valid.

    only_actions: apply just the replacements of findings with these actions (e.g. {"redact"}).
    """
    chosen = [r for r in replacements if only_actions is None or r.action in only_actions]
    chosen.sort(key=lambda r: r.start, reverse=True)
    pieces = []
    cursor = len(text)
    for replacement in chosen:
        if replacement.end > cursor:  # overlapping spans: keep the first applied, never corrupt the text
            continue
        pieces.append(text[replacement.end:cursor])
        pieces.append(replacement.placeholder)
        cursor = replacement.start
    pieces.append(text[:cursor])
    return "".join(reversed(pieces))


@dataclass(frozen=True)
class Redaction:
    text: str
    replacements: list[Replacement]


def redact(
    text: str,
    findings: Sequence,
    actions: Sequence[str],
    *,
    scope: str = "redact",
    style: str = "placeholder",
    labels: Mapping[str, str] | None = None,
) -> Redaction:
    """Redact in one call. scope="redact": only findings whose action is redact (the policy's own
    redaction); scope="all": every finding not allowed (a warned user chose "paste redacted")."""
    if scope not in ("redact", "all"):
        raise ValueError(f"unknown redaction scope {scope!r}")
    planned = plan_replacements(text, findings, actions, style=style, labels=labels)
    if scope == "redact":
        planned = [r for r in planned if r.action == "redact"]
    return Redaction(apply_replacements(text, planned), planned)
