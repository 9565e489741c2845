"""The eval's own tests: span matching, the P/R/F2 arithmetic on hand-made cases, the generators'
check digits against published examples, corpus invariants, masking, and one run through the real path."""

import json
import sys
from pathlib import Path

import pytest

# `eval` is run as `python -m eval` from the repository root, not installed; make it importable here.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval import checksums  # noqa: E402
from eval.__main__ import main  # noqa: E402
from eval.corpus import PII_TYPES, SECRET, Labelled, Sample, Span, render  # noqa: E402
from eval.dataset import build_corpus  # noqa: E402
from eval.report import masked_snippet, worst_misses  # noqa: E402
from eval.scoring import (  # noqa: E402
    CleanShare, Prediction, Tally, Totals, f2, finds, exactly_finds, inside_gold, score_sample,
)


def pred(start, end, type_="PERSON", category="pii", rule="r"):
    return Prediction(start, end, type_, category, rule)


# --- span matching -------------------------------------------------------------------------------------


def test_when_prediction_covers_half_the_gold_then_it_finds_it():
    gold = Span(10, 20, "PERSON", "full-name")
    assert finds(pred(15, 30), gold)
    assert finds(pred(0, 15), gold)


def test_when_prediction_covers_less_than_half_then_it_does_not_find_it():
    gold = Span(10, 20, "PERSON", "full-name")
    assert not finds(pred(16, 30), gold)
    assert not finds(pred(20, 25), gold)  # touching is not overlapping


def test_when_types_differ_then_pii_does_not_match():
    assert not finds(pred(10, 20, "ORGANIZATION"), Span(10, 20, "PERSON", "full-name"))


def test_when_gold_is_secret_then_any_secret_category_type_matches():
    gold = Span(5, 45, SECRET, "github-pat-classic")
    assert finds(pred(5, 45, "GENERIC_API_KEY", "secret"), gold)
    assert finds(pred(0, 50, "GITHUB_TOKEN", "secret"), gold)
    assert not finds(pred(5, 45, "PERSON", "pii"), gold)


def test_exact_match_needs_identical_offsets():
    gold = Span(10, 20, "US_SSN", "dashed")
    assert exactly_finds(pred(10, 20, "US_SSN"), gold)
    assert not exactly_finds(pred(10, 21, "US_SSN"), gold)


def test_when_prediction_is_a_fragment_of_gold_then_it_is_inside_gold():
    golds = [Span(0, 15, "PERSON", "full-name")]
    assert inside_gold(pred(12, 15), golds)
    assert not inside_gold(pred(12, 30), golds)  # mostly outside the entity
    assert not inside_gold(pred(12, 15, "LOCATION"), golds)


# --- arithmetic ----------------------------------------------------------------------------------------


def test_f2_weighs_recall_four_times():
    assert f2(0.5, 1.0) == pytest.approx(5 * 0.5 / (4 * 0.5 + 1))
    assert f2(1.0, 0.5) == pytest.approx(5 * 0.5 / (4 + 0.5))
    assert f2(0.0, 0.0) == 0.0


def test_when_sample_is_scored_then_tallies_count_gold_and_predictions_separately():
    # "Ann Lee mailed ann@x.io and Bob" - two people, one email.
    sample = Sample("s", "pii", "t", "Ann Lee mailed ann@x.io and Bob", (
        Span(0, 7, "PERSON", "full-name"), Span(15, 23, "EMAIL_ADDRESS", "personal"), Span(28, 31, "PERSON", "first-name")))
    predictions = [
        pred(0, 7),                                  # exact PERSON
        pred(8, 14),                                 # "mailed": a false alarm
        pred(15, 20, "EMAIL_ADDRESS"),               # 5 of 8 characters: found, not exact
        pred(28, 31, "ORGANIZATION"),                # wrong type: Bob is missed, and a false ORGANIZATION
        pred(0, 3, "URL"),                           # outside the label set: not scored
    ]
    result = score_sample(sample, predictions)
    person, email, org = result.tallies["PERSON"], result.tallies["EMAIL_ADDRESS"], result.tallies["ORGANIZATION"]
    assert (person.gold, person.found, person.found_exact, person.predicted, person.correct) == (2, 1, 1, 2, 1)
    assert (email.gold, email.found, email.found_exact, email.predicted, email.correct, email.correct_exact) == (1, 1, 0, 1, 1, 0)
    assert (org.gold, org.predicted, org.correct) == (0, 1, 0)
    assert person.precision == 0.5 and person.recall == 0.5 and person.f2 == pytest.approx(0.5)
    assert email.recall_exact == 0.0 and email.f2 == 1.0
    assert org.recall is None and org.f2 is None
    assert [m.gold.fmt for m in result.misses] == ["first-name"]
    assert result.misses[0].confused_with == "ORGANIZATION"
    assert sorted(a.pred.type for a in result.false_alarms) == ["ORGANIZATION", "PERSON"]
    assert result.unscored == {"URL": 1}


def test_micro_average_pools_counts_not_ratios():
    totals = Totals()
    totals.by_type["PERSON"].add(Tally(gold=10, found=5, predicted=5, correct=5))
    totals.by_type["US_SSN"].add(Tally(gold=90, found=90, predicted=100, correct=90))
    micro = totals.micro(PII_TYPES)
    assert micro.recall == pytest.approx(95 / 100)
    assert micro.precision == pytest.approx(95 / 105)


def test_secret_formats_get_recall_of_their_own():
    totals = Totals()
    sample = Sample("s", "secret", "env", "A=aaaa B=bbbb", (Span(2, 6, SECRET, "fmt-a"), Span(9, 13, SECRET, "fmt-b")))
    totals.add(sample, score_sample(sample, [pred(2, 6, "X_TOKEN", "secret")]))
    assert totals.by_format["fmt-a"].recall == 1.0
    assert totals.by_format["fmt-b"].recall == 0.0
    assert totals.by_type[SECRET].recall == 0.5


def test_clean_share_counts_each_definition():
    share = CleanShare()
    share.add([pred(0, 3, "GENERIC_API_KEY", "secret")], "block")
    share.add([pred(0, 3, "SOURCE_CODE", "code")], "allow")
    share.add([], "allow")
    share.add([], None)
    assert (share.texts, share.any_secret, share.any_finding, share.any_non_code) == (4, 1, 2, 1)
    assert share.share(share.decision_not_allow, share.decisions_measured) == pytest.approx(1 / 3)


# --- masking -------------------------------------------------------------------------------------------


def test_masked_snippet_shows_context_and_never_a_labelled_value():
    text = "call Jane Roe on +44 7700 900123 about it"
    sample = Sample("s", "pii", "t", text, (Span(5, 13, "PERSON", "full-name"), Span(17, 32, "PHONE_NUMBER", "uk-mobile-intl")))
    snippet = masked_snippet(sample, 17, 32, "MISSED PHONE_NUMBER")
    assert "Jane" not in snippet and "7700" not in snippet
    assert snippet == "call ⟨PERSON:full-name⟩ on ⟦MISSED PHONE_NUMBER⟧ about it"


def test_masked_snippet_hides_a_gold_span_cut_by_the_window():
    text = "x" * 50 + "SECRETVALUE" + "y" * 50
    sample = Sample("s", "secret", "t", text, (Span(50, 61, SECRET, "f"),))
    assert "SECRET" not in masked_snippet(sample, 70, 75, "fp", width=15).replace("⟨SECRET", "")


def test_worst_misses_take_the_most_missed_formats_in_turn():
    sample = Sample("s", "secret", "t", "abcdefghij", ())
    from eval.scoring import Miss
    misses = [Miss(sample, Span(0, 1, SECRET, "a"), 0.0, None) for _ in range(5)]
    misses += [Miss(sample, Span(0, 1, SECRET, "b"), 0.0, None) for _ in range(2)]
    picked = worst_misses(misses, limit=4)[SECRET]
    assert [m.gold.fmt for m in picked] == ["a", "b", "a", "b"]


# --- generators ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", [
    # EIP-55's own examples.
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
])
def test_eip55_matches_the_specification_examples(address):
    assert checksums.eip55(address.lower()) == address


def test_keccak256_of_empty_input_is_the_known_digest():
    assert checksums.keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_bitcoin_encoders_match_published_addresses():
    # BIP-173's P2WPKH example and the Bitcoin wiki's base58check walk-through.
    assert checksums.segwit_address("bc", 0, bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")) == \
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    assert checksums.base58check_encode(0, bytes.fromhex("010966776006953d5567439e5e39f86a0d273bee")) == \
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM"
    assert checksums.bech32_valid(checksums.segwit_address("bc", 1, bytes(32)))


def test_decimal_check_digits_match_published_numbers():
    assert checksums.luhn_check_digit("411111111111111") == "1"
    assert checksums.iban_check_digits("GB", "WEST12345698765432") == "82"  # ISO 13616's example
    assert checksums.aba_check_digit("02100002") == "1"  # 021000021
    assert checksums.luhn_valid("4111 1111 1111 1111") and not checksums.luhn_valid("4111 1111 1111 1112")


def test_github_checksum_is_six_base62_characters():
    assert checksums.base62(0, 6) == "000000"
    assert checksums.base62(61, 2) == "0z"
    assert len(checksums.github_token_checksum("a" * 30)) == 6


# --- the corpus ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_corpus():
    return build_corpus(seed=11, scale=0.1)


def test_corpus_is_deterministic_for_a_seed(small_corpus):
    again = build_corpus(seed=11, scale=0.1)
    assert [s.to_json() for s in again] == [s.to_json() for s in small_corpus]
    other = build_corpus(seed=12, scale=0.1)
    assert [s.text for s in other] != [s.text for s in small_corpus]


def test_gold_spans_are_inside_the_text_and_do_not_overlap(small_corpus):
    for sample in small_corpus:
        last_end = 0
        for span in sorted(sample.spans, key=lambda s: s.start):
            assert 0 <= span.start < span.end <= len(sample.text), sample.id
            assert span.start >= last_end, sample.id
            assert sample.text[span.start:span.end].strip(), sample.id
            last_end = span.end
        assert (sample.kind == "clean") == (not sample.spans), sample.id


def test_generated_checksummed_values_are_valid(small_corpus):
    seen = set()
    for sample in small_corpus:
        for span in sample.spans:
            value = sample.text[span.start:span.end]
            if span.type == "CREDIT_CARD":
                assert checksums.luhn_valid(value)
            elif span.type == "IBAN_CODE":
                assert checksums.iban_valid(value)
            elif span.type == "US_BANK_ROUTING":
                assert checksums.aba_check_digit(value[:8]) == value[8]
            elif span.fmt.startswith("btc-bech32"):
                assert checksums.bech32_valid(value)
            elif span.fmt == "eth-eip55":
                assert checksums.eip55(value.lower()) == value
            elif span.fmt == "github-pat-classic":
                assert checksums.github_token_checksum(value[4:34]) == value[34:]
            seen.add(span.type if span.type != SECRET else span.fmt)
    assert {"CREDIT_CARD", "IBAN_CODE", "US_BANK_ROUTING", "github-pat-classic"} <= seen


def test_full_corpus_meets_the_brief():
    corpus = build_corpus()
    kinds = {k: sum(s.kind == k for s in corpus) for k in ("pii", "secret", "clean")}
    secret_formats = {span.fmt for s in corpus for span in s.spans if span.type == SECRET}
    pii_types = {span.type for s in corpus for span in s.spans if span.type != SECRET}
    assert kinds["clean"] >= 300
    assert len(secret_formats) >= 60
    assert pii_types == set(PII_TYPES)
    assert len({s.text for s in corpus if s.kind == "clean"}) == kinds["clean"]


def test_render_labels_every_placement_of_a_value():
    builder = render("{{a}} and {{a}} then {{b}}", {"a": Labelled("X1", "PERSON", "f"), "b": ("k=", Labelled("v", SECRET, "g"))})
    assert builder.text == "X1 and X1 then k=v"
    assert [(s.start, s.end, s.type) for s in builder.spans] == [(0, 2, "PERSON"), (7, 9, "PERSON"), (17, 18, SECRET)]
    with pytest.raises(KeyError):
        render("{{missing}}", {})


# --- the real path -------------------------------------------------------------------------------------


def test_eval_runs_end_to_end_on_the_rule_layer_and_writes_results(tmp_path, capsys):
    out = tmp_path / "latest.json"
    assert main(["--scale", "0.05", "--detector", "rules", "--no-engine", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "PII micro" in printed and "secrets recall" in printed
    results = json.loads(out.read_text())
    assert results["meta"]["detector"].startswith("rule layer")
    assert results["clean"]["texts"] >= 20
    assert set(results["headline"]) >= {"secrets_recall", "clean_flagged_any_secret", "pii_micro_f2"}
    # The rule pack's email rule finds generated emails, so the run measured something real.
    assert results["by_type"]["EMAIL_ADDRESS"]["found"] > 0


def test_when_the_run_breaks_then_eval_still_exits_zero(tmp_path, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("")
    # The results path is under a regular file, so writing it fails mid-run.
    assert main(["--scale", "0.02", "--detector", "rules", "--no-engine", "--json", str(blocked / "x.json")]) == 0
    assert "eval failed" in capsys.readouterr().err


def test_when_arguments_are_wrong_then_eval_explains_and_exits_zero(capsys):
    assert main(["--no-such-option"]) == 0
    assert "usage:" in capsys.readouterr().err
