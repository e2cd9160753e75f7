"""The consultation: concerns, consent, then only the screening questions that matter.

One form slot, ``consultation_answer``, is asked again and again: each time the ask action puts the
next question that matters (the screening engine's ``pending_questions``) into ``current_question``,
and the validation records the reply in ``answers`` (actions.intake_answers) and clears the slot. The
form ends when no question is left. Facts the visitor volunteers outside the form ("btw I'm
pregnant") are recorded by ``ValidateVolunteeredFacts`` on every turn.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction, ValidationAction

from actions.conversation.base import (
    ConversationAction,
    answered_now,
    latest,
    load_answers,
    names_a_symptom,
    payload,
    typed,
)
from actions.conversation.red_flags import RedFlagFirst
from actions.conversation.services import clinic_today
from actions.conversation.texts import journey_texts, raw, say
from actions.intake_answers import Answers, answer_question, apply_message, asks_questions_left, read_reply
from actions.intake_answers.replies import AGE
from actions.screening import default_rules, pending_questions
from contract.volunteering import CONSULTATION_FORM, may_volunteer_facts

CONSENT = "consent"
FORM = CONSULTATION_FORM
ANSWER_SLOT = "consultation_answer"
# Questions that are not about health: asked before consent (concerns, areas) or after (preferences).
BEFORE_CONSENT = ("concerns", "areas")
AFTER_HEALTH = ("preferences",)
CONCERN_BUTTONS = (
    "acne_scars",
    "fine_lines",
    "wrinkles",
    "laxity",
    "pores_texture",
    "hyperpigmentation",
    "stretch_marks",
    "surgical_scars",
    "hair_loss",
    "under_eye",
)
AREA_BUTTONS = ("face", "neck", "chest", "body", "scalp", "under_eye")
ENTITY_OF_FIELD = {
    "conditions": "condition",
    "medications": "medication",
    "concerns": "concern",
    "areas": "area",
    "recent_procedures": "procedure",
}
# Contract values whose entity value is spelled differently.
ENTITY_VALUE = {"isotretinoin_current": "isotretinoin"}


def next_question(answers: Answers, consent: bool | None) -> str | None:
    """The next question that matters, in clinical-kb section 7 order, or None when done.

    Concerns and areas come first; consent before the first health question; preferences last.
    Without consent no health question is asked (and no preference: nothing would be suggested).
    """
    pending = pending_questions(answers.to_intake(clinic_today()), asked=answers.asked())
    for question in BEFORE_CONSENT:
        if question in pending:
            return question
    health = [q for q in pending if q not in BEFORE_CONSENT + AFTER_HEALTH]
    if consent is False:
        return None
    if health:
        return CONSENT if consent is None else health[0]
    return next((q for q in AFTER_HEALTH if q in pending), None)


def questions_left(answers: Answers, consent: bool | None) -> int:
    """At most how many questions are still to come (answers can make some unnecessary)."""
    if consent is False:
        return 0
    pending = pending_questions(answers.to_intake(clinic_today()), asked=answers.asked())
    return len(pending) + (1 if consent is None and any(q not in BEFORE_CONSENT + AFTER_HEALTH for q in pending) else 0)


def tell_questions_left(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """In the questions, "how many more?" gets a number (the question in play then comes back)."""
    if (tracker.active_loop or {}).get("name") != FORM or not asks_questions_left(typed(tracker)):
        return False
    left = questions_left(load_answers(tracker), tracker.get_slot("health_consent"))
    dispatcher.utter_message(text=say("journey", "questions_left", count=left))
    return True


def _label(value: str) -> str:
    labels = journey_texts().get("labels") or {}
    return labels.get(value) or value.replace("_", " ").capitalize()


def _yes_no_buttons(with_why: bool = True) -> list[dict[str, str]]:
    buttons = [
        {"title": say("journey", "answer_yes"), "payload": payload("affirm")},
        {"title": say("journey", "answer_no"), "payload": payload("deny")},
        {"title": say("journey", "not_sure"), "payload": payload("dont_know")},
    ]
    if with_why:
        buttons.append({"title": say("journey", "why"), "payload": payload("why_ask")})
    return buttons


def _value_buttons(field: str, values: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    entity = ENTITY_OF_FIELD[field]
    return [{"title": _label(v), "payload": payload("inform", {entity: ENTITY_VALUE.get(v, v)})} for v in values]


def question_prompt(question_id: str, answers: Answers, options: list[str] | None) -> tuple[str, list[dict]]:
    """The text and buttons that ask ``question_id``."""
    if question_id == CONSENT:
        return say("consent", "ask"), [
            {"title": say("consent", "yes_button"), "payload": payload("affirm")},
            {"title": say("consent", "no_button"), "payload": payload("deny")},
        ]
    rules = default_rules()
    question = rules.question(question_id)
    not_sure = {"title": say("journey", "not_sure"), "payload": payload("dont_know")}
    why = {"title": say("journey", "why"), "payload": payload("why_ask")}
    if answers.awaiting:
        return say("details", answers.awaiting), [not_sure]
    if options:
        field = "recent_procedures" if question.field == "recent_procedures" else question.field
        return say("details", "choose"), _value_buttons(field, options) + [not_sure]
    text = question.ask
    if question_id == "concerns":
        return text, _value_buttons("concerns", CONCERN_BUTTONS) + [not_sure]
    if question_id == "areas":
        return text, _value_buttons("areas", AREA_BUTTONS) + [not_sure]
    if question_id == "age":
        return text, [why]
    if question_id == "fitzpatrick":
        return text, [{"title": t, "payload": t} for t in raw("journey_buttons", "skin_types")] + [not_sure, why]
    if question_id == "preferences":
        buttons = [{"title": title, "payload": words} for title, words in raw("journey_buttons", "preferences")]
        return text, buttons + [{"title": say("journey", "no_preference"), "payload": payload("deny")}]
    if question_id == "medications.isotretinoin":
        return text, [
            {"title": _label("isotretinoin"), "payload": payload("inform", {"medication": "isotretinoin"})},
            {"title": say("journey", "isotretinoin_stopped"), "payload": say("journey", "isotretinoin_stopped_words")},
            {"title": say("journey", "answer_no"), "payload": payload("deny")},
            not_sure,
            why,
        ]
    if question_id == "recent_procedures":
        return text, [{"title": say("journey", "answer_no"), "payload": payload("deny")}, not_sure, why]
    values = tuple(question.values or ())
    if len(values) > 1 and question.field in ENTITY_OF_FIELD:
        return text, _value_buttons(question.field, values) + [
            {"title": say("journey", "answer_no"), "payload": payload("deny")},
            not_sure,
            why,
        ]
    return text, _yes_no_buttons()


class ActionStartConsultation(ConversationAction):
    """Introduces the questions; says whether any are left (rules branch on ``questions_left``)."""

    speaks_during_handoff = False

    def name(self) -> str:
        return "action_start_consultation"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        answers = load_answers(tracker)
        consent = tracker.get_slot("health_consent")
        left = next_question(answers, consent) is not None
        # Facts volunteered in the first message ("acne scars on my cheeks") are answers, but the
        # consultation only resumes once it has started: the consent question was answered.
        if consent is None or not answers.asked():
            dispatcher.utter_message(text=say("journey", "start"))
        elif left:
            dispatcher.utter_message(text=say("journey", "resumed"))
        return [SlotSet("questions_left", left)]


class ActionAskConsultationAnswer(ConversationAction):
    """The next question that matters, with its buttons."""

    speaks_during_handoff = True  # the consultation form's own question, whenever the form runs

    def name(self) -> str:
        return "action_ask_consultation_answer"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        answers = load_answers(tracker)
        question = next_question(answers, tracker.get_slot("health_consent"))
        if question is None:
            dispatcher.utter_message(text=say("journey", "nothing_left"))
            return [SlotSet("current_question", None)]
        text, buttons = question_prompt(question, answers, tracker.get_slot("question_options"))
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet("current_question", question)]


class ValidateConsultationForm(RedFlagFirst, FormValidationAction):
    def name(self) -> str:
        return "validate_consultation_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> list[str]:
        answers = load_answers(tracker)
        return [ANSWER_SLOT] if next_question(answers, tracker.get_slot("health_consent")) else []

    async def extract_consultation_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        """A reply to the age question that reads as an age is the answer, whatever the classifier made
        of it (the slot's from_text mapping leaves question-like intents to the rules)."""
        if (
            tracker.get_slot(ANSWER_SLOT) is not None
            or tracker.get_slot("current_question") != "age"
            or not answered_now(tracker, FORM)
        ):
            return {}
        message = typed(tracker)
        reply = read_reply(message, AGE, red_flag=names_a_symptom(tracker))
        return {ANSWER_SLOT: message} if message and reply.answer is not None else {}

    async def validate_consultation_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if tell_questions_left(dispatcher, tracker):
            return {ANSWER_SLOT: None}
        intent, entities, text = latest(tracker)
        answers = load_answers(tracker)
        question = tracker.get_slot("current_question") or next_question(answers, tracker.get_slot("health_consent"))
        if question == CONSENT:
            if intent in ("affirm", "deny"):
                if intent == "deny":
                    dispatcher.utter_message(text=say("consent", "declined"))
                return {ANSWER_SLOT: None, "health_consent": intent == "affirm"}
            dispatcher.utter_message(text=say("journey", "not_understood"))
            return {ANSWER_SLOT: None}
        if question is None:
            updated, _ = apply_message(answers, text, entities, intent, clinic_today())
            return {ANSWER_SLOT: None, "answers": updated.to_dict()}
        result = answer_question(answers, question, intent, entities, text, clinic_today())
        if result.status == "not_understood":
            dispatcher.utter_message(text=say("journey", "noted" if result.facts else "not_understood"))
        elif result.facts and any(f.question != question for f in result.facts):
            dispatcher.utter_message(text=say("journey", "noted"))
        options = list(result.options) if result.status == "choose" else None
        return {ANSWER_SLOT: None, "answers": result.answers.to_dict(), "question_options": options}


class ValidateVolunteeredFacts(ValidationAction):
    """Every turn outside the consultation form: facts the visitor states about themselves
    ("btw I'm pregnant", "I was on accutane until March", "actually I stopped it in January").

    Rasa calls it only for the messages ``may_volunteer_facts`` accepts (rasa_server/speedups/slot_validation_gate.py),
    so it must not grow ``validate_<slot>`` methods: those would be skipped on the other turns.
    """

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_answers(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        intent, entities, text = latest(tracker)
        if not may_volunteer_facts(intent, text, entities, (tracker.active_loop or {}).get("name")):
            return {}  # in the form its own validation records the reply
        answers = load_answers(tracker)
        updated, facts = apply_message(answers, text, entities, intent, clinic_today())
        return {"answers": updated.to_dict()} if facts else {}


class ActionWhyAsk(ConversationAction):
    """'Why do you ask?' about the question in play."""

    speaks_during_handoff = True

    def name(self) -> str:
        return "action_why_ask"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        question = tracker.get_slot("current_question")
        try:
            text = say("why", question) if question and question != CONSENT else say("why", "default")
        except KeyError:
            text = say("why", "default")
        dispatcher.utter_message(text=text)
        return []


class ActionPause(ConversationAction):
    """Stop asking for now; the answers stay for later in the same conversation."""

    speaks_during_handoff = True

    def name(self) -> str:
        return "action_pause"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        from rasa_sdk.events import ActiveLoop

        dispatcher.utter_message(text=say("journey", "paused"))
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
