"""Telegram, with the webhook's secret token checked and buttons as inline (or reply) keyboards.

credentials.yml:

    rasa_server.channels.telegram.TelegramChannel:
      access_token: ${TELEGRAM_TOKEN}          # from @BotFather
      secret_token: ${TELEGRAM_SECRET_TOKEN}   # the secret_token given to setWebhook (1-256 of A-Z a-z 0-9 _ -)
      api_url: ${TELEGRAM_API_URL}             # empty = https://api.telegram.org (tests use a stand-in)
      button_type: inline                      # or "reply" (a keyboard that sends the button's title)
      start_payload: /greet                    # what Telegram's "/start" command becomes

Webhook: POST /webhooks/telegram/webhook. Only private chats are answered: in a group, other members
would read a visitor's conversation. Rasa's own Telegram channel calls Telegram at start-up and on every
message; this one calls it only to reply.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_server.channels.base import GuardedInput, disabled_blueprint, missing_settings, post_to_provider
from rasa_server.channels.guard import OfferedOptions, Option, option_number, options_from_buttons
from rasa_server.channels.policy import PublicChannelPolicy, setting
from rasa_server.channels.render import TELEGRAM_MAX_CHARS, plain_links, split_text

logger = logging.getLogger(__name__)

TELEGRAM_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
START_COMMAND = re.compile(r"^/start(?:@\w+)?(?:\s|$)")
CALLBACK_DATA_MAX_BYTES = 64
BUTTON_TYPES = ("inline", "reply")


def callback_data(option: Option, number: int) -> str:
    """The payload itself when Telegram can carry it (64 bytes), else the option's number ("#3")."""
    return option.payload if len(option.payload.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES else f"#{number}"


def keyboard(options: List[Option], first_number: int, button_type: str) -> Dict[str, Any]:
    if button_type == "reply":
        return {
            "keyboard": [[{"text": option.title}] for option in options],
            "one_time_keyboard": True,
            "resize_keyboard": True,
        }
    return {
        "inline_keyboard": [
            [{"text": option.title, "callback_data": callback_data(option, number)}]
            for number, option in enumerate(options, start=first_number)
        ]
    }


class TelegramTextOutput(OutputChannel):
    """Sends through the Bot API (sendMessage, sendPhoto) in parts of at most 4096 characters."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, access_token: str, api_url: str, offered: OfferedOptions, button_type: str = "inline"):
        self.access_token = access_token
        self.api_url = api_url.rstrip("/")
        self.offered = offered
        self.button_type = button_type

    def method_url(self, method: str) -> str:
        return f"{self.api_url}/bot{self.access_token}/{method}"

    async def call(self, method: str, fields: Dict[str, Any]) -> None:
        await post_to_provider(self.method_url(method), json=fields, what=f"Telegram {method}")

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in split_text(plain_links(text), TELEGRAM_MAX_CHARS):
            await self.call("sendMessage", {"chat_id": recipient_id, "text": part})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        options = options_from_buttons(buttons)
        first_number = self.offered.offer(recipient_id, options)
        parts = split_text(plain_links(text), TELEGRAM_MAX_CHARS) or ["…"]
        for part in parts[:-1]:
            await self.call("sendMessage", {"chat_id": recipient_id, "text": part})
        markup = keyboard(options, first_number, self.button_type)
        await self.call("sendMessage", {"chat_id": recipient_id, "text": parts[-1], "reply_markup": markup})

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self.call("sendPhoto", {"chat_id": recipient_id, "photo": image})

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        if isinstance(attachment, str):
            await self.send_text_message(recipient_id, attachment)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        if isinstance(json_message, dict) and isinstance(json_message.get("text"), str):
            await self.send_text_message(recipient_id, json_message["text"])
        else:
            logger.warning("a custom message has no text for Telegram; not sent")


class TelegramChannel(GuardedInput, TelegramInput):
    """Telegram input that refuses requests without the webhook's secret token (403)."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramChannel":
        button_type = setting(credentials, "button_type", "inline")
        if button_type not in BUTTON_TYPES:
            raise ValueError(f"credentials.yml: telegram button_type must be one of {BUTTON_TYPES}")
        return cls(
            access_token=setting(credentials, "access_token", ""),
            secret_token=setting(credentials, "secret_token", ""),
            api_url=setting(credentials, "api_url", TELEGRAM_API_URL),
            button_type=button_type,
            start_payload=setting(credentials, "start_payload", "/greet"),
            policy=PublicChannelPolicy.from_credentials(credentials, cut_long_messages=True),
        )

    def __init__(
        self,
        access_token: str,
        secret_token: str,
        api_url: str = TELEGRAM_API_URL,
        button_type: str = "inline",
        start_payload: str = "/greet",
        policy: Optional[PublicChannelPolicy] = None,
    ) -> None:
        super().__init__(access_token, None, None, debug_mode=False)
        self.secret_token = secret_token
        self.api_url = api_url
        self.button_type = button_type
        self.start_payload = start_payload
        self.policy = policy or PublicChannelPolicy(cut_long_messages=True)

    def is_genuine(self, request: Request) -> bool:
        sent = request.headers.get(SECRET_HEADER, "")
        return bool(self.secret_token) and hmac.compare_digest(sent.encode(), self.secret_token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        missing = missing_settings({"TELEGRAM_TOKEN": self.access_token, "TELEGRAM_SECRET_TOKEN": self.secret_token})
        if missing:
            return disabled_blueprint(self.name(), missing)
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        output = self.get_output_channel()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.is_genuine(request):
                logger.warning("refused a Telegram webhook request without the right secret token")
                return response.text("forbidden", status=403)
            update = request.json if isinstance(request.json, dict) else {}
            chat_id, text, callback_id = self.read_update(update)
            if callback_id:
                await output.call("answerCallbackQuery", {"callback_query_id": callback_id})
            if chat_id is None or text is None:
                return response.text("ok")
            extra_allowed: tuple[str, ...] = ()
            if START_COMMAND.match(text.strip()) and self.start_payload:
                text, extra_allowed = self.start_payload, (self.start_payload,)
            elif callback_id and text.startswith("#"):
                text = await self.payload_of_numbered_option(request, chat_id, text)
            admission = await self.admit(request, chat_id, text, extra_allowed)
            if admission.accepted:
                await on_new_message(UserMessage(admission.text, output, chat_id, input_channel=self.name()))
            else:
                logger.info("Telegram message not passed on: %s", admission.refused)
            return response.text("ok")

        return telegram_webhook

    async def payload_of_numbered_option(self, request: Request, chat_id: str, data: str) -> str:
        """The payload behind "#3" (a button whose payload was too long for Telegram), else the data."""
        await self.recall_offered_options(request, chat_id)
        options = self.policy.offered.options(chat_id) or []
        number = option_number(data)
        if number is not None and 1 <= number <= len(options):
            return options[number - 1].payload
        return data

    @staticmethod
    def read_update(update: Dict[str, Any]) -> tuple[Optional[str], Optional[str], Optional[str]]:
        """(chat id, text or button data, callback query id) of an update from a private chat."""
        callback = update.get("callback_query")
        if isinstance(callback, dict):
            chat = ((callback.get("message") or {}).get("chat")) or {}
            data = callback.get("data")
            callback_id = str(callback.get("id") or "") or None
            if chat.get("type") != "private" or not isinstance(data, str):
                return None, None, callback_id
            return str(chat.get("id")), data, callback_id
        message = update.get("message")
        if isinstance(message, dict):
            chat = message.get("chat") or {}
            text = message.get("text")
            if chat.get("type") == "private" and isinstance(text, str) and "id" in chat:
                return str(chat["id"]), text, None
        return None, None, None

    def get_output_channel(self) -> TelegramTextOutput:
        return TelegramTextOutput(self.access_token, self.api_url, self.policy.offered, self.button_type)
