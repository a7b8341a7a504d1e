"""Corrections appended to a story: "Correction: An earlier version of this article said 12
people were killed." The sentence retracts what the publisher wrote: no one's claim, and
its numbers no figures (GUIDELINES.md has a retracted figure a distractor). A correction
that gives the figure back to its true speaker ("…; the figure was given by X") is that
speaker's claim, which `quoting.given_by` finds."""

import re
from typing import Final

_RETRACTED: Final = re.compile(
    r"(?:(?:CORRECTION|Correction|Clarification|CLARIFICATION)\s*:\s*)?"
    r"(?:An?|The)\s+(?:earlier|previous|original|first)\s+(?:version|edition)\s+of\s+"
    r"(?:this|the)\s+(?:article|story|report|dispatch|piece|item|post|text)\b"
)
"""The opening of a correction that names the version it corrects."""


def retracts(text: str, start: int) -> bool:
    """Whether the sentence at `start` opens a correction of what an earlier version said."""
    return _RETRACTED.match(text, start) is not None
