"""Redaction: stable placeholders, styles, and right-to-left application."""

import pytest

from promptfence.agent.policy import Policy
from promptfence.agent.redaction import (
    MASK,
    Replacement,
    apply_replacements,
    plan_replacements,
    redact,
)
from promptfence.agent.rules import Finding

LABELS = Policy.default().document["redaction"]["labels"]


def spans(text, *items):
    """Findings for each (value, type, category) in order of appearance (a value may repeat)."""
    findings, cursor = [], 0
    for value, type_, category in items:
        start = text.index(value, cursor)
        findings.append(Finding(type_.lower(), type_, category, "medium", start, start + len(value), 0.9))
        cursor = start + len(value)
    return findings


def email(value):
    return (value, "EMAIL_ADDRESS", "pii")


def test_when_the_same_email_appears_twice_then_both_get_the_same_placeholder():
    text = "write to ann@acme.io, yes ann@acme.io"
    findings = spans(text, email("ann@acme.io"), email("ann@acme.io"))
    result = redact(text, findings, ["redact", "redact"], labels=LABELS)
    assert result.text == "write to <EMAIL_1>, yes <EMAIL_1>"


def test_when_two_different_emails_then_numbered_by_first_appearance():
    text = "bob@acme.io, ann@acme.io, bob@acme.io"
    findings = spans(text, email("bob@acme.io"), email("ann@acme.io"), email("bob@acme.io"))
    result = redact(text, findings, ["redact"] * 3, labels=LABELS)
    assert result.text == "<EMAIL_1>, <EMAIL_2>, <EMAIL_1>"


def test_when_the_same_value_differs_only_in_case_or_separators_then_it_is_one_value():
    text = "Ann@Acme.io or ann@acme.io; card 4111 1111 1111 1111 = 4111-1111-1111-1111"
    findings = spans(text, email("Ann@Acme.io"), email("ann@acme.io"),
                     ("4111 1111 1111 1111", "CREDIT_CARD", "pii"), ("4111-1111-1111-1111", "CREDIT_CARD", "pii"))
    result = redact(text, findings, ["redact"] * 4, labels=LABELS)
    assert result.text == "<EMAIL_1> or <EMAIL_1>; card <CARD_1> = <CARD_1>"


def test_when_types_differ_then_each_type_has_its_own_numbering_and_label():
    text = "ann@acme.io +1 415 555 0132 AKIAZ7Q3WXYV4TRS2P5K bob@acme.io X_UNLABELLED"
    findings = spans(text, email("ann@acme.io"), ("+1 415 555 0132", "PHONE_NUMBER", "pii"),
                     ("AKIAZ7Q3WXYV4TRS2P5K", "AWS_ACCESS_KEY_ID", "secret"), email("bob@acme.io"),
                     ("X_UNLABELLED", "SOME_NEW_TYPE", "pii"))
    result = redact(text, findings, ["redact"] * 5, labels=LABELS)
    assert result.text == "<EMAIL_1> <PHONE_1> <AWS_KEY_1> <EMAIL_2> <SOME_NEW_TYPE_1>"


@pytest.mark.parametrize(
    "style, expected",
    [
        ("placeholder", "to <EMAIL_1> and <EMAIL_2>."),
        ("type", "to [EMAIL] and [EMAIL]."),
        ("mask", f"to {MASK} and {MASK}."),
    ],
)
def test_when_style_is_chosen_then_replacement_text_follows_it(style, expected):
    text = "to ann@acme.io and bob@example.org."
    findings = spans(text, email("ann@acme.io"), email("bob@example.org"))
    assert redact(text, findings, ["redact", "redact"], style=style, labels=LABELS).text == expected


def test_when_replacements_are_applied_then_offsets_refer_to_the_original_text():
    # Placeholders are longer or shorter than the values: applying left to right would shift later spans.
    text = "a@b.io x 4111111111111111 y longer.name@example-company.com z"
    findings = spans(text, email("a@b.io"), ("4111111111111111", "CREDIT_CARD", "pii"),
                     email("longer.name@example-company.com"))
    result = redact(text, findings, ["redact"] * 3, labels=LABELS)
    assert result.text == "<EMAIL_1> x <CARD_1> y <EMAIL_2> z"
    for replacement, finding in zip(result.replacements, findings):
        assert (replacement.start, replacement.end) == (finding.start, finding.end)
        assert text[replacement.start:replacement.end] in ("a@b.io", "4111111111111111",
                                                           "longer.name@example-company.com")


def test_when_findings_arrive_unsorted_then_numbering_still_follows_the_text():
    text = "first@acme.io then second@acme.io"
    findings = list(reversed(spans(text, email("first@acme.io"), email("second@acme.io"))))
    replacements = plan_replacements(text, findings, ["redact", "redact"], labels=LABELS)
    assert [r.placeholder for r in replacements] == ["<EMAIL_1>", "<EMAIL_2>"]
    assert [r.start for r in replacements] == [0, 19]


def test_when_actions_differ_then_scope_redact_keeps_warned_values_and_scope_all_replaces_them():
    text = "CONFIDENTIAL: mail ann@acme.io, person Ann Lee"
    findings = spans(text, ("CONFIDENTIAL", "DOCUMENT_MARKING", "keyword"), email("ann@acme.io"),
                     ("Ann Lee", "PERSON", "pii"))
    actions = ["warn", "redact", "allow"]
    only_redact = redact(text, findings, actions, scope="redact", labels=LABELS)
    everything = redact(text, findings, actions, scope="all", labels=LABELS)
    assert only_redact.text == "CONFIDENTIAL: mail <EMAIL_1>, person Ann Lee"
    assert everything.text == "<MARKING_1>: mail <EMAIL_1>, person Ann Lee"  # allowed findings stay
    assert [r.action for r in everything.replacements] == ["warn", "redact"]


def test_when_only_some_actions_are_applied_then_placeholders_keep_their_numbers():
    text = "ann@acme.io bob@acme.io"
    findings = spans(text, email("ann@acme.io"), email("bob@acme.io"))
    replacements = plan_replacements(text, findings, ["warn", "redact"], labels=LABELS)
    assert apply_replacements(text, replacements, only_actions={"redact"}) == "ann@acme.io <EMAIL_2>"
    assert apply_replacements(text, replacements) == "<EMAIL_1> <EMAIL_2>"


def test_when_replacements_overlap_then_the_text_is_not_corrupted():
    text = "0123456789"
    replacements = [Replacement(2, 6, "<A>", "redact"), Replacement(4, 8, "<B>", "redact")]
    # right to left: the later span is applied, the earlier one that reaches into it is skipped
    assert apply_replacements(text, replacements) == "0123<B>89"


def test_when_text_has_astral_characters_then_code_point_offsets_hold():
    text = "\U0001F600 ann@acme.io \U0001F600"
    findings = spans(text, email("ann@acme.io"))
    assert findings[0].start == 2
    assert redact(text, findings, ["redact"], labels=LABELS).text == "\U0001F600 <EMAIL_1> \U0001F600"


def test_when_style_is_unknown_then_value_error():
    with pytest.raises(ValueError):
        plan_replacements("x", [], [], style="shred")


def test_when_code_block_contains_a_secret_then_only_the_secret_is_replaced():
    text = "def connect():\n    key = 'AKIAZ7Q3WXYV4TRS2P5K'\n    return key\n"
    code = Finding("source-code", "SOURCE_CODE", "code", "low", 0, len(text) - 1, 0.8)
    [secret] = spans(text, ("AKIAZ7Q3WXYV4TRS2P5K", "AWS_ACCESS_KEY_ID", "secret"))
    result = redact(text, [code, secret], ["warn", "block"], scope="all", labels=LABELS)
    assert [r.placeholder for r in result.replacements] == ["<AWS_KEY_1>"]
    assert result.text == "def connect():\n    key = '<AWS_KEY_1>'\n    return key\n"
