"""Whether a message asks the bot to stop texting (carrier keywords and plain requests).

Rules:
- A carrier keyword that is the whole message, in any case and with any punctuation:
  STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE ("stop." "Stop!!" "STOP
  STOP"), optionally with "please".
- A message that opens with "stop" and a break ("Stop. I sold it already").
- Plain requests anywhere: "stop texting me", "remove me from your list", "do not contact
  me", "leave me alone", "take me off your list", "lose my number".
- "wrong number" is NOT an opt-out: it is its own exit (is_wrong_number); the flow checks
  it before is_opt_out.
- Not opt-outs: "stop" in other senses ("can't stop worrying", "bus stop", "don't stop,
  tell me more") and "cancel the appointment" (a reschedule, not an opt-out).
"""

from __future__ import annotations

import re

from seller_bot.extract.common import normalize, strip_punctuation

CARRIER_KEYWORDS = frozenset({
    "alto", "parar", "para", "cancelar", "basta", "baja",
    "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout", "opt out",
    "revoke", "stop please", "please stop", "stop pls", "pls stop", "stop now", "stop it",
})

_OPENS_WITH_STOP_RE = re.compile(r"^stop\s*[.!,;:]+")
_TEXTING = (r"(?:text\w*|txt\w*|texing|messag\w*|msg\w*|contact\w*|call\w*|send\w*|"
            r"bother\w*|harass\w*|spam\w*|hitting me up)")
_REQUEST_RE = re.compile(
    rf"\b(?:stop|quit|cease) {_TEXTING}"
    rf"|\b(?:do not|don'?t|dont|never) {_TEXTING} (?:me|us|this number)"
    r"|\bremove (?:me|us|my number|this number)\b|\btake (?:me|us|my number|this number) off\b"
    r"|\bleave (?:me|us) alone\b|\bunsubscribe\b|\bopt (?:me )?out\b|\boptout\b"
    r"|\blose (?:my|this) number\b"
    r"|\bno more (?:texts|messages|msgs)\b|\b(?:not interested|number|person),? stop\b"
)
_SPANISH_RE = re.compile(
    r"\b(?:ya )?no me (?:escrib\w*|envi\w*|enví\w*|mand\w*|llam\w*|molest\w*|contact\w*)"
    r"|\bquit(?:ame|enme|eme)\b|\bdejen?me en paz\b|\bdeje de (?:escrib|mand|envi)\w*"
)
_WRONG_NUMBER_RE = re.compile(
    r"\bwrong (?:number|person|#)|\bn[uú]mero equivocado|\bno soy (?:el |la )?due[nñ][oa]"
    r"|\bdon'?t own (?:a|the|any) (?:house|home|property)|\bnot (?:the|my) (?:house|home)"
)
# "don't stop texting me" would be a strange thing to say, but it is not an opt-out.
_DONT_STOP_RE = re.compile(r"\b(?:don'?t|dont|do not|never) stop\b")


def is_opt_out(text: str) -> bool:
    """True when the sender asks not to be texted again."""
    words = strip_punctuation(text)
    if " ".join(dict.fromkeys(words.split())) in CARRIER_KEYWORDS:
        return True  # the whole message is a keyword ("STOP", "stop stop", "Stop!!")
    clean = normalize(text)
    if _OPENS_WITH_STOP_RE.match(clean):
        return True
    if _SPANISH_RE.search(clean):
        return True
    return bool(_REQUEST_RE.search(clean)) and not _DONT_STOP_RE.search(clean)


def is_wrong_number(text: str) -> bool:
    """True when the sender says the number or the house is not theirs."""
    return bool(_WRONG_NUMBER_RE.search(normalize(text)))
