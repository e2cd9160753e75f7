"""Which visitor messages may carry facts volunteered outside the consultation form.

"btw I'm pregnant", "I was on accutane until March": statements about oneself, recorded by
``ValidateVolunteeredFacts`` (actions.conversation.journey). Questions ("does it hurt?"), button
payloads without entities and turns inside the consultation form (whose own validation records the
reply) carry none.

One place for the rule, used twice: by the action itself, and by the Rasa server
(rasa_server/speedups/slot_validation_gate.py), which asks the action server only when this says a message may
carry facts. No Rasa import here: the Rasa server image copies this file alone.
"""

from __future__ import annotations

from typing import Any, Sequence

CONSULTATION_FORM = "consultation_form"
# Intents whose words may carry facts about the visitor (a question such as "can I have it if I'm
# pregnant?" carries none).
VOLUNTEERING_INTENTS = frozenset({"inform", "affirm", "deny", "dont_know", "start_consultation"})


def may_volunteer_facts(intent: str | None, text: str | None, entities: Sequence[Any], active_loop: str | None) -> bool:
    if active_loop == CONSULTATION_FORM:
        return False
    if intent not in VOLUNTEERING_INTENTS or not text:
        return False
    return not (text.startswith("/") and not entities)
