"""The answer actions: the right topic and variant from intent, entities and context."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.conversation.answers import (
    ActionAnswerQuestion,
    ActionClarify,
    ActionGreet,
    question_topic,
)
from actions.knowledge import load_knowledge

KB = load_knowledge()


def texts(messages):
    return [m["text"] for m in messages]


def test_question_topic_from_intent_or_previous_topic():
    assert question_topic("ask_pain", None) == "pain"
    assert question_topic("followup", "sessions") == "sessions"
    assert question_topic("followup", None) is None
    assert question_topic("greet", "pain") is None


def test_pain_question_answers_about_numbing(tracker_factory, run):
    messages, events = run(ActionAnswerQuestion(), tracker_factory("ask_pain", {"treatment": "microneedling"}))
    assert texts(messages) == [KB.answer("pain", treatment="microneedling").text]
    assert "numb" in messages[0]["text"].lower()
    assert events == [SlotSet("topic", "pain")]


def test_followup_with_prp_answers_previous_topic_for_prp(tracker_factory, run):
    tracker = tracker_factory(
        "followup", {"topic": "evidence", "treatment": "microneedling_prp", "concern": "wrinkles"}
    )
    messages, events = run(ActionAnswerQuestion(), tracker)
    expected = KB.answer("evidence", treatment="microneedling_prp", concern="wrinkles")
    assert texts(messages) == [expected.text]
    assert "saline" in expected.text
    assert events == [SlotSet("topic", "evidence")]


def test_sessions_for_that_uses_the_concern_in_context(tracker_factory, run):
    tracker = tracker_factory("ask_sessions", {"topic": "concerns", "concern": "stretch_marks"})
    messages, _ = run(ActionAnswerQuestion(), tracker)
    assert texts(messages) == [KB.answer("sessions", concern="stretch_marks").text]
    assert messages[0]["text"] != KB.answer("sessions").text


def test_followup_naming_prp_after_stretch_marks_answers_for_prp(tracker_factory, run):
    tracker = tracker_factory(
        "followup",
        {"topic": "sessions", "treatment": "microneedling_prp", "concern": "stretch_marks"},
        entities=[{"entity": "treatment", "value": "microneedling_prp"}],
    )
    messages, _ = run(ActionAnswerQuestion(), tracker)
    expected = KB.answer("sessions", treatment="microneedling_prp", concern="stretch_marks", focus={"treatment"})
    assert texts(messages) == [expected.text]
    assert expected.matched.get("treatment") == "microneedling_prp"


def test_injected_unknown_slot_value_is_ignored(tracker_factory, run):
    tracker = tracker_factory("ask_price", {"treatment": "free_botox<script>"})
    messages, _ = run(ActionAnswerQuestion(), tracker)
    assert texts(messages) == [KB.answer("price").text]


def test_price_comes_from_the_clinic_list(tracker_factory, run):
    messages, _ = run(ActionAnswerQuestion(), tracker_factory("ask_price", {"treatment": "rf_microneedling"}))
    assert "£550" in messages[0]["text"]


def test_followup_without_earlier_topic_asks_back_with_buttons(tracker_factory, run):
    messages, events = run(ActionAnswerQuestion(), tracker_factory("followup", {"treatment": "microneedling_prp"}))
    assert messages[0]["text"] == KB.message("followup_unclear")
    assert {"title": "Talk to a person", "payload": "/request_human"} in messages[0]["buttons"]
    assert events == []


def test_greeting_discloses_virtual_assistant_and_offers_topics(tracker_factory, run):
    messages, _ = run(ActionGreet(), tracker_factory("greet"))
    text = messages[0]["text"].lower()
    assert "virtual assistant" in text and "not a clinician" in text
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert "/ask_pain" in payloads and "/request_human" in payloads


def test_clarify_offers_topic_buttons_instead_of_guessing(tracker_factory, run):
    messages, _ = run(ActionClarify(), tracker_factory("nlu_fallback"))
    assert messages[0]["text"] == KB.message("clarify")
    assert len(messages[0]["buttons"]) >= 4


def test_request_human_gives_clinic_contact_and_hours(clinic_db, tracker_factory, run):
    from actions.conversation.handoff import ActionRequestHuman

    messages, _ = run(ActionRequestHuman(), tracker_factory("request_human"))
    text = messages[0]["text"]
    assert "+44 20 7946 0123" in text and "Sun closed" in text


def test_every_domain_action_has_exactly_one_implementation():
    """The names the domain lists are the names the action server registers."""
    import importlib
    import inspect
    import pkgutil

    import yaml
    from rasa_sdk import Action
    from rasa_sdk.forms import FormValidationAction, ValidationAction

    import actions.conversation as package

    for module in pkgutil.iter_modules(package.__path__):  # what `--actions actions.conversation` loads
        importlib.import_module(f"actions.conversation.{module.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    def action_name(cls):
        if inspect.isabstract(cls):  # a base such as ConversationAction: never registered
            return None
        return cls().name()

    implemented = [
        action_name(c)
        for c in subclasses(Action)
        if c.__module__.startswith("actions.") and action_name(c) and c not in (FormValidationAction, ValidationAction)
    ]
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions.conversation")  # fails if any action cannot be registered
    assert set(implemented) <= set(executor.actions)
    domain = yaml.safe_load(open("domain.yml"))
    assert len(implemented) == len(set(implemented))
    assert set(domain["actions"]) <= set(implemented)


def test_no_slot_mapping_makes_rasa_run_an_action_on_every_message():
    """In Rasa 3.6 a custom slot mapping that names an action makes action_extract_slots run that
    action after every user message (it once opened a handoff ticket for every 'hi')."""
    import yaml

    domain = yaml.safe_load(open("domain.yml"))
    named = [
        name
        for name, slot in domain["slots"].items()
        for mapping in slot.get("mappings", [])
        if mapping.get("type") == "custom" and mapping.get("action")
    ]
    assert named == []


def symptom(value):
    return [{"entity": "symptom", "value": value}]


def test_a_message_the_classifier_could_not_place_still_gets_triage_for_a_red_flag(tracker_factory, run):
    """ "my heart is racing after the numbing cream" fell to the topic menu with no safety words."""
    from actions.conversation.texts import say

    tracker = tracker_factory("nlu_fallback", entities=symptom("anaesthetic_toxicity"), text="my heart is racing")
    messages, events = run(ActionClarify(), tracker)
    assert messages[0]["text"].startswith(say("triage", "emergency"))
    assert not messages[0].get("buttons")
    assert {"event": "slot", "name": "triage_level", "value": "emergency", "timestamp": None} in events


def test_a_question_naming_a_red_flag_gets_triage_not_the_routine_answer(tracker_factory, run):
    """ "can I put old antibiotic cream on it? it's crusty and throbbing" got routine aftercare."""
    from actions.conversation.texts import say

    tracker = tracker_factory("ask_aftercare", entities=symptom("increasing_warmth"), text="can i put cream on it")
    messages, _ = run(ActionAnswerQuestion(), tracker)
    assert messages[0]["text"].startswith(say("triage", "contact_clinic"))
    assert KB.answer("aftercare").text not in texts(messages)


def test_a_question_about_normal_recovery_is_answered_as_a_question(tracker_factory, run):
    tracker = tracker_factory("ask_downtime", entities=symptom("normal_redness_swelling"), text="how long am i swollen")
    messages, _ = run(ActionAnswerQuestion(), tracker)
    assert messages[0]["text"] == KB.answer("downtime").text
