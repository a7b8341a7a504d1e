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


def for_figures(text: str) -> str:
    """`text` with the colon after a list line's leading number blanked; same length."""
    colons = [m.start(1) for m in _NUMBER_COLON.finditer(text)]
    if not colons:
        return text
    chars = list(text)
    for at in colons:
        chars[at] = " "
    return "".join(chars)
