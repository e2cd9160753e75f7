"""The public-channel rules: "/" typed as text, offered payloads only, numbers and titles, limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasa_server.channels.guard import (
    BoundedStore,
    OfferedOptions,
    Option,
    RateLimiter,
    as_plain_text,
    option_number,
    options_from_buttons,
    resolve_reply,
)
from rasa_server.channels.policy import EMPTY, RATE_LIMITED, TOO_LONG, PublicChannelPolicy

MENU = [
    Option("What is microneedling?", "/ask_what_is"),
    Option("Does it hurt?", "/ask_pain"),
    Option("Downtime", "/ask_downtime"),
]
ALWAYS = {"/request_human": "Talk to a person"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("/ask_price", "ask_price"),
        ('/ask_price{"treatment": "prp"}', 'ask_price{"treatment": "prp"}'),
        ("  /ask_price", "ask_price"),
        ("/ /ask_price", "ask_price"),
        ("//ask_price@0.99", "ask_price@0.99"),
        ("does it hurt?", "does it hurt?"),
        ("a/b", "a/b"),
        ("///", ""),
    ],
)
def test_text_starting_with_a_slash_loses_every_leading_slash(typed, expected):
    assert as_plain_text(typed) == expected


@given(st.text())
def test_plain_text_never_starts_with_a_slash_and_never_grows(text):
    plain = as_plain_text(text)
    assert not plain.strip().startswith("/")
    assert len(plain) <= len(text)


def test_an_offered_payload_is_passed_on_unchanged():
    assert resolve_reply("/ask_pain", MENU, ALWAYS) == "/ask_pain"


def test_a_payload_that_was_not_offered_becomes_text():
    assert resolve_reply("/ask_price", MENU, ALWAYS) == "ask_price"


def test_an_offered_payload_with_changed_entities_becomes_text():
    offered = [Option("Book 10:00", '/choose_slot{"slot": "s1"}')]
    assert resolve_reply('/choose_slot{"slot": "s2"}', offered) == 'choose_slot{"slot": "s2"}'
    assert resolve_reply('/choose_slot{"slot": "s1"}', offered) == '/choose_slot{"slot": "s1"}'


def test_always_allowed_payloads_pass_without_being_offered():
    assert resolve_reply("/request_human", [], ALWAYS) == "/request_human"
    assert resolve_reply("/request_human", [], {}) == "request_human"


@pytest.mark.parametrize("reply", ["2", " 2 ", "2.", "2)", "#2", "option 2"])
def test_a_number_picks_the_numbered_option_when_options_are_numbered(reply):
    assert resolve_reply(reply, MENU, numbered=True) == "/ask_pain"


def test_a_number_is_text_when_options_are_not_numbered_or_out_of_range():
    assert resolve_reply("2", MENU, numbered=False) == "2"
    assert resolve_reply("4", MENU, numbered=True) == "4"
    assert resolve_reply("0", MENU, numbered=True) == "0"
    assert resolve_reply("2", [], numbered=True) == "2"


@pytest.mark.parametrize("reply", ["downtime", "Downtime!", "  DOWNTIME ", "downtime 🙂"])
def test_the_words_of_an_option_pick_it(reply):
    assert resolve_reply(reply, MENU) == "/ask_downtime"


def test_words_that_only_contain_an_option_title_stay_text():
    assert resolve_reply("how long is the downtime", MENU) == "how long is the downtime"


def test_an_option_whose_payload_is_plain_text_is_sent_as_text():
    assert resolve_reply("Yes please", [Option("Yes please", "yes")]) == "yes"


def test_options_from_buttons_skips_buttons_without_payload():
    buttons = [{"title": "A", "payload": "/a"}, {"title": "B"}, {"title": "", "payload": " /c "}]
    assert options_from_buttons(buttons) == [Option("A", "/a"), Option("/c", "/c")]


def test_option_number_reads_only_a_bare_number():
    assert option_number("12") == 12
    assert option_number("2 please") is None
    assert option_number("123") is None


def test_offered_options_number_a_turn_continuously_and_reset_on_a_new_turn():
    offered = OfferedOptions()
    assert offered.options("s") is None
    offered.start_turn("s")
    assert offered.options("s") == []
    assert offered.offer("s", MENU[:2]) == 1
    assert offered.offer("s", MENU[2:]) == 3
    assert offered.options("s") == MENU
    offered.start_turn("s")
    assert offered.options("s") == []
    assert offered.options("other") is None


def test_offered_options_are_forgotten_after_their_time_to_live():
    clock = FakeClock()
    offered = OfferedOptions(ttl_seconds=60, clock=clock)
    offered.start_turn("s")
    offered.offer("s", MENU)
    clock.now += 61
    assert offered.options("s") is None


def test_bounded_store_forgets_the_least_recently_used_key():
    store: BoundedStore[int] = BoundedStore(max_keys=2, ttl_seconds=100)
    store.put("a", 1)
    store.put("b", 2)
    assert store.get("a") == 1  # "b" is now the least recently used
    store.put("c", 3)
    assert store.get("b") is None
    assert (store.get("a"), store.get("c"), len(store)) == (1, 3, 2)


def test_rate_limiter_allows_the_limit_per_window_per_key():
    clock = FakeClock()
    limiter = RateLimiter(3, 60, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    clock.now += 59
    assert not limiter.allow("a")
    clock.now += 1.5
    assert limiter.allow("a")


def test_rate_limiter_with_limit_zero_never_refuses():
    limiter = RateLimiter(0, 60)
    assert all(limiter.allow("a") for _ in range(1000))


def test_policy_refuses_a_sender_over_the_rate_limit_but_not_others():
    policy = PublicChannelPolicy(rate_limit_per_minute=2, clock=FakeClock())
    results = [policy.admit("a", "hi").refused for _ in range(3)]
    assert results == [None, None, RATE_LIMITED]
    assert policy.admit("b", "hi").accepted


def test_policy_refuses_or_cuts_a_long_message():
    refusing = PublicChannelPolicy(max_message_chars=10)
    assert refusing.admit("a", "x" * 11).refused == TOO_LONG
    assert refusing.admit("a", "x" * 10).text == "x" * 10
    cutting = PublicChannelPolicy(max_message_chars=10, cut_long_messages=True)
    assert cutting.admit("a", "y" * 25).text == "y" * 10


def test_policy_passes_offered_payloads_once_and_starts_a_new_turn():
    policy = PublicChannelPolicy()
    policy.offered.start_turn("a")
    policy.offered.offer("a", MENU)
    assert policy.admit("a", "/ask_pain").text == "/ask_pain"
    # the reply to that message offered nothing: the old menu's payloads are no longer accepted
    assert policy.admit("a", "/ask_downtime").text == "ask_downtime"
    assert policy.admit("a", "/request_human").text == "/request_human"


def test_policy_numbers_options_only_when_asked():
    numbered = PublicChannelPolicy(numbered_options=True)
    numbered.offered.start_turn("a")
    numbered.offered.offer("a", MENU)
    assert numbered.admit("a", "3").text == "/ask_downtime"


def test_policy_refuses_a_message_of_nothing_but_slashes_and_spaces():
    policy = PublicChannelPolicy()
    assert policy.admit("a", " / / ").refused == EMPTY
    assert policy.admit("a", "").refused == EMPTY


def test_policy_reads_its_settings_from_credentials_and_ignores_blank_ones():
    policy = PublicChannelPolicy.from_credentials(
        {"max_message_chars": "50", "rate_limit_per_minute": "", "always_allowed_payloads": {"/stop": "Stop"}}
    )
    assert policy.max_message_chars == 50
    assert policy.rate_limiter.limit == 20
    assert policy.always_allowed_payloads == {"/stop": "Stop"}
    with pytest.raises(ValueError, match="max_message_chars"):
        PublicChannelPolicy.from_credentials({"max_message_chars": "many"})
