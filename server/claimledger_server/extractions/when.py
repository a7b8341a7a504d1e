"""When a claimant said it: the date phrase next to a speech verb ("said on Monday",
"told a briefing in Geneva on Monday (December 23)", "said last month", "on Dec. 19"),
resolved against the source's publication day.

Resolution (eval/extraction/GUIDELINES.md, "Dates"): a weekday is the latest such day on or
before publication; a day of a month is that day in the latest year that does not put it
after publication; "last week" is the calendar week before the week of publication, at the
narrowest precision that holds all of it (its month, else its year); "last month" and
"last year" are that month and that year; "yesterday" is the day before."""

import re
from datetime import date, timedelta
from typing import NamedTuple

from claimledger_server.common import Precision


class Stated(NamedTuple):
    on: date
    precision: Precision


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    **{m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun"))},
    **{m: i + 7 for i, m in enumerate(("jul", "aug", "sep", "oct", "nov", "dec"))},
    "sept": 9,
}
_MONTH = (
    r"(?P<{name}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY_OF_MONTH = (
    _MONTH.format(name="month")
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})"
    + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH.format(name="month2")
    + r"(?![\w]|,?\s*\d{4})"
)
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_PHRASE = re.compile(
    r"\b(?:"
    + r"(?:on\s+|last\s+|(?<=said\s)|(?<=told\s))"
    + _WEEKDAY
    + r"(?!['\u2019]s)"
    + r"(?:\s+(?:morning|afternoon|evening|night))?(?:\s*\((?P<paren>[^()]{3,20})\))?"
    + r"|on\s+(?:"
    + _DAY_OF_MONTH
    + r")"
    + r"|(?P<last>last|earlier this|this)\s+(?P<span>week|month|year)"
    + r"|(?:figures|data|estimates?|report|count|census|tally)\s+(?:from|of|published in|"
    + r"released in|dated)\s+"
    + _MONTH.format(name="report_month")
    + r"\s+(?P<report_year>\d{4})"
    + r"|(?P<yesterday>yesterday)"
    + r")"
)
"""A date phrase as it follows a speech verb; a year after the day ("Oct. 7, 2023") makes
it the date of an event, not of the statement."""
_PAREN_DATE = re.compile(r"^\s*(?:" + _DAY_OF_MONTH + r")\s*$")


def resolve(match: re.Match[str], published: date) -> Stated | None:
    """The day (and precision) the phrase `match` of `DATE_PHRASE` names."""
    groups = match.groupdict()
    if groups["paren"] and (inner := _PAREN_DATE.match(groups["paren"])):
        return _day_of_month(inner.groupdict(), published)
    if groups["weekday"]:
        back = (published.weekday() - WEEKDAYS.index(groups["weekday"].lower())) % 7
        return Stated(published - timedelta(days=back), "day")
    if groups["month"] or groups["month2"]:
        return _day_of_month(groups, published)
    if groups["report_month"]:
        month = MONTHS.get(groups["report_month"].lower()[:4].rstrip(".")) or MONTHS.get(
            groups["report_month"].lower()[:3]
        )
        return Stated(date(int(groups["report_year"]), month or 1, 1), "month")
    if groups["yesterday"]:
        return Stated(published - timedelta(days=1), "day")
    span = groups["span"]
    if groups["last"] in ("earlier this", "this"):
        if span == "week":
            monday = published - timedelta(days=published.weekday())
            return _narrowest(max(monday, published.replace(day=1)), published)
        return Stated(published.replace(day=1), "month") if span == "month" else None
    if span == "week":
        monday = published - timedelta(days=published.weekday() + 7)
        return _narrowest(monday, monday + timedelta(days=6))
    if span == "month":
        last_month = published.replace(day=1) - timedelta(days=1)
        return Stated(last_month.replace(day=1), "month")
    return Stated(date(published.year - 1, 1, 1), "year")


def _narrowest(first: date, last: date) -> Stated:
    if (first.year, first.month) == (last.year, last.month):
        return Stated(first.replace(day=1), "month")
    if first.year == last.year:
        return Stated(date(first.year, 1, 1), "year")
    return Stated(date(last.year, 1, 1), "year")


def _day_of_month(groups: dict[str, str | None], published: date) -> Stated | None:
    month_name = groups.get("month") or groups.get("month2") or ""
    day_text = groups.get("day") or groups.get("day2") or ""
    month = MONTHS.get(month_name.lower()[:4].rstrip(".")) or MONTHS.get(month_name.lower()[:3])
    if month is None or not day_text:
        return None
    for year in (published.year, published.year - 1):
        try:
            day = date(year, month, int(day_text))
        except ValueError:
            continue
        if day <= published:
            return Stated(day, "day")
    return None


def stated_near(text: str, start: int, end: int, published: date) -> Stated | None:
    """The first date phrase of `text[start:end]` (the words after a speech verb), resolved."""
    match = DATE_PHRASE.search(text, start, end)
    return None if match is None else resolve(match, published)
