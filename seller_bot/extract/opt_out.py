"""Whether a message asks the bot to stop texting, and whether it reached the wrong person.

Opt-outs (is_opt_out), English and Spanish:
- A carrier keyword that is the whole message, in any case and with any punctuation:
  STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE, and Spanish ALTO, PARAR,
  PARE, PARA, CANCELAR, BASTA, BAJA ("stop." "Stop!!" "STOP STOP" "ALTO por favor").
- A message that opens with "stop"/"alto"/"basta" and a break ("Stop. I sold it already").
- Plain requests anywhere: "stop texting me", "remove me", "do not contact me", "leave me
  alone", "take me off your list", "lose my number", "no more texts", "this is harassment";
  "ya no me escriba(s)", "no me envíe(s) más mensajes", "no me mande(s) más", "quítame de la
  lista", "no me moleste(n)", "deje de escribirme", "darme de baja".
- Not opt-outs: "stop" in other senses ("can't stop worrying", "bus stop", "stop by",
  "don't stop, tell me more"), "cancel the appointment" / "cancelar la cita" (a reschedule),
  "no rush", "not interested" alone (a decline), "para el verano" ("para" as a preposition),
  "no me escriba en inglés" (a language wish).
- "wrong number" is NOT an opt-out: it is its own exit (is_wrong_number). A message can be
  both ("wrong number, stop texting me"); the flow decides which exit it records.

Wrong numbers (is_wrong_number): "wrong number", "wrong person", "you have the wrong guy",
"I don't own a house", "not my house", "no one here by that name", "número equivocado",
"se equivocó de persona", "no soy el dueño", "no tengo ninguna casa". Not: "I don't own it
outright", "is this the right number?".
"""

from __future__ import annotations

import re

from seller_bot.extract.common import Triggers, normalize, strip_punctuation

CARRIER_KEYWORDS = frozenset({
    "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout", "opt out",
    "revoke", "stop please", "please stop", "stop pls", "pls stop", "stop now", "stop it",
    "alto", "parar", "pare", "para", "cancelar", "basta", "baja", "basta ya", "alto por favor",
    "por favor alto", "parar por favor", "stop por favor",
})

_OPENS_WITH_STOP_RE = re.compile(r"^(?:stop|alto|basta|parar)\s*[.!,;:]+")
_TEXTING = (r"(?:text\w*|txt\w*|texing|messag\w*|msg\w*|contact\w*|call\w*|send\w*|"
            r"bother\w*|harass\w*|spam\w*|hitting me up|hmu|reaching out)")
_REQUEST_RE = re.compile(
    rf"\b(?:stop|quit|cease|quit) {_TEXTING}"
    rf"|\b(?:do not|don'?t|dont|never|pls don'?t) (?:ever )?{_TEXTING} (?:me|us|this number)"
    r"|\bremove (?:me|us|my number|this number|my info)\b"
    r"|\btake (?:me|us|my number|this number) off\b"
    r"|\bleave (?:me|us) (?:the hell |tf )?alone\b|\bunsubscribe\b|\bopt (?:me )?out\b"
    r"|\boptout\b|\b(?:lose|delete|erase) (?:my|this) (?:number|info)\b"
    r"|\bno more (?:texts|messages|msgs|calls|texting)\b"
    r"|\b(?:not interested|number|person),? stop\b"
    r"|\b(?:this is|this is straight up|that'?s) harass\w*|\bstop harass\w*"
    r"|\b(?:f+u?c?k? off|piss off|go away)\b"
)
# "don't stop texting me" would be a strange thing to say, but it is not an opt-out.
_DONT_STOP_RE = re.compile(r"\b(?:don'?t|dont|do not|never) stop\b")
_ME = r"(?:me|nos)"
_SPANISH_RE = re.compile(
    rf"\b(?:ya )?no {_ME} (?:vuelva[ns]? a |vuelvas a )?(?:escrib|envi|mand|llam|molest|contact|"
    r"text|busqu)\w*+(?! en ingles)"
    r"|\bquit(?:ame|eme|enme|enos|anos)\b|\bsaqu(?:ame|eme|enme|enos)\b"
    r"|\bborr(?:en|e|a) mi (?:numero|informacion)\b"
    r"|\bdejen?(?:me| de) (?:en paz|escribir\w*|mandar\w*|enviar\w*|molestar\w*|llamar\w*)"
    r"|\bdeja de (?:escribir\w*|mandar\w*|enviar\w*|molestar\w*)"
    r"|\bdar(?:me|nos) de baja\b|\bde ?baja\b"
    r"|\bno (?:quiero|queremos) (?:mas |recibir )?(?:mensajes|textos)\b"
    r"|\b(?:ya )?no (?:mas|mande[ns]?|envie[ns]?) (?:mensajes|textos)\b"
    r"|\bbasta ya\b"
)
_WRONG_NUMBER_RE = re.compile(
    r"\bwrong (?:number|#|person|guy|lady|gal|house|contact|people|dude)"
    r"|\b(?:don'?t|dont|do not|never) own (?:a |any |the |this |that )?(?:house|home|property|"
    r"properties|homes|houses)\b(?! outright| free)"
    r"|\b(?:don'?t|dont|do not|no longer) own (?:it|that|this one) anymore"
    r"|\bno longer own\b|\bnot (?:my|our) (?:house|home|property)\b"
    r"|\b(?:i'?m|im|i am) not the (?:owner|homeowner)\b"
    r"|\b(?:i|we) (?:just |only )?rent (?:here|this (?:place|house|home|apartment|unit|one))\b"
    r"(?! out)|\b(?:i'?m|im|i am|we'?re|we are) (?:just )?(?:the |a )?(?:tenants?|renters?)\b"
    r"|\bno ?one (?:here )?(?:by|with) that name|\bnobody (?:here )?(?:by|with) that name"
    r"|\bnumero equivocad[oa]|\bequivoca\w* (?:de )?(?:numero|persona)"
    r"|\bse equivoc\w*|\bno soy (?:el |la )?(?:dueno|duena|propietari[oa])"
    r"|\bno (?:tengo|tenemos) (?:ninguna |una )?casa"
    r"|\bno es mi casa\b|\bno (?:soy|es) (?:esa|esta) persona\b"
)
_NOT_WRONG_RE = re.compile(r"\b(?:not|isn'?t|no es) (?:the |a |el )?wrong\b|right number\?")


# Beyond the whole-message keywords, one of these words must be there (see Triggers).
TRIGGERS = Triggers("""
stop quit cease text txt messag msg contact call send bother harass spam hitting hmu reach
remove take leave unsub opt lose delete erase number info more interested off away f alto
basta parar escrib envi mand llam molest busqu quit saqu borr dej baja mensaj texto quier
""")


def is_opt_out(text: str) -> bool:
    """True when the sender asks not to be texted again."""
    words = strip_punctuation(text)
    if " ".join(dict.fromkeys(words.split())) in CARRIER_KEYWORDS:
        return True  # the whole message is a keyword ("STOP", "stop stop", "Stop!!")
    clean = normalize(text)
    if not TRIGGERS.seen_in(clean):
        return False
    if _OPENS_WITH_STOP_RE.match(clean):
        return True
    if _SPANISH_RE.search(clean):
        return True
    return bool(_REQUEST_RE.search(clean)) and not _DONT_STOP_RE.search(clean)


WRONG_NUMBER_TRIGGERS = Triggers("""
wrong own owner homeowner rent name equivoc duen propietari casa persona house home property
tenant
""")


def is_wrong_number(text: str) -> bool:
    """True when the sender says the number or the house is not theirs."""
    clean = normalize(text)
    if not WRONG_NUMBER_TRIGGERS.seen_in(clean):
        return False
    return bool(_WRONG_NUMBER_RE.search(clean)) and not _NOT_WRONG_RE.search(clean)
