"""Issue 12 over real HTTP and a real Redis: the slot race, needs_human in the API and the
counters, appointment outcomes, wrong numbers, Spanish (area code ``flowh``)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests

from app import create_app
from core.keys import LocationKeys
from seller_bot import document
from seller_bot.bot import SellerBot
from seller_bot.flow import start_conversation
from seller_bot.models import Conversation
from seller_bot.store import ConversationStore, SlotTaken
from services.rebuild import AggregateRebuilder
from tests.helpers import Seller

TO_OFFER = ("hey", "needs paint and carpet", "400k", "downsizing, in 2 months")
ACCEPTED = (*TO_OFFER, "yes works for me", "2231 Citrus Ave, Redlands CA 92373")
RACERS = 20


def stored(client, location: str = "loc-1") -> list[Conversation]:
    keys = LocationKeys(location)
    names = sorted(client.scan_iter(match=keys.conversation("*")))
    return [Conversation.from_json(raw) for raw in client.mget(names)] if names else []


def test_flowh001_twenty_sellers_race_for_two_slots_each_booked_once(live_server, redis_client):
    sellers = [Seller(live_server.url, contact=f"racer-{n}") for n in range(RACERS)]
    for seller in sellers:  # nobody has booked yet: all are offered the same two slots
        for text in ACCEPTED:
            reply = seller.says(text)
        assert reply["asking"] == "appointment_at"
    offered = {tuple(s.state()["slots_offered"]) for s in sellers}
    assert len(offered) == 1
    first, second = offered.pop()

    start = threading.Barrier(RACERS)

    def pick(seller: Seller, n: int) -> dict:
        start.wait()
        return seller.says("the first one" if n % 2 == 0 else "2")

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(pick, sellers, range(RACERS)))

    assert all(r["status"] == "processed" for r in results)
    convs = stored(redis_client)
    bookings = Counter(c.appointment_at.isoformat() for c in convs if c.stage == "booked")
    assert bookings[first] == 1 and bookings[second] == 1
    assert max(bookings.values()) == 1  # no slot booked twice, new ones included
    losers = [n for n, r in enumerate(results) if r["stage"] != "booked"]
    assert len(losers) == RACERS - 2
    by_contact = {c.contact_id: c for c in convs}
    for n in losers:
        assert results[n]["reply"].startswith("Sorry, that time was just taken. How about 1) ")
        assert results[n]["asking"] == "appointment_at"
        lost = first if n % 2 == 0 else second
        new_slots = [s.isoformat() for s in by_contact[f"racer-{n}"].slots_offered]
        assert len(new_slots) == 2 and lost not in new_slots
    index = redis_client.zrange(LocationKeys("loc-1").index("appointments"), 0, -1,
                                withscores=True)
    assert len(index) == len(set(score for _, score in index)) == sum(bookings.values())


def test_flowh002_capacity_two_books_each_slot_twice(serve, redis_client, settings):
    app = create_app(settings.model_copy(update={"appointment_capacity": 2}), redis_client)
    with serve(app.server) as server:
        sellers = [Seller(server.url, contact=f"pair-{n}") for n in range(3)]
        for seller in sellers:
            for text in ACCEPTED:
                seller.says(text)
        replies = [seller.says("first one") for seller in sellers]
    assert [r["stage"] for r in replies] == ["booked", "booked", "qualified"]
    assert "just taken" in replies[2]["reply"]


def test_flowh003_needs_human_in_the_table_api_counters_and_rebuild(live_server, redis_client,
                                                                   settings):
    counter = Seller(live_server.url, contact="counter")
    for text in TO_OFFER:
        counter.says(text)
    counter.says("could you do 375k?")
    Seller(live_server.url, contact="angry").says("stop wasting my time, this is a scam")
    Seller(live_server.url, contact="calm").says("hi, I might sell my house in Chino")

    page = requests.get(f"{live_server.url}/api/conversations", timeout=10,
                        params={"needs_human": "1"}).json()
    rows = {row["contact_id"]: row for row in page["rows"]}
    assert page["total"] == 2 and rows.keys() == {"counter", "angry"}
    assert rows["counter"]["next_action"] == "Call to negotiate: they asked $375,000"
    assert rows["counter"]["needs_human_reason"] == "counter_offer"
    assert rows["counter"]["counter_amount"] == 375_000
    assert rows["angry"]["next_action"] == "Seller upset: call with care"
    both = requests.get(f"{live_server.url}/api/conversations", timeout=10,
                        params={"needs_human": "1", "stage": "negotiating"}).json()
    assert [row["contact_id"] for row in both["rows"]] == ["counter"]
    search = requests.get(f"{live_server.url}/api/conversations", timeout=10,
                          params={"needs_human": "1", "q": "maria"}).json()
    assert search["total"] == 2
    bad = requests.get(f"{live_server.url}/api/conversations", timeout=10,
                       params={"needs_human": "maybe"})
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "needs_human"

    dashboard = requests.get(f"{live_server.url}/api/dashboard", timeout=10).json()
    assert dashboard["needs_human"]["total"] == 2
    assert dashboard["needs_human"]["counter_offer"] == 1
    assert dashboard["needs_human"]["angry"] == 1
    assert dashboard["by_stage"]["negotiating"] == 1

    keys = LocationKeys("loc-1")
    before = (redis_client.hgetall(keys.stats),
              redis_client.zrange(keys.index("needs_human:activity"), 0, -1, withscores=True))
    AggregateRebuilder(redis_client, settings).rebuild_all()
    after = (redis_client.hgetall(keys.stats),
             redis_client.zrange(keys.index("needs_human:activity"), 0, -1, withscores=True))
    assert after == before

    resumed = requests.post(f"{live_server.url}/api/conversations/angry/resume", timeout=10)
    assert resumed.json()["needs_human"] is False
    assert redis_client.hget(keys.stats, "needs_human") == "1"


def test_flowh004_appointment_outcome(live_server):
    seller = Seller(live_server.url, contact="visit")
    for text in (*ACCEPTED, "2"):
        seller.says(text)
    url = f"{live_server.url}/api/conversations/visit/outcome"
    for body, status in (({"outcome": "sold"}, 422), ({}, 422), ([], 422),
                         ({"outcome": None}, 422)):
        answer = requests.post(url, json=body, timeout=10)
        assert answer.status_code == status, body
        assert answer.json()["fields"][0]["field"] == "outcome"
    broken = requests.post(url, data="{nope", headers={"Content-Type": "application/json"},
                           timeout=10)
    assert broken.status_code == 400 and broken.json()["error"] == "invalid_json"
    assert seller.state()["stage"] == "booked"  # bad input changed nothing

    held = requests.post(url, json={"outcome": "held"}, timeout=10)
    assert held.status_code == 200
    assert held.json()["stage"] == "held" and held.json()["appointment_outcome"] == "held"
    dashboard = requests.get(f"{live_server.url}/api/dashboard", timeout=10).json()
    assert dashboard["by_stage"]["held"] == 1 and dashboard["by_stage"]["booked"] == 0
    funnel = dict(zip(dashboard["funnel"]["labels"], dashboard["funnel"]["counts"],
                      strict=True))
    assert funnel["booked"] == funnel["held"] == 1 and funnel["under_contract"] == 0
    signed = requests.post(url, json={"outcome": "under_contract"}, timeout=10).json()
    assert signed["stage"] == "under_contract"

    Seller(live_server.url, contact="early").says("hi")
    early = requests.post(f"{live_server.url}/api/conversations/early/outcome",
                          json={"outcome": "held"}, timeout=10)
    assert early.status_code == 409 and early.json()["error"] == "no_appointment"
    nobody = requests.post(f"{live_server.url}/api/conversations/nobody/outcome",
                           json={"outcome": "held"}, timeout=10)
    assert nobody.status_code == 404


def test_flowh005_wrong_number_is_not_an_opt_out_and_is_never_texted(live_server):
    wrong = Seller(live_server.url, contact="wrong")
    wrong.says("hi")
    answer = wrong.says("u got the wrong number")
    assert answer["stage"] == "wrong_number"
    assert wrong.says("seriously") == {"status": "ignored", "reason": "wrong number"}
    Seller(live_server.url, contact="other").says("hello, selling my house")
    dashboard = requests.get(f"{live_server.url}/api/dashboard", timeout=10).json()
    assert dashboard["hero"]["opt_out_rate"]["value"] == 0
    assert dashboard["by_stage"]["wrong_number"] == 1
    assert dashboard["hero"]["active_conversations"]["value"] == 1


@pytest.mark.parametrize("text", ["ALTO", "ya no me escriba", "no me envíe más mensajes"])
def test_flowh006_spanish_opt_out_over_http(live_server, text):
    seller = Seller(live_server.url, contact="es-stop")
    first = seller.says("hola, quiero vender mi casa en Colton")
    assert first["language"] == "es" and first["reply"].startswith("Hola Maria, soy asistente")
    assert seller.says(text)["stage"] == "opted_out"
    assert seller.says("hola?") == {"status": "ignored", "reason": "opted out"}
    assert seller.state()["language"] == "es"


def test_flowh007_the_commit_refuses_a_full_slot_and_writes_nothing(redis_client, settings):
    store = ConversationStore(redis_client, settings)
    now = datetime.now(UTC)
    slot = (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    for contact in ("a", "b"):
        store.commit(None, None, start_conversation(contact, "loc-1", now),
                     location_id="loc-1", contact_id=contact)

    def book(contact: str, message: str) -> None:
        raw = store.load_raw("loc-1", contact)
        new = Conversation.from_json(raw)
        new.stage, new.appointment_at = "booked", slot
        store.commit(raw, Conversation.from_json(raw), new, location_id="loc-1",
                     contact_id=contact, message_id=message)

    book("a", "m-1")
    version = redis_client.get(LocationKeys("loc-1").version)
    with pytest.raises(SlotTaken):
        book("b", "m-b")
    assert store.load("loc-1", "b").stage == "new"
    assert redis_client.get(LocationKeys("loc-1").version) == version
    assert "m-b" not in document.seen(store.load_raw("loc-1", "b"))
    book("a", "m-2")  # re-writing its own booking is no new claim



def test_flowh010_full_slots_are_read_within_the_offer_horizon_only(redis_client, settings):
    """The bot reads the full slots it could offer (up to the furthest day it offers), not
    every future booking, and still never offers a full one."""
    bot = SellerBot(redis_client, settings.model_copy(update={"appointment_capacity": 1}))
    now = datetime.now(UTC)
    appointments = LocationKeys("loc-1").appointments
    near = (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    beyond = near + timedelta(seconds=bot.slot_horizon)
    for slot, contact in ((near, "near"), (beyond, "far")):
        redis_client.zadd(appointments, {contact: slot.timestamp()})
    assert bot._taken_slots("loc-1") == [near]
    store = bot.store
    assert store.taken_slots("loc-1", now.timestamp()) == [near.timestamp(),
                                                           beyond.timestamp()]

def test_flowh008_an_appointment_over_without_outcome_asks_for_one(serve, redis_client, settings,
                                                                   clock):
    app = create_app(settings, redis_client, clock=clock)
    with serve(app.server) as server:
        seller = Seller(server.url, contact="past")
        for text in (*ACCEPTED, "1"):
            seller.says(text)
        appointment = datetime.fromisoformat(seller.state()["appointment_at"])
        bot = app.server.extensions["sellerbot"]["bot"]
        clock.now = appointment + timedelta(minutes=59)
        assert bot.flag_passed_appointments("loc-1") == 0  # still going on
        clock.now = appointment + timedelta(hours=2)
        row = requests.get(f"{server.url}/api/conversations", timeout=10).json()["rows"][0]
        assert row["next_action"] == "Record the outcome"  # shown before anything is written
        assert bot.flag_passed_appointments("loc-1") == 1
        assert bot.flag_passed_appointments("loc-1") == 0  # flagged once
        state = seller.state()
        assert state["needs_human"] and state["needs_human_reason"] == "appointment_passed"
        assert seller.says("hi, how did it go?")["needs_human"] is True
        held = requests.post(f"{server.url}/api/conversations/past/outcome",
                             json={"outcome": "no_show"}, timeout=10).json()
        assert held["stage"] == "no_show" and held["needs_human"] is False


def test_flowh009_a_whole_conversation_in_spanish(live_server):
    seller = Seller(live_server.url, contact="es-whole", contactName="Guadalupe Ramírez")
    texts = ("Buenas tardes, ¿ustedes compran casas en Fontana?",
             "necesita techo nuevo y la cocina está vieja", "unos 420 mil",
             "nos estamos divorciando, lo antes posible", "sí, está bien",
             "15621 Cedar St, Fontana 92335", "la segunda")
    answers = [seller.says(text) for text in texts]
    assert answers[0]["reply"].startswith("Hola Guadalupe, soy asistente de Jorge.")
    assert "en efectivo" in answers[3]["reply"] and "$315,000" in answers[3]["reply"]
    assert answers[-1]["stage"] == "booked"
    assert answers[-1]["reply"].startswith("Listo, su cita es el ")
    state = seller.state()
    assert (state["language"], state["condition"], state["price_expectation"],
            state["motivation"]) == ("es", "major_repairs", 420_000, "divorce")
    assert state["address"].startswith("15621 Cedar St, Fontana")
