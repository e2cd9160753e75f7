"""Offering free times and reading the visitor's choice: shared by a new booking
(actions.conversation.booking) and moving one (actions.conversation.appointments).

The search itself is booking logic (actions.booking.search); here it is run off the event loop, shown
as numbered lines and buttons, and the visitor's reply ("2", "the 10am one", "tuesday at 10",
"friday morning", "later") is read against what was offered (``offered_slots``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions.booking.results import ErrorCode, Refusal, failure
from actions.booking.schedule import label as time_label
from actions.booking.search import Course, Offer, OfferPage, SlotSearch, first_start, search_offers
from actions.booking.views import SeriesOffer, parse_series_key, parse_slot_key
from actions.conversation import services
from actions.conversation.base import (
    activating,
    answered_now,
    entity_value,
    error_text,
    human_button,
    latest,
    payload,
    reply_to,
    typed,
)
from actions.conversation.services import clinic, clinic_today, off_loop
from actions.conversation.texts import say
from actions.intake_answers import parse_day_request
from actions.intake_answers.replies import ORDINAL_PICK, ORDINALS, QUESTION, RED_FLAG, TIME

log = logging.getLogger(__name__)

OFFERED_SLOT = "offered_slots"
SEARCH_SLOT = "booking_search"
SLOT_CHOICE_ENTITY = "slot_choice"
COURSE, SINGLE = "course", "single"
OTHER_TIMES_INTENT = "request_other_times"
# Intents whose free text may name a time ("friday morning", "the 10am one"); other intents (a
# question, "talk to a person") are left to the rules, so a digression works in the middle of a form.
# They add evidence only where the words themselves decide nothing (actions.intake_answers.replies): a
# reply that reads as the answer is the answer whatever the classifier made of it, and one that is
# clearly something else (a red flag, a person, "stop", a question) is left to the rules.
CHOICE_INTENTS = frozenset({"inform", OTHER_TIMES_INTENT, "affirm", "ask_booking"})
TEXTS = "booking"


def text(key: str, **extra: Any) -> str:
    return say(TEXTS, key, **extra)


# --- offering ----------------------------------------------------------------------------------------------


def _search_snapshot(
    treatment: str, course: Course | None, search: SlotSearch, today: date, exclude: tuple[str, ...]
) -> OfferPage:
    with services.booking_service().snapshot() as service:
        return search_offers(service, clinic(), treatment, course, search, today, exclude)


async def find_offers(
    treatment: str, course: Course | None, search: SlotSearch, exclude: Iterable[str] = ()
) -> OfferPage:
    try:
        return await off_loop(_search_snapshot, treatment, course, search, clinic_today(), tuple(exclude))
    except Exception:
        log.exception("searching free times failed")
        return OfferPage([], failure(ErrorCode.DATABASE_UNAVAILABLE))


def short_time(instant: datetime) -> str:
    wall = instant.astimezone(clinic().tz)
    return f"{wall:%a} {wall.day} {wall:%b}, {wall:%H:%M}"


def offer_line(offer: Offer) -> str:
    if isinstance(offer, SeriesOffer):
        later = ", ".join(short_time(s.start) for s in offer.sessions[1:])
        return text("course_line", first=offer.sessions[0].label, later=later)
    return offer.label


def offer_buttons(offers: Sequence[Offer]) -> list[dict[str, str]]:
    titles = [short_time(first_start(o)) for o in offers]
    buttons = []
    for number, (offer, title) in enumerate(zip(offers, titles), start=1):
        if titles.count(title) > 1:
            practitioner = offer.sessions[0] if isinstance(offer, SeriesOffer) else offer
            title = f"{title} · {practitioner.practitioner_name}"
        buttons.append({"title": f"{number}. {title}", "payload": payload("inform", {SLOT_CHOICE_ENTITY: offer.key})})
    return buttons


def numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


async def offer_times(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    treatment: str,
    course: Course | None,
    intro: str,
    *,
    plan_button: dict[str, str] | None = None,
    exclude: Iterable[str] = (),
) -> list[EventType]:
    """Say the next free times as numbered lines and buttons; remember them in ``offered_slots``."""
    search = SlotSearch.from_slot(tracker.get_slot(SEARCH_SLOT))
    page = await find_offers(treatment, course, search, exclude)
    extra = [plan_button] if plan_button else []
    if page.error is not None:
        dispatcher.utter_message(
            text=error_text(page.error),
            buttons=[{"title": text("button_try_again"), "payload": payload(OTHER_TIMES_INTENT)}, human_button()],
        )
        return [SlotSet(OFFERED_SLOT, [])]
    if not page.offers:
        horizon = clinic().booking.horizon_days
        name = clinic().treatments[treatment].name if treatment in clinic().treatments else treatment
        dispatcher.utter_message(
            text=text("no_slots", treatment=name, horizon_days=horizon), buttons=extra + [human_button()]
        )
        return [SlotSet(OFFERED_SLOT, []), SlotSet(SEARCH_SLOT, replace(search, after=None).to_slot())]
    notes = []
    if page.nothing_then:
        notes.append(text("nothing_then"))
    if page.wrapped:
        notes.append(text("no_later"))
    message = "\n".join(notes + [intro, numbered(offer_line(o) for o in page.offers), text("pick_hint")])
    later = {"title": text("button_later"), "payload": payload(OTHER_TIMES_INTENT)}
    dispatcher.utter_message(text=message, buttons=offer_buttons(page.offers) + [later] + extra)
    shown = replace(search, after=None if page.wrapped else search.after, shown_until=first_start(page.offers[-1]))
    return [SlotSet(OFFERED_SLOT, [o.key for o in page.offers]), SlotSet(SEARCH_SLOT, shown.to_slot())]


# --- reading the choice ----------------------------------------------------------------------------------------


def _start_times(key: str) -> list[datetime]:
    try:
        keys = parse_series_key(key)[1] if "/" in key else [key]
        return [parse_slot_key(k)[2] for k in keys]
    except Refusal:
        return []


def pick_offered(message: str, offered: Sequence[str], today: date) -> str | None:
    """The offered key the visitor's words point at: "2", "the second one", "the 10am one", "tuesday at 10"."""
    words = " ".join(re.sub(r"[!?.,]+", " ", message.lower()).split())
    ordinal = ORDINAL_PICK.match(words)
    if ordinal:
        index = ORDINALS[ordinal["which"]]
        return offered[index] if -len(offered) <= index < len(offered) else None
    request = parse_day_request(message, today)
    if request.time is None:
        return None
    tz = clinic().tz
    matches = []
    for key in offered:
        starts = _start_times(key)
        if not starts:
            continue
        wall = starts[0].astimezone(tz)
        if (wall.hour, wall.minute) != (request.time.hour, request.time.minute):
            continue
        if request.day is not None and wall.date() != request.day:
            continue
        if request.weekday is not None and wall.weekday() != request.weekday:
            continue
        matches.append(key)
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True)
class Choice:
    """What the visitor's answer to a time offer means."""

    kind: str  # "key", "plan", "search", "not_offered", "unclear"
    key: str | None = None
    plan: str | None = None
    search: SlotSearch | None = None


_EARLIER = re.compile(r"\b(?:earlier|sooner|first\s+available)\b", re.IGNORECASE)


def interpret_choice(value: Any, tracker: Tracker, *, plans: bool = False) -> Choice:
    """Read a candidate for a time slot: an offered key, a pick by number or time, a plan switch
    (course / single), or a new search (a day in words, "later", "earlier")."""
    offered = [k for k in tracker.get_slot(OFFERED_SLOT) or [] if isinstance(k, str)]
    candidate = value.strip() if isinstance(value, str) else ""
    if candidate and candidate in offered:
        return Choice("key", key=candidate)
    if plans and candidate in (COURSE, SINGLE):
        return Choice("plan", plan=candidate)
    if "|" in candidate or entity_value(tracker, SLOT_CHOICE_ENTITY):
        return Choice("not_offered")  # a key typed or injected by hand, or from an older offer
    message = typed(tracker)
    today = clinic_today()
    picked = pick_offered(message, offered, today) if message else None
    if picked:
        return Choice("key", key=picked)
    search = SlotSearch.from_slot(tracker.get_slot(SEARCH_SLOT))
    request = parse_day_request(message, today) if message else None
    intent = latest(tracker)[0]
    if request is not None and not replace(request, later=False).is_empty():
        fresh = SlotSearch.from_request(request)
        return Choice("search", search=replace(fresh, after=search.shown_until) if request.later else fresh)
    if message and _EARLIER.search(message):
        return Choice("search", search=replace(search, after=None))
    if (request is not None and request.later) or intent == OTHER_TIMES_INTENT:
        return Choice("search", search=replace(search, after=search.shown_until))
    return Choice("unclear")


def choice_candidate(tracker: Tracker, form: str, slot: str) -> dict[str, Any]:
    """The extraction of a time slot: an offer button (any step of the form, to change the time), or
    while the slot is asked, free text that names a time, a day or "later"."""
    if activating(tracker, form) or not answered_now(tracker, form):
        return {}
    chosen = entity_value(tracker, SLOT_CHOICE_ENTITY)
    if chosen:
        return {slot: chosen}
    if tracker.get_slot(REQUESTED_SLOT) != slot:
        return {}
    intent, message = latest(tracker)[0], typed(tracker)
    if not message:  # a button: the classifier's intent is the payload's
        return {slot: intent} if intent in CHOICE_INTENTS else {}
    reply = reply_to(tracker, TIME)
    if reply.other == RED_FLAG:
        return {}
    offered = [k for k in tracker.get_slot(OFFERED_SLOT) or [] if isinstance(k, str)]
    if reply.answer is not None or pick_offered(message, offered, clinic_today()):
        return {slot: message}
    if reply.other in (None, QUESTION) and intent in CHOICE_INTENTS:  # "any other times?"
        return {slot: message}
    return {}


# --- describing a chosen time ----------------------------------------------------------------------------------


def practitioner_name(code: str) -> str:
    return next((p.name for p in clinic().practitioners if p.id == code), code)


def session_labels(key: str) -> list[str]:
    """'Tuesday 3 March, 09:00 with Dr Amara Okafor' for each session of an offered key."""
    try:
        keys = parse_series_key(key)[1] if "/" in key else [key]
        parsed = [parse_slot_key(k) for k in keys]
    except Refusal:
        return []
    return [appointment_when(start, practitioner_name(practitioner)) for _, practitioner, start in parsed]


def appointment_when(start: datetime, practitioner: str) -> str:
    """'Tuesday 3 March, 09:00 with Dr Amara Okafor' in the clinic's timezone."""
    return text("appointment_when", time=time_label(start, clinic().tz), practitioner=practitioner)


def when_text(labels: Sequence[str], indent: str = "") -> str:
    return labels[0] if len(labels) == 1 else "\n" + "\n".join(f"{indent}- {label}" for label in labels)
