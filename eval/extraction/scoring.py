"""Scoring one draft against its article's gold.

Figures: every gold figure is paired with at most one drafted figure, greedily, best pairs
first (most of claimant, metric, qualifier, low and high right; then unit and
accumulation; then the longest overlap of the drafted span with the gold phrase). A pair is
considered only when the spans overlap or those five fields all agree. A figure counts as
found only if the five fields are all right; precision is over every drafted figure.

Claims: each gold claim is compared with the drafted claim that shares most paired figures
with it, else that overlaps its evidence most, else that names the same claimants (several
gold claims may meet the same drafted claim: how a text is cut into claims is not scored); a
gold claim no drafted claim meets is wrong in attribution and in `stated_on`. Claimants are
compared as sets (claimant and co-claimants), by name, through the gold actors' names and
aliases. Relays are scored on the claims where the gold or the draft names one.

Distractors: an occurrence of a distractor phrase counts as turned into a figure when a
drafted figure's span overlaps it and that figure either overlaps no gold figure's phrase
or takes its amount from the distractor."""

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Final

from eval.extraction.corpus_schema import Article, GoldClaim, GoldFigure
from eval.extraction.drafts import Draft, DraftClaim, DraftFigure, Span
from eval.extraction.text import normalize_name, numbers_in, occurrences, overlap, span_of

KEY_FIELDS: Final = ("claimant", "metric", "qualifier", "low", "high")
"""A figure is found only if all of these are right."""
DIAGNOSED: Final = (*KEY_FIELDS, "unit", "accumulation", "subject", "period")
"""Fields compared on every paired figure, to say what went wrong."""


@dataclass
class Counts:
    """What was scored and how much of it was right; the counts of articles add up."""

    gold_figures: int = 0
    drafted_figures: int = 0
    found_figures: int = 0
    gold_claims: int = 0
    matched_claims: int = 0
    attributed: int = 0
    dated: int = 0
    relays: int = 0
    """Gold claims with a relay, or whose drafted claim names one."""
    relays_right: int = 0
    distractors: int = 0
    """Occurrences of distractor phrases."""
    distractors_as_figures: int = 0
    paired_figures: int = 0
    """Gold figures paired with a drafted one, right or not."""
    wrong: Counter[str] = field(default_factory=Counter)
    """Among paired figures: how often each field was wrong."""

    def __iadd__(self, other: "Counts") -> "Counts":
        for f in fields(self):
            if f.name == "wrong":
                self.wrong.update(other.wrong)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @property
    def precision(self) -> float:
        return _ratio(self.found_figures, self.drafted_figures)

    @property
    def recall(self) -> float:
        return _ratio(self.found_figures, self.gold_figures)

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 0.0 if both == 0 else 2 * self.precision * self.recall / both

    @property
    def attribution(self) -> float:
        return _ratio(self.attributed, self.gold_claims)

    @property
    def stated_on(self) -> float:
        return _ratio(self.dated, self.gold_claims)

    @property
    def relay(self) -> float:
        return _ratio(self.relays_right, self.relays)

    @property
    def claims_found(self) -> float:
        return _ratio(self.matched_claims, self.gold_claims)


def _ratio(part: int, whole: int) -> float:
    return 1.0 if whole == 0 else part / whole


@dataclass
class ArticleScore:
    article: Article
    counts: Counts
    misses: list[str]
    """What went wrong, one line each, for reading."""


def score_article(article: Article, draft: Draft) -> ArticleScore:
    scorer = _Scorer(article, draft)
    scorer.figures()
    scorer.claims()
    scorer.distractors()
    return ArticleScore(article, scorer.counts, scorer.misses)


@dataclass
class _Gold:
    claim: int
    figure: GoldFigure
    span: Span


@dataclass
class _Drafted:
    claim: int
    figure: DraftFigure


class _Scorer:
    def __init__(self, article: Article, draft: Draft) -> None:
        self.article = article
        self.draft = draft
        self.text = article.text
        gold_names = {
            normalize_name(name): actor.name
            for actor in article.gold.actors
            for name in (actor.name, *actor.aliases)
        }
        # A drafted actor no gold actor names keeps its own name, which equals no gold one.
        self.actors = {
            actor.ref: gold_names.get(normalize_name(actor.name), f"{actor.name} (no such actor)")
            for actor in draft.actors
        }
        self.gold = [
            _Gold(i, figure, self.span(figure.text))
            for i, claim in enumerate(article.gold.claims)
            for figure in claim.figures
        ]
        self.drafted = [
            _Drafted(i, figure) for i, claim in enumerate(draft.claims) for figure in claim.figures
        ]
        self.pairs: dict[int, int] = {}
        """Gold figure index → drafted figure index."""
        self.counts = Counts()
        self.misses: list[str] = []

    def span(self, phrase: str) -> Span:
        found = span_of(self.text, phrase) or (0, 0)
        return Span(start=found[0], end=found[1])

    def actor(self, ref: str | None) -> str | None:
        return None if ref is None else self.actors[ref]

    def claimants(self, claim: DraftClaim) -> frozenset[str]:
        refs = [claim.claimant_ref, *claim.co_claimant_refs]
        return frozenset(self.actors[ref] for ref in refs if ref is not None)

    def compare(self, g: _Gold, d: _Drafted) -> dict[str, bool]:
        gold, drafted = g.figure, d.figure
        return {
            "claimant": _claimants(self.article.gold.claims[g.claim])
            == self.claimants(self.draft.claims[d.claim]),
            "metric": gold.metric == drafted.metric,
            "qualifier": gold.qualifier == drafted.qualifier,
            "low": gold.low == drafted.low,
            "high": gold.high == drafted.high,
            "unit": _unit(gold.unit) == _unit(drafted.unit),
            "accumulation": gold.accumulation == drafted.accumulation,
            "subject": gold.subject == self.actor(drafted.subject_ref),
            "period": _same_period(gold, drafted),
        }

    def figures(self) -> None:
        counts, gold, drafted = self.counts, self.gold, self.drafted
        counts.gold_figures, counts.drafted_figures = len(gold), len(drafted)
        candidates = []
        for gi, g in enumerate(gold):
            for di, d in enumerate(drafted):
                right = self.compare(g, d)
                key = sum(right[name] for name in KEY_FIELDS)
                shared = _overlap(g.span, d.figure.span)
                if shared or key == len(KEY_FIELDS):
                    rank = (key, right["unit"] + right["accumulation"], shared, -gi, -di)
                    candidates.append((rank, gi, di, right))
        candidates.sort(key=lambda candidate: candidate[0], reverse=True)
        for _, gi, di, right in candidates:
            if gi in self.pairs or di in self.pairs.values():
                continue
            self.pairs[gi] = di
            counts.paired_figures += 1
            wrong = [name for name in DIAGNOSED if not right[name]]
            counts.wrong.update(wrong)
            if all(right[name] for name in KEY_FIELDS):
                counts.found_figures += 1
            else:
                self.misses.append(f"figure {gold[gi].figure.text!r}: wrong {', '.join(wrong)}")
        for gi, g in enumerate(gold):
            if gi not in self.pairs:
                self.misses.append(f"figure {g.figure.text!r}: not drafted")
        paired = set(self.pairs.values())
        for di, d in enumerate(drafted):
            if di not in paired:
                words = self.text[d.figure.span.start : d.figure.span.end]
                self.misses.append(f"drafted figure {words!r}: no such gold figure")

    def matching_claim(self, index: int, claim: GoldClaim) -> DraftClaim | None:
        evidence = self.span(claim.evidence)
        claimants = _claimants(claim)
        best: tuple[int, int, bool, int] | None = None
        for dci, drafted in enumerate(self.draft.claims):
            linked = sum(
                1
                for gi, di in self.pairs.items()
                if self.gold[gi].claim == index and self.drafted[di].claim == dci
            )
            spans = drafted.spans or [figure.span for figure in drafted.figures]
            shared = sum(_overlap(evidence, span) for span in spans)
            # Of drafted claims on the same words (a denial beside what it denies), the one
            # that names the same speakers.
            same = self.claimants(drafted) == claimants
            if (linked or shared) and (best is None or (linked, shared, same, -dci) > best):
                best = (linked, shared, same, -dci)
        return None if best is None else self.draft.claims[-best[3]]

    def claims(self) -> None:
        counts = self.counts
        counts.gold_claims = len(self.article.gold.claims)
        for index, claim in enumerate(self.article.gold.claims):
            where = f"claim {claim.evidence[:60]!r}"
            match = self.matching_claim(index, claim)
            if match is None:
                self.misses.append(f"{where}: not drafted")
                counts.relays += claim.relayed_by is not None
                continue
            counts.matched_claims += 1
            said_by, gold_by = self.claimants(match), _claimants(claim)
            if said_by == gold_by:
                counts.attributed += 1
            else:
                self.misses.append(f"{where}: claimed by {sorted(said_by)}, not {sorted(gold_by)}")
            precision = match.stated_on_precision or ("day" if match.stated_on else None)
            if (match.stated_on, precision) == (claim.stated_on, claim.stated_on_precision):
                counts.dated += 1
            else:
                self.misses.append(
                    f"{where}: stated on {match.stated_on} ({precision}), not"
                    f" {claim.stated_on} ({claim.stated_on_precision})"
                )
            relay = self.actor(match.relayed_by_ref)
            if claim.relayed_by is not None or relay is not None:
                counts.relays += 1
                if relay == claim.relayed_by:
                    counts.relays_right += 1
                else:
                    self.misses.append(f"{where}: relayed by {relay}, not {claim.relayed_by}")

    def distractors(self) -> None:
        for phrase in self.article.gold.distractors:
            values = set(numbers_in(phrase))
            for start, end in occurrences(self.text, phrase):
                self.counts.distractors += 1
                place = Span(start=start, end=end)
                if any(self.taken_from(d.figure, place, values) for d in self.drafted):
                    self.counts.distractors_as_figures += 1
                    self.misses.append(f"distractor {phrase!r} drafted as a figure")

    def taken_from(self, figure: DraftFigure, place: Span, values: set[int]) -> bool:
        """Whether `figure` was made from the distractor at `place` (whose numbers are
        `values`)."""
        if not _overlap(figure.span, place):
            return False
        covered = [g.figure for g in self.gold if _overlap(g.span, figure.span)]
        if not covered:
            return True
        amounts = {figure.amount, figure.amount_max} - {None}
        stated = {amount for g in covered for amount in (g.amount, g.amount_max)}
        return bool(amounts & values) and not amounts & stated


def _claimants(claim: GoldClaim) -> frozenset[str]:
    return frozenset((claim.claimant, *claim.co_claimants))


def _overlap(a: Span, b: Span) -> int:
    return overlap((a.start, a.end), (b.start, b.end))


def _unit(unit: str) -> str:
    return unit.casefold().removesuffix("s")


def _same_period(gold: GoldFigure, drafted: DraftFigure) -> bool:
    """Whether the drafted period has the gold one's dates and precisions (a gold period
    without dates asks nothing)."""
    period = gold.period
    if period is None or (period.start is None and period.end is None):
        return True
    other = drafted.period
    if other is None:
        return False
    return (period.start, period.start_precision, period.end, period.end_precision) == (
        other.start,
        other.start_precision or ("day" if other.start else None),
        other.end,
        other.end_precision or ("day" if other.end else None),
    )
