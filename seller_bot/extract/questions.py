"""Questions a seller asks the bot, as a key the flow answers from settings.

Keys (QUESTION_KEYS), English and Spanish (accents folded), typos and text-speak included:
- who_is_this: "who is this?", "whos this", "who r u", "what company is this", "is this a
  bot?", "¿quién es?", "¿con quién hablo?"
- how_got_number: "how did you get my number", "where'd you get my info", "who gave you my
  number", "why are you texting me", "¿cómo consiguió mi número?"
- cash_or_financing: "is it all cash?", "cash or financing?", "do you need a loan", "proof of
  funds", "¿es en efectivo?", "¿pagan de contado?"
- closing_costs: "who pays closing costs?", "any fees?", "do I pay commission?", "what
  does it cost me", "¿quién paga los costos de cierre?", "¿cobran comisión?"
- how_fast_close: "how fast can you close?", "how long does it take", "when can you
  close", "can you close in 2 weeks?", "¿qué tan rápido cierran?", "¿cuánto tiempo tarda?"
- how_offer_computed: "how did you come up with that?", "why so low?", "why only 338?", a
  bare "why?" / "how come?" / "¿por qué?" (the offer depends on every answer, so that is the
  answer before an offer too; the flow may choose otherwise),
  "how much would you pay?", "what's your offer", "¿cómo calcularon la oferta?", "¿por qué
  tan poco?", "¿cuánto me ofrecen?"
- are_you_agent: "are you an agent/realtor/broker?", "are you the buyer?", "is this a
  wholesaler?", "¿es usted agente?"
- my_address: "what address do you have for me?", "which house?", "¿qué dirección tiene?"
- my_appointment: "when is my appointment?", "what time is jorge coming?", "is my
  appointment still on?", "¿a qué hora es mi cita?"
- unknown: any other question to the bot ("do you buy mobile homes too?"), so the flow can
  ask to rephrase and then hand over to a person.

Not questions (None): statements; answers with a question mark ("290?", "idk 390?", "the
first one?", "tomorrow?"); a number proposed around an offer ("is 450 ok?", "can you do
500?", "how about 575?": counters, read by extract_counter_offer); pings ("hello?", "you
there?") and bare confusion ("huh?", "what?", "ok?"). A message that also answers a field
may still carry a question; the flow decides which to reply to. ``language`` is accepted
for symmetry with the flow; both languages are always read.
"""

from __future__ import annotations

import re

from seller_bot.extract.common import Triggers, normalize, words_to_digits
from seller_bot.extract.price import extract_price

QUESTION_KEYS = (
    "who_is_this", "how_got_number", "cash_or_financing", "closing_costs", "how_fast_close",
    "how_offer_computed", "are_you_agent", "my_address", "my_appointment",
)

_YOU = r"(?:you|u|ya|y'?all|you guys|your company|he|jorge)"
# Checked in this order: the more specific key first ("how did you get my number" before
# "how did you get that number").
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("how_got_number", re.compile(
        rf"\b(?:how|where|why)(?:'d| did| do| does| would) {_YOU} (?:get|find|have|got|obtain|"
        r"find out|know)\b.{0,20}\b(?:my|this) (?:number|#|info|information|contact|cell|phone|"
        r"address|name|house|home|property)"
        r"|\bwho gave (?:you|u) (?:my|this)"
        r"|\bhow (?:do|did) (?:you|u) know (?:about )?(?:me|my)"
        r"|\bwhy (?:are|r|is) (?:you|u|this|someone) (?:texting|messaging|contacting|calling)"
        r"|\bwhere (?:did|do) (?:you|u) (?:get|find) (?:this|me)"
        r"|\b(?:como|de donde|donde) (?:consiguio|consiguieron|obtuvo|obtuvieron|saco|sacaron|"
        r"tiene|tienen|consigui\w*) (?:mi|este) (?:numero|telefono|informacion|contacto)"
        r"|\bquien (?:le|les|te) dio mi (?:numero|telefono|informacion)"
        r"|\bpor que me (?:escribe|escriben|mandan|manda|contacta\w*)")),
    ("who_is_this", re.compile(
        r"\bwho(?:'?s| is| dis| this| r| are|s)? ?(?:this|dis|u|you|texting|messaging|it)\b"
        r"|\bwho am i (?:talking|speaking|texting) (?:to|with)"
        r"|\bwhat (?:company|business|organization)\b"
        r"|\bwho (?:do|are) (?:you|u) (?:work for|with|represent)"
        r"|\bis this (?:a )?(?:real person|bot|robot|ai|automated|jorge|a person|human)"
        r"|\bare (?:you|u) (?:a )?(?:bot|robot|real person|real|human|ai|person)\b"
        r"|\bwhat is this (?:about|regarding)|\bwhat'?s this (?:about|regarding)"
        r"|\bquien (?:es|eres|habla|son|me escribe|manda)\b|\bcon quien hablo"
        r"|\bde (?:que|cual) (?:compania|empresa)|\bes (?:usted )?un (?:robot|bot)")),
    ("are_you_agent", re.compile(
        rf"\b(?:are|r) {_YOU} (?:an? |the )?(?:real estate )?(?:agent|realtor|broker|"
        r"wholesaler|investor|buyer|flipper|licensed)"
        r"|\bis (?:this|he|jorge) (?:an? |the )?(?:real estate )?(?:agent|realtor|broker|"
        r"wholesaler|investor|buyer)"
        r"|\bdo (?:you|u) (?:work for|represent) (?:a |an )?(?:brokerage|realtor|agency)"
        r"|\b(?:es|eres|son) (?:usted |ustedes )?(?:un |una )?(?:agente|realtor|corredor|"
        r"inversionista|comprador)")),
    ("cash_or_financing", re.compile(
        r"\b(?:all|is it|is this|in|real|pay|paying|pays|you pay|with) cash\b"
        r"|\bcash or (?:financ\w*|loan|mortgage|conventional|fha|va)"
        r"|\bfinanc\w*|\b(?:need|getting|get) a (?:loan|mortgage)|\bproof of funds"
        r"|\bhow (?:do|will|would) (?:you|u) pay|\bcash offer\?"
        r"|\bde contado|\ben efectivo|\bfinanciamiento|\bprestamo")),
    ("closing_costs", re.compile(
        r"\bclosing costs?|\b(?:any|the|what|hidden|extra|your) fees\b|\bfees\?"
        r"|\bcommissions?\b|\bdo i (?:have to )?pay (?:anything|for|any)"
        r"|\bwhat does it cost|\bcost me\b|\bescrow (?:fees|costs)|\bwho pays"
        r"|\bcostos? de cierre|\bgastos de cierre|\bcomision|\bcobran|\btengo que pagar"
        r"|\bquien paga")),
    ("how_fast_close", re.compile(
        r"\bhow (?:fast|quick(?:ly)?|soon|long)\b.{0,20}\b(?:close|closing|buy|do it|"
        r"take|sell|done|get paid|money)"
        r"|\bwhen (?:can|could|would|will) (?:you|u|we) (?:close|buy|be done|finish)"
        r"|\bcan (?:you|u) close (?:in|by|within|fast|quick)"
        r"|\bhow long (?:does|would|will) (?:it|this|the process|closing) take"
        r"|\bque tan rapido|\bcuanto (?:tiempo )?(?:tarda|tardan|se tarda|toma)"
        r"|\bcuando (?:pueden|puede|podemos) cerrar|\ben cuanto tiempo")),
    ("how_offer_computed", re.compile(
        r"\bhow (?:did|do) (?:you|u) (?:come up with|get|calculate|figure|arrive|determine)"
        r"|\bhow (?:is|was) (?:the|that|your) (?:offer|number|price) (?:calculated|figured|"
        r"determined|computed)"
        r"|^(?:but |ok |and )?(?:why|whys|how come|por que|porque)(?: (?:tho|though|so|not|"
        r"that))?\W*$"
        r"|\bwhy (?:that|this) (?:number|price|amount|offer)"
        r"|\bwhy (?:so|that|is it so|is that so|is the offer so) (?:low|cheap|little)"
        r"|\bwhy (?:only|just) \$?\d|\bwhere (?:did|does) (?:that|this) number come from"
        r"|\bhow much (?:would|will|can|could|do) (?:you|u) (?:pay|offer|give)"
        r"|\bwhat (?:would|will|can|could) (?:you|u) (?:offer|pay|give)"
        r"|\bwhat(?:'?s| is) (?:your|the) (?:offer|number)\b"
        r"|\bwhat(?:'?s| is) (?:it|my house|my home|the house) worth"
        r"|\bcomo (?:calcularon|calculo|calculan|sacaron|llegaron)"
        r"|\bpor que (?:tan|es tan|muy) (?:poco|bajo|baja)|\bcuanto (?:me )?(?:darian|dan|"
        r"ofrecen|ofrece|pagarian|pagan)|\bcuanto vale")),
    ("my_address", re.compile(
        r"\bwhat (?:address|property|house|home)\b"
        r"|\bwhich (?:address|property|house|home|one of my)"
        r"|\bwhat(?:'?s| is) the address\b|\bdo (?:you|u) have (?:my|the) (?:address|"
        r"property)\b|\baddress (?:do )?(?:you|u) have"
        r"|\b(?:que|cual) (?:direccion|casa|propiedad)")),
    ("my_appointment", re.compile(
        r"\bwhen(?:'?s| is| was) (?:my|the|our) (?:appointment|appt|meeting|visit|walkthrough)"
        r"|\bwhat (?:time|day) (?:is|was|did) (?:my |the |our )?(?:appointment|appt|meeting|"
        r"visit|we (?:book|schedule|say))"
        r"|\bwhen (?:is|are|will) (?:you|u|he|jorge|someone) (?:coming|come|stop|be here)"
        r"|\bwhat time (?:is|will) (?:he|jorge|you|someone) (?:coming|come|be)"
        r"|\b(?:is|are) (?:my|the|we) (?:appointment|appt|meeting) still"
        r"|\bremind me (?:of )?(?:the|my) (?:time|appointment)"
        r"|\b(?:cuando|a que hora) (?:es|sera) (?:mi|la) cita|\ba que hora (?:viene|llega)")),
)
# Without a question mark a message asks only when it opens like a question: a wh-word and
# then a verb ("when is", "how do", "who's"), or a verb first ("is it", "do you"). "When I find
# a new place" and "es vieja" are answers.
_QUESTION_WORD_RE = re.compile(
    r"^(?:(?:who|what|when|where|why|how)(?:'?s\b|\s+(?:is|are|was|were|do|does|did|can|"
    r"could|would|will|should|much|many|long|soon|fast|quick|come|about))|whats|"
    r"(?:do|does|did|is|are|can|could|would|will|should)\s+(?:you|u|ya|y'all|it|this|that|"
    r"there|he|jorge|your|the|my|we|i)|"
    r"(?:quien|que|cuando|donde|por que|como|cuanto|cuanta)\s+(?:es|son|me|le|les|nos|"
    r"puede|pueden|hay|tiempo|cobran|pagan|va|van|tarda)|"
    r"(?:puede|pueden)\s+(?:usted|ustedes|ud|uds))\b"
)
# Pings and bare confusion: the flow repeats its question rather than answering these.
_NOT_A_QUESTION_RE = re.compile(
    r"^(?:hello|hi|hey|hola|ok|okay|k|huh|what|wut|really|right|sorry|si|yes|no|"
    r"(?:are )?(?:you|u) there|still there|anyone there|bueno|alo)\W*$"
)
_DIGIT_RE = re.compile(r"\d")
_SECOND_PERSON = frozenset({"you", "u", "your", "ya", "yall", "y'all", "usted", "ustedes",
                            "tu", "te", "le", "les"})


# Without a question mark, one of these words must be there (see Triggers).
TRIGGERS = Triggers("""
who what how where why when which is are r do does did can could would will remind quien
que cual como cuando cuanto donde por con es eres son cash financ loan proof pay closing
fee commission cost escrow gasto comision cobran tengo contado efectivo prestamo agent
realtor broker wholesaler investor buyer address appointment appt meeting cita direccion
""")


def classify_question(text: str, language: str = "en") -> str | None:
    """The question's key, 'unknown' for a question the bot cannot answer, None otherwise."""
    clean = normalize(text)
    if not clean or ("?" not in text and "\u00bf" not in text
                     and not TRIGGERS.seen_in(clean)):
        return None
    for key, pattern in _PATTERNS:
        if pattern.search(clean):
            return key
    asks = "?" in clean or bool(_QUESTION_WORD_RE.match(clean))
    if not asks or _NOT_A_QUESTION_RE.match(clean):
        return None
    if _DIGIT_RE.search(words_to_digits(clean)) and extract_price(clean, expecting=True):
        return None  # "is 450 ok?", "290?": an amount proposed, not a question
    words = clean.rstrip("?!. ").split()
    to_bot = "\u00bf" in text or any(w in _SECOND_PERSON for w in words)
    if not (to_bot or _QUESTION_WORD_RE.match(clean)) and len(words) <= 3:
        return None  # "the first one?", "tomorrow?", "idk 390?": an unsure answer
    return "unknown"
