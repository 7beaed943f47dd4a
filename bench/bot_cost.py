"""Per-message cost of the bot's rules: microseconds per ``handle_message`` (no Redis).

    python bench/bot_cost.py [--sellers 400] [--repeat 5] [--corpus FILE] [--save FILE]
                             [--code CHECKOUT] [--write]

Simulated sellers (``simulator.seller``) talk to the pure flow in memory; only the
``handle_message`` calls are timed. The best of ``--repeat`` runs is reported (the machine is
shared: the minimum is the least disturbed run); time is the thread's CPU time, so other
processes' load counts as little as it can. ``--save`` writes the sellers' texts as JSON
and ``--corpus`` replays such a file instead, so two versions of the bot can be timed on the
same messages; ``--code`` times the bot of another checkout (e.g. ``/work/main``: before a
change). ``--write`` records the figure in docs/benchmarks.md.

    python bench/bot_cost.py --code /work/main --save /tmp/corpus.json   # before, and its texts
    python bench/bot_cost.py --corpus /tmp/corpus.json                    # after, same texts
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def checkout(argv: list[str]) -> str:
    """The checkout whose bot is timed: --code, else this one (read before the imports)."""
    if "--code" in argv[:-1]:
        return str(Path(argv[argv.index("--code") + 1]).resolve())
    return str(Path(__file__).resolve().parents[1])


sys.path.insert(0, checkout(sys.argv))

from bench.common import machine, write_section  # noqa: E402
from core.settings import Settings  # noqa: E402
from seller_bot.flow import (  # noqa: E402
    BotRules,
    handle_message,
    record_reply,
    start_conversation,
)

try:  # since #10 the simulator is its own package and its sellers read the bot's state
    from seller_bot.bot import InboundResult
    from simulator.seller import new_seller
except ImportError:  # an older checkout (--code): its sellers read the bot's words
    from seller_bot.personas import new_seller

    InboundResult = None

MAX_TURNS = 14
START = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
# Older simulators' sellers read (reply, stage); newer ones also the pending question.
RESPOND_ARGS = len(inspect.signature(new_seller(7, "bench", 0, "Jorge").respond).parameters)


def conversations(sellers: int) -> list[list[str]]:
    """Every seller's texts, as they answer the bot: replayed identically by each run."""
    rules = BotRules.from_settings(Settings())
    scripts = []
    for index in range(sellers):
        seller = new_seller(7, "bench", index, "Jorge")
        conv = start_conversation(seller.persona.contact_id, "bench", START)
        texts, text, now = [], seller.opening(), START
        while text is not None and len(texts) < MAX_TURNS:
            texts.append(text)
            reply = handle_message(conv, text, now, rules)
            if reply is not None:
                record_reply(conv, reply, now, 1.0)
            now += timedelta(minutes=5)
            text = (seller.respond(InboundResult.answer("processed", conv, reply).to_dict())
                    if InboundResult else
                    seller.respond(*[reply, conv.stage, conv.asking][:RESPOND_ARGS]))
        scripts.append(texts)
    return scripts


def run(scripts: list[list[str]], rules: BotRules) -> tuple[float, int]:
    """CPU seconds spent inside handle_message, and the number of messages."""
    spent, messages = 0.0, 0
    for index, texts in enumerate(scripts):
        conv = start_conversation(f"c{index}", "bench", START)
        now = START
        for text in texts:
            started = time.thread_time()
            reply = handle_message(conv, text, now, rules)
            spent += time.thread_time() - started
            messages += 1
            if reply is not None:
                record_reply(conv, reply, now, 1.0)
            now += timedelta(minutes=5)
    return spent, messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sellers", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", help="replay the texts of this JSON file")
    parser.add_argument("--save", help="write the sellers' texts to this JSON file")
    parser.add_argument("--code", help="time the bot of this checkout instead of this one")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args(argv)
    rules = BotRules.from_settings(Settings())
    if args.corpus:
        scripts = json.loads(Path(args.corpus).read_text())
    else:
        scripts = conversations(args.sellers)
    if args.save:
        Path(args.save).write_text(json.dumps(scripts, ensure_ascii=False))
    runs = [run(scripts, rules) for _ in range(args.repeat)]
    spent, messages = min(runs)
    per_message = spent / messages * 1e6
    line = (f"{messages} messages from {len(scripts)} simulated sellers, best of "
            f"{args.repeat}: **{per_message:.0f} µs per `handle_message`**")
    print(line)
    if args.write:
        write_section("Bot cost per message", "bot-cost",
                      f"`python bench/bot_cost.py --sellers {args.sellers} --repeat "
                      f"{args.repeat} --write`\n\n{machine()}\n\n{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
