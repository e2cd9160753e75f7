"""English: the words and phrase patterns ``actions.intake_answers`` reads visitors' messages with.

One module per consumer in ``actions/intake_answers`` (same name). Regular expressions are given as
source text (the parsing code compiles them, on normalised text: lower case, plain apostrophes); a name
ending in ``_PATTERN`` or holding an alternation ("a|b|c") is such a source. Modules import each other
relatively, so a copy of this folder under another code is a language of its own.
"""

from . import answering, contact, dates, facts, negation, numbers, preferences, replies, summary, text

__all__ = ["answering", "contact", "dates", "facts", "negation", "numbers", "preferences", "replies", "summary", "text"]
