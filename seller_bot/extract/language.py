"""Which language a seller writes in: "en", "es", or None when one message cannot tell.

Rules:
- Words that belong to one language only are votes for it ("quiero vender mi casa" is
  Spanish, "want to sell my house" English); accents are folded first, so "dueño" and
  "dueno" are the same word. Spanish marks ('ñ', '¿', '¡', an accented vowel) are two votes.
- Words both languages use ("no", "me", "a", "ok", "si", numbers, "LA") and place names
  ("San Bernardino", "Loma Linda", "Rancho Cucamonga") vote for neither.
- The language with more votes wins; a tie, or a message with no votes ("ok", "450k", "👍",
  "no", "si") is None: the flow keeps the conversation's language.
- Spanglish goes by the majority: "tengo una house en Hemet" is Spanish.
- Street addresses and city names are left out first: "11238 Vista Grande Way" and "San
  Bernardino" say nothing about the seller's language.
- Short function words ("in", "the", "en", "la", "de") are half a vote, and the winner needs
  at least one whole vote: "15206 Francis St in Ontario" (an address answer) is None, so a
  Spanish conversation stays Spanish.
- Spanish word endings count too ("jubilo", "vendemos", "reparación", "mudando").
"""

from __future__ import annotations

import re
from typing import Literal

from seller_bot.extract.address import CITY_WORDS
from seller_bot.extract.common import ES_SMALL, STREET_ADDRESS_RE, fold_accents
from seller_bot.extract.typos import word_list

Language = Literal["en", "es"]


SPANISH_WORDS = word_list("""
hola buenas buenos dias tardes noches gracias favor por para porque pero casa casas mi mis
tu tus su sus el la los las del al de que es esta estan estoy esto eso ese esa son somos
soy eres tengo tiene tienen tenemos queremos quiero quiere quisiera vender vendo vendemos
venta necesito necesita necesitamos cuanto cuanta cuantos cuando donde quien quienes como
muy bien mal mas menos millon millones nuestra nuestro nosotros usted ustedes ella ellos
una unos unas con sin reparaciones reparacion condiciones condicion estado meses semanas
ano anos pronto posible prisa mudo mudamos mudar trabajo divorcio herencia heredamos
herede fallecio murio mama papa esposo esposa hijo hija hijos dinero precio oferta acepto
aceptamos trato hecho pensarlo pensar dejame dejeme deme mande mandes envie envies escriba
escribas escriban numero equivocado equivocada equivocaron dueno duena ya tambien aqui
alla ahora despues antes verano invierno otono primavera martes miercoles jueves viernes
sabado domingo lunes manana primera primero segunda segundo opcion claro vale bueno llamo
llama llamar puedo puede podemos alto parar cancelar basta molesten molestar lista
quitame quiten hablo hablar ingles espanol techo cocina pintura pisos alfombra
inquilinos casero hipoteca pagos atrasado atrasados pagar deuda dolares ninguna ninguno
nada algo mucho mucha muchos muchas poco poca todo toda todos tambien cuanto ofrecen
ofrece efectivo comision cierre cita direccion agente ustedes mensaje mensajes persona
senor senora gusto entonces en se le les lo te nos millon millones pues tal vez quizas
creo dice digo sabe sea seria tenia
hay hacer hace hecho listo lista vivir grande pequena pequeno jubilar jubilamos
jubilacion enfermo enferma salud separamos separados cansado cansada mande q xq pq tmb
""") | frozenset(ES_SMALL)
ENGLISH_WORDS = word_list("""
the and is are was were be been being have has had having want wanted wants need needs
needed selling sell sold house home property my our your you we they it this that these
those what who how when where why with without about around maybe probably prob just
really thanks thank please yes yeah yep yup nope would could should can can't cant don't
dont won't wont i im i'm it's its i'll ill we're were they're repairs repair condition
shape roof kitchen price asking offer deal weeks week months month days day year years
soon asap rush moving move moved job wife husband mom dad passed away divorce tenants
tenant rent rental sure okay sounds good great bad number wrong stop texting text call
hi hello hey morning afternoon evening tomorrow today tonight monday tuesday wednesday
thursday friday saturday sunday first second one two three works work for of in on at to
from by up out get got know think thinking looking like some any much many more less
need idk tbh lol fine cool alright nah thx ty pls plz u ur gonna wanna kinda sorta
meant mean actually wait scratch not no-one nothing anything something there here
them their he she his her him bought paint carpet floors foundation new old still owe
which whichever either option other then than so but if or as all only also very too
""")
WEAK_WORDS = word_list("""
in on at the a an to of it is my i and for or so as by up en de la el y lo se mi tu su es
al del los las
""")
_SPANISH_CHARS_RE = re.compile("[ñ¿¡áéíóúü]")
_WORD_RE = re.compile(r"[a-z']+")
_DIGIT_RE = re.compile(r"\d")
_SPANISH_ENDING_RE = re.compile(r"(?:cion|ciones|amos|emos|imos|ando|iendo|ilo|aron|ieron)$")
_NOT_SPANISH_ENDINGS = frozenset({"commando", "orlando", "nimos", "memos", "demos", "promos"})


def detect_language(text: str) -> Language | None:
    """'en' or 'es' when the words say so, else None."""
    low = text.lower()
    folded = fold_accents(low)
    if _DIGIT_RE.search(folded):
        folded = STREET_ADDRESS_RE.sub(" ", folded)
    es = 2.0 if _SPANISH_CHARS_RE.search(low) else 0.0
    en = 0.0
    for word in _WORD_RE.findall(folded):
        if word in CITY_WORDS:
            continue  # "San Bernardino", "Loma Linda" say nothing about the language
        in_es, in_en = word in SPANISH_WORDS, word in ENGLISH_WORDS
        vote = 0.5 if word in WEAK_WORDS else 1.0
        if in_es and not in_en:
            es += vote
        elif in_en and not in_es:
            en += vote
        elif (not in_en and len(word) > 4 and _SPANISH_ENDING_RE.search(word)
              and word not in _NOT_SPANISH_ENDINGS):
            es += vote
    if es > en and es >= 1:
        return "es"
    if en > es and en >= 1:
        return "en"
    return None
