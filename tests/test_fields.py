"""Names the paste's structure points at (agent/fields.py) and the name shapes behind them
(agent/name_shapes.py); the real path through the Analyzer with the real model is at the end."""

import pytest

from promptfence.agent import name_shapes as shapes
from promptfence.agent.analyzer import Analyzer, DetectorSettings
from promptfence.agent.fields import find_fields
from promptfence.agent.layout import analyse_layout
from promptfence.agent.rules import RulePack, load_json, shared_rules_dir

BASE = shared_rules_dir()
DEFAULT_POLICY = load_json(BASE / load_json(BASE / "index.json")["default_policy"])


def fields(text):
    found = find_fields(text, analyse_layout(text))
    return {(e.type, text[e.start:e.end]) for e in found.entities}


def labels(text):
    return {text[a:b] for a, b in find_fields(text, analyse_layout(text)).labels}


# --- name shapes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Beau van Doorn\nDate", "Beau van Doorn"),
    ("Frances Cross  DOB: 1990", "Frances Cross"),
    ("John F. Kennedy said", "John F. Kennedy"),
    ("Jean-Luc Picard.", "Jean-Luc Picard"),
    ("Anna's email", "Anna"),
    ("Will Smith", "Will Smith"),
    ("Test Account", None),
    ("Sir or Madam", None),
    ("the manager", None),
])
def test_when_a_person_phrase_is_read_then_it_spans_the_name_only(text, expected):
    end = shapes.person_phrase(text, 0, len(text))
    assert (text[:end] if end else None) == expected


@pytest.mark.parametrize("text, expected, kind", [
    ("Tucker, Chambers and Schmidt is attached", "Tucker, Chambers and Schmidt", "partnership"),
    ("Mejia, Wilson and Campbell, Secretary", "Mejia, Wilson and Campbell", "partnership"),
    ("Hübel GmbH & Co. KG), Lena", "Hübel GmbH & Co. KG", "legal_form"),
    ("Legros S.A.R.L..", "Legros S.A.R.L.", "legal_form"),
    ("Zabarella-Impastato e figli, Mudlogger", "Zabarella-Impastato e figli", "legal_form"),
    ("Thomas Inc, Herpetologist", "Thomas Inc", "legal_form"),
    ("Acme Ltd Annual Report", "Acme Ltd", "legal_form"),
    ("Brightline Solutions, a vendor", "Brightline Solutions", "head_noun"),
])
def test_when_an_organisation_phrase_is_read_then_legal_forms_and_partnerships_bound_it(text, expected, kind):
    org = shapes.org_phrase(text, 0, len(text))
    assert text[:org.end] == expected and getattr(org, kind)


def test_when_a_list_of_two_names_has_no_and_then_it_is_no_partnership():
    org = shapes.org_phrase("Anna, Bob", 0, 9)
    assert org.end == 4 and not org.partnership and not org.certain


@pytest.mark.parametrize("text, expected", [
    ("Frankfurt am Main is", "Frankfurt am Main"),
    ("Newcastle upon Tyne", "Newcastle upon Tyne"),
    ("Glasgow office", "Glasgow"),
    ("St. Louis, MO", "St. Louis"),
    ("Remote", None),
])
def test_when_a_place_phrase_is_read_then_particles_stay_and_common_words_end_it(text, expected):
    end = shapes.place_phrase(text, 0, len(text))
    assert (text[:end] if end else None) == expected


@pytest.mark.parametrize("text, ambiguous, expected", [
    ("United Kingdom\n", False, "United Kingdom"),
    ("Kingdom of the Netherlands", False, "Kingdom of the Netherlands"),
    ("France.", False, "France"),
    ("Francesca", False, None),
    ("Georgia Smith", False, None),
    ("Georgia", True, "Georgia"),
])
def test_when_a_country_is_looked_up_then_only_whole_names_match(text, ambiguous, expected):
    end = shapes.country_at(text, 0, len(text), allow_ambiguous=ambiguous)
    assert (text[:end] if end else None) == expected


# --- labelled fields -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("New starter checklist\nName: Beau van Doorn\nDate of birth: 3 November 2000", ("PERSON", "Beau van Doorn")),
    ("Patient: Frances Cross  DOB: 2002-12-03\nSeen today.", ("PERSON", "Frances Cross")),
    ("Laptop handover\nUser: Sean Lopez\nMAC (wifi): D0-8F-23-26-CA-EE", ("PERSON", "Sean Lopez")),
    ("Booking reference 67261. Traveller: Krystal Figueroa, date of birth 1970-06-18.",
     ("PERSON", "Krystal Figueroa")),
    ("- Emergency contact: Brian Smith, 555 0100", ("PERSON", "Brian Smith")),
    ("Employer: Mejia, Wilson and Campbell, Secretary", ("ORGANIZATION", "Mejia, Wilson and Campbell")),
    ("Intake form\nEmployer: Morin SAS", ("ORGANIZATION", "Morin SAS")),
    ("Location: Nantes office", ("LOCATION", "Nantes")),
    ("Country: Germany", ("LOCATION", "Germany")),
    ("Payee: Acme Holdings Ltd", ("ORGANIZATION", "Acme Holdings Ltd")),
])
def test_when_a_label_says_what_its_value_is_then_the_value_is_that_entity(text, expected):
    assert expected in fields(text)


def test_when_attendees_are_listed_with_companies_then_people_and_companies_are_found():
    text = "Minutes\nAttendees: Holly Martin (Wade-Powell Ltd), Georgia Smith (Clark, Kemp and Gough)\nActions: none"
    assert fields(text) == {("PERSON", "Holly Martin"), ("ORGANIZATION", "Wade-Powell Ltd"),
                            ("PERSON", "Georgia Smith"), ("ORGANIZATION", "Clark, Kemp and Gough")}


def test_when_an_address_field_has_parts_then_street_and_city_are_one_place_without_the_trailing_postcode():
    text = "Home address: 138 Hudson Inlet Suite 984, New Elizabethshire 98941\nPersonal email: a@b.example"
    assert fields(text) == {("LOCATION", "138 Hudson Inlet Suite 984, New Elizabethshire")}


def test_when_an_address_has_a_unit_state_and_zip_then_the_whole_run_is_one_place():
    text = "Address: 4417 Maple Avenue, Apt 2B, Springfield, IL 62704\nPhone: 555-0100"
    assert fields(text) == {("LOCATION", "4417 Maple Avenue, Apt 2B, Springfield, IL 62704")}


def test_when_a_part_of_an_address_line_is_no_place_then_the_run_stops_there():
    text = "Address: 12 Main St, see note below, Springfield\n"
    assert fields(text) == {("LOCATION", "12 Main St"), ("LOCATION", "Springfield")}


def test_when_an_address_field_goes_on_over_lines_then_the_next_line_is_read_too():
    text = "Home address: Flat 82Z\nHarvey Divide, Naylorland TS22 8DR\nPersonal email: a@b.example"
    assert ("LOCATION", "Harvey Divide, Naylorland") in fields(text)


@pytest.mark.parametrize("text, expected", [
    ("Ship to: Daniel Ortiz, 908 Sunset Blvd, Los Angeles, CA 90028",
     {("PERSON", "Daniel Ortiz"), ("LOCATION", "908 Sunset Blvd, Los Angeles, CA 90028")}),
    ("Bill to: Acme Widgets LLC, 4 Elm Rd, Salem, OR 97301",
     {("ORGANIZATION", "Acme Widgets LLC"), ("LOCATION", "4 Elm Rd, Salem, OR 97301")}),
    # A street and its number after the comma: no addressee.
    ("Address: Via Azeglio, 229, Napoli 25042", {("LOCATION", "Via Azeglio, 229, Napoli 25042")}),
    ("Address: Contrada Interminei, 16 Piano 1, Monti Di Licciana 19015",
     {("LOCATION", "Contrada Interminei, 16 Piano 1, Monti Di Licciana")}),
])
def test_when_an_address_line_opens_with_a_name_then_it_is_the_addressee(text, expected):
    assert fields(text) == expected


def test_when_a_label_names_a_number_or_a_date_then_it_is_a_label_and_no_name():
    text = "Telefon: +49 30 1234567\nHandy: +49 151 2345678\nGeburtsdatum: 01.02.1980\nName: Hans Meier\n"
    assert labels(text) == {"Telefon", "Handy", "Geburtsdatum", "Name"}
    assert fields(text) == {("PERSON", "Hans Meier")}


def test_when_a_ship_to_label_stands_alone_then_the_block_below_is_name_and_address():
    text = ("Order confirmation\nShip to:\nNadia Stettyn\nKimdreef 755\n2759 UO Rotterdam\nNetherlands\n"
            "Payment: card ending 4242")
    assert fields(text) == {("PERSON", "Nadia Stettyn"), ("LOCATION", "Kimdreef 755"), ("LOCATION", "Rotterdam"),
                            ("LOCATION", "Netherlands")}


@pytest.mark.parametrize("text", [
    "Name: the project file\nOwner: admin",
    "User: admin\nLocation: remote",
    "Company: n/a",
    "To: all staff\nFrom: Support Team",
    "Address: 10.0.0.1",
])
def test_when_a_labelled_value_is_not_name_shaped_then_no_entity(text):
    assert fields(text) == set()


def test_when_a_label_has_words_then_the_label_is_reported_so_ner_skips_it():
    text = "HR file note\nNational Insurance number: QQ123456C\nBooking 1. Traveller: Anna Berg"
    assert {"National Insurance number", "Traveller"} <= labels(text)


# --- chat, signatures, address blocks ------------------------------------------------------------------

def test_when_a_chat_transcript_has_speakers_then_each_speaker_is_a_person():
    text = "Mike: hey are you coming to the offsite?\nGarrett: yes! text me when you land\nMike: will do"
    assert fields(text) == {("PERSON", "Mike"), ("PERSON", "Garrett")}


def test_when_only_one_line_looks_like_a_speaker_then_no_person():
    assert fields("Garrett: yes! text me when you land") == set()


def test_when_form_lines_have_values_instead_of_chat_then_they_are_no_speakers():
    text = "Symptoms: Headache\nDiagnosis: Migraine\nMedication: Ibuprofen 400"
    assert fields(text) == set()


def test_when_a_signature_follows_a_closing_then_name_company_and_city_are_found():
    text = ("Numbers attached.\n\nBest regards,\n\nAnn Diaz\nFirefighter | Bennett-Andrade Inc.\n570 David Court\n"
            "Portland 02915\nMobile: +1 423 511 1114")
    assert fields(text) == {("PERSON", "Ann Diaz"), ("ORGANIZATION", "Bennett-Andrade Inc."),
                            ("LOCATION", "570 David Court"), ("LOCATION", "Portland")}


def test_when_a_dash_line_opens_a_signature_then_the_name_and_company_lines_are_found():
    text = "Let me know if Thursday works.\n--\nShane Donovan\nCarpenter, Park and Abbott\nT: 524-238-5555"
    assert fields(text) == {("PERSON", "Shane Donovan"), ("ORGANIZATION", "Carpenter, Park and Abbott")}


def test_when_a_closing_is_followed_by_a_sentence_then_no_signature():
    assert fields("Thanks,\nThe team will reply tomorrow.") == set()


def test_when_a_street_line_is_followed_by_a_postcode_and_city_then_both_and_the_country_are_places():
    text = "Please send it to\nMarieluise-Grein-Weg 62\n24039 Hohenmölsen\nGermany\n"
    assert fields(text) == {("LOCATION", "Marieluise-Grein-Weg 62"), ("LOCATION", "Hohenmölsen"),
                            ("LOCATION", "Germany")}


def test_when_a_number_line_is_not_under_a_street_then_it_is_no_address():
    assert fields("Invoice 79687\nRelease 2024 is out\n") == set()


# --- the real path -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(DetectorSettings.from_policy(DEFAULT_POLICY), pack=RulePack.load())


def found(analyzer, text):
    return {(f.type, text[f.start:f.end], f.rule) for f in analyzer.analyze(text) if f.category == "pii"}


def test_when_a_form_is_analysed_then_field_findings_replace_ner_guesses(analyzer):
    text = ("Applicant: Tamara Zimmer\nEmployer: Hunter, Bruce and Armstrong\nLocation: Glasgow office\n"
            "Emergency contact: Teodosio Godoy, +34 612 345 678")
    result = found(analyzer, text)
    values = {(t, v) for t, v, _ in result}
    assert {("PERSON", "Tamara Zimmer"), ("ORGANIZATION", "Hunter, Bruce and Armstrong"), ("LOCATION", "Glasgow"),
            ("PERSON", "Teodosio Godoy")} <= values
    assert ("ORGANIZATION", "Hunter, Bruce and Armstrong", "field-organization") in result
    # NER's pieces of the partnership ("Bruce" a PERSON) are gone.
    assert not [v for t, v in values if t == "PERSON" and v in ("Hunter", "Bruce", "Armstrong")]


def test_when_a_field_names_a_person_then_one_finding_remains(analyzer):
    text = "Please see the note below.\nName: Margaret Okonkwo\nDate: 2024-05-01"
    result = [f for f in analyzer.analyze(text) if f.type == "PERSON"]
    assert [(text[f.start:f.end], f.rule) for f in result] == [("Margaret Okonkwo", "field-person")]


def test_when_a_label_is_a_word_ner_mistakes_for_a_name_then_it_is_not_reported(analyzer):
    text = "Booking reference 67261. Traveller: Krystal Figueroa, date of birth 1970-06-18."
    assert ("PERSON", "Traveller") not in {(t, v) for t, v, _ in found(analyzer, text)}


def test_when_ner_is_disabled_then_no_field_findings_either():
    doc = {**DEFAULT_POLICY, "detectors": {**DEFAULT_POLICY["detectors"], "ner": {"enabled": False}}}
    analyzer = Analyzer(DetectorSettings.from_policy(doc), pack=RulePack.load())
    assert not [f for f in analyzer.analyze("Name: Beau van Doorn\nEmployer: Morin SAS") if f.type == "PERSON"]


def test_when_a_field_value_runs_on_for_a_whole_line_then_only_its_first_max_value_characters_are_read():
    # A megabyte-long line of comma-separated parts must cost linear time, not a pass per part to the end.
    from promptfence.agent.fields import MAX_VALUE
    label = "Address: "
    text = label + ", ".join(["Baker Street"] * 200)
    found = find_fields(text, analyse_layout(text))
    assert found.entities, "the first parts are still read as places"
    assert max(e.end for e in found.entities) <= len(label) + MAX_VALUE
