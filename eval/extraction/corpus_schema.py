"""The labelled corpus: one JSON file per article in `corpus/`, each with its text, its
source, and the gold claims, figures and distractor numbers an analyst would record.

The vocabulary is the server's (metrics, qualifiers, units, accumulations, precisions,
periods, actor kinds), and each figure's `low`/`high` are the bounds the server derives
from its qualifier and amount. How articles are labelled is in `GUIDELINES.md`."""

from datetime import date
from pathlib import Path
from typing import Final, Literal, get_args

import msgspec
from claimledger_server.actors.schemas import ActorKind
from claimledger_server.common import Precision
from claimledger_server.figures.schemas import Accumulation, Metric, Period, Qualifier
from claimledger_server.sources.schemas import SourceKind

CORPUS: Final = Path(__file__).resolve().parent / "corpus"

Split = Literal[
    "dev",
    "test",
    "holdout",
    "unseen",
    "fresh",
    "later",
    "blind",
    "newest",
    "recent",
    "sealed",
    "untouched",
    "unopened",
    "unvisited",
    "unread",
    "unheard",
    "untried",
    "unasked",
    "unsought",
    "unbidden",
    "unscripted",
    "unheralded",
    "unannounced",
]
"""`dev` articles may be read while building an extractor; every other split is only scored
until a revision studies it. The splits were written in rounds, `holdout` onwards each while or
after the revision before it was made, most of them blind (by someone who neither read nor ran
the extractor nor looked at its rules, drafts or results); each was scored once unread, and only
the revision after that first score studied its failures. Every split up to `unannounced` has
been studied so; the next round starts with a new blind split. `GUIDELINES.md` tells each
split's story."""
SPLITS: Final[tuple[Split, ...]] = get_args(Split)
Conflict = Literal[
    "russia-ukraine",
    "israel-gaza",
    "sudan",
    "syria",
    "yemen",
    "myanmar",
    "ethiopia",
    "dr-congo",
    "sahel",
    "haiti",
    "nagorno-karabakh",
    "colombia",
    "somalia",
    "mozambique",
]

VAGUE_BOUNDS: Final[dict[str, tuple[int, int]]] = {
    "a few": (2, 5),
    "several": (3, 9),
    "dozens": (24, 99),
    "scores": (40, 99),
    "several hundred": (300, 900),
    "hundreds": (200, 999),
    "several thousand": (3_000, 9_000),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
}
"""DESIGN's lexicon of magnitudes without a number (`qualifier: vague`)."""


class GoldActor(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Someone who claims, relays or is counted. A drafted actor is this one when its name,
    compared without case, punctuation, a leading article or a possessive "'s", is `name` or
    one of `aliases`."""

    name: str
    kind: ActorKind | None = None
    aliases: list[str] = []
    anonymous: bool = False


class GoldFigure(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    text: str
    """The phrase of the article the figure comes from, verbatim (it occurs once)."""
    metric: Metric
    qualifier: Qualifier
    amount: int | None = None
    amount_max: int | None = None
    low: int | None
    high: int | None
    unit: str = "people"
    accumulation: Accumulation = "unknown"
    subject: str | None = None
    """The actor counted, by its gold name; null for people the text does not tie to one
    (civilians, residents)."""
    period: Period | None = None


class GoldClaim(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    claimant: str
    co_claimants: list[str] = []
    relayed_by: str | None = None
    via: list[str] = []
    """Actors between the claimant and the relay (NIS → lawmaker → outlet); not scored."""
    stated_on: date | None
    stated_on_precision: Precision | None
    evidence: str
    """The passage of the article that carries the claim, verbatim (it occurs once); every
    figure's `text` lies inside it."""
    basis: str | None = None
    figures: list[GoldFigure] = []


class Gold(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    actors: list[GoldActor]
    claims: list[GoldClaim]
    distractors: list[str]
    """Number-bearing phrases that are no figure (years, dates, times, ages, percentages,
    unit numbers, distances, money, phone numbers, vote counts, pages…), each as it occurs
    in the text."""


class ArticleSource(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    publisher: str | None
    """The outlet, by its gold name when it is also a claimant; null when unknown."""
    published_on: date
    published_on_precision: Precision = "day"
    title: str | None = None
    kind: SourceKind = "news_article"
    language: str = "en"


class Article(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: str
    """The file's name without `.json`."""
    conflict: Conflict
    split: Split
    text: str
    source: ArticleSource
    gold: Gold
    notes: str | None = None
    """Why a labelling choice was made, where it is not obvious."""


def load_article(path: Path) -> Article:
    return msgspec.json.decode(path.read_bytes(), type=Article)


def load_corpus(folder: Path = CORPUS) -> list[Article]:
    """Every article of `folder`, in file name order."""
    return [load_article(path) for path in sorted(folder.glob("*.json"))]
