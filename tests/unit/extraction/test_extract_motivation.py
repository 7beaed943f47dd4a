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


# How sellers really say it: typos, emoji, run-ons, Spanish.
MORE_CASES = [
    ("we split up", "divorce"),
    ("we split up last yr so selling our place", "divorce"),
    ("we're separated", "divorce"),
    ("me and my ex are selling", "divorce"),
    ("going thru a divorce 😩", "divorce"),
    ("my dad pased in march 🙏", "inheritance"),
    ("mom passed away 🙏", "inheritance"),
    ("moms passed away 😢 we need to sell her house", "inheritance"),
    ("my mom past away last year", "inheritance"),
    ("dad died in june", "inheritance"),
    ("lost my husband last year", "inheritance"),
    ("inherited it", "inheritance"),
    ("inherted it from my aunt", "inheritance"),
    ("she passed last summer and none of us want it", "inheritance"),
    ("my grandma passed away in october and left us the house", "inheritance"),
    ("got transferred", "job_relocation"),
    ("relocating for work", "job_relocation"),
    ("we r moving to idaho for my husbands job", "job_relocation"),
    ("my wife got a job in Denver", "job_relocation"),
    ("job transfer to Dallas", "job_relocation"),
    ("bad tenants", "landlord_exit"),
    ("tired of being a landlord", "landlord_exit"),
    ("bad tenants honestly, tired of being a landlord", "landlord_exit"),
    ("behind on payments", "foreclosure"),
    ("behind on the mortgage, need it done asap", "foreclosure"),
    ("behind on payments, bank sent a notice", "foreclosure"),
    ("can't afford the payments", "financial_distress"),
    ("lost my job", "financial_distress"),
    ("upgrading, 3 months", "upsizing"),
    ("getting a bigger place", "upsizing"),
    ("baby on the way", "upsizing"),
    ("moved in with my daughter", "other"),
    ("moving closer to family", "other"),
    ("want a change of scenery", "other"),
    ("too much house now that the kids are gone", "downsizing"),
    ("retired, want smaller", "retirement"),
    ("My husband has cancer and we cant keep up with the house", "medical"),
    # Spanish
    ("divorcio", "divorce"),
    ("nos separamos", "divorce"),
    ("herencia de mi papá", "inheritance"),
    ("mi mamá falleció y heredamos la casa", "inheritance"),
    ("mi papa murio el año pasado", "inheritance"),
    ("me mudo por trabajo", "job_relocation"),
    ("me mudo por trabajo a Texas, en 3 meses", "job_relocation"),
    ("mi trabajo me transfirió", "job_relocation"),
    ("estoy atrasado con los pagos", "foreclosure"),
    ("atrasados con la hipoteca", "foreclosure"),
    ("ya no puedo pagar la hipoteca", "financial_distress"),
    ("perdí mi trabajo", "financial_distress"),
    ("nos vamos a jubilar", "retirement"),
    ("los inquilinos no pagan", "landlord_exit"),
    ("tengo una casa rentada", "landlord_exit"),
    ("ya me cansé de ser casero", "landlord_exit"),
    ("la casa es muy grande para nosotros", "downsizing"),
    ("queremos algo más pequeño", "downsizing"),
    ("necesitamos más espacio", "upsizing"),
    ("mi esposo está enfermo", "medical"),
    ("problemas de salud", "medical"),
    ("queremos estar cerca de la familia", "other"),
    ("not going through a divorce, just want to move", "other"),
]
MORE_NONE = [
    "needs some tlc",
    "450k",
    "the first one",
    "ok",
    "sounds good",
    "necesita algo de trabajo",
    "350 mil",
    "lista para vivir",
    "it needs a lot of work",
    "no es por divorcio",
    "got a new roof in 2019",
    "3 bed 2 bath",
    "sí, acepto",
    "who is this?",
    "upgrading the kitchen was expensive",
    "real estate agent said 500",
]


@pytest.mark.parametrize(("message", "expected"), MORE_CASES)
def test_motivation_more(message: str, expected: str) -> None:
    assert extract_motivation(message) == expected


@pytest.mark.parametrize("message", MORE_NONE)
def test_no_motivation_more(message: str) -> None:
    assert extract_motivation(message) is None


@pytest.mark.parametrize("message", [
    "pretty rough shape, tenants trashed it",
    "tenants destroyed the kitchen",
    "los inquilinos la dejaron muy mal",
])
def test_tenants_damage_is_no_reason(message: str) -> None:
    assert extract_motivation(message) is None


@pytest.mark.parametrize("message", [
    "it's a rental and I'm tired of dealing with tenants",
    "tenants just moved out, done being a landlord",
    "tenants stopped paying",
    "my tenants won't leave",
])
def test_landlord_reasons(message: str) -> None:
    assert extract_motivation(message) == "landlord_exit"


@pytest.mark.parametrize(("message", "expected"), [
    ("me voy a regresar a méxico, para marzo más o menos", "other"),
    ("ya estamos grandes y la casa es mucho para nosotros, sin prisa", "downsizing"),
    ("es mucha casa para mi", "downsizing"),
])
def test_motivation_held_out_phrasings(message: str, expected: str) -> None:
    assert extract_motivation(message) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("behind 3 payments on the mortgage", "foreclosure"),
    ("mi esposo perdió el trabajo y ya no podemos con la hipoteca", "financial_distress"),
    ("tengo inquilinos que no pagan, ya me cansé", "landlord_exit"),
])
def test_motivation_second_holdout(message: str, expected: str) -> None:
    assert extract_motivation(message) == expected


@pytest.mark.parametrize(("message", "expected"), [
    ("want smalller", "downsizing"),
    ("bacck taxes", "financial_distress"),
    ("neeed the cash", "financial_distress"),
])
def test_simulated_sellers_with_slips(message: str, expected: str) -> None:
    assert extract_motivation(message) == expected
