"""A street address the seller volunteers, normalised for display and search.

"it's 1234 w foothill blvd, upland ca 91786" -> "1234 W Foothill Blvd, Upland, CA 91786".
Rules:
- A house number, an optional direction, one to three name words and a street suffix
  (St, Ave, Blvd, Rd, Dr, Ln, Way, Ct, ...) make an address; without a suffix there is
  none ("8421 haven" could be anything).
- After it: an optional unit ("apt 4", "unit b", "#12"), a city (an Inland Empire city by
  name, or any words before a state), a state (CA / California, or any two-letter state
  when a zip follows) and a zip code.
- Output: title case; directions, states and unit letters upper case; suffixes
  abbreviated the USPS way ("avenue" -> "Ave"); ordinals stay lower case ("4th St").
"""

from __future__ import annotations

import re

from seller_bot.extract.common import DIRECTIONS, STREET_ADDRESS_RE, STREET_SUFFIXES, normalize

INLAND_EMPIRE_CITIES = (
    "adelanto", "apple valley", "banning", "barstow", "beaumont", "big bear", "big bear lake",
    "bloomington", "calimesa", "canyon lake", "cathedral city", "chino", "chino hills",
    "claremont", "coachella", "colton", "corona", "crestline", "desert hot springs",
    "eastvale", "fontana", "grand terrace", "hemet", "hesperia", "highland", "indio",
    "jurupa valley", "la quinta", "lake arrowhead", "lake elsinore", "loma linda", "mentone",
    "menifee", "mira loma", "montclair", "moreno valley", "murrieta", "norco", "ontario",
    "palm desert", "palm springs", "perris", "pomona", "rancho cucamonga", "redlands",
    "rialto", "riverside", "running springs", "san bernardino", "san jacinto", "temecula",
    "twentynine palms", "upland", "victorville", "wildomar", "yucaipa", "yucca valley",
)
STATES = ("al|ak|az|ar|ca|co|ct|de|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|"
          "ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|dc")

_CITY_ALT = "|".join(sorted(INLAND_EMPIRE_CITIES, key=len, reverse=True))
_CITY_ANYWHERE_RE = re.compile(rf"\b(?:in|at|near|out in|de|en)\s+(?P<city>{_CITY_ALT})\b")
_UNIT_RE = re.compile(r"^,?\s*(?:(?P<kind>apt|apartment|unit|ste|suite|#)\.?\s*#?\s*"
                      r"(?P<unit>[a-z0-9-]+))\b")
_KNOWN_CITY_RE = re.compile(rf"^,?\s*(?:in\s+)?(?P<city>{_CITY_ALT})\b")
_ANY_CITY_RE = re.compile(
    rf"^,?\s*(?:in\s+)?(?P<city>[a-z][a-z ]{{1,30}}?),?\s+(?=(?:ca|california|(?:{STATES})"
    r"\s+\d{5})\b)"
)
_STATE_RE = re.compile(rf"^,?\s*(?P<state>california|(?:{STATES}))\b(?!')")
_ZIP_RE = re.compile(r"^,?\s*(?P<zip>\d{5})(?:-\d{4})?\b")
_UPPER_WORDS = {"ii", "iii", "iv", "po"}


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


def _tail(rest: str) -> tuple[str, str, str, str]:
    """Unit, city, state and zip that follow the street, each '' when absent."""
    unit = city = state = zip_code = ""
    if m := _UNIT_RE.match(rest):
        unit, rest = m.group("unit"), rest[m.end():]
    if m := _KNOWN_CITY_RE.match(rest) or _ANY_CITY_RE.match(rest):
        city, rest = m.group("city"), rest[m.end():]
    if m := _STATE_RE.match(rest):
        state, rest = m.group("state"), rest[m.end():]
        state = "ca" if state == "california" else state
        if state != "ca" and not _ZIP_RE.match(rest):
            state = ""  # "or", "me", "in" are words unless a zip proves them a state
    if m := _ZIP_RE.match(rest):
        zip_code = m.group("zip")
    return unit, city, state, zip_code


def extract_address(text: str) -> str | None:
    """The street address in the message, formatted, or None when there is none."""
    clean = normalize(text)
    m = STREET_ADDRESS_RE.search(clean)
    if m is None:
        city = _CITY_ANYWHERE_RE.search(clean)
        return f"{_title(city.group('city'))}, CA" if city else None
    parts = [m.group("number").upper()]
    if m.group("direction"):
        parts.append(DIRECTIONS[m.group("direction")])
    parts += [_title(m.group("name")), STREET_SUFFIXES[m.group("suffix")]]
    street = " ".join(parts)
    unit, city, state, zip_code = _tail(clean[m.end():])
    if unit:
        street += f" #{unit.upper()}"
    place = ", ".join(p for p in (_title(city) if city else "", state.upper()) if p)
    line = ", ".join(p for p in (street, place) if p)
    return f"{line} {zip_code}" if zip_code else line
