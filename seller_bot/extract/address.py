"""Where the property is: a street address, or at least its city, normalised.

"it's 1234 w foothill blvd, upland ca 91786" -> "1234 W Foothill Blvd, Upland, CA 91786";
"my place in Fontana" -> "Fontana, CA". Rules:
- A house number, an optional direction, one to three name words and a street suffix
  (St, Ave, Blvd, Rd, Dr, Ln, Way, Ct, ...) make a street; without a suffix there is none
  ("8421 haven" could be anything). Two suffixes in a row belong to one name ("Quail Run
  Rd", "Mission Way Dr").
- After it: an optional unit ("apt 4", "unit b", "#12"), a city (an Inland Empire city by
  name or nickname, or any words before a state), a state (CA / California, or any
  two-letter state when a ZIP follows) and a ZIP code.
- A city named elsewhere in the message joins a street that has none ("selling our place in
  Chino, 5540 Riverside Dr" -> "5540 Riverside Dr, Chino, CA"), unless it is where the
  seller goes, works or lives now ("moving to Corona", "we live in Ontario now").
- Without a street, an Inland Empire city volunteered as the property's place ("my place in
  Fontana", "house is in Hemet", "casa en Perris", a bare "Fontana" or "Fontana 92335") is
  kept as "Fontana, CA" (with the ZIP when given). A city that is part of a street name
  ("Riverside Dr", "Highland Ave") or a county ("Riverside County") is not a city.
- Inland Empire cities are in California, so ", CA" is added to them.
- Output: title case; directions, states and unit letters upper case; suffixes
  abbreviated the USPS way ("avenue" -> "Ave"); ordinals stay lower case ("4th St");
  accents are folded ("Peña" -> "Pena"), as the search index folds them.
- Nothing found: None. A ZIP alone is not an address.
"""

from __future__ import annotations

import re

from seller_bot.extract.common import (
    DIRECTIONS,
    STREET_ADDRESS_RE,
    STREET_SUFFIXES,
    normalize,
    words,
)

INLAND_EMPIRE_CITIES = (
    "adelanto", "apple valley", "banning", "barstow", "beaumont", "big bear", "big bear lake",
    "bloomington", "calimesa", "canyon lake", "cathedral city", "cherry valley", "chino",
    "chino hills", "claremont", "coachella", "colton", "corona", "crestline",
    "desert hot springs", "eastvale", "fontana", "french valley", "grand terrace", "hemet",
    "hesperia", "highgrove", "highland", "homeland", "indio", "jurupa valley", "la quinta",
    "lake arrowhead", "lake elsinore", "lakeland village", "loma linda", "lucerne valley",
    "mead valley", "mentone", "menifee", "mira loma", "montclair", "moreno valley", "muscoy",
    "murrieta", "norco", "nuevo", "oak hills", "ontario", "palm desert", "palm springs",
    "perris", "phelan", "pomona", "rancho cucamonga", "rancho mirage", "redlands", "rialto",
    "riverside", "romoland", "running springs", "san bernardino", "san jacinto", "sun city",
    "temecula", "thousand palms", "twentynine palms", "upland", "victorville", "wildomar",
    "winchester", "yucaipa", "yucca valley",
)
# What people call some of them.
CITY_NICKNAMES = {
    "rancho": "rancho cucamonga", "rancho cucamunga": "rancho cucamonga",
    "moval": "moreno valley", "mo val": "moreno valley", "san berdoo": "san bernardino",
    "berdoo": "san bernardino", "san bernadino": "san bernardino", "jurupa": "jurupa valley",
    "elsinore": "lake elsinore", "temecula valley": "temecula",
}
STATES = ("al|ak|az|ar|ca|co|ct|de|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|"
          "ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|dc")

_CITY_NAMES = {c: c for c in INLAND_EMPIRE_CITIES} | CITY_NICKNAMES
_CITY_ALT = "|".join(sorted(_CITY_NAMES, key=len, reverse=True))
_SUFFIX_ALT = "|".join(sorted(STREET_SUFFIXES, key=len, reverse=True))
_UNIT_RE = re.compile(r"^,?\s*(?:(?P<kind>apt|apartment|unit|ste|suite|#)\.?\s*#?\s*"
                      r"(?P<unit>[a-z0-9-]+))\b")
_KNOWN_CITY_RE = re.compile(rf"^,?\s*(?:in\s+|en\s+)?(?P<city>{_CITY_ALT})\b")
_ANY_CITY_RE = re.compile(
    rf"^,?\s*(?:in\s+)?(?P<city>[a-z][a-z ]{{1,30}}?),?\s+(?=(?:ca|california|(?:{STATES})"
    r"\s+\d{5})\b)"
)
_STATE_RE = re.compile(rf"^,?\s*(?P<state>california|(?:{STATES}))\b(?!')")
_ZIP_RE = re.compile(r"^,?\s*(?P<zip>\d{5})(?:-\d{4})?\b")
_SECOND_SUFFIX_RE = re.compile(rf"\s+(?P<suffix>{_SUFFIX_ALT})\b\.?")
# A city mention anywhere; what follows decides whether it is a city or a street name.
_CITY_ANYWHERE_RE = re.compile(rf"\b(?P<city>{_CITY_ALT})\b")
_NOT_A_CITY_AFTER_RE = re.compile(
    rf"\s+(?:{_SUFFIX_ALT}|county|co\b|community college|mall|airport|high|hospital|"
    r"university|unified|usd|police|fire)\b"
)
# Where the seller is going or lives now, not where the house is.
_ELSEWHERE_BEFORE_RE = re.compile(
    r"\b(?:to|from|near|outside|outside of|closer to|moving to|move to|moved to|relocating to|"
    r"live in|living in|staying in|work in|working in|job in|hacia|a vivir a|cerca de|"
    r"mudamos a|mudo a)\s+$"
)
# The property's place: "my place in", "house is in", "casa en", "out in".
_PLACE_BEFORE_RE = re.compile(
    r"\b(?:in|en|at|out in|over in|up in|down in|located in|property in|house in|home in|"
    r"place in|rental in|condo in|casa en|propiedad en|queda en|esta en|it'?s in)\s+$"
)
_ONLY_CITY_RE = re.compile(
    rf"^\W*(?:(?:it'?s|its|in|en|the|my|house is in|casa en)\s+)?(?P<city>{_CITY_ALT})"
    r"(?:\s*,?\s*(?:ca|california))?(?:\s*,?\s*(?P<zip>\d{5}))?(?:\s+area)?\W*$"
)
_AREA_RE = re.compile(rf"\b(?:the\s+)?(?P<city>{_CITY_ALT})\s+area\b")
# Streets named the Spanish way, the kind word first: "3021 Via Las Palmas", "88 Calle Luna".
_PREFIXED_STREET_RE = re.compile(
    r"(?<!want )(?<!pay )(?<!paid )(?<!send )(?<!sent )(?<!take )(?<!asking )"
    r"(?<![\d$.,])\b(?P<number>\d{1,6})\s+(?P<kind>via|calle|camino|paseo|avenida|plaza|"
    r"corte|circulo|vista)\s+(?!(?:zelle|venmo|paypal|cash|wire|check|text|email|phone|mail|"
    r"the|my|your|a|an)\b)(?P<name>(?:(?:de|del|la|las|los|el)\s+)?[a-z]{3,}"
    r"(?:\s+(?!(?:in|en|ca|california)\b)[a-z]{3,})?)\b"
)
_UPPER_WORDS = {"ii", "iii", "iv", "po"}
_DIGIT_RE = re.compile(r"\d")
# Every word of a city name or nickname: a message with none of them and no digit has no
# address.
CITY_WORDS = frozenset(word for name in _CITY_NAMES for word in name.split())


def _title(words: str) -> str:
    """Title case that leaves ordinals alone ('4th', not '4Th')."""
    out = []
    for word in words.split():
        if word[0].isdigit():
            out.append(word.upper() if word.isalnum() and not word[-2:].isalpha() else word)
        elif word in _UPPER_WORDS:
            out.append(word.upper())
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


# "chino" read where the seller typed "chino hils": a longer name whose next word starts the
# same way is the one meant.
_LONGER_NAMES = {name: [longer for longer in _CITY_NAMES if longer.startswith(name + " ")]
                 for name in _CITY_NAMES}
_NEXT_WORD_RE = re.compile(r"\s+([a-z]+)")


def _longest_city(name: str, text: str, end: int) -> tuple[str, int]:
    """The city name and where it ends, or a longer one it starts ('chino' + 'hillz')."""
    nxt = _NEXT_WORD_RE.match(text, end)
    if nxt:
        for longer in _LONGER_NAMES.get(name, ()):
            word = longer[len(name) + 1:].split()[0]
            if nxt.group(1)[:2] == word[:2] and abs(len(nxt.group(1)) - len(word)) <= 1:
                return longer, nxt.end()
    return name, end


def _tail(rest: str) -> tuple[str, str, str, str]:
    """Unit, city, state and zip that follow the street, each '' when absent."""
    unit = city = state = zip_code = ""
    if m := _UNIT_RE.match(rest):
        unit, rest = m.group("unit"), rest[m.end():]
    if m := _KNOWN_CITY_RE.match(rest):
        name, end = _longest_city(m.group("city"), rest, m.end())
        city, rest = _CITY_NAMES[name], rest[end:]
    elif m := _ANY_CITY_RE.match(rest):
        city, rest = m.group("city"), rest[m.end():]
    if m := _STATE_RE.match(rest):
        state, rest = m.group("state"), rest[m.end():]
        state = "ca" if state == "california" else state
        if state != "ca" and not _ZIP_RE.match(rest):
            state = ""  # "or", "me", "in" are words unless a zip proves them a state
    if m := _ZIP_RE.match(rest):
        zip_code = m.group("zip")
    return unit, city, state, zip_code


def _city_elsewhere(clean: str, skip: tuple[int, int] = (0, 0)) -> str | None:
    """An Inland Empire city the message places the house in, outside the span ``skip``."""
    for m in _CITY_ANYWHERE_RE.finditer(clean):
        if skip[0] <= m.start() < skip[1]:
            continue
        if _NOT_A_CITY_AFTER_RE.match(clean, m.end()):
            continue
        before = clean[max(0, m.start() - 30):m.start()]
        if _ELSEWHERE_BEFORE_RE.search(before):
            continue
        if _PLACE_BEFORE_RE.search(before):
            return _CITY_NAMES[m.group("city")]
    return None


def _place(city: str, state: str, zip_code: str) -> str:
    """'Fontana, CA 92335' from its parts; an Inland Empire city is in CA."""
    if city in INLAND_EMPIRE_CITIES and not state:
        state = "ca"
    place = ", ".join(p for p in (_title(city) if city else "", state.upper()) if p)
    return f"{place} {zip_code}".strip() if zip_code else place


def _prefixed_street(clean: str) -> str | None:
    """'3021 Via Las Palmas, Corona' -> '3021 Via Las Palmas, Corona, CA', or None."""
    m = _PREFIXED_STREET_RE.search(clean)
    if m is None:
        return None
    name = m.group("name").split()
    if len(name) > 1 and _CITY_NAMES.get(name[-1]):  # "via palmas corona": the city
        name = name[:-1]
        end = m.start("name") + len(" ".join(name))
    else:
        end = m.end()
    street = f"{m.group('number')} {_title(m.group('kind'))} {_title(' '.join(name))}"
    unit, city, state, zip_code = _tail(clean[end:])
    if unit:
        street += f" #{unit.upper()}"
    city = city or _city_elsewhere(clean, skip=(m.start(), end)) or ""
    place = _place(city, state, zip_code)
    return f"{street}, {place}" if place else street


def _street(clean: str) -> str | None:
    """The street address with its tail, or None when the message has no street."""
    m = STREET_ADDRESS_RE.search(clean)
    if m is None:
        return _prefixed_street(clean)
    name, suffix, end = m.group("name"), m.group("suffix"), m.end()
    if second := _SECOND_SUFFIX_RE.match(clean, end):  # "Quail Run Rd"
        name, suffix, end = f"{name} {suffix}", second.group("suffix"), second.end()
    parts = [m.group("number").upper()]
    if m.group("direction"):
        parts.append(DIRECTIONS[m.group("direction")])
    parts += [_title(name), STREET_SUFFIXES[suffix]]
    street = " ".join(parts)
    unit, city, state, zip_code = _tail(clean[end:])
    if unit:
        street += f" #{unit.upper()}"
    if not city:
        city = _city_elsewhere(clean, skip=(m.start(), end)) or ""
    place = _place(city, state, zip_code)
    return f"{street}, {place}" if place else street


def extract_address(text: str) -> str | None:
    """The property's address (or city) in the message, formatted; None when there is none."""
    folded = normalize(text)
    has_digit = _DIGIT_RE.search(folded) is not None
    if not has_digit and CITY_WORDS.isdisjoint(words(folded)):
        return None
    street = _street(folded) if has_digit else None
    if street is not None:
        return street
    if m := _ONLY_CITY_RE.match(folded):
        return _place(_CITY_NAMES[m.group("city")], "", m.group("zip") or "")
    if m := _AREA_RE.search(folded):
        return _place(_CITY_NAMES[m.group("city")], "", "")
    city = _city_elsewhere(folded)
    if city is None:
        return None
    zip_match = re.search(rf"\b{re.escape(city)}\s*,?\s*(?:ca\s*)?(\d{{5}})\b", folded)
    return _place(city, "", zip_match.group(1) if zip_match else "")
