"""Words of a yes, a no and an "I don't know" in a reply to a screening question (intake_answers.answering)."""

from __future__ import annotations

# "not that i know of" is a no (shared vocabulary); checked before the "don't know" family.
NO_REPLY_PATTERN = (
    r"^\W*(?:no+|nope|nah|na|n|none|never|not\s+really|not\s+at\s+all|i\s+don'?t|i\s+do\s+not|i\s+dont|i'?m\s+not|"
    r"im\s+not|i\s+am\s+not|i\s+haven'?t|i\s+have\s+not|neither|nothing|not\s+that\s+i\s+know(?:\s+of)?|"
    r"negative|not\s+me|no\s+way|definitely\s+not|nothing\s+like\s+that|nada)\b"
)
NOT_THAT_I_KNOW_PATTERN = r"\bnot\s+that\s+i\s+(?:know|am\s+aware|'?m\s+aware)\b"
# "I don't know" and its kin: never a no.
UNSURE_REPLY_PATTERN = (
    r"\b(?:not\s+sure|unsure|no\s+idea|dunno|don'?t\s+know|dont\s+know|do\s+not\s+know|idk|can'?t\s+remember|"
    r"cannot\s+remember|cant\s+remember|not\s+certain|no\s+clue|maybe(?!\s+(?:once|twice|every))|possibly|perhaps|might\s+(?:be|have)|"
    r"i\s+think\s+so|hard\s+to\s+say|can'?t\s+say|"
    # a pregnancy not ruled out: "no but my period is late"
    r"period(?:\s+is|'s|s)?\s+(?:a\s+(?:bit|little|few\s+days)\s+|very\s+|quite\s+)?late|late\s+period|"
    r"missed\s+(?:a|my|one)\s+period|period\s+(?:hasn'?t|has\s+not|didn'?t|did\s+not)\s+(?:come|started|arrived|turned\s+up))\b"
)
# A no with an exception is not a clean no: "no except one on my ear", "none apart from a small one".
EXCEPTION_PATTERN = (
    r"\b(?:except(?:\s+for)?|apart\s+from|other\s+than|besides|aside\s+from|save\s+for|but\s+(?:one|a\s+(?:small|"
    r"little|tiny))|only\s+(?:one|a\s+(?:small|little)|the\s+(?:odd|occasional|one))|"
    r"just\s+(?:one|a\s+(?:small|little)|the\s+(?:odd|occasional|one)))\b"
)
# A yes at the start of the reply.
YES_REPLY_PATTERN = (
    r"^\W*(?:y|ye+s+|yeah|yea|yep|yup|ya|ja|aye|sure|correct|right|definitely|absolutely|affirmative|i\s+do|i\s+am|"
    r"i'?m|im|i\s+have|i\s+did|i\s+take|that'?s\s+right|unfortunately|afraid\s+so|sadly)\b"
)
