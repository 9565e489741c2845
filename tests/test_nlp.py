"""NER on prose windows (agent/nlp.py) with the real spaCy model, and the layout that feeds it."""

import pytest

from promptfence.agent import nlp
from promptfence.agent.layout import analyse_layout, split_lines

PROSE = (
    "Yesterday I spoke with Margaret Okonkwo about the vendor contract. She thinks we should renegotiate the "
    "payment terms before the renewal in March, because the current terms were written when we were a much "
    "smaller company. She also mentioned that her counterpart at Brightline Solutions, a guy called Peter "
    "Vance, has been difficult to reach since the summer.\n\n"
    "Can you help me plan a two-week trip through Portugal in May? We would start in Lisbon, spend a few days "
    "in Porto, and would like to see the Douro valley. My partner Felipe does not drive, so trains are preferred.\n\n"
    "The meeting with the regional directors went reasonably well. Most of the discussion was about headcount "
    "for next year and whether the Warsaw and Krakow teams should be merged. Nobody wanted to commit to a number.\n\n"
    "Dear Mr. Hashimoto, thank you for your patience while we investigated the issue with your order. We found "
    "that the parcel was held at the customs office in Rotterdam because the invoice was missing a tariff code.\n\n"
    "Summarise the main arguments for and against a four-day working week, with a focus on small manufacturing "
    "firms. Use plain language and no more than eight bullet points."
)


@pytest.fixture(scope="module")
def ner():
    return nlp.SpacyNer(nlp.DEFAULT_MODEL)


def entities(ner, text):
    return {(e.type, text[e.start:e.end]) for e in ner.entities(text, analyse_layout(text))}


def test_when_the_model_loads_then_only_the_ner_pipe_is_kept(ner):
    # en_core_web_sm's ner has its own tok2vec: the shared tok2vec and the other pipes are not needed.
    assert ner.nlp.pipe_names == ["ner"]


def test_when_the_model_is_asked_for_twice_then_it_is_loaded_once(ner):
    assert nlp.load_ner_model(nlp.DEFAULT_MODEL) is ner.nlp


def test_when_the_model_is_not_installed_then_model_unavailable():
    with pytest.raises(nlp.ModelUnavailable) as caught:
        nlp.load_ner_model("no_such_model_xyz")
    assert caught.value.code.value == "internal"


@pytest.mark.parametrize("text, expected", [
    ("I had lunch with Sarah Connor yesterday.", ("PERSON", "Sarah Connor")),
    ("Please forward the contract to Miguel Alvarez before noon.", ("PERSON", "Miguel Alvarez")),
    ("We are opening a second office in Berlin next year.", ("LOCATION", "Berlin")),
    ("The team flew from Chicago to attend the workshop.", ("LOCATION", "Chicago")),
    ("The invoice from Microsoft arrived late again.", ("ORGANIZATION", "Microsoft")),
    ("She used to work for the World Health Organization in the nineties.",
     ("ORGANIZATION", "the World Health Organization")),
])
def test_when_prose_names_people_places_or_organisations_then_ner_finds_them(ner, text, expected):
    assert expected in entities(ner, text)


def test_when_prose_is_analysed_in_windows_then_it_finds_what_the_whole_text_gives(ner):
    layout = analyse_layout(PROSE)
    windowed = {(e.type, e.start, e.end) for e in ner.entities(PROSE, layout)}
    whole = {(e.type, e.start, e.end) for e in ner.entities_in(PROSE, layout.prose)}
    assert whole, "the sample has names"
    # The whole text also gives entities made only of non-candidates ("Summarise" as a PERSON): junk the
    # windows skip by design. Every entity with a candidate word in it must be found the same.
    with_candidate = {
        e for e in whole if any(nlp.is_candidate(word, True) for word in PROSE[e[1]:e[2]].split())
    }
    assert with_candidate <= windowed <= whole
    windows = nlp.candidate_windows(PROSE, layout.prose)
    assert sum(b - a for a, b in windows) < 0.6 * len(PROSE), "windows must cut the text NER reads"


@pytest.mark.parametrize("word, sentence_start, expected", [
    ("Margaret", False, True),
    ("Margaret", True, True),
    ("Please", True, False),
    ("The", True, False),
    ("Can", True, False),
    ("Summarise", True, False),
    ("Monday", False, False),
    ("NASA", False, False),
    ("I", False, False),
    ("(Vance,", False, True),
    ("okonkwo", False, False),
    ("Python", False, False),
    ("Kubernetes,", False, False),
])
def test_when_a_word_is_checked_then_only_name_like_words_are_candidates(word, sentence_start, expected):
    assert nlp.is_candidate(word, sentence_start) is expected


def test_when_prose_has_no_capitalised_candidates_then_ner_reads_nothing():
    text = "Explain how photosynthesis works, using an analogy with a kitchen and a cook. keep it short."
    assert nlp.candidate_windows(text, [(0, len(text))]) == []


@pytest.mark.parametrize("value, junk", [
    ("a", True),
    ("2024", True),
    ("user_name", True),
    ("getUserName", True),
    ("os.path", True),
    ("API", True),
    ("<Margaret>", True),
    ("Flask", True),
    ("Google Sheets", False),
    ("Margaret Okonkwo", False),
    ("New York", False),
    ("McDonald", False),
    ("max", True),
    ("-s -X GET", True),
    ("Madam", True),
    ("Phone", True),
    ("Invoice 86795", True),
    ("National Grid", False),
])
def test_when_ner_returns_code_or_digits_then_it_is_junk(value, junk):
    assert nlp.is_junk(value) is junk


def test_when_text_mixes_code_and_csv_then_only_prose_reaches_ner():
    code = "def load(path):\n    with open(path) as f:\n        data = f.read()\n    return data\n\n"
    csv = "first_name,last_name,city\nJohn,Smith,Boston\nJane,Doe,Austin\n\n"
    prose = "Can you check why Priya Raman gets an error here?"
    text = code + csv + prose
    layout = analyse_layout(text)
    assert [text[a:b] for a, b in layout.prose] == [prose]


def test_when_a_line_is_a_blob_then_it_is_not_prose():
    text = "Here is the token:\n" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo" * 3 + "\nThanks Anna!"
    layout = analyse_layout(text)
    assert [text[a:b] for a, b in layout.prose] == ["Here is the token:", "Thanks Anna!"]


@pytest.mark.parametrize("text, expected", [
    ("a\nb", [(0, 1), (2, 3)]),
    ("a\r\nb\r\n", [(0, 1), (3, 4)]),
    ("", [(0, 0)]),
    ("\n\n", [(0, 0), (1, 1)]),
])
def test_when_text_is_split_then_every_line_ending_counts(text, expected):
    assert [(line.start, line.end) for line in split_lines(text)] == expected


def test_when_a_sentence_is_huge_then_windows_stay_bounded(ner):
    text = " ".join(["Anna"] * 60_000)  # 300 KB of candidates and no sentence end
    windows = nlp.candidate_windows(text, [(0, len(text))])
    assert windows and max(b - a for a, b in windows) <= 2 * nlp.MAX_WINDOW_CHARS
    assert windows[0][0] == 0 and windows[-1][1] == len(text)


def test_when_the_engine_has_no_model_then_layout_still_runs():
    engine = nlp.PromptfenceNlpEngine(None, code_min_lines=2)
    engine.load()
    artifacts = engine.process_text("x = 1\ny = 2\nz = x + y\nSarah Connor lives in Berlin.")
    assert artifacts.entities == []
    assert len(artifacts.layout.code_regions) == 1


def test_when_an_http_response_is_pasted_then_its_header_lines_are_not_prose():
    text = ("Why does this response not cache?\nHTTP/1.1 200 OK\nContent-Type: application/json\n"
            "Cache-Control: max-age=21\nDate: Mon, 01 Jan 2024\nX-Request-Id: 3bf7fa15")
    layout = analyse_layout(text)
    assert [text[a:b] for a, b in layout.prose] == ["Why does this response not cache?"]


def test_when_a_form_has_a_date_or_location_label_then_it_stays_prose():
    text = "Location: Glasgow office\nDate: 2024-01-01"
    assert analyse_layout(text).prose == [(0, len(text))]


def test_when_ner_meets_a_label_or_a_cue_then_the_context_step_decides():
    from presidio_analyzer import RecognizerResult

    from promptfence.agent.context import CUES, NER, SOURCE_KEY, LinearContextStep

    def result(entity, start, end, source):
        return RecognizerResult(entity, start, end, 0.85, None, {SOURCE_KEY: source})

    class Artifacts:
        labels = [(0, 9)]  # "Traveller"

    text = "Traveller: Anna Berg from Hunt, Simpson and Lam"
    label_guess = result("PERSON", 0, 9, NER)
    agreeing_ner, agreeing_cue = result("PERSON", 11, 20, NER), result("PERSON", 11, 20, CUES)
    piece = result("PERSON", 26, 30, NER)  # "Hunt", inside the organisation the cue found
    org = result("ORGANIZATION", 26, 47, CUES)
    kept = LinearContextStep().enhance_using_context(text, [label_guess, agreeing_ner, agreeing_cue, piece, org],
                                                     nlp_artifacts=Artifacts())
    assert kept == [agreeing_ner, org]


def test_when_a_candidate_is_inside_a_known_name_then_it_opens_no_window():
    text = "Name: Beau van Doorn"
    assert nlp.candidate_windows(text, [(0, len(text))])
    assert nlp.candidate_windows(text, [(0, len(text))], known=[(6, 20)]) == []
