"""Dates known only to the month or the year ("in October", "in 2024").

Such a date is written as the first day of its month or year, with a precision beside it.
It stands for the whole span, so a filter matches it when the filter's range overlaps the
span: `stated_from` compares with the span's last day, `stated_to` with its first day. The
database computes the same last day (`cl_span_end`, migration 0008) for its indexes."""

import calendar
from datetime import date

from claimledger_server.common import Precision
from claimledger_server.errors import FieldError


def precision_errors(
    field: str, value: date | None, precision_field: str, precision: Precision | None
) -> list[FieldError]:
    """A precision needs a date, and a month or year date is written as its first day."""
    if value is None:
        if precision is not None:
            return [FieldError(precision_field, f"is set but {field} is not")]
        return []
    if precision == "month" and value.day != 1:
        return [FieldError(field, "with month precision, use the first day of the month")]
    if precision == "year" and (value.month, value.day) != (1, 1):
        return [FieldError(field, "with year precision, use January 1st of the year")]
    return []


def span_end(value: date, precision: Precision | None) -> date:
    """The last day a date of this precision may stand for."""
    if precision == "year":
        return date(value.year, 12, 31)
    if precision == "month":
        return date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value
