"""The other end of a range: "200 to 300", "200-300", "between 200 and 300", "from 200
to 300", "two or three", with a scale the ends share ("3 to 5 million", "11 to 12,000")."""

from dataclasses import dataclass
from decimal import Decimal

from claimledger_server.text import context
from claimledger_server.text.lexicon import CHANGE_VERBS, RANGE_CONNECTORS
from claimledger_server.text.numbers import Reading, Token, read_number


@dataclass(frozen=True, slots=True)
class Range:
    end: int
    """The token after the range."""
    low: Decimal
    high: Decimal
    date: bool = False
    """A date range ("14-15 December"), not a quantity."""


def read_range(
    tokens: list[Token], first: Reading, opened: str | None, phrase_first: int
) -> Range | None:
    """The range whose lower end is `first`, if one follows it. `opened` is the qualifier
    before it: "between" expects "and", "from" expects "to" (unless a verb before it makes
    "rose from 100 to 200" a change, not a range)."""
    j = first.last
    if j + 1 >= len(tokens) or first.value is None:
        return None
    connector = tokens[j].lower
    if connector in ("until", "till") and opened != "from":
        return None
    if connector not in RANGE_CONNECTORS and connector not in ("and", "or"):
        return None
    if connector == "and" and opened != "between":
        return None
    if opened == "from" and _changed(tokens, phrase_first):
        return None
    second = read_number(tokens, j + 1)
    if second is None or second.value is None:
        return None
    if context.next_to_month(tokens, second.first, second.last):
        return Range(second.last, first.value, second.value, date=True)
    if context.distractor_end(tokens, second) is not None:
        return None
    low, high = first.value, second.value
    if first.scale == 1 and second.scale > 1 and low < high / second.scale:
        low *= second.scale  # "3 to 5 million", "two to three thousand"
    elif _shares_thousands(tokens[first.first], tokens[second.first], low, high):
        low *= 1000  # "11 to 12,000"
    if low > high or (connector == "or" and low == high):
        return None
    return Range(second.last, low, high)


def _changed(tokens: list[Token], before: int) -> bool:
    return any(t.lower in CHANGE_VERBS for t in tokens[max(0, before - 3) : before])


def _shares_thousands(first: Token, second: Token, low: Decimal, high: Decimal) -> bool:
    """ "11 to 12,000" means 11,000 to 12,000: the upper end is written in thousands and the
    lower, taken in thousands, is more than half of it and less than all of it ("between 1
    and 1,000", "5 to 10,000" stay as written)."""
    if not (first.is_number and second.is_number and second.grouped) or first.grouped:
        return False
    return low < 1000 and low * 1000 < high < 2 * low * 1000
