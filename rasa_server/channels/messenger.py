"""Facebook Messenger, with the app-secret signature checked and buttons as quick replies.

credentials.yml:

    rasa_server.channels.messenger.MessengerChannel:
      verify: ${MESSENGER_VERIFY_TOKEN}          # any string; typed again in the Meta app's webhook settings
      secret: ${MESSENGER_APP_SECRET}            # the Meta app's secret: signs every webhook request
      page-access-token: ${MESSENGER_PAGE_TOKEN} # lets the assistant answer as the clinic's page
      api_url: ${MESSENGER_API_URL}              # empty = https://graph.facebook.com/v19.0 (tests use a stand-in)

Rasa's own channel checks X-Hub-Signature too, but answers a forged request with 200, accepts an empty
app secret (then anyone can sign), compares in non-constant time, sends with a blocking HTTP client, and
drops every button when there are more than three. This subclass refuses forged requests with 403,
prefers X-Hub-Signature-256, sends quick replies (up to 13) through aiohttp and splits at 2000 characters.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channels.base import GuardedInput, disabled_blueprint, missing_settings, post_to_provider
from rasa_server.channels.guard import OfferedOptions, options_from_buttons
from rasa_server.channels.policy import PublicChannelPolicy, setting
from rasa_server.channels.render import (
    MESSENGER_MAX_CHARS,
    MESSENGER_MAX_QUICK_REPLIES,
    MESSENGER_MAX_QUICK_REPLY_TITLE,
    plain_links,
    short_title,
    split_text,
)

logger = logging.getLogger(__name__)

GRAPH_API_URL = "https://graph.facebook.com/v19.0"
SIGNATURE_HEADERS = (("X-Hub-Signature-256", "sha256", hashlib.sha256), ("X-Hub-Signature", "sha1", hashlib.sha1))


def valid_hub_signature(app_secret: str, body: bytes, headers: Any) -> bool:
    """True when X-Hub-Signature-256 (or, failing that header, X-Hub-Signature) signs ``body``."""
    if not app_secret:
        return False
    for header, prefix, digest in SIGNATURE_HEADERS:
        sent = headers.get(header)
        if sent:
            expected = f"{prefix}=" + hmac.new(app_secret.encode("utf-8"), body, digest).hexdigest()
            return hmac.compare_digest(sent.strip().encode(), expected.encode())
    return False


def messaging_events(payload: Any) -> Iterator[Dict[str, Any]]:
    """Every messaging event of a page webhook (Meta may batch several entries and events)."""
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return
    for entry in payload.get("entry") or []:
        for event in (entry or {}).get("messaging") or []:
            if isinstance(event, dict):
                yield event


def sender_and_text(event: Dict[str, Any]) -> tuple[Optional[str], Optional[str]]:
    """(sender PSID, quick-reply/postback payload or typed text); (None, None) for other events."""
    sender = str((event.get("sender") or {}).get("id") or "") or None
    message = event.get("message")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return None, None
        quick_reply = message.get("quick_reply") or {}
        if isinstance(quick_reply.get("payload"), str):
            return sender, quick_reply["payload"]
        if isinstance(message.get("text"), str):
            return sender, message["text"]
        return None, None
    postback = event.get("postback")
    if isinstance(postback, dict) and isinstance(postback.get("payload"), str):
        return sender, postback["payload"]
    return None, None


class MessengerOutput(OutputChannel):
    """Sends through the Graph API's /me/messages (Send API)."""

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    def __init__(self, page_access_token: str, api_url: str, offered: OfferedOptions):
        self.page_access_token = page_access_token
        self.api_url = api_url.rstrip("/")
        self.offered = offered

    async def _send(self, recipient_id: Text, fields: Dict[str, Any]) -> None:
        body = {"recipient": {"id": recipient_id}, **fields}
        await post_to_provider(
            f"{self.api_url}/me/messages",
            json=body,
            params={"access_token": self.page_access_token},
            what="Messenger message",
        )

    async def send_typing(self, recipient_id: Text) -> None:
        await self._send(recipient_id, {"sender_action": "typing_on"})

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(plain_links(text), MESSENGER_MAX_CHARS):
            await self._send(recipient_id, {"messaging_type": "RESPONSE", "message": {"text": part}})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        options = options_from_buttons(buttons)
        if len(options) > MESSENGER_MAX_QUICK_REPLIES:
            logger.warning(
                "Messenger shows at most %d quick replies; the rest are left out", MESSENGER_MAX_QUICK_REPLIES
            )
            options = options[:MESSENGER_MAX_QUICK_REPLIES]
        self.offered.offer(recipient_id, options)
        parts = split_text(plain_links(text), MESSENGER_MAX_CHARS) or ["…"]
        for part in parts[:-1]:
            await self._send(recipient_id, {"messaging_type": "RESPONSE", "message": {"text": part}})
        quick_replies = [
            {
                "content_type": "text",
                "title": short_title(option.title, MESSENGER_MAX_QUICK_REPLY_TITLE),
                "payload": option.payload,
            }
            for option in options
        ]
        await self._send(
            recipient_id, {"messaging_type": "RESPONSE", "message": {"text": parts[-1], "quick_replies": quick_replies}}
        )

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        attachment = {"type": "image", "payload": {"url": image, "is_reusable": True}}
        await self._send(recipient_id, {"messaging_type": "RESPONSE", "message": {"attachment": attachment}})

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        if isinstance(attachment, str):
            await self.send_text_message(recipient_id, attachment)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        if isinstance(json_message, dict) and isinstance(json_message.get("text"), str):
            await self.send_text_message(recipient_id, json_message["text"])
        else:
            logger.warning("a custom message has no text for Messenger; not sent")


class MessengerChannel(GuardedInput, FacebookInput):
    """Messenger input: 403 for unsigned or forged requests, the public-channel rules for the rest."""

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "MessengerChannel":
        return cls(
            verify_token=setting(credentials, "verify", ""),
            app_secret=setting(credentials, "secret", ""),
            page_access_token=setting(credentials, "page-access-token", ""),
            api_url=setting(credentials, "api_url", GRAPH_API_URL),
            policy=PublicChannelPolicy.from_credentials(credentials, cut_long_messages=True),
        )

    def __init__(
        self,
        verify_token: str,
        app_secret: str,
        page_access_token: str,
        api_url: str = GRAPH_API_URL,
        policy: Optional[PublicChannelPolicy] = None,
    ) -> None:
        super().__init__(verify_token, app_secret, page_access_token)
        self.api_url = api_url
        self.policy = policy or PublicChannelPolicy(cut_long_messages=True)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        missing = missing_settings(
            {
                "MESSENGER_VERIFY_TOKEN": self.fb_verify,
                "MESSENGER_APP_SECRET": self.fb_secret,
                "MESSENGER_PAGE_TOKEN": self.fb_access_token,
            }
        )
        if missing:
            return disabled_blueprint(self.name(), missing)
        fb_webhook = Blueprint("fb_webhook", __name__)
        output = self.get_output_channel()

        @fb_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @fb_webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self.fb_verify.encode()
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("refused a Messenger webhook verification with a wrong verify token")
            return response.text("forbidden", status=403)

        @fb_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not valid_hub_signature(self.fb_secret, request.body, request.headers):
                logger.warning("refused a Messenger webhook request with a missing or wrong app-secret signature")
                return response.text("invalid signature", status=403)
            for event in messaging_events(request.json):
                sender, text = sender_and_text(event)
                if sender is None or text is None:
                    continue
                admission = await self.admit(request, sender, text)
                if not admission.accepted:
                    logger.info("Messenger message not passed on: %s", admission.refused)
                    continue
                await output.send_typing(sender)
                await on_new_message(UserMessage(admission.text, output, sender, input_channel=self.name()))
            return response.text("EVENT_RECEIVED")

        return fb_webhook

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(self.fb_access_token, self.api_url, self.policy.offered)
