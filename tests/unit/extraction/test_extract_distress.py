"""distress_kind: a death, an illness, a divorce or anger, as sellers write them."""

from __future__ import annotations

import pytest

from seller_bot.extract import distress_kind

CASES = [
    ("my mom passed 😢", "death"),
    ("moms passed away", "death"),
    ("my dad pased in march 🙏", "death"),
    ("mom past away last year", "death"),
    ("lost my husband in june", "death"),
    ("she passed last summer and none of us want it", "death"),
    ("my grandma died, its her house", "death"),
    ("RIP mom, we have to sell her place", "death"),
    ("after the funeral we decided to sell", "death"),
    ("mi mamá falleció", "death"),
    ("perdimos a mi papá en marzo", "death"),
    ("cancer", "illness"),
    ("my husband has cancer and we cant keep up with the house", "illness"),
    ("wife is in the hospital", "illness"),
    ("he had a stroke", "illness"),
    ("I'm sick and can't do the stairs", "illness"),
    ("mi esposo está enfermo", "illness"),
    ("going thru a divorce", "divorce"),
    ("divorce", "divorce"),
    ("we're separated", "divorce"),
    ("we split up", "divorce"),
    ("me and my ex are selling", "divorce"),
    ("nos separamos", "divorce"),
    ("divorcio", "divorce"),
    ("stop wasting my time, this is harassment", "angry"),
    ("this is a scam", "angry"),
    ("wtf", "angry"),
    ("f off", None),  # an opt-out (is_opt_out), not read here
    ("go to hell", "angry"),
    ("are you kidding me? that's insulting", "angry"),
    ("quit lowballing me", "angry"),
    ("son unos estafadores", "angry"),
    ("mom passed and you vultures won't stop", "death"),
]
NONE_CASES = [
    "lost my job",
    "the house passed inspection",
    "sick of tenants",
    "sick and tired of being a landlord",
    "not going through a divorce",
    "nobody died, we just want to move",
    "needs a new roof",
    "450k",
    "sounds good",
    "the first one",
    "inherited it",
    "no rush",
    "stop by anytime",
    "the noise died down",
    "",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_distress(message: str, expected: str | None) -> None:
    assert distress_kind(message) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_distress(message: str) -> None:
    assert distress_kind(message) is None
