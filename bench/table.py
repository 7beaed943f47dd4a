"""Table page: how long one page of the conversation table takes as the store grows.

    python bench/table.py [--sizes 1000 10000 100000] [--repeat 40]

Starts its own redis-server (free port, no persistence), seeds each size with realistic
conversations (real ``Conversation`` documents written with the store's own commit script and
contribution, in pipelines), and times ``ConversationIndex.page`` uncached (no Flask-Caching in
front) for page 1 and a deep page, filtered, sorted and searched. Prints a Markdown table for
the "Table page" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402
from core.keys import LOCATIONS, LocationKeys  # noqa: E402
from core.redis_client import DECODING  # noqa: E402
from core.settings import Settings  # noqa: E402
from seller_bot.flow import BotRules  # noqa: E402
from seller_bot.models import (  # noqa: E402
    FUNNEL_STAGES,
    MOTIVATIONS,
    Conversation,
    Message,
    StageChange,
    TemperatureChange,
)
from seller_bot.scoring import lead_score, score_parts, temperature  # noqa: E402
from seller_bot.store import ConversationStore  # noqa: E402
from services.dashboard_models import ConversationQuery  # noqa: E402
from services.table.index import ConversationIndex  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

LOCATION = "bench-loc"
FIRST_NAMES = ("Maria", "José", "Juan", "Ana", "Luis", "Carmen", "David", "Linda", "James",
               "Patricia", "Robert", "Jennifer", "Michael", "Elizabeth", "William", "Barbara",
               "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
               "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret",
               "Donald", "Sandra", "Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Emily",
               "Joshua", "Donna", "Kenneth", "Michelle", "Kevin", "Dorothy", "Brian", "Carol",
               "George", "Amanda", "Timothy", "Melissa", "Ronald", "Deborah", "Edward",
               "Stephanie", "Jason", "Rebecca", "Jeffrey", "Sharon", "Ryan", "Laura", "Jacob",
               "Cynthia", "Nguyễn", "Zoë", "Renée", "Chloé")
LAST_NAMES = ("Lopez", "García", "Martinez", "Rodriguez", "Hernández", "Gonzalez", "Perez",
              "Sanchez", "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes", "Cruz",
              "Morales", "Ortiz", "Gutierrez", "Chavez", "Smith", "Johnson", "Williams", "Brown",
              "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
              "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
              "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker",
              "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
              "Evans", "Turner", "Núñez", "Peña", "O'Brien")
STREETS = ("Maple", "Oak", "Pine", "Cedar", "Elm", "Foothill", "Baseline", "Sierra", "Citrus",
           "Valley", "Highland", "Mission", "Arrow", "Victoria", "Base", "Line", "Palm", "Orange",
           "Lemon", "Cherry", "Walnut")
CITIES = ("Fontana", "Rialto", "San Bernardino", "Riverside", "Ontario", "Rancho Cucamonga",
          "Moreno Valley", "Corona", "Redlands", "Upland")
# Share of conversations by stage, roughly what the demo traffic produces.
STAGE_WEIGHTS = {"new": 1, "condition": 14, "price": 12, "motivation": 10, "offer": 18,
                 "qualified": 6, "booked": 8, "declined": 11, "opted_out": 8}
FORMATS = ("+1{a}{x}{n}", "({a}) {x}-{n}", "{a}.{x}.{n}", "{a}{x}{n}")


def synthetic_conversation(rng: random.Random, number: int, now: datetime,
                           rules: BotRules) -> Conversation:
    """A plausible stored conversation: fields, score, history and transcript agree."""
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    reached = {"declined": "offer", "opted_out": rng.choice(("new", "condition", "price"))}.get(
        stage, stage)
    depth = FUNNEL_STAGES.index(reached)
    last = now - timedelta(seconds=rng.uniform(60, 6.9 * 86400))
    steps = depth + 1 + (stage in ("declined", "opted_out"))
    created = last - timedelta(minutes=rng.uniform(2, 90) * steps)
    conv = Conversation(
        contact_id=f"c{number:07d}", location_id=LOCATION, conversation_id=f"v{number:07d}",
        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if rng.random() < 0.93
        else None,
        phone=rng.choice(FORMATS).format(a=rng.choice(("909", "951", "626", "760")),
                                         x=f"{rng.randint(200, 999)}",
                                         n=f"{rng.randint(0, 9999):04d}"),
        address=(f"{rng.randint(10, 99999)} {rng.choice('NSEW ')} {rng.choice(STREETS)} "
                 f"{rng.choice(('St', 'Ave', 'Blvd', 'Dr', 'Ct'))}, {rng.choice(CITIES)}"
                 if rng.random() < 0.6 else None),
        stage=stage, created_at=created, last_activity_at=last, last_inbound_at=last,
        paused=rng.random() < 0.03)
    if depth > FUNNEL_STAGES.index("condition"):
        conv.condition = rng.choice(("move_in_ready", "minor_repairs", "major_repairs"))
    if depth > FUNNEL_STAGES.index("price") and rng.random() < 0.9:
        conv.price_expectation = rng.randrange(150_000, 1_200_000, 5_000)
    if depth > FUNNEL_STAGES.index("motivation"):
        conv.motivation = rng.choice(MOTIVATIONS)
        conv.timeline_days = rng.choice((14, 30, 60, 90, 180, 365))
        conv.urgency = "high" if conv.timeline_days <= 30 else "medium"
    if depth >= FUNNEL_STAGES.index("offer") and conv.price_expectation is not None:
        conv.offer_amount = rules.offer_for(conv.price_expectation)
        conv.offer_response = {"qualified": "accepted", "booked": "accepted",
                               "declined": "declined"}.get(stage)
    if stage == "booked":
        conv.appointment_at = (now + timedelta(hours=rng.randint(1, 160))).replace(
            minute=0, second=0, microsecond=0)
    conv.score_parts = score_parts(conv, rules.buy_box)
    conv.lead_score = lead_score(conv.score_parts)
    conv.temperature = temperature(conv.lead_score)
    path = [*FUNNEL_STAGES[:depth + 1], *([stage] if stage != reached else [])]
    span = (last - created) / max(1, len(path) - 1)
    conv.stage_history = [StageChange(stage=s, at=created + span * i) for i, s in enumerate(path)]
    conv.temperature_history = [TemperatureChange(temperature="cold", at=created)]
    if conv.temperature != "cold":
        conv.temperature_history.append(TemperatureChange(temperature=conv.temperature, at=last))
    for i in range(steps):
        at = created + (last - created) * (i / max(1, steps - 1))
        conv.transcript.append(Message(direction="inbound", body="seller text " * 4, at=at,
                                       message_id=f"m{number}-{i}"))
        conv.transcript.append(Message(direction="outbound", body="bot reply text " * 6,
                                       at=at, response_ms=rng.uniform(2, 40)))
    return conv


def seed(client: redis.Redis, settings: Settings, count: int, *, seed_value: int = 1,
         batch: int = 500) -> None:
    """Write ``count`` conversations with the store's commit script, ``batch`` per pipeline."""
    rng = random.Random(seed_value)
    rules = BotRules.from_settings(settings)
    store = ConversationStore(client, settings)
    now = datetime.now(UTC)
    for first in range(0, count, batch):
        with client.pipeline(transaction=False) as pipe:
            for number in range(first, min(count, first + batch)):
                store.queue_commit(pipe, synthetic_conversation(rng, number, now, rules))
            pipe.execute()
    client.sadd(LOCATIONS, LOCATION)


def timed(call: Callable[[], object], repeat: int,
          before: Callable[[], object] | None = None) -> tuple[float, float]:
    """Median and p95 wall time of ``call`` in ms; ``before`` runs untimed before each call."""
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def measure_table_page(client: redis.Redis, settings: Settings, count: int,
                       repeat: int) -> list[tuple[str, int, float, float]]:
    """(case, total rows, median ms, p95 ms) for each table query at this store size."""
    index = ConversationIndex(client, settings)
    bump = LocationKeys(LOCATION).version

    def write() -> None:
        client.incr(bump)  # what any bot write does: the next read rebuilds intersections

    size = 25
    hot_offer = ConversationQuery(page_size=size, stage="offer", temperature="warm")
    stalled_hot = ConversationQuery(page_size=size, stalled=True, temperature="hot")
    hot = ConversationQuery(page_size=size, temperature="hot")
    cold = replace(hot, temperature="cold")
    hot_price = replace(hot, sort="price_expectation")
    offer_price = ConversationQuery(page_size=size, stage="offer", sort="price_expectation")
    price_bar = ConversationQuery(page_size=size, segment="price:300000")
    cases: list[tuple[str, ConversationQuery, bool, bool]] = [
        # (label, query, start from the middle page, a write before each call)
        ("last activity (default)", ConversationQuery(page_size=size), False, False),
        ("last activity (default)", ConversationQuery(page_size=size), True, False),
        ("price ascending, unknown last",
         ConversationQuery(page_size=size, sort="price_expectation", order="asc"), False, False),
        ("price ascending, unknown last",
         ConversationQuery(page_size=size, sort="price_expectation", order="asc"), True, False),
        ("temperature=hot", hot, False, False),
        ("segment funnel:condition (a figure's conversations)",
         ConversationQuery(page_size=size, segment="funnel:condition"), False, False),
        ("segment funnel:condition (a figure's conversations)",
         ConversationQuery(page_size=size, segment="funnel:condition"), True, False),
        ("segment funnel:condition, after a write",
         ConversationQuery(page_size=size, segment="funnel:condition"), True, True),
        ("stage=offer by activity (band of idx:stage)",
         ConversationQuery(page_size=size, stage="offer"), True, False),
        ("temperature=hot by lead score",
         ConversationQuery(page_size=size, temperature="hot", sort="lead_score"), True, False),
        ("stage=offer + warm by lead score (score range)",
         replace(hot_offer, sort="lead_score"), True, False),
        ("stage=offer + warm by activity (merged bands)", hot_offer, False, False),
        ("stage=offer + warm by activity, after a write (merged bands)", hot_offer, True,
         True),
        ("stage=offer + warm by activity (merged bands)", hot_offer, True, False),
        ("stalled (range of open_inbound)", ConversationQuery(page_size=size, stalled=True),
         False, False),
        ("stalled (range of open_inbound)", ConversationQuery(page_size=size, stalled=True),
         True, False),
        ("stalled + stage=condition (range)",
         ConversationQuery(page_size=size, stalled=True, stage="condition"), False, False),
        ("stalled + hot, after a write (intersection built)", stalled_hot, False, True),
        ("stalled + hot (intersection reused)", stalled_hot, False, False),
        ("search a last name (\"lopez\")", ConversationQuery(page_size=size, q="lopez"), False,
         False),
        ("search first + last name (\"maria lopez\")",
         ConversationQuery(page_size=size, q="maria lopez"), False, False),
        ("search a full phone number", ConversationQuery(page_size=size, q=""), False, False),
        ("search a street word + hot (\"maple\")",
         ConversationQuery(page_size=size, q="maple", temperature="hot"), False, False),
        ("search one letter (\"m\")", ConversationQuery(page_size=size, q="m"), False, False),
        # Issue #15 (memory): reads whose index was dropped or shared.
        ("temperature=hot by price (scan of idx:price)", hot_price, False, False),
        ("temperature=hot by price, after a write (intersection built)", hot_price, True,
         True),
        ("temperature=hot by price (intersection reused)", hot_price, True, False),
        ("temperature=hot by stage (scan of idx:stage)",
         replace(hot_price, sort="stage"), False, False),
        ("stage=offer by price (scan of idx:price)", offer_price, False, False),
        ("stage=offer by price, after a write (intersection built)", offer_price, True, True),
        ("stage=offer + warm by stage (scan of the stage's band)",
         replace(hot_offer, sort="stage"), False, False),
        ("segment price:300000 by activity (scan of idx:activity)", price_bar, False, False),
        ("segment price:300000 by activity, after a write (intersection built)", price_bar,
         True, True),
        ("segment price:300000 by price (band of idx:price)",
         replace(price_bar, sort="price_expectation"), True, False),
        ("segment open (open_inbound merged with open_silent)",
         ConversationQuery(page_size=size, segment="open"), False, False),
        ("segment open (open_inbound merged with open_silent)",
         ConversationQuery(page_size=size, segment="open"), True, False),
        ("segment open + hot, after a write (intersection built)",
         ConversationQuery(page_size=size, segment="open", temperature="hot"), True, True),
        # Issue #15 (memory, fourth step): a temperature is its lead-score band of idx:score;
        # by activity, its lead scores' bands merged.
        ("temperature=hot by activity (merged bands)", hot, True, False),
        ("temperature=hot by activity, after a write (merged bands)", hot, False, True),
        ("temperature=hot by activity, after a write (merged bands)", hot, True, True),
        ("temperature=cold by activity (merged bands)", cold, False, False),
        ("temperature=cold by activity, after a write (merged bands)", cold, True, True),
        ("stalled + cold, after a write (intersection built)",
         replace(cold, stalled=True), False, True),
        ("search the last 4 digits of a phone", ConversationQuery(page_size=size, q=""),
         False, False),
    ]
    sample = index.page(ConversationQuery(page_size=1, reveal_phone=True)).rows[0].phone
    results = []
    for label, query, middle, after_write in cases:
        if query.q == "":
            query = replace(query, q=sample[-4:] if "last 4" in label else sample)
        total = index.page(query).total
        if middle:
            query = replace(query, page=max(1, total // size // 2))
        median, p95 = timed(lambda q=query: index.page(q), repeat,
                            before=write if after_write else None)
        results.append((f"{'middle page' if middle else 'page 1'}: {label}", total, median,
                        p95))
    return results




def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    server = RedisServer().start()
    try:
        client = redis.Redis.from_url(server.url, **DECODING)
        settings = Settings(redis_url=server.url)
        table: dict[str, dict[int, tuple[int, float, float]]] = {}
        for count in args.sizes:
            client.flushall()
            started = time.perf_counter()
            seed(client, settings, count)
            print(f"seeded {count:,} conversations in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
            for label, total, median, p95 in measure_table_page(client, settings, count,
                                                                args.repeat):
                table.setdefault(label, {})[count] = (total, median, p95)
        print(f"Machine: {machine()}\n")
        head = " | ".join(f"{c:,}: matches / median / p95 ms" for c in args.sizes)
        print(f"| query (page size 25) | {head} |")
        print("|---|" + "---|" * len(args.sizes))
        for label, by_size in table.items():
            cells = " | ".join(
                f"{by_size[c][0]:,} / {by_size[c][1]:.2f} / {by_size[c][2]:.2f}"
                if c in by_size else "-" for c in args.sizes)
            print(f"| {label} | {cells} |")
    finally:
        server.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
