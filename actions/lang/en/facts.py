"""Words about a medicine's or a procedure's time: taking isotretinoin now or a finished course, aspirin
as a blood thinner or a painkiller, a procedure had or planned, and corrections ("actually i stopped
it") (intake_answers.facts)."""

from __future__ import annotations

# A finished isotretinoin course: "stopped", "came off it", "had a course", "2 months ago".
ISOTRETINOIN_PAST_PATTERN = (
    r"\b(?:stopped|stop(?:ped)?\s+taking|finished|ended|quit|came\s+off|come\s+off|off\s+(?:it|them|accutane|"
    r"roaccutane|isotretinoin)|i'?m\s+off|was\s+on|were\s+on|used\s+to|took|had\s+(?:a\s+)?(?:course|accutane|"
    r"roaccutane|isotretinoin)|had\s+it|completed|done\s+with|last\s+(?:\w+\s+)?(?:dose|pill|tablet|capsule)|"
    r"course\s+(?:ended|finished)|no\s+longer|any\s*more|previously|in\s+the\s+past|ago|back\s+in|was\s+taking|"
    r"been\s+off|finshed|stoped|finised)\b"
)
# "until march" is a past course only without a present tense: "i'm on it until march" is taking it now.
UNTIL_PATTERN = r"\b(?:until|till|til|up\s+to|up\s+until)\b"
# Taking it now: "still", "currently", "i'm on", "taking".
ISOTRETINOIN_PRESENT_PATTERN = (
    r"\b(?:still|currently|at\s+the\s+moment|right\s+now|atm|now|i'?m\s+on|im\s+on|am\s+on|i\s+take|i\s+am\s+taking|"
    r"i'?m\s+taking|im\s+taking|on\s+it|started|been\s+on\s+(?:it|\w+)\s+for|taking)\b"
)
# Not taking it now, which leaves a recent course open: "not currently", "not at the moment", "not now".
NOT_CURRENTLY_PATTERN = (
    r"\b(?:not\s+(?:currently|at\s+the\s+moment|right\s+now|now|at\s+present|these\s+days|any\s*more|anymore)|"
    r"(?:currently|at\s+the\s+moment|right\s+now)\s+(?:not|no)|no\s+longer|not\s+on\s+it\s+now|"
    r"not\s+(?:taking|on)\s+(?:it|them|\w+)\s+(?:now|currently|at\s+the\s+moment|right\s+now|atm|at\s+present))\b"
)
# A course still to end: "i'll finish roaccutane in april", "coming off accutane end of april", "due to
# stop in may", "i come off it next month": taking it now.
FUTURE_COURSE_END_PATTERN = (
    r"\b(?:i'?ll|i\s+will|ill|will\s+(?:be\s+)?(?:finish|stop|end|come\s+off|be\s+off)|going\s+to|gonna|coming\s+off|"
    r"due\s+to|about\s+to|plan(?:ning)?\s+to|supposed\s+to|should\s+(?:finish|stop|end)|"
    r"(?:finish|stop|end|come\s+off|get\s+off)(?:es|s)?\s+(?:(?:it|them|the\s+course|my\s+course|my\s+\w+|\w+)\s+)?"
    r"(?:next|this\s+coming|in\s+(?:a|an|\d+|two|three|four|five|six|few)|at\s+the\s+end\s+of|end\s+of|by|on\s+the)|"
    r"(?:i'?m|im|i\s+am|am|still|currently)\s+(?:on|taking)\s+(?:it|them|\w+)\s+(?:till|until|til|up\s+to)|"
    r"^\W*(?:on|taking)\s+(?:it|them|\w+)\s+(?:till|until|til|up\s+to)|finishing|stopping\s+(?:in|next|at|end))\b"
)
# Diabetes said to be poorly controlled, in the words around it ("type 1 diabetic and my sugars are all over
# the place", "diabetes but it's not very well controlled"): diabetes_uncontrolled, not the default
# diabetes_controlled.
POOR_CONTROL_PATTERN = (
    r"\b(?:not\s+(?:very\s+|that\s+|too\s+|so\s+|always\s+)?well[\s-]+controlled|not\s+(?:under\s+)?control(?:led)?|"
    r"(?:isn'?t|is\s+not|aren'?t|are\s+not)\s+(?:very\s+|that\s+|always\s+)?(?:well[\s-]+)?controlled|"
    r"poorly\s+controlled|badly\s+controlled|uncontrolled|out\s+of\s+control|all\s+over\s+the\s+place|unstable|"
    r"sugars?\s+(?:levels?\s+)?(?:are\s+|is\s+|run\s+|running\s+)?(?:high|too\s+high|up\s+and\s+down|unstable|erratic)|"
    r"hard\s+to\s+control|struggl(?:e|ing)\s+to\s+control)\b"
)
# A cold sore in the past, in the words after it: "only the one cold sore, ages ago", "a cold sore years
# ago", "one cold sore last summer": a history (cold_sore_history), not one now.
COLD_SORE_PAST_AFTER_PATTERN = (
    r"^[^.!?;]*?\b(?:ages\s+ago|years\s+ago|(?:a|one|two|\d+|few|couple\s+of|many)\s+years?\s+ago|"
    r"months\s+ago|as\s+a\s+(?:kid|child|teenager)|when\s+i\s+was|last\s+(?:year|summer|winter|spring|autumn)|"
    r"in\s+the\s+past|once\s+a\s+year|every\s+(?:now\s+and\s+then|so\s+often|year|winter)|now\s+and\s+then)\b"
)
# A cold sore now, beside one in the past: "got one right now, I get them every winter" is both.
COLD_SORE_NOW_PATTERN = (
    r"\b(?:right\s+now|at\s+the\s+moment|atm|currently|at\s+present|today|now|this\s+week|"
    r"(?:i\s+)?have\s+(?:got\s+)?(?:a|one)|i'?ve\s+got|got\s+(?:a|one)|just\s+(?:come\s+up|started|appeared)|"
    r"coming\s+(?:up|on)|flaring|flared)\b"
)
# Never taken: "never", "haven't ever".
NEVER_PATTERN = r"\b(?:never|not\s+ever|haven'?t\s+ever|have\s+not\s+ever)\b"
# Aspirin as a blood thinner (antiplatelet): prescribed, low-dose, daily, for the heart.
ASPIRIN_ANTIPLATELET_PATTERN = (
    r"\b(?:prescribed|prescription|low[\s-]*dose|baby|75\s*mg|81\s*mg|daily|every\s+day|each\s+day|"
    r"(?:my\s+)?(?:gp|doctor|cardiologist|consultant)|heart|stroke|clots?)\b"
)
# Aspirin as a painkiller (NSAID): for headaches, now and then, bought over the counter.
ASPIRIN_NSAID_PATTERN = (
    r"\b(?:for\s+(?:a\s+|my\s+)?(?:headaches?|pain|period|cramps|hangovers?|migraines?|toothache|aches?)|headaches?|"
    r"occasionally|sometimes|now\s+and\s+then|once\s+in\s+a\s+while|bought|buy|over\s+the\s+counter|otc|"
    r"when\s+i\s+need|as\s+needed|if\s+i\s+need|rarely)\b"
)
# Before a procedure: planned, not had ("getting botox next week").
PROCEDURE_PLANNED_PATTERN = (
    r"\b(?:going\s+to|gonna|getting|booked|will|i'?ll|want(?:ing)?|thinking\s+(?:of|about)|planning|plan\s+to|"
    r"would\s+like|next)\b"
)
# Before a procedure: had ("had a laser", "did microneedling").
PAST_VERB_PATTERN = r"\b(?:had|got|did|done|tried|was|were|last|ago|previous|previously|before)\b"
# A message changing the medicine discussed last: stopped it ("actually i stopped it in january").
STOPPED_MEDICINE_PATTERN = (
    r"\b(?:stopped|stop(?:ped)?\s+taking|finished|ended|quit|came\s+off|come\s+off|i'?m\s+off|last\s+(?:dose|pill|tablet)|"
    r"no\s+longer|not\s+any\s*more|off\s+(?:it|them|those)|stoped|finshed|(?:was|were)\s+(?:on\s+(?:it|them)\s+)?(?:until|till|til))\b"
)
# ... or still taking it ("i'm still on it").
STILL_ON_MEDICINE_PATTERN = r"\b(?:still\s+(?:on|taking)|i'?m\s+(?:on|taking)\s+(?:it|them)|still\s+am)\b"
# Words of a correction: "actually", "sorry", "i mean".
CORRECTION_PATTERN = r"\b(?:actually|sorry|i\s+mean|correction|wait|oops|my\s+mistake|no\s+wait|scratch\s+that)\b"
# Words standing for the medicine discussed last: "it", "them", "the tablets".
MEDICINE_PRONOUN_PATTERN = r"\b(?:it|them|that|those|the\s+(?:course|tablets|pills|meds|medication))\b"
# "still on it", "currently taking": taking it now, said again.
STILL_OR_CURRENTLY_PATTERN = r"\b(?:still|currently)\b"
# Part of an entity's words that makes a denial cover both kinds of blood thinner ("no blood thinners").
BLOOD_THINNER_WORD = "thinner"
# How long after the treatment a symptom is described, besides a date ("5 days ago", "since monday"):
# "4 days after", "five days later", "day 6", "a week later", "for a week", "over a week".
DAYS_SINCE_PATTERN = (
    r"\b(?P<days>\d{1,2}|{number})\s+days?\s+(?:after|later|on|since|now|post)\b|\bday\s+(?P<day>\d{1,2})\b"
)
WEEKS_SINCE_PATTERN = (
    r"\b(?:(?P<weeks>\d{1,2}|{number})|a|one|over\s+a|more\s+than\s+a)\s+weeks?\s+(?:after|later|on|since|now|post)\b|"
    r"\b(?:for|over|more\s+than)\s+(?:(?P<for_weeks>\d{1,2}|{number})|a|one)\s+weeks?\b"
)
# Airway signs in loose wording the phrase list cannot hold ("lips r swelling", "my throat feels kinda
# tight", "breathing weird", "struggling a bit to breathe"): breathing_difficulty_or_facial_swelling.
AIRWAY_PATTERN = (
    r"\b(?:lips?|tongue|throat|mouth)\b(?:\W+\w+){0,3}?\W+(?:swell\w*|swollen|swolen|puff\w*|tight\w*|closing|closed)\b|"
    r"\b(?:swell\w*|swollen|swolen|puffy)\W+(?:\w+\W+){0,2}?(?:lips?|tongue|throat)\b|"
    r"\b(?:breath\w*)\W+(?:\w+\W+){0,2}?(?:weird|funny|strange|odd|hard|difficult|wheezy|tight|heavy|short|"
    r"trouble|problems?)\b|"
    r"\b(?:hard|difficult|trouble|struggl\w*|problems?|cant|can'?t|cannot|can\s+not)\W+(?:\w+\W+){0,3}?breath\w*\b|"
    r"\bwheez\w*\b"
)
# A denial inside such a phrase: "lips not swollen", "throat isn't tight".
AIRWAY_DENIAL_PATTERN = r"\b(?:not|no|never|isn'?t|aren'?t|wasn'?t|nothing)\b"
# Before such a phrase in its sentence, a question about what could happen, not a report of what is
# happening: "will my lips swell after?", "can it make your throat tight", "is it normal for lips to swell".
AIRWAY_QUESTION_BEFORE_PATTERN = (
    r"\b(?:will|would|could|can(?!'?t)|might|may|does|do|should|if|is\s+it\s+normal\s+for|does\s+it)\b"
)
