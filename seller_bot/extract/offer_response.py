"""The seller's answer to the cash offer: accepted / declined / undecided.

Rules, in order:
1. A counter or a haggle ("can you do better?", "how about 400k", "meet me in the middle")
   is undecided: the seller is still talking.
2. Hesitation ("not sure", "maybe", "let me think", "need to talk to my wife", "idk") is
   undecided, even next to a yes ("ok let me think about it").
3. A yes and a no together ("yes but too low", "sounds good but no") are undecided: mixed
   signals are a follow-up, not a decision.
4. Otherwise a decline ("no", "no deal", "too low", "pass", "I'll list with a realtor") is
   declined and a yes ("yes", "ok", "deal", "let's do it", "👍") is accepted.
- Negated yes-words do not count ("not sure" is no yes, "not good" no "good"); "no
  problem" / "no worries" are not a "no".
- "not bad" alone is undecided: praise without a commitment. With a yes it is accepted.
- "ok thanks" is an acknowledgement, so undecided; "I'll take it" and a bare "y" are yes.
- None when the message does not answer the offer ("what's the weather").
- A deal on a condition is a counter, so undecided: "if you can do 620 we have a deal",
  "meet me at 700", "375 and it's yours", "bump it to 480", "si me da 260 mil tenemos trato",
  "lo menos 550 mil".
- Spanish (accents folded): "sí", "sí, acepto", "trato hecho", "de acuerdo", "está bien",
  "me parece bien", "dale", "órale" are yes; "no gracias", "muy poco", "no me interesa",
  "paso", "mejor no" are no; "déjame pensarlo", "no sé", "tal vez", "tengo que hablar con
  mi esposo", "le aviso" are undecided.
"""

from __future__ import annotations

import re

from seller_bot.extract.common import any_of, is_negated, strip_punctuation
from seller_bot.models import OfferResponse

ACCEPT_EMOJI = frozenset("👍👌🤝✅💯🙌")
DECLINE_EMOJI = frozenset("👎❌🚫🙅")
UNDECIDED_EMOJI = frozenset("🤔🤷")


# People whose say-so a seller waits for.
_OTHERS = (r"(?:wife|husband|hubby|spouse|partner|family|kids|son|daughter|brother|sister|mom|"
           r"dad|attorney|lawyer|accountant|realtor|agent|siblings)")
_COUNTER_RE = any_of(
    r"if (?:you|u|ya) (?:can|could|would|will|do|go|pay|make it|come up)",
    r"meet (?:me )?at|bump (?:it )?(?:up )?to|come up to|make it \$?\d",
    r"\d\w* (?:and|&) (?:it'?s|its|the house is|the place is|it is|you got|we (?:have|got)|"
    r"you (?:have|got)|we'?re|im|i'?m)",
    r"si me (?:da|dan|paga|pagan|ofrece|ofrecen|sube|suben)|(?:por )?lo menos|minimo|"
    r"que tal \$?\d|(?:me|nos) (?:la )?(?:sube|suben)|puede(?:n)? (?:subir|dar mas|ofrecer mas)",
    r"(?:can|could|would|will) (?:you|u|ya) (?:do|go|come up|get|make it|bump|meet|"
    r"give|pay|offer)(?: any)? (?:better|higher|more|up|\$?\d)",
    r"(?:can|could|would|will) (?:you|u|ya) (?:do|go|come up|make it|meet)",
    r"(?:any|a little|a bit|little|bit) (?:higher|more|better)",
    r"how about|what about|meet (?:me )?in the middle|split the difference|counter\w*",
    r"is that (?:the|your) (?:best|highest|final)|best (?:you can do|offer)|wiggle room|"
    r"room to negotiate|negotiable|go up",
)
_UNDECIDED_RE = any_of(
    r"not (?:really )?sure|unsure|idk|i dunno|dunno|i don'?t know|don'?t know yet|"
    r"not yet|maybe|possibly|perhaps|might|we'?ll see|depends",
    r"(?:let|lemme) me (?:think|see|check|talk|ask|sleep|get back|discuss|run)",
    r"lemme (?:think|see|check|talk|ask)",
    r"think(?:ing)? (?:about|it over|on) it|thinking|think it over|sleep on it|mull",
    rf"(?:talk|speak|check|discuss|run it by|pass it by|ask) (?:to |with )?(?:my |the )?{_OTHERS}",
    rf"{_OTHERS} (?:has to|needs to|would have to|must|gotta|have to|need to)",
    r"get back to (?:you|u|ya)|give me (?:a |some )?(?:day|few days|time|minute|bit|sec)",
    r"need (?:some )?time|hmm+|not bad|(?:a |kinda |kind of |bit |little )+low|"
    r"can'?t decide|undecided|on the fence|torn|50 ?50",
    r"^(?:ok|okay|k|kk) (?:thanks|thank you|thx|ty)$",  # an acknowledgement, not a yes
    r"(?:dejame|dejeme|deje|dejenme|dejanos|permitame) (?:lo )?(?:pensar\w*|consultar\w*|"
    r"hablar\w*|ver\w*|platicar\w*|checar\w*)",
    r"(?:lo|la) (?:voy a |vamos a )?(?:pienso|pensamos|pensar|consulto|consultamos)|"
    r"pensarlo|no (?:se|estoy segur[oa])|tal vez|quizas?|a lo mejor|puede ser|depende",
    r"(?:tengo|tenemos) que (?:hablar|consultar\w*|platicar\w*|pensar\w*)|"
    r"(?:le|te|les) (?:aviso|digo|confirmo)|(?:deme|dame|denme) (?:unos|un par de|un) (?:dias|"
    r"dia|tiempo)|necesito (?:tiempo|pensar\w*)|mmm+",
)
_DECLINE_RE = any_of(
    r"no(?! problem| worries| doubt| brainer| rush| hurry)|nope|nah|naw|no thanks?|"
    r"no thank (?:you|u)|no deal|hell no|heck no|absolutely not|definitely not|no way",
    r"(?:way |too |much too )+low|lowball\w*|low ball\w*|insult\w*|ridiculous|a joke|"
    r"joke|laughable|not (?:good )?enough|nowhere near|not even close|too cheap",
    r"not interested|don'?t think so|pass(?! (?:it|this|that|on|along|by))|hard pass|"
    r"(?:i|we) decline|declined?|reject",
    r"not (?:gonna|going to) (?:happen|work|sell)|not (?:for|at) that (?:price|number)?",
    r"(?:can'?t|cannot|won'?t|will not) (?:do|take|accept|go) (?:that|it|this)",
    r"(?:list|go|sell) (?:it )?(?:with|w|through) (?:a |an )?(?:realtor|agent|broker)|"
    r"rather list|list it (?:myself|instead)",
    r"forget it|never ?mind|not selling|changed my mind|not (?:right )?now|not at all",
    r"no,? gracias|(?:muy|demasiado|es muy|esta muy) (?:poco|bajo|baja|barato)|"
    r"no (?:me|nos) interesa|no acepto|no aceptamos|no hay trato|^paso|mejor no|ni loco|"
    r"olvidel[oa]|una burla|no vendo|no la vendo|no,? no",
    r"(?:i'?m|we'?re|im) good(?! with)|"
    r"unfair|not fair|(?:i'?ll|we'?ll|gonna|going to|rather|just) keep (?:it|the house)",
)
_ACCEPT_RE = any_of(
    r"yes+|yeah?|yea+h?|yep|yup|yah|yass|sure|ok+|okay|okey|k|kk|alright|aight|"
    r"absolutely|definitely|of course|certainly|correct",
    r"(?<!the )(?<!big )(?<!a )deal(?! with)|(?:it'?s|that'?s) a deal",
    r"(?:we|you) (?:have|got) a deal",
    r"sounds? (?:good|great|fair|fine|perfect|like a plan)|(?:that|this|it)'?s? (?:good|"
    r"great|fair|fine|perfect)|looks good|good to go|fine by me|fine with me",
    r"let'?s (?:do it|go|do this|proceed|move forward)|lets do it|do it|go ahead|"
    r"i'?m in|count me in|i accept|we accept|accept\w*|agreed?|i agree|works for me|"
    r"that works|perfect|great|awesome|cool|fair enough|fair|done deal|bet|"
    r"(?:i'?m|we'?re|im) (?:good|fine|ok|okay) with (?:that|it|this)|send (?:me )?(?:the )?"
    r"(?:contract|paperwork|papers|agreement)|when can (?:we|you) close|"
    r"(?:i'?ll|we'?ll|i will|we will) take it|^(?:y|fine|fine by me)$",
    r"^si\b|acepto|aceptamos|trato hecho|de acuerdo|esta bien|me parece (?:bien|justo|"
    r"perfecto|buena)|perfecto|claro(?: que si)?|dale|orale|vamos|hagamoslo|"
    r"adelante|me interesa|esta perfecto|excelente|con gusto",
)
# A plain refusal outweighs a filler ("hmm", "a bit low") but not a wish to think it over.
_FIRM_DECLINE_RE = any_of(
    r"(?:i'?ll|we'?ll|i will|we will|gonna|going to|i|we)? ?pass(?! (?:it|this|that|on|along|by))",
    r"hard pass|no deal|not interested|no thanks?|no thank (?:you|u)|not for me|not selling|"
    r"(?:i|we) decline|forget it|absolutely not|hell no|no way|no gracias|no (?:me|nos) interesa|"
    r"mejor no",
)
_STILL_THINKING_RE = any_of(
    r"(?:let|lemme) me (?:think|see|check|talk|ask|sleep)|think(?:ing)? (?:about|it over)|"
    r"sleep on it|get back to|talk to|not (?:yet|now)|maybe|might|dejame|dejeme|pensarlo|"
    r"lo (?:voy a )?pens\w*",
)
# "yeah no" and "yes no" are how people say no.
_YEAH_NO_RE = re.compile(r"\b(?:yeah|yea|yes) no\b")


def _unnegated(pattern: re.Pattern[str], text: str) -> bool:
    """True when the pattern matches somewhere without a negation in front of it."""
    return any(not is_negated(text, m.start()) for m in pattern.finditer(text))


def _from_emoji(text: str) -> OfferResponse | None:
    """Answer given only as emoji, or None."""
    chars = set(text)
    if chars & UNDECIDED_EMOJI:
        return "undecided"
    if chars & DECLINE_EMOJI:
        return "declined"
    if chars & ACCEPT_EMOJI:
        return "accepted"
    return None


def extract_offer_response(text: str) -> OfferResponse | None:
    """Accepted / declined / undecided, or None when the message does not answer the offer."""
    clean = strip_punctuation(text)
    if _COUNTER_RE.search(clean):
        return "undecided"
    if _FIRM_DECLINE_RE.search(clean) and not _STILL_THINKING_RE.search(clean):
        return "declined"  # "hmm that's pretty low. we'll pass"
    if _UNDECIDED_RE.search(clean):
        return "undecided"
    declined = bool(_YEAH_NO_RE.search(clean)) or bool(_DECLINE_RE.search(clean))
    accepted = not _YEAH_NO_RE.search(clean) and _unnegated(_ACCEPT_RE, clean)
    if declined and accepted:
        return "undecided"
    if declined:
        return "declined"
    if accepted:
        return "accepted"
    return _from_emoji(text)
