"""Content read while the assistant runs (actions/content/watched.py) and journey.yml checked whole
(actions/content/journey.py, with the keys the conversation says: actions/conversation/texts.py)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from actions.content import ContentError, read_yaml
from actions.content.journey import JOURNEY_FILE, load_journey
from actions.content.watched import Watched
from actions.conversation.texts import required_keys


def touch_later(path: Path, seconds: int) -> None:
    os.utime(path, ns=(1, path.stat().st_mtime_ns + seconds * 1_000_000_000))


def test_watched_rereads_on_an_edit_and_keeps_the_last_good_value_through_a_broken_one(tmp_path, caplog):
    source = tmp_path / "value.yml"
    source.write_text("value: 1\n")
    reads = []

    def load() -> int:
        reads.append(1)
        value = read_yaml(source).get("value")
        if not isinstance(value, int):
            raise ContentError(source, "value", "must be a number")
        return value

    watched = Watched(load, lambda: (source,))
    assert (watched.get(), watched.get(), len(reads)) == (1, 1, 1)
    source.write_text("value: [broken\n")
    touch_later(source, 1)
    with caplog.at_level(logging.ERROR):
        assert (watched.get(), watched.get(), watched.get()) == (1, 1, 1)
    assert len(reads) == 2, "a broken edit is tried once, not on every message"
    assert caplog.text.count("not valid YAML") == 1
    source.write_text("value: 3\n")
    touch_later(source, 2)
    assert watched.get() == 3


def test_watched_raises_when_there_is_no_good_version_yet(tmp_path):
    missing = tmp_path / "absent.yml"
    watched = Watched(lambda: read_yaml(missing), lambda: (missing,))
    with pytest.raises(ContentError, match="absent.yml: file not found"):
        watched.get()
    assert not watched.loaded


def test_the_conversation_says_keys_that_the_shipped_journey_file_has():
    keys = required_keys()
    assert len(keys) > 100
    assert {("booking", "held"), ("booking", "error_unexpected"), ("consent", "ask"), ("privacy", "deleted")} <= keys
    load_journey(JOURNEY_FILE, keys)


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = JOURNEY_FILE.read_text(encoding="utf-8")
    assert old in text
    variant = tmp_path / "journey.yml"
    variant.write_text(text.replace(old, new, 1), encoding="utf-8")
    return variant


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  held:", "  held_by_us:", "booking.held: is missing"),
        ("  error_unexpected:", "  error_unexpectd:", "booking.error_unexpected: is missing"),
        ("journey:\n", "journey: [\n", "not valid YAML"),
        (
            "that {clinic_name} keeps these details to",
            "that {clinic name} keeps these details to",
            "booking.summary_consent: {clinic name} is not a placeholder",
        ),
        (
            "that {clinic_name} keeps these details to",
            "that {clinic_name keeps these details to",
            "booking.summary_consent: has a { or } that is not part of a {placeholder}",
        ),
    ],
)
def test_a_broken_journey_file_is_refused_whole_naming_the_key(tmp_path, old, new, problem):
    variant = write_variant(tmp_path, old, new)
    with pytest.raises(ContentError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        load_journey(variant, required_keys())


def test_a_list_of_buttons_must_hold_texts_or_pairs(tmp_path):
    variant = tmp_path / "journey.yml"
    variant.write_text("journey_buttons:\n  preferences:\n    - [only a title]\n", encoding="utf-8")
    with pytest.raises(
        ContentError, match=r"journey_buttons.preferences\[0\]: must be a \[title, what it sends\] pair"
    ):
        load_journey(variant)


def test_every_detail_the_answers_can_wait_for_has_its_question_in_journey_yml():
    from actions.intake_answers.answers import NEEDS

    details = load_journey(JOURNEY_FILE)["details"]
    assert set(NEEDS) <= set(details)


def test_every_phone_number_or_e_mail_the_journey_gives_as_an_example_is_accepted():
    """A visitor who copies an example from a prompt must not be told it is invalid."""
    import re

    from actions.intake_answers import parse_contact

    text = Path(JOURNEY_FILE).read_text(encoding="utf-8")
    phones = re.findall(r"(?<![\w+])(?:\+\d[\d ]{8,}\d|0\d{3,4} ?\d{3} ?\d{3,4})(?!\w)", text)
    emails = re.findall(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", text)
    assert emails  # the file gives at least one example
    for example in phones + emails:
        assert parse_contact(example) is not None, example
