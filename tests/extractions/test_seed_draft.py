"""The seed article drafts to what `seeds/` holds for it: its claimants, dates, relays and
figures, compared by meaning (names, metric, qualifier, bounds), not by ids. The labels are
the eval corpus's seed item, which a test of the corpus keeps equal to `seeds/`."""

import msgspec
from claimledger_server.extractions.rules import RuleExtractor
from claimledger_server.extractions.schemas import DraftSource

from eval.extraction.corpus_schema import CORPUS, Article
from eval.extraction.drafts import read_draft
from eval.extraction.scoring import score_article
from tests.extractions.seed_registry import SEEDS, seed_gazetteer

SEED_ID = "000_62bc01ecef06bc27"


def _seed_article() -> Article:
    return msgspec.json.decode((CORPUS / "seed-62bc01ecef06bc27.json").read_bytes(), type=Article)


def _draft(article: Article) -> dict[str, object]:
    source = DraftSource(
        title=article.source.title,
        kind=article.source.kind,
        language=article.source.language,
        published_on=article.source.published_on,
    )
    found = RuleExtractor().extract(article.text, source, seed_gazetteer())
    return msgspec.to_builtins(found)  # type: ignore[no-any-return]


def test_the_corpus_item_is_the_seed_article() -> None:
    article = _seed_article()
    assert article.text == (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")


def test_the_seed_drafts_to_its_claims_claimants_dates_relays_and_figures() -> None:
    article = _seed_article()
    score = score_article(article, read_draft(_draft(article)))
    counts = score.counts
    assert score.misses == []
    assert counts.matched_claims == counts.gold_claims == len(article.gold.claims)
    assert counts.attributed == counts.dated == counts.gold_claims
    assert counts.relays_right == counts.relays == 4
    assert counts.found_figures == counts.drafted_figures == counts.gold_figures == 6
    assert counts.distractors_as_figures == 0
    assert set(counts.wrong) == {"accumulation"}  # see the test below


def _figure_key(
    claimant: str | None, subject: str | None, figure: dict[str, object]
) -> tuple[object, ...]:
    fields = ("metric", "qualifier", "amount", "amount_max", "low", "high", "unit")
    period = figure.get("period") or {}
    assert isinstance(period, dict)
    dates = tuple(period.get(name) for name in ("start", "start_precision", "end", "end_precision"))
    return (claimant, subject, *(figure.get(name) for name in fields), dates)


def test_the_seed_drafts_exactly_the_figures_of_seeds() -> None:
    """Every figure the seed holds for the article, with its claimant, and no other: the
    same stated numbers read the same way (what they count, whom, qualifier, bounds, unit,
    period). Accumulation is left out: the seed calls "a few … taken prisoner" neither a
    total nor an incident, which no rule of the text can tell."""
    article = _seed_article()
    draft = msgspec.json.decode(msgspec.json.encode(_draft(article)))
    names = {actor["ref"]: actor["name"] for actor in draft["actors"]}
    drafted = sorted(
        _figure_key(names[claim["claimant_ref"]], names.get(figure["subject_ref"]), figure)
        for claim in draft["claims"]
        for figure in claim["figures"]
    )
    seeded = sorted(
        _figure_key(claim.claimant, figure.subject, msgspec.to_builtins(figure))
        for claim in article.gold.claims
        for figure in claim.figures
    )
    assert drafted == seeded


def test_the_seed_draft_names_registry_actors_by_their_ids() -> None:
    draft = _draft(_seed_article())
    actors = {a["name"]: a for a in draft["actors"]}  # type: ignore[attr-defined]
    assert actors["Volodymyr Zelenskyy"]["actor_id"] is not None
    assert actors["John Kirby"]["actor_id"] is not None
    assert actors["NBC News"]["kind"] == "media_outlet"
