"""Words around an age ("i'm 34", "34 years old", "turning 18") and a skin type ("type iv", "always burn
never tan") (intake_answers.numbers)."""

from __future__ import annotations

# Units after a number that make it something other than an age ("34 weeks pregnant", "75mg").
NOT_AGE_UNITS = (
    r"weeks?|wks?|days?|months?|mths?|mnths?|hours?|hrs?|mins?|minutes?|mg|ml|kg|lbs?|"
    r"st|nd|rd|th|%|am|pm|times?|sessions?|pounds|quid|£|\$|euros?|dollars?|o'?clock|:|/|\.\d|'|\"|ft|foot|feet|cm"
)
# "34 years old", "34yo", "34 y/o", "34 years of age", right after the number.
YEARS_OLD_PATTERN = r"\s*(?:years?|yrs?|yr|y)(?:\s*|-)(?:old|o)\b|\s*y/?o\b|\s*yo\b|\s*years?\s+of\s+age\b"
# Words before an age: "im 34", "i am thirty four", "aged 34", "age: 34", "turning 34".
AGE_CUES = (
    r"i'?m|im|i\s+am|aged?|age\s+is|age\s*:|my\s+age\s+is|i\s+turned|just\s+turned|turned|"
    r"i'?ll\s+be|ill\s+be|i\s+will\s+be|turning|nearly|almost"
)
# Words that may stand between the cue and the number: "i'm now 34", "i'm only 17".
AGE_CUE_FILLERS = r"now\s+|only\s+|just\s+"
# Month names, for an age reached in a month: "22 in january", "18 next march".
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?"
)
# How far off: "in a week", "in 2 weeks", "in two weeks", "in a few months", "in a couple of weeks".
_SPAN = (
    r"(?:a|an|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|a\s+couple\s+of|"
    r"couple\s+of|few)\s+(?:days?|weeks?|months?)"
)
# After the age: the visitor reaches it later ("34 next month", "22 in january", "18 in two weeks"), so
# is one year younger today. Reading a future birthday as reached would make a visitor older than they
# are, which lets a 21-year-old book what needs a clinician first.
AGE_REACHED_SOON_PATTERN = (
    r"\s+(?:next|this\s+coming|in\s+(?:a|\d+))\s+(?:week|month|year|weeks|months|birthday)|\s+soon"
    r"|\s+on\s+my\s+next\s+birthday"
    rf"|\s+in\s+{_SPAN}|\s+(?:in|next|this|this\s+coming|come|by|on\s+the\s+\w+\s+of)\s+(?:{_MONTHS})\b"
    r"|\s+later\s+this\s+(?:year|month)|\s+this\s+(?:summer|spring|autumn|fall|winter)"
)
# Cues (spaces collapsed) for an age not reached yet: "turning 34", "nearly 34" mean 33 today.
AGE_NOT_REACHED_CUES = frozenset({"turning", "i'll be", "ill be", "i will be", "nearly", "almost"})
# Cues for an age already reached, whatever follows: "i turned 22 in january".
AGE_REACHED_CUES = frozenset({"i turned", "just turned", "turned"})
# A bare answer to "how old are you?": "about 34", "34 years", "34 next month".
APPROXIMATELY = r"about\s+|around\s+"
# "17 and a half" is 17.
YEARS = r"(?:and\s+a\s+half\s*)?(?:years?|yrs?)|and\s+a\s+half"
BARE_AGE_REACHED_SOON_PATTERN = AGE_REACHED_SOON_PATTERN
# Words that make a lone number in a sentence an age: "34, if you need my age".
AGE_WORDS = r"old|age|aged|years?"

# Skin type (Fitzpatrick phototype): words before the number ("skin type 3", "fitzpatrick iv"), and
# what after a number says it is no skin type ("3 years").
SKIN_TYPE_CUES = r"(?:skin\s+)?type|fitz(?:patrick)?|phototype"
NOT_SKIN_TYPE_AFTER = r"years?|weeks?|days?|months?|'"
# Descriptions, most specific first: "always burn never tan" must not read as "never ... burn".
SKIN_TYPE_DESCRIPTIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        r"always\s+burns?(?:[\s,]+(?:and\s+)?(?:never|don'?t|dont|do\s+not|can'?t)\s+(?:ever\s+)?tan)?|never\s+tans?|"
        r"(?:don'?t|dont|do\s+not|can'?t|cannot)\s+(?:ever\s+)?tan|burns?\s+(?:every\s+time|always|straight\s+away|instantly)|"
        r"very\s+(?:pale|fair)|really\s+pale|pale\s+and\s+freckl|red\s*head|ginger",
    ),
    (
        5,
        r"very\s+rarely\s+burns?|hardly\s+ever\s+burns?|almost\s+never\s+burns?|brown\s+skin|dark\s+skin(?!\s+patch)|"
        r"south\s+asian|middle\s+eastern",
    ),
    (
        6,
        r"never\s+(?:ever\s+)?burns?|(?:don'?t|dont|do\s+not)\s+(?:ever\s+)?burn\s+at\s+all|black\s+skin|very\s+dark|"
        r"deeply\s+pigmented|dark\s+brown\s+(?:to\s+black\s+)?skin",
    ),
    (
        4,
        r"rarely\s+burns?|seldom\s+burns?|(?:don'?t|dont|do\s+not)\s+(?:really|usually|often)\s+burn|"
        r"tans?\s+(?:really\s+)?(?:easily|easy|well|quickly)|olive",
    ),
    (
        3,
        r"sometimes\s+burns?|burns?\s+(?:a\s+bit\s+)?(?:then|and\s+then|but\s+then|before\s+(?:i\s+)?tan)|"
        r"burns?\s+(?:at\s+first|first)|burns?\s+(?:mildly|a\s+little|slightly)|tans?\s+gradually|"
        r"burns?\s+(?:sometimes|occasionally)|occasionally\s+burns?",
    ),
    (
        2,
        r"burns?\s+(?:really\s+|very\s+)?(?:easily|easy|quickly|a\s+lot)|usually\s+burns?|(?:easily|often)\s+burns?|"
        r"tans?\s+(?:with\s+difficulty|poorly|badly|minimally|a\s+little)|hardly\s+tans?|rarely\s+tans?|fair\s+skin|fair",
    ),
)
