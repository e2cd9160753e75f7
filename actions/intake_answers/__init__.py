"""What a visitor typed, turned into intake facts for the screening engine (pure Python, no Rasa).

from actions.intake_answers import (
    Answers, AnswerResult, DayRequest, Fact, answer_question, apply_message, facts_from_message,
    is_negated, parse_age, parse_day_request, parse_email, parse_fitzpatrick, parse_future_date,
    parse_name, parse_past_date, parse_phone, parse_reference,
)

facts_from_message(text, entities, intent, today, *, context=None, rules=None) -> list[Fact]
answer_question(answers, question_id, intent, entities, text, today, *, rules=None) -> AnswerResult
apply_message(answers, text, entities, intent, today, *, rules=None) -> (Answers, list[Fact])
Answers.from_dict(slot) / .to_dict() / .apply(facts) / .mark(question_id, answer, values)
       .to_intake(today) -> dict for decide()   .asked() / .open_questions() -> set of question ids
       .summary() -> str for the clinician
parse_age(text) -> int | None           parse_fitzpatrick(text) -> int | None
parse_past_date(text, today) -> date | None    parse_future_date(text, today) -> date | None
parse_day_request(text, today) -> DayRequest   is_negated(text, start, end) -> bool
parse_phone(text, region="GB") / parse_email(text) / parse_name(text) / parse_reference(text) -> str | None
parse_contact(text, region="GB") -> str | None   looks_like_contact(text) -> bool   first_name(name) -> str
read_reply(text, expected, *, red_flag=False, today=None, region="GB") -> Reply
       the reply to the assistant's own question for a name, contact, reference, age or time:
       the answer, or what else it clearly is (red flag, a person, stop, a question)
symptoms_in(text, symptoms, today) -> list   the ruler's symptoms, loose airway words, healing past day 3
asks_questions_left(text) -> bool       "how many more questions?"
asks_self_treatment(text) -> bool      "can I put antibiotic cream on it?": treating a complication oneself
"""

from actions.intake_answers.answering import AnswerResult, answer_question, apply_message
from actions.intake_answers.answers import Answers, QuestionState
from actions.intake_answers.contact import (
    first_name,
    looks_like_contact,
    parse_contact,
    parse_email,
    parse_name,
    parse_phone,
    parse_reference,
)
from actions.intake_answers.dates import DayRequest, parse_day_request, parse_future_date, parse_past_date
from actions.intake_answers.fact import Fact
from actions.intake_answers.facts import facts_from_message, symptoms_in
from actions.intake_answers.negation import is_hypothetical, is_negated, is_uncertain
from actions.intake_answers.numbers import parse_age, parse_fitzpatrick
from actions.intake_answers.questions import question_for
from actions.intake_answers.replies import Reply, asks_questions_left, asks_self_treatment, name_answer, read_reply

__all__ = [
    "asks_questions_left",
    "asks_self_treatment",
    "AnswerResult",
    "Answers",
    "DayRequest",
    "Fact",
    "QuestionState",
    "Reply",
    "answer_question",
    "apply_message",
    "facts_from_message",
    "first_name",
    "is_hypothetical",
    "is_negated",
    "is_uncertain",
    "looks_like_contact",
    "name_answer",
    "parse_age",
    "parse_contact",
    "parse_day_request",
    "parse_email",
    "parse_fitzpatrick",
    "parse_future_date",
    "parse_name",
    "parse_past_date",
    "parse_phone",
    "parse_reference",
    "question_for",
    "symptoms_in",
    "read_reply",
]
