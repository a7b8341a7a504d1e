"""Titles before a person's name ("Colonel", "Deputy mayor"): no part of the name, and the
role by which the text may have spoken of the person before ("the deputy mayor said")."""

import re
from collections.abc import Iterator
from typing import Final

TITLES: Final = frozenset(
    {
        *("president", "prime", "minister", "secretary", "spokesperson", "spokesman"),
        *("spokeswoman", "general", "chancellor", "foreign", "defence", "defense", "deputy"),
        *("chief", "commander", "ambassador", "senator", "governor", "mayor", "mr", "mrs"),
        *("ms", "dr", "lieutenant", "lt", "colonel", "col", "major", "maj", "brigadier"),
        *("admiral", "rear", "vice", "captain", "sergeant", "acting", "interim", "kremlin"),
        *("aide", "lawmaker", "envoy", "head", "director", "king", "queen", "sheikh"),
        *("emir", "marshal", "gen", "sgt", "capt", "adm", "rep", "sen", "gov"),
        *("inspector", "superintendent", "constable", "corporal", "commissioner", "judge"),
        *("justice", "imam", "rabbi", "pastor", "bishop", "archbishop", "cardinal", "mullah"),
        *("councillor", "councilor", "chairman", "chairwoman", "professor", "prof", "supt"),
        *("administrator", "prefect"),
    }
)
"""Words dropped from the front of a person's name; one found makes it a `person`."""


def titles_before(before_name: str) -> list[str]:
    """The titles right before a name: capitalised ("Colonel Ana Ruiz"), and the words of a
    title that a capitalised one opens ("Deputy mayor Ana Ruiz")."""
    titles: list[str] = []
    for word in before_name.split():
        title = word.lower().rstrip(".")
        if title in TITLES and (word[:1].isupper() or titles):
            titles.append(title)
        elif titles:
            titles = []  # a title is the words right before the name
    return titles


_TITLED_NAME: Final = re.compile(
    r"(?=\b(?P<title>[A-Z][a-z]+)\s+(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,3})\b)"
)
"""A capitalised word right before a full name, read at every word, so that "State Minister
Ana Ruiz" finds "Minister" after "State"."""


def titled_names(text: str, start: int, end: int) -> Iterator[tuple[str, tuple[int, int]]]:
    """Each title of `text[start:end]` written right before a full name ("Minister Ana
    Ruiz"), lower-cased, with the name's span."""
    for titled in _TITLED_NAME.finditer(text, start, end):
        if (title := titled.group("title").lower()) in TITLES:
            yield title, titled.span("name")
