"""Counts set out as labelled lines: a hospital's bulletin ("Gunshot wounds: 41", "Deaths on
arrival: 12"), an army's daily tally ("- tanks: 7 (11,412);").

A labelled list is two or more lines in a row that each give a label, a colon and a count
(one such line alone is a headline or a heading, not a list). Each count counts what its
label names:

- its metric from the label's words ("Deaths on arrival" killed; "Gunshot wounds" and
  "Burns", injuries by their kind, wounded);
- for a label that names only who or what was counted ("personnel", "tanks", "artillery
  systems"), from the line that introduces the list: "Russian losses over the past day:"
  makes people killed or wounded and things lost `other`, with the label's noun as their
  unit ("drones of operational-tactical level" are drones);
- a label that says neither ("Blood stock: 22 units") counts nothing of the conflict.

A number in brackets right after a line's count is the same thing counted again: the running
total when the introduction says the brackets hold totals ("with totals since … in
brackets")."""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from claimledger_server.figures.schemas import Metric
from claimledger_server.text.lexicon import PEOPLE
from claimledger_server.text.metrics import AFTER

_LABELLED_LINE: Final = re.compile(
    r"^[ \t]*(?:[-\u2022*\u2013][ \t]+)?(?P<label>[A-Za-z][\w'\u2019 -]{0,60}?)[ \t]*:[ \t]+"
    r"(?=(?:[a-z]+[ \t]+){0,2}\d)",
    re.MULTILINE,
)
"""A line that opens on a label and a colon, its count after them (perhaps qualified:
"about 1,090")."""
_INJURIES: Final = frozenset({"burns", "fractures", "amputations", "shrapnel", "trauma"})
"""Injuries named by their kind, which count the wounded."""
_LOSSES: Final = re.compile(r"\b(?:losses|casualties|lost|losing)\b", re.IGNORECASE)
_TOTALS: Final = re.compile(r"\btotals?\b", re.IGNORECASE)
_BRACKET_AFTER_COUNT: Final = re.compile(r"[^()\n]*\(\s*$")
_MAX_LABEL_WORDS: Final = 3
"""The longest metric phrase looked up in a label."""


@dataclass(frozen=True)
class LabelledCount:
    """What a labelled line's count counts: its metric (None: nothing of the conflict), its
    unit, and whether it is the running total given in brackets."""

    metric: Metric | None
    unit: str
    total: bool


@dataclass(frozen=True)
class _Line:
    value: int
    """Where the count starts, past the label and its colon."""
    end: int
    """The end of the line."""
    label: str
    introduction: str
    """The line before the list, when it introduces it (ends with a colon); else ""."""


@lru_cache(maxsize=16)
def _lines(text: str) -> tuple[_Line, ...]:
    """Every line of a labelled list in `text` (read once per text: the extractor asks of
    every count)."""
    found = list(_LABELLED_LINE.finditer(text))
    lines: list[_Line] = []
    run: list[re.Match[str]] = []
    for match in [*found, None]:
        if match is not None and run and match.start() == _line_end(text, run[-1].start()) + 1:
            run.append(match)
            continue
        if len(run) >= 2:
            lines.extend(_list_lines(text, run))
        run = [match] if match is not None else []
    return tuple(lines)


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _list_lines(text: str, run: list[re.Match[str]]) -> list[_Line]:
    first = run[0].start()
    previous_start = text.rfind("\n", 0, max(0, first - 1)) + 1
    previous = text[previous_start : max(previous_start, first - 1)].strip()
    introduction = previous if previous.endswith(":") else ""
    return [
        _Line(m.end(), _line_end(text, m.start()), m.group("label").strip(), introduction)
        for m in run
    ]


def labelled_count(text: str, start: int, end: int) -> LabelledCount | None:
    """What the count at `text[start:end]` counts when it is a labelled list's count (the
    one after the label, or the one in brackets right after it); None when it is not."""
    line = next((line for line in _lines(text) if line.value <= start < line.end), None)
    if line is None:
        return None
    total = start > line.value
    if total and not (
        _BRACKET_AFTER_COUNT.fullmatch(text, line.value, start) and text[end : end + 1] == ")"
    ):
        return None  # another number on the line ("(of whom 9 children)") is read as usual
    metric, unit = _label_reading(line.label, line.introduction)
    return LabelledCount(metric, unit, total and bool(_TOTALS.search(line.introduction)))


def _label_reading(label: str, introduction: str) -> tuple[Metric | None, str]:
    words = label.lower().split()
    head = label.lower().split(" of ")[0].split()
    person = bool(head) and head[-1] in PEOPLE
    unit = "people" if person or not head else "-".join(head)
    for size in range(_MAX_LABEL_WORDS, 0, -1):
        for i in range(len(words) - size + 1):
            if (metric := AFTER.get(tuple(words[i : i + size]))) is not None:
                return metric, "people" if metric != "other" else unit
    if any(word in _INJURIES for word in words):
        return "wounded", "people"
    if _LOSSES.search(introduction):
        return ("killed_or_wounded", unit) if person else ("other", unit)
    return None, unit
