"""Booking in the conversation (issue 5, step 6): free times, hold, contact details, summary, confirm.

``booking_form`` asks for four slots, each extracted and validated by :class:`ValidateBookingForm`
(every slot is custom-mapped, so a value typed as ``/inform{...}`` goes through the same checks):

* ``booking_slot``: the offered time (or course of sessions) the visitor picked. Only keys the
  assistant offered in this conversation (``offered_slots``) are accepted; the choice is held at once
  (``hold_reference``). A day in words ("next tuesday afternoon", "after the 10th") or "later" changes
  the search (``booking_search``) and the times are offered again.
* ``contact_name``, ``contact_detail``: a name, and a phone number or e-mail address.
* ``booking_confirm``: yes confirms the hold (``booking_reference``); no lets the time go and asks
  for another.

What is booked comes from the journey's slots (helper-notes/journey.md): ``booking_treatment``,
``decision`` and ``answers`` (kept with the booking only when ``health_consent`` is true). A course of
sessions is offered when the decision's recommendation for the treatment has several.

Every database call runs through ``off_loop``; every failure becomes a visitor text from
actions/content/journey.yml (section ``booking``) or the booking service's own visitor message.
The slot-choice helpers here are shared with actions/conversation/appointments.py (rescheduling).
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Mapping, Sequence, Union

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions.booking.contacts import ContactDetails, region_of
from actions.booking.gate import CONSULTATION, ConsultationInput, check_allowed
from actions.booking.models import PENDING_CLINICAL_REVIEW
from actions.booking.results import ErrorCode, Refusal, Result, failure
from actions.booking.schedule import label as time_label
from actions.booking.views import BookingView, SeriesOffer, SlotOffer, parse_series_key, parse_slot_key
from actions.conversation.handoff import ConversationAction
from actions.conversation.services import booking_service, clinic, clinic_today, off_loop
from actions.conversation.texts import raw, say
from actions.intake_answers import Answers, Reply, name_answer, parse_day_request, parse_email, parse_phone, read_reply
from actions.intake_answers.replies import CONTACT, NAME, ORDINAL_PICK, ORDINALS, QUESTION, RED_FLAG, TIME

log = logging.getLogger(__name__)

FORM = "booking_form"
BOOKING_SLOT = "booking_slot"
NAME_SLOT = "contact_name"
CONTACT_SLOT = "contact_detail"
CONFIRM_SLOT = "booking_confirm"
FORM_SLOTS = (BOOKING_SLOT, NAME_SLOT, CONTACT_SLOT, CONFIRM_SLOT)
OFFERED_SLOT = "offered_slots"
SEARCH_SLOT = "booking_search"
PLAN_SLOT = "booking_plan"
HOLD_SLOT = "hold_reference"
REFERENCE_SLOT = "booking_reference"
# A fresh booking starts without anything left over from an earlier, abandoned one.
FRESH_START_SLOTS = FORM_SLOTS + (OFFERED_SLOT, SEARCH_SLOT, PLAN_SLOT, HOLD_SLOT)

SLOT_CHOICE_ENTITY = "slot_choice"
COURSE, SINGLE = "course", "single"
OTHER_TIMES_INTENT = "request_other_times"
# Intents whose free text may name a time ("friday morning", "the 10am one"); other intents (a
# question, "talk to a person") are left to the rules, so a digression works in the middle of a form.
# They add evidence only where the words themselves decide nothing (actions.intake_answers.replies): a
# reply that reads as the answer is the answer whatever the classifier made of it, and one that is
# clearly something else (a red flag, a person, "stop", a question) is left to the rules.
CHOICE_INTENTS = frozenset({"inform", OTHER_TIMES_INTENT, "affirm", "ask_booking"})
SINGLE_OFFERS = 4
COURSE_OFFERS = 3
PER_DAY = 2
DAY_FETCH_LIMIT = 100
MAX_COURSE_SESSIONS = 12
MAX_INTERVAL_WEEKS = 26
IGNORED_ACTIONS = frozenset({"action_listen", "action_extract_slots", None})
TEXTS = "booking"

Offer = Union[SlotOffer, SeriesOffer]


# --- texts and tracker helpers ------------------------------------------------------------------------

def text(key: str, **extra: Any) -> str:
    return say(TEXTS, key, **extra)


def has_text(section: str, key: str) -> bool:
    try:
        raw(section, key)
    except KeyError:
        return False
    return True


def error_text(result: Result, section: str = TEXTS) -> str:
    """The clinic's own words for a failed booking call (``error_<code>``), else the service's message."""
    code = result.error_code.value if result.error_code is not None else "unexpected"
    if has_text(section, f"error_{code}"):
        return say(section, f"error_{code}")
    if has_text(TEXTS, f"error_{code}"):
        return text(f"error_{code}")
    return result.message or text("error_unexpected")


def human_button() -> dict[str, str]:
    return {"title": text("button_human"), "payload": "/request_human"}


def payload(intent: str, entities: Mapping[str, Any] | None = None) -> str:
    return f"/{intent}" + (json.dumps(dict(entities)) if entities else "")


def latest(tracker: Tracker) -> tuple[str | None, list[dict], str]:
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    return intent, list(message.get("entities") or []), str(message.get("text") or "")


def entity_value(tracker: Tracker, entity: str) -> str | None:
    for item in latest(tracker)[1]:
        if item.get("entity") == entity and isinstance(item.get("value"), str):
            return item["value"].strip()
    return None


def _events_since_user(tracker: Tracker) -> list[dict]:
    found: list[dict] = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            break
        found.append(event)
    return found[::-1]


def activating(tracker: Tracker, form: str) -> bool:
    """True while ``form`` is being activated by the latest user message."""
    return any(e.get("event") == "active_loop" and e.get("name") == form for e in _events_since_user(tracker))


def answered_now(tracker: Tracker, form: str) -> bool:
    """True when the latest user message is an answer to ``form``: no other action has responded to it
    (after a digression the form runs again on the same message, which must not be read twice)."""
    own = {form, f"validate_{form}"}
    return not any(
        e.get("event") == "action" and e.get("name") not in IGNORED_ACTIONS and e.get("name") not in own
        for e in _events_since_user(tracker)
    )


def typed(tracker: Tracker) -> str:
    """The latest message's text, unless it is a button payload."""
    message = latest(tracker)[2].strip()
    return "" if message.startswith("/") else message


def phone_region() -> str:
    return region_of(clinic().phone) or "GB"


def contact_value(message: str) -> str | None:
    """A phone number (E.164) or e-mail address (lower case) found in ``message``."""
    return parse_phone(message, phone_region()) or parse_email(message)


def looks_like_contact(message: str) -> bool:
    return "@" in message or len(re.findall(r"\d", message)) >= 5


def names_a_symptom(tracker: Tracker) -> bool:
    """The entity ruler found a symptom in the latest message: safety advice comes before any answer."""
    return any(item.get("entity") == "symptom" for item in latest(tracker)[1])


def reply_to(tracker: Tracker, expected: str) -> Reply:
    """The latest typed message read as the reply to the assistant's question for ``expected``."""
    return read_reply(typed(tracker), expected, red_flag=names_a_symptom(tracker), today=clinic_today(),
                      region=phone_region())


def first_name(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[0].rstrip(".").lower() in {"mr", "mrs", "ms", "miss", "mx", "dr"}:
        return name
    return words[0] if words else name


# --- service calls: always off the event loop, never an exception --------------------------------------

async def booking_call(method: str, *args: Any, **kwargs: Any) -> Result:
    """``booking_service().<method>(...)`` in a worker thread; any unexpected error is logged (never shown)
    and becomes database_unavailable."""

    def work() -> Result:
        return getattr(booking_service(), method)(*args, **kwargs)

    try:
        result = await off_loop(work)
    except Exception:
        log.exception("booking service call %s failed", method)
        return failure(ErrorCode.DATABASE_UNAVAILABLE)
    if not isinstance(result, Result):
        log.error("booking service call %s returned %r", method, type(result))
        return failure(ErrorCode.DATABASE_UNAVAILABLE)
    if not result.ok:
        log.info("booking service call %s refused: %s", method, result.error_code)
    return result


# --- what is being booked ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Course:
    """A course of sessions from a recommendation: how many, and the weeks between them."""

    sessions: int
    interval_weeks: tuple[int, int]


def _first_number(value: Any) -> int | None:
    match = re.search(r"\d+", str(value or ""))
    return int(match.group()) if match else None


def parse_course_interval(value: Any) -> tuple[int, int] | None:
    """(min, max) weeks from "4-6", "4 (3-6)" (typically 4, at most 6) or "4"."""
    words = str(value or "").replace("–", "-")
    typical_and_range = re.search(r"(\d+)\s*\(\s*(\d+)\s*-\s*(\d+)\s*\)", words)
    plain_range = re.search(r"(\d+)\s*-\s*(\d+)", words)
    if typical_and_range:
        low, high = int(typical_and_range[1]), max(int(typical_and_range[1]), int(typical_and_range[3]))
    elif plain_range:
        low, high = int(plain_range[1]), int(plain_range[2])
    else:
        low = high = _first_number(words) or 0
    return (low, high) if 1 <= low <= high <= MAX_INTERVAL_WEEKS else None


def course_plan(decision: Mapping[str, Any] | None, treatment: str) -> Course | None:
    """The course the decision recommends for ``treatment`` ("about 3" sessions, "2-4" weeks apart), or
    None when it is one session or the clinician sets the course ("set by the clinician")."""
    if not isinstance(decision, Mapping) or treatment == CONSULTATION:
        return None
    for item in decision.get("recommendation") or ():
        if isinstance(item, Mapping) and item.get("modality") == treatment:
            sessions = _first_number(item.get("sessions"))
            interval = parse_course_interval(item.get("interval_weeks"))
            if sessions and 2 <= sessions <= MAX_COURSE_SESSIONS and interval:
                return Course(sessions, interval)
            return None
    return None


@dataclass(frozen=True)
class Target:
    """What this conversation can book now, or the reason it cannot (``problem``, a visitor text)."""

    treatment: str | None = None
    consultation: ConsultationInput | None = None
    course: Course | None = None
    needs_review: bool = False
    problem: str | None = None

    @property
    def treatment_name(self) -> str:
        entry = clinic().treatments.get(self.treatment or "")
        return entry.name if entry else ""

    @property
    def consent(self) -> list[str]:
        return ["booking", "health_data"] if self.consultation is not None else ["booking"]


def consultation_input(tracker: Tracker) -> ConsultationInput | None:
    """The screening decision and answers to keep with the booking: only with the visitor's consent."""
    decision = tracker.get_slot("decision")
    if tracker.get_slot("health_consent") is not True or not isinstance(decision, Mapping):
        return None
    try:
        answers = Answers.from_dict(tracker.get_slot("answers")).to_dict()
    except ValueError:
        answers = {}
    return ConsultationInput(
        decision=dict(decision),
        concerns=[str(c) for c in answers.get("concerns") or ()],
        preferences=dict(answers.get("preferences") or {}),
    )


def booking_target(tracker: Tracker) -> Target:
    """``booking_treatment`` checked against clinic.yml and against what the screening decision allows.

    The decision always gates (an emergency triage allows no booking, with or without consent); it is
    only kept with the booking with the visitor's consent, and a treatment needs it kept."""
    treatment = tracker.get_slot("booking_treatment")
    if not isinstance(treatment, str) or treatment not in clinic().treatments:
        return Target(problem=text("no_treatment"))
    decision = tracker.get_slot("decision")
    decision = dict(decision) if isinstance(decision, Mapping) else None
    consultation = consultation_input(tracker)
    try:
        needs_review = check_allowed(treatment, decision)
        if treatment != CONSULTATION and consultation is None:
            raise Refusal(ErrorCode.SCREENING_REQUIRED)
    except Refusal as refusal:
        return Target(treatment=treatment, problem=error_text(refusal.result))
    course = course_plan(decision, treatment) if tracker.get_slot(PLAN_SLOT) != SINGLE else None
    return Target(treatment, consultation, course, needs_review and consultation is not None)


def offered_course(tracker: Tracker) -> Course | None:
    """The course the recommendation has for the treatment, whether or not the visitor chose it."""
    decision = tracker.get_slot("decision")
    return course_plan(decision if isinstance(decision, Mapping) else None, str(tracker.get_slot("booking_treatment") or ""))


# --- searching free times ------------------------------------------------------------------------------

def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _datetime(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def _time(value: Any) -> time | None:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class SlotSearch:
    """The times the visitor asked for (kept in ``booking_search``) and how far they have paged."""

    day: date | None = None
    weekday: int | None = None
    part_of_day: str | None = None
    earliest: date | None = None
    latest: date | None = None
    time: time | None = None
    after: datetime | None = None  # offer only times starting after this ("later")
    shown_until: datetime | None = None  # the start of the last time offered

    @classmethod
    def from_request(cls, request: Any) -> "SlotSearch":
        part = request.part_of_day if request.part_of_day in ("morning", "afternoon", "evening") else None
        return cls(request.day, request.weekday, part, request.earliest, request.latest, request.time)

    @classmethod
    def from_slot(cls, value: Any) -> "SlotSearch":
        if not isinstance(value, Mapping):
            return cls()
        weekday = value.get("weekday")
        part = value.get("part_of_day")
        return cls(
            day=_date(value.get("day")),
            weekday=weekday if isinstance(weekday, int) and 0 <= weekday <= 6 else None,
            part_of_day=part if part in ("morning", "afternoon", "evening") else None,
            earliest=_date(value.get("earliest")),
            latest=_date(value.get("latest")),
            time=_time(value.get("time")),
            after=_datetime(value.get("after")),
            shown_until=_datetime(value.get("shown_until")),
        )

    def to_slot(self) -> dict[str, Any]:
        def iso(value: Any) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "day": iso(self.day), "weekday": self.weekday, "part_of_day": self.part_of_day,
            "earliest": iso(self.earliest), "latest": iso(self.latest),
            "time": self.time.strftime("%H:%M") if self.time else None,
            "after": iso(self.after), "shown_until": iso(self.shown_until),
        }

    @property
    def constrained(self) -> bool:
        return any(v is not None for v in (self.day, self.weekday, self.part_of_day, self.earliest, self.latest, self.time))

    def first_day(self, today: date) -> date:
        return max(today, self.day or self.earliest or today)

    def days(self, today: date, last_day: date, tz: Any) -> list[date]:
        """The days to look at, earliest first, within today..last_day."""
        if self.day is not None:
            return [self.day] if today <= self.day <= last_day else []
        start = self.first_day(today)
        if self.after is not None:
            start = max(start, self.after.astimezone(tz).date())
        end = min(last_day, self.latest or last_day)
        days = []
        while start <= end:
            if self.weekday is None or start.weekday() == self.weekday:
                days.append(start)
            start += timedelta(days=1)
        return days


def first_start(offer: Offer) -> datetime:
    return offer.sessions[0].start if isinstance(offer, SeriesOffer) else offer.start


@dataclass
class OfferPage:
    offers: list[Offer]
    error: Result | None = None
    nothing_then: bool = False  # nothing matched what was asked; these are the nearest other times
    wrapped: bool = False  # nothing later: back to the earliest times


def _collect(
    service: Any, treatment: str, course: Course | None, search: SlotSearch, days: Sequence[date],
    limit: int, per_day: int, exclude: frozenset[str], tz: Any,
) -> tuple[list[Offer], Result | None]:
    offers: list[Offer] = []
    for day in days:
        if course is not None:
            result = service.find_series(
                treatment, course.sessions, course.interval_weeks, on_date=day, part_of_day=search.part_of_day,
                limit=3 if search.time else 1,
            )
        else:
            result = service.find_slots(treatment, on_date=day, part_of_day=search.part_of_day, limit=DAY_FETCH_LIMIT)
        if not result.ok:
            return offers, result
        found = [o for o in result.value if o.key not in exclude and (search.after is None or first_start(o) > search.after)]
        if search.time is not None:
            wanted = search.time.hour * 60 + search.time.minute
            found.sort(key=lambda o: abs(_minutes(first_start(o), tz) - wanted))
        offers.extend(found[:per_day])
        if len(offers) >= limit:
            break
    return offers[:limit], None


def _minutes(instant: datetime, tz: Any) -> int:
    wall = instant.astimezone(tz)
    return wall.hour * 60 + wall.minute


def search_offers(
    treatment: str, course: Course | None, search: SlotSearch, today: date, exclude: Iterable[str] = (),
) -> OfferPage:
    """Free times (or courses) for ``search``: what was asked for, else the nearest other times.
    Blocking (database): call it through off_loop. One snapshot of the database serves the whole search
    (it looks day by day)."""
    with booking_service().snapshot() as service:
        return _search_offers(service, treatment, course, search, today, exclude)


def _search_offers(
    service: Any, treatment: str, course: Course | None, search: SlotSearch, today: date, exclude: Iterable[str],
) -> OfferPage:
    settings = clinic()
    tz = settings.tz
    last_day = today + timedelta(days=settings.booking.horizon_days)
    limit = COURSE_OFFERS if course else SINGLE_OFFERS
    per_day = 1 if course else (limit if search.day else PER_DAY)
    excluded = frozenset(exclude)

    offers, error = _collect(service, treatment, course, search, search.days(today, last_day, tz), limit, per_day, excluded, tz)
    if error is not None or offers:
        return OfferPage(offers, error)
    if search.after is not None:  # nothing later: the earliest times that fit again
        again = replace(search, after=None)
        offers, error = _collect(service, treatment, course, again, again.days(today, last_day, tz), limit, per_day, excluded, tz)
        if error is not None or offers:
            return OfferPage(offers, error, wrapped=True)
    if search.constrained:  # nothing on that day / at that time: the nearest others from then on
        nearest = SlotSearch(earliest=search.first_day(today))
        per_day = 1 if course else PER_DAY
        offers, error = _collect(service, treatment, course, nearest, nearest.days(today, last_day, tz), limit, per_day, excluded, tz)
        if error is not None or offers:
            return OfferPage(offers, error, nothing_then=True)
        offers, error = _collect(service, treatment, course, SlotSearch(), SlotSearch().days(today, last_day, tz), limit, per_day, excluded, tz)
        return OfferPage(offers, error, nothing_then=True)
    return OfferPage([], None)


async def find_offers(treatment: str, course: Course | None, search: SlotSearch, exclude: Iterable[str] = ()) -> OfferPage:
    try:
        return await off_loop(search_offers, treatment, course, search, clinic_today(), tuple(exclude))
    except Exception:
        log.exception("searching free times failed")
        return OfferPage([], failure(ErrorCode.DATABASE_UNAVAILABLE))


# --- showing offers and reading the visitor's choice ------------------------------------------------------

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
        dispatcher.utter_message(text=text("no_slots", treatment=name, horizon_days=horizon), buttons=extra + [human_button()])
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


# --- describing a chosen time -----------------------------------------------------------------------------

def practitioner_name(code: str) -> str:
    return next((p.name for p in clinic().practitioners if p.id == code), code)


def session_labels(key: str) -> list[str]:
    """'Tuesday 3 March, 09:00 with Dr Amara Okafor' for each session of an offered key."""
    try:
        keys = parse_series_key(key)[1] if "/" in key else [key]
        parsed = [parse_slot_key(k) for k in keys]
    except Refusal:
        return []
    tz = clinic().tz
    return [f"{time_label(start, tz)} with {practitioner_name(practitioner)}" for _, practitioner, start in parsed]


def when_text(labels: Sequence[str], indent: str = "") -> str:
    return labels[0] if len(labels) == 1 else "\n" + "\n".join(f"{indent}- {label}" for label in labels)


def price_text(treatment: str, sessions: int) -> str:
    price = clinic().price_text(treatment)
    if price is None:
        return text("price_unknown")
    return text("price_per_session", price=price) if sessions > 1 else price


# --- the form ---------------------------------------------------------------------------------------------

async def hold_choice(key: str, tracker: Tracker, target: Target) -> Result:
    channel = tracker.get_latest_input_channel()
    kwargs = {"consultation": target.consultation, "sender_id": tracker.sender_id, "channel": channel}
    if "/" in key:
        return await booking_call("hold_series", key, **kwargs)
    return await booking_call("hold", key, **kwargs)


class ValidateBookingForm(FormValidationAction):
    """Extracts and checks the booking form's slots; holds the chosen time and confirms the booking."""

    def name(self) -> str:
        return "validate_booking_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        starting = activating(tracker, FORM)
        try:
            events = await super().run(dispatcher, tracker, domain)
        except Exception:
            log.exception("validate_booking_form failed")
            dispatcher.utter_message(text=text("error_unexpected"), buttons=[human_button()])
            requested = tracker.get_slot(REQUESTED_SLOT)
            return [SlotSet(requested, None)] if requested in FORM_SLOTS else []
        if starting:  # a new booking: nothing left over from an abandoned one
            already = {e.get("name") for e in events if e.get("event") == "slot"}
            events = [SlotSet(name, None) for name in FRESH_START_SLOTS if name not in already] + events
        return events

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict[str, Any]) -> list[str]:
        # Nothing bookable (unknown treatment, screening says no): the form ends and
        # action_booking_done explains why.
        return [] if booking_target(tracker).problem else domain_slots

    # --- extraction (all four slots are custom-mapped) ---

    async def extract_booking_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        if activating(tracker, FORM):  # "book me in for next week": the day is a search, not a choice
            message = typed(tracker)
            if message and not parse_day_request(message, clinic_today()).is_empty():
                return {BOOKING_SLOT: message}
            return {}
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested in (NAME_SLOT, CONTACT_SLOT, CONFIRM_SLOT) and answered_now(tracker, FORM):
            intent = latest(tracker)[0]
            if intent == OTHER_TIMES_INTENT and not entity_value(tracker, SLOT_CHOICE_ENTITY) \
                    and not self._answers(tracker, requested):
                return {BOOKING_SLOT: OTHER_TIMES_INTENT}  # "can I have another time?" while giving details
        return choice_candidate(tracker, FORM, BOOKING_SLOT)

    @staticmethod
    def _answers(tracker: Tracker, requested: str) -> bool:
        """The typed message reads as the answer to the name or contact question being asked."""
        expected = {NAME_SLOT: NAME, CONTACT_SLOT: CONTACT}.get(requested)
        return expected is not None and bool(typed(tracker)) and reply_to(tracker, expected).answer is not None

    async def extract_contact_name(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != NAME_SLOT or activating(tracker, FORM) or not answered_now(tracker, FORM):
            return {}
        message = typed(tracker)
        if not message:
            return {}
        reply = reply_to(tracker, NAME)
        if reply.answer is not None or (reply.undecided and latest(tracker)[0] == "inform"):
            return {NAME_SLOT: message}
        return {}

    async def extract_contact_detail(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested not in (NAME_SLOT, CONTACT_SLOT, CONFIRM_SLOT) or activating(tracker, FORM) or not answered_now(tracker, FORM):
            return {}
        message = typed(tracker)
        if not message:
            return {}
        reply = reply_to(tracker, CONTACT)
        if reply.answer is not None:
            return {CONTACT_SLOT: message}
        if requested == CONTACT_SLOT and reply.undecided and (latest(tracker)[0] == "inform" or looks_like_contact(message)):
            return {CONTACT_SLOT: message}
        return {}

    async def extract_booking_confirm(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != CONFIRM_SLOT or activating(tracker, FORM) or not answered_now(tracker, FORM):
            return {}
        intent = latest(tracker)[0]
        if intent == "affirm":
            return {CONFIRM_SLOT: True}
        if intent == "deny":
            return {CONFIRM_SLOT: False}
        return {}

    # --- validation ---

    async def validate_booking_slot(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> dict[str, Any]:
        if activating(tracker, FORM):
            message = typed(tracker)
            if value and value == message:
                search = SlotSearch.from_request(parse_day_request(message, clinic_today()))
                return {BOOKING_SLOT: None, SEARCH_SLOT: search.to_slot()}
            return {BOOKING_SLOT: None}
        if value is None:
            return {BOOKING_SLOT: None}
        if value == OTHER_TIMES_INTENT and tracker.get_slot(REQUESTED_SLOT) != BOOKING_SLOT:
            return await self._let_go(dispatcher, tracker, text("released"))
        choice = interpret_choice(value, tracker, plans=offered_course(tracker) is not None)
        if choice.kind == "key":
            return await self._hold(choice.key, dispatcher, tracker)
        if choice.kind == "plan":
            return {BOOKING_SLOT: None, PLAN_SLOT: choice.plan,
                    SEARCH_SLOT: replace(SlotSearch.from_slot(tracker.get_slot(SEARCH_SLOT)), after=None).to_slot()}
        if choice.kind == "search":
            return {BOOKING_SLOT: None, SEARCH_SLOT: choice.search.to_slot()}
        dispatcher.utter_message(text=text("not_offered" if choice.kind == "not_offered" else "unclear_time"))
        return {BOOKING_SLOT: None}

    async def _hold(self, key: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        target = booking_target(tracker)
        if target.problem:
            dispatcher.utter_message(text=target.problem)
            return {BOOKING_SLOT: None}
        if ("/" in key) != (target.course is not None):
            dispatcher.utter_message(text=text("not_offered"))  # an offer from before the plan changed
            return {BOOKING_SLOT: None}
        result = await hold_choice(key, tracker, target)
        if not result.ok:
            dispatcher.utter_message(text=error_text(result))
            return {BOOKING_SLOT: None, HOLD_SLOT: None}
        view: BookingView = result.value
        labels = session_labels(key)
        minutes = clinic().booking.hold_minutes
        if len(labels) > 1:
            dispatcher.utter_message(text=text("held_course", sessions=len(labels), when=when_text(labels), hold_minutes=minutes))
        else:
            dispatcher.utter_message(text=text("held", when=when_text(labels), hold_minutes=minutes))
        return {BOOKING_SLOT: key, HOLD_SLOT: view.reference, CONFIRM_SLOT: None}

    async def _let_go(self, dispatcher: CollectingDispatcher, tracker: Tracker, message: str) -> dict[str, Any]:
        reference = tracker.get_slot(HOLD_SLOT)
        if isinstance(reference, str) and reference:
            await booking_call("release_hold", reference, sender_id=tracker.sender_id)
        dispatcher.utter_message(text=message)
        search = SlotSearch.from_slot(tracker.get_slot(SEARCH_SLOT))
        return {BOOKING_SLOT: None, HOLD_SLOT: None, CONFIRM_SLOT: None, SEARCH_SLOT: replace(search, after=None).to_slot()}

    async def validate_contact_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> dict[str, Any]:
        if activating(tracker, FORM) or not isinstance(value, str):
            return {NAME_SLOT: None}
        name = name_answer(value)
        if name is None:
            dispatcher.utter_message(text=text("name_again"))
        return {NAME_SLOT: name}

    async def validate_contact_detail(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: dict[str, Any]) -> dict[str, Any]:
        if activating(tracker, FORM) or not isinstance(value, str):
            return {CONTACT_SLOT: None}
        contact = contact_value(value)
        if contact is None:
            dispatcher.utter_message(text=text("contact_again"))
            return {CONTACT_SLOT: None}
        if tracker.get_slot(REQUESTED_SLOT) == CONFIRM_SLOT:
            dispatcher.utter_message(text=text("contact_updated", contact_detail=contact))
        return {CONTACT_SLOT: contact}

    async def validate_booking_confirm(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: dict[str, Any]) -> dict[str, Any]:
        if activating(tracker, FORM) or value is None:
            return {CONFIRM_SLOT: None}
        if value is not True:
            return await self._let_go(dispatcher, tracker, text("released"))
        reference = tracker.get_slot(HOLD_SLOT)
        name, contact = tracker.get_slot(NAME_SLOT), tracker.get_slot(CONTACT_SLOT)
        if not reference or not tracker.get_slot(BOOKING_SLOT):
            return {CONFIRM_SLOT: None, BOOKING_SLOT: None, HOLD_SLOT: None}
        target = booking_target(tracker)
        if target.problem:
            dispatcher.utter_message(text=target.problem)
            return {CONFIRM_SLOT: None}
        details = ContactDetails(str(name), **{"email" if "@" in str(contact) else "phone": str(contact)})
        result = await booking_call("confirm", reference, details, target.consent, sender_id=tracker.sender_id)
        if result.ok or result.error_code == ErrorCode.ALREADY_CONFIRMED:
            confirmed = result.value.reference if result.ok else reference
            return {CONFIRM_SLOT: True, REFERENCE_SLOT: confirmed, HOLD_SLOT: None}
        dispatcher.utter_message(text=error_text(result))
        code = result.error_code
        if code == ErrorCode.INVALID_NAME:
            return {CONFIRM_SLOT: None, NAME_SLOT: None}
        if code in (ErrorCode.INVALID_PHONE, ErrorCode.INVALID_EMAIL, ErrorCode.CONTACT_REQUIRED):
            return {CONFIRM_SLOT: None, CONTACT_SLOT: None}
        if code in (ErrorCode.DATABASE_UNAVAILABLE, ErrorCode.CLINIC_NOT_CONFIGURED):
            return {CONFIRM_SLOT: None}  # the hold may still be there: ask again
        return {CONFIRM_SLOT: None, BOOKING_SLOT: None, HOLD_SLOT: None}  # expired or gone: choose again


class Guarded:
    """Mixin for ConversationAction (which stays quiet while a person has the conversation): runs ``act``;
    an unexpected error is logged and the visitor gets a calm text, never a trace. Not an Action itself,
    so the action server never registers it."""

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        try:
            return await self.act(dispatcher, tracker, domain)
        except Exception:
            log.exception("%s failed", type(self).__name__)
            dispatcher.utter_message(text=text("error_unexpected"), buttons=[human_button()])
            return []

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        raise NotImplementedError


class ActionAskBookingSlot(Guarded, ConversationAction):
    """Offers the next free times (or courses) for the treatment, or those matching the visitor's day."""

    def name(self) -> str:
        return "action_ask_booking_slot"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        target = booking_target(tracker)
        if target.problem:
            dispatcher.utter_message(text=target.problem, buttons=[human_button()])
            return [SlotSet(OFFERED_SLOT, [])]
        name = target.treatment_name
        if target.course is not None:
            intro = text("course_intro", treatment=name, sessions=target.course.sessions,
                         interval="–".join(map(str, sorted(set(target.course.interval_weeks)))))
            plan_button = {"title": text("button_single"), "payload": payload("inform", {SLOT_CHOICE_ENTITY: SINGLE})}
        else:
            intro = text("offers_intro_review" if target.needs_review else "offers_intro", treatment=name)
            plan_button = None
            if offered_course(tracker) is not None:
                plan_button = {"title": text("button_course"), "payload": payload("inform", {SLOT_CHOICE_ENTITY: COURSE})}
        return await offer_times(dispatcher, tracker, target.treatment, target.course, intro, plan_button=plan_button)


class ActionAskContactName(Guarded, ConversationAction):
    def name(self) -> str:
        return "action_ask_contact_name"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=text("ask_name"))
        return []


class ActionAskContactDetail(Guarded, ConversationAction):
    def name(self) -> str:
        return "action_ask_contact_detail"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        name = tracker.get_slot(NAME_SLOT)
        dispatcher.utter_message(text=text("ask_contact", first_name=first_name(str(name or "")).strip() or "there"))
        return []


def summary_text(tracker: Tracker, target: Target) -> str:
    key = str(tracker.get_slot(BOOKING_SLOT) or "")
    labels = session_labels(key)
    when = when_text(labels) if len(labels) == 1 else text("course_when", sessions=len(labels), when=when_text(labels, "   "))
    lines = [text("summary", treatment=target.treatment_name, when=when,
                  price=price_text(target.treatment or "", len(labels)),
                  name=tracker.get_slot(NAME_SLOT) or "", contact_detail=tracker.get_slot(CONTACT_SLOT) or "")]
    if target.needs_review:
        lines.append(text("summary_review"))
    lines.append(text("summary_consent_health" if target.consultation is not None else "summary_consent"))
    return "\n\n".join(lines)


class ActionAskBookingConfirm(Guarded, ConversationAction):
    """The summary (treatment, time, practitioner, price, name, contact) with Confirm / Change."""

    def name(self) -> str:
        return "action_ask_booking_confirm"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        target = booking_target(tracker)
        buttons = [
            {"title": text("button_confirm"), "payload": payload("affirm")},
            {"title": text("button_change"), "payload": payload("deny")},
        ]
        dispatcher.utter_message(text=summary_text(tracker, target), buttons=buttons)
        return []


class ActionBookingDone(Guarded, ConversationAction):
    """After the form: the reference, what happens next, and how to change or cancel; or why nothing
    could be booked. Clears the form's slots so that a second booking starts afresh."""

    def name(self) -> str:
        return "action_booking_done"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        reference = tracker.get_slot(REFERENCE_SLOT)
        resets = [SlotSet(name, None) for name in FRESH_START_SLOTS]
        if tracker.get_slot(CONFIRM_SLOT) is not True or not reference:
            target = booking_target(tracker)
            dispatcher.utter_message(text=target.problem or text("not_booked"), buttons=[human_button()])
            return resets
        result = await booking_call("find_booking", reference, sender_id=tracker.sender_id)
        contact = tracker.get_slot(CONTACT_SLOT) or ""
        if not result.ok:
            dispatcher.utter_message(text=text("done_reference_only", reference=reference))
        else:
            view: BookingView = result.value
            labels = [f"{time_label(a.start, clinic().tz)} with {a.practitioner_name}" for a in view.appointments]
            treatment = view.appointments[0].treatment_name
            if view.status == PENDING_CLINICAL_REVIEW:
                key = "done_pending"
            elif len(labels) > 1:
                key = "done_course"
            else:
                key = "done_confirmed"
            dispatcher.utter_message(text=text(key, reference=view.reference, treatment=treatment,
                                               when=when_text(labels), sessions=len(labels), contact_detail=contact))
        dispatcher.utter_message(text=text("manage", reference=reference))
        return resets
