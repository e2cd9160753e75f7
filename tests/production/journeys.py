"""What the load's visitors do, and how the load is measured and checked.

Two kinds of visitor, mixed as on a clinic's site (`mixed_journey`):

- questions (11 turns): the greeting and ten questions, each answered by a custom action from the
  clinic's content;
- a consultation and a booking (about 40 turns): two questions, "I'd like to book microneedling", a
  concern and an area by button, consent, the screening questions (an age typed, the rest by button),
  a consultation, a time (a few pages of "Later dates" on; another time when someone else was
  quicker), a name and a phone number typed, confirm. Custom actions at nearly every turn, and writes
  to the clinic database (hold, consultation record, contact, consents, confirmation, notification).

Every visitor's name (Zelphine Quarrington), phone number (020 7946 0xxx) and typed texts are
recognisable, so the log scan can look for them; the phone numbers are unique within a run.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from visitor import ChatVisitor, TranscriptError, loopback_address

MAX_SCREENING_TURNS = 45
MAX_SLOT_ATTEMPTS = 6
# The questions are examples the model was trained on (tests/production/test_load_texts.py checks it):
# the load measures the servers, and must not depend on how a model trained on another machine reads
# a sentence it never saw (make eval measures understanding).
FAQ_QUESTIONS = (
    "does microneedling hurt",
    "how long is the downtime",
    "how many sessions do i need",
    "how do i prepare for microneedling",
    "how much is rf microneedling on the neck",
    "what is micro needling with prp",
    "does microneedling help acne scars",
    "aftercare instructions please",
    "is morpheus8 ok for darker skin tones",
    "when are you open",
    "how long does it take to heal",
    "when will i see results",
)
# One visitor in BOOKING_EVERY goes through the whole consultation and books (about 40 turns: the
# screening asks some 27 questions); the others ask the assistant questions (11 turns), as most
# visitors of a clinic's site do.
BOOKING_EVERY = 4
QUESTIONS_PER_VISIT = 10
SCREENING_DONE = re.compile(
    r"possible for you|clinician needs to see you|not suitable|next step is a consultation", re.I
)
REFERENCE = re.compile(r"\b([A-Z0-9]{8})\b")


@dataclass(frozen=True)
class Persona:
    """A visitor's personal details: unique, recognisable in a log, obviously not a real person."""

    index: int
    run: str

    @property
    def name(self) -> str:
        # A name as people type it: letters only. (A run id glued to it, "Quarrington3eac38x601", is no
        # name, and the assistant may take it for something else, e.g. "stop".) The log scan looks for
        # these two words; the phone number tells the visitors apart.
        return "Zelphine Quarrington"

    @property
    def phone(self) -> str:
        # London numbers reserved for drama (020 7946 0000-0999): never a real person. (The mobile drama
        # range, 07700 900xxx, is refused as invalid.) 0123 is the demo clinic's own number.
        number = self.index % 1000
        return f"+44 20 7946 0{998 if number == 123 else number:03d}"

    @property
    def phone_digits(self) -> str:
        return re.sub(r"\D", "", self.phone)

    @property
    def age_text(self) -> str:
        return f"I am {30 + self.index % 30} years old"

    @property
    def booking_request(self) -> str:
        return "i'd like to book microneedling"

    @property
    def books(self) -> bool:
        return self.index % BOOKING_EVERY == 0

    @property
    def pages_ahead(self) -> int:
        """How many pages of times ("Later dates") the visitor looks ahead before choosing one: 0-7,
        spread evenly over the visitors who book (every BOOKING_EVERY-th: index % 8 would send them
        all to pages 0 and 4), so that dozens of them do not all want the same few times at once."""
        return (self.index + self.index // BOOKING_EVERY) % 8

    def questions(self, count: int) -> list[str]:
        return [FAQ_QUESTIONS[(self.index + i) % len(FAQ_QUESTIONS)] for i in range(count)]


@dataclass
class JourneyResult:
    persona: Persona
    visitor: ChatVisitor
    reference: Optional[str] = None
    error: str = ""
    graceful_replies: int = 0

    @property
    def ok(self) -> bool:
        return not self.error


async def answer_screening(visitor: ChatVisitor, persona: Persona) -> None:
    for _ in range(MAX_SCREENING_TURNS):
        if SCREENING_DONE.search(visitor.text):
            return
        if re.search(r"how old", visitor.text, re.I):
            await visitor.say(persona.age_text)
        elif visitor.button(r"^3 - "):
            await visitor.say(visitor.button(r"^3 - "))
        elif visitor.button(r"^/deny$"):
            await visitor.say("/deny")
        else:
            visitor.fail("no answer for this question")
    visitor.fail("the screening never ended")


def offered_times(visitor: ChatVisitor) -> list[str]:
    return [b["payload"] for b in visitor.buttons() if "slot_choice" in b["payload"]]


async def choose_time(visitor: ChatVisitor, rng: random.Random, later_pages: int = 0) -> None:
    """Look ``later_pages`` pages further ("Later dates"), then pick one of the offered times at random;
    when it is gone by then (someone else was quicker), pick again from what is offered then."""
    for _ in range(later_pages):
        later = visitor.button(r"later dates")
        if not later:
            break
        await visitor.say(later)
    for _ in range(MAX_SLOT_ATTEMPTS):
        offered = offered_times(visitor)
        if not offered:
            visitor.fail("no times offered")
        await visitor.say(rng.choice(offered))
        if re.search(r"\bname\b", visitor.text, re.I):
            return
    visitor.fail("no time could be held")


async def consultation_journey(visitor: ChatVisitor, persona: Persona, rng: random.Random) -> Optional[str]:
    """The whole journey; returns the booking reference."""
    greeting = await visitor.start()
    if not greeting:
        visitor.fail("no greeting")
    for question in persona.questions(2):
        await visitor.say(question)
    await visitor.say(persona.booking_request)
    await visitor.say(visitor.button("acne_scars") or visitor.fail("no concern buttons"))
    await visitor.say(visitor.button('"face"') or visitor.fail("no area buttons"))
    if "health" not in visitor.text.lower():
        visitor.fail("consent must come before any health question")
    await visitor.say(visitor.button(r"affirm|^yes") or visitor.fail("no consent button"))
    await answer_screening(visitor, persona)
    # A consultation: one 30-minute appointment (a treatment books a course of three), so that the
    # load's bookings fit the clinic's diary.
    await visitor.say(visitor.button(r"booking_choice.*\"consultation\"") or visitor.fail("no booking choice"))
    await choose_time(visitor, rng, later_pages=persona.pages_ahead)
    await visitor.say(persona.name)
    await visitor.say(persona.phone)
    await visitor.say(visitor.button(r"confirm") or "yes")
    match = REFERENCE.search(visitor.text)
    if not match:
        visitor.fail("no booking reference")
    return match.group(1)


async def questions_journey(visitor: ChatVisitor, persona: Persona, rng: random.Random) -> Optional[str]:
    """A visitor who asks questions: the greeting and QUESTIONS_PER_VISIT answers (custom actions)."""
    if not await visitor.start():
        visitor.fail("no greeting")
    for question in persona.questions(QUESTIONS_PER_VISIT):
        await visitor.say(question)
    return None


async def mixed_journey(visitor: ChatVisitor, persona: Persona, rng: random.Random) -> Optional[str]:
    journey = consultation_journey if persona.books else questions_journey
    return await journey(visitor, persona, rng)


Journey = Callable[[ChatVisitor, Persona, random.Random], Awaitable[Optional[str]]]


@dataclass
class LoadRun:
    results: list[JourneyResult]
    seconds: float

    @property
    def turns(self) -> list[Any]:
        return [turn for result in self.results for turn in result.visitor.turns]

    def latencies(self) -> list[float]:
        return sorted(turn.seconds for turn in self.turns if turn.status == 200)

    def percentile(self, fraction: float) -> float:
        values = self.latencies()
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]

    def summary(self, label: str) -> str:
        turns = self.turns
        return (
            f"{label}: {len(self.results)} conversations, {len(turns)} messages in {self.seconds:.1f} s = "
            f"{len(turns) / self.seconds:.1f} messages/s; latency p50 {self.percentile(0.50):.2f} s, "
            f"p95 {self.percentile(0.95):.2f} s, p99 {self.percentile(0.99):.2f} s, max {self.latencies()[-1]:.2f} s; "
            f"errors {sum(1 for r in self.results if not r.ok)}"
        )


async def run_load(
    base_url: str,
    personas: list[Persona],
    journey: Journey = mixed_journey,
    *,
    ramp_seconds: float = 10.0,
    deadline_seconds: float = 1500.0,
    seed: int = 7,
    during: Optional[Callable[[], Awaitable[None]]] = None,
) -> LoadRun:
    """All personas' journeys at once (started over ``ramp_seconds``), bounded by ``deadline_seconds``.

    ``during`` runs beside the load (a fault to inject); the load does not wait for it to finish."""

    async def one(persona: Persona, delay: float) -> JourneyResult:
        await asyncio.sleep(delay)
        rng = random.Random(seed * 100_003 + persona.index)
        async with ChatVisitor(base_url, loopback_address(persona.index)) as visitor:
            result = JourneyResult(persona, visitor)
            try:
                result.reference = await journey(visitor, persona, rng)
            except TranscriptError as error:
                result.error = str(error)
            return result

    began = time.monotonic()
    tasks = [asyncio.ensure_future(one(p, ramp_seconds * i / max(1, len(personas)))) for i, p in enumerate(personas)]
    side = asyncio.ensure_future(during()) if during else None
    done, pending = await asyncio.wait(tasks, timeout=deadline_seconds)
    for task in pending:
        task.cancel()
    if side is not None:
        await side
    seconds = time.monotonic() - began
    assert not pending, f"{len(pending)} conversations did not finish within {deadline_seconds} s"
    return LoadRun([task.result() for task in tasks], seconds)
