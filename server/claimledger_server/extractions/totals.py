"""A count that the sentence's subject says is a total, however far the subject stands
from it: "The number of people killed in a week of fighting between … has risen to 312",
"the number of attacks on shipping since Nov. 19 has topped 30", "put the number of strikes
at 36", "the number displaced … to more than 92,000", "Toll from … attack rises to nine"
(a toll counts the dead, unless it says what else). A total named again without saying
what it counts ("the number had since risen to 46", "the correct figure, given by …, is at
least 6") counts what the figure before it counted."""

import re
from typing import Final

from claimledger_server.extractions.count_metrics import HOUSEHOLDS
from claimledger_server.extractions.number_of import counted_metric
from claimledger_server.extractions.schemas import DraftFigure
from claimledger_server.extractions.thing_metrics import EVENTS, is_thing
from claimledger_server.figures.schemas import Metric
from claimledger_server.text.quantities import Quantity

_SUBJECT: Final = re.compile(
    r"(?:\b(?:the|its|their|this|that)\s+(?:(?:total|overall|new|latest|revised|updated|final|"
    r"official|correct|true|actual|cumulative)\s+)?|(?<![\w-])(?=toll\b))(?:death\s+)?"
    r"(?P<head>number|figure|tally|count|total|toll)"
    r"(?:\s+of\b)?(?P<counted>[^;]*)$",
    re.IGNORECASE,
)
_REACHED: Final = re.compile(
    r"\b(?:to|at|reached|reaches|hit|hits|is|was|are|were|has|have|had|now|nears|neared|"
    r"stands|stood)\s*[\"\u201c]?\s*$"
)
"""What a total does right before its number: "has risen to", "stands at", "is", "has"
(before "surpassed 36,000", whose verb is the number's qualifier)."""
_BREAK: Final = re.compile(r"\b(?:and|but|while|as|which|who|that|said|says)\b[^,]*,|\bthat\b")
"""A subject that a later clause has left behind ("the number of …, and officials said
that 20 …")."""
MAX_SUBJECT_CHARS: Final = 300


def total_of(
    passage: str, quantity: Quantity, previous: DraftFigure | None
) -> tuple[Metric, str | None] | None:
    """The metric and unit (None: the count's own) of a count that its sentence's subject
    names as a total; None when it is no such count."""
    before = passage[max(0, quantity.start - MAX_SUBJECT_CHARS) : quantity.start]
    if _REACHED.search(before) is None:
        return None
    subject, at = None, 0
    # the last one: the nearest subject before the number ("the number of people killed to
    # 40,120 and the number wounded to 95,300"); each match runs to the end, so search on
    # from just past the previous one's start
    while (found := _SUBJECT.search(before, at)) is not None:
        subject, at = found, found.start() + 1
    if subject is None:
        return None
    counted = subject.group("counted")
    reached = _REACHED.search(counted)
    assert reached is not None  # `counted` runs to the end of `before`
    words = re.sub(r",[^,]*,", " ", counted[: reached.start()])  # past an aside
    if _BREAK.search(words):
        return None
    if subject.group("head").lower() == "toll":  # "Toll from … attack rises to nine": the dead
        return counted_metric(f" {words} ") or "killed", None
    if not words.strip(" ,\"'\u201c\u201d") or words.lstrip().startswith(("has", "had", "have")):
        # "the number had since risen to 46": the total named before
        return (previous.metric, previous.unit) if previous is not None else None
    if (metric := counted_metric(f" {words} ")) is not None:
        households = next((w for w in words.split() if w in HOUSEHOLDS), None)
        return metric, households  # "the number of families driven from their homes"
    for word in re.findall(r"[a-z][\w-]*", words):
        if word in EVENTS or (word.endswith("s") and is_thing(word)):
            return "other", word  # "the number of attacks on shipping has topped 30"
    return None
