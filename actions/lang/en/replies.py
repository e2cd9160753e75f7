"""Words that say what a reply is besides an answer: asking for a person, stopping, a question; and
picks among offered times ("the second one") (intake_answers.replies)."""

from __future__ import annotations

# A person, not the assistant: "can I talk to someone", "real person please", "get me a human".
PERSON_PATTERN = (
    r"\b(?:human|humans|real\s+person|a\s+person|actual\s+person|live\s+person|someone|somebody|some\s+one|"
    r"staff|member\s+of\s+staff|receptionist|reception|front\s+desk|operator|agent|representative|"
    r"(?:speak|talk|chat)\s+(?:to|with)\s+(?:you\s+)?(?:a|an|the|your|someone|somebody|anyone|person|people)\b|"
    r"call\s+me\s+back|ring\s+me\s+back|phone\s+me\s+back)\b"
)
# Leaving the flow: "stop", "cancel", "never mind", "forget it", "no thanks", "not now".
STOP_PATTERN = (
    r"\b(?:stop|cancel|quit|exit|abort|never\s*mind|nvm|forget\s+(?:it|this|that|about\s+it)|"
    r"changed?\s+my\s+mind|no\s+thanks?|no\s+thank\s+you|not\s+now|not\s+interested|leave\s+it)\b"
)
# "what about friday?" and "how about the 10th" offer an answer rather than ask a question.
ANSWER_OFFER_PATTERN = r"^\s*(?:what|how)\s+about\b"
# "1", "the second one", "option 3", "last": a pick among the times just offered (0 = the first).
ORDINAL_POSITIONS = {
    "first": 0,
    "1st": 0,
    "1": 0,
    "one": 0,
    "second": 1,
    "2nd": 1,
    "2": 1,
    "two": 1,
    "third": 2,
    "3rd": 2,
    "3": 2,
    "three": 2,
    "fourth": 3,
    "4th": 3,
    "4": 3,
    "four": 3,
    "last": -1,
}
# The words around such a pick: before ("the", "option", "number", "#") and after ("one", "please").
BEFORE_ORDINAL_PICK = r"the|option|number|no\.?|#"
AFTER_ORDINAL_PICK = r"one|slot|option|time|appointment|course|please|pls|thanks"
# A question word opening the message, alone or as "what's"/"who'd", not the start of a name ("Why'lan").
QUESTION_WORD_START_PATTERN = (
    r"^\s*(?:what|whats|how|hows|when|why|which|who|whos|where)(?:'(?:s|re|d|ll))?\b(?!['-]\w)"
)
# A verb with its subject opening a question ("can I ...", "is it ...", "do you ..."): "Will Smith",
# "Can Yilmaz" and "Do Van Thanh" are names.
VERB_SUBJECT_START_PATTERN = (
    r"^\s*(?:can|could|would|will|should|shall|is|are|does|do|did|am|may|have|has)\s+"
    r"(?:i|it|you|u|that|this|they|my|we|there|he|she|the|a|an|microneedling|rf|prp|someone|somebody|anyone)\b"
)
# Between a name and a contact detail: "priya patel and 07700 900321".
NAME_PARTS_SEPARATOR = r"[,;]|\band\b"
# Treating a possible complication oneself: "can I put antibiotic cream on it", "should I take
# antihistamines", "is it ok to use my old fucidin", "pop the blisters", "squeeze the pus out".
SELF_TREATMENT_PATTERN = (
    r"\b(?:(?:put|use|apply|rub|take|try|pop|squeeze|drain|lance|burst|pick)\b.{0,40}?"
    r"(?:cream|ointment|gel|lotion|antibiotics?|antihistamines?|piriton|benadryl|cetirizine|steroid|"
    r"hydrocortisone|fucidin|fusidic|sudocrem|savlon|germolene|neosporin|polysporin|bacitracin|"
    r"aciclovir|acyclovir|zovirax|tablets?|pills?|medicine|meds|them|it|blisters?|spots?|pus|ice|"
    r"tea\s+tree|aloe|vaseline)|"
    r"(?:treat|sort|fix|deal\s+with|manage|handle)\s+(?:it|this|that|them)\s+(?:myself|at\s+home|my\s+self)|"
    r"home\s+remed(?:y|ies)|at\s+home\s+instead|left\s*over\s+(?:cream|antibiotics?|tablets?))"
)
# Asking how much of the questionnaire is left: "how many more questions?", "how long is this going to
# take", "are we nearly done", "how much longer".
QUESTIONS_LEFT_PATTERN = (
    r"\b(?:how\s+many\s+(?:more\s+|other\s+|left\s+)?(?:questions?|qs|things|more)|"
    r"how\s+(?:much\s+)?(?:longer|long\s+(?:is|will)\s+(?:this|it)|long\s+does\s+this)|"
    r"(?:are\s+we|nearly|almost)\s+(?:nearly\s+|almost\s+)?(?:done|there|finished)|"
    r"(?:many|lots\s+of|so\s+many)\s+questions|still\s+more\s+questions)"
)
