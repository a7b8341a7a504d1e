"""What a count counts (its metric), read from the words around it in its passage: a verb
or noun of the lexicon ("killed", "wounded", "displaced"…), the phrases of news reporting
that say it in other words ("claimed the lives of", "crossed into", "put it at"), a running
total named before the number ("bringing its losses to…"), or what was done to the things
counted (drones shot down, towns seized). None: the count is no figure (GUIDELINES.md)."""

import re
from typing import Final

from claimledger_server.extractions.aside_verbs import (
    ASIDE_METRICS,
    INCLUDED,
    MEMBERS_OF_NAMED,
    PASSIVE_AFTER_ASIDE,
    PREDICATE_AFTER_ASIDE,
    VERB_AFTER_ASIDE,
    VERB_AFTER_NAME,
)
from claimledger_server.extractions.number_of import running_total
from claimledger_server.extractions.people_phrases import (
    DIED_AFTER,
    held,
    nominal_act,
    noun_metric,
    phrase_metric,
    within_semicolons,
)
from claimledger_server.extractions.thing_metrics import (
    SEIZED,
    VERB_BEFORE,
    acted_on_first,
    for_unit,
    is_thing,
    thing_metric,
)
from claimledger_server.extractions.whereabouts import whereabouts_metric
from claimledger_server.figures.schemas import Metric
from claimledger_server.text.quantities import Quantity
from claimledger_server.text.verbs import HELPING, alternation, ing_forms, past_forms

_REGAINED: Final = frozenset({"recovered", "recovering", "regained", "regaining"})
"""People "recovered" are found (bodies) or freed, not taken."""
HOUSEHOLDS: Final = frozenset({"families", "households"})
"""Groups of people counted as such: what befalls people befalls them ("hundreds of families
have sought shelter"), and they keep their unit."""
HUMAN: Final[frozenset[Metric]] = frozenset(
    {"killed", "wounded", "killed_or_wounded", "executed", "missing", "detained", "displaced"}
)

_SEND: Final = re.compile(
    r"\b(?:sends?|sending|deploys?|deploying|dispatch(?:es)?|dispatching|station|rush(?:es)?|"
    r"airlifts?)"
    r"(?:\s+(?:an?|another|additional|extra|more|further|fresh|new))*\s*$"
)
"""Troops about to be sent: "preparing to send up to 1,500", "will deploy an additional"."""
_FLEEING: Final = re.compile(r"\s*(?:fleeing|running|streaming|scrambling|scurrying)\b")
_TOLL: Final = re.compile(r"\b(?:death toll|number of (?:people )?killed|toll)\b[^.;]*$")
_STANDING_FORCE: Final = re.compile(
    r"\b(?:has|have|had|keeps?|kept|maintains?|maintained|relies on|relied on|rely on|"
    r"relying on|withdraw|withdrew|withdrawn|withdrawing|its|their|pull out|pulled out|"
    r"pulling out|contributes?|contributed|contingent|garrison)\s*$"
    r"|\b(?:contingent|deployment|garrison)\b[^.;,]{0,60}$"
)
_MILITARY: Final = re.compile(
    r"\b(?:troops|soldiers|forces|peacekeepers|personnel|mercenaries|marines|servicemen|"
    r"fighters|instructors|officers|police|policemen|guards|monitors|observers)\b"
)
_HARMS: Final[frozenset[Metric]] = frozenset(
    {"killed", "wounded", "killed_or_wounded", "executed", "missing"}
)
_EACH_OF_MANY: Final = re.compile(
    r"\b(?:some|many|several|most|other|each|every|a\s+few)\s+(?:of\s+the\s+)?"
    r"(?:[a-z]+\s+)?(?:famil(?:y|ies)|households?)\s+(?:(?:have|has|had)\s+)?(?:each\s+)?"
    r"(?:lost|buried|mourned|mourn|mourns)\s+$",
    re.IGNORECASE,
)
"""What each of many families lost ("some families lost two or three members"): a count per
family, no total of the dead."""
_ROLES: Final = re.compile(r"\b(?:recruits|returnees)\b")
"""Words of `_OTHER_PEOPLE` that say who people are, not what befalls them."""
_STILL_SO: Final = re.compile(
    r"\b(?:remain|remains|remained|remaining|still)\s+(?:displaced|missing|detained|in detention"
    r"|in custody|held|homeless|unaccounted)\b"
)
"""A standing count of a metric ("remain displaced"), not people merely remaining."""
_FORCE_OF: Final = re.compile(
    r"\b(?:company|battalion|brigade|platoon|unit|contingent|garrison|detachment|force|convoy|"
    r"mission|column|patrol|squad|team)\s+"
    r"(?:of|had|has|numbering|(?:had\s+|has\s+)?numbered|made up of)\s+$"
)
"""A force sized by its men: "held by a company of about 120 soldiers", "the convoy had
about 40 men" (deployed)."""
_MEN: Final = re.compile(r".*\bmen$")
_NUMBERED: Final = re.compile(r"\b(?:numbered|numbering|numbers|number)\s+$")
_ATTACKERS: Final = re.compile(
    r"\b(?:attackers|assailants|raiders|gunmen|fighters|militants|militiamen|insurgents|rebels|"
    r"troops|soldiers|forces|force|column|convoy)\b[^.;]*$"
)
"""Attackers said to number so many ("the raiders, from a faction of the movement, numbered
about 200"): the force that took part, deployed."""
_FORCE_WITH: Final = re.compile(
    r"\b(?:came|come|arrived|attacked|stormed|raided|advanced|descended|swept|entered|"
    r"returned|approached)\b[^.;]{0,60}\bwith\b[^.;]{0,40}$"
)
"""Fighters an attack came with: a force sent, deployed."""
_ARRIVED: Final = re.compile(r"[^.;,]{0,20}?\b(?:arrived|arriving|arrive)\b")
_FORCE_IN_PLACE: Final = re.compile(
    r"\s*(?:(?:are|were|is|was|had been|have been)\s+)?(?:still\s+)?(?:remain|remained|"
    r"stay|stayed|stationed|based|fighting|on duty|on patrol)\b"
)
"""Troops said to stay or fight somewhere: a standing force, deployed."""
_BODIES: Final = re.compile(
    r"\b(?:bodies|remains|corpses) of"
    r"(?:\s+[^.;,\d]{1,40}?\s+and(?:\s+(?:their|his|her|its))?)?\s*$",
    re.IGNORECASE,
)
"""The dead counted by their bodies: "the bodies of 120 people", "the bodies of a couple and
their four children"."""
_HOMES: Final = re.compile(
    r"^[^.;,]{0,40}\b(?:from|out of|to leave|to abandon|to flee) their (?:own\s+)?"
    r"(?:homes?|houses|villages?|towns?|"
    r"land|lands|neighbou?rhoods?|districts?|farms|camps?|shelters?|tents?)\b"
)
"""People driven from where they live: "forced 10 million people from their homes",
"drove 3,000 people out of their villages"."""
_FREED: Final = re.compile(r"\b(?:free|freed|freeing|release|released|releasing|exchange|swap)")
_HOSTAGES: Final = re.compile(r"\b(?:hostages?|captives?|prisoners?)\b", re.IGNORECASE)
_TAKEN: Final = re.compile(
    r"\b(?:taking|took|taken|take|seized|captured|abducted|holding|held|holds)\b"
)
_TAKEN_AFTER: Final = re.compile(
    r"[^.;,]{0,40}?\b(?:taken|took|held|being held)\s+(?:as\s+)?(?:hostages?|captives?|prisoners?)"
)
_TAKEN_PASSIVE: Final = re.compile(
    r"\s+(?:were|was|had been|have been|are|is)\s+(?:taken|seized|abducted|held)\b"
)
"""Hostages the clause says were taken: "251 hostages were taken to Gaza"."""
_LEFT: Final = re.compile(
    r"\W{0,2}\s*(?:had|have|has)\s+(?:already\s+|since\s+)?(?:left\b|(?:been\s+)?(?:expelled|evicted|"
    r"forcibly removed|driven out|chased out)\b)"
)
_SHARE_OF: Final = re.compile(
    r"\b(?:half|third|thirds|quarter|quarters|fifth|fifths|tenth|tenths|most|majority|"
    r"percent|per\s+cent|%)\s+of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+|our\s+)?"
    r"(?:[\w.-]+['\u2019]s?\s+)?$",
    re.IGNORECASE,
)
"""A share of a whole: the count after it is the whole ("a third of its 3,000 residents"),
whatever befell the share."""
_CARRIED_OFF: Final = re.compile(
    r"(?:\s*,[^.;,]{1,40},)?[^.;,]{0,30}?\b(?:taken|led|marched|carried|dragged)\s+"
    r"(?:away|from|into\s+the\s+(?:forest|bush|jungle|hills|mountains|desert|woods))\b"
)
"""People taken off by their captors, past an aside: "30 people, most of them children, had
been taken into the forest", "eight boys taken from a school"."""
_SAMPLED: Final = re.compile(
    r"\b(?:interview(?:s|ed|ing)?|survey(?:s|ed|ing)?|poll(?:s|ed|ing)?|question(?:ed|ing)|"
    r"sampl(?:ed|ing))\s+$"
)
"""People a study asked ("interviewing 412 families"): its sample, no count of the conflict."""
_RESIDENTS: Final = re.compile(r"\b(?:residents|inhabitants|citizens|population)$")
_POSSESSED: Final = re.compile(r"\b[\w-]+['\u2019]s?\s+$")
"""A place's residents ("the department's 90,000 residents"): a population, whatever befalls
them as a whole."""
_WHOLE: Final = re.compile(r"\bof\s+(?:its\s+|their\s+|the\s+|his\s+|her\s+)?$")
"""A count after "of" is a whole a part of which left ("a third of its 3,000 residents
have left", "60% of its population of 280,000 has left"): no count of the displaced."""
TAKING_PART: Final = re.compile(r"(?<!of )\b(?:took|taking|take|takes|taken) part\b")
"""Jets or troops that took part in a raid (not people "suspected of taking part")."""
PART_OF: Final = re.compile(
    r"(?:including|among them|among whom|of them|of whom|of which)"
    # "among them a mother and her two children": a part after one named without a number
    r"(?:\s+(?:a|an|the)\s+[a-z-]+(?:\s+[a-z-]+)?\s+and(?:\s+(?:his|her|their|its))?)?\s*$",
    re.IGNORECASE,
)
"""What a count that is a part of the one before follows: "killed 12, including 4 children"."""
_SHELTERING: Final = re.compile(
    r"\b(?:sheltering|shelter|camps?|(?:sleeping|sleep|slept|staying|stayed) (?:in|at|on|rough)|"
    # "200 residents had spent the night in a school": where they could not stay home
    r"(?:spent|spend|spending) (?:the|last|that) night (?:in|at|on)|on the move)\b"
)
_HELPED: Final = tuple(
    h
    for h in HELPING
    if h not in ("treat", "evacuate", "shelter", "house", "host", "register", "reach", "support")
)
"""Help that leaves people counted as `other`; treated (wounded) and sheltered (displaced)
are read by `people_phrases.py`; registration, reach and support say nothing by themselves
("deaths reached 1,200", "backed by 2,000 troops")."""
_OTHER_PEOPLE: Final = re.compile(
    r"\b(?:need|needs|needed|needing|in need|require|requires|required|requiring|"
    r"remain|remaining|remained|recruits|"
    # the trapped, unless believed so: those are missing (`people_phrases.py`)
    r"(?<!believed to be )(?<!feared )(?<!believed )trapped|"
    r"starving|malnourished|famine|hunger|besieged|living|still living|"
    r"brought home|returned from captivity|food insecurity|stranded|"
    r"(?:pulled|dug|brought|carried)\s+(?:out\s+)?alive|"  # people rescued from rubble
    r"food insecure|affected|affecting|feed|at risk|hungry|"
    r"(?:depend|depends|depended|depending|rely|relies|relied|relying) on|"
    r"(?:left|living|lived|are|were) without (?:power|electricity|water|shelter|food|homes?)|"
    r"with (?:food|aid|assistance|supplies|help|cash)|cut off|returnees|"
    r"(?:have|has|had|who)\s+(?:since\s+|already\s+)?returned|"
    r"(?:care|aid|assistance|help|support|treatment|food|shelter|supplies|services) to|"
    + alternation(past_forms(_HELPED) | ing_forms(_HELPED))
    + r")\b"
)
_DEAD_LISTED: Final = re.compile(
    r"\b(?:[Tt]he dead|[Tt]he victims|[Tt]hose killed)\s+(?:included|include|includes)\s+"
    r"(?:(?!\b(?:that|were|was|are|is|had|have|has)\b)[^.;:]){0,100}(?:,|\band)\s+$"
)
"""A later item of the list the dead are named in ("the dead included 40 civilians, 12
fighters and 9 police officers"): the first item's own phrase is in `people_phrases.py`. A
clause of its own ("… included a boy and that 22 people were injured, six of them") ends
the list."""


def metric_of(passage: str, quantity: Quantity, unit: str) -> Metric | None:
    """What the count of `unit` counts, by the words around it; None for no figure."""
    before = passage[max(0, quantity.start - 120) : quantity.start]
    after = passage[quantity.end : quantity.end + 100]
    around = passage[max(0, quantity.start - 40) : quantity.end + 40]
    metric = quantity.metric
    people = unit == "people" or unit in HOUSEHOLDS
    military = _MILITARY.search(quantity.text)
    if people and metric is None and military and _POSSESSED.search(before[-40:]):
        return "deployed"  # "the force's 10,000 peacekeepers", "a third of the mission's troops"
    if people and _EACH_OF_MANY.search(before[-60:]):
        return None  # "many households have lost two relatives": each one's loss, no total
    if _SHARE_OF.search(before):
        return None  # "nearly half of the district's 90,000 residents have fled": the whole
    if people and _SAMPLED.search(before[-30:]):
        return None  # "interviewing 412 families": whom a study asked, no figure
    if metric is None and _RESIDENTS.search(quantity.text) and _POSSESSED.search(before[-40:]):
        return None  # "the department's 90,000 residents were trapped": its population
    if (people or not is_thing(unit)) and (
        where := whereabouts_metric(quantity.text, before, after, metric)
    ):
        return where  # "those of eight", "still being sought", "312 prisoners had fled"
    if (
        people
        and metric in (None, "captured", "detained", "wounded")
        and (act := nominal_act(before))
    ):
        # "the execution of 43 prisoners", "the release of 120 detainees": what was done to
        # them, not what they were
        return act
    if people and (by_noun := noun_metric(before, quantity.text, metric)) is not None:
        return by_noun  # "she lost three sons", "dozens of gunmen arrived on motorbikes"
    if people and metric == "wounded" and DIED_AFTER.match(after):
        return "killed"  # "two of the wounded later died": the wounded are dead now
    if (aside := PASSIVE_AFTER_ASIDE.match(after)) is not None:
        # "one woman was killed and two men, aged 40 and 58, were wounded": the count's
        # own verb, past the aside, not the one before it
        told = ASIDE_METRICS.get(aside.group("verb"))
        if told is not None and (people or told == "captured"):
            return told
    if not people and (said := acted_on_first(before, after, unit)) is not None:
        return said[0]  # "a convoy of 11 trucks" (none), "…, had been set ablaze"
    if not people and INCLUDED.search(before) and (aside := VERB_AFTER_ASIDE.match(after)):
        # "reinforcements, including two armoured vehicles and 150 officers, had been sent":
        # the parts of an aside share the verb after it
        return for_unit(ASIDE_METRICS[aside.group("verb")], unit)
    if people and _TAKEN_AFTER.match(after):
        return "captured"  # "17 soldiers were taken hostage"
    if TAKING_PART.search(around):
        return "deployed"  # "12 jets took part in the strikes"
    if people and metric in (None, "displaced") and _SHELTERING.search(around):
        # a camp only the clause before names gives way to the count's own words: "… in the
        # camp, and that 15 people were believed trapped" (missing)
        own = metric or _SHELTERING.search(_clause_around(passage, quantity))
        phrased = None if own else phrase_metric(before, after, military)
        if phrased:
            return phrased[0]
        if not own and PART_OF.search(before[-40:]):
            return None  # "17 people sheltering there, among them four monks": the whole's part
        return "displaced"
    if people and _FLEEING.match(after):
        return "displaced"  # "fighting sends thousands fleeing"
    if people and _SEND.search(before):
        return "deployed"  # "preparing to send up to 1,500 more soldiers"
    sized = military or _MEN.match(quantity.text)
    if people and metric is None and sized and _FORCE_OF.search(before[-40:]):
        return "deployed"  # "a company of about 120 soldiers", "the convoy had 40 men"
    if people and metric is None and _NUMBERED.search(before[-20:]) and _ATTACKERS.search(before):
        return "deployed"  # "the attackers, from the … front, numbered about 60"
    if people and metric == "deployed" and not military and _ARRIVED.match(after):
        return "displaced"  # people, not troops, who arrived somewhere: they fled there
    if people and (kept := held(quantity.text, after)) is not None:
        return kept  # "21,000 people remain in detention", "six Serbs were still held"
    if people and metric is None and military and _FORCE_WITH.search(before):
        return "deployed"  # "they came at dawn with two car bombs and some 300 fighters"
    if people and metric is None and military and _FORCE_IN_PLACE.match(after):
        return "deployed"  # "1,300 troops remain in the country", "soldiers were fighting"
    if (
        people
        # "20 army recruits were killed": who people are (recruits, returnees) leaves them
        # harmed; what they suffer ("malnourished children … faced death") makes it `other`
        and (
            metric is None
            or _OTHER_PEOPLE.search(
                _ROLES.sub("", quantity.text) if metric in _HARMS else quantity.text
            )
        )
        and _OTHER_PEOPLE.search(_clause_around(passage, quantity))
        and not (metric and _STILL_SO.search(quantity.text))  # "4.5 million remain displaced"
        and not (military and _STANDING_FORCE.search(before))  # "relies on 1,000 fighters"
    ):
        return "other"  # people in need, residents remaining, recruits, people freed
    if _HOSTAGES.search(quantity.text + after[:12]) and people:
        if _FREED.search(within_semicolons(passage, quantity)):
            return "other"  # an exchange: "33 hostages … for 1,700 prisoners"
        if metric is None and (_TAKEN.search(before[-30:]) or _TAKEN_PASSIVE.match(after)):
            return "captured"  # "taking more than 250 hostages"
    if metric is None and people and _CARRIED_OFF.match(after):
        return "detained"  # "30 people, most of them children, had been taken into the forest"
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
    # "12 members of the Volunteers for the Defence of the Northern Homeland (VDNH), a
    # civilian force, had been killed": the body the counted belong to is part of their noun
    named = MEMBERS_OF_NAMED.match(passage, quantity.end)
    past_name = passage[named.end() : named.end() + 100] if named else after
    if metric is None and (
        (aside := VERB_AFTER_ASIDE.match(past_name)) is not None
        or (named and (aside := VERB_AFTER_NAME.match(past_name)) is not None)
    ):
        metric = ASIDE_METRICS[aside.group("verb")]  # "300 people, including …, were killed"
    predicate = PREDICATE_AFTER_ASIDE.match(after) if metric is None and people else None
    if predicate is not None and _OTHER_PEOPLE.search(predicate.group("predicate")):
        return "other"  # "576,000 people, a quarter of …, were one step from famine"
    if metric is None and people and _TOLL.search(passage, 0, quantity.start):
        # "the death toll … had risen to 43,061", however long the "…"; things a toll's
        # clause names are what their own verb says ("… and had seized five trucks")
        return "killed"
    if metric is None and people and (total := running_total(before)) is not None:
        return total[0]  # "bringing its losses to", "the number of civilians killed … has passed"
    if metric is None and people and military and _STANDING_FORCE.search(before):
        return "deployed"  # "it had about 1,000 Kenyan troops in the area"
    taker = VERB_BEFORE.search(before) if people and metric is None else None
    if taker is not None and SEIZED.fullmatch(taker.group(1)) and taker.group(1) not in _REGAINED:
        # people taken: soldiers are captured, anyone else is abducted ("seized four engineers")
        return "captured" if military else "detained"
    if people or (metric in HUMAN and not is_thing(unit)):
        return metric  # "killed at least 40 villagers": people the lexicon does not name
    return thing_metric(before, after, around, quantity.text, unit, metric)


def _clause_around(passage: str, quantity: Quantity) -> str:
    """The words about a count within its clause: what the next clause says ("…, and that
    21,000 people remain") is said of another count."""
    before = passage[max(0, quantity.start - 40) : quantity.start]
    after = passage[quantity.end : quantity.end + 80]
    # "19 people had been pulled alive … and that 300 rescuers were at work": "and that"
    # opens another clause, comma or not
    before = re.split(r"[,;:]\s+(?:and\s+)?(?:that\s+)?|\s+and\s+that\s+", before)[-1]
    after = re.split(r",\s+(?:and\s+)?that\b|;", after)[0]
    if len(after) > 40:
        # past the count's own words, its predicate lies within the clause ("up to 12,000
        # people in 14 rural districts were at risk")
        after = after[:40] + re.split(r"[,;:.]|\s(?:and|but|while|which|who)\s", after[40:])[0]
    return before + quantity.text + after
