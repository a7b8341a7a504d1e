"""What a count counts (its metric), read from the words around it in its passage: a verb
or noun of the lexicon ("killed", "wounded", "displaced"…), the phrases of news reporting
that say it in other words ("claimed the lives of", "crossed into", "put it at"), a running
total named before the number ("bringing its losses to…"), or what was done to the things
counted (drones shot down, towns seized). None: the count is no figure (GUIDELINES.md)."""

import re
from typing import Final

from claimledger_server.extractions.people_phrases import NOT_BACK, phrase_metric
from claimledger_server.figures.schemas import Metric
from claimledger_server.text.lexicon import FORMATIONS, THINGS
from claimledger_server.text.quantities import Quantity

_THINGS: Final = frozenset({*THINGS, *THINGS.values()})
HOUSEHOLDS: Final = frozenset({"families", "households"})
"""Groups of people counted as such: what befalls people befalls them ("hundreds of families
have sought shelter"), and they keep their unit."""
HUMAN: Final[frozenset[Metric]] = frozenset(
    {"killed", "wounded", "killed_or_wounded", "executed", "missing", "detained", "displaced"}
)

_SEND: Final = re.compile(r"\b(?:send|deploy|dispatch|station)\s*$")
_TOLL: Final = re.compile(r"\b(?:death toll|number of (?:people )?killed|toll)\b[^.;]*$")
_RUNNING_TOTAL: Final = re.compile(
    r"\b(?P<what>losses|casualties|number of (?P<counted>[\w'-]+(?:\s+[\w'-]+){0,5}?))\s+"
    r"[^.;]{0,60}?\b(?:to|at|below|above|under|over|past|passed|reached|of|fallen|risen|"
    r"dropped|climbed|grown|shrunk|rose|fell|stood|stands|hit|increased|decreased|has|have|"
    r"had|exceeded|surpassed|topped|passed|is|was)\s*$"
)
_VERB_BEFORE: Final = re.compile(r"\b(\w+(?: down| back| control of)?)\s*$")
"""A running total named before its number ("bringing Russia's losses … to roughly 770,000",
"the number of residents still living there had fallen below 2,000")."""
_STANDING_FORCE: Final = re.compile(
    r"\b(?:has|have|had|keeps?|kept|maintains?|maintained|relies on|relied on|rely on|"
    r"relying on|withdraw|withdrew|withdrawn|withdrawing|its|their|pull out|pulled out|"
    r"pulling out|contributes?|contributed|contingent|garrison)\s*$"
    r"|\b(?:contingent|deployment|garrison)\b[^.;,]{0,60}$"
)
_MILITARY: Final = re.compile(
    r"\b(?:troops|soldiers|forces|peacekeepers|personnel|mercenaries|marines|servicemen|"
    r"fighters|instructors|officers|police|policemen|guards)\b"
)
_STILL_SO: Final = re.compile(
    r"\b(?:remain|remains|remained|remaining|still)\s+(?:displaced|missing|detained|in detention"
    r"|in custody|held|homeless|unaccounted)\b"
)
"""A standing count of a metric ("remain displaced"), not people merely remaining."""
_FORCE_OF: Final = re.compile(
    r"\b(?:company|battalion|brigade|platoon|unit|contingent|garrison|detachment|force|convoy|"
    r"column)\s+(?:of|had|has|numbering|numbered|made up of)\s+$"
)
"""A force sized by its men: "held by a company of about 120 soldiers", "the convoy had
about 40 men" (deployed)."""
_MEN: Final = re.compile(r".*\bmen$")
_ARRIVED: Final = re.compile(r"[^.;,]{0,20}?\b(?:arrived|arriving|arrive)\b")
_HELD: Final = re.compile(
    r"\s*(?:and\s+[a-z-]+\s+)?(?:(?:are|were|remain|remained|still|being)\s+){1,2}"
    r"(?:in detention|in custody|in jail|in prison|behind bars|detained|imprisoned|jailed|held)\b"
)
_FORCE_IN_PLACE: Final = re.compile(
    r"\s*(?:(?:are|were|is|was|had been|have been)\s+)?(?:still\s+)?(?:remain|remained|"
    r"stay|stayed|stationed|based|fighting|on duty|on patrol)\b"
)
"""Troops said to stay or fight somewhere: a standing force, deployed."""
_BODIES: Final = re.compile(r"\bbodies of\s*$", re.IGNORECASE)
_VERB_AFTER_ASIDE: Final = re.compile(
    r"[^.;]{0,80}?,\s*(?:(?:had|have|has|were|was|are|is)\s+)?(?:been\s+)?(?:forced\s+to\s+)?"
    r"(?P<verb>killed|wounded|injured|displaced|captured|detained|arrested|died|fled|flee|left|"
    r"crossed|need|needs|needed|abducted|kidnapped|executed|evacuated)\b"
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
    "fled": "displaced",
    "flee": "displaced",
    "left": "displaced",
    "crossed": "displaced",
    "need": "other",
    "needs": "other",
    "needed": "other",
    "abducted": "detained",
    "kidnapped": "detained",
    "executed": "executed",
    "evacuated": "displaced",
    "seized": "captured",
}
_DIED_AFTER: Final = re.compile(
    r"\s*(?:(?:later|subsequently|since|also|then|had|have|has)\s+){0,2}"
    r"(?:died|succumbed)\b"
)
_PASSIVE_AFTER_ASIDE: Final = re.compile(
    r"\s*,\s[^.;,\"]{1,60},\s*(?:had|have|has|were|was|are|is)\s+(?:been\s+)?"
    r"(?P<verb>killed|wounded|injured|displaced|captured|detained|arrested|abducted|"
    r"kidnapped|executed|evacuated|seized)\b"
)
"""A verb of its own after an aside: "two men, aged 40 and 58, were wounded"."""
PREDICATE_AFTER_ASIDE: Final = re.compile(
    r"\s*,\s[^.;,]{1,80}(?<!\d),\s*(?:(?:had|have|has|were|was|are|is)\s+)?"
    r"(?P<predicate>[^.;,]{1,60})"
)
"""What is said of a count after an aside: "576,000 people, a quarter of the population,
were one step away from famine"."""
_HOMES: Final = re.compile(r"^[^.;,]{0,40}\bfrom their homes\b")
_FREED: Final = re.compile(r"\b(?:free|freed|freeing|release|released|releasing|exchange|swap)")
_HOSTAGES: Final = re.compile(r"\b(?:hostages?|captives?|prisoners?)\b", re.IGNORECASE)
_TAKEN: Final = re.compile(
    r"\b(?:taking|took|taken|take|seized|captured|abducted|holding|held|holds)\b"
)
SEIZED: Final = re.compile(
    r"\b(?:seized|seizing|captured|capturing|took control|taken control|lost control|"
    r"took(?! part)|taken(?! part)|overran|overrun|recaptured|recapturing|retook|retaken|"
    r"regained|regaining|recovered|recovering)\b"
)
_TAKEN_AFTER: Final = re.compile(
    r"[^.;,]{0,20}?\b(?:taken|took|held|being held)\s+(?:as\s+)?(?:hostages?|captives?|prisoners?)"
)
_TAKEN_PASSIVE: Final = re.compile(
    r"\s+(?:were|was|had been|have been|are|is)\s+(?:taken|seized|abducted|held)\b"
)
"""Hostages the clause says were taken: "251 hostages were taken to Gaza"."""
_LEFT: Final = re.compile(
    r"\W{0,2}\s*(?:had|have|has)\s+(?:already\s+)?(?:left\b|(?:been\s+)?(?:expelled|evicted|"
    r"forcibly removed|driven out|chased out)\b)"
)
_WHOLE: Final = re.compile(r"\bof\s+(?:its\s+|their\s+|the\s+|his\s+|her\s+)?$")
"""A count after "of" is a whole a part of which left ("a third of its 3,000 residents
have left", "60% of its population of 280,000 has left"): no count of the displaced."""
TAKING_PART: Final = re.compile(r"(?<!of )\b(?:took|taking|take|takes|taken) part\b")
"""Jets or troops that took part in a raid (not people "suspected of taking part")."""
_SHELTERING: Final = re.compile(
    r"\b(?:sheltering|shelter|camps?|(?:sleeping|sleep|slept) (?:in|at|on|rough)|on the move)\b"
)
_OTHER_PEOPLE: Final = re.compile(
    r"\b(?:need|needs|in need|remain|remaining|remained|recruited|recruits|rescued|freed|"
    r"released|trapped|starving|malnourished|famine|hunger|besieged|living|still living|"
    r"brought home|returned from captivity|repatriated|swapped|exchanged|food insecurity|"
    r"food insecure|affected|affecting|feed|feeding|at risk|hungry)\b"
)
ACTED_ON: Final = re.compile(
    r"\b(?:hit|fired|launched|shot down|destroyed|struck|entered|carried out|used|downed|"
    r"intercepted|burnt|burned|burning|damaged|damaging|waiting|delivered|went|lost|flew|targeted|"
    r"repelled|attacked|shelled|bombed|using|found|sank|sunk|sinking|turned back|"
    r"set fire to|setting fire to|set ablaze|torched|torching|razed|looted|burned down|"
    r"destroying|downing|shooting down|dropped|airdropped|air-dropped|distributed|"
    r"brought down|bringing down|demolished|demolishing|bulldozed|set on fire|closed|shut)\b",
    re.IGNORECASE,
)
_ACTED_ON_BEFORE: Final = re.compile(r"(?:" + ACTED_ON.pattern + r")\s*$", re.IGNORECASE)
_PASSIVE_AFTER: Final = re.compile(
    r"[^.;,:\"]{0,70}?\b(?:had been|have been|has been|were|was|are|is|being)\s+"
    r"(?:(?:later|also|all|then)\s+)?(?P<verb>set ablaze|set on fire|torched|destroyed|"
    r"burned|burnt|burned down|razed|demolished|looted|damaged|shot down|downed|"
    r"intercepted|closed|shut|seized|captured|taken)\b"
)
"""Things the clause says were acted on, after them: "18 tankers in the convoy … had been
set ablaze"."""
EVENTS: Final = frozenset(
    {
        *("attacks", "strikes", "airstrikes", "air-strikes", "raids", "assaults", "drones"),
        *("missiles", "rockets", "shells", "sorties", "ambushes", "bombings", "shellings"),
        *("violations", "breaches"),
    }
)
"""Things a conflict counts whatever the verb: drones launched, strikes carried out."""
_DEAD_LISTED: Final = re.compile(
    r"\b(?:the dead|the victims|those killed)\s+(?:included|include|includes)\s+"
    r"[^.;:]{0,100}(?:,|\band)\s+$"
)
"""A later item of the list the dead are named in ("the dead included 40 civilians, 12
fighters and 9 police officers"): the first item's own phrase is in `people_phrases.py`."""
_COLLECTIVE_OF: Final = re.compile(
    r"\b(?:a|an|the|one)\s+(?:convoy|column|fleet|flotilla|caravan)\s+of\s+$", re.IGNORECASE
)
"""A count of things that only sizes a collective ("a convoy of 11 trucks … was turned back"):
what was acted on is the convoy, and its size is no figure."""
_THINGS_NOT_FIGURES: Final = frozenset({"times", "years", "days", "months", "weeks", "hours"})


def for_unit(metric: Metric | None, unit: str) -> Metric | None:
    """A metric of people passed on to a count of things: tanks are lost, not killed."""
    if metric in ("killed", "wounded", "killed_or_wounded") and is_thing(unit):
        return "other"
    return metric


def metric_of(passage: str, quantity: Quantity, unit: str) -> Metric | None:
    """What the count of `unit` counts, by the words around it; None for no figure."""
    before = passage[max(0, quantity.start - 120) : quantity.start]
    after = passage[quantity.end : quantity.end + 100]
    around = passage[max(0, quantity.start - 40) : quantity.end + 40]
    metric = quantity.metric
    people = unit == "people" or unit in HOUSEHOLDS
    if people and metric == "wounded" and _DIED_AFTER.match(after):
        return "killed"  # "two of the wounded later died": the wounded are dead now
    if (aside := _PASSIVE_AFTER_ASIDE.match(after)) is not None:
        # "one woman was killed and two men, aged 40 and 58, were wounded": the count's
        # own verb, past the aside, not the one before it
        told = _ASIDE_METRICS.get(aside.group("verb"))
        if told is not None and (people or told == "captured"):
            return told
    if not people and _COLLECTIVE_OF.search(before):
        return None
    if not people and (passive := _PASSIVE_AFTER.match(after)) is not None:
        verb = passive.group("verb")
        return "captured" if SEIZED.fullmatch(verb) else "other"  # "…, had been set ablaze"
    if people and _TAKEN_AFTER.match(after):
        return "captured"  # "17 soldiers were taken hostage"
    if TAKING_PART.search(around):
        return "deployed"  # "12 jets took part in the strikes"
    if people and metric in (None, "displaced") and _SHELTERING.search(around):
        return "displaced"
    if people and _SEND.search(before):
        return "deployed"  # "preparing to send up to 1,500 more soldiers"
    military = _MILITARY.search(quantity.text)
    sized = military or _MEN.match(quantity.text)
    if people and metric is None and sized and _FORCE_OF.search(before[-40:]):
        return "deployed"  # "a company of about 120 soldiers", "the convoy had 40 men"
    if people and metric == "deployed" and not military and _ARRIVED.match(after):
        return "displaced"  # people, not troops, who arrived somewhere: they fled there
    if people and _HELD.match(after):
        return "detained"  # "21,000 people remain in detention"
    if people and metric is None and military and _FORCE_IN_PLACE.match(after):
        return "deployed"  # "1,300 troops remain in the country", "soldiers were fighting"
    if (
        people
        and (metric is None or _OTHER_PEOPLE.search(quantity.text))
        and _OTHER_PEOPLE.search(_clause_around(passage, quantity))
        and not (metric and _STILL_SO.search(quantity.text))  # "4.5 million remain displaced"
    ):
        return "other"  # people in need, residents remaining, recruits, people freed
    if _HOSTAGES.search(quantity.text + after[:12]) and people:
        if _FREED.search(around):
            return "other"  # an exchange: "33 hostages … for 1,700 prisoners"
        if metric is None and (_TAKEN.search(before[-30:]) or _TAKEN_PASSIVE.match(after)):
            return "captured"  # "taking more than 250 hostages"
    if metric is None and people and (phrased := phrase_metric(before, after, military)):
        return phrased[0]
    if metric is None and people and _DEAD_LISTED.search(before):
        return "killed"
    if metric is None and people and _LEFT.match(after) and not _WHOLE.search(before):
        return "displaced"  # "4,000 people had left since Sunday"
    if metric is None and _BODIES.search(before):
        return "killed"  # "the bodies of more than 120 people"
    if metric is None and _HOMES.search(after):
        return "displaced"  # "forced 10 million people from their homes"
    if metric is None and (aside := _VERB_AFTER_ASIDE.match(after)) is not None:
        metric = _ASIDE_METRICS[aside.group("verb")]  # "300 people, including …, were killed"
    predicate = PREDICATE_AFTER_ASIDE.match(after) if metric is None and people else None
    if predicate is not None and _OTHER_PEOPLE.search(predicate.group("predicate")):
        return "other"  # "576,000 people, a quarter of …, were one step from famine"
    if metric is None and _TOLL.search(before):
        return "killed"  # "the death toll … had risen to 43,061"
    if metric is None and people and (total := _RUNNING_TOTAL.search(before)):
        return _running_total(total)
    if metric is None and people and military and _STANDING_FORCE.search(before):
        return "deployed"  # "it had about 1,000 Kenyan troops in the area"
    if people or (metric in HUMAN and not is_thing(unit)):
        return metric  # "killed at least 40 villagers": people the lexicon does not name
    if unit in _THINGS_NOT_FIGURES:
        return None
    if (verb := _VERB_BEFORE.search(before)) is not None:
        if SEIZED.fullmatch(verb.group(1)):
            return "captured"  # "seized 12 combat vehicles"
        if ACTED_ON.fullmatch(verb.group(1)):
            return "other"  # "shot down two army drones"
    if _ACTED_ON_BEFORE.search(before):
        return "other"  # "set fire to 45 houses": what was done to them, not what fled
    if NOT_BACK.match(after):
        return "missing"  # "11 boats had not come back"
    clause = re.split(r"[,;:]", before)[-1]
    if re.search(r"\band\s*$", clause) and (
        acted := ACTED_ON.search(clause) or SEIZED.search(clause)
    ):
        # "struck the airport and three power stations": the verb's second object
        return "captured" if SEIZED.fullmatch(acted.group()) else "other"
    if SEIZED.search(before[-80:] + quantity.text + after[:40]):
        return "captured"  # places and equipment taken
    if metric in ("killed", "wounded", "killed_or_wounded") or (
        metric is None and (ACTED_ON.search(around) or unit in EVENTS)
    ):
        return "other"  # drones shot down, tanks lost, targets hit
    return metric


def _clause_around(passage: str, quantity: Quantity) -> str:
    """The words about a count within its clause: what the next clause says ("…, and that
    21,000 people remain") is said of another count."""
    before = passage[max(0, quantity.start - 40) : quantity.start]
    after = passage[quantity.end : quantity.end + 40]
    before = re.split(r"[,;:]\s+(?:and\s+)?(?:that\s+)?", before)[-1]
    after = re.split(r",\s+(?:and\s+)?that\b|;", after)[0]
    return before + quantity.text + after


def _running_total(total: re.Match[str]) -> Metric | None:
    if total.group("counted") is None:
        return "killed_or_wounded"  # losses, casualties
    return counted_metric(f" {total.group(0)} ")


def counted_metric(counted: str) -> Metric | None:
    """What "the number of …" counts, by its words (`counted` padded with spaces): "the
    number of civilians killed by … has exceeded"."""
    for words, metric in _COUNTED_METRICS:
        if re.search(words, counted):
            return metric
    return None


_COUNTED_METRICS: Final[tuple[tuple[str, Metric], ...]] = (
    (r" (?:dead|killed|deaths|fatalities) ", "killed"),
    (r" (?:wounded|injured) ", "wounded"),
    (r" (?:displaced|refugees|evacuees|driven from|forced from|uprooted|fled) ", "displaced"),
    (r" (?:detainees|detained|arrested) ", "detained"),
    (r" (?:prisoners|hostages|captives) ", "captured"),
    (r" (?:missing) ", "missing"),
    (r" (?:troops|soldiers) ", "deployed"),
    (r" (?:living|remaining|left|residents|people in need) ", "other"),
)
"""What "the number of …" counts, by its words."""


def is_thing(unit: str) -> bool:
    return unit in _THINGS or unit in FORMATIONS
