"""Consultation questions and small talk, answered from actions/content/answers.yml."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation.base import ConversationAction
from actions.conversation.content import knowledge
from actions.conversation.journey import tell_questions_left
from actions.knowledge import Knowledge
from actions.knowledge.vocabulary import ENTITY_VALUES

FAQ_INTENT_PREFIX = "ask_"
FOLLOWUP_INTENT = "followup"
# The subject of a question: entity labels whose slots carry over between turns.
SUBJECT_SLOTS = ("treatment", "concern", "area", "procedure")
# Offered when the assistant is unsure what was meant, or at the start.
MENU_TOPICS = ("what_is", "pain", "downtime", "price", "sessions", "concerns")
HUMAN_BUTTON = {"title": "Talk to a person", "payload": "/request_human"}


def topic_buttons(kb: Knowledge, topics: tuple[str, ...] = MENU_TOPICS) -> list[dict[str, str]]:
    buttons = [{"title": kb.title(t), "payload": f"/{FAQ_INTENT_PREFIX}{t}"} for t in topics if t in kb.topics]
    return buttons + [HUMAN_BUTTON]


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def question_topic(intent: str | None, previous_topic: str | None) -> str | None:
    """The topic a question is about: its own intent's, or for a follow-up the previous one."""
    if intent and intent.startswith(FAQ_INTENT_PREFIX):
        return intent[len(FAQ_INTENT_PREFIX) :]
    if intent == FOLLOWUP_INTENT:
        return previous_topic
    return None


def subject_in_play(tracker: Tracker) -> dict[str, str]:
    """Treatment, concern, area and procedure named now or earlier in the conversation.

    Rasa has already copied this message's entities into the slots, so the slots hold the newest
    value of each; a value that is not in the vocabulary (typed by hand as `/intent{...}`) is dropped.
    """
    subject = {}
    for name in SUBJECT_SLOTS:
        value = tracker.get_slot(name)
        if isinstance(value, str) and value in ENTITY_VALUES[name]:
            subject[name] = value
    return subject


def labels_named_now(tracker: Tracker) -> set[str]:
    """Which subject labels the latest message itself named (they win ties between answer variants)."""
    return {e.get("entity") for e in tracker.latest_message.get("entities") or []} & set(SUBJECT_SLOTS)


class ActionAnswerQuestion(ConversationAction):
    speaks_during_handoff = False

    def name(self) -> str:
        return "action_answer_question"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        if tell_questions_left(dispatcher, tracker):  # read as a question about sessions or time
            return []
        kb = knowledge()
        topic = question_topic(latest_intent(tracker), tracker.get_slot("topic"))
        if topic is None or topic not in kb.topics:
            dispatcher.utter_message(text=kb.message("followup_unclear"), buttons=topic_buttons(kb))
            return []
        answer = kb.answer(topic, **subject_in_play(tracker), focus=labels_named_now(tracker))
        dispatcher.utter_message(text=answer.text)
        return [SlotSet("topic", topic)]


class _MessageAction(ConversationAction, ABC):
    """Says one of the clinic's conversation messages (answers.yml `messages:`)."""

    speaks_during_handoff = False

    action_name = ""
    with_menu = False

    @property
    @abstractmethod
    def message(self) -> str:
        """The name of the message in answers.yml (subclasses set it as a class attribute)."""

    def name(self) -> str:
        return self.action_name

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        kb = knowledge()
        buttons = topic_buttons(kb) if self.with_menu else None
        dispatcher.utter_message(text=kb.message(self.message), buttons=buttons)
        return []


class ActionGreet(_MessageAction):
    action_name = "action_greet"
    message = "greet"
    with_menu = True


class ActionGoodbye(_MessageAction):
    action_name = "action_goodbye"
    message = "goodbye"


class ActionThank(_MessageAction):
    action_name = "action_thank"
    message = "thank"


class ActionBotChallenge(_MessageAction):
    action_name = "action_bot_challenge"
    message = "bot_challenge"


class ActionOutOfScope(_MessageAction):
    action_name = "action_out_of_scope"
    message = "out_of_scope"


class ActionClarify(_MessageAction):
    """Low confidence: ask instead of guessing, with topic buttons (a red flag gets triage first, as
    before every action)."""

    action_name = "action_clarify"
    message = "clarify"
    with_menu = True


class ActionAcknowledge(_MessageAction):
    """A yes/no with nothing pending: acknowledge and offer the menu."""

    action_name = "action_acknowledge"
    message = "acknowledge"
    with_menu = True
