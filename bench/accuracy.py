"""Field accuracy of the bot on whole seller conversations, and its cost per message.

    python bench/accuracy.py [--suite bench/conversations/fresh_en.json ...] [--simulated 300]
                             [--repeat 5] [--rounds 3] [--verbose] [--write]
                             [--baseline CHECKOUT [--baseline-label NAME]]

    # before/after #12: main as it was, exported next to the repository
    git archive 23c12cc | tar -x -C /tmp/main-before-12
    python bench/accuracy.py --baseline /tmp/main-before-12 \
        --baseline-label "main before #12, 23c12cc" --write

Each suite (``bench/conversations/*.json``) holds conversations: the seller's texts in order
and the fields the bot should hold at the end. The bench drives the real, pure flow
(``seller_bot.flow.handle_message`` on a ``start_conversation`` document: no Redis, no HTTP),
one text every three minutes from Tue 2026-12-01 10:00 in Los Angeles, records each reply as
the bot would, then compares the final document with the expectation:

- condition, price_expectation, motivation, counter_amount: equal (absent = must stay None);
- timeline_days: within TIMELINE_TOLERANCE (absent = must stay None);
- city: the expected city appears in ``address`` (absent = ``address`` must stay None);
- language: equal (absent = "en"); a flow without ``language`` counts as "en";
- stage: equal; opted_out and wrong_number: whether the stage is that exit.

An *invented* value is one set where the expectation is empty: the worst error, since the
buyer would act on it. ``--simulated N`` adds the project's own simulated sellers
(``simulator.personas``) made fully clear (every answer phrased readably, every seller goes
to a booking), scored on the fields a persona knows (condition, price, motivation, timeline,
city, language).

Cost: every ``handle_message`` call is timed in CPU time of the calling thread
(``thread_time_ns``: on a shared, busy machine wall time mostly measures the other
processes), ``--repeat`` passes over all suites; the median and p95 in µs per message are
reported, with the mean wall time (``perf_counter_ns``) beside them. ``--baseline PATH`` runs the
same suites against another checkout (e.g. ``/work/main``: the flow before #12) in a
subprocess and shows both; ``--write`` replaces the accuracy section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import math
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITES_DIR = Path(__file__).resolve().parent / "conversations"
START = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # Tue 10:00 in Los Angeles
STEP = timedelta(minutes=3)
FIELDS = ("condition", "price_expectation", "motivation", "timeline_days", "city", "language",
          "stage", "counter_amount", "opted_out", "wrong_number")
SIMULATED_FIELDS = ("condition", "price_expectation", "motivation", "timeline_days", "city",
                    "language")
# What each persona timeline phrase means, counted from START (simulator.texts.TIMELINES).
SIMULATED_TIMELINE_DAYS = (7, 7, 0, 14, 30, 31, 60, 45, 75, 90, 202, 30, 180, 180, 180)


NOTES = """\
Suites: `fresh_en` (44) and `fresh_es` (22) are conversations written for #12 (typos, emoji,
run-ons, corrections, questions, counters, volunteered facts, deaths and divorces, opt-outs and
wrong numbers in both languages, Spanish/English mixes); `holdout` (16) and `holdout2` (12) were
written after the extractors had been tuned on those and run once as they were, to see how far
the tuning generalises: first runs 148/160 and 112/120 fields right (92.5% and 93.3%), 0
invented; the misses were then fixed and are in the tables below. `project` replays the
project's own end-to-end conversations (tests/integration/test_conversation_http.py);
`simulated` is the project's simulated sellers (`simulator/personas.py`, seed 12) made fully
clear and all heading to a booking, scored on what each persona knows. A cell is conversations
with that field right at the end; *invented* counts values set where the expectation is empty.
Timelines are right within 10% or 3 days. "Before" is main's flow and extractors before #12 on
the same suites (no language, counter or wrong-number fields there, so those columns count as
wrong; its simulated row plays that version's own simulator, whose sellers differ). One known
miss: en18 picks "tomorrow works", which the flow cannot read until it passes the seller's date
to `extract_slot_choice(..., today=)`.

Cost: CPU time of `handle_message` per message (thread CPU time: the machine is shared and busy,
wall time mostly measures the others), rounds taking turns between the two checkouts; the last
column splits an instrumented pass into the time spent in the text extractors and in everything
(the timers add about a microsecond per call)."""


def timeline_ok(got: int | None, want: int | None) -> bool:
    """Within 10% or 3 days of the expectation, whichever is wider."""
    if got is None or want is None:
        return got is want
    return abs(got - want) <= max(3, want * 0.10)


def named_city(address: str | None) -> str | None:
    """The Inland Empire city an address names, or None."""
    from seller_bot.extract.address import INLAND_EMPIRE_CITIES

    # The part after the street: "12323 Ontario Ave" names no city.
    low = (address or "").lower().partition(",")[2] if (address or "")[:1].isdigit() \
        else (address or "").lower()
    return next((c for c in sorted(INLAND_EMPIRE_CITIES, key=len, reverse=True) if c in low),
                None)


def load_suites(paths: list[Path]) -> dict[str, list[dict]]:
    return {path.stem: json.loads(path.read_text())["conversations"] for path in paths}


class Runner:
    """Plays conversations through the flow of the checkout on sys.path."""

    def __init__(self) -> None:
        from core.settings import Settings
        from seller_bot import flow

        self.flow = flow
        self.rules = flow.BotRules.from_settings(Settings(_env_file=None))
        self.timings_ns: list[int] = []
        self.wall_ns: list[int] = []

    def play(self, key: str, texts: list[str]):
        conv = self.flow.start_conversation(f"bench-{key}", "bench-location", START,
                                            name="Maria Lopez", phone="+19095550100")
        now = START
        replies = []
        for i, text in enumerate(texts):
            now += STEP
            began, wall = time.thread_time_ns(), time.perf_counter_ns()
            reply = self.flow.handle_message(conv, text, now, self.rules,
                                             message_id=f"{key}-{i}")
            self.wall_ns.append(time.perf_counter_ns() - wall)
            self.timings_ns.append(time.thread_time_ns() - began)
            if reply is not None:
                self.flow.record_reply(conv, reply, now, 1.0)
            replies.append(reply)
        return conv, replies


def actual(conv) -> dict:
    stage = conv.stage
    return {
        "condition": conv.condition, "price_expectation": conv.price_expectation,
        "motivation": conv.motivation, "timeline_days": conv.timeline_days,
        "city": conv.address, "language": getattr(conv, "language", "en"), "stage": stage,
        "counter_amount": getattr(conv, "counter_amount", None),
        "opted_out": stage == "opted_out", "wrong_number": stage == "wrong_number",
    }


def expected(expect: dict) -> dict:
    stage = expect["stage"]
    return {
        **{f: expect.get(f) for f in ("condition", "price_expectation", "motivation",
                                      "timeline_days", "city", "counter_amount")},
        "language": expect.get("language", "en"), "stage": stage,
        "opted_out": stage == "opted_out", "wrong_number": stage == "wrong_number",
    }


def judge(field: str, got, want) -> tuple[bool, bool]:
    """(right, invented) for one field."""
    if field == "timeline_days":
        right = timeline_ok(got, want)
    elif field == "city":
        right = (got is None) if want is None else (got is not None
                                                    and want.lower() in got.lower())
    else:
        right = got == want
    invented = want is None and got is not None and field not in ("opted_out", "wrong_number")
    return right, invented


def score_suite(runner: Runner, conversations: list[dict], fields=FIELDS) -> dict:
    right = dict.fromkeys(fields, 0)
    invented = dict.fromkeys(fields, 0)
    misses = []
    for c in conversations:
        conv, replies = runner.play(c["id"], c["texts"])
        got, want = actual(conv), c.get("want") or expected(c["expect"])
        for field in fields:
            ok, made_up = judge(field, got[field], want[field])
            right[field] += ok
            invented[field] += made_up
            if not ok:
                misses.append({"id": c["id"], "field": field, "got": got[field],
                               "want": want[field], "texts": c["texts"], "replies": replies})
    return {"conversations": len(conversations), "right": right, "invented": invented,
            "misses": misses}


def simulated_conversations(count: int, seed: int = 12) -> list[dict]:
    """The project's simulated sellers, every answer readable, every one heading to a booking.

    A persona answers what the bot asks from the bot's replies, so these are played
    interactively: each entry carries the persona and its truth; texts are filled in by
    ``play_simulated``.
    """
    try:
        from simulator.personas import make_persona
    except ImportError:  # a checkout before #10 (--baseline): the simulator inside the bot
        from seller_bot.personas import make_persona

    out = []
    for i in range(count):
        rng = random.Random(f"{seed}-{i}")
        persona = dataclasses.replace(make_persona(rng, i), clarity=1.0,
                                      ending="book", quits_at=None)
        out.append({"id": f"sim{i:03d}", "persona": persona, "rng": rng, "want": {
            "condition": persona.home.condition, "price_expectation": persona.home.price,
            "motivation": persona.motivation,
            "timeline_days": SIMULATED_TIMELINE_DAYS[persona.timeline],
            "city": persona.home.city.name, "language": getattr(persona, "language", "en")}})
    return out


def play_simulated(runner: Runner, entries: list[dict], max_turns: int = 14) -> dict:
    """Interactive persona conversations scored on what the persona knows."""
    try:  # since #10 sellers answer the bot's state (InboundResult), not its words
        from seller_bot.bot import InboundResult
        from simulator.seller import SimulatedSeller
    except ImportError:  # a checkout before #10 (--baseline)
        from seller_bot.personas import SimulatedSeller

        InboundResult = None

    right = dict.fromkeys(SIMULATED_FIELDS, 0)
    invented = dict.fromkeys(SIMULATED_FIELDS, 0)
    misses = []
    # Before #10 sellers read the bot's words, later also the question it waits on (asking).
    with_asking = "asking" in inspect.signature(SimulatedSeller.respond).parameters
    for e in entries:
        seller = SimulatedSeller(e["persona"], random.Random(e["id"]),
                                          runner.rules.buyer_name)
        conv = runner.flow.start_conversation(e["id"], "bench-location", START)
        now, text, texts, replies = START, seller.opening(), [], []
        for i in range(max_turns):
            if text is None:
                break
            now += STEP
            texts.append(text)
            reply = runner.flow.handle_message(conv, text, now, runner.rules,
                                               message_id=f"{e['id']}-{i}")
            if reply is not None:
                runner.flow.record_reply(conv, reply, now, 1.0)
            replies.append(reply)
            if InboundResult is not None:
                text = seller.respond(InboundResult.answer("processed", conv, reply).to_dict())
            else:
                text = (seller.respond(reply, conv.stage, conv.asking) if with_asking
                        else seller.respond(reply, conv.stage))
        got = actual(conv)
        said = " ".join(texts).lower()
        city = e["persona"].home.city
        named = named_city(conv.address)
        if (city.name.lower() not in said and not any(z in said for z in city.zips)
                and named != city.name.lower()):
            # The persona named no city (only a street, or a city misspelt beyond reading):
            # the address must not name one. The true city read from a misspelling is right.
            e["want"]["city"] = None
            got["city"] = named
        for field in SIMULATED_FIELDS:
            ok, made_up = judge(field, got[field], e["want"][field])
            right[field] += ok
            invented[field] += made_up
            if not ok:
                misses.append({"id": e["id"], "field": field, "got": got[field],
                               "want": e["want"][field], "texts": texts, "replies": replies})
    return {"conversations": len(entries), "right": right, "invented": invented,
            "misses": misses}


def measure(suite_paths: list[Path], simulated: int, repeat: int) -> dict:
    """Accuracy per suite and field, and µs per handle_message (median, p95)."""
    runner = Runner()
    suites = load_suites(suite_paths)
    results = {name: score_suite(runner, convs) for name, convs in suites.items()}
    if simulated:
        results["simulated"] = play_simulated(runner, simulated_conversations(simulated))
    return {"results": results, **measure_cost(suites, repeat)}


def measure_cost(suites: dict[str, list[dict]], repeat: int) -> dict:
    """µs per handle_message over ``repeat`` passes, after one warm-up pass."""
    runner = Runner()
    for convs in suites.values():
        for c in convs:
            runner.play(c["id"], c["texts"])
    runner.timings_ns.clear()
    runner.wall_ns.clear()
    for _ in range(repeat):
        for convs in suites.values():
            for c in convs:
                runner.play(c["id"], c["texts"])
    timings = sorted(runner.timings_ns)
    return {
        "messages_timed": len(timings),
        "us_median": statistics.median(timings) / 1000 if timings else None,
        "us_mean": statistics.fmean(timings) / 1000 if timings else None,
        "us_p95": timings[int(len(timings) * 0.95)] / 1000 if timings else None,
        "us_wall_mean": statistics.fmean(runner.wall_ns) / 1000 if timings else None,
        **extraction_share(runner, suites),
    }


def extraction_share(runner: Runner, suites: dict[str, list[dict]]) -> dict:
    """Mean CPU µs per message in the text extractors the flow calls, and in all of it.

    One extra pass with every extractor the flow's modules imported (``seller_bot.*`` outside
    ``seller_bot.extract``) wrapped in a timer (the wrappers add about a microsecond per call,
    so this pass is not the cost figure itself).
    """
    spent = [0]
    callers = [module for name, module in list(sys.modules.items())
               if name.startswith("seller_bot.") and not name.startswith("seller_bot.extract")]
    originals = {(module, name): getattr(module, name)
                 for module in callers for name in dir(module)
                 if name.startswith(("extract_", "is_", "detect_", "classify_", "distress_",
                                     "rejects_"))}

    def timed(function):
        def wrapper(*args, **kwargs):
            began = time.thread_time_ns()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.thread_time_ns() - began
        return wrapper

    runner.timings_ns.clear()
    for (module, name), function in originals.items():
        setattr(module, name, timed(function))
    try:
        for convs in suites.values():
            for c in convs:
                runner.play(c["id"], c["texts"])
    finally:
        for (module, name), function in originals.items():
            setattr(module, name, function)
    count = len(runner.timings_ns)
    return {"us_extract_mean": spent[0] / count / 1000 if count else None,
            "us_instrumented_mean": sum(runner.timings_ns) / count / 1000 if count else None}


def fields_line(result: dict, fields) -> str:
    n = result["conversations"]
    return " | ".join(f"{result['right'][f]}/{n}" for f in fields)


def summary(result: dict) -> tuple[int, int, int]:
    """(right, total, invented) over all fields of one suite."""
    right = sum(result["right"].values())
    total = result["conversations"] * len(result["right"])
    return right, total, sum(result["invented"].values())


def table(measured: dict, title: str) -> str:
    lines = [f"**{title}**", "",
             "| suite | conversations | " + " | ".join(FIELDS) + " | all fields | invented |",
             "|---" * (len(FIELDS) + 4) + "|"]
    for name, result in measured["results"].items():
        fields = list(result["right"])
        cells = [f"{result['right'][f]}/{result['conversations']}" if f in fields else "-"
                 for f in FIELDS]
        right, total, invented = summary(result)
        share = math.floor(right / total * 1000) / 10  # 5997/6000 is 99.9%, not 100.0%
        lines.append(f"| {name} | {result['conversations']} | " + " | ".join(cells)
                     + f" | {right}/{total} ({share}%) | {invented} |")
    lines.append("")
    lines.append(f"Cost per `handle_message` (CPU time, {measured['messages_timed']} calls): "
                 f"median {measured['us_median']:.0f} µs, mean {measured['us_mean']:.0f} µs, "
                 f"p95 {measured['us_p95']:.0f} µs; mean wall time "
                 f"{measured['us_wall_mean']:.0f} µs.")
    return "\n".join(lines)


def run_baseline(code: Path, args: argparse.Namespace, cost_only: bool = False) -> dict:
    """The same measurement on another checkout, in a subprocess importing that code."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--json", "--code", str(code),
           "--repeat", str(args.repeat), "--simulated", str(args.simulated),
           *(["--cost-only"] if cost_only else []),
           *[arg for path in args.suite for arg in ("--suite", str(path))]]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=code)
    return json.loads(done.stdout)


def compare_costs(args: argparse.Namespace, before: dict, after: dict) -> str:
    """Cost rounds taking turns between the two checkouts; the least disturbed round wins."""
    suites = load_suites(args.suite)
    rounds = {"before": [before], "after": [after]}
    for _ in range(args.rounds - 1):
        rounds["before"].append(run_baseline(args.baseline.resolve(), args, cost_only=True))
        rounds["after"].append(measure_cost(suites, args.repeat))
    lines = ["| checkout | median / mean µs per round | best median | best mean | best p95 | "
             "extractors / all (instrumented mean µs) |", "|---|---|---|---|---|---|"]
    for name, label in (("before", f"before ({args.baseline_label})"), ("after", "after")):
        per_round = ", ".join(f"{r['us_median']:.0f} / {r['us_mean']:.0f}" for r in rounds[name])
        best = min(rounds[name], key=lambda r: r["us_median"])
        best_mean = min(r["us_mean"] for r in rounds[name])
        lines.append(f"| {label} | {per_round} | {best['us_median']:.0f} | {best_mean:.0f} | "
                     f"{best['us_p95']:.0f} | "
                     f"{best['us_extract_mean']:.0f} / {best['us_instrumented_mean']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, action="append",
                        help="suite file (default: every bench/conversations/*.json)")
    parser.add_argument("--simulated", type=int, default=300,
                        help="simulated personas to add (0: none)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the suites")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--baseline-label", help="how the baseline is named in the report")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--rounds", type=int, default=3,
                        help="with --baseline: cost rounds, taking turns")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cost-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.suite = [p.resolve() for p in (args.suite or sorted(SUITES_DIR.glob("*.json")))]
    args.baseline_label = args.baseline_label or str(args.baseline)
    sys.path.insert(0, str(args.code.resolve()))

    if args.cost_only:
        print(json.dumps(measure_cost(load_suites(args.suite), args.repeat)))
        return
    measured = measure(args.suite, args.simulated, args.repeat)
    if args.json:
        for result in measured["results"].values():
            result["misses"] = len(result["misses"])
        print(json.dumps(measured))
        return
    if args.verbose:
        for name, result in measured["results"].items():
            for miss in result["misses"]:
                print(f"[{name}] {miss['id']} {miss['field']}: got {miss['got']!r}, "
                      f"want {miss['want']!r}")
                for text, reply in zip(miss["texts"], miss["replies"], strict=False):
                    print(f"    > {text}\n    < {reply}")
    report = table(measured, "After (this branch)")
    if args.baseline:
        before = run_baseline(args.baseline.resolve(), args)
        report = (table(before, f"Before ({args.baseline_label})") + "\n\n" + report
                  + "\n\nCost per `handle_message`, CPU µs, rounds taking turns:\n\n"
                  + compare_costs(args, before, measured))
    print(report)
    if args.write:
        sys.path.insert(0, str(ROOT))
        from bench.common import machine, write_section

        command = "python bench/accuracy.py" + (
            f" --baseline {args.baseline} --baseline-label '{args.baseline_label}'"
            if args.baseline else "") + " --write"
        write_section("Conversation accuracy (#12)", "accuracy",
                      f"Machine: {machine()}. Command: `{command}` "
                      f"(`--repeat {args.repeat}`, `--simulated {args.simulated}`, "
                      f"`--rounds {args.rounds}`).\n\n{NOTES}\n\n" + report)


if __name__ == "__main__":
    main()
