"""extract_address: a volunteered street address, normalised; None when there is none."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_address

CASES = [
    ("it's 1234 W Foothill Blvd, Upland CA 91786", "1234 W Foothill Blvd, Upland, CA 91786"),
    ("1234 w foothill blvd upland california 91786", "1234 W Foothill Blvd, Upland, CA 91786"),
    ("8421 Haven Ave Rancho Cucamonga", "8421 Haven Ave, Rancho Cucamonga, CA"),
    ("the house on 55 Oak St", "55 Oak St"),
    ("123 main street", "123 Main St"),
    ("its at 4521 n 4th st apt 2 san bernardino ca 92407",
     "4521 N 4th St #2, San Bernardino, CA 92407"),
    ("16052 Sierra Lakes Pkwy Fontana, CA 92336", "16052 Sierra Lakes Pkwy, Fontana, CA 92336"),
    ("1550 e. highland avenue, san bernardino", "1550 E Highland Ave, San Bernardino, CA"),
    ("address is 777 mountain view dr. in yucaipa", "777 Mountain View Dr, Yucaipa, CA"),
    ("12 oak st springfield il 62701", "12 Oak St, Springfield, IL 62701"),
    ("needs a new roof, its 9 palm ct in riverside, want 450k", "9 Palm Ct, Riverside, CA"),
]

NONE_CASES = [
    "3 beds on main st",
    "i want 450k",
    "zip 91730",
    "call me 909-555-1234",
    "i live on baseline",
    "8421 haven",
    "needs a new roof",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_address(message: str, expected: str) -> None:
    assert extract_address(message) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_address(message: str) -> None:
    assert extract_address(message) is None


MORE_CASES = [
    # a city said elsewhere in the message joins the street
    ("we split up last yr so selling our place in Chino, 5540 Riverside Dr",
     "5540 Riverside Dr, Chino, CA"),
    ("Hello, got a place in Temecula at 31250 Pauba Rd", "31250 Pauba Rd, Temecula, CA"),
    ("tengo una house en Hemet, 1980 Florida Ave", "1980 Florida Ave, Hemet, CA"),
    # two suffixes are one street name
    ("ok. its 16750 Quail Run Rd, Apple Valley", "16750 Quail Run Rd, Apple Valley, CA"),
    # a city that is a street name is not the city
    ("1580 E Highland Ave San Bernardino", "1580 E Highland Ave, San Bernardino, CA"),
    ("4205 Norco Dr, Norco", "4205 Norco Dr, Norco, CA"),
    ("5540 Riverside Dr", "5540 Riverside Dr"),
    ("its 1234 w elm st fontana 92335", "1234 W Elm St, Fontana, CA 92335"),
    ("1234 W Elm St, Fontana, CA 92335", "1234 W Elm St, Fontana, CA 92335"),
    ("La casa está en 15320 Olive St, Fontana CA 92335", "15320 Olive St, Fontana, CA 92335"),
    ("está en 1532 Mango Ave, Perris", "1532 Mango Ave, Perris, CA"),
    ("82450 Miles Ave, Indio", "82450 Miles Ave, Indio, CA"),
    ("hi call me at 909-555-0148. house is 1601 S Euclid Ave Ontario CA 91762",
     "1601 S Euclid Ave, Ontario, CA 91762"),
    ("4 bed 3 bath 2200 sq ft at 7712 Hillcrest Dr Jurupa Valley",
     "7712 Hillcrest Dr, Jurupa Valley, CA"),
    ("12870 Main St Hesperia", "12870 Main St, Hesperia, CA"),
    ("house in rancho, 7329 sierra vista dr", "7329 Sierra Vista Dr, Rancho Cucamonga, CA"),
    # a volunteered city
    ("hey my place in Fontana, thinking about selling", "Fontana, CA"),
    ("the house is in Hemet", "Hemet, CA"),
    ("out in perris", "Perris, CA"),
    ("Fontana", "Fontana, CA"),
    ("fontana ca", "Fontana, CA"),
    ("Fontana 92335", "Fontana, CA 92335"),
    ("the moval area", "Moreno Valley, CA"),
    ("Buenos días, tengo una casa en Riverside que quiero vender", "Riverside, CA"),
    ("hola, mi casa en Colton", "Colton, CA"),
    ("I have a rental in san berdoo", "San Bernardino, CA"),
    ("its in chino hills", "Chino Hills, CA"),
]
MORE_NONE = [
    "relocating to Corona for work",
    "moving closer to family in Idaho",
    "we live in Ontario now",
    "it's near Riverside",
    "Riverside County",
    "92335",
    "zip is 92335",
    "450k",
    "3 bedrooms 2 baths",
    "the first one",
    "needs a new roof",
    "I'd take 450 for it",
    "its a 2 way street",
    "hola",
    "",
]


@pytest.mark.parametrize(("message", "expected"), MORE_CASES)
def test_address_more(message: str, expected: str) -> None:
    assert extract_address(message) == expected


@pytest.mark.parametrize("message", MORE_NONE)
def test_no_address_more(message: str) -> None:
    assert extract_address(message) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("So 14342 Grand Ave Thanks!", "14342 Grand Ave"),
    ("14342 Grand Ave, Chino Hills CA 91709", "14342 Grand Ave, Chino Hills, CA 91709"),
    ("6703 palo verdde dr, cihno ca 91710", "6703 Palo Verdde Dr, Chino, CA 91710"),
])
def test_grand_streets_and_slipped_cities(message: str, expected: str) -> None:
    assert extract_address(message) == expected


@pytest.mark.parametrize("message", ["450 grand way too low", "500 grand st"])
def test_grand_is_money_after_a_short_number(message: str) -> None:
    assert extract_address(message) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("Hello, interested in selling 3021 Via Las Palmas, Corona 92882",
     "3021 Via Las Palmas, Corona, CA 92882"),
    ("88 calle luna in temecula", "88 Calle Luna, Temecula, CA"),
    ("3021 via las palmas corona", "3021 Via Las Palmas, Corona, CA"),
    ("its 300 via del rio", "300 Via Del Rio"),
])
def test_streets_named_the_spanish_way(message: str, expected: str) -> None:
    assert extract_address(message) == expected


@pytest.mark.parametrize("message", ["i want 450 via zelle lol", "send 500 via the app"])
def test_via_is_not_always_a_street(message: str) -> None:
    assert extract_address(message) is None


@pytest.mark.parametrize(("message", "expected"), [
    ("14119 cedar st in chino hillls", "14119 Cedar St, Chino Hills, CA"),
    ("5850 palo verde dr, rncho cucamonga ca 91737",
     "5850 Palo Verde Dr, Rancho Cucamonga, CA 91737"),
    ("my place in moreno vally", "Moreno Valley, CA"),
])
def test_slipped_two_word_cities(message: str, expected: str) -> None:
    assert extract_address(message) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("5111 stonewood ct, chino hillz ca 91709", "5111 Stonewood Ct, Chino Hills, CA 91709"),
    ("5111 stonewood ct, chino hils", "5111 Stonewood Ct, Chino Hills, CA"),
    ("12 oak st, chino ca 91710", "12 Oak St, Chino, CA 91710"),
])
def test_a_city_that_starts_a_longer_one(message: str, expected: str) -> None:
    assert extract_address(message) == expected
