"""Data protection: "forget me" removes a person everywhere; retention deletes what is older than the
configured age (conversations and consultation records), and nothing younger."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid

import checks
import pytest
import stores
from journeys import JourneyResult, Persona, consultation_journey, run_load
from topology import ROOT

pytestmark = pytest.mark.live


def admin(topology, *arguments: str) -> subprocess.CompletedProcess:
    """python -m actions.admin, as the clinic's staff run it against the production databases."""
    env = {**os.environ, "CLINIC_DATABASE_URL": topology.clinic_url, "TRACKER_DATABASE_URL": topology.tracker_url}
    return subprocess.run(
        [sys.executable, "-m", "actions.admin", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def journeys(topology, personas: list[Persona]) -> list[JourneyResult]:
    run = asyncio.run(run_load(topology.webchat_url, personas, consultation_journey, ramp_seconds=1))
    for result in run.results:
        assert result.ok, result.error
    return run.results


def person_rows(clinic, tracker, result: JourneyResult) -> dict[str, int]:
    phone = result.persona.phone.replace(" ", "")
    return {
        "events": stores.count(
            tracker, "select count(*) from events where sender_id = :s", s=result.visitor.session_id
        ),
        "contacts": stores.count(clinic, "select count(*) from contacts where phone = :p", p=phone),
        "linked appointments": stores.count(
            clinic,
            "select count(*) from appointments where reference = :r and (contact_id is not null "
            "or sender_id is not null or consultation_record_id is not null)",
            r=result.reference,
        ),
        "consultation records": stores.count(
            clinic,
            "select count(*) from consultation_records r join appointments a on a.consultation_record_id = r.id "
            "where a.reference = :r",
            r=result.reference,
        ),
    }


def test_forget_me_removes_the_person_from_both_databases(topology):
    run_id = uuid.uuid4().hex[:6]
    personas = [Persona(600, run_id), Persona(601, run_id)]
    checks.forget(topology, personas)
    forgotten, kept = journeys(topology, personas)
    tracker, clinic = stores.engine(topology.tracker_url), stores.engine(topology.clinic_url)
    try:
        before = person_rows(clinic, tracker, forgotten)
        assert all(before.values()), f"the journey stored nothing to forget? {before}"
        completed = admin(topology, "forget", "--phone", forgotten.persona.phone)
        assert completed.returncode == 0, completed.stderr
        assert person_rows(clinic, tracker, forgotten) == dict.fromkeys(before, 0)
        assert all(person_rows(clinic, tracker, kept).values()), "someone else was forgotten too"
        history = asyncio.run(_history(topology, forgotten))
        assert history == [], "the chat no longer shows the forgotten conversation"
    finally:
        checks.forget(topology, personas)
        tracker.dispose()
        clinic.dispose()


async def _history(topology, result: JourneyResult) -> list:
    from visitor import ChatVisitor, loopback_address

    async with ChatVisitor(
        topology.webchat_url,
        loopback_address(result.persona.index),
        session_id=result.visitor.session_id,
        signature=result.visitor.signature,
    ) as visitor:
        return await visitor.history()


def test_delete_my_data_in_the_chat_removes_the_conversation(topology):
    persona = Persona(602, uuid.uuid4().hex[:6])
    checks.forget(topology, [persona])
    (result,) = journeys(topology, [persona])
    tracker, clinic = stores.engine(topology.tracker_url), stores.engine(topology.clinic_url)

    async def delete_in_chat() -> None:
        from visitor import ChatVisitor, loopback_address

        async with ChatVisitor(
            topology.webchat_url,
            loopback_address(persona.index),
            session_id=result.visitor.session_id,
            signature=result.visitor.signature,
        ) as visitor:
            await visitor.say("delete my data")
            await visitor.say(visitor.button(r"affirm") or visitor.fail("no confirmation button"))

    try:
        asyncio.run(delete_in_chat())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and person_rows(clinic, tracker, result)["events"]:
            time.sleep(1)
        assert person_rows(clinic, tracker, result) == {
            "events": 0,
            "contacts": 0,
            "linked appointments": 0,
            "consultation records": 0,
        }
        time.sleep(5)  # and nothing comes back afterwards
        assert person_rows(clinic, tracker, result)["events"] == 0
    finally:
        checks.forget(topology, [persona], [result.visitor.session_id])
        tracker.dispose()
        clinic.dispose()


def test_retention_deletes_what_is_older_than_the_configured_age_and_nothing_younger(topology):
    run_id = uuid.uuid4().hex[:6]
    personas = [Persona(610, run_id), Persona(611, run_id)]
    checks.forget(topology, personas)
    old, recent = journeys(topology, personas)
    tracker, clinic = stores.engine(topology.tracker_url), stores.engine(topology.clinic_url)
    days = int(topology.settings["CLINIC_RETENTION_DAYS"])
    try:
        # Time passes for the first visitor only: their conversation, consultation record and
        # appointment are moved back by the retention age and a few days.
        shift = (days + 5) * 86400
        with tracker.begin() as connection:
            connection.execute(
                stores.sa.text("update events set timestamp = timestamp - :s where sender_id = :id"),
                {"s": shift, "id": old.visitor.session_id},
            )
        with clinic.begin() as connection:
            connection.execute(
                stores.sa.text(
                    "update consultation_records set created_at = created_at - make_interval(secs => :s) where id in "
                    "(select consultation_record_id from appointments where reference = :r)"
                ),
                {"s": shift, "r": old.reference},
            )
            connection.execute(
                stores.sa.text(
                    "update appointments set starts_at = starts_at - make_interval(secs => :s), "
                    "ends_at = ends_at - make_interval(secs => :s) where reference = :r"
                ),
                {"s": shift, "r": old.reference},
            )
        completed = admin(topology, "retention", "--days", str(days))
        assert completed.returncode == 0, completed.stderr
        assert person_rows(clinic, tracker, old)["events"] == 0
        assert person_rows(clinic, tracker, old)["consultation records"] == 0
        young = person_rows(clinic, tracker, recent)
        assert young["events"] > 0 and young["consultation records"] == 1, young
    finally:
        with clinic.begin() as connection:  # the moved appointment no longer holds its (future) time
            connection.execute(
                stores.sa.text(
                    "delete from slot_occupancy where appointment_id in (select id from appointments where reference = :r)"
                ),
                {"r": old.reference},
            )
        checks.forget(topology, personas, [old.visitor.session_id, recent.visitor.session_id])
        tracker.dispose()
        clinic.dispose()
