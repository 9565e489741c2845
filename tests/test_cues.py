"""Names the words around them point at in running prose (agent/cues.py); the real path at the end."""

import pytest

from promptfence.agent.analyzer import Analyzer, DetectorSettings
from promptfence.agent.cues import find_cues
from promptfence.agent.layout import analyse_layout
from promptfence.agent.rules import RulePack, load_json, shared_rules_dir

BASE = shared_rules_dir()
DEFAULT_POLICY = load_json(BASE / load_json(BASE / "index.json")["default_policy"])


def cues(text, ner_spans=()):
    return {(e.type, text[e.start:e.end]) for e in find_cues(text, analyse_layout(text)).resolve(ner_spans)}


@pytest.mark.parametrize("text, expected", [
    ("Hi Anna, can you check the numbers?", "Anna"),
    ("Thanks, Bianca! Done on my side.", "Bianca"),
    ("Dear Mr. Hashimoto, thank you for your patience.", "Hashimoto"),
    ("Yesterday Dr. Amara Okafor called back.", "Amara Okafor"),
    ("Let me introduce Hugues Bonnet to the team.", "Hugues Bonnet"),
    ("My name is Livio Gregorio and I need help.", "Livio Gregorio"),
    ("Please forward this to Heinz-Josef before noon.", "Heinz-Josef"),
    ("We should invite Kimberly to the workshop.", "Kimberly"),
    ("Victoria from accounting needs the receipts.", "Victoria"),
    ("Can you confirm my appointment? Domitila Antón, +34 634 602 209", "Domitila Antón"),
    ("Contractor Sean Peacock does not have a number yet.", "Sean Peacock"),
    ("Can you send the report to Keith Price-Collins?", "Keith Price-Collins"),
    ("Hugues's email is below.", "Hugues"),
    ("Payroll query from Lydia Powell (lydia@mail.example): wrong code.", "Lydia Powell"),
    ("Thank you for your order, Justin!", "Justin"),
    ("Let me introduce Tyler Ray - Tyler, meet Jeffrey.", "Tyler"),
    ("Actions: Nathan to send the draft; Margot to book the room.", "Margot"),
    ("can you put it on my card? name on card Anouk Gautier. thx", "Anouk Gautier"),
])
def test_when_a_person_cue_precedes_or_follows_a_name_then_it_is_a_person(text, expected):
    assert ("PERSON", expected) in cues(text)


def test_when_two_names_are_joined_after_a_cue_then_both_are_people():
    assert {("PERSON", "Adrienne"), ("PERSON", "Vincent")} <= cues("Please forward this to Adrienne and Vincent.")


def test_when_a_name_says_something_and_ner_saw_nothing_then_it_is_a_person():
    text = "Melinda said the meeting moved to Friday."
    assert ("PERSON", "Melinda") in cues(text)
    assert ("PERSON", "Melinda") not in cues(text, ner_spans=[(0, 7)])  # NER's own reading stands


@pytest.mark.parametrize("text", [
    "Hi team, the deploy is finished.",
    "Hello World program in Go",
    "Dear Sir or Madam, I am writing about my order.",
    "Thanks. Reported by the monitoring job.",
    "Pay to address: see below",
    "Best regards, The Support Team",
    "Call Support if the build fails.",
    "I'm Happy to help with the migration.",
    "Please call Reception to book the room.",
])
def test_when_a_cue_word_is_followed_by_no_name_then_no_person(text):
    assert not [c for c in cues(text) if c[0] == "PERSON"]


@pytest.mark.parametrize("text, expected", [
    ("Please pay invoice 307-1343078 to Castro, Duncan and Myers.", "Castro, Duncan and Myers"),
    ("Invoice 30032 from Schmitt-Ramirez Inc.\nAmount due: 10 USDC", "Schmitt-Ramirez Inc."),
    ("Source of funds: salary from Legros S.A.R.L..", "Legros S.A.R.L."),
    ("We met at Hübel GmbH & Co. KG last year.", "Hübel GmbH & Co. KG"),
    ("Azahara works at Boucher in Jaén.", "Boucher"),
    ("The Roberts, Watson and Long office closes at 5pm.", "Roberts, Watson and Long"),
    ("Please pay invoice 1 to Koninklijke van Dam.", "Koninklijke van Dam"),
    ("The CEO of Tlustek AG resigned.", "Tlustek AG"),
    ("I'll forward this to Nguyen Group.", "Nguyen Group"),
])
def test_when_an_organisation_is_shaped_or_cued_then_it_is_one_organisation(text, expected):
    assert ("ORGANIZATION", expected) in cues(text)


def test_when_three_first_names_are_listed_without_a_cue_then_they_are_no_organisation():
    assert not [c for c in cues("Anna, Bob and Carl are coming tonight.") if c[0] == "ORGANIZATION"]


@pytest.mark.parametrize("text, expected", [
    ("My name on the account is Miranda White and I live in Lewisfort. Thanks", "Lewisfort"),
    ("I am in New Bradley next week if you want to meet.", "New Bradley"),
    ("Margot and I drove to Descamps-sur-Mer for the weekend.", "Descamps-sur-Mer"),
    ("She moved to Limone Sul Garda last year.", "Limone Sul Garda"),
    ("The parcel goes to Scotland first.", "Scotland"),
    ("Our team in Biedenkopf is growing quickly.", "Biedenkopf"),
    ("The new city is North Tracychester.", "North Tracychester"),
    ("I'm originally from Gaillard, near the coast.", "Gaillard"),
])
def test_when_a_place_cue_precedes_a_capitalised_name_then_it_is_a_place(text, expected):
    assert ("LOCATION", expected) in cues(text)


def test_when_in_is_the_only_cue_then_ner_must_agree_that_a_name_follows():
    text = "We were stuck in Großenhain last week."
    start = text.index("Großenhain")
    assert ("LOCATION", "Großenhain") not in cues(text)
    assert ("LOCATION", "Großenhain") in cues(text, ner_spans=[(start, start + 10)])


@pytest.mark.parametrize("text", [
    "The bug is in Settings and in Python code.",
    "Translate it in English, please.",
    "We live in Summary mode now.",
    "Holly Jordan signed the form.",
    "Moved to Production after QA sign-off.",
])
def test_when_a_place_cue_is_followed_by_a_common_word_or_a_name_then_no_place(text):
    assert not [c for c in cues(text) if c[0] == "LOCATION"]


def test_when_an_address_follows_its_cue_then_street_city_and_country_are_one_place():
    text = "KYC: residential address Reichmannstr. 9, Marienberg, Germany. Source of funds: salary."
    assert ("LOCATION", "Reichmannstr. 9, Marienberg, Germany") in cues(text)


def test_when_a_house_number_follows_a_preposition_then_the_address_needs_a_second_part():
    assert ("LOCATION", "4701 Kyle Road Apt. 990, Amymouth") in cues(
        "The parcel never arrived at 4701 Kyle Road Apt. 990, Amymouth. Sad.")
    assert not cues("The call is at 5 Pm sharp.")


# --- the real path -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(DetectorSettings.from_policy(DEFAULT_POLICY), pack=RulePack.load())


def test_when_ner_mistypes_a_cued_name_then_the_cue_type_wins(analyzer):
    # en_core_web_sm calls "Lewisfort" an organisation and cuts the partnership into people.
    text = "I live in Lewisfort and work for Tucker, Chambers and Schmidt."
    result = {(f.type, text[f.start:f.end]) for f in analyzer.analyze(text)}
    assert ("LOCATION", "Lewisfort") in result
    assert ("ORGANIZATION", "Tucker, Chambers and Schmidt") in result
    assert not [v for t, v in result if t == "PERSON"]


def test_when_presidio_style_sentences_are_analysed_then_people_places_and_companies_are_found(analyzer):
    text = "My name is Dana Whitfield and I live in Galway. Dana works at Brightwater Holdings Ltd."
    result = {(f.type, text[f.start:f.end]) for f in analyzer.analyze(text)}
    assert {("PERSON", "Dana Whitfield"), ("LOCATION", "Galway"),
            ("ORGANIZATION", "Brightwater Holdings Ltd.")} <= result


@pytest.mark.parametrize("text, expected", [
    ("Reach Luiz Miguel on +55 53 7533-7727 after lunch.", "Luiz Miguel"),
    ("Appointment confirmed for Océane Renaud on Monday at 3pm.", "Océane Renaud"),
    ("User Pénélope Gauthier logged in from a new device.", "Pénélope Gauthier"),
    ("The driver license of Gazel Tarhan expired.", "Gazel Tarhan"),
    ("Please remove Senta Hornig from the mailing list.", "Senta Hornig"),
    ("The meeting was led by Gabi Fiebig.", "Gabi Fiebig"),
    ("Congratulations to Türknur Tevetoğlu for 10 years with us!", "Türknur Tevetoğlu"),
    ("Wire transfer to Akmaral Yıldırım, reference INV-2231.", "Akmaral Yıldırım"),
    ("Carlota Naranjo (+34 842 52 46 49) asked for a callback.", "Carlota Naranjo"),
    ("Call Rebecca Stone (tel. 415 555 2671) about the claim.", "Rebecca Stone"),
])
def test_when_a_verb_or_phrase_takes_a_person_then_the_name_after_it_is_one(text, expected):
    assert ("PERSON", expected) in cues(text)


@pytest.mark.parametrize("text", [
    "Reach Python developers on the forum.",        # a technology, not a name
    "The meeting was led by Engineering.",         # a department
    "Please remove Test User from the list.",      # only common words
    "Version 2 (2024-01-15) shipped the fix.",     # a date in brackets after a common word
])
def test_when_the_cued_value_is_no_name_then_no_person(text):
    assert not [v for t, v in cues(text) if t == "PERSON"]


def test_when_a_cue_points_at_a_company_then_it_is_the_organisation():
    assert ("ORGANIZATION", "Blue Harbor Logistics Inc.") in cues("Payment to Blue Harbor Logistics Inc. is due.")


def test_when_an_app_or_protocol_name_opens_a_sentence_then_the_analyzer_reports_no_organisation(analyzer):
    # en_core_web_sm labels these ORG; they are technology names (agent/common_words.py TECH_TERMS).
    for text in ("WhatsApp me on +91 98765 43210 tonight.", "The IPv6 address 2001:db8::7334 is blocked."):
        assert not [f for f in analyzer.analyze(text) if f.type == "ORGANIZATION"], text


# --- NER's type corrected by the words around it (cues.retype_ner) -------------------------------------

def retyped(text, value, ner_type):
    from promptfence.agent.cues import retype_ner
    from promptfence.agent.nlp import NerEntity
    start = text.index(value)
    return retype_ner(text, [NerEntity(ner_type, "X", start, start + len(value), 0.75)])[0].type


@pytest.mark.parametrize("text, value, expected", [
    ("KYC review for Ulf Lundberg: DOB 1970-01-02.", "Ulf Lundberg", "PERSON"),
    ("The other party was Andrej Mühle.", "Andrej Mühle", "PERSON"),
    ("Please schedule a call with Esila Hoeks next week.", "Esila Hoeks", "PERSON"),
    ("HR file note - Sandra Prostak\nNational Insurance number: QQ 12 34 56 C", "Sandra Prostak", "PERSON"),
    # a company's mark, an employer's slot or a single word keeps NER's organisation
    ("KYC review for Nordic Savings Bank: done.", "Nordic Savings Bank", "ORGANIZATION"),
    ("She works for Lundberg Jansson now.", "Lundberg Jansson", "ORGANIZATION"),
    ("The invoice was signed for Ericsson today.", "Ericsson", "ORGANIZATION"),
    ("Payment for Smith & Wesson was late.", "Smith & Wesson", "ORGANIZATION"),
])
def test_when_ner_calls_a_person_shaped_name_in_a_persons_slot_an_organisation_then_it_is_a_person(
        text, value, expected):
    assert retyped(text, value, "ORGANIZATION") == expected


@pytest.mark.parametrize("text, value, expected", [
    ("Margaretha Martinsson moved from Karlskrona last spring.", "Margaretha Martinsson", "PERSON"),
    ("Note. Ing-Marie Andersson asked for a refund.", "Ing-Marie Andersson", "PERSON"),
    ("Northwind Traders moved to a new building.", "Northwind Traders", "ORGANIZATION"),
    ("We met Olof Nilsson moved ...", "Olof Nilsson", "ORGANIZATION"),  # not at a clause start
])
def test_when_a_person_shaped_organisation_opens_a_clause_before_a_persons_verb_then_it_is_a_person(
        text, value, expected):
    assert retyped(text, value, "ORGANIZATION") == expected


@pytest.mark.parametrize("text, value, ner_type, expected", [
    ("Our depot in Piteå is closed.", "Piteå", "ORGANIZATION", "LOCATION"),
    ("Witness statement given near Sulzbach-Rosenberg.", "Sulzbach-Rosenberg", "ORGANIZATION", "LOCATION"),
    ("She moved from Karlskrona to Helsingborg last spring.", "Helsingborg", "ORGANIZATION", "LOCATION"),
    ("Relocating from Brzeg next month.", "Brzeg", "PERSON", "LOCATION"),
    ("Flight booked from Lisbon to Cirino de Fonseca.", "Cirino de Fonseca", "ORGANIZATION", "LOCATION"),
    # no place slot, or a company's slot or mark
    ("We received a letter from Ericsson today.", "Ericsson", "ORGANIZATION", "ORGANIZATION"),
    ("Send the report to Brzeg today.", "Brzeg", "PERSON", "PERSON"),
    ("They invest in Tesla every year.", "Tesla", "ORGANIZATION", "ORGANIZATION"),
    ("Our depot in Umeå Logistics is closed.", "Umeå Logistics", "ORGANIZATION", "ORGANIZATION"),
])
def test_when_ner_types_a_name_in_a_place_slot_as_a_company_or_person_then_it_is_a_place(
        text, value, ner_type, expected):
    assert retyped(text, value, ner_type) == expected


def test_when_the_analyzer_meets_retyped_names_then_it_reports_people_and_places(analyzer):
    # en_core_web_sm calls both names organisations here
    text = "KYC review for Anne-Kathrin Scheibe: documents received. The other party was Adrian Procek."
    result = {(f.type, text[f.start:f.end]) for f in analyzer.analyze(text) if f.category == "pii"}
    assert {("PERSON", "Anne-Kathrin Scheibe"), ("PERSON", "Adrian Procek")} <= result
    assert not [v for t, v in result if t == "ORGANIZATION"]
