"""The conversation table (services/table/) against brute force over documents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
import redis

from core.keys import LocationKeys
from core.privacy import mask_phone
from core.redis_client import DECODING
from core.schema import SORT_BAND, SORT_KEYS
from core.settings import Settings
from seller_bot.aggregates import sort_score
from seller_bot.bot import SellerBot
from seller_bot.models import STAGES, TEMPERATURES, Conversation
from seller_bot.payload import InboundMessage
from services.dashboard_models import ConversationQuery
from services.table.index import ConversationIndex
from services.table.query import SEGMENTS, InvalidQuery, scannable, temperature_by_activity
from services.table.rows import next_action
from tests.helpers import inbound
from tests.redis_server import RedisServer
from tests.table_store import (
    DAY,
    StepClock,
    all_documents,
    assert_pages_like,
    brute_force,
    build_scored_store,
    build_store,
    is_stalled_now,
    located_pages,
)

NOW = datetime.now(UTC).replace(microsecond=0)
SEARCHES = ["maria", "MARÍA lóp", "lopez maria", "jose", "josé núñez", "nguyen", "o'brien",
            "anne-marie", "maple", "4521 maple", "nunez", "fontana", "bob smith", "(909) 555",
            "+1 909", "909.555", "wei chen", "zzzz", "maria 7", "1", "19095550",
            # Street types and a state code are no tokens (a query with nothing else keeps
            # them as prefixes); digits also match the numbers ending with them.
            "maple ave", "elm st", "rialto, ca", "foothill blvd", "ca", "st", "ave", "0000",
            "5550000", "55500", "0", "00"]


@pytest.fixture(scope="module")
def table_redis() -> Iterator[redis.Redis]:
    """A Redis of this module's own: the shared one is flushed by every other test."""
    server = RedisServer().start()
    client = redis.Redis.from_url(server.url, **DECODING)
    yield client
    client.close()
    server.cleanup()


@pytest.fixture(scope="module")
def table_settings(table_redis: redis.Redis) -> Settings:
    port = table_redis.connection_pool.connection_kwargs["port"]
    return Settings(redis_url=f"redis://127.0.0.1:{port}/0")


@pytest.fixture(scope="module")
def docs(table_redis: redis.Redis, table_settings: Settings) -> list[Conversation]:
    build_store(table_redis, table_settings, NOW)
    return all_documents(table_redis)


def index_at(client: redis.Redis, settings: Settings, at: datetime) -> ConversationIndex:
    return ConversationIndex(client, settings, wall_clock=at.timestamp)


def every_page(index: ConversationIndex, query: ConversationQuery) -> list[str]:
    """Contact ids of all pages in order, checking each page's bookkeeping on the way."""
    ids, page = [], 1
    while True:
        result = index.page(replace(query, page=page))
        assert len(result.rows) <= query.page_size
        ids += [row.contact_id for row in result.rows]
        if page >= max(result.pages, 1):
            assert result.total == len(ids)
            assert index.page(replace(query, page=page + 1)).rows == []
            return ids
        assert len(result.rows) == query.page_size
        page += 1


def test_table001_store_covers_every_stage_temperature_and_edge(docs):
    assert 100 <= len(docs) <= 150
    assert set(Counter(c.stage for c in docs)) == set(STAGES)
    assert set(Counter(c.temperature for c in docs)) == set(TEMPERATURES)
    assert sum(c.price_expectation is None for c in docs) >= 10
    assert any(c.paused for c in docs)
    assert any(c.address for c in docs)
    ends = Counter(c.last_activity_at for c in docs)
    assert max(ends.values()) >= 3  # ties on the sort value
    span = max(ends) - min(ends)
    assert span > timedelta(days=5)


@pytest.mark.parametrize(("sort", "order"), list(product(SORT_KEYS, ("asc", "desc"))))
def test_table002_every_filter_and_sort_pages_like_brute_force(docs, table_redis, table_settings,
                                                                 sort, order):
    index = index_at(table_redis, table_settings, NOW)
    checked = 0
    for temperature, stage, stalled in product((None, *TEMPERATURES), (None, *STAGES),
                                               (False, True)):
        query = ConversationQuery(page_size=7, temperature=temperature, stage=stage,
                                  stalled=stalled, sort=sort, order=order)
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                      table_settings)]
        assert every_page(index, query) == expected, query
        checked += len(expected)
    assert checked > 3 * len(docs)  # the combinations were not all empty
    flagged = 0
    for temperature, stage, stalled in product((None, *TEMPERATURES),
                                               (None, "negotiating", "condition", "offer"),
                                               (False, True)):
        query = ConversationQuery(page_size=3, temperature=temperature, stage=stage,
                                  stalled=stalled, sort=sort, order=order, needs_human=True)
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                      table_settings)]
        assert every_page(index, query) == expected, query
        flagged += len(expected)
    assert flagged >= 2 * sum(c.needs_human for c in docs) > 0


def test_table003_unknown_prices_last_in_both_orders(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    for order in ("asc", "desc"):
        query = ConversationQuery(page_size=100, sort="price_expectation", order=order)
        rows = index.page(query).rows + index.page(replace(query, page=2)).rows
        prices = [row.extracted["price_expectation"] for row in rows]
        known = [p for p in prices if p is not None]
        assert prices == known + [None] * (len(prices) - len(known))
        assert known == sorted(known, reverse=order == "desc")
        assert len(known) < len(prices)


def test_table004_search_matches_brute_force(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    hits = 0
    for q in SEARCHES + [mask_phone(d.phone)[-4:] for d in docs[:5] if d.phone]:
        for sort, temperature in (("last_activity", None), ("price_expectation", None),
                                  ("lead_score", "cold"), ("stage", None)):
            query = ConversationQuery(page_size=5, q=q, sort=sort, temperature=temperature)
            expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                          table_settings)]
            assert every_page(index, query) == expected, query
            hits += len(expected)
            for stage in (None, "negotiating"):
                query = replace(query, needs_human=True, stage=stage)
                expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                              table_settings)]
                assert every_page(index, query) == expected, query
    assert hits > 100


def test_table005_search_phone_with_or_without_formatting(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    target = next(d for d in docs if d.phone and len(d.phone) >= 12)
    digits = "".join(ch for ch in target.phone if ch.isdigit())[-10:]
    typed = [digits, f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", f"+1 {digits[:3]} "
             f"{digits[3:6]} {digits[6:]}", f"{digits[3:6]}-{digits[6:]}", digits[6:],
             f"{target.name or ''} {digits[6:]}"]
    for q in typed:
        ids = every_page(index, ConversationQuery(q=q, page_size=50))
        assert target.contact_id in ids, q
        assert ids == [c.contact_id for c in brute_force(
            docs, ConversationQuery(q=q), NOW.timestamp(), table_settings)]


def test_table006_search_with_stage_and_stalled_filters(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    nonempty = 0
    for q, stage, stalled in product(("maria", "bob", "909", "a"), (None, "offer", "price"),
                                     (False, True)):
        query = ConversationQuery(q=q, stage=stage, stalled=stalled, page_size=4,
                                  sort="lead_score", order="asc")
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                      table_settings)]
        assert every_page(index, query) == expected, query
        nonempty += bool(expected)
    assert nonempty >= 8


def test_table007_contacts_past_their_ttl_are_never_listed(docs, table_redis, table_settings):
    """A day later, without a sweep, the indexes still hold the expired ones: skipped by rank."""
    later = NOW + timedelta(days=1)
    index = index_at(table_redis, table_settings, later)
    expired = {c.contact_id for c in docs
               if c.last_activity_at.timestamp() + table_settings.conversation_ttl_seconds
               <= later.timestamp()}
    assert len(expired) >= 5
    activity = LocationKeys("loc-1").index("activity")
    assert all(table_redis.zscore(activity, cid) is not None for cid in expired)
    for sort, order, temperature, stage, stalled in [
            ("last_activity", "desc", None, None, False), ("last_activity", "asc", None, None,
                                                           False),
            ("price_expectation", "asc", None, None, False),
            ("price_expectation", "desc", "cold", None, False),
            ("lead_score", "desc", None, "condition", False), ("stage", "asc", None, None, True),
            ("lead_score", "asc", "warm", "offer", False), ("last_activity", "desc", "hot",
                                                            "offer", True),
            ("last_activity", "asc", "cold", "condition", False),
            ("price_expectation", "desc", "warm", "offer", False),
            ("last_activity", "desc", None, "condition", True),
            ("last_activity", "desc", None, "new", True)]:
        query = ConversationQuery(page_size=6, sort=sort, order=order, temperature=temperature,
                                  stage=stage, stalled=stalled)
        ids = every_page(index, query)
        assert not expired & set(ids)
        assert ids == [c.contact_id for c in brute_force(docs, query, later.timestamp(),
                                                         table_settings)], query
        assert [r.contact_id for r in index.iter_rows(query)] == ids
    searched = every_page(index, ConversationQuery(q="maria"))
    assert searched and not expired & set(searched)


def test_table008_iter_rows_is_every_page_in_order(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    for query in (ConversationQuery(), ConversationQuery(sort="price_expectation", order="asc"),
                  ConversationQuery(temperature="hot", stage="offer"),
                  ConversationQuery(stalled=True, sort="stage"), ConversationQuery(q="maria"),
                  ConversationQuery(stage="offer"), ConversationQuery(segment="funnel:price")):
        paged = index.page(replace(query, page_size=100)).rows
        paged += index.page(replace(query, page_size=100, page=2)).rows
        exported = list(index.iter_rows(query))
        assert exported == paged
        assert exported
    assert not list(table_redis.scan_iter(match="*:tmp:export:*"))


def test_table009_rows_mask_phones_and_say_what_to_do_next(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    by_id = {c.contact_id: c for c in docs}
    rows = list(index.iter_rows(ConversationQuery()))
    revealed = {r.contact_id: r for r in index.iter_rows(ConversationQuery(reveal_phone=True))}
    assert len(rows) == len(docs)
    for row in rows:
        conv = by_id[row.contact_id]
        assert revealed[row.contact_id].phone == conv.phone
        if conv.phone:
            assert row.phone != conv.phone and row.phone.endswith(
                "".join(ch for ch in conv.phone if ch.isdigit())[-4:])
            assert "•" in row.phone
        assert row.last_activity_at == conv.last_activity_at.isoformat()
        assert datetime.fromisoformat(row.last_activity_at) == conv.last_activity_at
        assert row.stalled == is_stalled_now(conv, NOW.timestamp(), table_settings)
        assert row.next_action == next_action(conv, NOW, table_settings)
        assert (row.name, row.stage, row.temperature, row.lead_score,
                row.extracted["price_expectation"], row.extracted["timeline_days"], row.paused,
                row.extracted["address"]) == (
            conv.name, conv.stage, conv.temperature, conv.lead_score, conv.price_expectation,
            conv.timeline_days, conv.paused, conv.address)
    actions = Counter(row.next_action.split(":")[0].split(" Mon")[0] for row in rows)
    assert actions["Do not contact"] == sum(c.stage == "opted_out" for c in docs)
    assert actions["Human handling (paused)"] >= 1
    assert actions["Follow up"] >= 1
    booked = [r for r in rows if r.stage == "booked"]
    assert booked and all(r.next_action.startswith("Appointment ")
                          or r.next_action == "Record the outcome" for r in booked)
    assert actions["Call to negotiate"] == sum(c.stage == "negotiating" for c in docs) > 0
    assert actions["Wrong number"] == sum(c.stage == "wrong_number" for c in docs) > 0


def test_table010_next_action_texts():
    settings = Settings()
    now = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    conv = Conversation(contact_id="c", location_id="l", created_at=now, last_activity_at=now,
                        last_inbound_at=now, stage="condition")
    assert next_action(conv, now, settings) == "Waiting for condition answer"
    assert next_action(conv, now + timedelta(hours=47, minutes=59), settings) == \
        "Waiting for condition answer"
    assert next_action(conv, now + timedelta(hours=48), settings) == \
        "Follow up: no reply in 2 days"
    assert next_action(conv, now + timedelta(days=3, hours=5), settings) == \
        "Follow up: no reply in 3 days"
    offer = conv.model_copy(update={"stage": "offer"})
    assert next_action(offer, now, settings) == "Waiting on offer answer"
    booked = conv.model_copy(update={
        "stage": "booked", "appointment_at": datetime(2026, 12, 1, 18, 0, tzinfo=UTC)})
    assert next_action(booked, now + timedelta(days=3), settings) == \
        "Appointment Tue Dec 1 10:00 AM"  # 18:00 UTC is 10:00 in Los Angeles
    assert next_action(conv.model_copy(update={"stage": "opted_out", "paused": True}), now,
                       settings) == "Do not contact"
    assert next_action(conv.model_copy(update={"paused": True}), now + timedelta(days=4),
                       settings) == "Human handling (paused)"
    assert next_action(conv.model_copy(update={"stage": "qualified"}), now, settings) == \
        "Book the appointment"
    assert mask_phone("+19095550123") == "(•••) •••-0123"
    assert mask_phone("(909) 555-0123") == "(•••) •••-0123"
    assert mask_phone("+44 20 7946 0958") == "•••-0958"
    assert mask_phone(None) is None


def test_table011_stalled_exactly_around_48_hours(table_settings):
    """Fresh store: one seller per side of the boundary; the flag flips at exactly 48 h."""
    server = RedisServer().start()
    try:
        client = redis.Redis.from_url(server.url, **DECODING)
        settings = table_settings.model_copy(update={"redis_url": server.url})
        clock = StepClock(NOW - timedelta(days=2))
        bot = SellerBot(client, settings, clock=clock)
        for n, (contact, texts) in enumerate([("open", ["hi"]), ("opted", ["hi", "STOP"]),
                                              ("later", ["hello"])]):
            for step, text in enumerate(texts):
                clock.at = NOW - timedelta(days=2) + timedelta(seconds=n)
                bot.handle_inbound(InboundMessage(
                    type="InboundMessage", locationId="loc-1", contactId=contact,
                    messageId=f"{contact}-{step}", body=text, messageType="SMS",
                    direction="inbound", phone=f"+1909555010{n}"))
        inbound_at = NOW - timedelta(days=2)  # "open"; "later" is one second after "opted"
        seen = {}
        for offset in (-1, 0, 1, 2):
            at = inbound_at + timedelta(hours=48, seconds=offset)
            index = index_at(client, settings, at)
            page = index.page(ConversationQuery(stalled=True))
            seen[offset] = [row.contact_id for row in page.rows]
            flags = {row.contact_id: row.stalled
                     for row in index.page(ConversationQuery()).rows}
            assert {cid for cid, stalled in flags.items() if stalled} == set(seen[offset])
            assert [r.contact_id for r in index.iter_rows(ConversationQuery(stalled=True))] \
                == seen[offset]
            assert [r.contact_id for r in index.page(
                ConversationQuery(stalled=True, q="909 555", sort="lead_score")).rows] \
                == seen[offset]  # all score 0: the more recent first
            assert [r.contact_id for r in index.page(
                ConversationQuery(stalled=True, stage="condition")).rows] == seen[offset]
            assert index.page(ConversationQuery(stalled=True, stage="opted_out")).total == 0
        assert seen == {-1: [], 0: ["open"], 1: ["open"], 2: ["later", "open"]}
        client.close()
    finally:
        server.cleanup()


def test_table012_documents_gone_before_the_sweep_are_not_listed(table_settings):
    """Documents that Redis expired while their index entries remain (no sweep ran)."""
    server = RedisServer().start()
    try:
        client = redis.Redis.from_url(server.url, **DECODING)
        settings = table_settings.model_copy(update={"redis_url": server.url})
        week = settings.conversation_ttl_seconds
        long_ago = NOW - timedelta(seconds=week + 120)
        old = SellerBot(client, settings, clock=StepClock(long_ago),
                        wall_clock=lambda: long_ago.timestamp())
        current = SellerBot(client, settings, clock=StepClock(NOW - timedelta(minutes=5)))
        # The live ones first: the bot's sweep would drop the orphaned entries we want to keep.
        for bot, prefix in ((current, "live"), (old, "gone")):
            for n in range(3):
                contact = f"{prefix}{n}"
                bot.handle_inbound(InboundMessage(
                    type="InboundMessage", locationId="loc-1", contactId=contact,
                    messageId=f"{contact}-1", body="hi, selling my house", messageType="SMS",
                    direction="inbound", contactName="Maria Lopez", phone="+19095550101"))
        activity = LocationKeys("loc-1").index("activity")
        assert client.zcard(activity) == 6 and client.exists("{loc:loc-1}:conv:gone0") == 0
        index = index_at(client, settings, NOW)
        for query in (ConversationQuery(), ConversationQuery(sort="price_expectation"),
                      ConversationQuery(sort="lead_score", order="asc"),
                      ConversationQuery(temperature="cold", stage="condition"),
                      ConversationQuery(stalled=True), ConversationQuery(q="maria")):
            page = index.page(query)
            expected = [] if query.stalled else ["live2", "live1", "live0"]
            got = [row.contact_id for row in page.rows]
            assert sorted(got) == sorted(expected) and page.total == len(expected), query
        client.close()
    finally:
        server.cleanup()


def test_table013_locations_merge_into_one_table(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    assert index.page(ConversationQuery()).total == len(docs)  # knows only loc-1 now
    build_store(table_redis, table_settings, NOW, count=30, location="loc-2", prefix="t",
                seed=11)
    try:
        merged_docs = all_documents(table_redis)
        assert {d.location_id for d in merged_docs} == {"loc-1", "loc-2"}
        for sort, order, temperature, stalled, q in [
                ("last_activity", "desc", None, False, None),
                ("price_expectation", "asc", None, False, None),
                ("price_expectation", "desc", "cold", False, None),
                ("lead_score", "desc", None, True, None), ("stage", "asc", "hot", False, None),
                ("last_activity", "asc", None, False, "maria")]:
            query = ConversationQuery(page_size=9, sort=sort, order=order,
                                      temperature=temperature, stalled=stalled, q=q)
            expected = [(c.location_id, c.contact_id) for c in brute_force(
                merged_docs, query, NOW.timestamp(), table_settings)]
            paged = located_pages(index, query, len(expected))
            assert paged == expected, query
            assert [(r.location_id, r.contact_id) for r in index.iter_rows(query)] == expected
            assert {loc for loc, _ in expected} == {"loc-1", "loc-2"}
    finally:
        for key in table_redis.scan_iter(match="{loc:loc-2}*"):
            table_redis.delete(key)
        table_redis.srem("sellerbot:locations", "loc-2")


def test_table014_intersections_are_reused_until_the_data_changes(docs, table_redis,
                                                                  table_settings):
    index = index_at(table_redis, table_settings, NOW)
    query = ConversationQuery(temperature="cold", stalled=True, sort="last_activity")
    for key in table_redis.scan_iter(match="*:tmp:table:*"):
        table_redis.delete(key)
    first = index.page(query)
    built = list(table_redis.scan_iter(match="*:tmp:table:*"))
    assert len(built) == 1 and 0 < table_redis.ttl(built[0]) <= 30
    assert index.page(replace(query, page=2)).total == first.total
    assert list(table_redis.scan_iter(match="*:tmp:table:*")) == built
    # A write bumps the data version: the next read sees the new data, in a new key.
    target = first.rows[0].contact_id
    assert not first.rows[0].paused
    SellerBot(table_redis, table_settings).set_paused("loc-1", target, True)
    try:
        again = index.page(query)
        assert again.rows[0].contact_id == target and again.rows[0].paused
        assert again.rows[0].next_action == "Human handling (paused)"
        assert len(list(table_redis.scan_iter(match="*:tmp:table:*"))) == 2
    finally:
        SellerBot(table_redis, table_settings).set_paused("loc-1", target, False)


def test_table020_temperature_and_stage_scan_then_intersect_deep_pages(
        docs, table_redis, table_settings, monkeypatch):
    """A filter without an index of its own for the sort (temperature by price or stage,
    stage by price, both by price or stage, needs a person by anything but activity): shallow
    pages scan the sort's index (or the stage's band of idx:stage); past SCAN_LIMIT entries
    they read the intersection. (A temperature by activity: its bands merged, table024.)"""
    import services.table.index as table_module
    import services.table.index_reader as reader_module

    index = index_at(table_redis, table_settings, NOW)
    for key in table_redis.scan_iter(match="*:tmp:table:*"):
        table_redis.delete(key)
    queries = [ConversationQuery(page_size=3, temperature=t, stage=s, sort=sort, order=order)
               for t, s, sort, order in product((None, *TEMPERATURES),
                                                (None, "offer", "declined", "price"),
                                                ("last_activity", "price_expectation",
                                                 "stage", "lead_score"),
                                                ("asc", "desc"))]
    queries += [ConversationQuery(page_size=3, needs_human=True, sort=sort, order=order)
                for sort, order in product(SORT_KEYS, ("asc", "desc"))]
    queries = [query for query in queries if scannable(query)]
    # Both; a temperature; a stage by price; needs a person by another sort than activity.
    assert len(queries) == 2 * (3 * 3 * 2 + 3 * 2 + 3 + 3)
    scanned = {q: every_page(index, q) for q in queries}
    assert not list(table_redis.scan_iter(match="*:tmp:table:*"))
    # A scan that reads its budget without filling the page reads the intersection instead.
    monkeypatch.setattr(reader_module, "SCAN_BUDGET", 1)
    gave_up = {q: every_page(index, q) for q in queries}
    assert list(table_redis.scan_iter(match="*:tmp:table:*"))
    monkeypatch.undo()
    monkeypatch.setattr(table_module, "SCAN_LIMIT", 1)
    nonempty = 0
    for query in queries:
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                      table_settings)]
        assert scanned[query] == expected, query
        assert gave_up[query] == expected, query
        assert every_page(index, query) == expected, query
        nonempty += bool(expected)
    assert nonempty >= 10
    assert list(table_redis.scan_iter(match="*:tmp:table:*"))


def test_table015_bad_parameters_are_named_and_touch_nothing(docs, table_redis, table_settings):
    index = index_at(table_redis, table_settings, NOW)
    dirty = table_redis.info("persistence")["rdb_changes_since_last_save"]
    bad = {"page": 0, "page_size": 101, "sort": "name", "order": "up", "temperature": "tepid",
           "stage": "closed", "q": "x" * 201, "stalled": "yes"}
    for parameter, value in bad.items():
        query = replace(ConversationQuery(temperature="hot", stage="offer", stalled=True),
                        **{parameter: value})
        with pytest.raises(InvalidQuery) as caught:
            index.page(query)
        assert caught.value.parameter == parameter
        assert parameter in str(caught.value)
        with pytest.raises(ValueError, match=parameter):
            index.iter_rows(query)
    assert table_redis.info("persistence")["rdb_changes_since_last_save"] == dirty


def test_table016_index_scores_pack_value_and_recency_as_the_reader_expects(docs):
    for conv in docs[:20]:
        assert int(sort_score(conv, "score") // SORT_BAND) == conv.lead_score
        assert int(sort_score(conv, "stage") // SORT_BAND) == STAGES.index(conv.stage)
        assert sort_score(conv, "score") % SORT_BAND == pytest.approx(
            conv.last_activity_at.timestamp(), abs=1e-3)


def test_table018_days_spread_is_real(docs):
    """The store is not trivially recent: stalled and not-stalled open conversations exist."""
    now = NOW.timestamp()
    settings = Settings()
    stalled = [c for c in docs if is_stalled_now(c, now, settings)]
    assert 10 <= len(stalled) < len(docs) - 10
    assert min(c.last_activity_at for c in docs) < NOW - timedelta(days=5)
    assert max(c.last_activity_at for c in docs) > NOW - timedelta(days=1)
    assert DAY == 86400


def test_table019_last_activity_of_an_answered_conversation_is_its_last_inbound(docs):
    """The stalled view reads idx:open_inbound in place of idx:activity: they must agree."""
    answered = [c for c in docs if c.last_inbound_at is not None]
    assert len(answered) >= len(docs) - 1
    assert all(c.last_activity_at == c.last_inbound_at for c in answered)


def test_table021_broad_searches_run_in_steps_with_the_same_answer(docs, table_redis,
                                                                   table_settings,
                                                                   monkeypatch):
    """Terms matching more index entries than the cap skip the script: same rows."""
    import services.table.search as table_module

    index = index_at(table_redis, table_settings, NOW)
    queries = [ConversationQuery(q=q, page_size=6, sort=sort, stage=stage, stalled=stalled,
                                 temperature=temperature)
               for q, sort, stage, stalled, temperature in [
                   ("maria", "lead_score", None, False, None), ("9", "stage", None, True, None),
                   ("bob 909", "price_expectation", None, False, "cold"),
                   ("a", "last_activity", "offer", False, "hot")]]
    queries.append(ConversationQuery(q="a", page_size=6, segment="funnel:offer"))
    by_script = [every_page(index, q) for q in queries]
    monkeypatch.setattr(table_module, "SEARCH_ENTRY_CAP", 0)
    for query, scripted in zip(queries, by_script, strict=True):
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                      table_settings)]
        assert scripted == expected, query
        assert every_page(index, query) == expected, query
    assert sum(map(len, by_script)) > 20


# A temperature with each other filter the table takes (issue #15: a temperature is a band).
TEMPERATURE_WITH = ({}, {"stage": "offer"}, {"stage": "condition"}, {"needs_human": True},
                    {"stalled": True}, {"segment": "open"}, {"segment": "funnel:offer"},
                    {"segment": "price:300000"}, {"q": "maria"}, {"q": "a", "stage": "offer"})


def temperature_queries(page_size: int, sorts: tuple[str, ...] = ("last_activity",),
                        ) -> list[ConversationQuery]:
    return [ConversationQuery(page_size=page_size, temperature=t, sort=sort, order=order,
                              **extra)
            for t, sort, order, extra in product(TEMPERATURES, sorts, ("asc", "desc"),
                                                 TEMPERATURE_WITH)]


def test_table022_a_temperature_is_its_lead_score_band_read_filtered(
        docs, table_redis, table_settings, monkeypatch):
    """A temperature has no set of its own (issue #15): by activity, alone or with a stage,
    the bands of its lead scores are read merged by activity (nothing stored, at any depth);
    with another filter idx:activity is read keeping the members within its lead-score band
    of idx:score (a scan for shallow pages; past SCAN_BUDGET or SCAN_LIMIT the stored
    intersection, the band going in as a helper copy); in both orders, exported too; sets a
    store of before still holds (idx:temp:<t>:activity) are not read. The count is the
    band's: the dashboard's figure of that temperature."""
    import services.table.index as table_module
    import services.table.index_reader as reader_module

    assert not list(table_redis.scan_iter(match="*:idx:temp:*"))
    keys = LocationKeys("loc-1")
    stale = [keys.index(f"temp:{t}:activity") for t in TEMPERATURES]
    for key in stale:  # every contact, as no temperature holds them: must not be read
        table_redis.zadd(key, {c.contact_id: 1 for c in docs})
    index = index_at(table_redis, table_settings, NOW)
    stats = table_redis.hgetall(keys.stats)
    try:
        for temperature in TEMPERATURES:
            query = ConversationQuery(temperature=temperature)
            assert temperature_by_activity(query) and not scannable(query)
            assert index.page(query).total == int(stats.get(f"temp:{temperature}", 0)) \
                == sum(c.temperature == temperature for c in docs) > 0
        queries = temperature_queries(page_size=4)
        expected = {q: [c.contact_id for c in brute_force(docs, q, NOW.timestamp(),
                                                           table_settings)]
                    for q in queries}
        merged = [q for q in queries if temperature_by_activity(q) and not q.q]
        assert len(merged) == 3 * 2 * 3  # alone, with offer, with condition
        for patched in ((reader_module, "SCAN_BUDGET"), (table_module, "SCAN_LIMIT")):
            for key in table_redis.scan_iter(match="*:tmp:table:*"):
                table_redis.delete(key)
            monkeypatch.setattr(*patched, 1)
            for query in merged:
                assert every_page(index, query) == expected[query], (patched[1], query)
            assert not list(table_redis.scan_iter(match="*:tmp:table:*"))
            for query in queries:
                assert every_page(index, query) == expected[query], (patched[1], query)
            monkeypatch.undo()
        built = list(table_redis.scan_iter(match="*:tmp:table:*"))
        assert any("activity:score[" in key for key in built)  # idx:activity and the band
        assert not [key for key in built if ":in" in key.rsplit(":v", 1)[-1]]  # no helper left
        for query in queries:
            assert [r.contact_id for r in index.iter_rows(query)] == expected[query], query
        assert sum(map(bool, expected.values())) >= 30
    finally:
        table_redis.delete(*stale)


def test_table023_a_temperature_by_any_sort_over_locations(docs, table_redis, table_settings,
                                                           monkeypatch):
    """Several locations: each reads its own index filtered by its own band, merged."""

    build_store(table_redis, table_settings, NOW, count=40, location="loc-2", prefix="u",
                seed=12)
    try:
        merged_docs = all_documents(table_redis)
        index = index_at(table_redis, table_settings, NOW)
        queries = [q for q in temperature_queries(page_size=5, sorts=SORT_KEYS)
                   if not q.q or not q.stage]
        expected = {q: [(c.location_id, c.contact_id) for c in brute_force(
            merged_docs, q, NOW.timestamp(), table_settings)] for q in queries}
        assert_pages_like(index, expected, monkeypatch)
        assert any({loc for loc, _ in rows} == {"loc-1", "loc-2"} for rows in expected.values())
        for query in queries[::7]:
            assert [(r.location_id, r.contact_id)
                    for r in index.iter_rows(query)] == expected[query], query
    finally:
        for key in table_redis.scan_iter(match="{loc:loc-2}*"):
            table_redis.delete(key)
        table_redis.srem("sellerbot:locations", "loc-2")


def test_table060_segments_list_exactly_the_conversations_behind_each_figure(
        docs, table_redis, table_settings):
    """Every segment (a clickable figure) alone and with the other filters and sorts, paged
    like the brute force over the documents, and its size equal to the stats counter."""
    index = index_at(table_redis, table_settings, NOW)
    stats = {}
    for key in table_redis.scan_iter(match="{loc:*}:stats"):
        for name, value in table_redis.hgetall(key).items():
            stats[name] = stats.get(name, 0) + int(value)
    counter = {"open": "open", "hot_action": "hot_action", "qualified": "qualified",
               "needs_human": "needs_human", "negotiating": "stage:negotiating"}
    nonempty = 0
    for segment in sorted(SEGMENTS):
        combos = [ConversationQuery(page_size=9, segment=segment),
                  ConversationQuery(page_size=9, segment=segment, temperature="hot",
                                    sort="lead_score"),
                  ConversationQuery(page_size=9, segment=segment, stage="offer",
                                    sort="price_expectation", order="asc"),
                  ConversationQuery(page_size=9, segment=segment, stalled=True),
                  ConversationQuery(page_size=9, segment=segment, q="maria"),
                  ConversationQuery(page_size=9, segment=segment, sort="price_expectation"),
                  ConversationQuery(page_size=4, segment=segment, sort="stage", order="asc")]
        for query in combos:
            expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                          table_settings)]
            assert every_page(index, query) == expected, query
        total = index.page(combos[0]).total
        kind, _, value = segment.partition(":")
        name = counter.get(segment) or {"price": f"price_bin:{value}"}.get(kind, segment)
        assert total == stats.get(name, 0), segment
        nonempty += total > 0
    assert nonempty > 20
    with pytest.raises(InvalidQuery):
        index.page(ConversationQuery(segment="nonsense"))


def test_table062_a_price_bar_is_a_band_of_the_price_index(docs, table_redis, table_settings,
                                                          monkeypatch):
    """A price bar's segment has no set of its own: by price it is its bin's band of idx:price,
    by another sort that index read filtered by the band, past SCAN_LIMIT an intersection."""
    import services.table.index as table_module

    assert not list(table_redis.scan_iter(match="*:idx:seg:price:*"))
    index = index_at(table_redis, table_settings, NOW)
    queries = [ConversationQuery(page_size=4, segment=segment, sort=sort, order=order)
               for segment in sorted(s for s in SEGMENTS if s.startswith("price:"))
               for sort in SORT_KEYS for order in ("asc", "desc")]
    scanned = {query: every_page(index, query) for query in queries}
    monkeypatch.setattr(table_module, "SCAN_LIMIT", 1)
    listed = 0
    for query in queries:
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                      table_settings)]
        assert scanned[query] == expected, query
        assert every_page(index, query) == expected, query
        listed += len(expected)
    assert listed >= 8 * len(docs)  # every contact in one bar, listed by each sort and order


def test_table061_a_funnel_segment_is_its_furthest_stage_sets_merged(docs, table_redis,
                                                                     table_settings):
    """A funnel segment is the union of the furthest-stage indexes, read merged: every page
    after the first starts where a score bound puts it (``MERGE_SCRIPT``)."""
    index = index_at(table_redis, table_settings, NOW)
    positioned = []
    read_union = index.reader._read_union
    index.reader._read_union = lambda *args: positioned.append(args) or read_union(*args)
    rows = 0
    for stage, order, size in product(("condition", "offer", "booked"), ("desc", "asc"),
                                      (1, 7)):
        query = ConversationQuery(page_size=size, segment=f"funnel:{stage}", order=order)
        expected = [c.contact_id for c in brute_force(docs, query, NOW.timestamp(),
                                                      table_settings)]
        assert every_page(index, query) == expected, query
        rows += len(expected)
    assert rows > 50 and positioned


def test_table063_a_union_with_empty_sets_intersects_as_its_filled_ones(redis_client,
                                                                        settings):
    """With other filters, a segment of several sets is intersected set by set; its empty
    sets are left out, and a segment whose sets are all empty lists nothing."""
    bot = SellerBot(redis_client, settings)
    for contact in ("ana", "ben"):
        bot.handle_inbound(InboundMessage.model_validate(
            inbound("hi, I want to sell my house", contact=contact)))
    index = ConversationIndex(redis_client, settings)
    keys = LocationKeys("loc-1")
    assert redis_client.zcard(keys.open_inbound) == 2
    assert not redis_client.exists(keys.open_silent)
    for sort in ("lead_score", "price_expectation"):
        query = ConversationQuery(segment="open", temperature="cold", sort=sort)
        assert sorted(row.contact_id for row in index.page(query).rows) == ["ana", "ben"]
        query = ConversationQuery(segment="funnel:booked", temperature="cold", sort=sort)
        page = index.page(query)
        assert (page.total, page.rows) == (0, [])


def test_table024_a_temperature_by_activity_is_its_bands_merged(redis_client, settings):
    """Every lead score occurring, activity times shared across lead scores: a temperature by
    activity (alone or with a stage, one location or two, both orders, shallow and deep pages,
    past the end, some contacts expired without a sweep, an empty one) lists like brute force,
    stores nothing, and each page reads about its own size from the bands."""
    build_scored_store(redis_client, settings, NOW)
    build_scored_store(redis_client, settings, NOW, location="loc-2", prefix="m", seed=6)
    docs = all_documents(redis_client)
    assert len({c.lead_score for c in docs}) == 101
    ends = Counter(c.last_activity_at for c in docs)
    assert max(ends.values()) > 50
    index = ConversationIndex(redis_client, settings)
    read = []
    merge = index.reader._merge
    index.reader._merge = lambda **call: read.append((call["args"], merge(**call))) or read[-1][1]
    later = NOW + timedelta(days=1)
    ttl = settings.conversation_ttl_seconds
    assert any(c.last_activity_at.timestamp() + ttl <= later.timestamp() for c in docs)
    for at, temperature, stage, order, size, locations in product(
            (NOW, later), TEMPERATURES, (None, "offer"), ("desc", "asc"), (4, 60),
            ((), ("loc-2",))):
        index.wall_clock = at.timestamp
        query = ConversationQuery(page_size=size, temperature=temperature, stage=stage,
                                  order=order, locations=locations)
        expected = [c.contact_id for c in brute_force(docs, query, at.timestamp(), settings)
                    if not locations or c.location_id in locations]
        assert len(expected) > 2 * size or size == 60
        del read[:]
        assert every_page(index, query) == expected, query
        assert index.page(replace(query, page=10_000)).rows == []
        for (start, stop, *_), (_, *chunks) in read:  # ties at the page's ends read whole
            assert sum(map(len, chunks)) // 2 <= stop - start + 2 * max(ends.values())
        assert [r.contact_id for r in index.iter_rows(query)] == expected, query
    assert not list(redis_client.scan_iter(match="*:tmp:table:*"))
    index.wall_clock = (NOW + timedelta(days=30)).timestamp
    for temperature in TEMPERATURES:
        page = index.page(ConversationQuery(temperature=temperature, stage="offer"))
        assert (page.total, page.rows) == (0, [])
