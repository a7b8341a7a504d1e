"""CPU time of the rule-based extractor on a 1,000-word article (issue 12: ≤ 100 ms).

The article is the eval corpus's articles joined until 1,000 words (the text a drafting
process receives); the gazetteer is the seed registry plus 2,000 further actors, so the
registry's size counts too. Prints the median and the worst of the runs, in ms of process
CPU time (`time.process_time`), after a warm-up run.

    .venv/bin/python bench/extractor_cpu.py [--runs 50]
"""

import argparse
import itertools
import json
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimledger_server.extractions.gazetteer import Gazetteer, KnownActor  # noqa: E402
from claimledger_server.extractions.rules import RuleExtractor  # noqa: E402
from claimledger_server.extractions.schemas import DraftSource  # noqa: E402

BUDGET_MS = 100.0
WORDS = 1000


def article(words: int = WORDS) -> str:
    """The corpus's articles, one after another, cut after the `words`-th word."""
    texts = [
        json.loads(path.read_text(encoding="utf-8"))["text"]
        for path in sorted((ROOT / "eval/extraction/corpus").glob("*.json"))
    ]
    joined = "\n\n".join(texts * (1 + words // 200))
    last = list(itertools.islice(re.finditer(r"\S+", joined), words))[-1]
    return joined[: last.end()]


def gazetteer() -> Gazetteer:
    actors = []
    for line in (ROOT / "seeds/000_62bc01ecef06bc27.ndjson").read_text().splitlines():
        record = json.loads(line)
        if record["kind"] == "actor":
            data = record["data"]
            aliases = tuple(data.get("aliases", ()))
            actors.append(KnownActor(f"act_{len(actors)}", data["name"], aliases, data.get("kind"), False))
    for i in range(2000):
        actors.append(KnownActor(f"act_x{i}", f"Person{i} Surname{i}", (f"Surname{i}",), "person", False))
    return Gazetteer(actors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    text, registry = article(), gazetteer()
    source = DraftSource(published_on=date(2025, 1, 28))
    extractor = RuleExtractor()
    extractor.extract(text, source, registry)  # warm-up: regex compilation, imports
    times = []
    for _ in range(args.runs):
        started = time.process_time()
        found = extractor.extract(text, source, registry)
        times.append((time.process_time() - started) * 1000)
    median, worst = statistics.median(times), max(times)
    figures = sum(len(c.figures) for c in found.claims)
    print(
        f"{len(text.split())} words, {len(found.claims)} claims, {figures} figures: "
        f"median {median:.1f} ms, worst {worst:.1f} ms of CPU (budget {BUDGET_MS:.0f} ms)"
    )
    return 0 if median <= BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
