"""Where the people a count counts are, in the words of news reporting: dead, named again by
their remains ("received the remains of 11 soldiers and handed over those of eight"); still
looked for, so missing ("the bodies of two more were still being sought"); or out of custody
and back in it ("312 prisoners had fled", "94 escapees had been recaptured", "160 of those
held"). `count_metrics.py` reads them for counts of people."""

import re
from typing import Final

from claimledger_server.figures.schemas import Metric

_THOSE_OF: Final = re.compile(
    r"\b(?:bodies|remains|corpses) of\b[^.;]{0,120}\bthose of\s*$", re.IGNORECASE
)
"""The dead named again by "those of" after their bodies."""
_REMAINS_OF: Final = re.compile(r"\b(?:bodies|remains|corpses) of\s*$", re.IGNORECASE)
"""The dead counted by their remains, wherever these lie ("might be buried there" says where
the dead are, not that the living are trapped)."""
_SOUGHT: Final = re.compile(
    r"^[^.;,]{0,30}?\b(?:were|was|are|is)\s+(?:still\s+)?being\s+(?:sought|searched\s+for|"
    r"looked\s+for)\b"
)
"""People, or their bodies, still looked for: "the remains of two more soldiers were still
being sought"."""
_INMATES: Final = re.compile(
    r"\b(?:prisoners|inmates|detainees|convicts|prisoner|inmate|detainee|convict)$"
)
_BROKE_OUT: Final = re.compile(
    r"^[^.;,]{0,20}?\b(?:escaped|fled|broke\s+out|broken\s+out|absconded|walked\s+free)\b"
)
"""Inmates who escaped: neither taken nor driven from home (GUIDELINES.md: `other`)."""
_ESCAPED_BEFORE: Final = re.compile(r"\b(?:escaped|fleeing|fled|runaway)\s+$")
_ESCAPEES: Final = re.compile(r"\b(?:escapees|escapee|fugitives|runaways)$")
_RETAKEN: Final = re.compile(
    r"^[^.;,]{0,20}?\b(?:recaptured|rearrested|re-arrested|caught|apprehended|"
    r"taken\s+back\s+into\s+custody)\b"
)
"""Escaped inmates caught again: detained."""
_THOSE_HELD: Final = re.compile(
    r"^\s+of\s+(?:those|the\s+people|the\s+men|the\s+inmates|the\s+prisoners)\s+"
    r"(?:held|detained|jailed|imprisoned|locked\s+up)\b"
)
"""A part of those in custody: "at least 160 of those held at the prison"."""


def whereabouts_metric(
    counted: str, before: str, after: str, metric: Metric | None
) -> Metric | None:
    """The metric these phrases give a count of people (`counted` its words, `metric` the
    lexicon's reading of them); None when none of them is said."""
    escaped_before = _ESCAPED_BEFORE.search(before[-20:]) is not None
    retaken = _RETAKEN.match(after) is not None
    inmates = _INMATES.search(counted) is not None
    if inmates and not retaken and (escaped_before or _BROKE_OUT.match(after)):
        return "other"  # "312 prisoners had fled", "escaped prisoners"
    if retaken and (escaped_before or _ESCAPEES.search(counted)):
        return "detained"  # "94 escapees had been recaptured"
    if metric in (None, "captured") and _THOSE_HELD.match(after):
        return "detained"  # "at least 160 of those held were political prisoners"
    if metric is None and _SOUGHT.match(after):
        return "missing"
    if metric is None and (_THOSE_OF.search(before) or _REMAINS_OF.search(before)):
        return "killed"  # "the remains of as many as 30 people might be buried there"
    return None
