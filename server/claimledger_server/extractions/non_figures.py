"""Counts that news English gives beside a conflict's figures but that count nothing of the
conflict, whatever metric word stands near them (GUIDELINES.md, distractors):

- who a claim came from: "according to two relatives of detainees", "deaths reported by at
  least two independent sources" (the informants, not the detained or the dead);
- a capacity: "the morgue was built to hold 24 bodies", "a ward with room for 40" (what a
  place can take, not what it took);
- the kin someone lives with: "she shares a tent with eight relatives" (a household, not
  the displaced, though "tent" or "shelter" stands beside it);
- aid given out in kind: "the agency has distributed 1,200 shelter kits" (supplies handed
  out are a response's measure, not a count of what the fighting did)."""

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
_KIN: Final = re.compile(
    r"\b(?:relatives|relations|children|sons|daughters|grandchildren|siblings|brothers|sisters|"
    r"cousins|family\s+members|dependants|dependents)$",
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


def counts_nothing(passage: str, quantity: Quantity) -> bool:
    """Whether `quantity`, a count in `passage`, counts informants, a capacity, a household
    or aid given out in kind (see the module's docstring): no figure, whatever its metric."""
    before = passage[max(0, quantity.start - 60) : quantity.start]
    if _INFORMANTS.search(before) or _CAPACITY.search(before):
        return True
    if _HOUSEHOLD.search(before) and _KIN.search(quantity.text):
        return True
    return quantity.unit != "people" and _GIVEN_OUT.search(before) is not None
