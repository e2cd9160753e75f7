"""The admission policy of a public channel: rate limit, length cap, payload whitelist.

Settings come from the channel's entry in credentials.yml (all optional):

    max_message_chars: 1000        # longer messages are refused (web) or cut (messaging apps)
    rate_limit_per_minute: 20      # per sender; further messages in the same minute are dropped
    always_allowed_payloads:       # payloads accepted even when not offered, with the title shown
      /request_human: Talk to a person
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Collection, Mapping, Optional

from rasa_server.channels.guard import Clock, OfferedOptions, RateLimiter, resolve_reply

DEFAULT_MAX_MESSAGE_CHARS = 1000
DEFAULT_RATE_LIMIT_PER_MINUTE = 20
DEFAULT_ALWAYS_ALLOWED = {"/request_human": "Talk to a person"}

RATE_LIMITED = "rate_limited"
TOO_LONG = "too_long"
EMPTY = "empty"


@dataclass(frozen=True)
class Admission:
    """What to pass on to Rasa, or why nothing is passed on."""

    text: str = ""
    refused: Optional[str] = None

    @property
    def accepted(self) -> bool:
        return self.refused is None


def setting(credentials: Optional[Mapping[str, Any]], key: str, default: Any = None) -> Any:
    """A value from credentials.yml; unset, empty or blank (an unset ${VAR}) gives the default."""
    value = (credentials or {}).get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    return value.strip() if isinstance(value, str) else value


def int_setting(credentials: Optional[Mapping[str, Any]], key: str, default: int) -> int:
    value = setting(credentials, key, default)
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"credentials.yml: '{key}' must be a whole number, not {value!r}") from error


class PublicChannelPolicy:
    def __init__(
        self,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        rate_limit_per_minute: int = DEFAULT_RATE_LIMIT_PER_MINUTE,
        always_allowed_payloads: Optional[Mapping[str, str]] = None,
        numbered_options: bool = False,
        cut_long_messages: bool = False,
        clock: Clock = time.monotonic,
    ) -> None:
        self.max_message_chars = max_message_chars
        self.rate_limiter = RateLimiter(rate_limit_per_minute, 60.0, clock=clock)
        self.always_allowed_payloads = dict(
            DEFAULT_ALWAYS_ALLOWED if always_allowed_payloads is None else always_allowed_payloads
        )
        self.numbered_options = numbered_options
        self.cut_long_messages = cut_long_messages
        self.offered = OfferedOptions(clock=clock)

    @classmethod
    def from_credentials(
        cls, credentials: Optional[Mapping[str, Any]], numbered_options: bool = False, cut_long_messages: bool = False
    ) -> "PublicChannelPolicy":
        allowed = setting(credentials, "always_allowed_payloads", DEFAULT_ALWAYS_ALLOWED)
        if not isinstance(allowed, Mapping):
            raise ValueError("credentials.yml: 'always_allowed_payloads' maps each payload to its button title")
        return cls(
            max_message_chars=int_setting(credentials, "max_message_chars", DEFAULT_MAX_MESSAGE_CHARS),
            rate_limit_per_minute=int_setting(credentials, "rate_limit_per_minute", DEFAULT_RATE_LIMIT_PER_MINUTE),
            always_allowed_payloads={str(k).strip(): str(v) for k, v in allowed.items()},
            numbered_options=numbered_options,
            cut_long_messages=cut_long_messages,
        )

    def admit(self, sender_id: str, text: Optional[str], extra_allowed: Collection[str] = ()) -> Admission:
        """Decides what a sender's message becomes; starts a new turn when it is passed on.

        ``extra_allowed`` are payloads the channel itself put in place of the text (e.g. Telegram's
        "/start" command becomes the start payload).

        The caller makes sure ``self.offered`` knows the sender's latest turn first (see
        rasa_server.channels.base.GuardedInput.admit), so that buttons survive a restart.
        """
        text = (text or "").strip()
        if not self.rate_limiter.allow(sender_id):
            return Admission(refused=RATE_LIMITED)
        if len(text) > self.max_message_chars:
            if not self.cut_long_messages:
                return Admission(refused=TOO_LONG)
            text = text[: self.max_message_chars]
        resolved = resolve_reply(
            text,
            self.offered.options(sender_id) or [],
            always_allowed=set(self.always_allowed_payloads) | set(extra_allowed),
            numbered=self.numbered_options,
        )
        if not resolved:
            return Admission(refused=EMPTY)
        self.offered.start_turn(sender_id)
        return Admission(text=resolved)
