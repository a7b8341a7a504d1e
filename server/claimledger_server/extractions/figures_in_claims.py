"""The figures of a claim: the counts of its passage (`text.quantities`) that say what they
count — a metric from the words around them ("killed", "wounded", "displaced"…), or the
metric of the figure they are part of ("killed 558 people, including 50 children"; "231
members of the security forces and 250 fighters had died").

A count of people with no metric is no figure (a city of "2 million people"), and
measurements (percentages, money, distances, durations) never are. Things counted (drones,
tanks, villages) are `captured` when taken or seized, else `other` (GUIDELINES.md)."""

import re
from typing import Final, Literal

from claimledger_server.extractions.aside_verbs import PREDICATE_AFTER_ASIDE
from claimledger_server.extractions.count_metrics import HUMAN, PART_OF, TAKING_PART, metric_of
from claimledger_server.extractions.labelled_lists import labelled_count
from claimledger_server.extractions.non_figures import counts_nothing
from claimledger_server.extractions.number_of import before_bringing, brought_to
from claimledger_server.extractions.ranks import ranked_counts
from claimledger_server.extractions.schemas import DraftFigure, Span
from claimledger_server.extractions.standing import standing_count
from claimledger_server.extractions.thing_metrics import ACTED_ON, SEIZED, for_unit, is_thing
from claimledger_server.extractions.totals import total_of
from claimledger_server.figures.bounds import GIVEN_BOUNDS
from claimledger_server.figures.schemas import Accumulation, Metric
from claimledger_server.text.lexicon import PEOPLE
from claimledger_server.text.quantities import Quantity, find_quantities

_BLANK_QUOTES: Final = str.maketrans({'"': " ", "\u201c": " ", "\u201d": " "})
_AS_WELL_AS: Final = re.compile(r"(?:as well as|plus|along with)\s*$")
_AMONG_THEM: Final = re.compile(r"\s+among (?:them|the dead|the victims)\b")
_JOINED: Final = re.compile(r"\s*(?:,|and|or|,\s*and)\s*")
_SAME_CLAUSE_AND: Final = re.compile(r"[^,.;:()\"\u201c\u201d\d]{0,60}\s(?:and|or)\s*")
_PUT_IT: Final = re.compile(
    r"\b(?:put|puts|putting|place|places|placed|estimate|estimates|estimated)\s+"
    r"(?:it|the figure|that figure|the number|that number|the total)\s*(?:at\s*)?$"
    r"|\b(?:stopped|stop|stops|gave up)\s+counting\s+at\s*$"
)
"""A number given for a figure named before ("some estimates put it as high as 150,000",
"we stopped counting at 200": the count of what was counted before)."""
_LIST_NEXT: Final = re.compile(r"(?:\s+[\w'-]+){0,4}?\s*(?:,|,?\s+and)\s*")
"""Between the items of a list of parts ("214 rebels, 137 soldiers and allied fighters and
61 civilians")."""
_PARTITIVE: Final = re.compile(r"\s+of\s+(?:the|its|their|these|those|all)\s+")
_SPEAK_AFTER: Final = re.compile(
    r"\s+(?:(?:later|also|separately)\s+)?(?:said|say|says|told|tell|reported|recounted|"
    r"described|added|recalled)\b(?!\s+(?:to\s+have\s+been\s+|to\s+be\s+)?(?:killed|dead|"
    r"missing|wounded|injured|captured|detained|abducted|kidnapped|displaced|arrested))"
)
"""After a count: it counts who spoke ("three witnesses said"), not whom a count reports
("2,914 people reported killed")."""
_UP_FROM: Final = re.compile(
    r"\b(?:(?:up|down|rising|falling|climbing)\s+from|compared\s+(?:with|to))"
    r"\s+(?:(?:some|about|around|roughly|nearly|almost|just|over|more than|fewer than|"
    r"less than)\s+)?$"
)
"""The same count at an earlier time: "… were displaced, up from about 900,000", "killed 87
since January, compared with 41 in the same period of last year"."""
_ANOTHER: Final = re.compile(
    r"\b(?:another|a further|an additional|further|the other)\s*$", re.IGNORECASE
)
"""A count of more of what was counted before: "another 22", "the other three"."""
_OTHERS: Final = re.compile(r"\s+others\b")
_RECORDED: Final = re.compile(r"\b(?:recorded|counted|documented|registered|logged)\s+$")
"""A bare number a monitor recorded counts what was counted before: "it was the 9th raid
this year; it recorded 40 last year"."""
_AMONG_NEXT: Final = re.compile(r"\s+(?:were|was|are|is)\s+(?:also\s+)?among(?:\s+the)?\s+")
"""A part named before its whole: "two journalists were among the 12 people killed"."""
_KIND_AMONG: Final = re.compile(
    r"\s+(?:were|was)\s+(?:(?:all|mostly|also|both)\s+)?(?P<kind>[a-z]+)\b"
)
"""A number whose noun is left out, said to be of a kind: "three were children" is a part of
the count before it (`text.references.elided_people` lets only nouns of people through)."""
_AMONG_BEFORE: Final = re.compile(
    r"^\W*(?:among (?:them|those|the dead|the victims|whom)|of (?:them|those|whom))\b"
    r"[^.;,]{0,20}$",
    re.IGNORECASE,
)
_ATTACKED: Final = re.compile(
    r"\b(?:attacked|shelled|struck|hit|bombed|fired (?:on|at)|targeted|raided)\b"
    r"[^.;,]{0,60}$"
)
"""How often a place was attacked: "the city was attacked more than 10 times"."""
_BROKE_TRUCE: Final = re.compile(
    r"\b(?:violated|violating|breached|breaching|broke|broken|breaking)\s+(?:the\s+)?"
    r"(?:[\w'\u2019-]+\s+){0,3}?(?:ceasefire|cease-fire|truce|armistice)\b[^.;,]{0,60}$",
    re.IGNORECASE,
)
"""How often a truce was broken: "violated the ceasefire on the border 27 times"."""
_AMONG_NAMED: Final = re.compile(r"\bthe (dead|wounded|injured)\b", re.IGNORECASE)
"""A part that names its whole: "Among the dead were 10 women" counts the killed."""
_NOT_SAVED: Final = re.compile(
    r"[^.;]{0,60}?\b(?:but|and)\s+(?:they|all of them|both of them|both)\b[^.;]{0,40}?"
    r"\b(?:could not be saved|did not survive|later died|died of (?:their )?(?:wounds|"
    r"injuries)|succumbed to (?:their )?(?:wounds|injuries)|were later killed)"
)
"""Captives or wounded who then died: a second figure, killed, on the same number."""
_BARE_NUMBER: Final = re.compile(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten))$")
_PERSON_NOUN: Final = re.compile(
    r"(?:ers|ians|ans|ants|ents|ists|ees|men|ren|ites|ors|ives|ims|ths|is)$|^(?:kids|youths)$"
)
_CUMULATIVE: Final = re.compile(
    r"\b(?:since|so far|to date|in total|total|toll|risen to|rose to|overall|already|"
    r"(?:bringing|brings|brought|raising|raises|pushing|pushes)\s+the\s+number|"
    r"(?:has|have)\s+(?:now\s+|so far\s+|also\s+|already\s+)?(?:been\s+)?"
    r"(?:killed|wounded|injured|displaced|evacuated|uprooted|forced|detained|arrested|"
    r"captured|taken|seized|fled|lost|died|suffered|faced|recorded|documented|crossed|"
    r"sought|surrendered)|"
    r"(?:are|were|is)\s+now)\b",
    re.IGNORECASE,
)
"""A running total: "since", "so far", a toll, "bringing the number … to", "have been killed",
"are now displaced"."""
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
    # "11 of the 15 drones": the part counts what its whole counts
    units: list[str | None] = [
        counts[i + 1].unit
        if i + 1 < len(counts)
        and _BARE_NUMBER.search(q.text)
        and _PARTITIVE.fullmatch(passage, q.end, counts[i + 1].start)
        else None
        for i, q in enumerate(counts)
    ]
    metrics = [metric_of(passage, q, units[i] or q.unit) for i, q in enumerate(counts)]
    # "Gunshot wounds: 41", "- tanks: 7 (11,412)": a list's label says what its count counts
    labelled = [labelled_count(text, start + q.start, start + q.end) for q in counts]
    for i, reading in enumerate(labelled):
        if reading is not None:
            metrics[i], units[i] = reading.metric, reading.unit
    for i, q in enumerate(counts):
        # "bringing the number of people killed to 40,120 and the number wounded to …": what
        # the total's subject names, not the metric word of the next clause after it
        if metrics[i] is not None and (total := total_of(passage, q, None)) is not None:
            metrics[i] = total[0]
    # "More than 1.2 million of the region's 1.5 million people remain displaced": the part is
    # what the predicate counts; the whole, a place's people, is its population
    populations = {i + 1 for i in range(len(counts) - 1) if _part_of_population(passage, counts, i)}
    for whole in populations:
        units[whole - 1], metrics[whole - 1], metrics[whole] = "people", metrics[whole], None
    for i in range(len(counts) - 2, -1, -1):  # "231 members … and 250 fighters had died"
        between = passage[counts[i].end : counts[i + 1].start]
        # "1,500 people from Kalay and two nearby villages have fled": the places are no
        # figure, but the verb after them is the people's
        following = metrics[i + 1] or (
            counts[i + 1].metric
            if is_thing(counts[i + 1].unit) and not is_thing(counts[i].unit)
            else None
        )
        if (
            metrics[i] is None
            and following
            and (_SAME_CLAUSE_AND.fullmatch(between) or _AMONG_NEXT.fullmatch(between))
        ):
            metrics[i] = following  # "Two journalists were among at least seven killed"
    figures: list[DraftFigure] = []
    for i, quantity in enumerate(counts):
        if i in populations:
            continue
        metric, unit = metrics[i], units[i]
        if (reading := labelled[i]) is not None:
            if metric is not None:
                figures.append(_figure(passage, start, quantity, metric, unit))
                if reading.total:
                    figures[-1].accumulation = "cumulative"
            continue
        if _SPEAK_AFTER.match(passage, quantity.end) and not _UP_FROM.search(
            passage, 0, quantity.start
        ):
            continue  # "two residents told reporters": who spoke, not what they counted
        if counts_nothing(passage, quantity):
            metrics[i] = None  # nor do the counts joined to it inherit a metric from it
            continue  # "according to two relatives", "built to hold 24 bodies"
        if metric is None and i and metrics[i - 1]:
            between = passage[counts[i - 1].end : quantity.start]
            if (
                PART_OF.search(passage, max(0, quantity.start - 40), quantity.start)
                or _JOINED.fullmatch(between)
                or _AS_WELL_AS.search(between)
                or (i >= 2 and metrics[i - 2] == metrics[i - 1] and _LIST_NEXT.fullmatch(between))
                or _AMONG_THEM.match(passage, quantity.end)
                or _of_them(passage, quantity)
            ):
                inherited = for_unit(metrics[i - 1], quantity.unit)  # "including 50"
                explicit = quantity.unit == "people" and not _BARE_NUMBER.search(quantity.text)
                if explicit and figures and is_thing(figures[-1].unit):
                    inherited = None  # "with two car bombs and some 300 fighters"
                metric = metrics[i] = inherited
                if _BARE_NUMBER.search(quantity.text):
                    unit = figures[-1].unit if figures else None  # "including 20 over Belgorod"
        # "Some 135,000 of them had reached camps": a sentence that opens on a part of the
        # count before it (not "killed 23 of them", whose "them" the sentence names)
        part_of_before = (
            before is not None
            and _of_them(passage, quantity)
            and not passage[: quantity.start].strip(" \"'\u201c")
        )
        if metric is None and before is not None and _of_them(passage, quantity):
            metric, unit = before.metric, before.unit  # "At least 300 of them went north"
        among = _AMONG_BEFORE.match(passage[: quantity.start])
        if (
            metric is None
            and not figures
            and among
            and (named := _AMONG_NAMED.search(among.group()))
        ):
            metric = "killed" if named.group(1) == "dead" else "wounded"  # "Among the dead were"
        elif metric is None and before is not None and not figures and among:
            metric, unit = before.metric, before.unit  # "Among them were three members"
            part_of_before = True
        previous = figures[-1] if figures else before
        if metric is None and previous is not None and _PUT_IT.search(passage, 0, quantity.start):
            metric = previous.metric  # "… put it as high as 150,000"
        if metric is None and (total := total_of(passage, quantity, previous)) is not None:
            metric, unit = total[0], total[1] or unit  # "the number of … has risen to 312"
        earlier_of = None
        if metric is None and previous is not None and _UP_FROM.search(passage, 0, quantity.start):
            # "…, up from about 9,000", or a part of its own ("…, up from 24 announced on
            # Wednesday": the total before it, in the part before)
            metric, unit, earlier_of = previous.metric, previous.unit, previous
        if previous is not None and (elided := _elided_noun(passage, quantity)) is not None:
            unit = previous.unit  # "another 22 were lost", "95 others", "sunk two"
            if quantity.metric in HUMAN and is_thing(unit):
                unit = "people"  # "two missiles struck …; four others were injured"
            metric = (
                elided
                or metric_of(passage, quantity, unit)
                or (metric and for_unit(metric, unit))
                or (previous.metric if elided == "" else None)  # "19 bodies … and another 8"
            )
        kind = _KIND_AMONG.match(passage, quantity.end)
        if metric is None and previous is not None and kind and kind.group("kind") in PEOPLE:
            metric, unit = previous.metric, "people"  # "Nine were killed; three were children"
        if (
            metric is None
            and quantity.unit == "times"
            and _ATTACKED.search(passage, 0, quantity.start)
        ):
            metric, unit = "other", "attacks"  # "shelled the town some 30 times"
        if (
            metric is None
            and quantity.unit == "times"
            and _BROKE_TRUCE.search(passage, 0, quantity.start)
        ):
            metric, unit = "other", "violations"  # "violated the ceasefire 27 times"
        if metric is None:
            continue
        metrics[i] = metric  # "Among the dead were 10 women and three infants"
        figure = _figure(passage, start, quantity, metric, unit)
        if part_of_before and before is not None:
            figure.accumulation = before.accumulation  # a part of a running total is one too
        if earlier_of is not None:
            figure.accumulation = earlier_of.accumulation  # the same count, earlier
        figures.append(figure)
        if metric != "killed" and (died := _NOT_SAVED.match(passage, quantity.end)):
            figures.append(_figure(passage, start, quantity, "killed", unit, died.end()))
    if ranked := ranked_counts(passage, start):  # "the attack is the 41st … this year"
        figures = sorted([*figures, *ranked], key=lambda figure: figure.span.start)
    return figures


def _elided_noun(passage: str, quantity: Quantity) -> Metric | Literal[""] | None:
    """Whether a bare number counts what the figure before it counted: "another 22", "a
    further 16,000", "95 others", "recorded 40" ("": the metric is read as usual), "sunk
    two", "seized
    one" (the metric the verb right before says); None when it does not."""
    if not _BARE_NUMBER.search(quantity.text):
        return None
    before = passage[max(0, quantity.start - 20) : quantity.start]
    if _ANOTHER.search(before) or _OTHERS.match(passage, quantity.end) or _RECORDED.search(before):
        return ""
    verb = re.search(r"\b(\w+)\s*$", before)
    if verb is None:
        return None
    if SEIZED.fullmatch(verb.group(1)):
        return "captured"
    return "other" if ACTED_ON.fullmatch(verb.group(1)) else None


def _part_of_population(passage: str, counts: list[Quantity], i: int) -> bool:
    """Whether count `i`, without a noun, is a part of a place's people named right after it
    ("1.2 million of the region's 1.5 million people")."""
    part, whole = counts[i], counts[i + 1]
    return (
        _NO_NOUN.search(part.text) is not None
        and whole.unit == "people"
        and _OF_POSSESSED.fullmatch(passage, part.end, whole.start) is not None
    )


_NO_NOUN: Final = re.compile(
    r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|thousand|million|billion))$"
)
_OF_POSSESSED: Final = re.compile(r"\s+of\s+(?:the\s+)?[\w.-]+['\u2019]s?\s+")


def _of_them(passage: str, quantity: Quantity) -> bool:
    """ "300 of them", "11 of whom were children", "12 of which were shot down": a part of
    the count before."""
    return re.match(r"\s*of (?:them|whom|which)\b", passage[quantity.end :]) is not None


def _figure(
    passage: str,
    offset: int,
    quantity: Quantity,
    metric: Metric,
    unit: str | None,
    end: int | None = None,
) -> DraftFigure:
    vague = quantity.qualifier == GIVEN_BOUNDS
    end = quantity.end if end is None else end
    return DraftFigure(
        metric=metric,
        amount=quantity.amount,  # type: ignore[arg-type]
        qualifier=quantity.qualifier,
        amount_max=quantity.amount_max,  # type: ignore[arg-type]
        low=quantity.low if vague else None,
        high=quantity.high if vague else None,
        unit=unit or _unit(quantity.unit, metric),
        accumulation=_accumulation(passage, quantity, metric),
        text=passage[quantity.start : end],
        span=Span(start=offset + quantity.start, end=offset + end),
    )


def _unit(unit: str, metric: Metric) -> str:
    if metric in HUMAN and not is_thing(unit) and _PERSON_NOUN.search(unit):
        return "people"  # "villagers", "terrorists", "Alawites"
    if metric in HUMAN and unit in _LISTED_PEOPLE:
        return "people"  # "a list of 57 names of people killed": the people named
    slug = re.sub(r"[^a-z0-9]+", "-", unit.lower()).strip("-")
    return slug[:64].strip("-") or "people"


_LISTED_PEOPLE: Final = frozenset({"names", "name"})


def _accumulation(passage: str, quantity: Quantity, metric: Metric) -> Accumulation:
    """A running total when the words say so ("since", "so far", "have been killed"); a
    standing count (troops deployed, people in need or remaining) is `unknown`; any other
    count tells of what happened, within its claim's stretch of time: `incremental`."""
    if brought_to(passage, quantity.start) is not None:
        return "cumulative"  # "…, bringing the toll to 41,788"
    after = before_bringing(passage[quantity.end : quantity.end + 60])
    window = passage[max(0, quantity.start - 60) : quantity.start] + quantity.text + after
    if quantity.qualifier == "unspecified" and not _INCREMENTAL.search(window):
        return "unknown"  # "some soldiers were executed": neither a total nor an incident
    if standing_count(passage, quantity):
        return "unknown"  # "1.2 million people remain displaced"
    if _CUMULATIVE.search(window):
        return "cumulative"
    if _INCREMENTAL.search(window):
        return "incremental"
    if metric == "deployed" and not TAKING_PART.search(window):
        return "unknown"  # a force deployed; jets that took part in a raid are the raid's
    aside = PREDICATE_AFTER_ASIDE.match(passage, quantity.end)
    if metric == "other" and (
        _STANDING.search(window) or (aside and _STANDING.search(aside.group("predicate")))
    ):
        return "unknown"  # people in need, remaining, "…, a quarter of them, near famine"
    return "incremental"


_STANDING: Final = re.compile(
    r"\b(?:need|needs|needed|in need|remain|remaining|remained|living|still|sheltering|"
    r"stranded|trapped|besieged|starving|malnourished|famine|hunger|starvation)\b"
)
