"""The analyzer (agent/analyzer.py) through the real path: the shared rule pack, the real spaCy model,
the default policy; plus the pieces it adds to the rule layer (keyword windows, overlap resolution)."""

import base64
import random

import pytest
from presidio_analyzer import RecognizerResult

from promptfence.agent.allowlists import Allowlists
from promptfence.agent.analyzer import DEFAULT_MODEL, Analyzer, DetectorSettings, model_from_environment
from promptfence.agent.context import NER, RULES, SOURCE_KEY, LinearContextStep
from promptfence.agent.errors import PolicyInvalid
from promptfence.agent.org_data import fingerprint
from promptfence.agent.rules import Finding, RulePack, keyword_windows, load_json, resolve_overlaps, shared_rules_dir

BASE = shared_rules_dir()
INDEX = load_json(BASE / "index.json")
DEFAULT_POLICY = load_json(BASE / INDEX["default_policy"])
PACK = RulePack.load()
NER_RULES = {"ner-person", "ner-location", "ner-organization"}
# Names that cue words or the paste's structure point at (agent/cues.py, agent/fields.py): the NER detector too.
NAME_RULES = NER_RULES | {f"{family}-{t}" for family in ("cue", "field") for t in ("person", "location", "organization")}


def policy(**sections):
    merged = {key: value for key, value in DEFAULT_POLICY.items()}
    merged.update(sections)
    return merged


def detectors(**changes):
    return {**DEFAULT_POLICY["detectors"], **changes}


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(DetectorSettings.from_policy(DEFAULT_POLICY), pack=PACK)


def found(analyzer, text, *types):
    return [(f.type, text[f.start:f.end]) for f in analyzer.analyze(text) if not types or f.type in types]


def assert_no_overlaps(findings):
    spans = sorted((f.start, f.end) for f in findings if f.category != "code")
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end <= start


# --- settings ------------------------------------------------------------------------------------------

def test_when_the_default_policy_is_read_then_settings_follow_it():
    settings = DetectorSettings.from_policy(DEFAULT_POLICY)
    assert settings.min_score == 0.3 and settings.ner_min_score == 0.5
    assert settings.ner_types == ("PERSON", "LOCATION", "ORGANIZATION")
    assert settings.code_enabled and settings.code_min_lines == 5
    # Documentation domains are not exempt by default: test data written with them is still an e-mail.
    assert "example.com" not in settings.allowlists["email_domains"]


def test_when_sections_are_missing_then_defaults_apply():
    settings = DetectorSettings.from_policy({})
    assert settings.ner_enabled and settings.code_enabled and settings.keywords == []


@pytest.mark.parametrize("bad", [
    {"detectors": {"ner": {"types": ["PERSON", "DATE"]}}},
    {"detectors": {"code": {"min_lines": 0}}},
])
def test_when_detector_settings_are_invalid_then_policy_invalid(bad):
    with pytest.raises(PolicyInvalid):
        DetectorSettings.from_policy(bad)


def test_when_the_environment_names_a_model_then_it_replaces_the_default(monkeypatch):
    monkeypatch.setenv("PROMPTFENCE_SPACY_MODEL", "some_other_model")
    assert model_from_environment(DEFAULT_MODEL) == "some_other_model"
    assert model_from_environment("explicit_model") == "explicit_model"
    assert model_from_environment(None) is None


def test_when_the_engine_is_built_then_only_our_recognizers_are_registered(analyzer):
    names = {r.name for r in analyzer.engine.registry.recognizers}
    assert names == {"PromptfenceRulePack", "PromptfenceKeywords", "PromptfenceTableColumns",
                     "PromptfenceSpacyNer", "PromptfenceNameCues", "PromptfenceSourceCode"}
    assert type(analyzer.engine.context_aware_enhancer) is LinearContextStep


# --- NER, tables, code ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Yesterday I spoke with Margaret Okonkwo about the vendor contract.", ("PERSON", "Margaret Okonkwo")),
    ("We would start in Lisbon and spend a few days in the valley.", ("LOCATION", "Lisbon")),
    ("Her counterpart at Brightline Solutions has been hard to reach.", ("ORGANIZATION", "Brightline Solutions")),
])
def test_when_prose_has_names_then_ner_findings_are_reported(analyzer, text, expected):
    findings = [f for f in analyzer.analyze(text) if f.rule in NAME_RULES]
    assert expected in [(f.type, text[f.start:f.end]) for f in findings]
    assert all(f.category == "pii" and f.score >= 0.5 for f in findings)


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_when_a_csv_export_has_name_columns_then_cells_are_findings_without_ner(analyzer, delimiter):
    rows = [["id", "First Name", "last_name", "City", "company", "notes"],
            ["1", "Wanjiru", "Kamau", "Nairobi", "Acme Ltd", "renewal due"],
            ["2", "Tomasz", "Nowak", "Gdansk", "Globex", "called twice"],
            ["3", "Ines", "Duarte", "Coimbra", "Initech", "no reply"]]
    text = "\n".join(delimiter.join(row) for row in rows)
    findings = analyzer.analyze(text)
    table = [(f.type, text[f.start:f.end]) for f in findings if f.rule.startswith("table-")]
    assert ("PERSON", "Wanjiru") in table and ("PERSON", "Nowak") in table
    assert ("LOCATION", "Gdansk") in table and ("ORGANIZATION", "Initech") in table
    assert len(table) == 3 * 4
    assert not [f for f in findings if f.rule in NER_RULES]  # the rows never went through NER


def test_when_a_csv_has_quoted_cells_then_the_quotes_are_not_in_the_span(analyzer):
    text = 'name,address\n"Smith, Anna","12 Baker Street, London"\n"Lee, Bo","3 Elm Road, Leeds"\n"Ng, Al","9 Mill Lane, Bath"\n'
    table = [(f.type, text[f.start:f.end]) for f in analyzer.analyze(text) if f.rule.startswith("table-")]
    assert ("PERSON", "Smith, Anna") in table and ("LOCATION", "12 Baker Street, London") in table


def test_when_a_csv_header_names_no_people_then_no_table_findings(analyzer):
    text = "sku,qty,price\nA-100,3,9.99\nB-200,1,19.50\nC-300,7,4.25\n"
    assert not [f for f in analyzer.analyze(text) if f.rule.startswith("table-")]


def test_when_code_with_a_secret_is_pasted_then_both_are_reported(analyzer):
    code = ('import boto3\n\nAWS_ACCESS_KEY_ID = "AKIAZ7Q3WXYV4TRS2P5K"\n\ndef client():\n'
            '    session = boto3.Session(aws_access_key_id=AWS_ACCESS_KEY_ID)\n    return session.client("s3")\n')
    text = "Why does this fail?\n\n" + code
    findings = analyzer.analyze(text)
    code_findings = [f for f in findings if f.type == "SOURCE_CODE"]
    assert len(code_findings) == 1
    assert code_findings[0].language == "python" and code_findings[0].category == "code"
    assert text[code_findings[0].start:code_findings[0].end] == code.rstrip("\n")
    assert code_findings[0].as_dict()["language"] == "python"
    assert ("AWS_ACCESS_KEY_ID", "AKIAZ7Q3WXYV4TRS2P5K") in [(f.type, text[f.start:f.end]) for f in findings]
    assert "language" not in [f for f in findings if f.type == "AWS_ACCESS_KEY_ID"][0].as_dict()


def test_when_detect_code_is_asked_then_it_tells_language_and_share(analyzer):
    info = analyzer.detect_code("SELECT id, email\nFROM users\nWHERE active = 1\nORDER BY id\nLIMIT 10;\n")
    assert (info.is_code, info.language, info.share) == (True, "sql", 1.0)
    assert analyzer.detect_code("Just a question about my holiday plans.").is_code is False


# --- organisation data through the analyzer -------------------------------------------------------------

def test_when_the_policy_has_keywords_and_fingerprints_then_the_analyzer_finds_them():
    salt = b"per-organisation-salt"
    doc = policy(
        keywords=[{"id": "codenames", "type": "CODE_NAME", "severity": "high", "terms": ["Project Bluebird"]}],
        fingerprints={"salt": base64.b64encode(salt).decode(), "sets": [{
            "id": "customers", "type": "CUSTOMER_RECORD", "severity": "critical", "normalise": "digits",
            "candidate": r"\b\d{8}\b", "hashes": [fingerprint(salt, "48213377", "digits")]}]},
    )
    analyzer = Analyzer(DetectorSettings.from_policy(doc), pack=PACK, model=None)
    text = "Status of project bluebird for customer 48213377 (not 48213378)."
    assert found(analyzer, text, "CODE_NAME", "CUSTOMER_RECORD") == [
        ("CODE_NAME", "project bluebird"), ("CUSTOMER_RECORD", "48213377")]


def test_when_a_document_marking_is_present_then_the_default_keywords_find_it(analyzer):
    text = "STRICTLY CONFIDENTIAL\nBoard minutes, not for the confidential eyes of anyone else."
    assert found(analyzer, text, "DOCUMENT_MARKING") == [("DOCUMENT_MARKING", "STRICTLY CONFIDENTIAL")]


# --- allowlists, thresholds, disabled detectors ---------------------------------------------------------

def test_when_an_email_is_at_an_allowlisted_company_domain_then_it_is_allowed():
    lists = {**DEFAULT_POLICY["allowlists"], "email_domains": ["example.com"]}
    analyzer = Analyzer(DetectorSettings.from_policy(policy(allowlists=lists)), pack=PACK)
    text = "Write to bob@example.com or to bob.smith@gmail.com."
    assert found(analyzer, text, "EMAIL_ADDRESS") == [("EMAIL_ADDRESS", "bob.smith@gmail.com")]


def test_when_an_email_is_at_a_documentation_domain_then_it_is_still_an_email_by_default(analyzer):
    text = "Write to bob@example.com."
    assert found(analyzer, text, "EMAIL_ADDRESS") == [("EMAIL_ADDRESS", "bob@example.com")]


def test_when_a_card_is_a_published_test_card_then_it_is_still_a_card_by_default(analyzer):
    # A card-shaped, Luhn-valid number is a finding whoever published it; an admin who wants test cards
    # through lists them in the policy's allowlists.values (next test).
    text = "Test with 4111 1111 1111 1111 or 4242-4242-4242-4242."
    assert found(analyzer, text, "CREDIT_CARD") == [("CREDIT_CARD", "4111 1111 1111 1111"),
                                                   ("CREDIT_CARD", "4242-4242-4242-4242")]


def test_when_a_card_is_a_listed_test_card_then_it_is_allowed():
    lists = {**DEFAULT_POLICY["allowlists"], "values": ["4111 1111 1111 1111"]}
    analyzer = Analyzer(DetectorSettings.from_policy(policy(allowlists=lists)), pack=PACK)
    text = "Test with 4111 1111 1111 1111 or 4111-1111-1111-1111 but never 4012 8888 8888 1881."
    assert found(analyzer, text, "CREDIT_CARD") == [("CREDIT_CARD", "4012 8888 8888 1881")]


@pytest.mark.parametrize("value, type_, allowed", [
    ("ann@example.com", "EMAIL_ADDRESS", True),
    ("ann@mail.example.com", "EMAIL_ADDRESS", True),  # *.example.com
    ("ann@example.com.evil.io", "EMAIL_ADDRESS", False),
    ("postgres://app:pw@localhost:5432/db", "URL_CREDENTIALS", True),
    ("postgres://app:pw@db.internal:5432/db", "URL_CREDENTIALS", False),
    ("4242-4242-4242-4242", "CREDIT_CARD", True),
    ("4242 4242 4242 4243", "CREDIT_CARD", False),
])
def test_when_a_value_matches_an_allowlist_then_it_is_not_a_finding(value, type_, allowed):
    lists = Allowlists.from_policy({"email_domains": ["example.com", "*.example.com"], "hosts": ["localhost"],
                                    "values": ["4242 4242 4242 4242"]})
    finding = Finding("r", type_, "pii", "high", 0, len(value), 0.9)
    assert lists.allows(value, finding) is allowed


def test_when_rules_and_types_are_disabled_then_their_findings_are_gone():
    doc = policy(detectors=detectors(disabled_rules=["email-address"], disabled_types=["PERSON"]))
    analyzer = Analyzer(DetectorSettings.from_policy(doc), pack=PACK)
    text = "Margaret Okonkwo wrote from margaret@gmail.com about Lisbon."
    types = {f.type for f in analyzer.analyze(text)}
    assert "EMAIL_ADDRESS" not in types and "PERSON" not in types and "LOCATION" in types


def test_when_min_score_is_high_then_weaker_findings_are_dropped():
    doc = policy(detectors=detectors(min_score=0.95))
    analyzer = Analyzer(DetectorSettings.from_policy(doc), pack=PACK, model=None)
    assert all(f.score >= 0.95 for f in analyzer.analyze("Mail jo@gmail.com, call +1 415 555 0132."))


@pytest.mark.parametrize("make", [
    lambda: Analyzer(DetectorSettings.from_policy(DEFAULT_POLICY), pack=PACK, model=None),
    lambda: Analyzer(DetectorSettings.from_policy(policy(detectors=detectors(ner={"enabled": False}))), pack=PACK),
], ids=["model-none", "ner-disabled"])
def test_when_ner_is_off_then_rules_still_run_and_no_ner_findings(make):
    analyzer = make()
    text = "Margaret Okonkwo wrote from margaret@gmail.com."
    findings = analyzer.analyze(text)
    assert not [f for f in findings if f.rule in NER_RULES]
    assert ("EMAIL_ADDRESS", "margaret@gmail.com") in [(f.type, text[f.start:f.end]) for f in findings]


# --- overlaps and the context step ---------------------------------------------------------------------

def test_when_ner_fires_inside_an_email_then_the_email_wins(analyzer):
    text = "Please forward it to Maria.Garcia@globex-mail.com before Friday, Maria."
    findings = analyzer.analyze(text)
    email = [f for f in findings if f.type == "EMAIL_ADDRESS"]
    assert len(email) == 1
    assert not [f for f in findings if f.rule in NER_RULES and f.start < email[0].end and email[0].start < f.end]
    assert_no_overlaps(findings)


def test_when_a_keyword_overlaps_an_ner_organisation_then_one_finding_remains():
    doc = policy(keywords=[{"id": "codenames", "type": "CODE_NAME", "severity": "high",
                            "terms": ["Brightline Solutions"], "score": 0.95}])
    analyzer = Analyzer(DetectorSettings.from_policy(doc), pack=PACK)
    text = "Our counterpart at Brightline Solutions has been hard to reach."
    findings = analyzer.analyze(text)
    assert [(f.type, text[f.start:f.end]) for f in findings] == [("CODE_NAME", "Brightline Solutions")]


def result(entity, start, end, score, source):
    return RecognizerResult(entity, start, end, score, None, {SOURCE_KEY: source})


def test_when_the_context_step_runs_then_it_drops_ner_inside_rules_and_boosts_cued_names():
    text = "Dr. Anna Berg wrote from anna.berg@mail.com today"
    email_start = text.index("anna.berg")
    inside = result("PERSON", email_start, email_start + 9, 0.85, NER)
    cued = result("PERSON", 4, 13, 0.85, NER)
    email = result("EMAIL_ADDRESS", email_start, email_start + 18, 1.0, RULES)
    kept = LinearContextStep().enhance_using_context(text, [inside, cued, email])
    assert kept == [cued, email]
    assert cued.score == 0.95


def naive_resolve(findings, order):
    ranked = sorted(findings, key=lambda f: (-f.score, -(f.end - f.start), f.start, order.get(f.rule, 1 << 30)))
    kept = []
    for f in ranked:
        if all(f.end <= k.start or k.end <= f.start for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, order.get(f.rule, 1 << 30)))


def test_when_overlaps_are_resolved_then_the_result_equals_the_spec_algorithm():
    rng = random.Random(3)
    order = {"a": 0, "b": 1, "c": 2}
    for _ in range(50):
        findings = []
        for _ in range(rng.randint(1, 40)):
            start = rng.randint(0, 200)
            findings.append(Finding(rng.choice("abc"), "T", "pii", "low", start, start + rng.randint(1, 30),
                                    rng.choice([0.5, 0.7, 0.9])))
        assert resolve_overlaps(findings, order) == naive_resolve(findings, order)


# --- keyword-window scanning of the rule layer ----------------------------------------------------------

def filler(rng, n):
    words = "the report was filed and the team reviewed it with care before noon".split()
    return " ".join(rng.choice(words) for _ in range(n))


KEYWORD_RULES = [rule for rule in PACK.rules if rule.keywords]


@pytest.mark.parametrize("rule", KEYWORD_RULES, ids=[rule.id for rule in KEYWORD_RULES])
def test_when_a_keyword_rule_scans_windows_then_it_matches_like_a_full_scan(rule):
    rng = random.Random(7)
    inputs = [v["input"] for name in INDEX["vector_files"] for v in load_json(BASE / name)["vectors"]]
    text = "\n".join(filler(rng, 150) + "\n" + value for value in inputs[:40] + inputs[-40:]) + filler(rng, 150)
    assert len(text) > 8192
    full = [(m.start(), m.end()) for p in rule.patterns for m in p.finditer(text)]
    windowed = [(m.start(), m.end()) for m in rule.matches(text, text.lower())]
    assert windowed == full


PREFIX_RULES = [rule for rule in PACK.rules if any(rule.prefixes)]


def test_when_rules_start_with_a_literal_then_most_secret_rules_use_the_prefix_scan():
    assert len(PREFIX_RULES) > len(PACK.rules) // 3


@pytest.mark.parametrize("rule", PREFIX_RULES, ids=[rule.id for rule in PREFIX_RULES])
def test_when_a_rule_scans_from_its_literal_prefixes_then_it_matches_like_a_full_scan(rule):
    inputs = [v["input"] for name in INDEX["vector_files"] for v in load_json(BASE / name)["vectors"]]
    # Upper-cased copies too: case-insensitive rules must still find their prefixes.
    text = "\n".join(inputs + [value.upper() for value in inputs])
    full = [(m.start(), m.end()) for p in rule.patterns for m in p.finditer(text)]
    assert [(m.start(), m.end()) for m in rule.matches(text, text.lower())] == full


@pytest.mark.parametrize("pattern, expected", [
    (r"(?<![A-Za-z0-9])ghp_[A-Za-z0-9]{36}", ("ghp_",)),
    (r"\b(?:sk|rk)_live_[0-9a-z]{24}", ("rk_live_", "sk_live_")),
    (r"(?<!x)(AKIA|ASIA)[A-Z0-9]{16}", ("akia", "asia")),
    (r"(?<!x)[0-9]{12,19}", None),
    (r"(?:ab|c)def", ("abdef", "cdef")),
    (r"(?:ab|c)[0-9]def", None),  # one branch's literal is too short
    (r"x?yz_token", ("xyz_token", "yz_token")),  # an optional first character: either opening
])
def test_when_a_pattern_is_parsed_then_its_literal_prefixes_are_known(pattern, expected):
    import re

    from promptfence.agent.rules import literal_prefixes

    assert literal_prefixes(re.compile(pattern)) == expected


def test_when_keywords_are_far_apart_then_windows_cover_only_their_neighbourhood():
    text = "x" * 5000 + "token" + "y" * 5000 + "token" + "z" * 5000
    windows = keyword_windows(text, ["token"], 10, 100)
    assert windows == [(4890, 5105), (9895, 10110)]


# --- size -------------------------------------------------------------------------------------------------

def test_when_a_megabyte_is_analysed_then_findings_are_sorted_and_disjoint(analyzer):
    rng = random.Random(11)
    parts = []
    while sum(map(len, parts)) < 1_000_000:
        parts.append(rng.choices([
            "Margaret Okonkwo from Brightline Solutions flew to Lisbon; mail margaret.o@gmail.com.\n",
            "id,first_name,city\n1,Anna,Oslo\n2,Bo,Rome\n3,Cy,Lima\n\n",
            "def f(x):\n    y = x + 1\n    z = y * 2\n    if z > 3:\n        return z\n    return None\n\n",
            "Please summarise the notes below and keep it short.\n",
        ], weights=[1, 4, 4, 1])[0])
    text = "".join(parts)
    findings = analyzer.analyze(text)
    assert len(findings) > 10_000
    assert findings == sorted(findings, key=lambda f: (f.start, f.end, analyzer.order.get(f.rule, 1 << 30)))
    assert_no_overlaps(findings)
    assert {"PERSON", "EMAIL_ADDRESS", "SOURCE_CODE"} <= {f.type for f in findings}


def test_when_a_csv_export_has_thousands_of_rows_then_every_name_cell_is_found(analyzer):
    rows = ["first_name,last_name,email"] + [f"Anna{i % 10},Berg,anna{i}@gmail.com" for i in range(5000)]
    findings = analyzer.analyze("\n".join(rows))
    assert sum(f.type == "PERSON" for f in findings) == 10_000
    assert sum(f.type == "EMAIL_ADDRESS" for f in findings) == 5000


def test_when_the_text_is_empty_then_no_findings(analyzer):
    assert analyzer.analyze("") == []
