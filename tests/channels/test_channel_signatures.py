"""Proof that a request is genuine: Twilio, Messenger and Telegram signatures, web chat session ids."""

from __future__ import annotations

import base64
import hashlib
import hmac
import stat
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from rasa_server.channels.messenger import valid_hub_signature
from rasa_server.channels.telegram import TelegramChannel
from rasa_server.channels.twilio import twilio_signature, url_variants, valid_twilio_signature
from rasa_server.channels.webchat import SessionSigner, load_or_create_secret

# The example in Twilio's security documentation (and twilio-python's tests).
DOC_TOKEN = "12345"
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = {
    "CallSid": ["CA1234567890ABCDE"],
    "Caller": ["+12349013030"],
    "Digits": ["1234"],
    "From": ["+12349013030"],
    "To": ["+18005551212"],
}
DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_twilio_signature_of_the_documented_example():
    assert twilio_signature(DOC_TOKEN, DOC_URL, DOC_PARAMS) == DOC_SIGNATURE
    assert valid_twilio_signature(DOC_TOKEN, DOC_URL, DOC_PARAMS, DOC_SIGNATURE)


def test_twilio_signature_is_hmac_sha1_of_url_and_sorted_params():
    signed = "https://x.example/hook" + "Body" + "hi" + "From" + "+447700900001"
    expected = base64.b64encode(hmac.new(b"tok", signed.encode(), hashlib.sha1).digest()).decode()
    params = {"From": ["+447700900001"], "Body": ["hi"]}
    assert twilio_signature("tok", "https://x.example/hook", params) == expected


@settings(max_examples=50)
@given(
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=6), st.text(min_size=1, max_size=12)
)
def test_twilio_signature_agrees_with_twilios_own_validator(params, token):
    url = "https://clinic.example/webhooks/twilio/webhook"
    ours = twilio_signature(token, url, {k: [v] for k, v in params.items()})
    assert RequestValidator(token).validate(url, params, ours)


@pytest.mark.parametrize(
    "token, url, params, signature",
    [
        ("54321", DOC_URL, DOC_PARAMS, DOC_SIGNATURE),  # another account's token
        (DOC_TOKEN, "https://evil.example/myapp.php?foo=1&bar=2", DOC_PARAMS, DOC_SIGNATURE),  # another URL
        (DOC_TOKEN, DOC_URL, {**DOC_PARAMS, "Digits": ["9999"]}, DOC_SIGNATURE),  # a changed parameter
        (DOC_TOKEN, DOC_URL, {**DOC_PARAMS, "Body": ["/ask_price"]}, DOC_SIGNATURE),  # an added parameter
        (DOC_TOKEN, DOC_URL, DOC_PARAMS, ""),  # no signature
        ("", DOC_URL, DOC_PARAMS, twilio_signature("", DOC_URL, DOC_PARAMS)),  # no token configured
    ],
)
def test_forged_twilio_requests_do_not_verify(token, url, params, signature):
    assert not valid_twilio_signature(token, url, params, signature)


def test_twilio_signature_verifies_with_or_without_the_port():
    with_port = "https://clinic.example:443/webhooks/twilio/webhook"
    signature = twilio_signature("tok", with_port, {"Body": ["hi"]})
    assert valid_twilio_signature("tok", "https://clinic.example/webhooks/twilio/webhook", {"Body": ["hi"]}, signature)
    assert url_variants("http://127.0.0.1:5005/a?b=1") == ["http://127.0.0.1:5005/a?b=1", "http://127.0.0.1/a?b=1"]


def test_messenger_signature_sha256_and_sha1():
    body = b'{"object":"page","entry":[]}'
    sha256 = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    sha1 = "sha1=" + hmac.new(b"app-secret", body, hashlib.sha1).hexdigest()
    assert valid_hub_signature("app-secret", body, {"X-Hub-Signature-256": sha256})
    assert valid_hub_signature("app-secret", body, {"X-Hub-Signature": sha1})
    assert not valid_hub_signature("app-secret", body + b" ", {"X-Hub-Signature-256": sha256})
    assert not valid_hub_signature("other-secret", body, {"X-Hub-Signature-256": sha256})
    assert not valid_hub_signature("app-secret", body, {})
    # an empty app secret would let anyone sign: never valid
    empty = "sha256=" + hmac.new(b"", body, hashlib.sha256).hexdigest()
    assert not valid_hub_signature("", body, {"X-Hub-Signature-256": empty})
    # the stronger header decides when both are present
    assert not valid_hub_signature("app-secret", body, {"X-Hub-Signature-256": "sha256=00", "X-Hub-Signature": sha1})


def test_telegram_secret_token_header():
    channel = TelegramChannel(access_token="123:abc", secret_token="s3cr3t-token")

    def request(headers):
        return SimpleNamespace(headers=headers)

    assert channel.is_genuine(request({"X-Telegram-Bot-Api-Secret-Token": "s3cr3t-token"}))
    assert not channel.is_genuine(request({"X-Telegram-Bot-Api-Secret-Token": "s3cr3t-tokeN"}))
    assert not channel.is_genuine(request({}))
    unset = TelegramChannel(access_token="123:abc", secret_token="")
    assert not unset.is_genuine(request({"X-Telegram-Bot-Api-Secret-Token": ""}))


def test_minted_session_ids_are_random_192_bit_and_signed():
    signer = SessionSigner(b"k" * 32)
    minted = [signer.mint() for _ in range(200)]
    ids = [session_id for session_id, _ in minted]
    assert len(set(ids)) == len(ids)
    assert all(len(base64.urlsafe_b64decode(i + "=" * (-len(i) % 4))) * 8 >= 128 for i in ids)
    assert all(signer.verify(session_id, signature) for session_id, signature in minted)


def test_a_session_id_needs_the_servers_signature():
    signer, other = SessionSigner(b"k" * 32), SessionSigner(b"j" * 32)
    session_id, signature = signer.mint()
    chosen = "a" * 32  # an id the client picked
    assert not signer.verify(chosen, signature)
    assert not signer.verify(session_id, other.sign(session_id))
    assert not signer.verify(session_id, signature[:-1] + ("0" if signature[-1] != "0" else "1"))
    assert not signer.verify(session_id, None)
    assert not signer.verify(["list"], signature)
    assert not signer.verify(session_id + "x", signer.sign(session_id + "x"))  # wrong format, even if signed


def test_web_chat_secret_is_generated_once_into_a_private_file(tmp_path):
    path = tmp_path / "var" / "webchat-secret"
    first = load_or_create_secret("", path)
    assert len(first) >= 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret("", path) == first


def test_a_configured_web_chat_secret_wins_and_must_be_long(tmp_path):
    path = tmp_path / "webchat-secret"
    assert load_or_create_secret("x" * 40, path) == b"x" * 40
    assert not path.exists()
    with pytest.raises(ValueError, match="at least 32"):
        load_or_create_secret("short", path)
