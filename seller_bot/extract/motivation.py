"""Why the seller is selling, as one label.

Rules:
- Each label has phrase patterns; a negated phrase ("not going through a divorce") counts
  for nothing.
- Several reasons in one message: the first label in PRIORITY wins. Distress that forces a
  sale comes first (foreclosure before the divorce or job loss behind it), life events next,
  preferences last; "other" only when nothing else matched.
- "other" needs an understood reason that fits no label ("just want to move", "moving to be
  near family", "want to travel"); gibberish and small talk are None.
- "behind on payments" is foreclosure (the loan is in default); "behind on taxes" and "can't
  afford it" are financial_distress.
"""

from __future__ import annotations

import re

from seller_bot.extract.common import any_of, is_negated, normalize
from seller_bot.models import Motivation

PRIORITY: tuple[Motivation, ...] = (
    "foreclosure", "divorce", "inheritance", "medical", "financial_distress", "job_relocation",
    "retirement", "landlord_exit", "downsizing", "upsizing", "other",
)

_RELATIVE = (r"(?:mom|mother|dad|father|parents?|grandma|grandpa|grandmother|grandfather|"
             r"grandparents?|aunt|uncle|husband|wife|spouse|brother|sister|son|daughter|"
             r"mom and dad|mother in law|father in law|she|he|they)")


_PATTERNS: dict[Motivation, re.Pattern[str]] = {
    "foreclosure": any_of(
        r"fore ?clos\w*|pre-?fore ?clos\w*",
        r"behind (?:on|with|in) (?:my |our |the )?(?:house |home |mortgage |monthly )?"
        r"(?:payments?|mortgage|loan)",
        r"(?:months?|payments?) behind(?! on (?:my |the )?(?:taxes|rent|bills))",
        r"missed (?:a |some |several |\d+ |a few |a couple )?(?:mortgage |house )?payments?",
        r"notice of (?:default|sale|trustee sale)|\bnod\b|trustee sale|lis pendens",
        r"(?:bank|lender) (?:is |wants to |will |gonna )?(?:taking|take|taking back|foreclos\w*)",
        r"(?:going|goes|headed) to auction|auction date|sheriff sale",
        r"loan (?:is )?in default|default(?:ed)? on (?:the|my) (?:loan|mortgage)",
        r"(?:about to |going to |gonna )?lose (?:the|my|our) (?:house|home) to the bank",
    ),
    "divorce": any_of(
        r"divorc\w*",
        r"(?:legally |we(?:'re| are) |we got |got )separat(?:ed|ing)|legal separation",
        r"my ex\b|ex[- ]?(?:wife|husband|hubby|spouse)",
        r"splitting up|split up|breaking up|broke up|we split|"
        r"(?:we(?:'re| are)|ex and i are|and i are) splitting(?! (?:it|the|up the))",
        r"going (?:our|separate) separate ways|separate ways",
    ),
    "inheritance": any_of(
        r"inherit\w*|probate|executor|executrix|heirs?",
        r"(?<!real )estate(?! agent)",
        r"passed away",
        rf"{_RELATIVE}(?:'s)? (?:just |recently |unfortunately )?(?:passed|died)",
        r"left (?:it|the house|the home|the property|the place) to (?:me|us|my|our)",
        r"late (?:mother|father|mom|dad|husband|wife|grandmother|grandfather|parents)",
        r"deceased|death in the family|family trust",
    ),
    "medical": any_of(
        r"health (?:issues?|problems?|reasons?|concerns?|is failing|isn'?t good)",
        r"medical\w*(?! bills)",
        r"assisted living|nursing home|memory care|care facility|senior living",
        r"(?:got |am |is |i'm |he's |she's )sick(?! of| and tired)",
        r"illness|cancer|stroke|surgery|dementia|alzheimer'?s|disabled|disability|wheelchair|"
        r"chemo",
        r"can'?t (?:do|handle|climb) (?:the )?stairs|hospital\w*",
    ),
    "financial_distress": any_of(
        r"can'?t afford|cannot afford|could(?:n'?t| not) afford|unable to afford",
        r"can'?t (?:keep up|make) (?:with )?(?:the )?(?:payments?|mortgage|bills)",
        r"lost (?:my|our|his|her) (?:job|income)|laid off|got fired|unemployed|out of work",
        r"bills (?:are )?(?:piling|pile|stacking)|medical bills|(?:credit card |in )?debt",
        r"bankrupt\w*|need (?:the |some )?(?:money|cash)|money (?:is |has been )?tight|"
        r"tight on money|(?:i'm|im|we're|were|i am|we are|flat) broke",
        r"behind (?:on|with) (?:my |our |the )?(?:property )?(?:taxes|bills|utilities)",
        r"tax lien|back taxes|struggling (?:financially|to pay|with (?:money|bills|payments))",
        r"(?:payments?|mortgage) (?:is |are )?too (?:high|much)|hard times|financial\w*",
    ),
    "job_relocation": any_of(
        r"(?:new|got a|got an|took a|accepted a|offered a|starting a) job",
        r"(?<!lost my )(?<!lost a )(?<!lost the )job (?:offer|transfer|relocation|in|out in|"
        r"up in|down in|across)",
        r"relocat\w*(?! closer)|transferr?(?:ed|ing)|(?:work|job|company) (?:is )?"
        r"(?:moving|sending|transferring) (?:me|us)",
        r"(?:moving|move|moved) (?:for|because of) (?:work|my job|a job|the job|his job|her job)",
        r"(?<!looking )(?<!searching )for (?:work|my job|a job|his job|her job)",
        r"military orders|pcs(?:ing)?|(?:new|got) orders|stationed|deployed",
    ),
    "retirement": any_of(r"retir\w*"),
    "landlord_exit": any_of(
        r"tenants?|renters?|rental(?: property| house| home)?|landlord\w*",
        r"rent(?:ing|ed)? (?:it |the house |the place )?out|rented to",
        r"evict\w*|section 8|investment property|property manage\w*",
    ),
    "downsizing": any_of(
        r"downsiz\w*|down siz\w*",
        r"too (?:big|large|much house|much space|much room|much yard|much upkeep|much to "
        r"(?:take care of|maintain|keep up))",
        r"kids (?:moved|grew|are grown|are gone|left)|empty nest\w*",
        r"(?:something|somewhere|go|going|a) smaller|smaller (?:place|home|house|condo)",
        r"don'?t need (?:all )?(?:this|that|the) (?:much )?(?:space|room)",
    ),
    "upsizing": any_of(
        r"(?:need|needs|want|more) (?:more|bigger|extra) (?:space|room|rooms|bedrooms)",
        r"(?:need|needs|want|looking for) (?:a )?(?:bigger|larger) (?:place|home|house)",
        r"(?:something |a )?bigger (?:place|home|house)",
        r"outgr[eo]w\w*|growing family|family is growing|baby on the way|"
        r"(?:another|new) baby|expecting (?:a baby|our (?:first|second|third)|twins)|pregnant",
        r"too small|upsiz\w*",
    ),
    "other": any_of(
        r"(?:just )?want(?:s|ed)? (?:a change|to move|a change of scenery|out|to cash out|"
        r"to travel|something different|to be closer)",
        r"(?:moving|move|relocating) (?:to|out of|closer|away|back|in with|across|out)",
        r"(?:be |live |living )?(?:near|closer to) (?:family|my|our|the kids|grandkids|work)",
        r"travel\w*|change of scenery|cash(?:ing)? out|(?:market|prices) (?:is|are) "
        r"(?:good|high|hot)|take advantage of the market",
        r"(?:already )?bought (?:another|a new) (?:house|home|place)|getting married|"
        r"moving in with|don'?t (?:want|need) (?:it|the house) anymore|"
        r"(?:too far|long) (?:from|commute)|commute|bad neighbou?rs|hoa",
        r"(?:bad|sketchy|rough) neighbou?rhood|neighbou?rhood (?:is )?(?:going downhill|changed)",
        r"(?:don'?t|never) use it|second home|vacation home",
    ),
}


def extract_motivation(text: str) -> Motivation | None:
    """The seller's reason for selling as a label, or None when no reason is given."""
    clean = normalize(text)
    for label in PRIORITY:
        if any(not is_negated(clean, m.start()) for m in _PATTERNS[label].finditer(clean)):
            return label
    return None
