"""A reply to the assistant's own question is the answer unless it is clearly something else, decided
by the words alone (actions.intake_answers.replies). Names come from many languages and include names
that are ordinary words; the interruptions are phrased the way visitors type them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from actions.booking.contacts import clean_name
from actions.intake_answers import asks_self_treatment, name_answer, read_reply
from actions.intake_answers.contact import CHAT_WORDS, MAX_NAME_LENGTH, NAME_TITLES
from actions.intake_answers.replies import (
    AGE,
    CONTACT,
    EXPECTED,
    NAME,
    PERSON,
    QUESTION,
    RED_FLAG,
    REFERENCE,
    STOP,
    TIME,
    other_move,
)

TODAY = date(2026, 3, 2)  # a Monday
# Words that open a question, and the words of "my name is", "it's", "i'm", "call me", "this is".
QUESTION_WORDS = {"what", "whats", "how", "hows", "when", "why", "which", "who", "whos", "where"}
# "Do We ..." and "Is It ..." open a question; "Will Smith" and "Can Yilmaz" are names.
AUXILIARIES = {
    "can",
    "could",
    "would",
    "will",
    "should",
    "shall",
    "is",
    "are",
    "does",
    "do",
    "did",
    "am",
    "may",
    "have",
    "has",
}
SUBJECTS = {
    "i",
    "it",
    "you",
    "u",
    "that",
    "this",
    "they",
    "my",
    "we",
    "there",
    "he",
    "she",
    "the",
    "a",
    "an",
    "microneedling",
    "rf",
    "prp",
    "someone",
    "somebody",
    "anyone",
}
INTRODUCTION_WORDS = {"my", "name", "names", "is", "its", "it", "im", "i", "am", "call", "me", "this"}
# Words that alone say "stop" or "a person", wherever they stand in a message.
CUE_WORDS = {
    "stop",
    "cancel",
    "quit",
    "exit",
    "abort",
    "nvm",
    "nevermind",
    "human",
    "humans",
    "someone",
    "somebody",
    "staff",
    "receptionist",
    "reception",
    "operator",
    "agent",
    "representative",
}

# Names as visitors type them: unusual, hyphenated, with apostrophes and accents, from many languages,
# with titles, in one case, and names that are also words.
NAMES = [
    "Zelphine Quarrington",
    "Anne-Marie O'Brien",
    "o'neill",
    "SIOBHAN MURPHY",
    "Siobhán Ní Bhraonáin",
    "José Álvarez-García",
    "Nguyễn Thị Minh Khai",
    "Zoë Brontë-Smith",
    "Björn Ødegård",
    "Łucja Wróblewska",
    "Oluwaseun Adeyemi",
    "Chukwuemeka Okonkwo",
    "Aaliyah Al-Hashimi",
    "Priya Venkataraman",
    "Xiao Ming",
    "李小龍",
    "Мария Иванова",
    "Γιώργος Παπαδόπουλος",
    "Ngaio Te Rangi",
    "D'Angelo Russell",
    "Jean-Luc Picard",
    "McKenzie",
    "Mr Patel",
    "Mrs. Okafor",
    "Dr Amara Okafor",
    "Jo",
    "Ma",
    "Ty Li",
    # names that are also words
    "Hope",
    "April May",
    "Summer",
    "Will Smith",
    "Dr No",
    "Joy Book",
    "April",
    "June",
    "Rose",
    "Faith",
    "Grace Church",
    "Rich Young",
    "Dawn Hill",
    "Autumn Winters",
    "Sky Walker",
    "Bill Gates",
    "Mark Ruffalo",
    "Chase",
    "Sunny Day",
    "Ivy",
    "Honey Wood",
    "Max Power",
    "Cash Money",
    "Precious Jones",
    "Major Payne",
    # names that open like a question, and hyphenated names with a word inside
    "Will Jones Smith",
    "Can Yilmaz",
    "Do Van Thanh",
    "May Anne Lee",
    "Anne-Stop",
    "Jean-Someone",
    "Have Ali",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_is_the_answer_to_the_name_question(name):
    reply = read_reply(name, NAME)
    assert reply.other is None
    assert reply.answer is not None and clean_name(str(reply.answer))  # and the booking backend accepts it


@pytest.mark.parametrize(
    "text, name",
    [
        ("my name is joy book", "Joy Book"),
        ("it's Hope", "Hope"),
        ("Dr No thanks", "Dr No"),
        ("name's priya patel, mobile 07700900321", "Priya Patel"),
        ("sarah jones", "Sarah Jones"),
        ("will smith", "Will Smith"),
        ("april may", "April May"),
        ("Zelphine Quarrington.", "Zelphine Quarrington"),
    ],
)
def test_the_name_as_written_down(text, name):
    assert name_answer(text) == name


@pytest.mark.parametrize(
    "text, other",
    [
        ("never mind", STOP),
        ("stop", STOP),
        ("Cancel", STOP),
        ("forget it", STOP),
        ("no thanks", STOP),
        ("I've changed my mind", STOP),
        ("not now", STOP),
        ("talk to a person please", PERSON),
        ("can I speak to someone", PERSON),
        ("real person", PERSON),
        ("get me a human", PERSON),
        ("can a member of staff call me back", PERSON),
        ("what is prp?", QUESTION),
        ("why do you need my name", QUESTION),
        ("how much is it", QUESTION),
        ("does it hurt", QUESTION),
        ("is it safe?", QUESTION),
        ("Will it hurt?", QUESTION),
    ],
)
def test_something_else_is_not_taken_for_a_name(text, other):
    assert read_reply(text, NAME) == read_reply(text, NAME).__class__(answer=None, other=other)
    assert other_move(text) == other


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "ok",
        "Thanks",
        "next tuesday",
        "Next Tuesday",
        "book please",
        "i don't know",
        "friday morning",
        "07911 123456",
        "sarah@example.com",
    ],
)
def test_chat_words_are_no_name_and_decide_nothing(text):
    reply = read_reply(text, NAME)
    assert reply.answer is None and reply.other is None and reply.undecided


def test_a_red_flag_comes_before_any_answer():
    for expected in EXPECTED:
        assert (
            read_reply(
                "Zelphine Quarrington 07911 123456 KD7P2QXM 34 friday", expected, red_flag=True, today=TODAY
            ).other
            == RED_FLAG
        )


@pytest.mark.parametrize(
    "text, expected, answer",
    [
        ("020 7946 0958", CONTACT, "+442079460958"),
        ("can you call me on 07911 123456?", CONTACT, "+447911123456"),  # a value that parses wins over "?"
        ("stop texting 07911 123456 and email me at Sam@Example.com", CONTACT, "+447911123456"),
        ("sam@example.com", CONTACT, "sam@example.com"),
        ("cancel KD7P2QXM", REFERENCE, "KD7P2QXM"),
        ("my ref is kd7p-2qxm", REFERENCE, "KD7P2QXM"),
        ("34", AGE, 34),
        ("I'm 34, is that ok?", AGE, 34),
        ("thirty four", AGE, 34),
        ("the 2nd one", TIME, "the 2nd one"),
        ("what about friday?", TIME, "what about friday"),
        ("anything next week?", TIME, "anything next week"),
        ("later", TIME, "later"),
    ],
)
def test_a_value_that_parses_is_the_answer(text, expected, answer):
    assert read_reply(text, expected, today=TODAY).answer == answer


@pytest.mark.parametrize(
    "text, expected, other",
    [
        ("when are you open on friday?", TIME, QUESTION),
        ("how much is it", CONTACT, QUESTION),
        ("can I talk to a person", REFERENCE, PERSON),
        ("forget it", AGE, STOP),
    ],
)
def test_without_a_value_what_else_it_is(text, expected, other):
    assert read_reply(text, expected, today=TODAY) == read_reply(text, expected, today=TODAY).__class__(other=other)


def test_unknown_kinds_and_a_time_without_today_are_refused():
    with pytest.raises(ValueError, match="expected must be one of"):
        read_reply("x", "colour")
    with pytest.raises(ValueError, match="today"):
        read_reply("friday", TIME)


# A name part: letters of several scripts, optionally joined by a hyphen or an apostrophe.
_LETTERS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwyzéèüöåøłńçğşžčřßñãõ")
    + list("мариявнглдйзкстфцэюжш")
    + list("αβγδεζηθικλμνξπρστυφχψω")
)
_WORD = st.text(_LETTERS, min_size=2, max_size=10)
_PART = st.builds(lambda a, sep, b: a + sep + b if sep else a, _WORD, st.sampled_from(["", "", "-", "'"]), _WORD)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PART, min_size=1, max_size=4))
def test_any_name_typed_in_title_case_is_the_answer(parts):
    name = " ".join(p[:1].upper() + p[1:] for p in parts)
    assume(len(name) <= MAX_NAME_LENGTH)  # longer is refused, as the booking backend refuses it
    reply = read_reply(name, NAME)
    words = name.lower().replace("-", " ").replace("'", " ").split()
    # Refused only: chat words, titles and introductions alone ("Yes", "Good Evening", "Dr", "Its At";
    # one word in Title Case is how a phone keyboard types anything), a message opening with a question
    # word or an auxiliary and a subject ("Which", "When Ana ...", "Do We Ana"), or a stop or person cue
    # typed as a word of its own ("Aa Stop").
    if reply.answer is None:
        only_chat_words = reply.other is None and set(words) <= CHAT_WORDS | NAME_TITLES | INTRODUCTION_WORDS
        opens_as_question = reply.other == QUESTION and (
            words[0] in QUESTION_WORDS or words[0] in AUXILIARIES and words[1:2] and words[1] in SUBJECTS
        )
        cue_word = reply.other in (STOP, PERSON) and set(name.lower().split()) & CUE_WORDS
        assert only_chat_words or opens_as_question or cue_word
    else:
        assert reply.other is None


@pytest.mark.parametrize(
    "text",
    [
        "can I put antibiotic cream on it?",
        "is it ok to use my old fucidin",
        "should i take piriton for the hives",
        "can i just treat it myself at home",
        "shall I pop the blisters",
        "i have some leftover antibiotics, should i take them",
        "any home remedies for the pus?",
    ],
)
def test_asking_to_treat_a_complication_oneself(text):
    assert asks_self_treatment(text)


@pytest.mark.parametrize(
    "text", ["it's oozing and hot", "when can I see someone?", "my face is swollen", "I already called the clinic"]
)
def test_describing_a_complication_is_not_asking_to_treat_it(text):
    assert not asks_self_treatment(text)
