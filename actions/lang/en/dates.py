"""Words of dates and times: month and weekday names, "ago", "next week", "the 12th", holidays, parts of
the day, and the words of a booking request ("after the 10th", "any tuesday") (intake_answers.dates).

Alternations ("a|b|c") are regular-expression source text; the parsing code puts them in its patterns.
"""

from __future__ import annotations

# Month spellings, January first (common misspellings included).
MONTH_SPELLINGS = (
    "january jan janurary januray janaury janary jaunary",
    "february feb febuary feburary febrary februrary febuary febraury",
    "march mar",
    "april apr aprl apirl",
    "may",
    "june jun",
    "july jul",
    "august aug agust augest augst",
    "september sept sep septmber septemeber setpember septembre",
    "october oct octobre ocotber",
    "november nov novemeber novmber novembre",
    "december dec decemeber decmber decembre",
)
# Month names that are also ordinary words ("i may be", "march in"): they need a date-like neighbour.
WORDLIKE_MONTHS = frozenset({"may", "march", "mar", "jun", "sept", "dec", "jan", "oct"})
# Weekday spellings, Monday first.
WEEKDAY_SPELLINGS = (
    "monday mon mondays",
    "tuesday tue tues tuesdays tuseday teusday",
    "wednesday wed weds wednesdays wensday wednsday",
    "thursday thu thur thurs thursdays thrusday",
    "friday fri fridays firday",
    "saturday sat saturdays saturady",
    "sunday sun sundays",
)
# Abbreviations that are also words ("the sun", "we sat", "getting wed", "mon" as in "c'mon").
WORDLIKE_WEEKDAYS = frozenset({"sat", "sun", "wed", "mon", "tue"})
# "every tuesday": weekdays in the plural.
WEEKDAY_PLURALS = r"mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays"

# "12th", "1st".
ORDINAL_SUFFIXES = r"st|nd|rd|th"
# Amounts in words besides numbers: "a week ago", "a couple of months", "one year".
AMOUNT_WORDS = r"a\s+couple(?:\s+of)?|couple\s+of|a|an|one"
AMOUNTS_OF_ONE = frozenset({"a", "an", "one"})
COUPLE = "couple"  # an amount holding it is two
# Units of time, and how each starts: the unit words above begin with one of these.
TIME_UNITS = r"days?|weeks?|wks?|wk|fortnights?|months?|mnths?|mths?|years?|yrs?"
TIME_UNIT_STARTS = (("fortnight", "fortnight"), ("d", "day"), ("w", "week"), ("m", "month"), ("y", "year"))
# A word before a month that is also a word ("in may", "since march"): then it is the month.
MONTH_CONTEXT_WORDS = (
    r"in|on|since|until|till|til|from|of|by|before|after|around|about|during|last|this|next|"
    r"early|late|mid|end|start|beginning|middle|back|stopped|finished|ended|quit|due|through"
)
# Upper bounds ("less than 2 weeks ago", "within 3 weeks"): the closest day of the span is today.
UPPER_BOUNDS = (
    r"less\s+than|under|just\s+under|within(?:\s+the\s+(?:last|past|next))?|almost|nearly|not\s+quite|"
    r"not\s+even|barely|only\s+just|no\s+more\s+than"
)
# Words that make an amount approximate: "about 3 weeks ago".
ROUGHLY = (
    r"about|around|roughly|approx(?:imately|\.)?|maybe|like|over|more\s+than|at\s+least|just\s+over|"
    r"just|only|a\s+good|exactly|precisely|some"
)
# Of ROUGHLY, the words that make the amount a guess ("about 6 months ago"), not a bound ("over"):
# the date is then moved one step towards today (actions.intake_answers.dates.APPROXIMATION_MARGIN), so a
# rule's waiting time counted from it is never shorter than the rules ask.
APPROXIMATE_WORDS = frozenset(
    {"about", "around", "roughly", "approx", "approx.", "approximately", "maybe", "like", "some"}
)
# Holidays with a fixed day: pattern -> (month, day).
HOLIDAYS = {
    r"christmas\s+eve|xmas\s+eve": (12, 24),
    r"christmas(?:\s+day)?|xmas(?:\s+day)?": (12, 25),
    r"boxing\s+day": (12, 26),
    r"new\s+year'?s?\s+eve|nye": (12, 31),
    r"new\s+year'?s?\s+day": (1, 1),
    r"valentine'?s?(?:\s+day)?": (2, 14),
    r"halloween": (10, 31),
}

# After "15/9": words that make it no date ("1/2 days", "3/4 sessions").
NOT_A_DATE_AFTER_NUMBERS = r"days?|weeks?|months?|years?|sessions?|times?|hours?|hrs?|treatments?|mg|ml"
# "on the 12th of march", "12 - march": before the day, and between day and month.
BEFORE_DAY_OF_MONTH = r"(?:on\s+)?the\s+"
BETWEEN_DAY_AND_MONTH = r"\s+of|\s*-"
# "march the 12th", and what after "march 12" says it is no day ("march 3 weeks", "may 10am").
BETWEEN_MONTH_AND_DAY = r"the\s+"
NOT_A_DAY_AFTER = r"days?|weeks?|wks?|months?|years?|yrs?|:|am\b|pm\b|mg\b|ish\b"
# "end of march", "early may", "mid-june": where in the month.
MONTH_QUALIFIERS = r"(?:the\s+)?(?:very\s+)?(?:end|start|beginning|middle)\s+of\s+|early\s+|mid[\s-]*|late\s+"
# The previous, current and next one ("last march", "this friday", "next year"), by what they mean.
PREVIOUS_THIS_NEXT = r"last|this|next"
RELATIVE_MEANINGS = {"last": "last", "this": "this", "next": "next"}
# "march of 2025", "march last year".
BEFORE_YEAR_OF_MONTH = r"of\s+"
RELATIVE_YEARS = r"last\s+year|this\s+year|next\s+year"
# "on the 12th", "after the 3rd": the words before a day of the month alone.
BEFORE_NTH_DAY = r"(?:(?:on|from|after|before|by|until|till)\s+)?the\s+"
# "in 2024", "back in 2019": the words before a year alone.
BEFORE_YEAR_ALONE = r"in|since|until|till|during|from|back\s+in|around"

# "2 months ago": after "2 months" in the past ("or so" may come between).
OR_SO = r"\s+or\s+so"
AGO = r"ago|agoo|agp|back|before|previously|prior|earlier|since"
# "in 3 weeks", "within the next 2 weeks", "3 weeks from now", "in 3 weeks' time": in the future.
IN_OR_WITHIN = r"in|within"
WITHIN = "within"  # a span up to then, not a day
WITHIN_THE_NEXT = r"the\s+next\s+"
# "in 3 weeks' time" (after the amount).
IN_AMOUNTS_TIME = r"'?s?\s+time"
FROM_NOW = r"from\s+now|from\s+today|away|'?s?\s+time|time"
HALF_A_YEAR_AGO = r"half\s+a\s+year\s+ago"
IN_HALF_A_YEAR = r"in\s+half\s+a\s+year"

# Named days and spans in the past, in this order; the parsing code knows the day each one means.
NAMED_PAST_DAYS = {
    "two_days_ago": r"(?:the\s+)?day\s+before\s+yesterday",
    "yesterday": r"yesterday|last\s+night|yday",
    "today": r"(?:earlier\s+)?today|this\s+morning|this\s+afternoon|just\s+now",
    "this_span": r"(?:earlier\s+)?this\s+(?:week|month|year)|recently\s+this\s+(?:week|month)",
    "last_week": r"last\s+week|last\s+weekend",
    "last_month": r"(?:the\s+)?end\s+of\s+last\s+month|last\s+month",
    "last_year": r"last\s+year",
    "fortnight_ago": r"a\s+fortnight\s+ago",
    # "within the last month", "in the past 6 weeks": the span reaches up to today
    "within_the_last": r"(?:within|in|during|over)\s+the\s+(?:last|past)\s+(?:\d{1,3}\s*|few\s+|couple\s+of\s+|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+)?"
    r"(?:days?|weeks?|fortnight|months?|years?)",
    "week_before_last": r"the\s+week\s+before\s+last",
}
# Named days and spans in the future, in this order.
NAMED_FUTURE_DAYS = {
    "in_two_days": r"(?:the\s+)?day\s+after\s+tomorrow",
    "tomorrow": r"tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow",
    "today": r"today|tonight|this\s+(?:evening|afternoon|morning)",
    "this_span": r"(?:later\s+)?this\s+(?:week|month|year)",
    "next_week": r"next\s+week",
    "next_weekend": r"next\s+weekend",
    "next_month": r"next\s+month",
    "end_of_next_month": r"(?:the\s+)?end\s+of\s+next\s+month",
    "next_year": r"next\s+year",
    "in_a_fortnight": r"in\s+a\s+fortnight|a\s+fortnight\s+(?:from\s+now|today)",
    "this_weekend": r"this\s+weekend",
}

# "on friday", "last monday", "this coming friday", "tuesday next week", "friday just gone".
BEFORE_WEEKDAY = r"on|by|until|till|from|before|after|since"
WEEKDAY_MODIFIERS = r"last|this|next|coming|this\s+coming"
WEEKDAY_WEEKS = r"next\s+week|this\s+week|last\s+week|just\s+gone|gone"
# What the modifier and week words mean (the parsing code works on the meanings).
WEEKDAY_MODIFIER_MEANINGS = {
    "last": "last",
    "this": "this",
    "next": "next",
    "coming": "coming",
    "this coming": "coming",
}
WEEKDAY_WEEK_MEANINGS = {
    "next week": "next",
    "this week": "this",
    "last week": "last",
    "just gone": "gone",
    "gone": "gone",
}
# A part of the day after the weekday makes a word-like one a weekday: "sat morning".
PART_OF_DAY_AFTER_WEEKDAY = r"morning|afternoon|evening|am|pm"
# "next week on tuesday", "next week a friday".
NEXT_WEEK_BEFORE_WEEKDAY = r"next\s+week\s+(?:on\s+)?(?:a\s+)?"

# Parts of the day a visitor asks for: (part, pattern), first match wins.
PARTS_OF_DAY = (
    ("morning", r"mornings?|morn|first\s+thing|early\s+on|before\s+(?:noon|lunch|midday)|(?<!i\s)am"),
    ("afternoon", r"afternoons?|arvo|after\s+lunch|lunch\s*time|pm"),
    ("evening", r"evenings?|after\s+work|tonight|late\s+(?:in\s+the\s+day|on)"),
)
# Clock times: "10am", "2:30 p.m.", "noon", "at 3", "around 10 o'clock".
AM_PM = r"am|pm|a\.m\.|p\.m\."
PM_START = "p"
NOON = r"noon|midday|12\s+noon"
BEFORE_HOUR = r"at|for|around|about"
AFTER_HOUR = r"o'?clock|ish"
NOT_AN_HOUR_AFTER = r"st|nd|rd|th|days?|weeks?|months?"

# A booking request's range: "after the 10th", "not before friday", "by the 20th", by meaning.
RANGE_WORDS = r"after|from|not\s+before|no\s+earlier\s+than|before|by|until|till|no\s+later\s+than"
RANGE_WORD_MEANINGS = {
    "after": "after",
    "from": "from",
    "not before": "from",
    "no earlier than": "from",
    "before": "before",
    "by": "by",
    "until": "by",
    "till": "by",
    "no later than": "by",
}
NEXT_WEEK = r"next\s+week"
NEXT_WEEK_PHRASE = "next week"  # how long the blank left for "next week" is
THIS_WEEK = r"(?:this|later\s+this)\s+week"
THIS_WEEK_AFTER_WEEKDAY = r"\s+this\s+week"
LATER_THIS_WEEK = r"(?:later\s+)?this\s+week"
# "any tuesday", "every friday", "on mondays": a weekday, not one day; ANY_WEEKDAY_STARTS say "any".
BEFORE_ANY_WEEKDAY = r"any|every|on"
ANY_WEEKDAY_STARTS = ("any", "every")
# "later", "something further out", "another day": later than what was offered.
LATER = r"later|further\s+(?:out|ahead)|another\s+(?:day|time)|other\s+(?:days?|times?)"
# Spans that are no day to book: "this month", "next year".
SPANS_NOT_A_DAY = r"(?:later\s+)?this\s+(?:month|year)|next\s+(?:month|year)"
# "next week on tuesday" (the weekday names follow).
NEXT_WEEK_ON = r"next\s+week\s+(?:on\s+)?"
