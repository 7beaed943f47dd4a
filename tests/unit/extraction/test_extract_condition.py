"""extract_condition: the property's condition, with negation and typos."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_condition

CASES = [
    # move_in_ready
    ("move in ready", "move_in_ready"),
    ("Move-in ready!", "move_in_ready"),
    ("its movein ready", "move_in_ready"),
    ("it\u2019s in great shape", "move_in_ready"),
    ("recently remodeled kitchen and baths", "move_in_ready"),
    ("turnkey 🔑", "move_in_ready"),
    ("nothing wrong with it", "move_in_ready"),
    ("doesnt need anything", "move_in_ready"),
    ("very well maintained, we took care of it", "move_in_ready"),
    # minor_repairs
    ("needs paint and carpet", "minor_repairs"),
    ("just needs some TLC", "minor_repairs"),
    ("a few small things", "minor_repairs"),
    ("mostly cosmetic stuff", "minor_repairs"),
    ("needs a little work", "minor_repairs"),
    ("its dated but clean", "minor_repairs"),
    ("move in ready, just needs paint", "minor_repairs"),
    ("good bones", "minor_repairs"),
    ("its a little rough", "minor_repairs"),
    ("could use some updates", "minor_repairs"),
    # major_repairs
    ("needs a new roof", "major_repairs"),
    ("needs a new rooof", "major_repairs"),
    ("roof leaks and theres mold in the bathroom", "major_repairs"),
    ("foundation issues", "major_repairs"),
    ("there was a fire, fire damage in the kitchen", "major_repairs"),
    ("water damage from a pipe that burst", "major_repairs"),
    ("its gutted", "major_repairs"),
    ("honestly its a tear down", "major_repairs"),
    ("needs everything redone", "major_repairs"),
    ("total fixer upper lol", "major_repairs"),
    ("its in bad shape", "major_repairs"),
    ("pretty rough ngl", "major_repairs"),
    ("needs alot of work", "major_repairs"),
    ("the tenants trashed it", "major_repairs"),
    ("great shape but needs a new roof", "major_repairs"),
    ("not just cosmetic, the plumbing is shot", "major_repairs"),
    ("no it needs a new roof", "major_repairs"),
    # negation
    ("I wouldn't say it's in bad shape", "minor_repairs"),
    ("no major issues", "minor_repairs"),
    ("not move in ready", "minor_repairs"),
    ("its not in great shape", "minor_repairs"),
    ("great shape, no major issues", "move_in_ready"),
]

NONE_CASES = [
    "what's the weather",
    "hi who is this",
    "we just put a new roof on in 2020",
    "its in a flood zone",
    "3 bed 2 bath",
    "450k",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_condition(message: str, expected: str) -> None:
    assert extract_condition(message) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_condition(message: str) -> None:
    assert extract_condition(message) is None
