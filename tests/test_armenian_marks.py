"""Armenian emphasis, exclamation and question marks sit inside a word, over the
stressed vowel: word lists must match the word however it is marked."""

import pytest

from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.text import PhraseMatcher, normalize
from assistant.understanding.topics import topic_counts


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_marks_inside_a_word_are_dropped_by_normalize() -> None:
    assert normalize("ուղարկու՞մ եք") == "ուղարկում եք"
    assert normalize("Շա՜տ լավ") == "շատ լավ"
    assert normalize("Սպասի՛ր") == "սպասիր"


def test_a_listed_phrase_matches_the_marked_question() -> None:
    matcher = PhraseMatcher(["ուղարկում եք"])
    assert matcher.count("Ռուսաստան ուղարկու՞մ եք, թե՞ միայն Հայաստանում") == 1


def test_a_marked_question_names_its_topic(kb: KnowledgeBase) -> None:
    counts = topic_counts(kb, "Ֆրանսիա ուղարկու՞մ եք", "hy")
    assert counts["international-shipping"] >= 1
