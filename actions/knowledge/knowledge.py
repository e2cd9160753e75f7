"""The loaded answer content for one clinic: pick an answer and render it."""

from __future__ import annotations

from pathlib import Path
from typing import Collection, Mapping, Sequence

from actions.content.clinic import Clinic
from actions.knowledge.model import Answer, TopicContent
from actions.knowledge.render import ClinicRenderer
from actions.knowledge.selection import select_variant


class Knowledge:
    """Answers and conversation messages from answers.yml, rendered with clinic.yml's settings."""

    def __init__(
        self,
        topics: Mapping[str, TopicContent],
        messages: Mapping[str, str],
        clinic: Clinic,
        path: Path | None = None,
    ) -> None:
        self._topics = dict(topics)
        self._messages = dict(messages)
        self.clinic = clinic
        self.path = path
        self._renderer = ClinicRenderer(clinic, messages["price_unknown"], messages["detail_unknown"])

    @property
    def topics(self) -> tuple[str, ...]:
        """Topic names in the order of the content file."""
        return tuple(self._topics)

    @property
    def message_names(self) -> tuple[str, ...]:
        return tuple(self._messages)

    def topic_content(self, topic: str) -> TopicContent:
        """The unrendered content of one topic (default answer and variants)."""
        try:
            return self._topics[topic]
        except KeyError:
            raise KeyError(f"unknown topic {topic!r}; known topics: {', '.join(self._topics)}") from None

    def title(self, topic: str) -> str:
        """Short label for a topic button."""
        return self.topic_content(topic).title

    def answer(
        self,
        topic: str,
        *,
        treatment: str | Sequence[str] | None = None,
        concern: str | Sequence[str] | None = None,
        area: str | Sequence[str] | None = None,
        procedure: str | Sequence[str] | None = None,
        focus: Collection[str] = (),
    ) -> Answer:
        """The answer for ``topic``: the most specific variant matching the given entity values.

        ``focus`` names the labels (treatment, concern, ...) the visitor mentioned just now; they
        break ties between equally specific variants. Values the content does not know simply match
        no variant (the default answer is used).
        """
        content = self.topic_content(topic)
        given = {"treatment": treatment, "concern": concern, "area": area, "procedure": procedure}
        variant, matched = select_variant(content.variants, given, focus)
        chosen = variant or content
        return Answer(
            topic=topic,
            text=self.render(chosen.answer),
            sources=chosen.sources,
            kb=chosen.kb,
            matched=matched,
        )

    def message(self, name: str, **extra: object) -> str:
        """A conversation message (greet, clarify, ...) rendered for the clinic.

        ``extra`` gives or overrides placeholder values, e.g. ``message("greet", clinic_name="X")``.
        """
        try:
            text = self._messages[name]
        except KeyError:
            raise KeyError(f"unknown message {name!r}; known messages: {', '.join(self._messages)}") from None
        return self.render(text, **extra)

    def render(self, text: str, **extra: object) -> str:
        """Fill the placeholders of any content text from the clinic's settings."""
        return self._renderer.render(text, extra)
