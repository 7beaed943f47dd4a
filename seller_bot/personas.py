"""Simulated home sellers: who they are (Inland Empire homes, names, phones) and how they text.

A ``Persona`` is drawn from one ``random.Random``; a ``SimulatedSeller`` then answers what the
bot just asked (the ``asking`` of the bot's answer, not its wording), in the persona's style and
language, with the same generator. Most answers use wording the extractors understand; a
realistic share does not (off-topic, vague, typos), so re-asks and unknown fields happen as
they do with real sellers. Some sellers write in Spanish, some ask the bot a question, some
correct an answer they gave, some counter the offer, and a few have the wrong number.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# -- places ----------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    zips: tuple[str, ...]
    area_code: str
    arterials: tuple[str, ...]  # the big roads people name ("saw your sign on Haven")
    price_range: tuple[int, int]  # typical single-family asking prices


CITIES: tuple[City, ...] = (
    City("Rancho Cucamonga", ("91701", "91730", "91737", "91739"), "909",
         ("Base Line Rd", "Haven Ave", "Archibald Ave", "Banyan St", "Etiwanda Ave",
          "Carnelian St", "Hermosa Ave", "Victoria Park Ln"), (560_000, 950_000)),
    City("Ontario", ("91761", "91762", "91764"), "909",
         ("Euclid Ave", "Mountain Ave", "Francis St", "Philadelphia St", "Vineyard Ave",
          "Campus Ave", "Grove Ave"), (460_000, 720_000)),
    City("Upland", ("91784", "91786"), "909",
         ("Foothill Blvd", "Euclid Ave", "San Antonio Ave", "Arrow Hwy", "Benson Ave",
          "Campus Ave"), (560_000, 900_000)),
    City("Fontana", ("92335", "92336", "92337"), "909",
         ("Sierra Ave", "Citrus Ave", "Baseline Ave", "Valley Blvd", "Cherry Ave",
          "Juniper Ave", "Summit Ave"), (450_000, 700_000)),
    City("Chino Hills", ("91709",), "909",
         ("Peyton Dr", "Grand Ave", "Chino Hills Pkwy", "Butterfield Ranch Rd",
          "Soquel Canyon Pkwy"), (720_000, 1_150_000)),
    City("Chino", ("91710",), "909",
         ("Riverside Dr", "Central Ave", "Walnut Ave", "Pipeline Ave", "Schaefer Ave",
          "Edison Ave"), (520_000, 800_000)),
    City("Montclair", ("91763",), "909",
         ("Monte Vista Ave", "Benito St", "Kingsley St", "Mission Blvd", "Fremont Ave"),
         (480_000, 680_000)),
    City("Claremont", ("91711",), "909",
         ("Indian Hill Blvd", "Foothill Blvd", "Mills Ave", "Towne Ave", "Base Line Rd"),
         (700_000, 1_100_000)),
    City("Pomona", ("91766", "91767", "91768"), "909",
         ("Garey Ave", "Holt Ave", "Towne Ave", "Mission Blvd", "Orange Grove Ave",
          "White Ave"), (420_000, 680_000)),
    City("Rialto", ("92376", "92377"), "909",
         ("Riverside Ave", "Baseline Rd", "Cactus Ave", "Willow Ave", "Ayala Dr",
          "Merrill Ave"), (400_000, 620_000)),
    City("Redlands", ("92373", "92374"), "909",
         ("Citrus Ave", "Cajon St", "Brookside Ave", "Orange St", "Lugonia Ave", "Ford St"),
         (450_000, 850_000)),
    City("San Bernardino", ("92404", "92405", "92407"), "909",
         ("Del Rosa Ave", "Waterman Ave", "Highland Ave", "Kendall Dr", "Mt Vernon Ave"),
         (300_000, 480_000)),
    City("Riverside", ("92503", "92504", "92505", "92506", "92507", "92508"), "951",
         ("Magnolia Ave", "Arlington Ave", "Victoria Ave", "Van Buren Blvd", "Brockton Ave",
          "Tyler St", "Alessandro Blvd"), (420_000, 780_000)),
    City("Corona", ("92879", "92880", "92881", "92882"), "951",
         ("Ontario Ave", "McKinley St", "Main St", "Lincoln Ave", "Green River Rd",
          "Magnolia Ave"), (560_000, 900_000)),
    City("Eastvale", ("92880",), "951",
         ("Hamner Ave", "Limonite Ave", "Schleisman Rd", "Archibald Ave"),
         (650_000, 950_000)),
    City("Moreno Valley", ("92553", "92555", "92557"), "951",
         ("Sunnymead Blvd", "Perris Blvd", "Heacock St", "Ironwood Ave"), (400_000, 580_000)),
)
# Residential side streets, the kind most of these houses are on.
SIDE_STREETS = (
    "Sycamore Ln", "Jacaranda Ave", "Mesa Verde Dr", "Palo Verde Dr", "Cedar St",
    "Oak Hill Ct", "Pepper Tree Ln", "Hillcrest Dr", "Mountain View Ave", "Orange Blossom Ln",
    "Stonewood Ct", "Quail Run Rd", "Canyon Crest Dr", "Sierra Vista Dr", "Rosewood St",
    "Olive Grove Ct", "Vista Grande Way", "Avocado Ave", "Lemon Tree Ln", "Desert Willow Dr",
    "Cypress Point Dr", "Almond Ct", "Mulberry St", "Sunset Ridge Rd", "Laurel Ave",
)

# -- people ----------------------------------------------------------------------------

# (share of sellers, first names, last names): the region's mix, roughly.
NAME_GROUPS: tuple[tuple[float, tuple[str, ...], tuple[str, ...]], ...] = (
    (0.46, ("Maria", "Jose", "Juan", "Guadalupe", "Carlos", "Rosa", "Luis", "Ana", "Miguel",
            "Veronica", "Jesus", "Alejandra", "Francisco", "Marisol", "Ricardo", "Yesenia",
            "Javier", "Leticia", "Armando", "Gabriela", "Rogelio", "Elena", "Hector",
            "Claudia"),
     ("Garcia", "Hernandez", "Lopez", "Martinez", "Gonzalez", "Rodriguez", "Ramirez",
      "Sanchez", "Torres", "Flores", "Rivera", "Gutierrez", "Morales", "Castillo", "Mendoza",
      "Ruiz", "Vasquez", "Avila", "Ochoa", "Navarro", "Delgado", "Salazar", "Cervantes",
      "Barajas")),
    (0.25, ("Michael", "Jennifer", "David", "Linda", "Robert", "Susan", "James", "Karen",
            "Brian", "Melissa", "Kevin", "Heather", "Steve", "Debbie", "Tom", "Nancy", "Gary",
            "Cheryl", "Tyler", "Ashley"),
     ("Smith", "Johnson", "Miller", "Davis", "Wilson", "Anderson", "Thompson", "Clark",
      "Lewis", "Walker", "Hall", "Young", "Baker", "Nelson", "Carter", "Mitchell", "Campbell",
      "Parker", "Evans", "Collins")),
    (0.04, ("Minh", "Linh", "Anh", "Tuan", "Thao", "Khanh"), ("Nguyen", "Tran", "Le", "Pham")),
    (0.03, ("Wei", "Mei", "Jason", "Grace", "Jenny"), ("Chen", "Wang", "Liu", "Huang", "Wong")),
    (0.03, ("Hyun", "Soo-jin", "Daniel", "Jin"), ("Kim", "Park", "Lee", "Choi")),
    (0.04, ("Marites", "Rodel", "Joy", "Arnel", "Jocelyn"),
     ("Santos", "Dela Cruz", "Bautista", "Villanueva", "Reyes")),
    (0.03, ("Priya", "Raj", "Arjun", "Anita"), ("Patel", "Shah", "Singh")),
    (0.08, ("Darnell", "Keisha", "Andre", "Tasha", "Marcus", "Latoya", "Jamal", "Monique"),
     ("Washington", "Jackson", "Robinson", "Harris", "Brooks", "Coleman", "Jenkins", "Bell")),
    (0.04, ("Ahmed", "Sara", "Nadia", "Omar", "Armen", "Ani"),
     ("Haddad", "Khalil", "Sarkisian", "Petrosyan")),
)

# -- what they want --------------------------------------------------------------------

CONDITIONS = ("move_in_ready", "minor_repairs", "major_repairs")
CONDITION_WEIGHTS = (0.3, 0.42, 0.28)
CONDITION_PRICE_FACTOR = {"move_in_ready": 1.0, "minor_repairs": 0.94, "major_repairs": 0.8}
MOTIVATION_WEIGHTS = {
    "job_relocation": 12, "divorce": 9, "foreclosure": 6, "financial_distress": 8,
    "inheritance": 13, "downsizing": 11, "upsizing": 6, "retirement": 9, "medical": 6,
    "landlord_exit": 11, "other": 9,
}
# How the story ends. "ghost" goes quiet, "stop" opts out, "think" cannot decide, "haggle"
# counters the offer, "wrong" is not the owner at all.
ENDINGS = {"book": 0.3, "decline": 0.1, "haggle": 0.1, "think": 0.08, "stop": 0.07,
           "ghost": 0.33, "wrong": 0.02}
GHOST_AT = {"condition": 0.3, "price": 0.2, "motivation": 0.2, "offer": 0.15, "slots": 0.15}
STOP_AT = {"condition": 0.35, "price": 0.2, "motivation": 0.15, "offer": 0.3}
SPANISH_SHARE = 0.1  # sellers who text in Spanish
ASKS_SHARE = 0.2  # sellers who ask the bot something along the way
CORRECTS_SHARE = 0.08  # sellers who give a price, then correct it
STYLES = {"plain": 0.28, "terse": 0.25, "chatty": 0.2, "typos": 0.14, "emoji": 0.13}


@dataclass(frozen=True)
class Home:
    number: int
    street: str
    city: City
    zip_code: str
    condition: str
    price: int  # what the seller has in mind

    @property
    def street_address(self) -> str:
        return f"{self.number} {self.street}"


@dataclass(frozen=True)
class Persona:
    """One seller: identity, home, story, and writing habits."""

    index: int
    contact_id: str
    conversation_id: str
    name: str | None
    phone: str
    home: Home
    motivation: str
    timeline: int  # index into TIMELINES
    ending: str
    quits_at: str | None  # the question at which a "ghost" or "stop" seller leaves
    style: str
    numbers_in_words: bool
    volunteers: bool  # tells several facts at once
    clarity: float  # chance an answer is phrased so the bot can understand it
    slot_pick: int  # 0 or 1: which offered slot suits them
    language: str = "en"
    asks: bool = False  # asks a question when the bot first asks something
    corrects: bool = False  # gives a wrong price first, then corrects it


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def ghl_id(rng: random.Random) -> str:
    """A 20-character id shaped like GoHighLevel's contact and conversation ids."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choices(alphabet, k=20))


def fictional_phone(rng: random.Random, area_code: str) -> str:
    """+1 <area> 555-01XX: the numbers reserved for fiction, never a real subscriber."""
    return f"+1{area_code}55501{rng.randrange(100):02d}"


def pick_name(rng: random.Random) -> str | None:
    shares = [group[0] for group in NAME_GROUPS]
    _, firsts, lasts = rng.choices(NAME_GROUPS, weights=shares)[0]
    first, last = rng.choice(firsts), rng.choice(lasts)
    roll = rng.random()
    if roll < 0.08:
        return None  # GoHighLevel contacts created from a bare number have no name
    if roll < 0.16:
        return first
    return f"{first} {last}"


def pick_home(rng: random.Random) -> Home:
    city = rng.choice(CITIES)
    low, high = city.price_range
    condition = rng.choices(CONDITIONS, weights=CONDITION_WEIGHTS)[0]
    price = rng.triangular(low, high, low + (high - low) * 0.4)
    price *= CONDITION_PRICE_FACTOR[condition]
    if rng.random() < 0.06:
        price *= 0.55  # a condo or townhouse
    street = rng.choice(city.arterials if rng.random() < 0.3 else SIDE_STREETS)
    return Home(number=rng.randint(1000, 15999), street=street, city=city,
                zip_code=rng.choice(city.zips), condition=condition,
                price=round(price / 5000) * 5000)


def make_persona(rng: random.Random, index: int) -> Persona:
    """Draw one seller from ``rng`` (the same generator then drives their messages)."""
    contact_id, conversation_id = ghl_id(rng), ghl_id(rng)
    name = pick_name(rng)
    home = pick_home(rng)
    ending = weighted(rng, ENDINGS)
    quits_at = (weighted(rng, GHOST_AT) if ending == "ghost"
                else weighted(rng, STOP_AT) if ending == "stop"
                else "condition" if ending == "wrong" else None)
    style = weighted(rng, STYLES)
    return Persona(
        index=index, contact_id=contact_id, conversation_id=conversation_id, name=name,
        phone=fictional_phone(rng, home.city.area_code), home=home,
        motivation=weighted(rng, MOTIVATION_WEIGHTS), timeline=rng.randrange(len(TIMELINES)),
        ending=ending, quits_at=quits_at, style=style,
        numbers_in_words=rng.random() < 0.18, volunteers=rng.random() < 0.25,
        clarity=rng.uniform(0.72, 0.98), slot_pick=0 if rng.random() < 0.6 else 1,
        language="es" if rng.random() < SPANISH_SHARE else "en",
        asks=rng.random() < ASKS_SHARE, corrects=rng.random() < CORRECTS_SHARE,
    )


# -- what they write -------------------------------------------------------------------

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
SLOT_RE = re.compile(r"(\d)\) (\w{3}) \w{3} \d{1,2} at (\d{1,2}):(\d{2}) (AM|PM)")
WEEKDAY_NAMES = {"Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
                 "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}


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


def offered_slots(reply: str) -> list[tuple[str, int, str]]:
    """(weekday abbreviation, hour, AM/PM) of each slot the bot listed in English."""
    return [(m.group(2), int(m.group(3)), m.group(5)) for m in SLOT_RE.finditer(reply)]


# The bot's pending question (``asking`` in its answer) -> what the seller answers.
TOPIC_OF_ASKING = {"condition": "condition", "price_expectation": "price",
                   "motivation": "motivation_timeline", "timeline_days": "timeline",
                   "offer_response": "offer", "appointment_at": "slots", "address": "address"}
WAITING_RE = re.compile(r"reply yes|responda sí")


def question_topic(reply: str | None, stage: str | None, asking: str | None) -> str:
    """What the bot's message asks the seller: its pending question, as it reports it."""
    if not reply:
        return "none"
    topic = TOPIC_OF_ASKING.get(asking or "", "closed")
    if topic == "offer" and WAITING_RE.search(reply):
        return "offer_waiting"
    if topic == "motivation_timeline" and "?" in reply and not re.search(
            r"how soon|timeline|how quickly|when would|pronto|tiempo|rápido", reply.lower()):
        return "motivation"
    return topic


class SimulatedSeller:
    """Texts the bot as one persona: answers what it was just asked, in the persona's style."""

    def __init__(self, persona: Persona, rng: random.Random, buyer_name: str = "Jorge") -> None:
        self.persona = persona
        self.rng = rng
        self.buyer_name = buyer_name
        self.last_topic: str | None = None
        self.ending = persona.ending
        self.texts = TEXTS[persona.language]
        self.asked = not persona.asks  # whether its one question was asked already
        self.corrected = not persona.corrects
        self.price_given = False

    # -- the conversation --------------------------------------------------------------
    def opening(self) -> str:
        """The first text: a hello, sometimes with several facts at once."""
        p, rng = self.persona, self.rng
        if p.volunteers and p.language == "en":
            facts = rng.sample([self.condition_text(), self.price_statement(),
                                self.motivation_text()], k=rng.choice((2, 2, 3)))
            if rng.random() < 0.35:
                facts.append(TIMELINES[p.timeline][1])
            facts = [fact if fact.startswith(("I ", "I'")) else fact[0].lower() + fact[1:]
                     for fact in facts]
            text = "Hi, want to sell my house at " + ", ".join([self.address(True), *facts])
            return self.styled(text, opener=False)
        template = rng.choice(self.texts["openings"])
        return self.styled(template.format(
            city=p.home.city.name, arterial=rng.choice(p.home.city.arterials),
            buyer=self.buyer_name, street=p.home.street_address, address=self.address(True)),
            opener=False)

    def respond(self, reply: str | None, stage: str | None,
                asking: str | None = None) -> str | None:
        """The next text after the bot said ``reply`` (waiting on ``asking``); None when the
        seller writes no more."""
        topic = question_topic(reply, stage, asking)
        repeated = topic == self.last_topic
        self.last_topic = topic
        text = self._answer(topic, reply or "", repeated)
        if text is None or text in self.texts["stop"]:
            return text  # an opt-out is sent as typed, so it stays a carrier keyword
        return self.styled(text)

    def _answer(self, topic: str, reply: str, repeated: bool) -> str | None:
        p, rng = self.persona, self.rng
        quits_here = p.quits_at is not None and topic.startswith(p.quits_at)
        if quits_here and self.ending == "stop":
            return rng.choice(self.texts["stop"])
        if quits_here and self.ending == "ghost":
            return None
        if quits_here and self.ending == "wrong":
            return rng.choice(self.texts["wrong"])
        if topic in ("none", "closed"):
            return self.after_the_end(reply)
        if not self.asked and topic not in ("offer_waiting", "slots"):
            self.asked = True
            return rng.choice(self.texts["questions"])  # the bot answers, then asks again
        if topic in ("offer", "offer_waiting"):
            return self.about_offer(topic, repeated)
        if topic == "slots":
            return self.pick_slot(reply, repeated)
        if not self.understandable(repeated):
            return rng.choice(self.texts["unclear"][topic.split("_")[0]])
        if self.price_given and not self.corrected:
            self.corrected = True
            return f"{self.correction()}. {self._clear_answer(topic)}"
        return self._clear_answer(topic)

    def _clear_answer(self, topic: str) -> str:
        p, rng = self.persona, self.rng
        if topic == "condition":
            return self.condition_text() + self.volunteered("price")
        if topic == "price":
            self.price_given = True
            return self.price_phrase(asked=True) + self.volunteered("motivation")
        if topic == "motivation":
            return self.motivation_text()
        if topic == "timeline":
            return self.timeline_text()
        if topic == "address":
            return self.address(True)
        if rng.random() < 0.25:
            return self.motivation_text()  # answers half the question; the bot asks again
        return f"{self.motivation_text()}, {self.texts['timelines'][p.timeline][1]}"

    def correction(self) -> str:
        """'sorry, I meant 470k not 440k': the real price after a slip."""
        price = self.persona.home.price
        return self.texts["correction"].format(k=price // 1000, w=self.slip(price) // 1000)

    def slip(self, price: int) -> int:
        """The wrong price a correcting seller types first."""
        return price - 30_000 if price > 100_000 else price + 30_000

    def about_offer(self, topic: str, repeated: bool) -> str | None:
        rng, ending, texts = self.rng, self.ending, self.texts
        if repeated and topic == "offer_waiting":
            return None  # said "let me think" twice already: gone quiet
        if topic == "offer" and not repeated and not self.understandable(False):
            return rng.choice(texts["unclear"]["offer"])
        if ending == "haggle":
            self.ending = rng.choices(("book", "decline", "think"), weights=(45, 35, 20))[0]
            counter = self.persona.home.price * rng.uniform(0.8, 1.0)
            return rng.choice(texts["counter"]).format(k=round(counter / 5000) * 5)
        if ending == "think":
            self.ending = rng.choices(("book", "decline", "ghost_now"), weights=(40, 25, 35))[0]
            return rng.choice(texts["think"])
        if ending == "ghost_now":
            return None
        if ending == "decline":
            return rng.choice(texts["decline"])
        return rng.choice(texts["accept"])

    def pick_slot(self, reply: str, repeated: bool) -> str:
        rng = self.rng
        if not repeated and rng.random() > self.persona.clarity + 0.1:
            return rng.choice(self.texts["unclear"]["slots"])
        slots = offered_slots(reply)
        index = min(self.persona.slot_pick, max(0, len(slots) - 1))
        if self.persona.language == "es" or not slots:
            return rng.choice(SLOT_WORDS_ES[index] if self.persona.language == "es"
                              else (("1",), ("2",))[index])
        weekday, hour, ampm = slots[index]
        ways = [("the first one", "1", "first one works", "option 1")[rng.randrange(4)]
                if index == 0 else
                ("the 2nd one", "2", "second one", "the second works better")[rng.randrange(4)],
                f"{WEEKDAY_NAMES[weekday]} works",
                f"{weekday.lower()} is better for me",
                f"the {hour}{ampm.lower()} one"]
        return rng.choice(ways)

    def after_the_end(self, reply: str) -> str | None:
        """Booked, declined, answered by a person: now and then one more text."""
        rng = self.rng
        lower = reply.lower()
        if ("booked" in lower or "su cita" in lower) and rng.random() < 0.25:
            return rng.choice(self.texts["thanks"])
        if ("thanks for considering" in lower or "gracias por considerarlo" in lower) \
                and rng.random() < 0.1:
            self.ending = "book"
            return rng.choice(self.texts["change_of_heart"])
        return None

    # -- phrasing ----------------------------------------------------------------------
    def understandable(self, repeated: bool) -> bool:
        """Whether this answer is phrased clearly; a re-asked seller tries harder."""
        clarity = self.persona.clarity
        return self.rng.random() < (clarity + (1 - clarity) / 2 if repeated else clarity)

    def terse(self) -> bool:
        return self.persona.style in ("terse", "typos")

    def address(self, full: bool) -> str:
        home, rng = self.persona.home, self.rng
        if not full or rng.random() < 0.3:
            return home.street_address
        if rng.random() < 0.5:
            return f"{home.street_address}, {home.city.name} CA {home.zip_code}"
        return f"{home.street_address} in {home.city.name}"

    def condition_text(self) -> str:
        terse, full = self.rng.choice(self.texts["condition"][self.persona.home.condition])
        return terse if self.terse() else full

    def price_phrase(self, asked: bool) -> str:
        p = self.persona
        price = p.home.price if self.corrected else self.slip(p.home.price)
        if p.language == "es":
            return self.rng.choice(("{k} mil", "unos {k} mil", "${p:,}", "como {k} mil")).format(
                k=price // 1000, p=price)
        return price_text(self.rng, price, p.numbers_in_words, asked)

    def price_statement(self) -> str:
        """The price said in passing, with a money marker the bot can read unasked."""
        price = self.persona.home.price
        self.corrected = True  # volunteered early: nothing to correct later
        return self.rng.choice(("we'd want around {k}k", "looking for {k}k",
                                "hoping to get ${p:,}", "asking {k}k")).format(
            k=price // 1000, p=price)

    def motivation_text(self) -> str:
        terse, full = self.rng.choice(self.texts["motivation"][self.persona.motivation])
        return terse if self.terse() else full

    def timeline_text(self) -> str:
        terse, full = self.texts["timelines"][self.persona.timeline]
        return terse if self.terse() else full

    def volunteered(self, field: str) -> str:
        """Chatty sellers and volunteers sometimes answer the next question too."""
        p = self.persona
        if (p.language != "en" or not (p.volunteers or p.style == "chatty")
                or self.rng.random() > 0.35):
            return ""
        if field == "price":
            return ". " + self.price_statement()
        return ". " + self.motivation_text()

    def styled(self, text: str, *, opener: bool = True) -> str:
        """The persona's habits applied: short and lowercase, chatty, emoji, typos."""
        rng, style = self.rng, self.persona.style
        if style == "chatty" and rng.random() < 0.6 and self.persona.language == "en":
            if opener:
                text = rng.choice(CHATTY_OPENERS) + text[0].lower() + text[1:]
            text += rng.choice(CHATTY_CLOSERS)
        elif style in ("terse", "typos"):
            text = text.lower().rstrip(".!")
        if style == "typos":
            text = add_typos(rng, text, rate=0.12)
        if style == "emoji" and rng.random() < 0.7:
            text = f"{text} {rng.choice(EMOJI)}"
        return text


def new_seller(seed: int | str, stream: str, index: int, buyer_name: str) -> SimulatedSeller:
    """Seller ``index`` of a stream; its own generator makes it independent of the others."""
    rng = random.Random(f"{seed}:{stream}:{index}")
    return SimulatedSeller(make_persona(rng, index), rng, buyer_name)
