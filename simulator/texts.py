"""What simulated sellers write, in English and Spanish (``TEXTS``), and how they phrase it:
prices in words, typos.

Most answers use wording the extractors understand; a realistic share does not (off-topic,
vague), so re-asks and unknown fields happen as they do with real sellers.
"""

from __future__ import annotations

import random

CONDITION_TEXTS = {
    "move_in_ready": (
        ("move in ready", "its move in ready. we just redid the floors"),
        ("great shape", "It's in great shape honestly, we always kept it up"),
        ("turnkey", "pretty much turnkey, kitchen was remodeled a few years ago"),
        ("nothing wrong w it", "There's nothing wrong with it, it's been well maintained"),
        ("good condition", "good condition, new AC two years ago"),
    ),
    "minor_repairs": (
        ("needs paint", "needs some paint and new carpet"),
        ("a few small things", "a few small things here and there, nothing crazy"),
        ("dated", "it's livable but dated, original kitchen"),
        ("needs a little tlc", "it could use a little TLC"),
        ("cosmetic stuff", "mostly cosmetic stuff, paint and flooring"),
        ("fair shape", "fair shape, normal wear and tear"),
        ("not bad shape just dated", "I wouldn't say it's in bad shape, it's just dated"),
    ),
    "major_repairs": (
        ("needs a new roof", "it needs a new roof and the kitchen is old"),
        ("foundation issues", "there's some foundation issues, cracks in the garage slab"),
        ("fixer upper", "it's a fixer upper to be honest"),
        ("water damage", "water damage in the back bedroom from a leak"),
        ("needs a full remodel", "needs a complete remodel, nothing's been updated since the 80s"),
        ("roof leaks", "the roof leaks and the plumbing is shot"),
        ("rough shape", "pretty rough shape, tenants trashed it"),
    ),
}
MOTIVATION_TEXTS = {
    "job_relocation": (("relocating", "relocating to Texas for work"),
                       ("job transfer", "my company is transferring me to Phoenix"),
                       ("new job in boise", "got a new job in Boise")),
    "divorce": (("divorce", "going through a divorce"),
                ("splitting up", "me and my ex are splitting up"),
                ("divorce", "divorce, we both want out of it")),
    "foreclosure": (("behind on payments",
                     "behind on payments and the bank sent a notice of default"),
                    ("foreclosure", "trying to avoid foreclosure"),
                    ("missed payments", "I missed a few mortgage payments")),
    "financial_distress": (("need the cash", "lost my job and can't afford the mortgage"),
                           ("money is tight", "money is tight since I got laid off"),
                           ("back taxes", "behind on property taxes")),
    "inheritance": (("inherited it", "inherited it from my mom"),
                    ("probate", "my dad passed away last year, it's in probate"),
                    ("estate", "I'm the executor of my uncle's estate")),
    "downsizing": (("downsizing", "kids moved out, it's too much house for us"),
                   ("downsize", "looking to downsize"),
                   ("want smaller", "we want something smaller")),
    "upsizing": (("need more room", "we need more space, baby on the way"),
                 ("outgrew it", "we outgrew it, family is growing"),),
    "retirement": (("retiring", "retiring and moving to Arizona"),
                   ("retired", "we're retired and want to travel")),
    "medical": (("health reasons", "health issues, moving into assisted living"),
                ("health issues", "my husband had a stroke and can't do the stairs")),
    "landlord_exit": (("tired of tenants", "it's a rental and I'm tired of dealing with tenants"),
                      ("rental", "tenants just moved out, done being a landlord"),),
    "other": (("moving closer to family", "want to move closer to family in Idaho"),
              ("change of scenery", "just want a change of scenery"),
              ("bought another house", "we already bought another house")),
}
# (terse, full clause); the days they mean come from the bot's own reading.
TIMELINES: tuple[tuple[str, str], ...] = (
    ("asap", "need to close asap"),
    ("asap", "as soon as possible"),
    ("yesterday lol", "like yesterday lol"),
    ("couple weeks", "in a couple weeks if we can"),
    ("30 days", "need to close in 30 days"),
    ("next month", "next month ideally"),
    ("60 days", "within 60 days"),
    ("month or two", "a month or two"),
    ("2-3 months", "in 2-3 months"),
    ("90 days", "about 90 days"),
    ("by summer", "hoping to be done by summer"),
    ("end of the year", "by the end of the year"),
    ("no rush", "no rush really"),
    ("whenever", "whenever, we're flexible"),
    ("6 months", "6 months or so"),
)
UNCLEAR = {
    "condition": ("it's a house lol", "3 bed 2 bath about 1600 sq ft", "who is this?",
                  "why do you need to know that", "depends what you mean", "its old",
                  "built in 1978, pool in the back"),
    "price": ("make me an offer", "whatever it's worth", "not sure, what do you think it's worth?",
              "what are houses going for around here?", "depends on your offer",
              "market value i guess", "idk"),
    "motivation": ("personal reasons", "it's complicated", "just because",
                   "rather not say", "family stuff"),
    "timeline": ("depends", "not sure yet", "when I find a new place", "depends on the offer",
                 "after the holidays"),
    "offer": ("how does this work exactly?", "what are the fees?", "is this a real offer?",
              "who's buying it, you or a company?"),
    "slots": ("can we do the weekend?", "what about saturday?", "i work during the day",
              "can you just call me"),
    "address": ("by the high school", "near the park, you can't miss it"),
}
ACCEPT = ("yes that works", "yes", "sounds good", "ok let's do it", "deal",
          "that works for me 👍", "sure, let's move forward", "yeah we can do that", "ok")
DECLINE = ("no deal, that's way too low", "no thanks", "not interested at that price",
           "too low, I'll list with a realtor", "nah", "that's a lowball, pass")
THINK = ("let me think about it", "not sure, I need to talk to my wife",
         "maybe, give me a few days", "hmm let me sleep on it",
         "I need to run it by my siblings")
COUNTER = ("can you do {k}k?", "how about {k}k?", "would you go up to {k}k?",
           "I was hoping for at least {k}k, can you come up?")
CHANGE_OF_HEART = ("actually ok, let's do it", "ok we decided, yes let's do it",
                   "been thinking, yes that works")
STOP = ("STOP", "stop", "Stop texting me", "unsubscribe", "STOP. not interested")
THANKS = ("thanks, see you then!", "thank you 🙏", "great thanks", "👍 see you then")
OPENINGS = (
    "Hi, I got your flyer. Thinking about selling my house in {city}",
    "Saw your sign on {arterial}. Do you buy houses in {city}?",
    "hello",
    "Hi is this {buyer}? Got your letter about {street}",
    "How much would you pay for my house in {city}?",
    "hi i might be interested in selling",
    "Hey, a friend gave me your number. I have a house in {city} I need to sell",
    "Got your postcard. What's your offer for {address}?",
    "Interested in a cash offer for my home at {address}",
    "you guys buy houses? saw your ad",
)
QUESTIONS = ("is it all cash?", "who is this?", "who pays the closing costs?",
             "how fast can you close?", "are you an agent?", "how did you get my number?")
CORRECTION = "sorry, I meant {k}k not {w}k"
WRONG_NUMBER = ("sorry, wrong number", "I think you have the wrong number",
                "wrong person, I don't own a house")

# -- the same, in Spanish --------------------------------------------------------------

CONDITION_TEXTS_ES = {
    "move_in_ready": (("lista para vivir", "está lista para vivir, la arreglamos hace poco"),
                      ("en buenas condiciones", "está en muy buenas condiciones")),
    "minor_repairs": (("necesita pintura", "necesita pintura y alfombra nueva"),
                      ("arreglos pequeños", "unos arreglos pequeños nada más")),
    "major_repairs": (("necesita techo nuevo", "necesita techo nuevo y la cocina está vieja"),
                      ("muchas reparaciones", "necesita muchas reparaciones, hay grietas en "
                       "los cimientos")),
}
MOTIVATION_TEXTS_ES = {
    "job_relocation": (("me mudo por trabajo", "me transfieren a Texas por el trabajo"),),
    "divorce": (("divorcio", "nos estamos divorciando"),),
    "foreclosure": (("atrasado en los pagos", "estoy atrasado en la hipoteca y el banco ya "
                     "mandó aviso"),),
    "financial_distress": (("necesito el dinero", "perdí mi trabajo y no puedo pagar la "
                            "hipoteca"),),
    "inheritance": (("la heredé", "la heredé de mi mamá"),),
    "downsizing": (("algo más pequeño", "los hijos se fueron y la casa es muy grande"),),
    "upsizing": (("necesitamos más espacio", "necesitamos más espacio, viene un bebé"),),
    "retirement": (("me jubilo", "me voy a jubilar y me mudo a Arizona"),),
    "medical": (("por salud", "por problemas de salud, mi esposo ya no puede con las "
                 "escaleras"),),
    "landlord_exit": (("cansado de inquilinos", "es de renta y ya me cansé de los "
                       "inquilinos"),),
    "other": (("cerca de la familia", "quiero mudarme cerca de mi familia"),),
}
TIMELINES_ES: tuple[tuple[str, str], ...] = (  # the same moments as TIMELINES, in order
    ("lo antes posible", "necesito cerrar lo antes posible"),
    ("lo antes posible", "lo más pronto posible"),
    ("para ayer jaja", "para ayer jaja"),
    ("un par de semanas", "en un par de semanas si se puede"),
    ("30 días", "necesito cerrar en 30 días"),
    ("el próximo mes", "el próximo mes idealmente"),
    ("60 días", "en 60 días"),
    ("un mes o dos", "en uno o dos meses"),
    ("2-3 meses", "en 2 o 3 meses"),
    ("90 días", "como en 90 días"),
    ("para el verano", "quisiera terminar para el verano"),
    ("fin de año", "para fin de año"),
    ("sin prisa", "sin prisa la verdad"),
    ("cuando sea", "cuando sea, somos flexibles"),
    ("6 meses", "en 6 meses más o menos"),
)
UNCLEAR_ES = {
    "condition": ("es una casa jaja", "3 recámaras 2 baños", "es vieja"),
    "price": ("no sé", "lo que valga", "depende de su oferta"),
    "motivation": ("razones personales", "es complicado"),
    "timeline": ("depende", "no sé todavía"),
    "offer": ("¿cómo funciona esto?", "¿es una oferta real?"),
    "slots": ("¿puede el fin de semana?", "trabajo en el día"),
    "address": ("por la escuela", "cerca del parque"),
}
ACCEPT_ES = ("sí, está bien", "sí", "me parece bien", "trato hecho", "de acuerdo", "ok, sí")
DECLINE_ES = ("no gracias", "no, es muy poco", "no me interesa a ese precio")
THINK_ES = ("déjeme pensarlo", "tengo que hablarlo con mi esposo", "tal vez, deme unos días")
COUNTER_ES = ("¿puede subir a {k} mil?", "¿qué tal {k} mil?", "yo quisiera por lo menos {k} mil")
STOP_ES = ("ALTO", "ya no me escriba", "no me envíe más mensajes", "PARAR")
THANKS_ES = ("gracias, nos vemos", "muchas gracias 🙏")
OPENINGS_ES = (
    "Hola, vi su anuncio. Quiero vender mi casa en {city}",
    "Buenas tardes, ¿ustedes compran casas en {city}?",
    "Hola, me interesa vender mi casa",
    "Hola, ¿cuánto me darían por mi casa en {address}?",
)
QUESTIONS_ES = ("¿es en efectivo?", "¿quién es?", "¿quién paga los costos de cierre?")
CORRECTION_ES = "perdón, quise decir {k} mil, no {w} mil"
WRONG_NUMBER_ES = ("número equivocado", "perdón, número equivocado")
SLOT_WORDS_ES = (("1", "la primera", "el primero"), ("2", "la segunda", "el segundo"))
# Everything a seller writes, by language.
TEXTS = {
    "en": {"condition": CONDITION_TEXTS, "motivation": MOTIVATION_TEXTS,
           "timelines": TIMELINES, "unclear": UNCLEAR, "accept": ACCEPT, "decline": DECLINE,
           "think": THINK, "counter": COUNTER, "stop": STOP, "thanks": THANKS,
           "openings": OPENINGS, "questions": QUESTIONS, "correction": CORRECTION,
           "wrong": WRONG_NUMBER, "change_of_heart": CHANGE_OF_HEART},
    "es": {"condition": CONDITION_TEXTS_ES, "motivation": MOTIVATION_TEXTS_ES,
           "timelines": TIMELINES_ES, "unclear": UNCLEAR_ES, "accept": ACCEPT_ES,
           "decline": DECLINE_ES, "think": THINK_ES, "counter": COUNTER_ES, "stop": STOP_ES,
           "thanks": THANKS_ES, "openings": OPENINGS_ES, "questions": QUESTIONS_ES,
           "correction": CORRECTION_ES, "wrong": WRONG_NUMBER_ES,
           "change_of_heart": ("bueno, sí, hagámoslo",)},
}
EMOJI = ("🙂", "👍", "🏠", "😅", "🙏", "😊", "🤔", "😬")
# Fillers that change no meaning (no "ok", "yeah" or "hmm": those answer an offer).
CHATTY_OPENERS = ("So ", "Well ", "Honestly ", "Oh ", "Hey, ")
CHATTY_CLOSERS = (" Thanks!", " if that helps", " lol", " haha", ".")
WORD_UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
WORD_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
              "seventeen", "eighteen", "nineteen")
WORD_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
             "ninety")


def two_digit_words(n: int) -> str:
    if n < 10:
        return WORD_UNITS[n]
    if n < 20:
        return WORD_TEENS[n - 10]
    tens, units = divmod(n, 10)
    return WORD_TENS[tens] + (f" {WORD_UNITS[units]}" if units else "")


def price_in_words(price: int) -> str:
    """How people say a price out loud: 'four fifty', 'six hundred grand', 'a million two'."""
    thousands = price // 1000
    if thousands >= 1000:
        millions, rest = divmod(thousands, 1000)
        lead = "a million" if millions == 1 else f"{WORD_UNITS[millions]} million"
        return lead + (f" {WORD_UNITS[rest // 100]}" if rest and rest % 100 == 0 else "")
    hundreds, rest = divmod(thousands, 100)
    if rest == 0:
        return f"{WORD_UNITS[hundreds]} hundred grand"
    if rest < 10:
        return f"{WORD_UNITS[hundreds]} hundred and {WORD_UNITS[rest]} thousand"
    return f"{WORD_UNITS[hundreds]} {two_digit_words(rest)}"


def price_text(rng: random.Random, price: int, words: bool, asked: bool) -> str:
    """The price as a seller types it; unmarked spoken forms only when the bot just asked."""
    k = price // 1000
    if words and asked:
        return rng.choice(("{w}", "around {w}", "I'd say {w}", "{w} maybe")).format(
            w=price_in_words(price))
    forms = ["{k}k", "around {k}k", "${p:,}", "hoping for {k} grand", "at least {k}k",
             "I think {p}", "asking {k}k"]
    if price >= 1_000_000:
        forms.append(f"{price / 1_000_000:g}M")
    return rng.choice(forms).format(k=k, p=price)


def add_typos(rng: random.Random, text: str, rate: float) -> str:
    """Thumb slips: swapped, dropped or doubled letters in some longer words."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 4 or not word.isalpha() or rng.random() >= rate:
            continue
        j = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
        elif kind == 1:
            word = word[:j] + word[j + 1:]
        else:
            word = word[:j] + word[j] + word[j:]
        words[i] = word
    return " ".join(words)
