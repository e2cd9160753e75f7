"""Consultation answers: clinic-editable content (actions/content/answers.yml) and its selection.

Pure Python (no Rasa imports) so the actions, tests and tools can all use it::

    from actions.knowledge import load_knowledge
    knowledge = load_knowledge()
    knowledge.answer("pain", treatment="rf_microneedling").text
    knowledge.message("greet")
"""

from actions.knowledge.knowledge import Knowledge
from actions.knowledge.loader import ANSWERS_FILE, MESSAGE_NAMES, load_knowledge
from actions.knowledge.model import Answer, TopicContent, Variant
from actions.knowledge.vocabulary import AREAS, CONCERNS, ENTITY_VALUES, PROCEDURES, TOPICS, TREATMENTS

__all__ = [
    "ANSWERS_FILE",
    "AREAS",
    "Answer",
    "CONCERNS",
    "ENTITY_VALUES",
    "Knowledge",
    "MESSAGE_NAMES",
    "PROCEDURES",
    "TOPICS",
    "TREATMENTS",
    "TopicContent",
    "Variant",
    "load_knowledge",
]
