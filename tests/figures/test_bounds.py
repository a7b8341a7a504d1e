"""Unit tests of `figures/bounds.py`: the DESIGN.md table exactly, and properties over any
input: a consistent figure has low <= high, and inconsistent input is refused."""

from typing import Any

import msgspec
import pytest
from claimledger_server.figures.bounds import bounds, consistency_errors
from claimledger_server.figures.schemas import FigureFields
from figure_table import DESIGN_TABLE, MAX_AMOUNT, ROW_IDS
from hypothesis import given
from hypothesis import strategies as st

QUALIFIERS = sorted({row[0] for row in DESIGN_TABLE})
CLAIM_ID = "clm_01jfzq6m3b8n0c2k4d5e6f7g8k"


def figure(
    qualifier: str,
    amount: int | None,
    amount_max: int | None = None,
    low: int | None = None,
    high: int | None = None,
) -> FigureFields:
    """Through msgspec, so the schema's own bounds (no negatives, <= 2^53-1) apply."""
    body: dict[str, Any] = {"claim_id": CLAIM_ID, "metric": "killed", "qualifier": qualifier}
    body |= {"amount": amount, "amount_max": amount_max, "low": low, "high": high}
    return msgspec.convert(body, FigureFields, strict=True)


@pytest.mark.parametrize(
    ("qualifier", "amount", "amount_max", "low", "high"), DESIGN_TABLE, ids=ROW_IDS
)
def test_design_table(
    qualifier: str, amount: int | None, amount_max: int | None, low: int | None, high: int | None
) -> None:
    given = (low, high) if qualifier == "vague" else (None, None)
    stated = figure(qualifier, amount, amount_max, *given)
    assert consistency_errors(stated) == []
    assert bounds(stated) == (low, high)


@pytest.mark.parametrize(
    ("qualifier", "amount", "amount_max", "field"),
    [
        ("range", 300, 200, "amount_max"),
        ("range", 200, None, "amount_max"),
        ("exact", None, None, "amount"),
        ("approximately", None, None, "amount"),
        ("more_than", None, None, "amount"),
        ("exact", 5, 10, "amount_max"),
        ("at_least", 5, 10, "amount_max"),
        ("unspecified", 5, None, "amount"),
        ("unspecified", None, 5, "amount_max"),
        ("fewer_than", 0, None, "amount"),
        ("nearly", 0, None, "amount"),
        ("nearly", None, None, "amount"),
        ("vague", 300, None, "amount"),
        ("vague", None, 900, "amount_max"),
    ],
)
def test_inconsistent_figures(
    qualifier: str, amount: int | None, amount_max: int | None, field: str
) -> None:
    errors = consistency_errors(figure(qualifier, amount, amount_max, low=1, high=2))
    if qualifier != "vague":
        errors = consistency_errors(figure(qualifier, amount, amount_max))
    assert [e.field for e in errors] == [field]


@pytest.mark.parametrize(
    ("qualifier", "amount", "low", "high", "field"),
    [
        ("vague", None, None, None, "low"),  # the words carry a magnitude: give it
        ("vague", None, 900, 300, "high"),
        ("exact", 1000, 1000, None, "low"),  # derived bounds are the server's
        ("approximately", 4000, None, 4400, "high"),
        ("unspecified", None, 1, None, "low"),
        ("approximately", MAX_AMOUNT, None, None, "amount"),  # 1.1 N passes 2^53
    ],
)
def test_inconsistent_bounds(
    qualifier: str, amount: int | None, low: int | None, high: int | None, field: str
) -> None:
    errors = consistency_errors(figure(qualifier, amount, low=low, high=high))
    assert [e.field for e in errors] == [field]


def test_vague_with_one_bound() -> None:
    assert bounds(figure("vague", None, low=24)) == (24, None)  # "dozens or more"
    assert bounds(figure("vague", None, high=99)) == (0, 99)  # a count is never negative


@pytest.mark.parametrize("amount", [-1, MAX_AMOUNT + 1, 10**30])
def test_amount_outside_schema_is_refused(amount: int) -> None:
    with pytest.raises(msgspec.ValidationError, match="amount"):
        figure("exact", amount)


def test_edges() -> None:
    assert bounds(figure("more_than", MAX_AMOUNT)) == (MAX_AMOUNT + 1, None)
    assert bounds(figure("fewer_than", 1)) == (0, 0)
    assert bounds(figure("at_most", 0)) == (0, 0)
    assert bounds(figure("range", 7, 7)) == (7, 7)
    assert bounds(figure("exact", 0)) == (0, 0)
    assert bounds(figure("approximately", 1)) == (0, 2)  # floor(0.9), ceil(1.1)
    assert bounds(figure("approximately", 15)) == (13, 17)  # floor(13.5), ceil(16.5)
    assert bounds(figure("nearly", 1)) == (0, 0)
    largest = (MAX_AMOUNT + 1) * 10 // 11
    assert bounds(figure("approximately", largest)) == (9 * largest // 10, MAX_AMOUNT + 1)


amounts = st.none() | st.integers(min_value=-5, max_value=MAX_AMOUNT + 5)


@given(st.sampled_from(QUALIFIERS), amounts, amounts)
def test_any_figure_is_refused_or_has_ordered_bounds(
    qualifier: str, amount: int | None, amount_max: int | None
) -> None:
    try:
        stated = figure(qualifier, amount, amount_max)
    except msgspec.ValidationError:
        assert any(v is not None and not 0 <= v <= MAX_AMOUNT for v in (amount, amount_max))
        return
    if consistency_errors(stated):
        return
    low, high = bounds(stated)
    for bound in (low, high):
        assert bound is None or 0 <= bound <= MAX_AMOUNT + 1
    if low is not None and high is not None:
        assert low <= high
    if qualifier in ("unspecified", "vague"):
        # A vague figure without bounds is refused above; unspecified has none.
        assert (amount, low, high) == (None, None, None)
        return
    assert amount is not None
    assert low is not None
    if qualifier == "more_than":
        assert low == amount + 1
    elif qualifier == "fewer_than":
        assert (low, high) == (0, amount - 1)
    elif qualifier == "nearly":
        assert (low, high) == (amount * 9 // 10, amount - 1)
    elif qualifier == "approximately":
        assert high is not None
        assert low * 10 <= amount * 9 < (low + 1) * 10  # floor(0.9 N)
        assert (high - 1) * 10 < amount * 11 <= high * 10  # ceil(1.1 N)
    else:  # the stated number itself lies within its own bounds
        assert low <= amount
        assert high is None or amount <= high


@given(st.sampled_from(QUALIFIERS), st.integers(0, MAX_AMOUNT), st.integers(0, MAX_AMOUNT))
def test_ranges_and_max_rules(qualifier: str, amount: int, amount_max: int) -> None:
    errors = consistency_errors(
        figure(qualifier, None if qualifier in ("unspecified", "vague") else amount, amount_max)
    )
    if qualifier != "range" or amount_max < amount:
        assert [e.field for e in errors] == ["amount_max"]
    else:
        assert errors == []
        assert bounds(figure("range", amount, amount_max)) == (amount, amount_max)
