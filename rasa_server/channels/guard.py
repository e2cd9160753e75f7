"""What a visitor's message may do on a public channel: the rules every channel applies.

Rasa reads any message of the form ``/intent{"entity": "value"}`` as that intent with those
entities and skips NLU (``YAMLStoryReader.unpack_regex_message``, run on every message by
``RegexMessageHandler`` in rasa/nlu/classifiers/regex_message_handler.py; it strips the text and
matches ``^/(?P<intent>[^{@]+)(@confidence)?({entities})?``). On a public channel that lets anyone
trigger any intent with any entity values. So on our channels:

- a payload (text starting with ``/``) is passed on only if it is exactly one the assistant offered
  this sender as a button in its latest turn, or one of the few always-allowed ones
  ("/request_human" behind the widget's "talk to a person");
- any other text starting with ``/`` loses its leading slashes and goes to NLU as text;
- on numbered-option channels (SMS, WhatsApp) "2" or an option's words pick that option.

Nothing here imports Rasa: the rules are plain functions and small in-memory stores.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any, Callable, Collection, Deque, Generic, Iterable, Mapping, Optional, Sequence, TypeVar

INTENT_PREFIX = "/"
# "2", "2.", "2)", "#2", "option 2", "no. 2": a number picks an option when options are numbered.
OPTION_NUMBER = re.compile(r"^(?:#|option\s*|no\.?\s*|number\s*)?(\d{1,2})\s*[.)]?$", re.IGNORECASE)

Clock = Callable[[], float]
V = TypeVar("V")


@dataclass(frozen=True)
class Option:
    """One button: what the visitor sees and what it sends."""

    title: str
    payload: str


def options_from_buttons(buttons: Iterable[Mapping[str, Any]]) -> list[Option]:
    """Rasa's button dicts (title, payload) as options; buttons without a payload are skipped."""
    options = []
    for button in buttons or ():
        payload = button.get("payload")
        if isinstance(payload, str) and payload.strip():
            payload = payload.strip()
            options.append(Option(title=str(button.get("title") or payload).strip(), payload=payload))
    return options


def as_plain_text(text: str) -> str:
    """The text without leading slashes (and the spaces between them): Rasa reads it as words."""
    stripped = text.strip()
    while stripped.startswith(INTENT_PREFIX):
        stripped = stripped[len(INTENT_PREFIX) :].lstrip()
    return stripped


def normalised_words(text: str) -> str:
    """Lower case, accents, punctuation and emoji dropped, single spaces: for matching titles."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def option_number(text: str) -> Optional[int]:
    match = OPTION_NUMBER.match(text.strip())
    return int(match.group(1)) if match else None


def option_by_title(text: str, options: Sequence[Option]) -> Optional[Option]:
    words = normalised_words(text)
    if not words:
        return None
    for option in options:
        if normalised_words(option.title) == words:
            return option
    return None


def resolve_reply(
    text: str,
    offered: Sequence[Option],
    always_allowed: Collection[str] = (),
    numbered: bool = False,
) -> str:
    """What Rasa should receive for a visitor's reply.

    ``offered`` are the buttons of the assistant's latest turn to this sender, in the order (and so
    with the numbers) they were shown. The result is an offered or always-allowed payload, or text
    that cannot be read as ``/intent{...}``; it is empty when nothing but slashes was sent.
    """
    stripped = text.strip()
    if stripped.startswith(INTENT_PREFIX) and (
        stripped in always_allowed or any(stripped == option.payload for option in offered)
    ):
        return stripped
    if numbered:
        number = option_number(stripped)
        if number is not None and 1 <= number <= len(offered):
            return offered[number - 1].payload
    chosen = option_by_title(stripped, offered)
    if chosen is not None:
        return chosen.payload if chosen.payload.startswith(INTENT_PREFIX) else as_plain_text(chosen.payload)
    return as_plain_text(stripped)


class BoundedStore(Generic[V]):
    """A dict keyed by sender that forgets the least recently used senders and old entries."""

    def __init__(self, max_keys: int, ttl_seconds: float, clock: Clock = time.monotonic) -> None:
        self.max_keys = max_keys
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self._entries: "OrderedDict[str, tuple[float, V]]" = OrderedDict()

    def get(self, key: str) -> Optional[V]:
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, value = entry
        if self.clock() - stored_at > self.ttl_seconds:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self._entries[key] = (self.clock(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_keys:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class OfferedOptions:
    """The buttons the assistant offered each sender in its latest turn.

    The input channel calls ``start_turn`` when it passes a visitor's message on; the output channel
    calls ``offer`` for every message with buttons in the reply. ``options`` is None for a sender this
    process has not seen (e.g. after a restart): the channel then reads the latest turn from the tracker.
    """

    def __init__(self, max_senders: int = 20000, ttl_seconds: float = 24 * 3600, clock: Clock = time.monotonic):
        self._store: BoundedStore[list[Option]] = BoundedStore(max_senders, ttl_seconds, clock)

    def start_turn(self, sender_id: str) -> None:
        self._store.put(sender_id, [])

    def offer(self, sender_id: str, options: Sequence[Option]) -> int:
        """Adds options to the sender's current turn; returns the number the first one is shown with."""
        current = list(self._store.get(sender_id) or [])
        first_number = len(current) + 1
        self._store.put(sender_id, current + list(options))
        return first_number

    def options(self, sender_id: str) -> Optional[list[Option]]:
        current = self._store.get(sender_id)
        return list(current) if current is not None else None


class RateLimiter:
    """At most ``limit`` events per key in any ``window_seconds`` (sliding window); limit 0 = no limit."""

    def __init__(self, limit: int, window_seconds: float = 60.0, max_keys: int = 50000, clock: Clock = time.monotonic):
        self.limit = limit
        self.window_seconds = window_seconds
        self.clock = clock
        self._events: BoundedStore[Deque[float]] = BoundedStore(max_keys, window_seconds, clock)

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        now = self.clock()
        events = self._events.get(key)
        if events is None:
            events = deque()
        while events and now - events[0] >= self.window_seconds:
            events.popleft()
        if len(events) >= self.limit:
            self._events.put(key, events)
            return False
        events.append(now)
        self._events.put(key, events)
        return True
