"""Tables read by column header (agent/tables.py): name, place and company columns, and header words that
give a rule's context to every cell of their column. The real path through the Analyzer with the real
model is at the end."""

import pytest

from promptfence.agent import tables
from promptfence.agent.analyzer import Analyzer, DetectorSettings
from promptfence.agent.layout import analyse_layout
from promptfence.agent.rules import RulePack, load_json, shared_rules_dir

BASE = shared_rules_dir()
DEFAULT_POLICY = load_json(BASE / load_json(BASE / "index.json")["default_policy"])
PACK = RulePack.load()


def header_findings(text, pack=PACK):
    layout = analyse_layout(text)
    return sorted((f.rule, f.type, text[f.start:f.end], f.score)
                  for f in tables.header_context_findings(text, layout.lines, layout.tables, pack))


def name_cells(text, types=("PERSON", "LOCATION", "ORGANIZATION")):
    layout = analyse_layout(text)
    return sorted((f.type, text[f.start:f.end])
                  for table in layout.tables for f in tables.table_findings(text, layout.lines, table, set(types)))


# --- header as context ----------------------------------------------------------------------------------

def test_when_a_header_names_the_date_of_birth_then_dates_in_its_column_are_dates_of_birth():
    text = ("employee_id,name,date_of_birth,start_date\n"
            "E1,Anna Smith,1985-03-07,2020-01-06\n"
            'E2,Bo Lee,"March 7, 1985",2021-02-01\n'
            "E3,Cy Ng,07/03/1985,2019-11-11\n")
    found = header_findings(text)
    assert [(r, v) for r, _, v, _ in found] == [
        ("date-of-birth", "07/03/1985"), ("date-of-birth", "1985-03-07"), ("date-of-birth", "March 7, 1985")]
    # The context boost, as a context word in the window would give; the start dates stay unreported.
    assert {s for *_, s in found} == {0.8}


@pytest.mark.parametrize("header", ["ssn", "SSN", "Social Security Number", "social_security_no", "employeeSSN",
                                    "ss_number"])
def test_when_a_header_names_the_ssn_then_nine_digit_cells_are_ssns(header):
    text = f"id,{header}\n1,123456780\n2,234567891\n3,078051120\n"
    # 078-05-1120 is the advertising number the validator refuses, header or not.
    assert [(r, v) for r, _, v, _ in header_findings(text)] == [("us-ssn-bare", "123456780"),
                                                              ("us-ssn-bare", "234567891")]


def test_when_a_header_names_nothing_then_the_same_cells_are_not_findings():
    text = "id,ref\n1,123456780\n2,234567891\n3,345678912\n"
    assert header_findings(text) == []


@pytest.mark.parametrize("header, cells, rule", [
    ("Passport No", ["X12345678", "C03005988", "123456789"], "us-passport"),
    ("passport_number", ["X12345678", "C03005988", "123456789"], "us-passport"),
    ("dl_number", ["D1234567", "A123-4567-8901", "WDLABCDE1234"], "us-driver-license"),
    ("routing_number", ["021000021", "011000015", "121000358"], "us-bank-routing"),
    ("tax_id", ["912-70-1234", "912701234", "985601234"], None),  # ITINs: the dashed one needs no header
    ("Geburtsdatum", ["07.03.1985", "1990-12-31", "1 Jan 1970"], "date-of-birth"),
    ("Telefon", ["4155550123", "02079460958", "612345678"], "phone-number-bare"),
])
def test_when_a_header_is_a_rules_context_word_then_its_cells_match_that_rule(header, cells, rule):
    text = f"id\t{header}\n" + "".join(f"{k}\t{cell}\n" for k, cell in enumerate(cells))
    found = header_findings(text)
    if rule is None:
        assert {r for r, *_ in found} == {"us-itin-bare"} and len(found) == 2
        return
    assert [v for _, _, v, _ in found] == sorted(cells) and {r for r, *_ in found} == {rule}


def test_when_a_cell_only_contains_a_match_then_the_header_does_not_make_it_one():
    # Under `text` a phone rule's context word heads the column, but these cells are sentences with numbers.
    text = ("id,text\n1,shipped 12345678 today\n2,call back re 23456789\n3,done\n")
    assert header_findings(text) == []


def test_when_a_value_fails_the_rules_validator_then_the_header_does_not_help():
    text = "name;dob\nAnna;1985-02-30\nBo;2199-01-01\nCy;00/00/0000\n"
    assert header_findings(text) == []


def test_when_a_markdown_table_has_a_dob_column_then_its_dates_are_found():
    text = ("| Name | DOB | Address |\n|---|---|---|\n| Anna Smith | 1985-03-07 | 12 Main St, Springfield, IL |\n"
            "| Bo Lee | 12/31/1990 | 3 Elm Rd, Salem, OR |\n")
    assert [(r, v) for r, _, v, _ in header_findings(text)] == [("date-of-birth", "12/31/1990"),
                                                              ("date-of-birth", "1985-03-07")]
    # More commas than pipes in a row does not break the table: the addresses are places, the names people.
    assert name_cells(text) == [("LOCATION", "12 Main St, Springfield, IL"), ("LOCATION", "3 Elm Rd, Salem, OR"),
                                ("PERSON", "Anna Smith"), ("PERSON", "Bo Lee")]


def test_when_the_header_cache_is_full_then_it_starts_again(monkeypatch):
    monkeypatch.setattr(tables, "HEADER_CACHE_SIZE", 2)
    for k in range(5):
        assert header_findings(f"id,ssn,x{k}\n1,123456780,a\n2,234567891,b\n")
    _, cache = tables.context_rules(PACK)
    assert len(cache) <= 2


# --- name columns -----------------------------------------------------------------------------------------

def test_when_a_name_column_sits_in_a_product_table_then_its_cells_are_no_people():
    text = "sku,name,price,qty\nA-1,Steel Water Bottle,9.99,3\nB-2,Desk Lamp,19.50,1\nC-3,Notebook A5,4.25,7\n"
    assert name_cells(text) == []


def test_when_a_name_column_holds_hosts_and_handles_then_only_name_shaped_cells_are_people():
    text = "name,status\napi-gateway-01,up\njsmith,up\nMaria de la Cruz,away\n\"O'NEIL, SEAN\",up\n"
    assert name_cells(text) == [("PERSON", "Maria de la Cruz"), ("PERSON", "O'NEIL, SEAN")]


def test_when_a_header_says_payee_or_passenger_then_its_cells_are_people():
    text = "payee,iban,amount\nJaime Nebot,GB82WEST12345698765432,10.00\nLena Vogel,DE89370400440532013000,5\n" \
           "Ana Ruiz,ES9121000418450200051332,7\n"
    assert name_cells(text, ("PERSON",)) == [("PERSON", "Ana Ruiz"), ("PERSON", "Jaime Nebot"),
                                              ("PERSON", "Lena Vogel")]


@pytest.mark.parametrize("cell, expected", [
    ("Anna Smith", True), ("Smith, Anna", True), ("J. R. Tolkien", True), ("Ludwig van Beethoven", True),
    ("JOHN SMITH", True), ("Steel water bottle", False), ("api-01", False), ("jsmith", False),
    ("Test User", False), ("The Team", False), ("a, b, c", False),
])
def test_when_a_cell_is_read_as_a_name_in_a_list_then_its_shape_decides(cell, expected):
    assert tables.person_shaped(cell) is expected


@pytest.mark.parametrize("header, expected", [
    ("First Name", "first_name"), ("firstName", "first_name"), ("FIRST-NAME", "first_name"),
    ("Passport #", "passport"), ("date.of.birth", "date_of_birth"),
])
def test_when_a_header_is_written_in_any_case_style_then_it_normalises_the_same(header, expected):
    assert tables.normalise_header(header) == expected


# --- the real path ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(DetectorSettings.from_policy(DEFAULT_POLICY), pack=PACK)


def test_when_an_hr_export_is_analysed_then_header_context_and_name_columns_both_report(analyzer):
    text = ("Can you check this export for duplicates?\n\n"
            "employee_id,name,date_of_birth,ssn,email\n"
            "E48235,Margaret Okonkwo,04/17/1979,219099998,m.okonkwo@mailbox.org\n"
            'E98411,Tomasz Nowak,"July 2, 1990",531449876,tnowak@post.pl\n'
            "E10946,Ines Duarte,1968-11-30,401239876,ines.duarte@correio.pt\n")
    found = {(f.type, text[f.start:f.end], f.rule) for f in analyzer.analyze(text)}
    assert {("DATE_OF_BIRTH", "04/17/1979", "date-of-birth"), ("DATE_OF_BIRTH", "July 2, 1990", "date-of-birth"),
            ("DATE_OF_BIRTH", "1968-11-30", "date-of-birth"), ("US_SSN", "219099998", "us-ssn-bare"),
            ("US_SSN", "531449876", "us-ssn-bare"), ("US_SSN", "401239876", "us-ssn-bare"),
            ("PERSON", "Tomasz Nowak", "table-person")} <= found
    # The rule layer alone sees the header word only within its window: the last row's date is beyond it.
    assert "1968-11-30" not in [text[f.start:f.end] for f in PACK.match(text) if f.type == "DATE_OF_BIRTH"]


def test_when_a_policy_disables_the_rule_then_the_header_brings_it_back_nowhere():
    doc = {**DEFAULT_POLICY, "detectors": {**DEFAULT_POLICY["detectors"], "disabled_rules": ["us-ssn-bare"]}}
    analyzer = Analyzer(DetectorSettings.from_policy(doc), pack=PACK, model=None)
    text = "id,ssn\n1,123456780\n2,234567891\n3,345678912\n"
    assert not [f for f in analyzer.analyze(text) if f.type == "US_SSN"]


def test_when_a_customer_column_holds_companies_and_people_then_each_gets_its_type():
    text = '"customer","card"\n"Alma Reyes","4111111111111111"\n"Blue Harbor Logistics Inc.","5500005555555559"\n' \
           '"Iris West","378282246310005"\n'
    assert name_cells(text) == [("ORGANIZATION", "Blue Harbor Logistics Inc."), ("PERSON", "Alma Reyes"),
                                ("PERSON", "Iris West")]
