"""Words for cutting a message into clauses and reading numbers written in words (intake_answers.text)."""

from __future__ import annotations

# Words that start a new clause with its own polarity ("no allergies but i have a pacemaker").
CLAUSE_BREAK_WORDS = (
    r"but|although|though|however|except|apart from|other than|besides|whereas|while i|"
    r"and|or|also|plus|as well as"
)
# Of those, the ones that break a clause only when a new statement follows: "no eczema or psoriasis"
# keeps both negated, "no eczema and i take warfarin" does not negate warfarin.
COORDINATORS = frozenset({"and", "or", "also", "plus", "as well as"})
# What starts a statement of its own after a coordinator: a pronoun or a verb.
STATEMENT_STARTERS = (
    r"i|i'm|im|i've|ive|i'd|id|i'll|me|my|we|we're|she|he|they|it|it's|its|there|there's|theres|"
    r"had|have|has|take|taking|get|got|use|using|am|was|do|did|does|can|could|is|are|will|would|should|"
    r"btw|also|plus"
)
# A question starting in the middle of a message ("im on accutane can i have it"): a verb or question
# word, then one of these subjects.
MID_QUESTION_VERBS = r"can|could|would|will|should|is|are|does|do|am|what|how|when|why|which"
MID_QUESTION_SUBJECTS = r"i|it|you|that|this|they|my|we|there|microneedling|rf|prp"
# Words that open a question at the start of a clause.
QUESTION_OPENING_WORDS = r"can|could|would|will|should|is|are|does|do|did|am|what|how|when|why|which|who|where|any"

# Numbers in words: "seventeen" -> 17, "thirty four" -> 34, "a hundred and two" -> 102.
NUMBERS_BELOW_TWENTY = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
HUNDRED = "hundred"
# Words standing for one before "hundred" ("a hundred"), and words joining the parts ("a hundred and two").
ONE_BEFORE_HUNDRED = frozenset({"a", "an"})
NUMBER_JOINERS = frozenset({"and"})
# "thirty four", "thirty-four", "a hundred and two", "one hundred": a run of number words.
NUMBER_WORDS_PATTERN = (
    r"(?:(?:a|an|one)\s+hundred(?:\s+and)?\s*)?"
    r"(?:(?:"
    + "|".join(TENS)
    + r")(?:[\s-]+(?:"
    + "|".join(k for k in NUMBERS_BELOW_TWENTY if NUMBERS_BELOW_TWENTY[k] < 10 and k != "zero")
    + r"))?"
    r"|" + "|".join(sorted(NUMBERS_BELOW_TWENTY, key=len, reverse=True)) + r")"
    r"|(?:a|an|one)\s+hundred"
)
