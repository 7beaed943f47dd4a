"""Field accuracy of the bot on whole seller conversations, and its cost per message.

    python bench/accuracy.py [--suite bench/conversations/fresh_en.json ...] [--simulated 300]
                             [--repeat 5] [--verbose] [--baseline /work/main] [--write]

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
(``seller_bot.personas``) made fully clear (every answer phrased readably, every seller goes
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
# What each persona timeline phrase means, counted from START (seller_bot.personas.TIMELINES).
SIMULATED_TIMELINE_DAYS = (7, 7, 0, 14, 30, 31, 60, 45, 75, 90, 202, 30, 180, 180, 180)


def timeline_ok(got: int | None, want: int | None) -> bool:
    """Within 10% or 3 days of the expectation, whichever is wider."""
    if got is None or want is None:
        return got is want
    return abs(got - want) <= max(3, want * 0.10)


def named_city(address: str | None) -> str | None:
    """The Inland Empire city an address names, or None."""
    from seller_bot.extract.address import INLAND_EMPIRE_CITIES

    low = (address or "").lower()
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
    from seller_bot import personas

    out = []
    for i in range(count):
        rng = random.Random(f"{seed}-{i}")
        persona = dataclasses.replace(personas.make_persona(rng, i), clarity=1.0,
                                      ending="book", quits_at=None)
        out.append({"id": f"sim{i:03d}", "persona": persona, "rng": rng, "want": {
            "condition": persona.home.condition, "price_expectation": persona.home.price,
            "motivation": persona.motivation,
            "timeline_days": SIMULATED_TIMELINE_DAYS[persona.timeline],
            "city": persona.home.city.name, "language": getattr(persona, "language", "en")}})
    return out


def play_simulated(runner: Runner, entries: list[dict], max_turns: int = 14) -> dict:
    """Interactive persona conversations scored on what the persona knows."""
    from seller_bot import personas

    right = dict.fromkeys(SIMULATED_FIELDS, 0)
    invented = dict.fromkeys(SIMULATED_FIELDS, 0)
    misses = []
    # Newer sellers answer the question the bot waits on (``asking``), older ones its words.
    with_asking = "asking" in inspect.signature(personas.SimulatedSeller.respond).parameters
    for e in entries:
        seller = personas.SimulatedSeller(e["persona"], random.Random(e["id"]),
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
            text = (seller.respond(reply, conv.stage, conv.asking) if with_asking
                    else seller.respond(reply, conv.stage))
        got = actual(conv)
        said = " ".join(texts).lower()
        city = e["persona"].home.city
        if city.name.lower() not in said and not any(z in said for z in city.zips):
            # The persona named no city (only a street): the address must not name one.
            e["want"]["city"] = None
            got["city"] = named_city(conv.address)
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
        "us_p95": timings[int(len(timings) * 0.95)] / 1000 if timings else None,
        "us_wall_mean": statistics.fmean(runner.wall_ns) / 1000 if timings else None,
    }


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
        lines.append(f"| {name} | {result['conversations']} | " + " | ".join(cells)
                     + f" | {right}/{total} ({right / total:.1%}) | {invented} |")
    lines.append("")
    lines.append(f"Cost per `handle_message` (CPU time, {measured['messages_timed']} calls): "
                 f"median {measured['us_median']:.0f} µs, p95 {measured['us_p95']:.0f} µs; "
                 f"mean wall time {measured['us_wall_mean']:.0f} µs.")
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
    lines = ["| checkout | median µs per round | best median | best p95 |", "|---|---|---|---|"]
    for name, label in (("before", f"before ({args.baseline})"), ("after", "after")):
        medians = [r["us_median"] for r in rounds[name]]
        best = min(rounds[name], key=lambda r: r["us_median"])
        lines.append(f"| {label} | {', '.join(f'{m:.0f}' for m in medians)} | "
                     f"{best['us_median']:.0f} | {best['us_p95']:.0f} |")
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
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--rounds", type=int, default=3,
                        help="with --baseline: cost rounds, taking turns")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cost-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.suite = [p.resolve() for p in (args.suite or sorted(SUITES_DIR.glob("*.json")))]
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
        report = (table(before, f"Before ({args.baseline})") + "\n\n" + report
                  + "\n\nCost per `handle_message`, CPU µs, rounds taking turns:\n\n"
                  + compare_costs(args, before, measured))
    print(report)
    if args.write:
        sys.path.insert(0, str(ROOT))
        from bench.common import machine, write_section

        command = "python bench/accuracy.py" + (f" --baseline {args.baseline}"
                                                if args.baseline else "") + " --write"
        write_section("Conversation accuracy (#12)", "accuracy",
                      f"Machine: {machine()}. Command: `{command}` "
                      f"(`--repeat {args.repeat}`, `--simulated {args.simulated}`).\n\n"
                      + report)


if __name__ == "__main__":
    main()
