"""The extraction scorer: the gold scores full marks, and each kind of mistake costs exactly
what the scoring rules say."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eval.extraction import server_extractor
from eval.extraction.corpus_schema import (
    SPLITS,
    Article,
    ArticleSource,
    Gold,
    GoldActor,
    GoldClaim,
    GoldFigure,
    load_corpus,
)
from eval.extraction.drafts import DraftError, gold_draft, read_draft
from eval.extraction.score import MARKER, UNSEEN, main, record, total
from eval.extraction.scoring import Counts, score_article

TEXT = (
    "Strikes on the city killed at least 12 people and wounded 40 others, Governor Ivan"
    " Petrenko said on Monday. The army said it had lost more than 30 soldiers of the 155th"
    " Brigade since 2023, and that about 500 residents had fled."
)


def figure(
    text: str,
    metric: str,
    qualifier: str,
    amount: int,
    low: int,
    high: int | None,
) -> GoldFigure:
    return GoldFigure(
        text=text, metric=metric, qualifier=qualifier, amount=amount, low=low, high=high
    )


ARTICLE = Article(
    id="synthetic",
    conflict="russia-ukraine",
    split="dev",
    text=TEXT,
    source=ArticleSource(publisher=None, published_on=date(2025, 3, 5)),
    gold=Gold(
        actors=[
            GoldActor(name="Ivan Petrenko", kind="person", aliases=["Governor Ivan Petrenko"]),
            GoldActor(name="Ukrainian army", kind="armed_force", aliases=["army"]),
            GoldActor(name="Kyiv Post", kind="media_outlet"),
        ],
        claims=[
            GoldClaim(
                claimant="Ivan Petrenko",
                stated_on=date(2025, 3, 3),
                stated_on_precision="day",
                evidence="Strikes on the city killed at least 12 people and wounded 40 others,"
                " Governor Ivan Petrenko said on Monday",
                figures=[
                    figure("killed at least 12 people", "killed", "at_least", 12, 12, None),
                    figure("wounded 40 others", "wounded", "exact", 40, 40, 40),
                ],
            ),
            GoldClaim(
                claimant="Ukrainian army",
                stated_on=date(2025, 3, 5),
                stated_on_precision="day",
                evidence="The army said it had lost more than 30 soldiers of the 155th Brigade"
                " since 2023, and that about 500 residents had fled",
                figures=[
                    figure(
                        "lost more than 30 soldiers", "killed_or_wounded", "more_than", 30, 31, None
                    ),
                    figure(
                        "about 500 residents had fled", "displaced", "approximately", 500, 450, 550
                    ),
                ],
            ),
        ],
        distractors=["155th", "2023"],
    ),
)


def scored(draft: dict[str, Any], article: Article = ARTICLE) -> Counts:
    return score_article(article, read_draft(draft)).counts


def span(phrase: str) -> dict[str, int]:
    start = TEXT.index(phrase)
    return {"start": start, "end": start + len(phrase)}


def test_the_gold_itself_scores_full_marks_on_the_whole_corpus() -> None:
    articles = load_corpus()
    counts = Counts()
    for article in articles:
        result = score_article(article, read_draft(gold_draft(article)))
        assert result.misses == [], article.id
        counts += result.counts
    assert counts.gold_figures == counts.found_figures == counts.drafted_figures > 200
    assert (counts.f1, counts.attribution, counts.stated_on, counts.relay) == (1, 1, 1, 1)
    assert counts.distractors > 100
    assert counts.distractors_as_figures == 0


def test_a_wrong_qualifier_and_a_distractor_figure_cost_exactly_their_share() -> None:
    draft = gold_draft(ARTICLE)
    first = draft["claims"][0]["figures"][0]
    first.update(qualifier="more_than", low=13)  # "at least 12" read as "more than 12"
    army = draft["claims"][1]
    army["figures"].append(
        {
            **army["figures"][0],
            "amount": 155,
            "qualifier": "exact",
            "low": 155,
            "high": 155,
            "text": "155th",
            "span": span("155th"),
        }
    )
    counts = scored(draft)
    assert (counts.gold_figures, counts.drafted_figures, counts.found_figures) == (4, 5, 3)
    assert counts.precision == 3 / 5
    assert counts.recall == 3 / 4
    assert counts.f1 == pytest.approx(2 / 3)
    assert (counts.distractors, counts.distractors_as_figures) == (2, 1)
    assert counts.wrong == {"qualifier": 1, "low": 1}
    assert (counts.attribution, counts.stated_on) == (1, 1)


def test_the_same_perturbation_on_the_corpus_costs_one_figure_and_one_distractor() -> None:
    articles = load_corpus()
    scores = []
    for article in articles:
        draft = gold_draft(article)
        if article.id == "sahel-03":
            claim = draft["claims"][0]
            claim["figures"][0].update(qualifier="approximately", low=26, high=32)
            start = article.text.index("12th")
            claim["figures"].append(
                {
                    **claim["figures"][0],
                    "amount": 12,
                    "qualifier": "exact",
                    "low": 12,
                    "high": 12,
                    "span": {"start": start, "end": start + 4},
                }
            )
        scores.append(score_article(article, read_draft(draft)))
    counts = total(scores)
    gold = counts.gold_figures
    assert (counts.drafted_figures, counts.found_figures) == (gold + 1, gold - 1)
    assert counts.f1 == pytest.approx(2 * (gold - 1) / (2 * gold + 1))
    assert counts.distractors_as_figures == 1
    assert total(scores, "dev").f1 == 1.0
    assert total(scores, "test").found_figures == total(scores, "test").gold_figures - 1


def test_a_figure_given_to_the_wrong_claimant_is_not_found() -> None:
    draft = gold_draft(ARTICLE)
    draft["claims"][0]["claimant_ref"] = draft["claims"][1]["claimant_ref"]
    counts = scored(draft)
    assert (counts.found_figures, counts.attributed, counts.gold_claims) == (2, 1, 2)
    assert counts.wrong == {"claimant": 2}


def test_claimants_match_by_alias_and_as_a_set() -> None:
    draft = gold_draft(ARTICLE)
    draft["actors"][0]["name"] = "Petrenko"  # not one of his gold names
    assert scored(draft).attributed == 1
    draft["actors"][0]["name"] = "the governor Ivan Petrenko's"  # an alias, as names compare
    draft["claims"][1]["co_claimant_refs"] = [draft["claims"][0]["claimant_ref"]]
    counts = scored(draft)
    assert (counts.attributed, counts.found_figures) == (1, 2)


def test_dates_count_with_their_precision_and_relays_only_where_named() -> None:
    draft = gold_draft(ARTICLE)
    draft["claims"][0]["stated_on_precision"] = "month"
    draft["claims"][1]["relayed_by_ref"] = draft["actors"][2]["ref"]
    counts = scored(draft)
    assert (counts.dated, counts.relays, counts.relays_right) == (1, 1, 0)


def test_a_figure_whose_phrase_holds_a_distractor_is_one_only_if_it_takes_its_number() -> None:
    draft = gold_draft(ARTICLE)
    wide = span("lost more than 30 soldiers of the 155th Brigade")
    draft["claims"][1]["figures"][0]["span"] = wide
    assert scored(draft).distractors_as_figures == 0
    draft["claims"][1]["figures"][0].update(amount=155, low=156)
    counts = scored(draft)
    assert (counts.distractors_as_figures, counts.found_figures) == (1, 3)


def test_missing_claims_and_figures_count_against_recall_only() -> None:
    draft = gold_draft(ARTICLE)
    del draft["claims"][1]
    counts = scored(draft)
    assert (counts.precision, counts.recall, counts.claims_found) == (1.0, 0.5, 0.5)
    assert counts.attribution == 0.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"claimant_ref": "nobody"}, "claims[0].claimant_ref 'nobody' is not an actor's ref"),
        ({"spans": [{"start": 5, "end": 2}]}, "claims[0] has a span from 5 to 2"),
        ({"figures": [{"metric": "killed"}]}, "not a draft"),
    ],
)
def test_unreadable_drafts_are_refused_with_the_reason(
    change: dict[str, Any], message: str
) -> None:
    draft = gold_draft(ARTICLE)
    draft["claims"][0].update(change)
    with pytest.raises(DraftError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_draft(draft)


def test_results_are_prepended_below_the_header(tmp_path: Path) -> None:
    path = tmp_path / "results.md"
    path.write_text(f"# Results\n\nintro\n\n{MARKER}\n", encoding="utf-8")
    scores = [score_article(ARTICLE, read_draft(gold_draft(ARTICLE)))]
    record(scores, [ARTICLE], "first", 1.0, path)
    record(scores, [ARTICLE], "second", 1.0, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# Results\n\nintro\n\n{MARKER}\n\n## ")
    assert text.index("extractor: second") < text.index("extractor: first")
    verdicts = " / ".join(["PASS"] * (1 + len(UNSEEN)))  # the whole corpus, each split judged
    row = "| figure F1 | " + "1.000 | " * (len(SPLITS) + 1) + f"≥ 0.90 | {verdicts} |"
    assert row in text


def test_without_an_extractions_route_nothing_is_scored(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    server_dsn: str,
) -> None:
    monkeypatch.setenv("EVAL_DATABASE_URL", server_dsn)
    monkeypatch.setattr(server_extractor, "EXTRACTIONS", "/v1/no-such-route")
    results = tmp_path / "results.md"
    assert main(["--results", str(results)]) == 2
    assert "POST /v1/no-such-route does not exist in this server" in capsys.readouterr().err
    assert not results.exists()


def test_the_server_path_drafts_through_the_api(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    server_dsn: str,
) -> None:
    """Through the server's own `POST /v1/extractions`, the harness makes its database,
    sends each article with its source (the publisher as a registry actor), and records
    the scores of what came back (the extractor's quality is measured, not asserted)."""
    articles = {article.text: article for article in load_corpus()}
    received: list[dict[str, Any]] = []
    extract = server_extractor._extract

    async def recorded(client: Any, publishers: Any, text: str, source: Any) -> dict[str, Any]:
        draft = await extract(client, publishers, text, source)
        received.append({"text": text, "source": draft["source"]})
        return draft

    monkeypatch.setenv("EVAL_DATABASE_URL", server_dsn)
    monkeypatch.setattr(server_extractor, "_extract", recorded)
    results = tmp_path / "results.md"
    assert main(["--results", str(results)]) == 0
    assert "| figure F1 |" in capsys.readouterr().out
    assert "extractor: server" in results.read_text(encoding="utf-8")
    assert len(received) == len(articles)
    by_text = {body["text"]: body["source"] for body in received}
    for text, article in articles.items():
        source = by_text[text]
        assert source["published_on"] == article.source.published_on.isoformat()
        assert (source.get("publisher_id") is not None) == (article.source.publisher is not None)
    publishers = {by_text[t]["publisher_id"] for t, a in articles.items() if a.source.publisher}
    assert len(publishers) == len({a.source.publisher for a in articles.values()} - {None})
