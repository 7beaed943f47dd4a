"""A hard moment in a message: a death, a divorce, an illness, or an angry seller.

The flow uses it to say the right thing (and, for some, to hand over to a person); the
motivation extractor reads the same events as reasons to sell. Rules:
- death: a relative who passed or died, typed any way ("my mom passed 😢", "moms passed
  away", "dad pased", "lost my husband", "RIP mom", "her funeral", "mi mamá falleció",
  "perdimos a mi papá"). Not: "lost my job", "passed inspection", "died down".
- illness: "cancer", "chemo", "had a stroke", "in the hospital", "hospice", "dementia",
  "he's sick", "health issues", "enfermo", "cáncer". Not: "sick of it", "sick and tired".
- divorce: "divorce", "going thru a divorce", "separated", "we split up", "my ex",
  "divorcio", "nos separamos".
- angry: insults, swearing at the bot, accusations ("stop wasting my time", "this is
  harassment", "scam", "wtf", "go to hell", "lowballing me", "estafa", "acoso").
- A negated mention counts for nothing ("not going through a divorce", "nobody died").
- Several kinds: death, illness, divorce, then angry (the gentler reply goes first).
"""

from __future__ import annotations

import re
from typing import Literal

from seller_bot.extract.common import Triggers, any_of, first_affirmed, normalize

Distress = Literal["death", "divorce", "illness", "angry"]
ORDER: tuple[Distress, ...] = ("death", "illness", "divorce", "angry")

_RELATIVE = (r"(?:mom|moms|mother|mama|mommy|dad|dads|father|papa|daddy|parents?|grandma|"
             r"grandpa|grandmother|grandfather|granny|nana|husband|hubby|wife|spouse|brother|"
             r"sister|son|daughter|aunt|uncle|partner|fiance|she|he)")
_ES_RELATIVE = (r"(?:mama|papa|madre|padre|esposo|esposa|marido|abuela|abuelo|abuelita|"
                r"abuelito|tia|tio|hermana|hermano|hijo|hija|padres|suegra|suegro)")

_PATTERNS: dict[Distress, re.Pattern[str]] = {
    "death": any_of(
        rf"{_RELATIVE}(?:'s)? (?:just |recently |unfortunately |sadly |suddenly )?"
        r"(?:pass+e?d|pased|past|died|dyed|crossed over)(?! (?:inspection|the|down|out))",
        r"pass+e?d away|pased away|past away|passed on\b(?! (?:the|it|that))",
        rf"lost (?:my|our) {_RELATIVE}\b(?! (?:job|house|home|keys))",
        r"rip (?:mom|dad|mother|father|grandma|grandpa)|funeral|death in the family|"
        r"my late (?:mom|mother|dad|father|husband|wife)|(?:is|are) deceased|widow(?:ed|er)?",
        rf"(?:mi |nuestra |nuestro |la |el )?{_ES_RELATIVE} (?:ya )?(?:fallecio|murio|se murio|"
        r"se nos fue|partio)|fallecio|murio|perdimos a|perdi a (?:mi|nuestra|nuestro)|"
        r"fallecimiento|funeral|velorio|viud[oa]",
    ),
    "illness": any_of(
        r"cancer|chemo\w*|tumou?r|stroke|heart attack|dementia|alzheimer'?s|parkinson'?s|"
        r"hospice|terminal(?:ly)? ill|hospitali[sz]ed|in the hospital|(?:icu|er)\b(?! \w)",
        r"(?:is|am|i'm|im|he's|she's|got|been|very|really|so) (?:very |really |so )?"
        r"(?:sick|ill)\b(?! of| and tired)",
        r"health (?:issues|problems|is failing|scare)|surgery|dialysis|disabled|wheelchair",
        r"cancer|enferm[oa]s?|enfermedad|hospital\w*|quimio\w*|derrame|infarto|demencia|"
        r"problemas de salud|operacion",
    ),
    "divorce": any_of(
        r"divorc\w*", r"separated|separating|splitting up|split up|broke up|breaking up|"
        r"me and my ex\b|my ex (?:wife|husband|and i)",
        r"divorcio|nos (?:separamos|estamos separando|divorciamos)|separacion",
    ),
    "angry": any_of(
        r"wast(?:ing|e) (?:my|our) time|harass\w*|scam\w*|fraud|spam(?:mer|ming)?\b",
        r"f+u+c+k+\w*|fck\w*|fk off|wtf|stfu|gtfo|go to hell|screw (?:you|u|off)|piss off|"
        r"shut up|bullshit|bs offer|b\.s\.|idiots?|stupid|morons?|jerks?|vultures?|"
        r"bloodsuckers?|how dare|leave me the (?:hell|fuck) alone",
        r"lowball(?:ing|er|ers)? (?:me|piece)|insult(?:ing|ed)? (?:me|offer)|"
        r"are you (?:kidding|serious|crazy|nuts|insane)|ridiculous offer|rip ?off|ripping me off",
        r"estafa\w*|fraude|acoso|no (?:me )?(?:friegue|chingue|molest)\w*|pendej\w*|"
        r"chinga\w*|vete al diablo|idiota|ladrones|rateros",
    ),
}


# Words at least one pattern above needs (see Triggers); keep in step with the patterns.
TRIGGERS = Triggers("""
pas died dyed cross lost rip funeral death late deceased widow fallec muri fue partio
perdimos perdi velorio viud
cancer chemo tumo stroke heart dementia alzheimer parkinson hospice terminal hospital icu
er sick ill health surgery dialysis disabled wheelchair enferm quimio derrame infarto
demencia salud operacion
divorc separ splitting split broke breaking ex
wast harass scam fraud spam fu fc fk wtf stfu gtfo hell screw piss shut bull bs b idiot
stupid moron jerk vulture blood dare lowball insult kidding serious crazy nuts insane
ridiculous rip estafa fraude acoso frieg ching molest pendej chinga diablo idiota ladrones
rateros
""")


def distress_kind(text: str) -> Distress | None:
    """'death', 'illness', 'divorce' or 'angry', or None."""
    clean = normalize(text)
    if not TRIGGERS.seen_in(clean):
        return None
    return first_affirmed(clean, ORDER, _PATTERNS)
