"""Every quantity phrase of a text, read as a figure would store it.

    find_quantities(text) -> list[Quantity]

is the whole interface: each `Quantity` has its span (`start`, `end`, code points into
`text`) and words, what it is (`kind`: a `count` of people or things, or a measurement
such as a `percentage` or `money`), and for counts the figure fields — `qualifier`,
`amount`, `amount_max`, `unit` — with the `low`/`high` that `figures/bounds.py` derives
from them, so a figure stored from a parsed phrase gets exactly the bounds parsed. `metric`
is the metric words next to a count say ("killed or wounded"), when they say one.

Dates, times, years, ages, ordinals and designations ("155th Brigade") are not returned.
Deterministic and offline: rules over `lexicon.py`, the same text always parses the same."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import msgspec

from claimledger_server.figures.bounds import stated_bounds
from claimledger_server.figures.schemas import Metric, Qualifier
from claimledger_server.text import context, references
from claimledger_server.text.amounts import number, storable, too_large, vague_bounds, whole
from claimledger_server.text.asides import is_aside
from claimledger_server.text.lexicon import (
    AGE_NOUNS,
    COMPOUND_JOINERS,
    FORMATIONS,
    HYPHEN_PEOPLE,
    MEASURES,
)
from claimledger_server.text.metrics import metric_near
from claimledger_server.text.nouns import counted_noun
from claimledger_server.text.numbers import (
    Reading,
    Token,
    may_start_number,
    read_number,
    tokenize,
)
from claimledger_server.text.qualifiers import postfix_qualifier, prefix_qualifier
from claimledger_server.text.ranges import read_range

QuantityKind = Literal[
    "count", "percentage", "money", "distance", "area", "weight", "volume", "duration", "speed"
]
_NOT_RETURNED = frozenset({"age", "ratio", "date"})
_LOWER = frozenset({"at_least", "more_than"})
_UPPER = frozenset({"at_most", "fewer_than"})


class Quantity(msgspec.Struct, frozen=True, kw_only=True):
    """A quantity phrase: "over 3,000 soldiers" is a `count`, `more_than` 3000, `unit`
    "people", `low` 3001, `high` null."""

    start: int
    """Offset of the phrase's first character, in Unicode code points."""
    end: int
    """Offset just past its last character."""
    text: str
    """The phrase: `text[start:end]` of the parsed text."""
    kind: QuantityKind
    """`count`: a number of people or things, as a figure holds it. Anything else is a
    measurement (`percentage`, `money`, `distance`, `area`, `weight`, `volume`,
    `duration`, `speed`), never a count of people."""
    qualifier: Qualifier
    amount: int | float | None
    """The number stated; for a count a whole number, null for `vague` and `unspecified`."""
    amount_max: int | float | None
    """The upper end of a `range`."""
    low: int | None
    """Counts only: the inclusive lower bound `figures/bounds.py` derives (for `vague`,
    from DESIGN's lexicon: "several hundred" 300). Null for measurements."""
    high: int | None
    """Counts only: the inclusive upper bound, null when unbounded above."""
    unit: str
    """What is counted: "people", a formation ("battalion"), a thing ("tanks"); for a
    measurement its unit ("percent", "usd", "km", "days")."""
    metric: Metric | None
    """Counts only: what the words next to it say is counted (killed, wounded…), if any."""


@dataclass(slots=True)
class _Draft:
    first: int
    last: int
    number_last: int
    """The token after the number (or range), before its noun."""
    core_first: int = 0
    """The first token of the number (with its currency sign), without the qualifier."""
    kind: str = "count"
    qualifier: str | None = None
    amount: Decimal | None = None
    amount_max: Decimal | None = None
    vague: tuple[int, int] | None = None
    unspecified: bool = False
    unit: str = "people"
    noun: bool = False
    """A noun says what is counted."""
    lexical: bool = False
    """...and the lexicon knows it (people, formations, equipment)."""


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity phrase of `text`, in order; see the module's docstring."""
    tokens = tokenize(text)
    drafts: list[_Draft] = []
    i = 0
    while i < len(tokens):
        if not may_start_number(tokens[i]):
            i += 1
            continue
        draft, i = _phrase_at(tokens, i, drafts[-1].last if drafts else 0)
        if draft is not None:
            drafts.append(draft)
    drafts = _join_compounds(tokens, drafts)
    found = []
    for k, draft in enumerate(drafts):
        floor = drafts[k - 1].last if k else 0
        ceiling = drafts[k + 1].first if k + 1 < len(drafts) else len(tokens)
        if (quantity := _quantity(text, tokens, draft, floor, ceiling)) is not None:
            found.append(quantity)
    return found


def _phrase_at(tokens: list[Token], i: int, floor: int) -> tuple[_Draft | None, int]:
    """The quantity phrase whose number starts at token `i`, and where to read on."""
    reading = read_number(tokens, i) or _formation(tokens, i, floor)
    if reading is None:
        return None, i + 1
    if reading.unspecified and i + 1 < len(tokens):
        following = read_number(tokens, i + 1)
        if following is not None and following.value is not None:
            return None, i + 1  # "some 3,000": a qualifier of the number after it
    if i > 0 and tokens[i - 1].lower == "how" and reading.value is None:
        return None, reading.last  # "how many people died?" asks for a number
    if (resume := context.distractor_end(tokens, reading)) is not None:
        return None, resume
    money = context.currency_before(tokens, reading.first, floor)
    core_first = money[0] if money else reading.first
    first, qualifier = prefix_qualifier(tokens, core_first, floor)
    draft = _Draft(first, reading.last, reading.last, core_first, qualifier=qualifier)
    draft.amount, draft.vague, draft.unspecified = reading.value, reading.vague, reading.unspecified
    if money:
        draft.kind, draft.unit = "money", money[1]
    if not _read_after(tokens, reading, draft):
        return None, reading.last
    if draft.kind in _NOT_RETURNED or not _plausible(tokens, reading, draft):
        return None, draft.last
    if draft.kind == "count" and is_aside(
        tokens, draft.first, draft.number_last, draft.last, draft.unit
    ):
        return None, draft.last
    return draft, draft.last


def _formation(tokens: list[Token], i: int, floor: int) -> Reading | None:
    """ "up to a battalion": one formation, read only after a qualifier."""
    if tokens[i].lower not in ("a", "an") or i + 1 >= len(tokens):
        return None
    if tokens[i + 1].lower not in FORMATIONS or tokens[i + 1].lower.endswith("s"):
        return None
    _, qualifier = prefix_qualifier(tokens, i, floor)
    if qualifier is None or qualifier in ("between", "from"):
        return None
    return Reading(i, i + 1, Decimal(1))


def _read_after(tokens: list[Token], reading: Reading, draft: _Draft) -> bool:
    """Reads what follows the number into `draft`: a glued word ("3,000-strong"), a
    qualifier ("or more"), the other end of a range, a unit or the noun counted. False
    when the number is not a quantity after all."""
    j = reading.last
    glued_word = (
        j + 1 < len(tokens)
        and tokens[j].text == "-"
        and tokens[j].glued
        and tokens[j + 1].glued
        and tokens[j + 1].is_word
    )
    if glued_word:
        hyphenated = _hyphenated(tokens, j, draft)
        if hyphenated is not True:
            return hyphenated is None
        j = draft.last
    elif (postfix := postfix_qualifier(tokens, j)) and draft.qualifier in (
        None,
        "exact",
        "approximately",
    ):
        draft.qualifier = postfix[0]
        draft.last = draft.number_last = j = postfix[1]
    elif (found := read_range(tokens, reading, draft.qualifier, draft.first)) is not None:
        draft.last = draft.number_last = j = found.end
        if found.date:
            draft.kind = "date"  # "14-15 December": not returned
        elif draft.qualifier in _UPPER:
            draft.amount = found.high  # "up to 200-300": at most 300
        elif draft.qualifier in _LOWER:
            draft.amount = found.low
        else:
            draft.qualifier, draft.amount, draft.amount_max = "range", found.low, found.high
    if draft.qualifier in ("between", "from"):
        draft.first, draft.qualifier = draft.core_first, None
    if draft.kind != "count":
        if (after := context.measure_after(tokens, j)) and after[0] == draft.kind:
            draft.last = after[2]  # "$3 million dollars"
        return True
    for token in (tokens[reading.first], tokens[draft.number_last - 1]):
        if (suffix_measure := context.measure_suffix(token)) is not None:
            draft.kind, draft.unit = suffix_measure
            return True
    measure = context.measure_after(tokens, j)
    if measure is None and tokens[j : j + 1] and tokens[j].lower == "of" and draft.vague:
        measure = context.measure_after(tokens, j + 1)
    if measure is not None:
        draft.kind, draft.unit, draft.last = measure
        return True
    generic = not _needs_known_noun(tokens, reading, draft)
    j = _past_tally_colon(tokens, draft.first, j)
    if (noun := counted_noun(tokens, j, generic=generic)) is not None:
        draft.unit, draft.last, draft.lexical = noun
        draft.noun = True
        if (
            draft.qualifier is None
            and (postfix := postfix_qualifier(tokens, draft.last)) is not None
        ):
            draft.qualifier, draft.last = postfix
    return True


_SENTENCE_ENDS = frozenset({".", "!", "?"})
_QUOTES = frozenset({'"', "\u201c"})


def _past_tally_colon(tokens: list[Token], first: int, j: int) -> int:
    """Where the noun of a tally's line starts: a line that opens with its number and a colon
    ("300: people killed", "Up to 40: \"fighters neutralised\"") names what it counts after the
    colon; anywhere else `j` itself."""
    opens_line = first == 0 or tokens[first - 1].text in _SENTENCE_ENDS
    if not opens_line or j + 1 >= len(tokens) or tokens[j].text != ":" or tokens[j + 1].glued:
        return j
    return j + 2 if tokens[j + 1].text in _QUOTES and j + 2 < len(tokens) else j + 1


def _needs_known_noun(tokens: list[Token], reading: Reading, draft: _Draft) -> bool:
    """ "some soldiers", "several tanks": words that are a quantity only before a noun of
    something the lexicon knows is counted ("some time", "several times" are not)."""
    several = tokens[reading.first].lower in ("several", "a") and reading.scale == 1
    return draft.unspecified or (draft.vague is not None and several)


def _hyphenated(tokens: list[Token], j: int, draft: _Draft) -> bool | None:
    """A word glued to the number by a hyphen: "3,000-strong" (people), "5-km" (a unit),
    "300-plus" and "3,000-odd" (a qualifier; True: read on for the noun). False when
    the number is no quantity ("12-year-old", "a 12-storey building"); None when it is
    one and complete."""
    word = tokens[j + 1].lower
    draft.last = draft.number_last = j + 2
    if word in HYPHEN_PEOPLE:
        draft.noun = draft.lexical = True
        return None
    if word in ("plus", "odd") and draft.qualifier in (None, "exact"):
        draft.qualifier = "at_least" if word == "plus" else "approximately"
        return True
    head = word.split("-")[0]
    if draft.kind == "count" and head in MEASURES and not word.endswith(("-old", "-olds")):
        draft.kind, draft.unit = MEASURES[head]
        return None if draft.kind != "ratio" else False
    return False


def _plausible(tokens: list[Token], reading: Reading, draft: _Draft) -> bool:
    """Whether a number that could be a count is one: words and vague words need a noun of
    something counted (or a qualifier, or a total they are: "the toll rose to four"); a year
    needs one; an age is not a count."""
    if draft.kind != "count":
        return True
    after = draft.number_last
    if reading.words and reading.value == 1 and references.one_of_the_most(tokens, after):
        return False  # "one of the deadliest attacks": one among them, no count
    if reading.words and references.pronoun_one(tokens, draft.first):
        return False  # "it had lost no one", "every one of them": a pronoun, no count
    metric_next = metric_near(tokens, after, after, 0, after + 2)
    if _needs_known_noun(tokens, reading, draft):  # "several of them": a part of a count
        return draft.lexical or references.counted_part(tokens, after, draft.unspecified)
    if reading.words and draft.qualifier is None and draft.amount_max is None:
        return (
            draft.lexical
            or metric_next is not None
            or references.partitive(tokens, after)
            or references.acted_on(tokens, draft.first)
            or references.refers_back(tokens, draft.first)
            or references.elided_people(tokens, after)
            or references.included_one(tokens, draft.first, after)
            or (draft.noun and references.acted_on_after(tokens, draft.last))
        )
    if _year_like(tokens[reading.first], reading):
        if not draft.noun and draft.first > 0 and tokens[draft.first - 1].lower in _BEFORE_A_YEAR:
            return False  # "killed since 2019", "its worst losses since 2022": a year
        if not draft.lexical and context.year_of_event(tokens, draft.first, _BEFORE_A_YEAR):
            return False  # "arrested since the 2021 coup": the year names an event
        if context.year_naming_event(tokens, reading.first, reading.last):
            return False  # "the 2023 floods displaced": the year names an event
        if not (draft.lexical or metric_next):
            return draft.qualifier in _LOWER | _UPPER | {"nearly"}  # "more than 2000"; "in 2024"
    if draft.qualifier in _LOWER | _UPPER and not draft.noun and draft.first > 0:
        return tokens[draft.first - 1].lower not in AGE_NOUNS  # "children under 5"
    return True


_BEFORE_A_YEAR = frozenset({"since", "in", "until", "till", "before", "after", "during", "from"})
"""Words of time before a number like a year: the number is the year, whatever is near."""


def _year_like(token: Token, reading: Reading) -> bool:
    return reading.scale == 1 and context.year_like(token)


def _join_compounds(tokens: list[Token], drafts: list[_Draft]) -> list[_Draft]:
    """ "more than 20 and fewer than 30" is one range (21-29): a lower and an upper bound of
    the same count, joined by "and", "but" or a comma."""
    joined: list[_Draft] = []
    for draft in drafts:
        previous = joined[-1] if joined else None
        if previous is not None and (merged := _compound(tokens, previous, draft)) is not None:
            joined[-1] = merged
        else:
            joined.append(draft)
    return joined


def _compound(tokens: list[Token], one: _Draft, two: _Draft) -> _Draft | None:
    between = tokens[one.last : two.first]
    if not 1 <= len(between) <= 2 or any(t.lower not in COMPOUND_JOINERS for t in between):
        return None
    if one.kind != "count" or two.kind != "count" or one.noun or one.amount is None:
        return None
    if two.amount is None or one.vague or two.vague:
        return None
    pair = {one.qualifier, two.qualifier}
    lower, upper = (one, two) if one.qualifier in _LOWER else (two, one)
    if not (pair & _LOWER and pair & _UPPER) or lower.amount is None or upper.amount is None:
        return None
    low = lower.amount + (1 if lower.qualifier == "more_than" else 0)
    high = upper.amount - (1 if upper.qualifier == "fewer_than" else 0)
    if low > high:
        return None
    return _Draft(
        one.first, two.last, two.number_last, one.core_first, "count", "range", low, high,
        unit=two.unit, noun=two.noun, lexical=two.lexical,
    )  # fmt: skip


def _quantity(
    text: str, tokens: list[Token], draft: _Draft, floor: int, ceiling: int
) -> Quantity | None:
    start, end = tokens[draft.first].start, tokens[draft.last - 1].end
    qualifier = draft.qualifier or "exact"
    if draft.kind != "count":
        if any(too_large(v) for v in (draft.amount, draft.amount_max)):
            return None
        return Quantity(
            start=start, end=end, text=text[start:end], kind=draft.kind,  # type: ignore[arg-type]
            qualifier="vague" if draft.vague else "unspecified" if draft.unspecified
            else qualifier,  # type: ignore[arg-type]
            amount=number(draft.amount), amount_max=number(draft.amount_max),
            low=None, high=None, unit=draft.unit, metric=None,
        )  # fmt: skip
    amount = whole(draft.amount)
    amount_max = whole(draft.amount_max)
    given: tuple[int | None, int | None] = (None, None)
    if draft.unspecified:
        qualifier = "unspecified"
    elif draft.vague:
        given = vague_bounds(draft.vague, qualifier)
        qualifier = "vague"
    elif amount is None or (draft.amount_max is not None and amount_max is None):
        return None  # "2.5 soldiers": not a whole count
    low, high = stated_bounds(qualifier, amount, amount_max, *given)  # type: ignore[arg-type]
    if not storable(qualifier, amount, amount_max, high):
        return None
    metric = metric_near(tokens, draft.first, draft.last, floor, ceiling)
    return Quantity(
        start=start, end=end, text=text[start:end], kind="count",
        qualifier=qualifier,  # type: ignore[arg-type]
        amount=amount, amount_max=amount_max, low=low, high=high, unit=draft.unit,
        metric=metric,
    )  # fmt: skip
