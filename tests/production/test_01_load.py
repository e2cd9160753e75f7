"""Load: at least 200 concurrent conversations of 10+ turns through nginx, custom actions and database
writes included; zero errors, every message answered, every message in the tracker store."""

from __future__ import annotations

import asyncio
import os
import uuid

import checks
import pytest
import stores
from journeys import Persona, run_load

pytestmark = pytest.mark.live

CONVERSATIONS = int(os.environ.get("PROD_LOAD_CONVERSATIONS", "200"))
MIN_TURNS = 10


def test_concurrent_consultations_with_bookings(topology):
    assert CONVERSATIONS >= 200 or os.environ.get("PROD_LOAD_CONVERSATIONS"), "the load is at least 200 conversations"
    run_id = uuid.uuid4().hex[:6]
    personas = [Persona(index, run_id) for index in range(CONVERSATIONS)]
    checks.forget(topology, personas)  # what an interrupted earlier run may have left
    rasa = [f"rasa-{i + 1}" for i in range(len(topology.rasa_ports()))]
    actions = [f"actions-{i + 1}" for i in range(len(topology.action_ports()))]
    cpu_before = {name: topology.cpu_seconds(name) for name in rasa + actions}
    run = asyncio.run(run_load(topology.webchat_url, personas, ramp_seconds=20))
    cpu = {name: topology.cpu_seconds(name) - cpu_before[name] for name in cpu_before}
    messages = len(run.turns)
    report = run.summary(f"load ({len(rasa)} Rasa instances, {len(actions)} action servers)") + (
        f"\nCPU per message: Rasa {1000 * sum(cpu[n] for n in rasa) / messages:.0f} ms, "
        f"action servers {1000 * sum(cpu[n] for n in actions) / messages:.0f} ms "
        f"({sum(1 for p in personas if p.books)} of the conversations booked)"
    )
    print("\n" + report)
    (topology.directory / "load-report.txt").write_text(report + "\n")
    tracker, clinic = stores.engine(topology.tracker_url), stores.engine(topology.clinic_url)
    try:
        failures = [r.error for r in run.results if not r.ok]
        assert not failures, f"{len(failures)} conversations failed; the first:\n{failures[0]}"
        unanswered = [t.sent for t in run.turns if not t.answered]
        assert not unanswered, f"{len(unanswered)} messages without an answer, e.g. {unanswered[:3]}"
        short = [len(r.visitor.turns) for r in run.results if len(r.visitor.turns) < MIN_TURNS + 1]  # + the greeting
        assert not short, f"conversations shorter than {MIN_TURNS} turns: {short[:5]}"
        lost = {r.visitor.session_id: checks.missing_from_tracker(tracker, r) for r in run.results}
        lost = {k: v for k, v in lost.items() if v}
        assert not lost, f"{len(lost)} conversations are not whole in the tracker store: {list(lost.items())[:3]}"
        booking = [p for p in personas if p.books]
        assert len(booking) >= CONVERSATIONS // 5
        bookings = checks.bookings_of(clinic, booking)
        wrong = {phone: rows for phone, rows in bookings.items() if len(rows) != 1 or rows[0]["status"] != "confirmed"}
        assert not wrong, f"{len(wrong)} visitors without exactly one confirmed booking: {list(wrong.items())[:3]}"
        references = {r.reference for r in run.results if r.persona.books}
        assert references == {rows[0]["reference"] for rows in bookings.values()}
    finally:
        checks.forget_results(topology, run.results)
        tracker.dispose()
        clinic.dispose()


def test_only_the_widget_and_the_channels_are_public(topology):
    import requests
    from topology import ROOT

    widget = requests.get(f"{topology.webchat_url}/widget.js", timeout=10)
    assert widget.status_code == 200 and widget.content == (ROOT / "widget" / "widget.js").read_bytes()
    assert requests.get(f"{topology.webchat_url}/demo", timeout=10).status_code == 200
    for path in ("/conversations/x/tracker", "/model", "/status", "/webhooks/rest/webhook", "/socket.io/"):
        assert requests.get(topology.public_url + path, timeout=10).status_code == 404, path
    assert (
        requests.post(
            f"{topology.public_url}/webhooks/rest/webhook", json={"sender": "x", "message": "hi"}, timeout=30
        ).status_code
        == 404
    ), "no REST channel in production"
    for port in topology.rasa_ports():  # the HTTP API is not even enabled on the instances themselves
        assert requests.get(f"http://127.0.0.1:{port}/conversations/x/tracker", timeout=10).status_code == 404
        assert requests.get(f"http://127.0.0.1:{port}/status", timeout=10).status_code == 404
