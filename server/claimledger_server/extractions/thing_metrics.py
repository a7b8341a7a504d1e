"""What a count of things counts (GUIDELINES.md: `captured` when taken or seized, `other`
for everything else done to them or counted by a conflict): the verb acting on them ("seized
12 vehicles", "shot down two drones", "set fire to 45 houses"), the passive after them ("18
tankers had been set ablaze"), or their kind (strikes, drones, violations are counted
whatever the verb). What only sizes a convoy or says where something happened ("at two
ports") is no figure."""

import re
from typing import Final

from claimledger_server.extractions.people_phrases import NOT_BACK
from claimledger_server.figures.schemas import Metric
from claimledger_server.text.lexicon import FORMATIONS, THINGS
from claimledger_server.text.verbs import ACTING_ON, CAPTURING, alternation, ing_forms, past_forms

_THINGS: Final = frozenset({*THINGS, *THINGS.values()})

VERB_BEFORE: Final = re.compile(r"\b(\w+(?: down| back| control of)?)\s*$")
"""The verb right before a count, which acts on what it counts ("seized 12", "shot down")."""

SEIZED: Final = re.compile(
    r"\b(?:took control|taken control|lost control|took(?! part)|taken(?! part)|"
    + alternation(past_forms(CAPTURING) | ing_forms(CAPTURING))
    + r")\b"
)
"""Verbs of taking (`verbs.CAPTURING` in every past and -ing form): what they act on is
`captured`."""

ACTED_ON: Final = re.compile(
    r"\b(?:entered|used|waiting|went|flew|using|turned back|air-dropped|burned down|"
    r"set on fire|" + alternation(past_forms(ACTING_ON) | ing_forms(ACTING_ON)) + r")\b",
    re.IGNORECASE,
)
"""Verbs that act on things (`verbs.ACTING_ON`, and words of use and movement): what they
act on is counted as `other`."""
_ACTED_ON_BEFORE: Final = re.compile(r"(?:" + ACTED_ON.pattern + r")\s*$", re.IGNORECASE)
_PASSIVE_AFTER: Final = re.compile(
    r"(?:\s*,\s*including\s+[^.;,:\"]{1,60},)?[^.;,:\"]{0,70}?"
    r"\b(?:had been|have been|has been|were|was|are|is|being)\s+"
    r"(?:(?:later|also|all|then)\s+)?(?P<verb>set on fire|burned down|taken|"
    + alternation(past_forms(ACTING_ON) | past_forms(CAPTURING))
    + r")\b"
)
"""Things the clause says were acted on, after them: "18 tankers in the convoy … had been
set ablaze", past an "including …" aside ("40 rifles, including six mortars, and a truck were
seized")."""
EVENTS: Final = frozenset(
    {
        *("attacks", "strikes", "airstrikes", "air-strikes", "raids", "assaults", "drones"),
        *("missiles", "rockets", "shells", "sorties", "ambushes", "bombings", "shellings"),
        *("violations", "breaches", "projectiles", "munitions", "bombs", "grenades"),
        *("interceptors", "incursions", "raids", "sorties", "clashes", "skirmishes"),
        *("explosions", "blasts", "exchanges"),
    }
)
"""Things a conflict counts whatever the verb: drones launched, strikes carried out."""

_COLLECTIVE_OF: Final = re.compile(
    r"\b(?:a|an|the|one)\s+(?:[\w-]+\s+){0,2}?(?:convoy|column|fleet|flotilla|caravan)\s+of\s+$",
    re.IGNORECASE,
)
"""A count of things that only sizes a collective ("a convoy of 11 trucks … was turned back",
"a supply convoy of about 60 trucks"):
what was acted on is the convoy, and its size is no figure."""
_PLACE_BEFORE: Final = re.compile(
    r"(?:\b(?:at|in|near|across|inside|outside|around|within|between|(?<!up )(?<!down )from)|"
    r"\b(?:attacks?|strikes?|air\s*strikes?|raids?|assaults?|shelling|bombing)\b"
    r"[^.;,\d]{0,60}?\s(?:on|against))\s+(?:the\s+)?"
    r"(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*\s+and\s+)?$"
)
"""Where something happened or people came from, not what was acted on: "struck the fleet at
two ports", "drone strikes on two crowded markets" (a count of the strikes themselves is read
as usual), "people from Kalay and two nearby villages have fled", also after a named place ("in
Kibati and two villages")."""
_HELD: Final = re.compile(
    r"\b(?:has|have|had|having)\s+$"
    r"|\b(?:wards?|hospitals?|clinics?|centres?|centers?|units?|facilit(?:y|ies)|shelters?)"
    r"\s+with\s+(?:only\s+|just\s+)?$"
)
"""Things a place or body has ("the hospital, which has 300 beds, was shelled", "a ward with
only 12 beds"): its size or stock, no count of what the conflict did to them."""
_POINTS_STRUCK: Final = frozenset({"locations", "sites", "targets", "positions", "points"})
"""Places counted as what was struck ("60 targets at 16 locations"), not where it was."""

_LOST: Final = frozenset({"lost", "lose", "loses", "losing"})
_PLACES: Final = frozenset(
    {
        *("villages", "towns", "cities", "settlements", "localities", "municipalities"),
        *("townships", "communes", "districts", "positions", "bases", "outposts"),
        *("checkpoints", "neighbourhoods", "neighborhoods"),
    }
)
"""Places a side holds: lost, they are taken (tanks lost are destroyed: `other`)."""
_THINGS_NOT_FIGURES: Final = frozenset(
    {
        *("times", "years", "days", "months", "weeks", "hours"),
        *("degrees",),  # a temperature: "temperatures went up to 45 degrees"
        *("videos", "clips", "photos", "photographs", "images", "pictures", "recordings"),
    }
)
"""Durations, and the records someone examines ("have verified more than 530 clips"):
evidence about a conflict, no count of what it did."""


_CASES_OF_HARM: Final = re.compile(
    r"\s+of\s+(?:[\w-]+\s+){0,2}?(?:violence|rape|torture|abuse|abduction|kidnapping|"
    r"disappearance|ill-treatment|mistreatment|assault|harassment|recruitment|looting)\b"
)
"""Cases of a harm a monitor records ("130 cases of sexual violence", "cases of enforced
disappearance"), counted as `other`; cases of a disease are a clinic's caseload, no figure."""


def for_unit(metric: Metric | None, unit: str) -> Metric | None:
    """A metric of people passed on to a count of things: tanks are lost, not killed."""
    if metric in ("killed", "wounded", "killed_or_wounded") and is_thing(unit):
        return "other"
    return metric


def acted_on_first(before: str, after: str, unit: str) -> tuple[Metric | None] | None:
    """What the words right around a count of things say first, as a 1-tuple: (None,) when
    it only sizes a collective, names a place or what one has ("a convoy of 11 trucks", "at
    two ports", "which has 300 beds"),
    the metric of a passive after it ("…, had been set ablaze"); None when they say neither."""
    place = _PLACE_BEFORE.search(before) and unit not in _POINTS_STRUCK
    if _COLLECTIVE_OF.search(before) or place or _HELD.search(before):
        return (None,)
    if (passive := _PASSIVE_AFTER.match(after)) is not None:
        return ("captured" if SEIZED.fullmatch(passive.group("verb")) else "other",)
    return None


def thing_metric(
    before: str, after: str, around: str, counted: str, unit: str, metric: Metric | None
) -> Metric | None:
    """The metric of a count of things (`counted` its words, `metric` what the lexicon
    said), by the verb that acts on them; None for no figure."""
    if unit in _THINGS_NOT_FIGURES:
        return None
    if unit == "cases":
        return "other" if _CASES_OF_HARM.match(after) else metric
    if counted.lower().startswith("one of") and not _ACTED_ON_BEFORE.search(before):
        return None  # "claimed one of the attacks" names an attack; "shot down one of them" counts
    if (verb := VERB_BEFORE.search(before)) is not None:
        if verb.group(1) in _LOST and unit in _PLACES:
            return "captured"  # "have lost more than 80 villages": taken from them
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
    if SEIZED.search(before[-80:] + counted + after[:40]):
        return "captured"  # places and equipment taken
    acted_on_near = ACTED_ON.search(around) and not _acts_itself(after)
    if metric in ("killed", "wounded", "killed_or_wounded") or (
        metric is None and (acted_on_near or unit in EVENTS)
    ):
        return "other"  # drones shot down, tanks lost, targets hit
    return metric


_ACTIVE_AFTER: Final = re.compile(
    r"\s+(?P<verb>[a-z]+ed)\s+(?:a|an|the|their|its|his|her|our|this|that|these|those)\b"
)
"""A verb in the past right after a count, with its object: the things counted did it
("Several posts shared a photograph of burning houses")."""


def _acts_itself(after: str) -> bool:
    """Whether the things counted are the subject of a verb of their own that does nothing
    to them: a word of harm further on ("burning") acts on its object, not on them. A verb
    of harm or taking right after them is read as usual ("two drones targeted the port")."""
    active = _ACTIVE_AFTER.match(after)
    if active is None:
        return False
    verb = active.group("verb")
    return not ACTED_ON.fullmatch(verb) and not SEIZED.fullmatch(verb)


def is_thing(unit: str) -> bool:
    return unit in _THINGS or unit in FORMATIONS
