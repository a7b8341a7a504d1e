"""What "the number of …" counts, by the words after "number of": "the number of civilians
killed by … has exceeded" counts the killed, "the number of people in need" counts `other`.
Read for a running total named right before its count ("bringing its losses to 40",
`count_metrics.py`) and for a total that the sentence's subject names (`totals.py`); and
`brought_to`, the count a clause brings a total to ("…, bringing the toll to 41,788")."""

import re
from typing import Final

from claimledger_server.figures.schemas import Metric

_RUNNING_TOTAL: Final = re.compile(
    r"\b(?P<what>losses|casualties|number of (?P<counted>[\w'-]+(?:\s+[\w'-]+){0,5}?))\s+"
    r"[^.;]{0,60}?\b(?:to|at|below|above|under|over|past|passed|reached|of|fallen|risen|"
    r"dropped|climbed|grown|shrunk|rose|fell|stood|stands|hit|increased|decreased|has|have|"
    r"had|exceeded|surpassed|topped|passed|is|was)\s*$"
)
"""A running total named right before its number: "bringing its losses to", "the number of
civilians killed … has exceeded"."""


def running_total(before: str) -> tuple[Metric | None] | None:
    """What the running total named at the end of `before` counts, as a 1-tuple (losses and
    casualties are killed or wounded); None when `before` names none."""
    total = _RUNNING_TOTAL.search(before)
    if total is None:
        return None
    if total.group("counted") is None:
        return ("killed_or_wounded",)
    return (counted_metric(f" {total.group(0)} "),)


def counted_metric(counted: str) -> Metric | None:
    """What "the number of …" counts, by its words (`counted` padded with spaces): "the
    number of civilians killed by … has exceeded"."""
    for words, metric in _COUNTED_METRICS:
        if re.search(words, counted):
            return metric
    return None


_COUNTED_METRICS: Final[tuple[tuple[str, Metric], ...]] = (
    (r" (?:dead|killed|deaths|fatalities) ", "killed"),
    (r" (?:wounded|injured) ", "wounded"),
    (r" (?:displaced|refugees|evacuees|driven from|forced from|uprooted|fled) ", "displaced"),
    (r" (?:detainees|detained|arrested) ", "detained"),
    (r" (?:prisoners|hostages|captives) ", "captured"),
    (r" (?:missing) ", "missing"),
    (r" (?:troops|soldiers) ", "deployed"),
    (r" (?:living|remaining|left|residents|people in need) ", "other"),
)
"""What "the number of …" counts, by its words."""


_BROUGHT_TO: Final = re.compile(
    r"\b(?:bringing|brings|brought|raising|raises|raised|pushing|pushes|pushed|taking|takes|"
    r"took|lifting|lifts|lifted)\s+(?:the|its|their|his|her|[\w-]+['\u2019]s?)\s+[^.;:]{0,80}?"
    r"\bto\s+(?:(?:about|around|roughly|nearly|almost|some|more than|over|at least)\s+)?$",
    re.IGNORECASE,
)
_BROUGHT_AFTER: Final = re.compile(
    r",?\s+(?:bringing|raising|pushing|taking|lifting)\s+(?:the|its|their|his|her|"
    r"[\w-]+['\u2019]s?)\s",
    re.IGNORECASE,
)


def brought_to(text: str, start: int) -> int | None:
    """Where the clause begins that brings a total to the count at `start` ("…, bringing the
    death toll since the war began to 41,788"); None when no clause does."""
    window = max(0, start - 120)
    found = _BROUGHT_TO.search(text, window, start)
    return None if found is None else found.start()


def before_bringing(after: str) -> str:
    """`after` up to a clause that brings a total to another count ("…, raising the toll to
    40"): the words about that total are not about the count before them."""
    return _BROUGHT_AFTER.split(after, maxsplit=1)[0]
