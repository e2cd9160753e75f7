"""Each channel's webhook on a real HTTP server, with a scripted assistant and the providers' stand-in.

Requests are built the way the providers send them and signed with the providers' own algorithms
(Twilio's with twilio-python's RequestValidator, not with the code under test).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from channel_harness import LONG_ANSWER, MENU_BUTTONS, ChannelServer
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from twilio.request_validator import RequestValidator

from rasa_server.channels.messenger import MessengerChannel
from rasa_server.channels.policy import PublicChannelPolicy
from rasa_server.channels.telegram import TelegramChannel
from rasa_server.channels.twilio import TwilioChannel
from rasa_server.channels.webchat import SessionSigner, WebChatInput

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_SID = "AC" + "a1" * 16
AUTH_TOKEN = "twilio-auth-token-for-tests"
VISITOR = "+447700900123"
CLINIC_NUMBER = "+442079460123"


def tracker_store_with(sender_id: str, events: list) -> InMemoryTrackerStore:
    store = InMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, events)))
    return store


# --- Twilio ------------------------------------------------------------------------------------------


def twilio_form(body: str, sender: str = VISITOR, to: str = CLINIC_NUMBER, **extra: str) -> dict[str, str]:
    return {
        "MessageSid": "SM" + "b2" * 16,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def post_twilio(server: ChannelServer, form: dict[str, str], token: str = AUTH_TOKEN, signature: str | None = None):
    url = server.url + "/webhook"
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, form)
    return requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=10)


@pytest.fixture
def twilio(provider) -> Iterator[ChannelServer]:
    channel = TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, api_url=provider.url)
    with ChannelServer(channel) as server:
        yield server


def test_twilio_signed_message_is_answered_through_the_messages_api(twilio, provider):
    answer = post_twilio(twilio, twilio_form("hello"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    assert twilio.received == [(VISITOR, "hello")]
    [request] = provider.of("twilio")
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert request.basic_auth() == (ACCOUNT_SID, AUTH_TOKEN)
    assert provider.twilio_messages() == [{"To": VISITOR, "From": CLINIC_NUMBER, "Body": "received: hello"}]


@pytest.mark.parametrize(
    "forgery",
    ["wrong token", "no signature", "changed body", "other account"],
)
def test_twilio_forged_requests_are_refused_with_403(twilio, provider, forgery):
    form = twilio_form("/ask_price")
    if forgery == "wrong token":
        answer = post_twilio(twilio, form, token="guessed-token")
    elif forgery == "no signature":
        answer = requests.post(twilio.url + "/webhook", data=form, timeout=10)
    elif forgery == "changed body":
        signature = RequestValidator(AUTH_TOKEN).compute_signature(twilio.url + "/webhook", twilio_form("hi"))
        answer = post_twilio(twilio, form, signature=signature)
    else:
        answer = post_twilio(twilio, {**form, "AccountSid": "AC" + "ff" * 16})
    assert answer.status_code == 403
    assert twilio.received == []
    assert provider.of("twilio") == []


def test_twilio_buttons_become_numbered_options_and_a_number_picks_one(twilio, provider):
    post_twilio(twilio, twilio_form("menu"))
    [menu] = provider.twilio_messages()
    assert menu["Body"] == (
        "Hello! What would you like to know?\n\n"
        "1. What is microneedling?\n2. Does it hurt?\n3. Downtime\n\nReply 1, 2 or 3."
    )
    post_twilio(twilio, twilio_form("2"))
    assert twilio.received[-1] == (VISITOR, "/ask_pain")
    # that answer offered nothing: "3" is now just text
    post_twilio(twilio, twilio_form("3"))
    assert twilio.received[-1] == (VISITOR, "3")


def test_twilio_the_words_of_an_option_pick_it(twilio):
    post_twilio(twilio, twilio_form("menu"))
    post_twilio(twilio, twilio_form("downtime"))
    assert twilio.received[-1] == (VISITOR, "/ask_downtime")


def test_twilio_typed_intent_is_text(twilio):
    post_twilio(twilio, twilio_form('/ask_price{"treatment": "prp"}'))
    assert twilio.received == [(VISITOR, 'ask_price{"treatment": "prp"}')]


def test_twilio_long_answer_is_split_within_1600_characters(twilio, provider):
    post_twilio(twilio, twilio_form("long"))
    bodies = [m["Body"] for m in provider.twilio_messages()]
    fewest = -(-len(LONG_ANSWER.strip()) // 1600)
    assert fewest <= len(bodies) <= fewest + 1
    assert all(len(body) <= 1600 for body in bodies)
    assert " ".join(bodies).split() == LONG_ANSWER.split()


def test_twilio_whatsapp_replies_come_from_the_whatsapp_sender_with_media(twilio, provider):
    visitor, clinic = "whatsapp:" + VISITOR, "whatsapp:+14155238886"
    post_twilio(twilio, twilio_form("picture", sender=visitor, to=clinic, ProfileName="Sam", WaId=VISITOR[1:]))
    assert provider.twilio_messages() == [
        {"To": visitor, "From": clinic, "MediaUrl": "https://clinic.example/before-after.jpg"}
    ]


def test_twilio_sender_over_the_rate_limit_is_not_passed_on(provider):
    policy = PublicChannelPolicy(rate_limit_per_minute=2, numbered_options=True, cut_long_messages=True)
    with ChannelServer(TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, api_url=provider.url, policy=policy)) as server:
        statuses = [post_twilio(server, twilio_form(f"hi {n}")).status_code for n in range(3)]
        assert statuses == [200, 200, 200]
        assert [text for _, text in server.received] == ["hi 0", "hi 1"]


def test_twilio_remembers_the_offered_options_across_a_restart_from_the_tracker(provider):
    store = tracker_store_with(VISITOR, [UserUttered("hi"), BotUttered("Hello!", {"buttons": MENU_BUTTONS})])
    channel = TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, api_url=provider.url)
    with ChannelServer(channel, tracker_store=store) as server:
        post_twilio(server, twilio_form("3"))
        assert server.received == [(VISITOR, "/ask_downtime")]


def test_twilio_without_secrets_is_disabled_not_broken(provider):
    with ChannelServer(TwilioChannel("", "", api_url=provider.url)) as server:
        assert requests.get(server.url + "/", timeout=10).json()["status"] == "disabled"
        assert requests.post(server.url + "/webhook", data=twilio_form("hi"), timeout=10).status_code == 503
        assert server.received == []


# --- Telegram ----------------------------------------------------------------------------------------

BOT_TOKEN = "123456789:AAE-test-token"
SECRET = "telegram-secret_token-1"
CHAT = {"id": 4242, "first_name": "Sam", "type": "private"}


def telegram_message(text: str, chat: dict[str, Any] = CHAT) -> dict[str, Any]:
    return {
        "update_id": 1001,
        "message": {
            "message_id": 7,
            "date": 1700000000,
            "chat": chat,
            "from": {"id": chat["id"], "is_bot": False, "first_name": "Sam"},
            "text": text,
        },
    }


def telegram_button(data: str) -> dict[str, Any]:
    return {
        "update_id": 1002,
        "callback_query": {
            "id": "cbq-1",
            "from": {"id": CHAT["id"], "is_bot": False, "first_name": "Sam"},
            "chat_instance": "1",
            "message": {"message_id": 8, "date": 1700000001, "chat": CHAT, "text": "Hello!"},
            "data": data,
        },
    }


def post_telegram(server: ChannelServer, update: dict[str, Any], secret: str | None = SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return requests.post(server.url + "/webhook", json=update, headers=headers, timeout=10)


@pytest.fixture
def telegram(provider) -> Iterator[ChannelServer]:
    with ChannelServer(TelegramChannel(BOT_TOKEN, SECRET, api_url=provider.url)) as server:
        yield server


def test_telegram_message_with_the_secret_token_is_answered_with_send_message(telegram, provider):
    assert post_telegram(telegram, telegram_message("hello")).status_code == 200
    assert telegram.received == [("4242", "hello")]
    [request] = provider.of("telegram")
    assert request.path == f"/bot{BOT_TOKEN}/sendMessage"
    assert request.json == {"chat_id": "4242", "text": "received: hello"}


@pytest.mark.parametrize("secret", [None, "", "telegram-secret_token-2"])
def test_telegram_requests_without_the_secret_token_are_refused_with_403(telegram, provider, secret):
    assert post_telegram(telegram, telegram_message("/ask_price"), secret=secret).status_code == 403
    assert telegram.received == []
    assert provider.of("telegram") == []


def test_telegram_start_greets_and_buttons_are_an_inline_keyboard(telegram, provider):
    post_telegram(telegram, telegram_message("/start"))
    assert telegram.received == [("4242", "/greet")]
    [sent] = provider.telegram_calls("sendMessage")
    assert sent["text"] == "Hello! What would you like to know?"
    assert sent["reply_markup"] == {
        "inline_keyboard": [[{"text": b["title"], "callback_data": b["payload"]}] for b in MENU_BUTTONS]
    }


def test_telegram_button_press_sends_the_offered_payload_and_is_acknowledged(telegram, provider):
    post_telegram(telegram, telegram_message("menu"))
    post_telegram(telegram, telegram_button("/ask_pain"))
    assert telegram.received[-1] == ("4242", "/ask_pain")
    assert provider.telegram_calls("answerCallbackQuery") == [{"callback_query_id": "cbq-1"}]


def test_telegram_forged_button_data_and_typed_intents_are_text(telegram):
    post_telegram(telegram, telegram_message("menu"))
    post_telegram(telegram, telegram_button('/ask_price{"treatment": "prp"}'))
    post_telegram(telegram, telegram_message("/request_human_now"))
    assert telegram.received[1:] == [("4242", 'ask_price{"treatment": "prp"}'), ("4242", "request_human_now")]


def test_telegram_group_chats_are_not_answered(telegram, provider):
    group = {"id": -100123, "title": "Friends", "type": "group"}
    assert post_telegram(telegram, telegram_message("hello", chat=group)).status_code == 200
    assert telegram.received == []
    assert provider.of("telegram") == []


def test_telegram_long_answer_is_split_within_4096_characters(telegram, provider):
    post_telegram(telegram, telegram_message("long"))
    texts = [call["text"] for call in provider.telegram_calls("sendMessage")]
    assert len(texts) == 2
    assert all(len(text) <= 4096 for text in texts)
    assert " ".join(texts).split() == LONG_ANSWER.split()


def test_telegram_payload_too_long_for_callback_data_travels_as_its_number(provider):
    long_payload = '/choose_slot{"slot_id": "' + "x" * 60 + '"}'

    async def assistant(message):
        if message.text == "slots":
            await message.output_channel.send_response(
                message.sender_id, {"text": "Pick a time", "buttons": [{"title": "Mon 10:00", "payload": long_payload}]}
            )

    with ChannelServer(TelegramChannel(BOT_TOKEN, SECRET, api_url=provider.url), assistant) as server:
        post_telegram(server, telegram_message("slots"))
        [sent] = provider.telegram_calls("sendMessage")
        assert sent["reply_markup"]["inline_keyboard"] == [[{"text": "Mon 10:00", "callback_data": "#1"}]]
        post_telegram(server, telegram_button("#1"))
        assert server.received[-1] == ("4242", long_payload)


# --- Messenger ---------------------------------------------------------------------------------------

APP_SECRET = "meta-app-secret-for-tests"
PAGE_TOKEN = "EAAtestpagetoken"
VERIFY = "clinic-verify-token"
PSID = "6543210987654321"


def messenger_event(message: dict[str, Any] | None = None, postback: dict[str, Any] | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"sender": {"id": PSID}, "recipient": {"id": "1122334455"}, "timestamp": 1700000000000}
    if message is not None:
        event["message"] = {"mid": "m_1", **message}
    if postback is not None:
        event["postback"] = postback
    return {"object": "page", "entry": [{"id": "1122334455", "time": 1700000000000, "messaging": [event]}]}


def post_messenger(server: ChannelServer, payload: dict[str, Any], secret: str = APP_SECRET, header: str = "256"):
    body = json.dumps(payload).encode()
    if header == "256":
        headers = {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}
    elif header == "sha1":
        headers = {"X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()}
    else:
        headers = {}
    headers["Content-Type"] = "application/json"
    return requests.post(server.url + "/webhook", data=body, headers=headers, timeout=10)


@pytest.fixture
def messenger(provider) -> Iterator[ChannelServer]:
    channel = MessengerChannel(VERIFY, APP_SECRET, PAGE_TOKEN, api_url=provider.url + "/v19.0")
    with ChannelServer(channel) as server:
        yield server


def test_messenger_webhook_verification(messenger):
    ok = requests.get(
        messenger.url + "/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"},
        timeout=10,
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = requests.get(
        messenger.url + "/webhook",
        params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        timeout=10,
    )
    assert wrong.status_code == 403


@pytest.mark.parametrize("header", ["256", "sha1"])
def test_messenger_signed_message_is_answered_through_the_send_api(messenger, provider, header):
    assert post_messenger(messenger, messenger_event({"text": "hello"}), header=header).status_code == 200
    assert messenger.received == [(PSID, "hello")]
    requests_made = provider.of("messenger")
    assert all(r.path == "/v19.0/me/messages" and r.query["access_token"] == [PAGE_TOKEN] for r in requests_made)
    assert [r.json for r in requests_made] == [
        {"recipient": {"id": PSID}, "sender_action": "typing_on"},
        {"recipient": {"id": PSID}, "messaging_type": "RESPONSE", "message": {"text": "received: hello"}},
    ]


@pytest.mark.parametrize("forgery", ["wrong secret", "no signature"])
def test_messenger_forged_requests_are_refused_with_403(messenger, provider, forgery):
    payload = messenger_event({"text": "/ask_price"})
    answer = (
        post_messenger(messenger, payload, secret="guess")
        if forgery == "wrong secret"
        else post_messenger(messenger, payload, header="none")
    )
    assert answer.status_code == 403
    assert messenger.received == []
    assert provider.of("messenger") == []


def test_messenger_buttons_are_quick_replies_and_a_quick_reply_sends_its_payload(messenger, provider):
    post_messenger(messenger, messenger_event({"text": "menu"}))
    [menu] = provider.graph_messages()
    assert menu["message"]["text"] == "Hello! What would you like to know?"
    assert menu["message"]["quick_replies"] == [
        {"content_type": "text", "title": "What is microneedli…", "payload": "/ask_what_is"},
        {"content_type": "text", "title": "Does it hurt?", "payload": "/ask_pain"},
        {"content_type": "text", "title": "Downtime", "payload": "/ask_downtime"},
    ]
    post_messenger(messenger, messenger_event({"text": "Does it hurt?", "quick_reply": {"payload": "/ask_pain"}}))
    assert messenger.received[-1] == (PSID, "/ask_pain")


def test_messenger_payloads_not_offered_and_typed_intents_are_text(messenger):
    post_messenger(messenger, messenger_event(postback={"title": "Prices", "payload": "/ask_price"}))
    post_messenger(messenger, messenger_event({"text": "/request_human"}))  # always allowed
    post_messenger(messenger, messenger_event({"text": "/goodbye"}))
    assert messenger.received == [(PSID, "ask_price"), (PSID, "/request_human"), (PSID, "goodbye")]


def test_messenger_echoes_are_ignored(messenger):
    post_messenger(messenger, messenger_event({"text": "sent by the page", "is_echo": True}))
    assert messenger.received == []


def test_messenger_long_answer_is_split_within_2000_characters(messenger, provider):
    post_messenger(messenger, messenger_event({"text": "long"}))
    texts = [m["message"]["text"] for m in provider.graph_messages()]
    assert len(texts) == 3
    assert all(len(text) <= 2000 for text in texts)
    assert " ".join(texts).split() == LONG_ANSWER.split()


# --- Web chat ----------------------------------------------------------------------------------------

SITE = "https://www.demo-skin-clinic.example"


def web_channel(**kwargs: Any) -> WebChatInput:
    return WebChatInput(SessionSigner(b"web-chat-secret-for-tests-0123456789"), allowed_origins={SITE}, **kwargs)


@pytest.fixture
def webchat() -> Iterator[ChannelServer]:
    with ChannelServer(web_channel()) as server:
        yield server


def new_session(server: ChannelServer) -> dict[str, Any]:
    answer = requests.post(server.url + "/session", json={}, headers={"Origin": SITE}, timeout=10)
    assert answer.status_code == 200
    return answer.json()


def say(server: ChannelServer, session: dict[str, Any], message: str, origin: str = SITE) -> requests.Response:
    body = {"session_id": session["session_id"], "signature": session["signature"], "message": message}
    return requests.post(server.url + "/webhook", json=body, headers={"Origin": origin}, timeout=10)


def test_webchat_serves_the_widget_and_the_demo_page(webchat):
    widget = requests.get(webchat.url + "/widget.js", timeout=10)
    assert widget.status_code == 200
    assert widget.headers["content-type"].startswith("application/javascript")
    assert widget.content == (ROOT / "widget" / "widget.js").read_bytes()
    demo = requests.get(webchat.url + "/demo", timeout=10)
    assert demo.status_code == 200 and demo.headers["content-type"].startswith("text/html")
    assert '<script src="widget.js"' in demo.text
    assert "frame-ancestors 'none'" in demo.headers["content-security-policy"]


def test_webchat_new_session_is_minted_and_greeted(webchat):
    session = new_session(webchat)
    assert len(session["session_id"]) == 32 and len(session["signature"]) == 64
    assert session["messages"] == [{"text": "Hello! What would you like to know?", "buttons": MENU_BUTTONS}]
    assert webchat.received == [(session["session_id"], "/greet")]
    assert new_session(webchat)["session_id"] != session["session_id"]


def test_webchat_message_with_a_valid_session_is_answered(webchat):
    session = new_session(webchat)
    answer = say(webchat, session, "is it safe for dark skin?")
    assert answer.status_code == 200
    assert answer.json() == {"messages": [{"text": "received: is it safe for dark skin?"}]}


@pytest.mark.parametrize("forgery", ["chosen id", "other signature", "no signature"])
def test_webchat_refuses_a_session_id_it_did_not_sign(webchat, forgery):
    session = new_session(webchat)
    other = new_session(webchat)
    forged = {
        "chosen id": {"session_id": "alice-conversation-000000000000a", "signature": session["signature"]},
        "other signature": {"session_id": session["session_id"], "signature": other["signature"]},
        "no signature": {"session_id": session["session_id"], "signature": ""},
    }[forgery]
    before = list(webchat.received)
    assert say(webchat, forged, "show me the conversation").status_code == 403
    history = requests.post(webchat.url + "/history", json=forged, timeout=10)
    assert history.status_code == 403
    assert webchat.received == before


def test_webchat_typed_intent_is_text_and_only_offered_buttons_are_payloads(webchat):
    session = new_session(webchat)  # the greeting offered the menu
    say(webchat, session, "/ask_pain")
    say(webchat, session, "/ask_downtime")  # offered before, but not by the latest answer
    say(webchat, session, '/ask_price{"treatment": "prp"}')
    say(webchat, session, "/request_human")
    assert [text for _, text in webchat.received[1:]] == [
        "/ask_pain",
        "ask_downtime",
        'ask_price{"treatment": "prp"}',
        "/request_human",
    ]


def test_webchat_refuses_other_origins_but_not_the_clinic_site(webchat):
    session = new_session(webchat)
    assert say(webchat, session, "hi", origin="https://evil.example").status_code == 403
    assert say(webchat, session, "hi", origin=SITE).status_code == 200
    assert (
        requests.post(
            webchat.url + "/session", json={}, headers={"Origin": "https://evil.example"}, timeout=10
        ).status_code
        == 403
    )


def test_webchat_caps_message_length(webchat):
    session = new_session(webchat)
    answer = say(webchat, session, "x" * 501)
    assert answer.status_code == 413
    assert answer.json() == {"error": "too_long", "max_message_chars": 500}
    assert say(webchat, session, "x" * 500).status_code == 200


def test_webchat_rate_limits_each_session():
    channel = web_channel(policy=PublicChannelPolicy(max_message_chars=500, rate_limit_per_minute=3))
    with ChannelServer(channel) as server:
        first, second = new_session(server), new_session(server)
        statuses = [say(server, first, f"hi {n}").status_code for n in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert say(server, second, "hi").status_code == 200


def test_webchat_rate_limits_new_sessions_per_address():
    with ChannelServer(web_channel(sessions_per_minute=2)) as server:
        statuses = [requests.post(server.url + "/session", json={}, timeout=10).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]


def test_webchat_history_shows_button_presses_by_their_titles(webchat):
    channel = web_channel()
    session_id, signature = channel.signer.mint()
    store = tracker_store_with(
        session_id,
        [
            UserUttered("/greet"),
            BotUttered("Hello!", {"buttons": MENU_BUTTONS}),
            UserUttered("/ask_pain"),
            BotUttered("Most people feel a mild prickling."),
            UserUttered("/request_human"),
            BotUttered("Call us on 020 7946 0123.", {"image": "https://clinic.example/team.jpg"}),
        ],
    )
    with ChannelServer(channel, tracker_store=store) as server:
        answer = requests.post(
            server.url + "/history", json={"session_id": session_id, "signature": signature}, timeout=10
        )
        assert answer.json()["messages"] == [
            {"from": "assistant", "text": "Hello!", "buttons": MENU_BUTTONS},
            {"from": "visitor", "text": "Does it hurt?"},
            {"from": "assistant", "text": "Most people feel a mild prickling."},
            {"from": "visitor", "text": "Talk to a person"},
            {"from": "assistant", "text": "Call us on 020 7946 0123.", "image": "https://clinic.example/team.jpg"},
        ]
        # someone else's (unsigned) id gets nothing
        unknown = requests.post(
            server.url + "/history", json={"session_id": "x" * 32, "signature": "0" * 64}, timeout=10
        )
        assert unknown.status_code == 403


def test_webchat_recalls_the_latest_buttons_from_the_tracker_after_a_restart():
    channel = web_channel()
    session_id, signature = channel.signer.mint()
    store = tracker_store_with(session_id, [UserUttered("/greet"), BotUttered("Hello!", {"buttons": MENU_BUTTONS})])
    with ChannelServer(channel, tracker_store=store) as server:
        say(server, {"session_id": session_id, "signature": signature}, "/ask_downtime")
        assert server.received == [(session_id, "/ask_downtime")]


def test_webchat_warns_when_a_proxy_hides_the_visitors_addresses(caplog):
    with ChannelServer(web_channel(sessions_per_minute=2)) as server:
        statuses = [
            requests.post(
                server.url + "/session", json={}, headers={"X-Forwarded-For": f"203.0.113.{n}"}, timeout=10
            ).status_code
            for n in range(3)
        ]
    # without SANIC_PROXIES_COUNT the forwarded addresses are not trusted: one shared limit
    assert statuses == [200, 200, 429]
    assert any("SANIC_PROXIES_COUNT" in record.getMessage() for record in caplog.records)
