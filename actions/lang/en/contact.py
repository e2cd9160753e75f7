"""Words around names, contact details and booking references: "my name is", "thanks", titles, the
chat words no name is made of, "my mobile is", "ref" (intake_answers.contact)."""

from __future__ import annotations

# Introducing a name: "hi, my name is ...", "it's ...", "call me ...".
NAME_INTRODUCTION_PATTERN = (
    r"^\s*(?:hi|hello|hey)?[\s,!]*(?:my\s+name\s+is|my\s+name's|my\s+names|name\s+is|name's|names|name\s*:|"
    r"it'?s|its|i'?m|im|i\s+am|this\s+is|call\s+me|you\s+can\s+call\s+me|it\s+is)\s+"
)
# "Priya Patel, thanks": courtesy words that may end a name reply.
NAME_TRAILING_WORDS = r"thanks|thank\s+you|thx|ta|please|cheers|here"
# Ordinary chat words: no name is made of these alone (a reply made of them is something else). Month
# and weekday names (dates.MONTH_SPELLINGS, dates.WEEKDAY_SPELLINGS) count too.
CHAT_WORDS = frozenset(
    {
        "yes",
        "no",
        "yeah",
        "yep",
        "nope",
        "ok",
        "okay",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "please",
        "not",
        "sure",
        "book",
        "booking",
        "appointment",
        "cancel",
        "morning",
        "afternoon",
        "evening",
        "today",
        "tomorrow",
        "next",
        "week",
        "later",
        "pregnant",
        "breastfeeding",
        "fine",
        "good",
        "here",
        "back",
        "sorry",
        "the",
        "a",
        "an",
        "and",
        "is",
        "on",
        "at",
        "my",
        "me",
        "i",
        "im",
        "you",
        "it",
        "what",
        "why",
        "how",
        "when",
        "help",
        "stop",
        "human",
        "person",
        "microneedling",
        "prp",
        "rf",
        "botox",
        "dont",
        "don't",
        "know",
        "idk",
        "dunno",
        "none",
        "anything",
        "nothing",
        "all",
        "just",
        "want",
        "would",
        "like",
        "can",
        "could",
        "have",
        "had",
        "with",
        "for",
        "to",
        "of",
        "in",
        "about",
        "from",
        "skin",
        "face",
        "acne",
        "scars",
        "number",
        "email",
        "phone",
        "name",
        "call",
        "text",
        "whatsapp",
    }
)
# Titles before a name ("Dr No", "Mrs Patel").
NAME_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "mr.", "mrs.", "ms.", "dr."})
# Words that introduce a contact detail beside a name: "my mobile is", "and email".
CONTACT_INTRODUCTION_PATTERN = r"\b(?:mobile|phone|number|tel|email|e-mail|mail|is|my|and|on)\b"
# Words right before a booking reference: "ref KD7P2QXM", "booking number is ...".
REFERENCE_CUE_PATTERN = r"\b(?:ref(?:erence)?|booking|code|number|no)\s*(?:is|was|:|#)?\s*$"
