"""The extraction corpus is what its schema and guidelines say: every file decodes, every
quoted phrase is in its article, bounds are the server's, and every number of every article
is labelled (a gold figure or a distractor)."""

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest
from claimledger_server.dates import precision_errors
from claimledger_server.figures.bounds import bounds, consistency_errors
from claimledger_server.figures.schemas import FigureFields, Period

from eval.extraction.corpus_schema import (
    CORPUS,
    VAGUE_BOUNDS,
    Article,
    GoldFigure,
    load_article,
    load_corpus,
)
from eval.extraction.text import normalize_name, numbers_in, occurrences, overlap, span_of

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_62bc01ecef06bc27.ndjson"
SEED_ARTICLE = "seed-62bc01ecef06bc27"
ARTICLES = load_corpus()
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def by_id(article: Article) -> str:
    return article.id


def test_the_corpus_is_large_varied_and_split() -> None:
    written = [a for a in ARTICLES if a.id != SEED_ARTICLE]
    assert len(written) >= 50
    assert len({a.conflict for a in written}) >= 8
    built_on = [a for a in ARTICLES if a.split in ("dev", "test")]
    dev = sum(a.split == "dev" for a in built_on)
    assert 0.6 <= dev / len(built_on) <= 0.72, dev
    for split in ("test", "holdout", "unseen"):
        assert all(
            Counter(a.split for a in written if a.conflict == c)[split] >= 1
            for c in {"russia-ukraine", "israel-gaza", "sudan"}
        ), split
    for split, size in (
        ("holdout", 12),
        ("unseen", 8),
        ("fresh", 10),
        ("later", 10),
        ("blind", 12),
        ("newest", 12),
        ("recent", 12),
        ("sealed", 12),
        ("untouched", 12),
        ("unopened", 12),
        ("unvisited", 12),
        ("unread", 12),
        ("unheard", 12),
        ("untried", 12),
        ("unasked", 12),
        ("unsought", 12),
        ("unbidden", 12),
        ("unscripted", 12),
        ("unheralded", 12),
        ("unannounced", 12),
    ):
        articles = [a for a in written if a.split == split]
        assert len(articles) >= size, split
        assert len({a.conflict for a in articles}) >= 8, split


def test_every_file_decodes_strictly_under_its_own_name() -> None:
    paths = sorted(CORPUS.glob("*.json"))
    assert [path.stem for path in paths] == [a.id for a in ARTICLES]
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.json.decode(
            paths[0].read_bytes().replace(b'"gold": {', b'"gold": {"extra": 1, ', 1),
            type=Article,
        )
    for path in paths:
        assert load_article(path).id == path.stem


@pytest.mark.parametrize("article", ARTICLES, ids=by_id)
def test_articles_are_short_news(article: Article) -> None:
    assert 120 <= len(article.text.split()) <= 400
    assert article.gold.claims


@pytest.mark.parametrize("article", ARTICLES, ids=by_id)
def test_quoted_passages_are_in_the_text(article: Article) -> None:
    text = article.text
    for claim in article.gold.claims:
        assert text.count(claim.evidence) == 1, claim.evidence
        for figure in claim.figures:
            assert text.count(figure.text) == 1, figure.text
            assert figure.text in claim.evidence, figure.text


@pytest.mark.parametrize("article", ARTICLES, ids=by_id)
def test_every_name_is_an_actor_known_by_its_names_alone(article: Article) -> None:
    actors = {actor.name for actor in article.gold.actors}
    owners: dict[str, str] = {}
    for actor in article.gold.actors:
        for name in {normalize_name(n) for n in [actor.name, *actor.aliases]}:
            assert name, actor.name
            assert owners.setdefault(name, actor.name) == actor.name, (name, actor.name)
    for claim in article.gold.claims:
        named = [claim.claimant, *claim.co_claimants, *claim.via, claim.relayed_by]
        named += [figure.subject for figure in claim.figures]
        assert {n for n in named if n is not None} <= actors
        assert claim.claimant not in claim.co_claimants


def derived_bounds(figure: GoldFigure) -> tuple[int | None, int | None]:
    fields = FigureFields(
        claim_id="clm_corpus",
        metric=figure.metric,
        qualifier=figure.qualifier,
        amount=figure.amount,
        amount_max=figure.amount_max,
        low=figure.low if figure.qualifier == "vague" else None,
        high=figure.high if figure.qualifier == "vague" else None,
        unit=figure.unit,
        period=figure.period,
    )
    assert consistency_errors(fields) == [], figure.text
    return bounds(fields)


@pytest.mark.parametrize("article", ARTICLES, ids=by_id)
def test_figures_have_the_server_bounds_and_their_own_numbers(article: Article) -> None:
    for claim in article.gold.claims:
        for figure in claim.figures:
            assert (figure.low, figure.high) == derived_bounds(figure), figure.text
            assert SLUG.match(figure.unit), figure.unit
            stated = numbers_in(figure.text)
            assert set(stated) <= {figure.amount, figure.amount_max}, figure.text
            if stated:
                assert figure.amount in stated, figure.text
            if figure.qualifier == "vague":
                words = figure.text.lower()
                assert any(
                    phrase in words and VAGUE_BOUNDS[phrase] == (figure.low, figure.high)
                    for phrase in VAGUE_BOUNDS
                ), figure.text


@pytest.mark.parametrize("article", ARTICLES, ids=by_id)
def test_dates_are_well_formed_and_not_after_publication(article: Article) -> None:
    published = article.source.published_on
    for claim in article.gold.claims:
        assert not precision_errors(
            "stated_on", claim.stated_on, "stated_on_precision", claim.stated_on_precision
        ), claim.evidence
        assert claim.stated_on is None or claim.stated_on <= published, claim.evidence
        for figure in claim.figures:
            period = figure.period
            if period is not None and period.end is not None:
                assert period.end <= published, figure.text


@pytest.mark.parametrize("article", ARTICLES, ids=by_id)
def test_every_number_is_labelled_once(article: Article) -> None:
    """Each run of digits is inside a gold figure's phrase or a distractor; distractors
    neither overlap each other nor a figure."""
    text = article.text
    figures = [
        span
        for claim in article.gold.claims
        for figure in claim.figures
        if (span := span_of(text, figure.text)) is not None
    ]
    distractors = []
    for phrase in article.gold.distractors:
        found = occurrences(text, phrase)
        assert found, phrase
        distractors += found
    for i, a in enumerate(distractors):
        assert not any(overlap(a, b) for b in distractors[i + 1 :]), text[a[0] : a[1]]
        assert not any(overlap(a, f) for f in figures), text[a[0] : a[1]]
    for digits in re.finditer(r"\d+", text):
        span = (digits.start(), digits.end())
        context = text[max(0, span[0] - 30) : span[1] + 30]
        assert any(overlap(span, s) == span[1] - span[0] for s in figures + distractors), context


def _seed_lines() -> list[dict[str, Any]]:
    return [msgspec.json.decode(line) for line in SEED.read_bytes().splitlines() if line]


def _seed_gold() -> list[dict[str, Any]]:
    """The seed's claims as the corpus states them: names for references, the seed article's
    citation for the relay and the evidence, bounds derived."""
    lines = _seed_lines()
    names = {line["external_id"]: line["data"]["name"] for line in lines if line["kind"] == "actor"}

    def name(ref: str | None) -> str | None:
        return None if ref is None else names[ref.removeprefix("ext:")]

    claims = []
    for line in (line for line in lines if line["kind"] == "claim"):
        data = line["data"]
        [cited] = [c for c in data["citations"] if c["source_id"] == "ext:source:seed-article"]
        figures = []
        for fig in (f["data"] for f in lines if f["kind"] == "figure"):
            if fig["claim_id"] != "ext:" + line["external_id"]:
                continue
            gold = GoldFigure(
                text=fig["text"],
                metric=fig["metric"],
                qualifier=fig["qualifier"],
                amount=fig.get("amount"),
                amount_max=fig.get("amount_max"),
                low=fig.get("low"),
                high=fig.get("high"),
                unit=fig.get("unit", "people"),
                accumulation=fig.get("accumulation", "unknown"),
                subject=name(fig.get("subject_id")),
                period=msgspec.convert(fig["period"], Period) if "period" in fig else None,
            )
            gold.low, gold.high = derived_bounds(gold)
            figures.append(msgspec.to_builtins(gold))
        claims.append(
            {
                "claimant": name(data["claimant_id"]),
                "co_claimants": [name(a) for a in data.get("co_claimant_ids", [])],
                "relayed_by": name(cited.get("relayed_by_id")),
                "stated_on": data.get("stated_on"),
                "stated_on_precision": data.get("stated_on_precision"),
                "evidence": cited["quote"],
                "figures": figures,
            }
        )
    return claims


def test_the_seed_article_is_labelled_as_the_seed_holds_it() -> None:
    [seed] = [a for a in ARTICLES if a.id == SEED_ARTICLE]
    lines = _seed_lines()
    [source] = [line["data"] for line in lines if line["external_id"] == "source:seed-article"]
    assert hashlib.sha256(seed.text.encode()).hexdigest() == source["content_sha256"]
    actors = {a.name: a for a in seed.gold.actors}
    for line in (line["data"] for line in lines if line["kind"] == "actor"):
        assert set(line.get("aliases", [])) <= set(actors[line["name"]].aliases)
        assert actors.pop(line["name"]).kind == line["kind"]
    assert not actors
    keys = (
        "claimant",
        "co_claimants",
        "relayed_by",
        "stated_on",
        "stated_on_precision",
        "evidence",
        "figures",
    )
    stated = [
        {k: v for k, v in msgspec.to_builtins(claim).items() if k in keys}
        for claim in seed.gold.claims
    ]
    assert stated == _seed_gold()
