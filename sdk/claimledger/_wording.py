"""How values read in the charts' labels, as the web explorer writes them (its `format.js`).

Numbers with thousands separators, bounds ("3,001 or more"), amounts as stated
("approximately 4,700"), dates to their precision ("2024-12"): hover text and titles.
"""

from __future__ import annotations

import datetime

from claimledger._generated.models import Figure


def plain(text: str) -> str:
    """Escape text for plotly's labels, which read a few HTML-like tags: data stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def number(value: int | None) -> str:
    """Return "3,000" for 3000, a dash for nothing."""
    return "—" if value is None else f"{value:,}"


def bounds_text(low: int | None, high: int | None) -> str:
    """Return a figure's bounds in words: "3,001 or more", "1,000", "no number"."""
    if low is None:
        return "no number" if high is None else f"up to {number(high)}"
    if high is None:
        return f"{number(low)} or more"
    if low == high:
        return number(low)
    return f"{number(low)}–{number(high)}"  # noqa: RUF001 (an en dash, as the explorer)


def partial_date(day: datetime.date, precision: str | None) -> str:
    """Return a date to its precision: "2024-12-23", "2024-12", "2024"."""
    text = day.isoformat()
    return text[:4] if precision == "year" else text[:7] if precision == "month" else text


def words(value: str) -> str:
    """Return a snake_case name as words: "killed or wounded"."""
    return value.replace("_", " ")


def stated_text(figure: Figure) -> str:
    """Return a figure's amount as stated: "more than 3,000", "between 200 and 300"."""
    if figure.qualifier == "range":
        return f"between {number(figure.amount)} and {number(figure.amount_max)}"
    if figure.amount is None:
        return words(figure.qualifier)
    if figure.qualifier == "exact":
        return number(figure.amount)
    return f"{words(figure.qualifier)} {number(figure.amount)}"
