"""The store writes ``contributions_apart(old, new)``, computed from what a change touched; it
must do to the counters and indexes exactly what ``contribution(new) - contribution(old)`` does
(the pure definition that delete and rebuild use). Checked over simulated conversations, with
the other writers' changes in between (deliveries, transcript cap, outcomes, pauses, contact
details), at many wall-clock times and bucket retentions."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from core.keys import LocationKeys
from core.schema import HOUR, hour_of
from core.settings import Settings
from seller_bot.aggregates import (
    Contribution,
    changes_past_hours,
    contribution,
    contributions_apart,
)
from seller_bot.bot import InboundResult, cap_transcript
from seller_bot.flow import (
    BotRules,
    flag_passed_appointment,
    handle_message,
    record_outcome,
    record_reply,
    start_conversation,
)
from seller_bot.models import APPOINTMENT_OUTCOMES, Conversation
from seller_bot.store import diff_ops
from simulator.seller import new_seller

KEYS = LocationKeys("loc-apart")
START = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
RETENTIONS = (HOUR, 6 * HOUR, 8 * 24 * HOUR)
RULES = BotRules.from_settings(Settings())
# What a seller who has finished the flow still writes now and then.
LATER = ("ok thanks", "what was the offer again?", "actually it's more like 250k",
         "can we do another day?", "who is this?", "yes")


def effect(old: Contribution | None, new: Contribution | None,
           wall_now: float) -> tuple[Counter, bool]:
    """What the commit script does for this pair: its commands (keys by name, any order), and
    whether the completed hours' version is bumped."""
    ops = diff_ops(old, new, [], wall_now)
    args, done, i = ops.args, Counter(), 0

    def key(index: str) -> str:
        return ops.keys[int(index) - 1]

    while i < len(args):
        op = args[i]
        if op == "H":  # H key n f1 d1 .. fn dn
            n = int(args[i + 2])
            pairs = args[i + 3: i + 3 + 2 * n]
            done.update(("HINCRBY", key(args[i + 1]), *pair) for pair in zip(
                pairs[::2], pairs[1::2], strict=True))
            i += 3 + 2 * n
        elif op == "R":  # R member n k1 .. kn
            n = int(args[i + 2])
            done.update(("ZREM", key(k), args[i + 1]) for k in args[i + 3: i + 3 + n])
            i += 3 + n
        elif op == "Z":  # Z score member n k1 .. kn
            n = int(args[i + 3])
            done.update(("ZADD", key(k), args[i + 1], args[i + 2])
                        for k in args[i + 4: i + 4 + n])
            i += 4 + n
        else:  # X key at_ms
            done[("PEXPIREAT", key(args[i + 1]), args[i + 2])] += 1
            i += 3
    return done, changes_past_hours(old, new, KEYS, wall_now)


def other_writers(conv: Conversation, rng: random.Random, now: datetime) -> None:
    """What else changes a document between messages, now and then."""
    roll = rng.random()
    waiting = [m for m in conv.transcript if m.direction == "outbound" and m.accepted_at is None]
    if roll < 0.25 and waiting:  # GoHighLevel accepted a reply (the outbox relay)
        msg = rng.choice(waiting)
        msg.accepted_at = msg.at + timedelta(seconds=rng.uniform(0.1, 90))
        msg.delivered_ms = round((msg.accepted_at - msg.at).total_seconds() * 1000, 3)
    elif roll < 0.35:
        cap_transcript(conv, rng.choice((6, 10, 16)), 64 * 1024)
    elif roll < 0.42 and conv.appointment_at is not None and conv.stage == "booked":
        if not flag_passed_appointment(conv, conv.appointment_at + timedelta(hours=2)):
            record_outcome(conv, rng.choice(APPOINTMENT_OUTCOMES), now)
    elif roll < 0.48:
        conv.paused = not conv.paused
    elif roll < 0.52:
        conv.name, conv.phone = rng.choice((("Ana Núñez", "+19095550123"), (None, None)))


def documents(seed: int) -> list[Conversation]:
    """The stored documents of one simulated seller, one per write."""
    rng = random.Random(seed)
    seller = new_seller(seed, "apart", seed, "Jorge")
    now = START + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
    conv = start_conversation(seller.persona.contact_id, KEYS.location_id, now,
                              name=seller.persona.name)
    stored = [conv.model_copy(deep=True)]
    text = seller.opening()
    for _ in range(18):
        reply = handle_message(conv, text, now, RULES, message_id=f"m-{rng.random()}")
        if reply is not None:
            record_reply(conv, reply, now + timedelta(seconds=1), rng.uniform(1, 900))
        stored.append(Conversation.from_json(conv.to_json()))
        now += timedelta(minutes=rng.choice((1, 7, 45, 200, 1500)))
        other_writers(conv, rng, now)
        stored.append(Conversation.from_json(conv.to_json()))
        text = (seller.respond(InboundResult.answer("processed", conv, reply).to_dict())
                or rng.choice(LATER))
    return stored


@pytest.mark.parametrize("seed", range(40))
def test_apart001_the_incremental_difference_is_the_whole_difference(seed):
    rng = random.Random(seed)
    docs = documents(seed)
    pairs = list(itertools.pairwise(docs))
    pairs += [tuple(rng.sample(docs, 2)) for _ in range(10)]  # any two states, either way
    pairs += [(None, docs[-1]), (docs[-1], None), (docs[0], docs[0])]
    for old, new in pairs:
        latest = max(d.last_activity_at for d in (old, new) if d is not None)
        wall_now = (latest + timedelta(minutes=rng.randrange(0, 10 * 24 * 60))).timestamp()
        retention = rng.choice(RETENTIONS)
        expected = effect(*(None if conv is None else contribution(conv, KEYS, wall_now, retention)
                            for conv in (old, new)), wall_now)
        assert effect(*contributions_apart(old, new, KEYS, wall_now, retention),
                      wall_now) == expected


def test_apart002_a_message_costs_what_it_adds_not_the_whole_transcript():
    docs = documents(5)
    old, new = docs[-3], docs[-2]  # one more message and its reply
    wall_now = new.last_activity_at.timestamp()
    old_part, new_part = contributions_apart(old, new, KEYS, wall_now, 8 * 24 * HOUR)
    inbound = [item for part in (old_part, new_part) for item in part.counters
               if item[1] == "in"]
    assert len(new.transcript) > 4
    assert inbound == [(KEYS.hour(hour_of(new.last_inbound_at.timestamp())), "in")]
