"""SMS and WhatsApp through Twilio, with request signatures checked and buttons as numbered options.

credentials.yml:

    rasa_server.channels.twilio.TwilioChannel:
      account_sid: ${TWILIO_ACCOUNT_SID}
      auth_token: ${TWILIO_AUTH_TOKEN}
      webhook_url: ${TWILIO_WEBHOOK_URL}   # the public URL set in Twilio's console (signatures cover it)
      api_url: ${TWILIO_API_URL}           # empty = https://api.twilio.com (tests use a stand-in)

Webhook: POST /webhooks/twilio/webhook (the same one for SMS numbers and the WhatsApp sender). Replies
go out through the REST Messages API from the number the visitor wrote to, so one configuration serves
SMS and WhatsApp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Text
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channels.base import GuardedInput, disabled_blueprint, missing_settings, post_to_provider
from rasa_server.channels.guard import OfferedOptions, options_from_buttons
from rasa_server.channels.policy import PublicChannelPolicy, setting
from rasa_server.channels.render import TWILIO_MAX_CHARS, numbered_options, plain_links, split_text

logger = logging.getLogger(__name__)

TWILIO_API_URL = "https://api.twilio.com"
WHATSAPP_PREFIX = "whatsapp:"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
DEFAULT_PORTS = {"https": 443, "http": 80}


def twilio_signature(auth_token: str, url: str, params: Mapping[str, Sequence[str]]) -> str:
    """Twilio's X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each name+value, by name))."""
    signed = url
    for name in sorted(params):
        for value in sorted(set(params[name])):
            signed += name + value
    digest = hmac.new(auth_token.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def url_variants(url: str) -> list[str]:
    """The URL as given, without its port and with its (default) port: Twilio signs either form."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = f"{userinfo}@" if userinfo else ""
    port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    without_port = urlunsplit(parts._replace(netloc=f"{prefix}{host}"))
    with_port = urlunsplit(parts._replace(netloc=f"{prefix}{host}:{port}")) if port else url
    return list(dict.fromkeys([url, without_port, with_port]))


def valid_twilio_signature(auth_token: str, url: str, params: Mapping[str, Sequence[str]], signature: str) -> bool:
    if not auth_token or not signature:
        return False
    return any(
        hmac.compare_digest(twilio_signature(auth_token, variant, params), signature) for variant in url_variants(url)
    )


class TwilioTextOutput(OutputChannel):
    """Sends through Twilio's REST Messages API: numbered options instead of buttons, 1600-char parts."""

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    def __init__(self, account_sid: str, auth_token: str, from_number: str, api_url: str, offered: OfferedOptions):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.api_url = api_url.rstrip("/")
        self.offered = offered

    @property
    def messages_url(self) -> str:
        return f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"

    async def _create_message(self, recipient_id: Text, **fields: str) -> None:
        form = {"To": recipient_id, "From": self.from_number, **fields}
        await post_to_provider(
            self.messages_url,
            form=form,
            auth=aiohttp.BasicAuth(self.account_sid, self.auth_token),
            what="Twilio message",
        )

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(plain_links(text), TWILIO_MAX_CHARS):
            await self._create_message(recipient_id, Body=part)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        options = options_from_buttons(buttons)
        first_number = self.offered.offer(recipient_id, options)
        await self.send_text_message(recipient_id, numbered_options(text, [o.title for o in options], first_number))

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        if recipient_id.startswith(WHATSAPP_PREFIX):
            await self._create_message(recipient_id, MediaUrl=image)
        else:  # picture messages (MMS) only exist in a few countries: send the link
            await self.send_text_message(recipient_id, image)

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        if isinstance(attachment, str):
            await self.send_text_message(recipient_id, attachment)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        if isinstance(json_message, dict) and isinstance(json_message.get("text"), str):
            await self.send_text_message(recipient_id, json_message["text"])
        else:
            logger.warning("a custom message has no text for SMS/WhatsApp; not sent")


class TwilioChannel(GuardedInput, TwilioInput):
    """Twilio input that refuses unsigned or forged requests (403) and applies the public-channel rules."""

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioChannel":
        return cls(
            account_sid=setting(credentials, "account_sid", ""),
            auth_token=setting(credentials, "auth_token", ""),
            webhook_url=setting(credentials, "webhook_url", ""),
            api_url=setting(credentials, "api_url", TWILIO_API_URL),
            policy=PublicChannelPolicy.from_credentials(credentials, numbered_options=True, cut_long_messages=True),
        )

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        webhook_url: str = "",
        api_url: str = TWILIO_API_URL,
        policy: Optional[PublicChannelPolicy] = None,
    ) -> None:
        super().__init__(account_sid, auth_token, None, debug_mode=False)
        self.webhook_url = webhook_url
        self.api_url = api_url
        self.policy = policy or PublicChannelPolicy(numbered_options=True, cut_long_messages=True)

    def signed_url(self, request: Request) -> str:
        return self.webhook_url or request.url

    def is_genuine(self, request: Request) -> bool:
        params = {name: list(values) for name, values in (request.form or {}).items()}
        signature = request.headers.get("X-Twilio-Signature", "")
        if not valid_twilio_signature(self.auth_token, self.signed_url(request), params, signature):
            logger.warning(
                "refused a Twilio webhook request with a missing or wrong signature (signed URL: %s; "
                "set TWILIO_WEBHOOK_URL to the exact URL configured in Twilio)",
                self.signed_url(request),
            )
            return False
        if not hmac.compare_digest(request.form.get("AccountSid", ""), self.account_sid):
            logger.warning("refused a signed Twilio request for another account")
            return False
        return True

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        missing = missing_settings({"TWILIO_ACCOUNT_SID": self.account_sid, "TWILIO_AUTH_TOKEN": self.auth_token})
        if missing:
            return disabled_blueprint(self.name(), missing)
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.is_genuine(request):
                return response.text("invalid signature", status=403)
            sender = request.form.get("From", "")
            clinic_number = request.form.get("To", "")
            admission = await self.admit(request, sender, request.form.get("Body", ""))
            if sender and clinic_number and admission.accepted:
                output = self.get_output_channel(clinic_number)
                await on_new_message(UserMessage(admission.text, output, sender, input_channel=self.name()))
            elif not admission.accepted:
                logger.info("Twilio message not passed on: %s", admission.refused)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return twilio_webhook

    def get_output_channel(self, from_number: Optional[str] = None) -> OutputChannel:
        return TwilioTextOutput(self.account_sid, self.auth_token, from_number or "", self.api_url, self.policy.offered)
