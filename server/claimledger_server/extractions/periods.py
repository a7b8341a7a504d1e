"""The span a figure covers, read off the words of its sentence: "on Sunday", "overnight",
"in the past 24 hours", "last week", "since Oct. 7, 2023", "since the offensive began",
"for October" — resolved against the day the claim was stated, as GUIDELINES.md says:

- a day ("on Sunday", "on Dec. 19", "yesterday") is that day, start and end;
- "overnight" and "last night" are the day before the statement to the statement's day;
- "in the past N hours/days/weeks" ends on the statement's day and starts that long before
  it ("the previous day" is the day before, alone);
- "last week" is the calendar week (Monday to Sunday) before the statement's week; "this
  week" runs from the statement week's Monday to the statement's day;
- "between January and November" and "between 1985 and 2018" run from the first month or
  year to the last, at their precision; "from Nov. 3 to Nov. 5" from day to day; "over the
  weekend" is the Saturday and Sunday on or before the statement's day;
- "in/for <month>" is that month, "in 2025" that year, "last month", "this month" and
  "last year" the month or year they name (at the month's or year's precision);
- "this year" and "so far this year" run from the year's start to the statement's day;
- "since X" starts at X (at X's precision: "since 2021" is the year, "since October" the
  month) and ends on the statement's day; "since the offensive began" has no start.

Which phrase a figure takes: the nearest one in its sentence, after it first, never the
date the claimant spoke on."""

import calendar
import re
from datetime import date, timedelta
from typing import Final, Literal, NamedTuple

from claimledger_server.common import Precision
from claimledger_server.extractions.when import MONTHS, WEEKDAYS
from claimledger_server.figures.schemas import Period

Kind = Literal["since", "within"]
"""`since`: a running total up to the statement; `within`: a bounded stretch."""


class Found(NamedTuple):
    start: int
    end: int
    period: Period
    kind: Kind


_MONTH_NAMES = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_WEEKDAY_NAMES = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUMBER_WORDS: Final = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "several": 0,
}  # fmt: skip
_UNIT_DAYS: Final = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}

_PHRASE = re.compile(
    r"\b(?:"
    r"(?P<since>(?i:since))\b"
    r"|(?i:in|over|during|for|within)\s+the\s+(?:past|last|previous)\s+"
    r"(?:(?P<count>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?P<unit>hour|day|week|month|year)s?\b"
    r"|(?i:in|within)\s+(?P<bare_count>\d+|two|three|four|five|six|seven)\s+"
    r"(?P<bare_unit>hour|day)s\b"
    r"|between\s+(?P<from_month>" + _MONTH_NAMES + r")\.?\s+(?P<from_day>\d{1,2})\s+and\s+"
    r"(?:(?P<to_month>" + _MONTH_NAMES + r")\.?\s+)?(?P<to_day>\d{1,2})\b"
    r"|(?i:between|from)\s+(?P<from_whole>" + _MONTH_NAMES + r"|(?:19|20)\d{2})\s+(?:and|to)\s+"
    r"(?P<to_whole>" + _MONTH_NAMES + r"|(?:19|20)\d{2})\b(?!\.?\s*\d)"
    r"|(?i:from)\s+(?P<span_month>" + _MONTH_NAMES + r")\.?\s+(?P<span_day>\d{1,2})\s+to\s+"
    r"(?:(?P<span_to_month>" + _MONTH_NAMES + r")\.?\s+)?(?P<span_to_day>\d{1,2})\b"
    r"|(?i:over|during|at)\s+the\s+weekend\b(?P<weekend>)"
    r"|the\s+previous\s+day\b(?P<previous_day>)"
    r"|(?i:on)\s+(?P<weekday>" + _WEEKDAY_NAMES + r")(?:\s+(?:morning|afternoon|evening|night))?"
    r"(?:\s+and\s+(?P<weekday2>" + _WEEKDAY_NAMES + r"))?"
    r"|(?i:on)\s+(?P<month>" + _MONTH_NAMES + r")\.?\s+(?P<day>\d{1,2})\b(?:,?\s+(?P<year>\d{4}))?"
    r"|(?i:on)\s+(?P<day_first>\d{1,2})\s+(?P<month_after>" + _MONTH_NAMES + r")\b\.?"
    r"(?:\s+(?P<year_after>\d{4}))?"
    r"|(?P<overnight>(?i:overnight|last night))\b"
    r"|(?P<yesterday>(?i:yesterday))\b"
    r"|(?P<last_week>(?i:last week))\b"
    r"|(?P<this_week>(?i:this week))\b"
    r"|(?<!earlier )(?<!later )(?<!of )(?P<this_year>(?:so far )?this year)\b(?!'s)"
    r"|(?P<last_year>(?i:last year))\b"
    r"|(?P<this_month>this month)\b"
    r"|(?P<last_month>last month)\b"
    r"|(?i:in|during|throughout)\s+(?P<whole_year>(?:19|20)\d{2})\b(?![-\u2013/]\d)"
    r"|(?i:in|for|during)\s+(?P<in_month>" + _MONTH_NAMES + r")\b(?:\s+(?P<in_year>\d{4}))?"
    r"(?!\s*\d)"
    r")"
)
_SINCE_DATE = re.compile(
    r"(?P<month>" + _MONTH_NAMES + r")\.?\s+(?P<day>\d{1,2})\b(?:,?\s+(?P<year>\d{4}))?"
    r"|(?P<month_only>" + _MONTH_NAMES + r")\b(?:\s+(?P<month_year>\d{4}))?(?!\s*\d)"
    r"|\b(?P<year_only>(?:19|20)\d{2})\b"
    r"|\b(?P<last>last\s+)?(?P<weekday>" + _WEEKDAY_NAMES + r")\b"
    r"|\b(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(?P<this_year>year)\b"
    r"|\blast\s+(?P<last_year>year)\b"
)
_SINCE_END = re.compile(r";|,\s+(?:and|while|but|according)\b|\band that\b|\bsaid\b")
_MONTH_START = re.compile(r"\b(?:start|beginning)\s+of\s+$")
_RANGE_YEAR = re.compile(r"[-\u2013]\d")
_SUPERLATIVE = re.compile(r"\b(?:\w+est|first|most|worst|biggest|only)\b[^.;,]{0,60}$")
"""Before "since": "the deadliest day … since the 1975-90 civil war" dates no figure."""
_STARTED = re.compile(r"\b(?:began|begun|started|broke out|erupted|launched|declared|imposed)\s+$")
"""Before "in/on <date>": the start of a stretch that runs on ("the war, which began in
November 2020, has killed…")."""
SINCE_WINDOW: Final = 90
NEAR: Final = 120
"""Characters between a figure and the period phrase it takes, at most."""


def _month_number(name: str) -> int:
    lowered = name.lower()
    return MONTHS.get(lowered[:4].rstrip(".")) or MONTHS[lowered[:3]]


def _weekday_on_or_before(name: str, day: date, strictly: bool = False) -> date:
    back = (day.weekday() - WEEKDAYS.index(name.lower())) % 7
    return day - timedelta(days=back or (7 if strictly else 0))


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _day_in_year(month: int, day: int, year: str | None, stated: date) -> date | None:
    years = (int(year),) if year else (stated.year, stated.year - 1)
    for candidate in years:
        try:
            found = date(candidate, month, day)
        except ValueError:
            continue
        if year or found <= stated:
            return found
    return None


def _period(
    start: date | None, end: date | None, text: str, start_precision: Precision = "day"
) -> Period:
    return Period(
        start=start,
        start_precision=start_precision if start else None,
        end=end,
        end_precision="day" if end else None,
        text=text,
    )


def _since(text: str, at: int, end: int, stated: date) -> tuple[Period, int]:
    window_end = min(end, at + SINCE_WINDOW)
    stop = _SINCE_END.search(text, at, window_end)
    window_end = stop.start() if stop else window_end
    found = _SINCE_DATE.search(text, at, window_end)
    phrase_end = found.end() if found else window_end
    words = text[at - len("since") : phrase_end].strip(" ,")
    if found is None:
        return _period(None, stated, words), phrase_end
    groups = found.groupdict()
    start: date | None = None
    precision: Precision = "day"
    if groups["month"]:
        start = _day_in_year(
            _month_number(groups["month"]), int(groups["day"]), groups["year"], stated
        )
    elif groups["month_only"]:
        month = _month_number(groups["month_only"])
        year = int(groups["month_year"]) if groups["month_year"] else stated.year
        if not groups["month_year"] and month > stated.month:
            year -= 1
        start = date(year, month, 1)
        # "since the start of February" is its first day; "since February" the month
        precision = "day" if _MONTH_START.search(text, at, found.start()) else "month"
    elif groups["year_only"] and not _RANGE_YEAR.match(text, found.end()):
        start, precision = date(int(groups["year_only"]), 1, 1), "year"
    elif groups["weekday"]:
        start = _weekday_on_or_before(groups["weekday"], stated, strictly=bool(groups["last"]))
    elif groups["this_year"]:
        start = date(stated.year, 1, 1)
    elif groups["last_year"]:
        start, precision = date(stated.year - 1, 1, 1), "year"
    if start is not None and start > stated:
        start = None
    return _period(start, stated, words, precision), phrase_end


def _whole(first: date, precision: Precision, text: str) -> Period:
    """A month or a year named as a whole ("in May", "last year"): its first day, at its
    own precision, both as start and end."""
    return Period(
        start=first, start_precision=precision, end=first, end_precision=precision, text=text
    )


def _whole_span(first: str, last: str, stated: date, text: str) -> Period | None:
    """ "between January and November", "from 1985 to 2018": from the first month or
    year to the last, each at its own precision; None for a month and a year mixed."""
    if first.isdigit() != last.isdigit():
        return None
    precision: Precision
    if first.isdigit():
        opened, closed, precision = date(int(first), 1, 1), date(int(last), 1, 1), "year"
    else:
        year = stated.year if _month_number(last) <= stated.month else stated.year - 1
        opened = date(year, _month_number(first), 1)
        closed, precision = date(year, _month_number(last), 1), "month"
    if opened > closed:
        return None
    return Period(
        start=opened, start_precision=precision, end=closed, end_precision=precision, text=text
    )


def _within(match: re.Match[str], stated: date) -> Period | None:
    groups = match.groupdict()
    words = match.group()
    if groups["whole_year"]:
        return _whole(date(int(groups["whole_year"]), 1, 1), "year", words)
    if groups["last_year"]:
        return _whole(date(stated.year - 1, 1, 1), "year", words)
    if groups["this_month"]:
        return _whole(stated.replace(day=1), "month", words)
    if groups["last_month"]:
        return _whole(_months_before(stated.replace(day=1), 1), "month", words)
    if groups["day_first"]:
        day_of = _day_in_year(
            _month_number(groups["month_after"]),
            int(groups["day_first"]),
            groups["year_after"],
            stated,
        )
        return _period(day_of, day_of, words) if day_of else None
    if groups["unit"] or groups["bare_unit"]:
        count = groups["count"] or groups["bare_count"]
        unit = groups["unit"] or groups["bare_unit"]
        number = int(count) if count and count.isdigit() else _NUMBER_WORDS.get(count or "a", 1)
        if unit in ("month", "year"):
            first = _months_before(stated, max(1, number) * (12 if unit == "year" else 1))
            return _period(first, stated, words)
        days = max(1, round(number * _UNIT_DAYS[unit]))
        return _period(stated - timedelta(days=days), stated, words)
    if groups["from_month"]:
        month = _month_number(groups["from_month"])
        opened = _day_in_year(month, int(groups["from_day"]), None, stated)
        to_month = _month_number(groups["to_month"]) if groups["to_month"] else month
        closed = _day_in_year(to_month, int(groups["to_day"]), None, stated)
        return _period(opened, closed, words) if opened and closed and opened <= closed else None
    if groups["from_whole"]:
        return _whole_span(groups["from_whole"], groups["to_whole"], stated, words)
    if groups["span_month"]:
        opened = _day_in_year(
            _month_number(groups["span_month"]), int(groups["span_day"]), None, stated
        )
        last_month = _month_number(groups["span_to_month"] or groups["span_month"])
        closed = _day_in_year(last_month, int(groups["span_to_day"]), None, stated)
        return _period(opened, closed, words) if opened and closed and opened <= closed else None
    if groups["weekend"] is not None:
        sunday = _weekday_on_or_before("sunday", stated)
        return _period(sunday - timedelta(days=1), sunday, words)
    if groups["previous_day"] is not None or groups["yesterday"]:
        day = stated - timedelta(days=1)
        return _period(day, day, words)
    if groups["weekday"]:
        first = _weekday_on_or_before(groups["weekday"], stated)
        last = _weekday_on_or_before(groups["weekday2"], stated) if groups["weekday2"] else first
        return _period(first, max(first, last), words)
    if groups["month"]:
        day_of = _day_in_year(
            _month_number(groups["month"]), int(groups["day"]), groups["year"], stated
        )
        return _period(day_of, day_of, words) if day_of else None
    if groups["overnight"]:
        return _period(stated - timedelta(days=1), stated, words)
    if groups["last_week"]:
        monday = stated - timedelta(days=stated.weekday() + 7)
        return _period(monday, monday + timedelta(days=6), words)
    if groups["this_week"]:
        return _period(stated - timedelta(days=stated.weekday()), stated, words)
    month = _month_number(groups["in_month"])
    year = int(groups["in_year"]) if groups["in_year"] else stated.year
    if not groups["in_year"] and month > stated.month:
        year -= 1
    return _whole(date(year, month, 1), "month", words)


def periods_in(
    text: str,
    start: int,
    end: int,
    stated: date,
    statement_dates: list[tuple[int, int]],
    stated_precision: Precision = "day",
) -> list[Found]:
    """Every period phrase of `text[start:end]`, resolved against the day `stated`, except
    those that date the statement itself (`statement_dates`). A running total ends when it
    was stated, as precisely as that is known ("said last month … since January": the
    month)."""
    return [
        found._replace(period=_ended(found.period, stated_precision))
        if found.kind == "since" and found.period.end == stated
        else found
        for found in _phrases(text, start, end, stated, statement_dates)
    ]


def _ended(period: Period, precision: Precision) -> Period:
    return Period(
        start=period.start,
        start_precision=period.start_precision,
        end=period.end,
        end_precision=precision,
        text=period.text,
    )


def _phrases(
    text: str, start: int, end: int, stated: date, statement_dates: list[tuple[int, int]]
) -> list[Found]:
    found: list[Found] = []
    position = start
    while (match := _PHRASE.search(text, position, end)) is not None:
        position = match.end()
        if any(s <= match.start() < e for s, e in statement_dates):
            continue
        if match.group("this_year"):  # "so far this year": a running total
            running = _period(date(stated.year, 1, 1), stated, match.group(), "year")
            found.append(Found(match.start(), match.end(), running, "since"))
        elif match.group("since"):
            if _SUPERLATIVE.search(text, max(start, match.start() - 80), match.start()):
                continue
            period, position = _since(text, match.end(), end, stated)
            found.append(Found(match.start(), position, period, "since"))
        elif (within := _within(match, stated)) is not None:
            started = _STARTED.search(text, max(start, match.start() - 30), match.start())
            if started and within.start is not None:
                precision = within.start_precision or "day"
                running = _period(within.start, stated, within.text or "", precision)
                found.append(Found(match.start(), match.end(), running, "since"))
            else:
                found.append(Found(match.start(), match.end(), within, "within"))
    return found


def nearest(periods: list[Found], first: int, last: int) -> Found | None:
    """The period a figure at `first`-`last` takes: the nearest phrase after it, else the
    nearest before it, within `NEAR` characters."""
    after = [p for p in periods if p.start >= last and p.start - last <= NEAR]
    if after:
        return min(after, key=lambda p: p.start)
    before = [p for p in periods if p.end <= first and first - p.end <= NEAR]
    return max(before, key=lambda p: p.end) if before else None


_TIME_WORDS: Final = re.compile(
    r"\b(?:" + _WEEKDAY_NAMES + "|" + _MONTH_NAMES + r")\b|\b(?:19|20)\d{2}\b"
    r"|\b(?:ago|earlier|previous|previously|last|after|before|since|until|during|when|"
    r"yesterday|today|tonight|overnight|morning|night|week|weeks|month|months|year|years)\b"
)


def times_otherwise(
    text: str, start: int, end: int, statement_dates: list[tuple[int, int]]
) -> bool:
    """Whether `text[start:end]` places something in time by its own words besides the day
    it was said ("two days after", "earlier this month", "in March"): a sentence that may
    tell of another incident than the story's."""
    for found in _TIME_WORDS.finditer(text, start, end):
        if not any(s <= found.start() < e for s, e in statement_dates):
            return True
    return False
