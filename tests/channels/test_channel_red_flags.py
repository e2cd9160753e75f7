"""Issue 17: on every channel, a red flag gets triage before anything else, also typed as the answer
inside the consultation's questions and while a person has the conversation (the ticket becomes urgent).

The real assistant (trained model + action server) behind each channel's webhook, with the providers'
real payloads; what it sends back is what the providers' stand-in receives."""

from __future__ import annotations

import secrets
import sqlite3
from typing import Callable

import pytest
from assistant_server import RunningAssistant
from test_channel_integration import (
    messenger_post,
    new_phone,
    telegram_post,
    telegram_text,
    twilio_post,
    user_events,
    web_say,
    web_session,
)

from actions.conversation.texts import say

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

START = "Hi, which treatment would be right for me?"
EMERGENCY = "my lips are swelling up and it's hard to breathe"
CONTACT_CLINIC = "my face is swollen and hot 4 days after RF"


@pytest.fixture
def running(assistant: RunningAssistant) -> RunningAssistant:
    assistant.provider.clear()
    return assistant


def first_line(level: str) -> str:
    return say("triage", level).splitlines()[0][:60]


def web(running) -> tuple[str, Callable[[str], list[str]]]:
    session = web_session(running)
    return session["session_id"], lambda text: [m["text"] for m in web_say(running, session, text).json()["messages"]]


def sms(running) -> tuple[str, Callable[[str], list[str]]]:
    phone = new_phone()

    def send(text: str) -> list[str]:
        running.provider.clear()
        twilio_post(running, phone, text)
        return [m["Body"] for m in running.provider.twilio_messages()]

    return phone, send


def whatsapp(running) -> tuple[str, Callable[[str], list[str]]]:
    visitor = "whatsapp:" + new_phone()

    def send(text: str) -> list[str]:
        running.provider.clear()
        twilio_post(running, visitor, text, to="whatsapp:+14155238886")
        return [m["Body"] for m in running.provider.twilio_messages()]

    return visitor, send


def telegram(running) -> tuple[str, Callable[[str], list[str]]]:
    chat_id = 10**8 + secrets.randbelow(10**8)

    def send(text: str) -> list[str]:
        running.provider.clear()
        telegram_post(running, telegram_text(chat_id, text))
        return [call["text"] for call in running.provider.telegram_calls("sendMessage")]

    return str(chat_id), send


def messenger(running) -> tuple[str, Callable[[str], list[str]]]:
    psid = str(10**15 + secrets.randbelow(10**15))

    def send(text: str) -> list[str]:
        running.provider.clear()
        messenger_post(running, psid, {"text": text})
        return [m["message"]["text"] for m in running.provider.graph_messages()]

    return psid, send


CHANNELS = {"web": web, "sms": sms, "whatsapp": whatsapp, "telegram": telegram, "messenger": messenger}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_red_flag_typed_as_a_screening_answer_gets_emergency_advice_first(running, channel):
    sender, send = CHANNELS[channel](running)
    asked = send(START)
    assert asked and not any(first_line("emergency") in text for text in asked)
    replies = send(EMERGENCY)
    assert replies and replies[0].startswith(first_line("emergency")), replies
    assert user_events(running, sender)[-1]["text"] == EMERGENCY
    # The questions ended: the next message is not read as the answer to one.
    after = send("what should I do?")
    assert not any("?" in text and "skin" in text.lower() and "type" in text.lower() for text in after)


def test_during_a_handoff_a_red_flag_gets_advice_and_an_urgent_ticket(running):
    sender, send = web(running)
    opened = send("can I talk to a real person please")
    assert any("person" in text for text in opened)
    replies = send(CONTACT_CLINIC)
    assert replies[0].startswith(first_line("contact_clinic")), replies
    with sqlite3.connect(running.workdir / "clinic.db") as db:
        [(urgency,)] = db.execute(
            "SELECT urgency FROM handoff_tickets WHERE sender_id = ? AND status != 'closed'", (sender,)
        ).fetchall()
    assert urgency == "contact_clinic"
    quiet = send("thanks, how long will it take?")
    assert not any(text.startswith(first_line("contact_clinic")) for text in quiet)
