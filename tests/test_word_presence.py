"""WordPresence (agent/pattern_scan.py): the words present in a text, exactly as `word in text` says."""

from __future__ import annotations

import random

from bench.corpus import mixed_text
from promptfence.agent.pattern_scan import WordPresence
from promptfence.agent.rules import RulePack

# Words inside words, words that extend others, shared stems, regex metacharacters, a non-ASCII one.
WORDS = ["key", "keys", "apikey", "api", "api_key", "pass", "passwd", "password", "pw", "token", "tok",
         "a.b", "c++", "(x)", "[y]", "ßtraße", "secret", "secrets", "ecre", "e"]


def plain(words, text):
    return frozenset(w for w in words if w in text)


def test_when_words_overlap_nest_and_extend_each_other_then_presence_is_that_of_plain_substring_tests():
    presence = WordPresence(WORDS)
    rnd = random.Random(11)
    pieces = WORDS + ["x", " ", "_", "-", "=", "k", "ey", "pa", "ss", "wd", "ap", "i", "ßtra", "."]
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        assert presence.present(text) == plain(WORDS, text), text


def test_when_a_word_only_occurs_inside_a_longer_one_then_it_is_present():
    presence = WordPresence(WORDS)
    assert presence.present("myapikey=1") == {"apikey", "api", "key", "e"}
    assert presence.present("") == frozenset()
    assert WordPresence(["", "a"]).present("b") == {""}


def test_when_the_rule_pack_asks_about_its_words_then_the_answer_matches_plain_tests_on_the_bench_texts():
    pack = RulePack.load()
    for text in (mixed_text(1_000), mixed_text(10_000), mixed_text(30_000, seed=3)):
        lowered = text.lower()
        assert pack.words.present(lowered) == plain(pack.words.words, lowered)
        per_rule = [f for rule in pack.rules for f in rule.find(text, lowered)]
        assert pack.candidates(text) == per_rule
