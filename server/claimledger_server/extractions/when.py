"""When a claimant said it: the date phrase next to a speech verb ("said on Monday",
"told a briefing in Geneva on Monday (December 23)", "said last month", "on Dec. 19"),
resolved against the source's publication day.

Resolution (eval/extraction/GUIDELINES.md, "Dates"): a weekday is the latest such day on or
before publication; a day of a month is that day in the latest year that does not put it
after publication; "last week" is the calendar week before the week of publication, at the
narrowest precision that holds all of it (its month, else its year); "last month" and
"last year" are that month and that year; "yesterday" and "last night" are the day before."""

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

from claimledger_server.common import Precision


class Stated(NamedTuple):
    on: date
    precision: Precision


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES = "|".join(day.capitalize() for day in WEEKDAYS)
"""A weekday's name, capitalised, as a regular expression's alternatives."""
MONTHS = {
    **{m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun"))},
    **{m: i + 7 for i, m in enumerate(("jul", "aug", "sep", "oct", "nov", "dec"))},
    "sept": 9,
}
MONTH_NAMES = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
"""A month's name, in full or abbreviated, as a regular expression's alternatives."""
_MONTH = r"(?P<{name}>" + MONTH_NAMES + r")\.?"
_DAY_OF_MONTH = (
    _MONTH.format(name="month")
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})"
    + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH.format(name="month2")
    + r"(?![\w]|,?\s*\d{4})"
)
_OCCASIONS = (
    r"briefing|hearing|session|meeting|interview|address|speech|debate|statement|"
    r"news conference|press conference|bulletin|programme|program|broadcast|phone-in|show"
)
"""Occasions a statement is made on, which a weekday before them dates."""
_BEFORE_OCCASION = r"(?:[\w-]+\s+|[\"\u201c][^\"\u201c\u201d]{1,40}[\"\u201d]\s+)?"
"""A word or a quoted title before the occasion: "Monday's "Morning Hour" programme"."""
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_PHRASE = re.compile(
    r"\b(?:"
    + r"(?:[Oo]n\s+|(?P<last_day>[Ll]ast\s+)|(?:[Ee]arly|[Ll]ate)\s+(?:on\s+)?|(?<=said\s)"
    + r"|(?<=told\s)|(?<=[Dd]uring\s)|(?<=[Aa]t\s)|(?<=[Ii]n\s))"
    + _WEEKDAY
    # "Monday's attack" is the event's day; "Monday's hearing" the occasion's, the speaker's
    + r"(?!['\u2019]s\b(?!\s+"
    + _BEFORE_OCCASION
    + r"(?:sitting|"
    + _OCCASIONS
    + r")\b))"
    + r"(?:\s+(?:morning|afternoon|evening|night))?(?:\s*\((?P<paren>[^()]{3,20})\))?"
    # the occasion a transcript is of or from, or a caller called: "a transcript of
    # Wednesday's briefing", "an excerpt from Monday's hearing", "a caller to Sunday's phone-in"
    + r"|(?:(?<=\s[Oo]f\s)|(?<=\s[Tt]o\s)|(?<=\s[Ff]rom\s))"
    + r"(?P<weekday_of>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?=['\u2019]s\s+"
    + _BEFORE_OCCASION
    + r"(?:"
    + _OCCASIONS
    + r")\b)"
    # a weekday that names the occasion: "in a Thursday statement", "on the same Saturday
    # bulletin"
    + r"|(?:(?<=\sa\s)|(?<=\sthe\s)|(?<=\ssame\s)|(?<=\sits\s))(?P<weekday_occasion>Monday|"
    + r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?=\s+(?:[\w-]+\s+)?(?:statement|"
    + r"briefing|interview|address|speech|post|news conference|press conference|report|"
    + r"bulletin|programme|broadcast|phone-in)\b)"
    + r"|[Oo]n\s+(?:"
    + _DAY_OF_MONTH
    + r")"
    # a document a weekday's possessive dates, its author named: "Wednesday's report by X"
    + r"|(?P<weekday_doc>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    + r"(?=['\u2019]s\s+(?:[\w-]+\s+)?(?:report|statement|bulletin|update|tally)\s+(?:by|from)\s)"
    # a document's own date: "in its report of 30 May", "a statement dated March 4", "a
    # letter to the group dated 24 October", "your article on the camps of Dec. 18", "put the
    # toll at 21 in a report on March 2"
    + r"|(?:(?:report|statement|letter|communiqu\w+|briefing|update|bulletin|article|story"
    + r"|editorial)(?:\s+(?:on|about)\s+[^,;()\d]{1,40}?)?\s+(?:of|on)|dated)\s+(?:"
    + _DAY_OF_MONTH.replace("?P<", "?P<doc_")
    + r")"
    + r"|(?P<last>[Ll]ast|[Ee]arlier this|[Tt]his)\s+(?P<span>week|month|year)"
    # "In January, the ministry said": a sentence may open on the month
    + r"|[Ii]n\s+(?:early\s+|mid-?|late\s+)?"
    + _MONTH.format(name="in_month")
    + r"(?:\s+(?P<in_year>\d{4}))?(?![\w-]|\s*\d)"
    + r"|(?:figures|data|estimates?|report|count|census|tally)\s+(?:from|of|published in|"
    + r"released in|dated)\s+"
    + _MONTH.format(name="report_month")
    + r"\s+(?P<report_year>\d{4})"
    + r"|(?P<yesterday>yesterday|last\s+night)"
    # "on the 4th": that day of the month of publication, or of the month before
    + r"|[Oo]n\s+the\s+(?P<nth>\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?[A-Z])"
    # "said in 2022": a statement dated by its year alone
    + r"|(?<=said\s)in\s+(?P<said_year>(?:19|20)\d{2})\b(?![\w-])"
    + r")"
)
"""A date phrase as it follows a speech verb; a year after the day ("Oct. 7, 2023") makes
it the date of an event, not of the statement."""
_PAREN_DATE = re.compile(r"^\s*(?:" + _DAY_OF_MONTH + r")\s*$")


def resolve(match: re.Match[str], published: date) -> Stated | None:
    """The day (and precision) the phrase `match` of `DATE_PHRASE` names."""
    groups = match.groupdict()
    if groups["paren"] and (inner := _PAREN_DATE.match(groups["paren"])):
        return day_of_month(inner.groupdict(), published)
    if weekday := (
        groups["weekday"]
        or groups["weekday_occasion"]
        or groups["weekday_of"]
        or groups["weekday_doc"]
    ):
        day = weekday_before(weekday, published)
        if day == published and groups["last_day"]:
            day -= timedelta(days=7)  # "last Friday", said on a Friday: a week before
        return Stated(day, "day")
    if groups["month"] or groups["month2"]:
        return day_of_month(groups, published)
    if groups["doc_month"] or groups["doc_month2"]:
        return day_of_month(
            {name.removeprefix("doc_"): value for name, value in groups.items()}, published
        )
    if groups["report_month"]:
        month = MONTHS.get(groups["report_month"].lower()[:4].rstrip(".")) or MONTHS.get(
            groups["report_month"].lower()[:3]
        )
        return Stated(date(int(groups["report_year"]), month or 1, 1), "month")
    if groups["in_month"]:
        return _month(groups["in_month"], groups["in_year"], published)
    if groups["yesterday"]:
        return Stated(published - timedelta(days=1), "day")
    if groups["nth"]:
        return _nth(int(groups["nth"]), published)
    if groups["said_year"]:
        year = int(groups["said_year"])
        return Stated(date(year, 1, 1), "year") if year <= published.year else None
    span = groups["span"]
    if groups["last"].lower() in ("earlier this", "this"):
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


def _month(name: str, year: str | None, published: date) -> Stated | None:
    """ "in May": that month, in the latest year that does not put it after publication."""
    month = MONTHS.get(name.lower()[:4].rstrip(".")) or MONTHS.get(name.lower()[:3])
    if month is None:
        return None
    if year is not None:
        return Stated(date(int(year), month, 1), "month")
    latest = published.year if month <= published.month else published.year - 1
    return Stated(date(latest, month, 1), "month")


def _nth(day: int, published: date) -> Stated | None:
    """ "on the 4th": the latest such day not after publication."""
    first = published.replace(day=1)
    for month_start in (first, (first - timedelta(days=1)).replace(day=1)):
        try:
            on = month_start.replace(day=day)
        except ValueError:
            continue
        if on <= published:
            return Stated(on, "day")
    return None


def _narrowest(first: date, last: date) -> Stated:
    if (first.year, first.month) == (last.year, last.month):
        return Stated(first.replace(day=1), "month")
    if first.year == last.year:
        return Stated(date(first.year, 1, 1), "year")
    return Stated(date(last.year, 1, 1), "year")


def day_of_month(groups: Mapping[str, str | None], published: date) -> Stated | None:
    """The day named by `month`/`month2` and `day`/`day2` of a match's groups: in the year
    its `year` group gives, if any, else in the latest year that does not put it after
    publication."""
    month_name = groups.get("month") or groups.get("month2") or ""
    day_text = groups.get("day") or groups.get("day2") or ""
    month = MONTHS.get(month_name.lower()[:4].rstrip(".")) or MONTHS.get(month_name.lower()[:3])
    if month is None or not day_text:
        return None
    year_text = groups.get("year")
    years = [int(year_text)] if year_text else [published.year, published.year - 1]
    for year in years:
        try:
            day = date(year, month, int(day_text))
        except ValueError:
            continue
        if year_text or day <= published:
            return Stated(day, "day")
    return None


def weekday_before(weekday: str, published: date) -> date:
    """The last `weekday` (a name) on or before the publication day."""
    return published - timedelta(days=(published.weekday() - WEEKDAYS.index(weekday.lower())) % 7)


def date_near(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first date phrase of `text[start:end]`."""
    return DATE_PHRASE.search(text, start, end)


_PREPOSITION = (
    r"(?:in|at|during|via|through|by|from|with|on|to|for|before|after|outside|inside|over|near|amid"
    r"|while|speaking|addressing|according)"
)
_SPOKEN_OF = (
    r"the\s+(?:[\w-]+\s+)?(?:accusations?|allegations?|charges?|claims?|reports?|criticism|"
    r"account|figures?)\s+"
    r"|the\s+(?:[\w-]+\s+)?(?:toll|number|figure|count|total)\s+at\s+"
    r"(?:[\"\u201c][^\"\u201c\u201d]{1,40}[\"\u201d]|[\w,.-]+(?:\s+[\w,.-]+){0,3}?)\s+"
)
"""What a statement is about, between its verb and its occasion: "rejected the accusation in
a statement on Tuesday", "put the toll at 300 in a speech last year"."""
_OCCASION = (
    r"\s*(?:(?:late|early|earlier|later|also|again|separately|publicly|previously|too)\s+)*"
    r"(?:[\"\u201c][^\"\u201c\u201d]{1,80}[\"\u201d]\s+|responsibility\s+|" + _SPOKEN_OF + r")?"
    r"(?:(?:cited|quoted|carried|relayed)\s+)?"
    r"(?:" + _PREPOSITION + r"\s+(?:[^\s,;]+\s+){0,9}?)*"
    r"(?:[^\s,;]+,\s*(?:issued|published|released|posted|dated|broadcast|aired)\s+|[^\s,;]+,\s*)?"
)
"""Between a speech verb and its date: adverbs, a quoted or idiomatic object
("acknowledged "significant losses"", "claimed responsibility", "rejected the accusation")
and the places, channels and occasions it was said in ("in a statement", "on state
television"), whose own date may follow them ("in its weekly bulletin, issued on Friday",
"in its last update of the year, on Dec. 22")."""
_AUDIENCE = (
    r"\s*(?:me|us|him|her|them)\s+"  # "told me on June 24", as a diarist or columnist writes
    r"|\s*(?:the\s+|a\s+|an\s+)?(?:[\w'\u2019-]+\s+){0,4}?(?:reporters|journalists|lawmakers|"
    r"parliament|conference|briefing|meeting|session|newspaper|broadcaster|agency|television|"
    r"radio|station|channel|outlet|website|daily|paper|network|programme|program|audience|"
    r"crowd|supporters|diplomats|council|committee|newsroom|correspondents?|reporter|"
    r"court|tribunal|judges?|jury|hearing|inquiry|"
    r"media|press|envoys|students|residents|troops|soldiers|forum|summit)\s+"
    r"(?:[A-Z][\w'.&-]*\s+){0,3}"
    r"|\s*(?:the\s+)?(?:[a-z]+-(?:run|based|backed|owned|linked|affiliated|controlled|aligned)"
    r"\s+)?(?:(?:of|de|del|la|el|al)\s+)?(?:[A-Z][\w'.&-]*\s+(?:(?:of|de|del|la|el|al)\s+)?){1,4}"
    r"(?:radio|television|TV|channel|newspaper|daily|agency)?\s*"
)
_SAID_ON = re.compile(_OCCASION)
_TOLD_ON = re.compile(r"(?:" + _AUDIENCE + r")" + _OCCASION)
"""After "told": the audience ("reporters", "a briefing", "the broadcaster Suspilne"),
then the occasion."""
_TOLD_BEFORE = re.compile(r"\b(?:told|tells|telling)$")


_CLAIMED_BEFORE = re.compile(r"\bclaim(?:ed|s)$")
_CLAIMED_ON = re.compile(
    r"\s*(?:responsibility\s+for\s+)?the\s+(?:[\w-]+\s+){0,2}?(?:attacks?|ambush|bombings?|"
    r"assault|raids?|strikes?|killings?|abductions?)\s+" + _OCCASION
)
"""After "claimed": the act claimed, then the occasion ("claimed the attack on Saturday")."""


def attribution_date(text: str, start: int, end: int) -> re.Match[str] | None:
    """The date phrase of the words right after a speech verb ("said on Monday", "told a
    briefing in Geneva on Monday", "said in a statement last week"). A date inside what was
    said ("said a strike on Sunday killed 26") is the event's, not the statement's: the
    date counts only when nothing but the occasion (an audience after "told", places,
    channels) stands between it and the verb. A report's own date ("figures from March
    2023") counts wherever it stands."""
    match = DATE_PHRASE.search(text, start, end)
    if match is None:
        return None
    if (
        match.group("report_month")
        or match.group("doc_month")
        or match.group("doc_month2")
        or _SAID_ON.fullmatch(text, start, match.start())
    ):
        return match
    told = _TOLD_BEFORE.search(text, max(0, start - 8), start)
    if told and _TOLD_ON.fullmatch(text, start, match.start()):
        return match
    claimed = _CLAIMED_BEFORE.search(text, max(0, start - 8), start)
    if claimed and _CLAIMED_ON.fullmatch(text, start, match.start()):
        return match
    return None


_COUNT_WORDS = ("a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_DAYS_APART = (
    r"(?:(?P<n>a|one|two|three|four|five|six|seven|eight|nine|\d)\s+days?\s+"
    r"(?P<way>later|earlier|before)"
    r"|(?P<next>the\s+(?:next|following)\s+day)"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+day|the\s+day\s+before))"
)
_DAYS_LATER = re.compile(r"\s*" + _DAYS_APART + r",\s*", re.IGNORECASE)
_DAYS_AFTER_VERB = re.compile(r"\s*" + _DAYS_APART + r"(?=\s+that\b|\s*,|\s*$)", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:the\s+|an?\s+)?")
_LOOK_BACK = 600
"""How far back the date that "two days later" counts from may stand."""


def days_later(text: str, start: int, speaker_start: int, published: date) -> Stated | None:
    """ "Two days later, the army said", "A day earlier, the rebels said": the last date
    named before the sentence, moved on or back by that many days (never past
    publication)."""
    later = _DAYS_LATER.match(text, start, speaker_start)
    if later is None or not _ARTICLE.fullmatch(text, later.end(), speaker_start):
        return None  # the speaker must follow: "Two days later, the army said"
    return _days_from_last_date(text, start, later, published)


def days_after_verb(text: str, after: int, sentence_start: int, published: date) -> Stated | None:
    """ "The rebels had said the previous day that …", "said two days earlier that": the
    last date named before the sentence, moved by that many days."""
    apart = _DAYS_AFTER_VERB.match(text, after)
    if apart is None:
        return None
    return _days_from_last_date(text, sentence_start, apart, published)


def _days_from_last_date(
    text: str, start: int, apart: re.Match[str], published: date
) -> Stated | None:
    anchors = list(DATE_PHRASE.finditer(text, max(0, start - _LOOK_BACK), start))
    anchor = anchors[-1] if anchors else None
    if anchor is None or (anchored := resolve(anchor, published)) is None:
        return None
    if anchored.precision != "day":
        return None
    n = apart.group("n")
    days = 1 if apart.group("next") or apart.group("prev") or n is None else (
        int(n) if n.isdigit() else max(1, _COUNT_WORDS.index(n.lower()))
    )  # fmt: skip
    back = apart.group("prev") or (apart.group("way") or "").lower() in ("earlier", "before")
    on = anchored.on + timedelta(days=-days if back else days)
    return Stated(on, "day") if on <= published else None
