"""Simulated home sellers: who they are (Inland Empire homes, names, phones) and how their
story ends.

A ``Persona`` is drawn from one ``random.Random``; a ``SimulatedSeller`` (``simulator.seller``)
then texts as that persona with the same generator, in the words of ``simulator.texts``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from simulator.texts import TIMELINES

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
