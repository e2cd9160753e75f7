"""Words that deny, doubt or suppose something about an entity ("no pacemaker", "not sure if i'm
pregnant", "what if i get a fever") and the words that end something that was true ("stopped", "used
to") (intake_answers.negation)."""

from __future__ import annotations

# Single words that deny what follows them within a few words: "no pacemaker", "never had eczema".
NEGATION_WORDS = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nor",
        "neither",
        "without",
        "stopped",
        "quit",
        "quitted",
        "nope",
        "nah",
        "ceased",
        "discontinued",
        "cant",
        "cannot",
        "havent",
        "hasnt",
        "hadnt",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "aint",
        "wont",
        "nothing",
        "free",
    }
)
# Verbs that deny with "n't" (apostrophe dropped): "don't", "haven't", "can't" ("ca"), "won't" ("wo").
NOT_SUFFIX = "nt"
NOT_SUFFIX_VERBS = frozenset(
    {"do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "ca", "wo", "could", "should", "would"}
)
# A "no" that answers the question rather than denying the entity ("no i take warfarin"): these words,
# followed by one of ANSWER_PARTICLE_FOLLOWERS, start a statement of their own.
ANSWER_PARTICLES = frozenset({"no", "nope", "nah"})
ANSWER_PARTICLE_FOLLOWERS = frozenset(
    {
        "i",
        "i'm",
        "im",
        "i've",
        "ive",
        "my",
        "we",
        "it",
        "its",
        "it's",
        "but",
        "just",
        "only",
        "thats",
        "that's",
        "actually",
        "wait",
        "sorry",
        "yes",
        "yeah",
        "well",
    }
)
# "stopped by", "quit at": the verb followed by one of these words is no denial.
STOPPING_VERBS = frozenset({"stopped", "quit"})
NOT_STOPPING_AFTER = frozenset({"by", "at"})
# The two words of "used to" ("i used to get cold sores").
USED_TO = ("used", "to")
# "no longer", "not anymore" as two words: the first, then the second.
NO_LONGER_FIRST = frozenset({"no", "not"})
NO_LONGER_SECOND = frozenset({"longer", "anymore"})
# Later in the sentence, after the entity: "i don't get cold sores any more".
NO_MORE_LATER_PATTERN = r"^[^.!?,;]*\b(?:any\s*more|no\s+more|these\s+days|nowadays)\b"
# After the entity, in its sentence: an exception undoes the denial ("no keloids except one on my ear",
# "no cold sores apart from one last year"): the visitor has one.
EXCEPTION_AFTER_PATTERN = (
    r"^[^.!?;]*?\b(?:except(?:\s+for)?|apart\s+from|other\s+than|besides|aside\s+from|save\s+for|"
    r"but\s+(?:one|a\s+(?:small|little|tiny)|for|i\s+(?:do|did|have|get|had)\b)|only\s+(?:one|a\s+(?:small|little))|"
    r"just\s+(?:one|a\s+(?:small|little)|the\s+(?:odd|occasional|one)))\b"
)
# Stopping a medicine for the treatment is still taking it (a clinician decides, the assistant never
# endorses stopping): "i stopped my warfarin last week for this".
FOR_THE_TREATMENT_PATTERN = (
    r"\b(?:for\s+(?:this|it|the\s+(?:treatment|procedure|appointment|session)|microneedling|my\s+(?:treatment|"
    r"appointment|session))|before\s+(?:the\s+|my\s+|this\s+)?(?:treatment|procedure|appointment|session|microneedling)|"
    r"ahead\s+of\s+(?:the\s+|my\s+)?(?:treatment|procedure|appointment)|in\s+preparation|to\s+(?:have|get|do)\s+"
    r"(?:this|it|the\s+treatment|microneedling)|so\s+(?:i\s+)?(?:can|could)\s+(?:have|get|book))\b"
)
# Cues that stop a medicine (for FOR_THE_TREATMENT_PATTERN).
STOPPING_CUES = frozenset({"stopped", "quit", "quitted", "ceased", "discontinued"})
# Right after the entity: a long time since, so a history ("haven't had a cold sore in years").
LONG_AGO_AFTER_PATTERN = (
    r"^\W*(?:in|for)\s+(?:years|ages|a\s+(?:long\s+)?(?:time|while)|(?:a\s+)?(?:few|couple\s+of|\d+|many)\s+years)\b"
    r"|^\W*since\s+(?:i\s+was|childhood|school|uni|my\s+teens)\b"
)

# The names negation_cue gives the cues it found (PAST_CUES and the tests use them).
CUE_USED_TO = "used to"
CUE_NO_LONGER = "no longer"
CUE_NOT_ANYMORE = "not anymore"
CUE_NO = "no"
# Cues that end something that was true: "stopped", "used to", "no longer". For a history value
# ("i used to get cold sores") they confirm it rather than deny it.
PAST_CUES = frozenset(
    {"stopped", "quit", "quitted", "ceased", "discontinued", "used to", "no longer", "not anymore", "anymore"}
)

# After the entity, ending its sentence: "warfarin? not any more", "on roaccutane anymore"; a match
# holding one of NO_LONGER_MARKERS means "not anymore", any other means "no".
AFTER_ENTITY_NEGATION_PATTERN = (
    r"^\W*(?:(?:(?:not|no)\s+(?:any\s*more|longer)|any\s*more|no\s+more|not\s+now|not\s+currently)\s*(?:[.!,;?]|$)"
    r"|[?:\-\s]+(?:no|nope|nah|not\s+really|never)\W*$)"
)
NO_LONGER_MARKERS = ("more", "longer")
# Doubt before the entity in its clause: "not sure if i have eczema", "i might have".
UNCERTAINTY_PATTERN = (
    r"\b(?:not\s+(?:sure|certain|100%?)|unsure|(?:don'?t|dont|do\s+not|doesn'?t)\s+know|dunno|no\s+idea|"
    r"(?:can'?t|cannot|cant|don'?t|dont)\s+(?:remember|recall)|might|maybe(?!\s+(?:once|twice|every))|possibly|perhaps|could\s+be|"
    r"i\s+think|not\s+that\s+i'?m\s+aware|i'?m\s+not\s+aware|idk|probably|think\s+so|may\s+(?:have|be))\b"
)
# Doubt right after the entity: "eczema maybe", "pregnant? not sure".
UNCERTAINTY_AFTER_PATTERN = r"^\W*(?:maybe|i\s+think|not\s+sure|possibly|perhaps|\?\s*not\s+sure)\b"
# A hypothetical or someone else's situation: "what if i get a fever", "my sister has a pacemaker".
HYPOTHETICAL_PATTERN = (
    r"\b(?:if|whether|in\s+case|incase|suppose|supposing|(?<!to\s)say\s+i|what\s+about|what\s+if|hypothetically|"
    r"should\s+i\s+(?:ever|get|become)|(?:when|once)\s+(?:you'?re|you\s+are|someone|people)|for\s+someone|"
    r"people\s+(?:who|with|on|that)|anyone\s+(?:who|with|on)|someone\s+(?:who|with|on)|my\s+(?:friend|sister|mum|mom|"
    r"daughter|partner|wife|husband|boyfriend|girlfriend|son|brother|dad|mother|father|colleague))\b"
)
# "not sure if i have ...", "can't remember whether ...": uncertainty about oneself, not a hypothetical.
UNSURE_IF_PATTERN = (
    r"\b(?:not\s+sure|unsure|(?:don'?t|dont|do\s+not)\s+know|dunno|no\s+idea|(?:can'?t|cannot|cant)\s+remember|"
    r"not\s+certain|idk)\s+(?:if|whether)\b"
)
