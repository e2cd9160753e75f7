"""Issue 17: a red flag gets triage before anything else, in every state and whatever the classifier
made of the message: inside the consultation, booking and appointment forms, during a handoff (the ticket
becomes urgent), with a request for a person, and a question about treating it oneself gets "don't"."""

from __future__ import annotations

import pytest
from conversation_harness import make_tracker, run_action
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.booking.models import OutboxMessage
from actions.conversation.answers import ActionAnswerQuestion, ActionClarify
from actions.conversation.appointments import ValidateAppointmentForm
from actions.conversation.booking import ValidateBookingForm
from actions.conversation.handoff import ActionRequestHuman
from actions.conversation.journey import ValidateConsultationForm
from actions.conversation.texts import say
from actions.conversation.triage import ActionTriage
from actions.intake_answers import Answers

FACE_SWELLING = [{"entity": "symptom", "value": "breathing_difficulty_or_facial_swelling", "start": 0, "end": 20}]
PUS = [{"entity": "symptom", "value": "pus_or_discharge", "start": 0, "end": 3}]
REDNESS = [{"entity": "symptom", "value": "normal_redness_swelling", "start": 0, "end": 7}]


def first_lines(messages):
    return [m["text"].splitlines()[0] for m in messages]


def slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def in_form(form, requested, text, entities, intent="inform", extra_slots=None):
    return make_tracker(
        intent,
        {"requested_slot": requested, requested: text, **(extra_slots or {})},
        entities=entities,
        text=text,
        active_loop={"name": form},
        events=[{"event": "user", "text": text}],
    )


@pytest.mark.parametrize(
    ("validator", "form", "requested"),
    [
        (ValidateConsultationForm(), "consultation_form", "consultation_answer"),
        (ValidateBookingForm(), "booking_form", "contact_name"),
        (ValidateAppointmentForm(), "appointment_form", "appointment_reference"),
    ],
)
@pytest.mark.parametrize("intent", ["inform", "deny", "affirm", "nlu_fallback"])
def test_a_red_flag_typed_as_a_forms_answer_gets_triage_and_ends_the_form(
    clinic_db, validator, form, requested, intent
):
    answers = Answers.from_dict(None).to_dict()
    tracker = in_form(
        form,
        requested,
        "no, but my lips are swelling up",
        FACE_SWELLING,
        intent,
        {"current_question": "conditions.bleeding", "answers": answers},
    )
    messages, events = run_action(validator, tracker)
    assert first_lines(messages) == [say("triage", "emergency").splitlines()[0]]
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events
    assert slots(events)[requested] is None  # the red flag is never recorded as the answer
    assert slots(events)["triage_level"] == "emergency"
    assert "answers" not in slots(events)


def test_normal_healing_inside_the_consultation_form_is_not_triage_there(clinic_db):
    """Normal recovery ends nothing: the form goes on (the triage rule answers report_symptoms)."""
    tracker = in_form(
        "consultation_form",
        "consultation_answer",
        "a bit red",
        REDNESS,
        "inform",
        {"current_question": "pregnant", "answers": Answers.from_dict(None).to_dict()},
    )
    messages, events = run_action(ValidateConsultationForm(), tracker)
    assert ActiveLoop(None) not in events
    assert not any(
        say("triage", level).splitlines()[0] in m.get("text", "")
        for m in messages
        for level in ("emergency", "see_doctor", "contact_clinic")
    )


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionAnswerQuestion(), "ask_aftercare"), (ActionClarify(), "nlu_fallback"), (ActionTriage(), "report_symptoms")],
)
def test_during_a_handoff_a_red_flag_gets_advice_and_the_ticket_becomes_urgent(clinic_db, action, intent):
    from actions.conversation.services import handoff_desk

    sender = f"v-urgent-{action.name()}"
    run_action(ActionRequestHuman(), make_tracker("request_human", sender=sender))
    text = "its oozing pus and throbbing, can i put my old fucidin cream on it?"
    messages, events = run_action(
        action, make_tracker(intent, {"handoff_open": True}, entities=PUS, text=text, sender=sender)
    )
    assert first_lines(messages) == [say("triage", "contact_clinic").splitlines()[0]]
    assert say("triage", "no_self_treatment") in messages[0]["text"]
    assert "will answer you here soon" not in messages[0]["text"]
    ticket = handoff_desk().status(sender).value
    assert ticket.urgency == "contact_clinic" and ticket.urgent_at is not None
    # A later, more urgent red flag raises it; a lesser one does not lower it.
    run_action(action, make_tracker(intent, {"handoff_open": True}, entities=FACE_SWELLING, sender=sender))
    run_action(action, make_tracker(intent, {"handoff_open": True}, entities=PUS, sender=sender))
    assert handoff_desk().status(sender).value.urgency == "emergency"
    with services_session() as session:
        told = [
            (m.kind, m.subject)
            for m in session.query(OutboxMessage)
            .filter(OutboxMessage.handoff_id == ticket.id)
            .order_by(OutboxMessage.id)
        ]
    assert [kind for kind, _ in told] == ["handoff"] * 3
    assert [subject.split(" ")[:2] for _, subject in told[1:]] == [
        ["URGENT", "(contact_clinic):"],
        ["URGENT", "(emergency):"],
    ]


def test_without_a_red_flag_the_handoff_keeps_the_assistant_quiet(clinic_db):
    from actions.conversation.services import handoff_desk

    run_action(ActionRequestHuman(), make_tracker("request_human", sender="v-quiet"))
    messages, _ = run_action(
        ActionAnswerQuestion(),
        make_tracker("ask_aftercare", {"handoff_open": True}, entities=REDNESS, text="bit red", sender="v-quiet"),
    )
    assert "will answer you here soon" in messages[0]["text"]
    assert handoff_desk().status("v-quiet").value.urgency is None


def test_asking_for_a_person_with_a_red_flag_gets_the_advice_and_an_urgent_ticket(clinic_db):
    from actions.conversation.services import handoff_desk

    messages, events = run_action(
        ActionRequestHuman(),
        make_tracker(
            "request_human", entities=FACE_SWELLING, text="my face is swelling, get me a person", sender="v-p"
        ),
    )
    assert first_lines(messages)[0] == say("triage", "emergency").splitlines()[0]
    assert "person will reply" in messages[-1]["text"]
    assert SlotSet("handoff_open", True) in events and slots(events)["triage_level"] == "emergency"
    listed = handoff_desk().list().value
    assert listed[0].sender_id == "v-p" and listed[0].urgency == "emergency"


def test_urgent_tickets_are_listed_first(clinic_db):
    from actions.conversation.services import handoff_desk

    desk = handoff_desk()
    for sender in ("calm-1", "urgent-1", "calm-2", "urgent-2"):
        desk.open(sender, "rest", "visitor asked for a person")
    desk.mark_urgent("urgent-1", "contact_clinic", "pus")
    desk.mark_urgent("urgent-2", "emergency", "breathing")
    assert [t.sender_id for t in desk.list().value] == ["urgent-2", "urgent-1", "calm-1", "calm-2"]
    assert not desk.mark_urgent("calm-1", "normal_recovery", "redness").ok  # not a red flag
    assert desk.mark_urgent("nobody", "emergency", "x").value is None  # no ticket, nothing marked


def test_the_advice_is_given_once_when_a_form_runs_again_on_the_same_message(clinic_db):
    tracker = make_tracker(
        "inform",
        {"requested_slot": "consultation_answer", "consultation_answer": "lips swelling"},
        entities=FACE_SWELLING,
        text="lips swelling",
        active_loop={"name": "consultation_form"},
        events=[
            {"event": "user", "text": "lips swelling"},
            {"event": "action", "name": "action_answer_question"},
            {"event": "slot", "name": "triage_level", "value": "emergency"},
        ],
    )
    messages, events = run_action(ValidateConsultationForm(), tracker)
    assert messages == [] and ActiveLoop(None) in events and slots(events)["consultation_answer"] is None


def services_session():
    from actions.booking.db import session_factory

    return session_factory()()


def test_the_usual_redness_described_days_later_is_triaged_as_not_settling(clinic_db):
    """clinical-kb section 6: normal for 1-3 days; from day 4 'not improving' needs the clinic today."""
    tracker = in_form(
        "consultation_form",
        "consultation_answer",
        "32, and my face is still red and swollen 5 days after my rf",
        REDNESS,
        "inform",
        {"current_question": "age", "answers": Answers.from_dict(None).to_dict()},
    )
    messages, events = run_action(ValidateConsultationForm(), tracker)
    assert first_lines(messages) == [say("triage", "contact_clinic").splitlines()[0]]
    assert slots(events)["consultation_answer"] is None and ActiveLoop(None) in events
