"""Which language a seller writes in: "en", "es", or None when a message cannot tell.

Rules:
- Words that exist in one language only count for it (accents fold: "más" = "mas").
- Short, neutral messages ("ok", "450k", "si", "no") are None: the flow keeps the
  conversation's language.
- A message needs at least one marker word and more markers than the other language.
"""

from __future__ import annotations

import re
import unicodedata

from seller_bot.extract.common import normalize


def _vocab(words: str) -> frozenset[str]:
    """A word list written as running text."""
    return frozenset(words.split())


_SPANISH = _vocab("""
hola buenas buenos dias tardes noches gracias favor por para porque pero casa mi mis tu su
es esta estan estoy tengo tiene queremos quiero quisiera vender vendo necesito necesita
cuanto cuanta cuando donde quien que como muy bien mal mas menos mil millon millones
nuestra nuestro nosotros usted ustedes ella ellos del al los las una unos unas con sin
reparaciones condiciones buenas malas meses semanas ano anos pronto posible prisa mudo
mudamos trabajo divorcio herencia fallecio murio mama papa esposo esposa hijo hija
dinero precio oferta acepto trato hecho pensarlo dejame deme mande envie escriba numero
equivocado dueno duena ya tambien aqui alla ahora despues antes verano invierno otono
primavera martes miercoles jueves viernes sabado domingo lunes manana primera segunda
opcion si claro vale gracias bueno llamo llama soy somos eres quien quieres puedo puede
alto parar cancelar basta molesten lista quitame
""")
_ENGLISH = _vocab("""
the and is are was were have has had want wanted need needs selling sell sold house home
property my our your you we they it this that what who how when where why with without
about around maybe probably just really thanks thank please yes yeah yep nope would could
should can can't don't dont im i'm it's its needs repairs condition shape roof kitchen
price asking offer deal weeks months days year years soon asap rush moving move job wife
husband mom dad passed away divorce tenants rent sure okay sounds good great number wrong
stop texting text call me hi hello hey morning afternoon evening tomorrow today monday
tuesday wednesday thursday friday saturday sunday first second one works for of in on at
""")
_WORD_RE = re.compile(r"[a-z']+")


def _fold(text: str) -> str:
    """Lowercase without accents: 'Más' -> 'mas', 'año' -> 'ano'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def detect_language(text: str) -> str | None:
    """'en' or 'es' when the words say so, else None."""
    words = _WORD_RE.findall(_fold(normalize(text)))
    es = sum(1 for w in words if w in _SPANISH and w not in _ENGLISH)
    en = sum(1 for w in words if w in _ENGLISH and w not in _SPANISH)
    if es > en and es >= 1 and not (len(words) == 1 and words[0] in {"si", "no"}):
        return "es"
    if en > es and en >= 1 and words != ["ok"]:
        return "en"
    return None
