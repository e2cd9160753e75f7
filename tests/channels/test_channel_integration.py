"""The real assistant (trained model + action server + credentials.yml) through each public channel.

Webhook requests are the providers' real payloads, signed correctly or forged; what the assistant
sends back is captured by the providers' stand-in on loopback (provider_standin.py). What Rasa made
of a message is read from the tracker store (the SQLite events table), so the tests see whether a
"/intent{...}" typed by a visitor reached Rasa as an intent or as text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sqlite3
from typing import Any, Optional

import pytest
import requests
from assistant_server import CLINIC_SITE, RunningAssistant
from twilio.request_validator import RequestValidator

from actions.knowledge import load_knowledge

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TIMEOUT = 60
NUMBERED_LINE = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


@pytest.fixture
def running(assistant: RunningAssistant) -> RunningAssistant:
    assistant.provider.clear()
    return assistant


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def user_events(running: RunningAssistant, sender_id: str) -> list[dict[str, Any]]:
    """What Rasa recorded for each message of ``sender_id``: text, intent and entities."""
    with sqlite3.connect(running.workdir / "tracker.db") as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender_id,)
        ).fetchall()
    events = [json.loads(data) for (data,) in rows]
    return [
        {
            "text": e["text"],
            "intent": e["parse_data"]["intent"]["name"],
            "confidence": e["parse_data"]["intent"]["confidence"],
            "entities": [(x["entity"], x["value"]) for x in e["parse_data"].get("entities", [])],
        }
        for e in events
    ]


def topic_answers(kb, topic: str) -> set[str]:
    """Every answer the content gives for a topic (its default and each variant), rendered."""
    content = kb.topic_content(topic)
    return {kb.render(content.answer)} | {kb.render(variant.answer) for variant in content.variants}


# --- web chat ----------------------------------------------------------------------------------------


def web_session(running: RunningAssistant) -> dict[str, Any]:
    answer = requests.post(
        running.webhook("webchat", "session"), json={}, headers={"Origin": CLINIC_SITE}, timeout=TIMEOUT
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def web_say(running: RunningAssistant, session: dict[str, Any], text: str) -> requests.Response:
    body = {"session_id": session["session_id"], "signature": session["signature"], "message": text}
    return requests.post(running.webhook("webchat"), json=body, headers={"Origin": CLINIC_SITE}, timeout=TIMEOUT)


def test_web_visitor_is_greeted_as_by_a_virtual_assistant_with_topic_buttons(running, kb):
    session = web_session(running)
    [greeting] = session["messages"]
    assert greeting["text"] == kb.message("greet")
    assert "virtual assistant" in greeting["text"]
    assert {"title": "Talk to a person", "payload": "/request_human"} in greeting["buttons"]
    assert user_events(running, session["session_id"])[0]["intent"] == "greet"


def test_web_question_gets_the_clinics_answer_and_a_button_sends_its_payload(running, kb):
    session = web_session(running)
    asked = web_say(running, session, "does microneedling hurt?")
    assert asked.status_code == 200
    assert [m["text"] for m in asked.json()["messages"]][0] in topic_answers(kb, "pain")
    pressed = web_say(running, web_session(running), "/ask_downtime")  # a button of the greeting
    assert pressed.json()["messages"][0]["text"] in topic_answers(kb, "downtime")


def test_web_typed_intent_with_entities_reaches_rasa_as_text(running):
    session = web_session(running)
    web_say(running, session, "/ask_pain")  # offered by the greeting: a payload
    web_say(running, session, '/ask_price{"treatment": "gold_plated"}')  # typed: text
    web_say(running, session, "/request_human")  # the widget's "talk to a person": always allowed
    pain, forged, human = user_events(running, session["session_id"])[1:]
    assert (pain["text"], pain["intent"], pain["confidence"]) == ("/ask_pain", "ask_pain", 1.0)
    assert forged["text"] == 'ask_price{"treatment": "gold_plated"}'
    assert ("treatment", "gold_plated") not in forged["entities"]
    assert forged["confidence"] < 1.0  # classified by NLU, not dictated by the text
    assert (human["text"], human["intent"], human["confidence"]) == ("/request_human", "request_human", 1.0)


def test_web_history_after_a_reload_shows_the_conversation(running, kb):
    session = web_session(running)
    web_say(running, session, "/ask_downtime")
    history = requests.post(
        running.webhook("webchat", "history"),
        json={"session_id": session["session_id"], "signature": session["signature"]},
        timeout=TIMEOUT,
    ).json()["messages"]
    assert [m["from"] for m in history] == ["assistant", "visitor", "assistant"]
    assert history[1]["text"] == "Downtime"  # the button's title, as the visitor saw it
    assert history[2]["text"] in topic_answers(kb, "downtime")


def test_web_session_ids_not_minted_by_the_server_are_refused(running):
    chosen = {"session_id": secrets.token_urlsafe(24), "signature": "0" * 64}
    other = web_session(running)
    stolen = {"session_id": other["session_id"], "signature": web_session(running)["signature"]}
    for forged in (chosen, stolen):
        assert web_say(running, forged, "what did I ask before?").status_code == 403
        assert requests.post(running.webhook("webchat", "history"), json=forged, timeout=TIMEOUT).status_code == 403
    assert user_events(running, chosen["session_id"]) == []
    assert len(user_events(running, other["session_id"])) == 1  # only its own greeting


def test_web_cors_allows_the_clinic_site_only(running):
    def preflight(origin: str) -> requests.Response:
        return requests.options(
            running.webhook("webchat"),
            timeout=TIMEOUT,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )

    assert preflight(CLINIC_SITE).headers.get("Access-Control-Allow-Origin") == CLINIC_SITE
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example").headers
    session = web_session(running)
    body = {**session, "message": "hi"}
    refused = requests.post(
        running.webhook("webchat"), json=body, headers={"Origin": "https://evil.example"}, timeout=TIMEOUT
    )
    assert refused.status_code == 403


def test_web_widget_and_demo_page_are_served(running):
    assert requests.get(running.webhook("webchat", "widget.js"), timeout=TIMEOUT).status_code == 200
    demo = requests.get(running.webhook("webchat", "demo"), timeout=TIMEOUT)
    assert demo.status_code == 200 and 'src="widget.js"' in demo.text


def test_rest_cannot_reach_a_web_conversation_and_socketio_is_not_served(running):
    session = web_session(running)
    before = user_events(running, session["session_id"])
    rest = requests.post(
        f"{running.url}/webhooks/rest/webhook",
        json={"sender": session["session_id"], "message": "what did I ask before?"},
        timeout=TIMEOUT,
    )
    assert rest.status_code == 200  # the localhost REST channel, in its own namespace
    assert user_events(running, session["session_id"]) == before
    assert len(user_events(running, "rest:" + session["session_id"])) == 1
    assert requests.get(f"{running.url}/socket.io/?EIO=4&transport=polling", timeout=TIMEOUT).status_code == 404


# --- Twilio (SMS / WhatsApp) -------------------------------------------------------------------------

CLINIC_NUMBER = "+442079460123"


def twilio_post(
    running: RunningAssistant, sender: str, body: str, token: Optional[str] = None, to: str = CLINIC_NUMBER
) -> requests.Response:
    form = {
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": running.secrets.twilio_account_sid,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "ApiVersion": "2010-04-01",
    }
    url = running.webhook("twilio")
    signature = RequestValidator(token or running.secrets.twilio_auth_token).compute_signature(url, form)
    return requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=TIMEOUT)


def new_phone() -> str:
    return "+4477009" + str(secrets.randbelow(10**5)).zfill(5)


def test_twilio_sms_menu_is_numbered_and_a_number_gets_that_answer(running, kb):
    phone = new_phone()
    assert twilio_post(running, phone, "hello").status_code == 200
    [menu] = running.provider.twilio_messages()
    assert (menu["To"], menu["From"]) == (phone, CLINIC_NUMBER)
    assert menu["Body"].startswith(kb.message("greet"))
    options = NUMBERED_LINE.findall(menu["Body"])
    numbers = [int(n) for n, _ in options]
    assert numbers == list(range(1, len(options) + 1)) and len(options) >= 3
    hint = "Reply " + ", ".join(str(n) for n in numbers[:-1]) + f" or {numbers[-1]}."
    assert menu["Body"].endswith(hint)
    titles = {title: topic for topic in kb.topics for title in [kb.title(topic)]}
    number, title = next((int(n), t) for n, t in options if t in titles)

    running.provider.clear()
    twilio_post(running, phone, str(number))
    reply = " ".join(m["Body"] for m in running.provider.twilio_messages())
    assert reply in topic_answers(kb, titles[title])
    assert user_events(running, phone)[-1]["text"] == f"/ask_{titles[title]}"


def test_twilio_whatsapp_reply_comes_from_the_whatsapp_number(running):
    visitor, clinic = "whatsapp:" + new_phone(), "whatsapp:+14155238886"
    assert twilio_post(running, visitor, "hi", to=clinic).status_code == 200
    sent = running.provider.twilio_messages()
    assert sent and all((m["To"], m["From"]) == (visitor, clinic) for m in sent)
    [request] = running.provider.of("twilio")[:1]
    assert request.basic_auth() == (running.secrets.twilio_account_sid, running.secrets.twilio_auth_token)


def test_twilio_forged_request_is_refused_and_never_reaches_the_assistant(running):
    phone = new_phone()
    answer = twilio_post(running, phone, "/ask_price", token="not-the-auth-token")
    assert answer.status_code == 403
    assert running.provider.of("twilio") == []
    assert user_events(running, phone) == []


def test_twilio_typed_intent_is_text(running):
    phone = new_phone()
    twilio_post(running, phone, '/ask_price{"treatment": "gold_plated"}')
    [event] = user_events(running, phone)
    assert event["text"] == 'ask_price{"treatment": "gold_plated"}'
    assert ("treatment", "gold_plated") not in event["entities"]


# --- Telegram ----------------------------------------------------------------------------------------


def telegram_post(running: RunningAssistant, update: dict[str, Any], secret: Optional[str] = None):
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": secret if secret is not None else running.secrets.telegram_secret_token
    }
    return requests.post(running.webhook("telegram"), json=update, headers=headers, timeout=TIMEOUT)


def telegram_text(chat_id: int, text: str) -> dict[str, Any]:
    chat = {"id": chat_id, "first_name": "Sam", "type": "private"}
    return {
        "update_id": secrets.randbelow(10**9),
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": chat,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
            "text": text,
        },
    }


def telegram_press(chat_id: int, data: str) -> dict[str, Any]:
    chat = {"id": chat_id, "first_name": "Sam", "type": "private"}
    return {
        "update_id": secrets.randbelow(10**9),
        "callback_query": {
            "id": str(secrets.randbelow(10**12)),
            "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
            "chat_instance": "1",
            "message": {"message_id": 2, "date": 1700000000, "chat": chat, "text": "…"},
            "data": data,
        },
    }


def test_telegram_start_shows_an_inline_keyboard_and_a_press_gets_the_answer(running, kb):
    chat_id = 10**8 + secrets.randbelow(10**8)
    assert telegram_post(running, telegram_text(chat_id, "/start")).status_code == 200
    [greeting] = running.provider.telegram_calls("sendMessage")
    assert greeting["chat_id"] == str(chat_id) and greeting["text"] == kb.message("greet")
    keyboard = greeting["reply_markup"]["inline_keyboard"]
    assert [{"text": "Downtime", "callback_data": "/ask_downtime"}] in keyboard
    running.provider.clear()
    telegram_post(running, telegram_press(chat_id, "/ask_downtime"))
    [answer] = running.provider.telegram_calls("sendMessage")
    assert answer["text"] in topic_answers(kb, "downtime")
    assert len(running.provider.telegram_calls("answerCallbackQuery")) == 1
    path = running.provider.of("telegram")[0].path
    assert path.startswith(f"/bot{running.secrets.telegram_token}/")


def test_telegram_request_without_the_secret_token_is_refused(running):
    chat_id = 10**8 + secrets.randbelow(10**8)
    assert telegram_post(running, telegram_text(chat_id, "hi"), secret="wrong").status_code == 403
    assert running.provider.of("telegram") == []
    assert user_events(running, str(chat_id)) == []


# --- Messenger ---------------------------------------------------------------------------------------


def messenger_post(running: RunningAssistant, psid: str, message: dict[str, Any], secret: Optional[str] = None):
    payload = {
        "object": "page",
        "entry": [
            {
                "id": "1122334455",
                "time": 1700000000000,
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": "1122334455"},
                        "timestamp": 1700000000000,
                        "message": {"mid": "m_" + secrets.token_hex(8), **message},
                    }
                ],
            }
        ],
    }
    body = json.dumps(payload).encode()
    key = (secret or running.secrets.messenger_app_secret).encode()
    signature = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    return requests.post(
        running.webhook("facebook"),
        data=body,
        timeout=TIMEOUT,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )


def test_messenger_menu_is_quick_replies_and_a_quick_reply_gets_the_answer(running, kb):
    psid = str(10**15 + secrets.randbelow(10**15))
    assert messenger_post(running, psid, {"text": "hello"}).status_code == 200
    [greeting] = running.provider.graph_messages()
    assert greeting["recipient"] == {"id": psid} and greeting["messaging_type"] == "RESPONSE"
    assert greeting["message"]["text"] == kb.message("greet")
    quick_replies = greeting["message"]["quick_replies"]
    assert {"content_type": "text", "title": "Downtime", "payload": "/ask_downtime"} in quick_replies
    assert all(len(q["title"]) <= 20 for q in quick_replies)
    running.provider.clear()
    messenger_post(running, psid, {"text": "Downtime", "quick_reply": {"payload": "/ask_downtime"}})
    [answer] = running.provider.graph_messages()
    assert answer["message"]["text"] in topic_answers(kb, "downtime")
    assert running.provider.of("messenger")[0].query["access_token"] == [running.secrets.messenger_page_token]


def test_messenger_forged_signature_is_refused(running):
    psid = str(10**15 + secrets.randbelow(10**15))
    assert messenger_post(running, psid, {"text": "hi"}, secret="not-the-app-secret").status_code == 403
    assert running.provider.of("messenger") == []
    assert user_events(running, psid) == []


def test_messenger_webhook_verification_uses_the_verify_token(running):
    params = {
        "hub.mode": "subscribe",
        "hub.challenge": "31415",
        "hub.verify_token": running.secrets.messenger_verify_token,
    }
    assert requests.get(running.webhook("facebook"), params=params, timeout=TIMEOUT).text == "31415"
    params["hub.verify_token"] = "guess"
    assert requests.get(running.webhook("facebook"), params=params, timeout=TIMEOUT).status_code == 403
