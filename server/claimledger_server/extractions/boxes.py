"""Figures set out as a list: a "By the numbers" box, a fact box.

Each line is its own statement ("- 8: police officers killed"), and "N: words" means N of
what the words count. The parser reads counts from running prose, so the colon after a
line's leading number is blanked (a space: every offset stays) before figures are read, and
a line break before a list marker ends a sentence."""

import re
from typing import Final

LIST_ITEM_START: Final = r"\n(?=[ \t]*[-\u2022*\u2013][ \t]+\S)"
"""A line break before a list item: the end of a sentence (joined into `rules`' pattern)."""
_NUMBER_COLON: Final = re.compile(
    r"^[ \t]*[-\u2022*\u2013][ \t]+\d[\d,.]*(?:[ \t]+(?:million|thousand|billion))?(:)",
    re.MULTILINE,
)


_QUOTED_AMOUNT: Final = re.compile(
    r"(?<![\w\"\u201c])([\"\u201c])(?:[A-Za-z-]+\s+){0,3}?"
    r"(?:\d[\d,.]*(?:\s+(?:million|thousand|billion))?|several|dozens|scores|hundreds|thousands"
    r"|tens\s+of\s+thousands|hundreds\s+of\s+thousands)([\"\u201d])(?=[\s,.;:])",
    re.IGNORECASE,
)
"""A figure's own words quoted ('repelled "several" attacks', 'had "no more than 11,000"
troops'): the marks stand between the amount and what it counts."""


_RUBRIC: Final = re.compile(
    r"\A\s*(?:UPDATE|UPDATED|REFILE|CORRECTED|URGENT|WRAPUP|FLASH|RPT)(?:\s*\d+)?\s*-(?=\S)"
)
"""A wire headline's rubric ("UPDATE 2-Toll rises to 43"): no part of what it says."""


def for_figures(text: str) -> str:
    """`text` with a wire headline's rubric, the colon after a list line's leading number
    and the marks around a quoted amount blanked (spaces: every offset stays)."""
    blanks = [m.start(1) for m in _NUMBER_COLON.finditer(text)]
    if (rubric := _RUBRIC.match(text)) is not None:
        blanks += list(range(rubric.start(), rubric.end()))
    for quoted in _QUOTED_AMOUNT.finditer(text):
        blanks += [quoted.start(1), quoted.start(2)]
    if not blanks:
        return text
    chars = list(text)
    for at in blanks:
        chars[at] = " "
    return "".join(chars)


_ITEM_LINE: Final = re.compile(r"[ \t]*[-\u2022*\u2013][ \t]+\S[^\n]*(?:\n|$)")
_BLANK_LINES: Final = re.compile(r"[ \t]*\n(?:[ \t]*\n)*")


def listed_items_end(text: str, intro_end: int) -> int | None:
    """Where the list a sentence ending in a colon introduces ends ("It gave these figures:"
    and the lines under it that open on a dash or a bullet): its items are the introducing
    sentence's speaker's, as a statement quoted after 'the group said:' is. None when the
    sentence ends in no colon or no list follows it."""
    if not text[:intro_end].rstrip().endswith(":"):
        return None
    pos, end = intro_end, None
    while True:
        blank = _BLANK_LINES.match(text, pos)
        item = _ITEM_LINE.match(text, blank.end() if blank else pos)
        if item is None:
            return end
        pos = end = item.end()
