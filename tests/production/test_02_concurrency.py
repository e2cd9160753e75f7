"""Concurrency: 50 visitors press the same offered time at the same moment: exactly one appointment."""

from __future__ import annotations

import asyncio
import json
import re
import uuid

import checks
import pytest
import stores
from journeys import Persona, answer_screening
from visitor import ChatVisitor, loopback_address

pytestmark = pytest.mark.live

VISITORS = 50
FIRST_INDEX = 300
SLOT_PAYLOAD = re.compile(r"slot_choice")


async def reach_the_offered_times(visitor: ChatVisitor, persona: Persona) -> list[str]:
    await visitor.start()
    await visitor.say(persona.booking_request)
    await visitor.say(visitor.button("acne_scars") or visitor.fail("no concern buttons"))
    await visitor.say(visitor.button('"face"') or visitor.fail("no area buttons"))
    await visitor.say(visitor.button(r"affirm|^yes") or visitor.fail("no consent button"))
    await answer_screening(visitor, persona)
    await visitor.say(visitor.button(r"booking_choice.*\"consultation\"") or visitor.fail("no booking choice"))
    return [b["payload"] for b in visitor.buttons() if SLOT_PAYLOAD.search(b["payload"])]


def first_slot(payload: str):
    """(treatment, practitioner, UTC start) of the first session a slot_choice payload names."""
    from actions.booking.views import parse_slot_key

    key = json.loads(payload[payload.index("{") :])["slot_choice"]
    if "/" in key:  # a course: "3-6/<key>,<key>,..."
        key = key.split("/", 1)[1].split(",")[0]
    return parse_slot_key(key)


async def race(base_url: str, personas: list[Persona]) -> tuple[str, list[ChatVisitor]]:
    visitors = [ChatVisitor(base_url, loopback_address(p.index)) for p in personas]
    for visitor in visitors:
        await visitor.__aenter__()
    try:
        offers = await asyncio.gather(*(reach_the_offered_times(v, p) for v, p in zip(visitors, personas)))
        common = [payload for payload in offers[0] if all(payload in offered for offered in offers)]
        assert common, "the visitors were not offered a common time"
        target = common[0]
        # All at once: each visitor's request is already prepared; gather fires them together.
        await asyncio.gather(*(v.say(target, think=False) for v in visitors))
        return target, visitors
    finally:
        for visitor in visitors:
            await visitor.__aexit__(None, None, None)


def test_fifty_visitors_one_time_one_appointment(topology):
    run_id = uuid.uuid4().hex[:6]
    personas = [Persona(FIRST_INDEX + i, run_id) for i in range(VISITORS)]
    checks.forget(topology, personas)
    target, visitors = asyncio.run(race(topology.webchat_url, personas))
    clinic = stores.engine(topology.clinic_url)
    try:
        winners = [v for v in visitors if re.search(r"\bname\b", v.text, re.I)]
        assert len(winners) == 1, f"{len(winners)} visitors were asked for their name after pressing the same time"
        losers = [v for v in visitors if v not in winners]
        assert all(v.turns[-1].answered for v in losers), "every visitor who lost the time got an answer"
        assert all(v.button("slot_choice") for v in losers), "and was offered other times"

        async def finish(visitor: ChatVisitor, persona: Persona) -> str:
            async with visitor:
                await visitor.say(persona.name)
                await visitor.say(persona.phone)
                await visitor.say(visitor.button(r"confirm") or "yes")
                return visitor.text

        winner_persona = personas[visitors.index(winners[0])]
        asyncio.run(finish(winners[0], winner_persona))
        _, practitioner, start = first_slot(target)
        holders = stores.count(
            clinic,
            "select count(distinct a.id) from appointments a join practitioners p on p.id = a.practitioner_id "
            "where p.code = :practitioner and a.status <> 'cancelled' and a.starts_at = :start",
            practitioner=practitioner,
            start=start,
        )
        assert holders == 1, f"{holders} appointments at the contested time {practitioner} {start}"
        bookings = checks.bookings_of(clinic, personas)
        booked = {phone: rows for phone, rows in bookings.items() if rows}
        assert list(booked) == [winner_persona.phone_digits], f"bookings: {booked}"
        assert booked[winner_persona.phone_digits][0]["status"] == "confirmed"
    finally:
        checks.forget(topology, personas, [v.session_id for v in visitors])
        clinic.dispose()
