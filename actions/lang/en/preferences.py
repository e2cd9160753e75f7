"""Words of treatment preferences: downtime, budget, an event to look good for (intake_answers.preferences).

Each pattern is regular-expression source; the parsing code matches it as whole words.
"""

from __future__ import annotations

# Downtime (recovery, redness) the visitor accepts: any ("don't mind"), some ("a few days is fine"),
# minimal ("no downtime"). Checked in the order some, any, minimal.
DOWNTIME_ANY = (
    r"(?:don'?t|dont|do\s+not)\s+mind(?!\s+(?:paying|spending|the\s+(?:cost|price)|money|how\s+much))|"
    r"(?:downtime|redness|recovery|time\s+off)\s+(?:(?:isn'?t|is\s+not|is\s+never)\s+an?\s+(?:problem|issue)|"
    r"(?:is\s+)?(?:not\s+an?\s+(?:problem|issue)|no\s+problem|fine|ok|okay|not\s+important)|doesn'?t\s+matter)|"
    r"any\s+downtime|"
    r"happy\s+(?:to\s+have|with)\s+(?:some\s+)?(?:downtime|redness)|whatever\s+it\s+takes|"
    r"(?:as\s+much\s+downtime|lots\s+of\s+downtime|a\s+week\s+(?:off\s+)?is\s+(?:fine|ok|okay))|"
    r"(?:i\s+)?can\s+take\s+(?:a\s+week|time)\s+off|work\s+from\s+home|not\s+bothered"
)
DOWNTIME_SOME = (
    r"(?:a\s+few|couple\s+of|a\s+couple\s+of|2|3|two|three|1|one)\s+(?:or\s+(?:two|three|2|3)\s+)?days?\s+"
    r"(?:of\s+(?:downtime|redness)\s+)?(?:is|are|would\s+be)?\s*(?:fine|ok|okay|alright|all\s+right|acceptable|manageable)|"
    r"some\s+(?:downtime|redness)\s+(?:is\s+)?(?:fine|ok|okay|alright)|a\s+(?:bit|little)\s+of\s+(?:downtime|redness)|"
    r"a\s+day\s+or\s+two|over\s+(?:a|the)\s+weekend|weekend\s+(?:is\s+)?(?:fine|ok)|some\s+downtime|"
    r"a\s+little\s+downtime|moderate\s+downtime"
)
DOWNTIME_MINIMAL = (
    r"(?:no|zero|minimal|minimum|little|low|least|not\s+much|limited|without(?:\s+any)?)\s+(?:down\s*time|"
    r"recovery(?:\s+time)?|time\s+off|redness)|"
    r"(?:can'?t|cannot|cant|can\s+not)\s+(?:have|afford|take|look|be)\s+(?:any\s+)?(?:redness|red|downtime|time\s+off|"
    r"days?\s+off)|back\s+to\s+work\s+(?:the\s+next\s+day|straight\s+away|immediately|right\s+away|next\s+day)|"
    r"quick\s+recovery|lunch\s*time\s+(?:treatment|procedure)|nobody\s+(?:can|should)\s+(?:notice|tell)|"
    r"(?:need|have)\s+to\s+(?:be\s+at|go\s+to)\s+work|public\s+facing|presentable|"
    r"(?:downtime|redness|time\s+off)\s+(?:is|would\s+be)\s+an?\s+(?:problem|issue)"
)
# Budget: high ("money no object"), medium ("mid range"), low ("cheapest"). Checked in this order.
BUDGET_HIGH = (
    r"money(?:'?s|\s+is)?\s+no\s+object|(?:price|cost|money|budget)\s+(?:doesn'?t|does\s+not)\s+matter|"
    r"(?:price|cost|budget)\s+(?:is\s+)?(?:not\s+an?\s+|no\s+)(?:issue|problem|concern)|"
    r"(?:don'?t|dont|do\s+not)\s+mind\s+(?:paying|spending)|whatever\s+it\s+costs|high\s+budget|big\s+budget|"
    r"best\s+(?:results|option)\s+(?:regardless|whatever)|premium|top\s+of\s+the\s+range|unlimited\s+budget|"
    r"happy\s+to\s+(?:pay|spend|invest)|(?:can|could)\s+afford\s+(?:it|anything|the\s+best)|no\s+limit"
)
BUDGET_MEDIUM = (
    r"mid(?:dle)?[\s-]*(?:range|budget|priced?)|medium\s+(?:budget|price)|moderate\s+budget|reasonable\s+budget|"
    r"average\s+budget|not\s+too\s+(?:expensive|pricey)|something\s+in\s+between|in\s+the\s+middle|"
    r"(?:budget|price)\s+(?:is\s+)?(?:medium|mid|moderate|average)"
)
BUDGET_LOW = (
    r"cheapest|cheap|cheaper|tight\s+budget|budget\s+is\s+tight|on\s+a\s+budget|low\s+budget|small\s+budget|"
    r"limited\s+budget|not\s+(?:much|a\s+lot\s+of)\s+money|can'?t\s+afford\s+(?:much|a\s+lot)|affordable|"
    r"as\s+little\s+as\s+possible|skint|broke|strapped|money\s+is\s+tight|least\s+expensive|budget\s+option|"
    r"low\s+cost|lowest\s+(?:price|cost)|inexpensive|tight\s+on\s+money"
)
# One-word answers to "how much downtime?" / "what budget?": kind -> choice -> pattern.
BARE_CHOICES = {
    "downtime": {
        "minimal": "minimal|none|no|as little as possible|little",
        "some": "some|a few days|a bit",
        "any": "any|don'?t mind|dont mind|whatever|not bothered|doesn'?t matter",
    },
    "budget": {
        "low": "low|cheap|tight|small",
        "medium": "medium|mid|middle|moderate|average",
        "high": "high|big|any|no limit|whatever",
    },
}
# An event to look good for: "wedding", "holiday", "big day".
EVENT_WORDS = (
    r"wedding|weddin|party|holiday|hols|vacation|event|birthday|bday|graduation|prom|photo\s*shoot|christening|"
    r"anniversary|big\s+day|hen\s+(?:do|party|weekend)|stag\s+(?:do|party)|honeymoon|ball|gala|interview|reunion|"
    r"engagement|baby\s+shower|date\s+night|trip|festival|speech|photos"
)
# Words that may follow a one-word choice: "mid budget", "low please".
AFTER_BARE_CHOICE = r"please|thanks|really|budget|downtime"
# An event of the visitor's own, still to be dated: "my wedding", "have a holiday coming up".
OWN_EVENT = r"my|our|a|have|got|upcoming|coming\s+up"
