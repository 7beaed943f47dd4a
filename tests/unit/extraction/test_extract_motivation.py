"""extract_motivation: why the seller sells, as one of the spec's labels."""

from __future__ import annotations

import pytest

from seller_bot.extract import extract_motivation

CASES = [
    ("got a job in Texas", "job_relocation"),
    ("relocating for work", "job_relocation"),
    ("i got transferred to phoenix", "job_relocation"),
    ("my husband got military orders, we pcs in march", "job_relocation"),
    ("going through a divorce", "divorce"),
    ("my ex and I are splitting", "divorce"),
    ("ex wife wants her half", "divorce"),
    ("bank is foreclosing", "foreclosure"),
    ("were behind on payments", "foreclosure"),
    ("got a notice of default last week", "foreclosure"),
    ("its in pre-foreclosure", "foreclosure"),
    ("3 months behind on the mortgage and got laid off", "foreclosure"),
    ("can't afford it anymore", "financial_distress"),
    ("lost my job in march", "financial_distress"),
    ("bills piling up", "financial_distress"),
    ("behind on property taxes", "financial_distress"),
    ("my mom passed and left it to us", "inheritance"),
    ("inherited it from my grandma", "inheritance"),
    ("its in probate", "inheritance"),
    ("selling my dads estate", "inheritance"),
    ("kids moved out, too big for us now", "downsizing"),
    ("looking to downsize", "downsizing"),
    ("need more space", "upsizing"),
    ("baby on the way and the house is too small", "upsizing"),
    ("retiring next year", "retirement"),
    ("moving closer to the grandkids after retirement", "retirement"),
    ("health issues, cant do the stairs", "medical"),
    ("my mom is moving into assisted living", "medical"),
    ("tired of tenants", "landlord_exit"),
    ("its a rental property", "landlord_exit"),
    ("bad tenants wont pay rent 😤", "landlord_exit"),
    ("done being a landlord", "landlord_exit"),
    ("I'm sick of my tenants", "landlord_exit"),
    ("just want to move", "other"),
    ("moving to be near family", "other"),
    ("want to travel while we still can", "other"),
    ("we're moving to arizona", "other"),
    ("not because of a divorce or anything, just want a change", "other"),
    ("needs a new roof and we want around 450 k, moving to texas for work next month",
     "job_relocation"),
    ("not retiring, got a new job in vegas", "job_relocation"),
]

NONE_CASES = [
    "asdfgh",
    "what's the weather",
    "ok",
    "450k",
    "needs a new roof",
    "not going through a divorce",
    "i passed on their offer",
    "the real estate market is crazy",
    "the ac broke",
    "it's a nice neighborhood",
]


@pytest.mark.parametrize(("message", "expected"), CASES)
def test_motivation(message: str, expected: str) -> None:
    assert extract_motivation(message) == expected


@pytest.mark.parametrize("message", NONE_CASES)
def test_no_motivation(message: str) -> None:
    assert extract_motivation(message) is None
