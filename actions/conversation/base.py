"""What every action of the conversation shares: the action base class, reading the latest message, and
calling the booking service.

Every action derives from :class:`ConversationAction` and says whether it ``speaks_during_handoff``:
while a person has the conversation (an open handoff ticket) the others only say that a person will
answer. Safety (triage), privacy requests and the handoff itself always speak. Before any of that, a
message naming a red flag gets triage (:mod:`actions.conversation.red_flags`), whatever action the
classifier's reading chose.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from typing import Any, Callable, ClassVar, Mapping

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking.contacts import region_of
from actions.booking.results import ErrorCode, Result, failure
from actions.booking.service import BookingService
from actions.conversation import services
from actions.conversation.red_flags import HANDOFF_SLOT, red_flag_first
from actions.conversation.services import clinic, clinic_today, handoff_desk, off_loop
from actions.conversation.texts import raw, say
from actions.conversation.turn import events_since_user
from actions.intake_answers import Answers, Reply, read_reply

log = logging.getLogger(__name__)

# Actions that never answer the visitor's message themselves (they do not count as a reply to it).
IGNORED_ACTIONS = frozenset({"action_listen", "action_extract_slots", None})


# --- the base class ------------------------------------------------------------------------------------


async def handoff_still_open(tracker: Tracker) -> bool:
    """True while a person has this conversation (staff close the ticket to hand it back)."""
    if not tracker.get_slot(HANDOFF_SLOT):
        return False
    return await off_loop(handoff_desk().is_open, tracker.sender_id)


class ConversationAction(Action, ABC):
    """An action of the conversation. Subclasses implement ``respond`` and set ``speaks_during_handoff``.

    ``speaks_during_handoff = False``: while a handoff ticket is open the visitor is only told that a
    person will answer; once staff close it, the action answers again (and the handoff slot is cleared).
    ``True``: the action always responds (triage, privacy requests, asking for a person).

    ``triage_first`` (default True): a red flag in the latest message gets triage instead of the action's
    own response, in every state (also during a handoff). Actions that handle red flags themselves turn
    it off.
    """

    speaks_during_handoff: ClassVar[bool]
    triage_first: ClassVar[bool] = True

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if self.triage_first:
            triaged = await red_flag_first(dispatcher, tracker)
            if triaged is not None:
                return triaged
        if self.speaks_during_handoff:
            return await self.respond(dispatcher, tracker, domain)
        if await handoff_still_open(tracker):
            dispatcher.utter_message(text=say("handoff", "waiting"))
            return []
        events = await self.respond(dispatcher, tracker, domain)
        if tracker.get_slot(HANDOFF_SLOT):
            events = [SlotSet(HANDOFF_SLOT, False)] + list(events)
        return events

    @abstractmethod
    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        """What the action does."""


class Guarded:
    """Mixin for a ConversationAction: runs ``act``; an unexpected error is logged and the visitor gets a
    calm text, never a trace. Not an Action itself, so the action server never registers it."""

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            return await self.act(dispatcher, tracker, domain)
        except Exception:
            log.exception("%s failed", type(self).__name__)
            dispatcher.utter_message(text=say("booking", "error_unexpected"), buttons=[human_button()])
            return []

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        raise NotImplementedError


# --- buttons and texts -------------------------------------------------------------------------------------


def payload(intent: str, entities: Mapping[str, Any] | None = None) -> str:
    """A button's payload: ``/intent`` or ``/intent{"entity": "value"}``."""
    return f"/{intent}" + (json.dumps(dict(entities)) if entities else "")


def human_button() -> dict[str, str]:
    return {"title": say("booking", "button_human"), "payload": "/request_human"}


def has_text(section: str, key: str) -> bool:
    try:
        raw(section, key)
    except KeyError:
        return False
    return True


def error_text(result: Result, section: str = "booking") -> str:
    """The clinic's words for a failed booking call: ``error_<code>_<reason>`` (the refusal's ``reason`` or
    ``next_step``), else ``error_<code>``, in ``section`` and then in the booking section. The service's own
    message is for staff and logs, never shown to a visitor."""
    code = result.error_code.value if result.error_code is not None else "unexpected"
    reason = result.details.get("reason") or result.details.get("next_step")
    keys = ([f"error_{code}_{reason}"] if isinstance(reason, str) else []) + [f"error_{code}"]
    for key in keys:
        for where in (section, "booking"):
            if has_text(where, key):
                return say(where, key)
    log.warning("no visitor text for booking error %s (reason %s)", code, reason)
    return say("booking", "error_unexpected")


# --- the latest message --------------------------------------------------------------------------------------


def latest(tracker: Tracker) -> tuple[str | None, list[dict], str]:
    """(intent, entities, text) of the latest user message."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    return intent, list(message.get("entities") or []), str(message.get("text") or "")


def entity_value(tracker: Tracker, entity: str) -> str | None:
    for item in latest(tracker)[1]:
        if item.get("entity") == entity and isinstance(item.get("value"), str):
            return item["value"].strip()
    return None


def typed(tracker: Tracker) -> str:
    """The latest message's text, unless it is a button payload."""
    message = latest(tracker)[2].strip()
    return "" if message.startswith("/") else message


def names_a_symptom(tracker: Tracker) -> bool:
    """The entity ruler found a symptom in the latest message: safety advice comes before any answer."""
    return any(item.get("entity") == "symptom" for item in latest(tracker)[1])


def phone_region() -> str:
    """The region a phone number without a country code belongs to: the clinic's own."""
    return region_of(clinic().phone) or "GB"


def reply_to(tracker: Tracker, expected: str) -> Reply:
    """The latest typed message read as the reply to the assistant's question for ``expected``."""
    return read_reply(
        typed(tracker), expected, red_flag=names_a_symptom(tracker), today=clinic_today(), region=phone_region()
    )


def load_answers(tracker: Tracker) -> Answers:
    """The visitor's answers so far (``answers``); a damaged slot never stops the conversation."""
    try:
        return Answers.from_dict(tracker.get_slot("answers"))
    except ValueError:
        return Answers.from_dict(None)


def activating(tracker: Tracker, form: str) -> bool:
    """True while ``form`` is being activated by the latest user message."""
    return any(e.get("event") == "active_loop" and e.get("name") == form for e in events_since_user(tracker))


def answered_now(tracker: Tracker, form: str) -> bool:
    """True when the latest user message is an answer to ``form``: no other action has responded to it
    (after a digression the form runs again on the same message, which must not be read twice)."""
    own = {form, f"validate_{form}"}
    return not any(
        e.get("event") == "action" and e.get("name") not in IGNORED_ACTIONS and e.get("name") not in own
        for e in events_since_user(tracker)
    )


# --- the booking service: always off the event loop, never an exception ------------------------------------


async def booking_call(call: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """``call(services.booking_service(), *args, **kwargs)`` in a worker thread, where ``call`` is a method of
    :class:`BookingService` (``BookingService.hold``). Any unexpected error is logged (never shown) and
    becomes database_unavailable."""
    name = getattr(call, "__name__", repr(call))

    def work() -> Result:
        service: BookingService = services.booking_service()
        return call(service, *args, **kwargs)

    try:
        result = await off_loop(work)
    except Exception:
        log.exception("booking service call %s failed", name)
        return failure(ErrorCode.DATABASE_UNAVAILABLE)
    if not isinstance(result, Result):
        log.error("booking service call %s returned %r", name, type(result))
        return failure(ErrorCode.DATABASE_UNAVAILABLE)
    if not result.ok:
        log.info("booking service call %s refused: %s", name, result.error_code)
    return result
