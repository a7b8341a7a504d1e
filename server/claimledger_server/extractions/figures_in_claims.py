"""The figures of a claim: the counts of its passage (`text.quantities`) that say what they
count — a metric from the words around them ("killed", "wounded", "displaced"…), or the
metric of the figure they are part of ("killed 558 people, including 50 children"; "231
members of the security forces and 250 fighters had died").

A count of people with no metric is no figure (a city of "2 million people"), and
measurements (percentages, money, distances, durations) never are. Things counted (drones,
tanks, villages) are `captured` when taken or seized, else `other` (GUIDELINES.md)."""

import re
from typing import Final

from claimledger_server.extractions.schemas import DraftFigure, Span
from claimledger_server.figures.bounds import GIVEN_BOUNDS
from claimledger_server.figures.schemas import Accumulation, Metric
from claimledger_server.text.lexicon import FORMATIONS, THINGS
from claimledger_server.text.quantities import Quantity, find_quantities

_THINGS: Final = frozenset({*THINGS, *THINGS.values()})
_HUMAN: Final[frozenset[Metric]] = frozenset(
    {"killed", "wounded", "killed_or_wounded", "executed", "missing", "detained", "displaced"}
)

_BLANK_QUOTES: Final = str.maketrans({'"': " ", "\u201c": " ", "\u201d": " "})
_AS_WELL_AS: Final = re.compile(r"(?:as well as|plus|along with)\s*$")
_AMONG_THEM: Final = re.compile(r"\s+among (?:them|the dead|the victims)\b")
_SEND: Final = re.compile(r"\b(?:send|deploy|dispatch|station)\s*$")
_PART_OF: Final = re.compile(
    r"(?:including|among them|among whom|of them|of whom|of which)\s*$", re.IGNORECASE
)
_JOINED: Final = re.compile(r"\s*(?:,|and|or|,\s*and)\s*")
_SAME_CLAUSE_AND: Final = re.compile(r"[^,.;:()\"\u201c\u201d\d]{0,60}\s(?:and|or)\s*")
_TOLL: Final = re.compile(r"\b(?:death toll|number of (?:people )?killed|toll)\b[^.;]*$")
_PEOPLE_PHRASES: Final[tuple[tuple[re.Pattern[str], Metric], ...]] = (
    (re.compile(r"\b(?:claimed|took|cost|costing|claiming) the lives of\s*$"), "killed"),
    (re.compile(r"^\s*lives\b"), "killed"),
    (re.compile(r"\b(?:abducted|kidnapped|abducting|kidnapping|rounded up)\s*$"), "detained"),
    (re.compile(r"^[^.;,]{0,25}\b(?:hospitali[sz]ed|admitted to hospital)"), "wounded"),
    (re.compile(r"^[^.;,]{0,25}\b(?:sought refuge|took shelter|sheltered)"), "displaced"),
    (re.compile(r"^[^.;,]{0,25}\b(?:were|have been|had been) (?:abducted|kidnapped)"), "detained"),
)
_BODIES: Final = re.compile(r"\bbodies of\s*$", re.IGNORECASE)
_VERB_AFTER_ASIDE: Final = re.compile(
    r"[^.;]{0,80}?,\s*(?:had|have|has|were|was)\s+(?:been\s+)?"
    r"(?P<verb>killed|wounded|injured|displaced|captured|detained|arrested|died)\b"
)
_ASIDE_METRICS: Final[dict[str, Metric]] = {
    "killed": "killed",
    "died": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "displaced": "displaced",
    "captured": "captured",
    "detained": "detained",
    "arrested": "detained",
}
_HOMES: Final = re.compile(r"^[^.;,]{0,40}\bfrom their homes\b")
_FREED: Final = re.compile(r"\b(?:free|freed|freeing|release|released|releasing|exchange|swap)")
_HOSTAGES: Final = re.compile(r"\b(?:hostages?|captives?|prisoners?)\b", re.IGNORECASE)
_TAKEN: Final = re.compile(
    r"\b(?:taking|took|taken|take|seized|captured|abducted|holding|held|holds)\b"
)
_BARE_NUMBER: Final = re.compile(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten))$")
_SEIZED: Final = re.compile(
    r"\b(?:seized|seizing|captured|capturing|took control|taken control|lost control|"
    r"took(?! part)|taken(?! part)|overran|overrun)\b"
)
_TAKEN_AFTER: Final = re.compile(
    r"[^.;,]{0,20}?\b(?:taken|took|held|being held)\s+(?:as\s+)?(?:hostages?|captives?|prisoners?)"
)
_TAKING_PART: Final = re.compile(r"\b(?:took|taking|take|takes) part\b")
_SHELTERING: Final = re.compile(r"\b(?:sheltering|shelter|camps?)\b")
_OTHER_PEOPLE: Final = re.compile(
    r"\b(?:need|needs|in need|remain|remaining|remained|recruited|recruits|rescued|freed|"
    r"released|trapped|starving|malnourished|famine|hunger|besieged|living|still living)\b"
)
_ACTED_ON: Final = re.compile(
    r"\b(?:hit|fired|launched|shot down|destroyed|struck|entered|carried out|used|downed|"
    r"intercepted|burnt|burned|damaged|waiting|delivered|went|lost|flew|targeted|"
    r"repelled|attacked|shelled|bombed)\b",
    re.IGNORECASE,
)
_PERSON_NOUN: Final = re.compile(
    r"(?:ers|ians|ans|ants|ents|ists|ees|men|ren|ites|ors|ives|ims|ths|is)$|^(?:kids|youths)$"
)
_EVENTS: Final = frozenset(
    {
        *("attacks", "strikes", "airstrikes", "air-strikes", "raids", "assaults", "drones"),
        *("missiles", "rockets", "shells", "sorties", "ambushes", "bombings", "shellings"),
    }
)
"""Things a conflict counts whatever the verb: drones launched, strikes carried out."""
_THINGS_NOT_FIGURES: Final = frozenset({"times", "years", "days", "months", "weeks", "hours"})
_CUMULATIVE: Final = re.compile(
    r"\b(?:since|so far|to date|in total|total|toll|risen to|rose to|overall|"
    r"has killed|have killed|have been killed|has been killed)\b",
    re.IGNORECASE,
)
_INCREMENTAL: Final = re.compile(
    r"\b(?:on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|overnight|"
    r"in the past \d+ hours|past 24 hours|yesterday|in the attack|in the strike|last night)\b",
    re.IGNORECASE,
)


def figures_of(
    text: str, start: int, end: int, before: DraftFigure | None = None
) -> list[DraftFigure]:
    """The figures stated in `text[start:end]` (spans into `text`); `before` is the last
    figure of the text before it, which "300 of them" may be part of."""
    passage = text[start:end]
    # Scare quotes ('killed "hundreds" of the assailants') hide a number's words from the
    # parser; blanking them keeps every offset.
    counts = [q for q in find_quantities(passage.translate(_BLANK_QUOTES)) if q.kind == "count"]
    metrics = [_metric(passage, q) for q in counts]
    for i in range(len(counts) - 2, -1, -1):  # "231 members … and 250 fighters had died"
        between = passage[counts[i].end : counts[i + 1].start]
        if metrics[i] is None and metrics[i + 1] and _SAME_CLAUSE_AND.fullmatch(between):
            metrics[i] = metrics[i + 1]
    figures: list[DraftFigure] = []
    for i, quantity in enumerate(counts):
        metric, unit = metrics[i], None
        if metric is None and i and metrics[i - 1]:
            between = passage[counts[i - 1].end : quantity.start]
            if (
                _PART_OF.search(passage, max(0, quantity.start - 40), quantity.start)
                or _JOINED.fullmatch(between)
                or _AS_WELL_AS.search(between)
                or _AMONG_THEM.match(passage, quantity.end)
            ):
                metric = metrics[i] = _for_unit(metrics[i - 1], quantity)  # "including 50"
                if _BARE_NUMBER.search(quantity.text):
                    unit = figures[-1].unit if figures else None  # "including 20 over Belgorod"
        if metric is None and before is not None and _of_them(passage, quantity):
            metric, unit = before.metric, before.unit  # "At least 300 of them went north"
        if metric is None:
            continue
        figure = _figure(passage, start, quantity, metric, unit)
        figures.append(figure)
    return figures


def _for_unit(metric: Metric | None, quantity: Quantity) -> Metric | None:
    """A metric of people passed on to a count of things: tanks are lost, not killed."""
    if metric in ("killed", "wounded", "killed_or_wounded") and _thing(quantity.unit):
        return "other"
    return metric


def _of_them(passage: str, quantity: Quantity) -> bool:
    return re.match(r"\s*of them\b", passage[quantity.end :]) is not None


def _metric(passage: str, quantity: Quantity) -> Metric | None:
    """What the count counts, by the words around it; None for no figure."""
    before = passage[max(0, quantity.start - 120) : quantity.start]
    after = passage[quantity.end : quantity.end + 100]
    around = passage[max(0, quantity.start - 40) : quantity.end + 40]
    metric = quantity.metric
    people = quantity.unit == "people"
    if people and _TAKEN_AFTER.match(after):
        return "captured"  # "17 soldiers were taken hostage"
    if _TAKING_PART.search(around):
        return "deployed"  # "12 jets took part in the strikes"
    if people and metric in (None, "displaced") and _SHELTERING.search(around):
        return "displaced"
    if people and _SEND.search(before):
        return "deployed"  # "preparing to send up to 1,500 more soldiers"
    if (
        people
        and (metric is None or _OTHER_PEOPLE.search(quantity.text))
        and _OTHER_PEOPLE.search(around)
    ):
        return "other"  # people in need, residents remaining, recruits, people freed
    if _HOSTAGES.search(quantity.text + after[:12]) and people:
        if _FREED.search(around):
            return "other"  # an exchange: "33 hostages … for 1,700 prisoners"
        if metric is None and _TAKEN.search(before[-30:]):
            return "captured"  # "taking more than 250 hostages"
    if metric is None and people:
        for pattern, found in _PEOPLE_PHRASES:
            if pattern.search(before[-40:] if pattern.pattern.endswith("$") else after[:40]):
                return found
    if metric is None and _BODIES.search(before):
        return "killed"  # "the bodies of more than 120 people"
    if metric is None and _HOMES.search(after):
        return "displaced"  # "forced 10 million people from their homes"
    if metric is None and (aside := _VERB_AFTER_ASIDE.match(after)) is not None:
        metric = _ASIDE_METRICS[aside.group("verb")]  # "300 people, including …, were killed"
    if metric is None and _TOLL.search(before):
        return "killed"  # "the death toll … had risen to 43,061"
    if people or (metric in _HUMAN and not _thing(quantity.unit)):
        return metric  # "killed at least 40 villagers": people the lexicon does not name
    if quantity.unit in _THINGS_NOT_FIGURES:
        return None
    if _SEIZED.search(before[-80:] + quantity.text + after[:40]):
        return "captured"  # places and equipment taken
    if metric in ("killed", "wounded", "killed_or_wounded") or (
        metric is None and (_ACTED_ON.search(around) or quantity.unit in _EVENTS)
    ):
        return "other"  # drones shot down, tanks lost, targets hit
    return metric


def _figure(
    passage: str, offset: int, quantity: Quantity, metric: Metric, unit: str | None
) -> DraftFigure:
    vague = quantity.qualifier == GIVEN_BOUNDS
    return DraftFigure(
        metric=metric,
        amount=quantity.amount,  # type: ignore[arg-type]
        qualifier=quantity.qualifier,
        amount_max=quantity.amount_max,  # type: ignore[arg-type]
        low=quantity.low if vague else None,
        high=quantity.high if vague else None,
        unit=unit or _unit(quantity.unit, metric),
        accumulation=_accumulation(passage, quantity),
        text=passage[quantity.start : quantity.end],
        span=Span(start=offset + quantity.start, end=offset + quantity.end),
    )


def _thing(unit: str) -> bool:
    return unit in _THINGS or unit in FORMATIONS


def _unit(unit: str, metric: Metric) -> str:
    if metric in _HUMAN and not _thing(unit) and _PERSON_NOUN.search(unit):
        return "people"  # "villagers", "terrorists", "Alawites"
    slug = re.sub(r"[^a-z0-9]+", "-", unit.lower()).strip("-")
    return slug[:64].strip("-") or "people"


def _accumulation(passage: str, quantity: Quantity) -> Accumulation:
    window = passage[max(0, quantity.start - 60) : quantity.end + 60]
    if _CUMULATIVE.search(window):
        return "cumulative"
    if _INCREMENTAL.search(window):
        return "incremental"
    return "unknown"
