"""The consultation journey's actions: which question comes next, how replies and volunteered facts
are recorded, the result in plain words, booking only what screening allows, a person, triage, privacy."""

from __future__ import annotations

import asyncio

import pytest
from conversation_harness import make_tracker, run_action
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.conversation.answers import ActionAnswerQuestion
from actions.conversation.decision import ActionShowDecision, ActionStartBooking
from actions.conversation.handoff import ActionRequestHuman
from actions.conversation.journey import (
    CONSENT,
    ActionAskConsultationAnswer,
    ValidateConsultationForm,
    ValidateVolunteeredFacts,
    next_question,
)
from actions.conversation.privacy import ActionForgetMe
from actions.conversation.triage import ActionTriage
from actions.intake_answers import Answers

TODAY = "2026-11-20"


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def answered(**marks) -> Answers:
    """Answers with the given question ids closed (value 'no' unless a (answer, values) tuple)."""
    answers = Answers.from_dict(None)
    for qid, mark in marks.items():
        qid = qid.replace("__", ".")
        answer, values = mark if isinstance(mark, tuple) else (mark, ())
        answers = answers.mark(qid, answer, values)
    return answers


def healthy(**overrides) -> Answers:
    """A 35-year-old, skin type 3, acne scars on the face, every safety question answered no."""
    from actions.intake_answers import Fact
    from actions.screening import default_rules

    answers = Answers.from_dict(None).apply(
        [
            Fact("concerns", "acne_scars", "concerns"),
            Fact("areas", "face", "areas"),
            Fact("age", 35, "age"),
            Fact("fitzpatrick", 3, "fitzpatrick"),
        ]
    )
    answers = answers.mark("age", "yes").mark("fitzpatrick", "yes")
    for question in default_rules().questions:
        if (
            question.id not in ("concerns", "areas", "age", "fitzpatrick", "preferences")
            and question.id not in overrides
        ):
            answers = answers.mark(question.id, "no")
    for qid, (answer, values) in overrides.items():
        answers = answers.mark(qid, answer, values)
    return answers.mark("preferences", "no") if "preferences" not in overrides else answers


def test_concerns_and_areas_before_consent_and_no_health_question_without_it(fixed_today):
    empty = Answers.from_dict(None)
    assert next_question(empty, None) == "concerns"
    after_areas = empty.mark("concerns", "yes", ["acne_scars"]).mark("areas", "yes", ["face"])
    assert next_question(after_areas, None) == CONSENT
    assert next_question(after_areas, False) is None
    assert next_question(after_areas, True) == "age"


def test_pregnancy_question_skipped_once_volunteered(fixed_today):
    tracker = make_tracker(
        "inform",
        text="btw im pregnant",
        entities=[{"entity": "life_stage", "value": "pregnant", "start": 7, "end": 15}],
    )
    _, events = run_action(
        ValidateVolunteeredFacts(), tracker, {"slots": {"answers": {"mappings": [{"type": "custom"}]}}}
    )
    answers = Answers.from_dict(slot_events(events)["answers"])
    intake = answers.to_intake(__import__("datetime").date(2026, 11, 20))
    assert intake["pregnant"] is True


def test_a_question_about_pregnancy_is_not_a_fact(fixed_today):
    tracker = make_tracker(
        "ask_candidacy",
        text="can i have it if im pregnant",
        entities=[{"entity": "life_stage", "value": "pregnant", "start": 20, "end": 28}],
    )
    _, events = run_action(
        ValidateVolunteeredFacts(), tracker, {"slots": {"answers": {"mappings": [{"type": "custom"}]}}}
    )
    assert "answers" not in slot_events(events)


def run_validation(tracker, slot_value="x"):
    form = ValidateConsultationForm()
    return asyncio.run(
        form.validate_consultation_answer(
            slot_value, __import__("rasa_sdk").executor.CollectingDispatcher(), tracker, {}
        )
    )


def test_consent_yes_and_no(fixed_today):
    assert run_validation(make_tracker("affirm", {"current_question": CONSENT}, text="yes"))["health_consent"] is True
    assert run_validation(make_tracker("deny", {"current_question": CONSENT}, text="no"))["health_consent"] is False


def test_dont_know_is_recorded_as_unknown_never_no(fixed_today):
    result = run_validation(
        make_tracker(
            "dont_know", {"current_question": "conditions.bleeding", "answers": healthy().to_dict()}, text="not sure"
        )
    )
    answers = Answers.from_dict(result["answers"])
    assert answers.state("conditions.bleeding") == "unknown"
    assert "conditions.bleeding" in answers.open_questions()


def test_ask_action_puts_the_next_question_with_buttons(fixed_today):
    tracker = make_tracker(
        "inform", {"answers": Answers.from_dict(None).mark("concerns", "yes", ["acne_scars"]).to_dict()}
    )
    messages, events = run_action(ActionAskConsultationAnswer(), tracker)
    assert slot_events(events)["current_question"] == "areas"
    assert '/inform{"area": "face"}' in [b["payload"] for b in messages[0]["buttons"]]


def show(answers: Answers, consent=True):
    return run_action(
        ActionShowDecision(), make_tracker("deny", {"answers": answers.to_dict(), "health_consent": consent})
    )


def test_isotretinoin_stopped_two_months_ago_waits_with_a_date(fixed_today):
    answers = healthy().apply(
        [
            __import__("actions.intake_answers", fromlist=["Fact"]).Fact(
                "isotretinoin_last_dose", __import__("datetime").date(2026, 9, 20), "medications.isotretinoin"
            )
        ]
    )
    messages, events = show(answers)
    decision = slot_events(events)["decision"]
    assert decision["modalities"]["microneedling"]["status"] == "defer"
    assert decision["modalities"]["microneedling"]["until"] == "2027-03-20"
    assert "20 March 2027" in messages[0]["text"]
    assert "stop" not in " ".join(m["text"] or "" for m in messages).lower().replace("stopped", "")


def test_pacemaker_excludes_rf_and_plain_microneedling_goes_to_a_clinician(fixed_today):
    answers = healthy(**{"conditions.implanted_device": ("yes", ["implanted_electronic_device"])})
    messages, events = show(answers)
    decision = slot_events(events)["decision"]
    assert decision["modalities"]["rf_microneedling"]["status"] == "exclude"
    assert decision["modalities"]["microneedling"]["status"] == "clinician_review"
    assert "Not suitable for you: RF microneedling" in messages[0]["text"]
    assert decision["next_step"] == "book_consultation"
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert '/ask_booking{"booking_choice": "consultation"}' in payloads
    assert not any("rf_microneedling" in p for p in payloads)


def test_healthy_visitor_gets_a_plan_with_price_and_booking_buttons(fixed_today):
    messages, events = show(healthy())
    assert slot_events(events)["decision"]["next_step"] == "book_treatment"
    text = " ".join(m["text"] for m in messages)
    assert "£220" in text and "sessions" in text
    assert any("booking_choice" in b["payload"] and "microneedling" in b["payload"] for b in messages[-1]["buttons"])


def test_booking_a_treatment_screening_excluded_gives_a_consultation(fixed_today):
    answers = healthy(**{"conditions.implanted_device": ("yes", ["implanted_electronic_device"])})
    tracker = make_tracker(
        "ask_booking",
        {"answers": answers.to_dict(), "health_consent": True, "decision": {"next_step": "book_consultation"}},
        entities=[{"entity": "booking_choice", "value": "rf_microneedling"}],
    )
    _, events = run_action(ActionStartBooking(), tracker)
    assert slot_events(events)["booking_treatment"] == "consultation"
    assert slot_events(events)["booking_ready"] is True


def test_booking_before_screening_asks_the_questions_first(fixed_today):
    _, events = run_action(ActionStartBooking(), make_tracker("ask_booking"))
    assert slot_events(events)["booking_ready"] is False


def test_booking_an_allowed_treatment(fixed_today):
    tracker = make_tracker(
        "ask_booking",
        {"answers": healthy().to_dict(), "health_consent": True, "decision": {"next_step": "book_treatment"}},
        entities=[{"entity": "booking_choice", "value": "microneedling"}],
    )
    _, events = run_action(ActionStartBooking(), tracker)
    assert slot_events(events)["booking_treatment"] == "microneedling"


@pytest.mark.parametrize(
    "symptoms, level_words",
    [
        (["fever", "spreading_redness"], "urgent medical help now"),
        (["pus_or_discharge"], "contact the clinic today"),
        (["normal_redness_swelling"], "usual healing"),
    ],
)
def test_triage_levels(fixed_today, symptoms, level_words):
    entities = [{"entity": "symptom", "value": s} for s in symptoms]
    messages, events = run_action(ActionTriage(), make_tracker("report_symptoms", entities=entities))
    assert level_words in messages[0]["text"]
    if "urgent" in level_words:
        assert ActiveLoop(None) in events


@pytest.mark.parametrize("form", ["booking_form", "consultation_form", "appointment_form"])
def test_after_triage_a_form_ends_or_resumes_by_the_level(fixed_today, form):
    def triage(symptoms):
        entities = [{"entity": "symptom", "value": s} for s in symptoms]
        return run_action(
            ActionTriage(), make_tracker("report_symptoms", entities=entities, active_loop={"name": form})
        )[1]

    urgent = triage(["fever", "spreading_redness"])
    assert ActiveLoop(None) in urgent and not any(e.get("event") == "followup" for e in urgent)
    for symptoms in (["normal_redness_swelling"], []):  # normal recovery, or "what is happening?" asked
        events = triage(symptoms)
        assert {"event": "followup", "name": form, "timestamp": None} in events and ActiveLoop(None) not in events
    outside = run_action(
        ActionTriage(),
        make_tracker("report_symptoms", entities=[{"entity": "symptom", "value": "normal_redness_swelling"}]),
    )[1]
    assert not any(e.get("event") == "followup" for e in outside)


def test_person_opens_a_ticket_and_the_assistant_stays_quiet_until_it_is_closed(clinic_db):
    from actions.conversation.services import handoff_desk

    messages, events = run_action(ActionRequestHuman(), make_tracker("request_human", sender="v-handoff"))
    assert SlotSet("handoff_open", True) in events
    assert "person will reply" in messages[0]["text"]
    # The hours are one line each, and the sentence after them starts a line of its own.
    lines = messages[0]["text"].splitlines()
    assert lines[-1].startswith("If it's urgent") and any(line.startswith("Sun") for line in lines)
    quiet, _ = run_action(ActionAnswerQuestion(), make_tracker("ask_pain", {"handoff_open": True}, sender="v-handoff"))
    assert "will answer you here soon" in quiet[0]["text"]
    ticket = handoff_desk().status("v-handoff").value
    handoff_desk().close(ticket.id)
    back, events = run_action(
        ActionAnswerQuestion(), make_tracker("ask_pain", {"handoff_open": True}, sender="v-handoff")
    )
    assert "numb" in back[0]["text"].lower()
    assert SlotSet("handoff_open", False) in events


def test_forget_me_deletes_the_conversation_and_restarts(clinic_db, tmp_path):
    import sqlalchemy as sa

    tracker_db = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}", future=True)
    with tracker_db.begin() as conn:
        conn.execute(
            sa.text(
                "create table events (id integer primary key, sender_id text, type_name text, "
                "timestamp real, intent_name text, action_name text, data text)"
            )
        )
        conn.execute(
            sa.text(
                "insert into events (sender_id, type_name, timestamp, data) values ('v-forget', 'user', 1, '{}'), ('other', 'user', 1, '{}')"
            )
        )
    messages, events = run_action(ActionForgetMe(), make_tracker("affirm", {"forget_pending": True}, sender="v-forget"))
    assert "deleted" in messages[0]["text"]
    assert events[-1]["event"] == "restart"
    with tracker_db.begin() as conn:
        left = conn.execute(sa.text("select sender_id from events")).scalars().all()
    assert left == ["other"]


def test_every_screening_question_can_be_asked(fixed_today):
    """Each question of the rules file, and each follow-up, renders with its buttons from journey.yml."""
    from actions.conversation.journey import question_prompt
    from actions.screening import default_rules

    answers = Answers.from_dict(None)
    for question in [CONSENT] + [q.id for q in default_rules().questions]:
        text, buttons = question_prompt(question, answers, None)
        assert text and all(b["title"] and b["payload"] for b in buttons), question
    text, buttons = question_prompt("conditions.skin_now", answers, ["eczema_flare", "open_wound"])
    assert '/inform{"condition": "eczema_flare"}' in [b["payload"] for b in buttons]
    awaiting = Answers.from_dict({**answers.to_dict(), "awaiting": "isotretinoin_last_dose"})
    assert "last" in question_prompt("medications.isotretinoin", awaiting, None)[0].lower()


@pytest.mark.parametrize("intent", ["ask_price", "ask_sessions", "why_ask", "stop", "request_human"])
def test_an_age_is_the_answer_to_the_age_question_whatever_the_classifier_reads(fixed_today, intent):
    form = ValidateConsultationForm()
    dispatcher = __import__("rasa_sdk").executor.CollectingDispatcher()
    for text in ("34", "I'm 34", "thirty four"):
        tracker = make_tracker(intent, {"current_question": "age"}, text=text)
        assert asyncio.run(form.extract_consultation_answer(dispatcher, tracker, {})) == {"consultation_answer": text}
    for text in ("how old do I need to be?", "stop", "can I talk to a person"):  # no age: left to the rules
        tracker = make_tracker(intent, {"current_question": "age"}, text=text)
        assert asyncio.run(form.extract_consultation_answer(dispatcher, tracker, {})) == {}
    symptom = [{"entity": "symptom", "value": "fever", "start": 0, "end": 5}]
    tracker = make_tracker(intent, {"current_question": "age"}, text="fever, I'm 34", entities=symptom)
    assert asyncio.run(form.extract_consultation_answer(dispatcher, tracker, {})) == {}
    tracker = make_tracker(intent, {"current_question": "pregnant"}, text="34")  # only the age question
    assert asyncio.run(form.extract_consultation_answer(dispatcher, tracker, {})) == {}


def test_a_first_message_with_volunteered_facts_starts_the_consultation_not_resumes_it():
    from actions.conversation.journey import ActionStartConsultation
    from actions.conversation.texts import say

    volunteered = answered(concerns=("yes", ("acne_scars",)), areas=("yes", ("face",)))
    first, _ = run_action(
        ActionStartConsultation(), make_tracker("start_consultation", slots={"answers": volunteered.to_dict()})
    )
    assert [m["text"] for m in first] == [say("journey", "start")]
    again, _ = run_action(
        ActionStartConsultation(),
        make_tracker("resume", slots={"answers": volunteered.to_dict(), "health_consent": True}),
    )
    assert [m["text"] for m in again] == [say("journey", "resumed")]


def test_a_plan_the_clinician_sets_reads_as_a_sentence_and_a_typical_course_shows_its_figures():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "screening"))
    from screening_support import healthy as healthy_intake

    from actions.conversation.decision import describe_option
    from actions.screening import decide
    from actions.screening.vocabulary import CONCERNS

    seen = {"figures": 0, "clinician": 0}
    for concern in CONCERNS:
        for option in decide(healthy_intake(concerns=[concern]))["recommendation"]:
            text = describe_option(option).splitlines()[0]
            assert "clinician sessions" not in text and "clinician weeks" not in text, text
            if any(ch.isdigit() for ch in option["interval_weeks"]):
                assert f"{option['sessions']} sessions, {option['interval_weeks']} weeks apart" in text
                seen["figures"] += 1
            elif any(ch.isdigit() for ch in option["sessions"]):
                assert f"{option['sessions']} sessions, spaced as the clinician decides" in text
            else:
                assert "set by the clinician at your consultation" in text
                seen["clinician"] += 1
    assert seen["figures"] and seen["clinician"]


def test_how_many_more_questions_gets_an_honest_number_and_the_question_comes_back(fixed_today):
    from rasa_sdk.executor import CollectingDispatcher

    start = Answers.from_dict(None).mark("concerns", "yes", ["acne_scars"]).mark("areas", "yes", ["face"])

    def ask(answers, text="how many more questions is this??", intent="inform"):
        tracker = make_tracker(
            intent,
            {"current_question": "age", "answers": answers.to_dict(), "health_consent": True},
            text=text,
            active_loop={"name": "consultation_form"},
        )
        dispatcher = CollectingDispatcher()
        result = asyncio.run(ValidateConsultationForm().validate_consultation_answer(text, dispatcher, tracker, {}))
        return dispatcher.messages, result

    messages, result = ask(start)
    count = int(messages[0]["text"].split()[2])
    assert messages[0]["text"].startswith("At most") and count > 5
    assert result == {"consultation_answer": None}  # nothing recorded; the form asks its question again
    after_age = start.apply([__import__("actions.intake_answers").intake_answers.Fact("age", 35, "age")])
    assert int(ask(after_age)[0][0]["text"].split()[2]) == count - 1
    # Read by the classifier as a question about sessions, it still gets the number, inside the questions only.
    tracker = make_tracker(
        "ask_sessions",
        {"answers": start.to_dict(), "health_consent": True},
        text="how many more questions",
        active_loop={"name": "consultation_form"},
    )
    assert run_action(ActionAnswerQuestion(), tracker)[0][0]["text"].startswith("At most")
    outside = make_tracker("ask_sessions", text="how many more sessions will I need")
    assert not run_action(ActionAnswerQuestion(), outside)[0][0]["text"].startswith("At most")


def test_a_result_decided_by_an_answer_does_not_list_questions_never_asked(fixed_today):
    from actions.conversation.decision import reasons
    from actions.screening import decide

    breastfeeding = decide({"today": TODAY, "age": 30, "breastfeeding": True, "concerns": ["acne_scars"]})
    shown = reasons(breastfeeding)
    assert any("breastfeeding" in line for line in shown)
    assert not any(line.startswith("We still need to know") for line in shown)
    # Nothing decided yet: what is still unknown is what stands in the way, so it is said.
    open_only = decide({"today": TODAY, "age": 30, "concerns": ["acne_scars"]})
    assert any(line.startswith("We still need to know") for line in reasons(open_only))
