"""`make eval-extraction`: draft every article of the corpus with an extractor, score the
drafts against the gold labels, print the scores per split, and prepend them to
`eval/extraction/results.md`.

An extractor is a callable `extract(text: str, source: dict) -> dict` returning a draft
shaped like the answer of `POST /v1/extractions` (an `async def` works too). The default,
`server`, is the server's own `POST /v1/extractions` on a fresh database; `gold` returns the
labels themselves (full marks: a check of the scorer); `package.module:function` names any
other.

    .venv/bin/python -m eval.extraction.score                    # the server's extractor
    .venv/bin/python -m eval.extraction.score --details          # and what it got wrong (dev)
    .venv/bin/python -m eval.extraction.score --details holdout  # ... in another split
    .venv/bin/python -m eval.extraction.score --extractor my.module:extract --no-record
"""

import argparse
import asyncio
import importlib
import inspect
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import msgspec

from eval.extraction.corpus_schema import SPLITS, Article, load_corpus
from eval.extraction.drafts import DraftError, gold_draft, read_draft
from eval.extraction.scoring import DIAGNOSED, ArticleScore, Counts, score_article
from eval.extraction.server_extractor import (
    ExtractionFailed,
    ExtractorUnavailable,
    server_extractor,
)

ROOT: Final = Path(__file__).resolve().parents[2]
RESULTS: Final = Path(__file__).resolve().parent / "results.md"
MARKER: Final = "<!-- runs below: newest first -->"
Extract = Callable[[str, dict[str, Any]], Any]


@dataclass(frozen=True)
class Target:
    label: str
    measure: Callable[[Counts], float]
    at_least: float | None = None
    at_most: float | None = None

    @property
    def goal(self) -> str:
        if self.at_least is not None:
            return f"≥ {self.at_least:.2f}"
        return "0" if self.at_most == 0 else f"≤ {self.at_most:g}"

    def met(self, counts: Counts) -> bool:
        value = self.measure(counts)
        if self.at_least is not None and value < self.at_least:
            return False
        return self.at_most is None or value <= self.at_most


TARGETS: Final = (
    Target("figure F1", lambda c: c.f1, at_least=0.90),
    Target("claimant attribution", lambda c: c.attribution, at_least=0.90),
    Target("stated_on (value and precision)", lambda c: c.stated_on, at_least=0.85),
    Target("distractors turned into figures", lambda c: c.distractors_as_figures, at_most=0),
)
"""Issue 12's targets on the corpus."""
UNSEEN: Final = tuple(split for split in SPLITS if split != "dev")
"""The splits an extractor's author was not fitted to when they were written (every one but
`dev`): its verdicts say how it generalises."""
REPORTED: Final = (
    ("figure precision", lambda c: c.precision),
    ("figure recall", lambda c: c.recall),
    ("relay accuracy", lambda c: c.relay),
    ("claims found", lambda c: c.claims_found),
)


def total(scores: list[ArticleScore], split: str | None = None) -> Counts:
    counts = Counts()
    for score in scores:
        if split is None or score.article.split == split:
            counts += score.counts
    return counts


def _cell(value: float) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table(scores: list[ArticleScore]) -> str:
    """The scores per split and on the whole corpus as a Markdown table: targets first, then
    the rest. The verdicts are for the whole corpus and for each split the extractor was not
    built on (`test`, `holdout`, `unseen`, `fresh`, `later`, `blind`, `newest`,
    `recent`, `sealed`, `untouched`, `unopened`, `unvisited`, `unread`, `unheard`, `untried`,
    `unasked`, `unsought`, `unbidden`, `unscripted`, `unheralded`, `unannounced`)."""
    columns = {split: total(scores, split) for split in SPLITS} | {"all": total(scores)}
    judged = ("all", *UNSEEN)
    head = f"| measure | {' | '.join(columns)} | target | result ({' / '.join(judged)}) |"
    lines = [head, "|---|" + "---:|" * len(columns) + "---|---|"]
    for target in TARGETS:
        cells = " | ".join(_cell(target.measure(counts)) for counts in columns.values())
        verdicts = " / ".join(
            "PASS" if target.met(columns[split]) else "**MISS**" for split in judged
        )
        lines.append(f"| {target.label} | {cells} | {target.goal} | {verdicts} |")
    for label, value in REPORTED:
        cells = " | ".join(_cell(value(counts)) for counts in columns.values())
        lines.append(f"| {label} | {cells} | — | reported |")
    rows = (
        ("gold figures / drafted / found", "gold_figures", "drafted_figures", "found_figures"),
        (
            "gold claims / matched / attributed / dated",
            "gold_claims",
            "matched_claims",
            "attributed",
            "dated",
        ),
        ("relayed claims / right", "relays", "relays_right"),
        ("distractor occurrences / drafted as figures", "distractors", "distractors_as_figures"),
    )
    for label, *names in rows:
        cells = " | ".join(
            " / ".join(str(getattr(counts, name)) for name in names) for counts in columns.values()
        )
        lines.append(f"| {label} | {cells} | — | counts |")
    return "\n".join(lines)


def diagnosis(scores: list[ArticleScore], split: str = "dev") -> str:
    counts = total(scores, split)
    wrong = ", ".join(f"{name} {counts.wrong[name]}" for name in DIAGNOSED if counts.wrong[name])
    return (
        f"Of {counts.paired_figures} {split} figures paired with a drafted one, wrong fields:"
        f" {wrong or 'none'}."
    )


def corpus_line(articles: list[Article]) -> str:
    splits = ", ".join(f"{sum(a.split == split for a in articles)} {split}" for split in SPLITS)
    claims = sum(len(a.gold.claims) for a in articles)
    figures = sum(len(c.figures) for a in articles for c in a.gold.claims)
    distractors = sum(len(a.gold.distractors) for a in articles)
    return (
        f"{len(articles)} articles ({splits}), {claims} claims,"
        f" {figures} figures, {distractors} distractor phrases"
    )


def _source_revision() -> str:
    """The commit scored, and whether the tree differed from it."""
    git = shutil.which("git")
    if git is None:
        return "unknown (no git)"

    def ask(*args: str) -> str:
        answer = subprocess.run(  # noqa: S603  (fixed arguments)
            [git, *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return answer.stdout.strip()

    commit = ask("rev-parse", "HEAD") or "unknown"
    dirty = " with uncommitted changes" if ask("status", "--porcelain") else ""
    return f"`{commit}`{dirty}"


def record(
    scores: list[ArticleScore],
    articles: list[Article],
    extractor: str,
    seconds: float,
    path: Path = RESULTS,
) -> None:
    """Prepend this run to `path`, below its header."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(
        [
            f"## {now} — extractor: {extractor}",
            "",
            f"- source: {_source_revision()}",
            f"- corpus: {corpus_line(articles)}",
            f"- drafting and scoring took {seconds:.1f} s",
            "",
            table(scores),
            "",
            *(diagnosis(scores, split) for split in SPLITS),
            "",
        ]
    )
    old = path.read_text(encoding="utf-8") if path.exists() else "# Extraction results\n"
    head, marker, runs = old.partition(MARKER)
    if not marker:  # a file without the marker keeps all it has above the runs
        head, runs = old, ""
    runs = runs.strip("\n")
    text = f"{head.rstrip()}\n\n{MARKER}\n\n{section}" + (f"\n{runs}\n" if runs else "")
    path.write_text(text, encoding="utf-8")


async def draft_all(articles: list[Article], extract: Extract) -> list[ArticleScore]:
    """Every article drafted by `extract` and scored; `DraftError` names the article whose
    draft cannot be read."""
    scores = []
    for article in articles:
        source = msgspec.to_builtins(article.source)
        answer = extract(article.text, source)
        if inspect.isawaitable(answer):
            answer = await answer
        try:
            draft = read_draft(answer)
        except DraftError as error:
            raise DraftError(f"{article.id}: {error}") from None
        scores.append(score_article(article, draft))
    return scores


def _by_gold(articles: list[Article]) -> Extract:
    drafts = {article.text: gold_draft(article) for article in articles}
    return lambda text, source: drafts[text]


def _named(spec: str) -> Extract:
    module, _, name = spec.partition(":")
    if not name:
        raise SystemExit(f"--extractor {spec!r}: write it as package.module:function")
    found: Extract = getattr(importlib.import_module(module), name)
    return found


@contextmanager
def _server_dsn() -> Iterator[str]:
    """The PostgreSQL server to make the evaluation database on: `EVAL_DATABASE_URL`, else
    `TEST_DATABASE_URL`, else the embedded server (started for the run)."""
    if url := os.environ.get("EVAL_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    from claimledger_server.db.embedded import EmbeddedPostgres

    with EmbeddedPostgres(ROOT / ".data" / "eval-pg") as server:
        yield server.start()


@asynccontextmanager
async def _extractor(spec: str, articles: list[Article]) -> AsyncIterator[Extract]:
    if spec == "gold":
        yield _by_gold(articles)
    elif spec == "server":
        with _server_dsn() as dsn:
            async with server_extractor(dsn) as extract:
                yield extract
    else:
        yield _named(spec)


async def run(spec: str, articles: list[Article]) -> list[ArticleScore]:
    async with _extractor(spec, articles) as extract:
        return await draft_all(articles, extract)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--extractor", default="server", help="server (default), gold, or package.module:function"
    )
    parser.add_argument(
        "--details",
        choices=SPLITS,
        nargs="?",
        const="dev",
        help="list what went wrong in each article of a split (default dev)",
    )
    parser.add_argument(
        "--record",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="prepend the scores to results.md (default: only for server)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target is missed on the whole corpus"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    articles = load_corpus()
    started = time.monotonic()
    try:
        scores = asyncio.run(run(args.extractor, articles))
    except ExtractorUnavailable as error:
        print(f"eval-extraction: {error}", file=sys.stderr)
        return 2
    except (ExtractionFailed, DraftError) as error:
        print(f"eval-extraction: the extractor failed, nothing is scored: {error}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started

    print(f"extractor: {args.extractor}; corpus: {corpus_line(articles)}\n")
    print(table(scores))
    print("\n" + "\n".join(diagnosis(scores, split) for split in SPLITS))
    if args.details:
        for score in scores:
            if score.article.split == args.details and score.misses:
                print(f"\n{score.article.id}:")
                for miss in score.misses:
                    print(f"  - {miss}")
    if args.record if args.record is not None else args.extractor == "server":
        record(scores, articles, args.extractor, seconds, args.results)
        print(f"\nrecorded in {args.results}")
    if args.check and not all(target.met(total(scores)) for target in TARGETS):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
