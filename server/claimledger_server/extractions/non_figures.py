"""Counts that news English gives beside a conflict's figures but that count nothing of the
conflict, whatever metric word stands near them (GUIDELINES.md, distractors):

- who a claim came from: "according to two relatives of detainees", "deaths reported by at
  least two independent sources" (the informants, not the detained or the dead);
- a capacity: "the morgue was built to hold 24 bodies", "a ward with room for 40" (what a
  place can take, not what it took);
- the kin someone lives with: "she shares a tent with eight relatives" (a household, not
  the displaced, though "tent" or "shelter" stands beside it);
- aid given out in kind: "the agency has distributed 1,200 shelter kits" (supplies handed
  out are a response's measure, not a count of what the fighting did);
- a place's population: "the town, home to about 80,000 people" (who live there, not whom
  the fighting touched; "a camp home to 8,000 people who fled" counts the displaced);
- a definition's threshold: "which counts as a massacre any killing of four or more
  people" (the least a kind of event needs, not a count of one);
- a strength planned or authorised: "the mission, which was supposed to number 4,200 troops" (what a
  force should number, not anyone sent);
- the people a building held before the attack on it: "the wing, which housed about 300
  students before the strike" (its occupants then, not the displaced nor the harmed);
- care a service gave: "the clinic has carried out 9,000 consultations" (a response's
  activity, like aid in kind, not a count of what the fighting did);
- the population a place's share is taken of: "Of its roughly 5,000 residents, only a few
  hundred remain" (all who lived there, the base of the share that is the figure);
- a judgment of size without a number: "many of the dead", "numerous civilians" (unlike
  "some", which says a count exists, "many" says only that it is large)."""

import re
from typing import Final

from claimledger_server.text.quantities import Quantity

_INFORMANTS: Final = re.compile(
    r"\b(?:according\s+to|citing|quoting|(?:reported|confirmed|verified|corroborated|"
    r"documented)\s+by)\s+$",
    re.IGNORECASE,
)
"""Right before a count of the people or sources a claim came from."""
_CAPACITY: Final = re.compile(
    r"\b(?:(?:built|designed|meant|intended|equipped|able)\s+to\s+|(?:can|could|cannot|"
    r"can't)\s+(?:only\s+)?)(?:hold|house|accommodate|take|fit|sleep|seat|treat|receive)\s+$"
    r"|\b(?:built|designed)\s+for\s+$"
    r"|\b(?:capacity|room|space)\s+(?:of|for)\s+$",
    re.IGNORECASE,
)
"""Right before what a place can hold."""
_HOUSEHOLD: Final = re.compile(
    r"\b(?:shares?|shared|sharing|lives?|lived|living|stays?|stayed|staying|sleeps?|slept|"
    r"sleeping|shelters?|sheltered|sheltering)\b"
    r"[^.;,:\d]{0,40}?\bwith\s+(?:(?:his|her|their|my|our|your)\s+)?$",
    re.IGNORECASE,
)
"""Right before the people someone lives with ("lives with her five children")..."""
KIN: Final = re.compile(
    r"\b(?:relatives|relations|children|sons|daughters|grandchildren|siblings|brothers|sisters|"
    r"cousins|nephews|nieces|uncles|aunts|family\s+members|dependants|dependents)$",
    re.IGNORECASE,
)
"""...when they are kin: "sheltering in a school with 500 others" adds to a count of the
displaced."""
_GIVEN_OUT: Final = re.compile(
    r"\b(?:distribut(?:e|es|ed|ing)|hand(?:s|ed|ing)?\s+out|g(?:ave|ive|iven|ives|iving)\s+out|"
    r"donat(?:e|es|ed|ing))\s+$",
    re.IGNORECASE,
)
"""Right before supplies handed out."""
_HOME_TO: Final = re.compile(r"\b(?:home|host)\s+to\s+$", re.IGNORECASE)
"""Right before a place's population..."""
_POPULATION_OF: Final = re.compile(
    r"(?:^|[.;:]\s+|\n)(?:[Oo]f|[Oo]ut\s+of)\s+(?:its|their|the\s+[\w-]+['\u2019]s?)\s+"
    r"(?:(?:pre-war|former|original|estimated)\s+)?$"
)
"""Right before the population a share is taken of, opening its sentence ("Of its 5,000
residents, …")..."""
_RESIDENTS: Final = re.compile(r"\b(?:residents|inhabitants|population|villagers)$", re.IGNORECASE)
"""...when the count is of those who live there."""
_DESCRIBED_AFTER: Final = re.compile(r"\s+(?:who|whom|that|displaced|uprooted)\b")
"""...unless what befell them follows."""
_THRESHOLD: Final = re.compile(
    r"\b(?:any|every)\s+(?:[a-z-]+\s+){1,3}?(?:of|killing|that\s+kill(?:s|ed)?|"
    r"in\s+which)\s+$"
    r"|\bdefin(?:es|ed|ing)\b[^.;:]{0,60}?\bas\s+(?:[a-z-]+\s+){0,4}?(?:of|killing)\s+$",
    re.IGNORECASE,
)
"""Right before the least that a kind of event counts ("any attack killing five or more")."""
_PLANNED: Final = re.compile(
    r"\b(?:meant|supposed|due|expected|slated|mandated|authori[sz]ed|planned|intended)\s+to\s+"
    r"(?:have|number|reach|total|comprise|field|include|grow\s+to)\s+$"
    r"|\b(?:authori[sz]ed|planned|intended|full|mandated|target)\s+(?:strength|size|troop\s+level)"
    r"\s+of\s+$",
    re.IGNORECASE,
)
"""Right before the strength a force should have ("meant to have", "an authorised strength of")."""
_HELD: Final = re.compile(
    r"\b(?:housed|held|accommodated|sheltered|(?:was|were)\s+home\s+to)\s+$", re.IGNORECASE
)
"""Right before the people a place held..."""
_BEFORE_IT: Final = re.compile(
    r"[^.;:]{0,40}?\bbefore\s+(?:the|its|it|being|they|an?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:attack|strike|raid|bombing|shelling|blast|explosion|fire|airstrike|war|fighting|"
    r"was|were)\b",
    re.IGNORECASE,
)
"""...when they are its occupants before the attack on it."""
_CARE_GIVEN: Final = frozenset(
    {"consultations", "vaccinations", "immunizations", "immunisations", "check-ups"}
)
"""Units of care a service gave."""
_SIZE_WORDS: Final = frozenset({"many", "numerous", "countless", "multiple"})


def counts_nothing(passage: str, quantity: Quantity) -> bool:
    """Whether `quantity`, a count in `passage`, counts informants, a capacity, a household,
    aid given out in kind, a population (or the one a share is of), a threshold, a planned
    strength, a building's occupants before the attack or care given, or says only that many
    were (see the module's docstring): no figure, whatever its metric."""
    if quantity.amount is None and quantity.text.split()[0].lower() in _SIZE_WORDS:
        return True
    before = passage[max(0, quantity.start - 60) : quantity.start]
    if any(rule.search(before) for rule in (_INFORMANTS, _CAPACITY, _THRESHOLD, _PLANNED)):
        return True
    if _HOME_TO.search(before) and not _DESCRIBED_AFTER.match(passage, quantity.end):
        return True
    if _POPULATION_OF.search(before) and _RESIDENTS.search(quantity.text):
        return True
    if _HOUSEHOLD.search(before) and KIN.search(quantity.text):
        return True
    if _HELD.search(before) and _BEFORE_IT.match(passage, quantity.end):
        return True
    if quantity.unit in _CARE_GIVEN:
        return True
    return quantity.unit != "people" and _GIVEN_OUT.search(before) is not None
