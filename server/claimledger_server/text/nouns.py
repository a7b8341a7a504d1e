"""What a number counts: the noun after it, past the words that describe it ("1,000 North
Korean troops", "3,000 of the soldiers"), as a figure's `unit`."""

import re

from claimledger_server.text.lexicon import (
    DEMONYM_ENDINGS,
    FORMATIONS,
    MEASURES,
    MODIFIERS,
    NOT_NOUNS,
    PEOPLE,
    THINGS,
)
from claimledger_server.text.numbers import Token

MAX_MODIFIERS = 5
"""Words skipped between a number and its noun at most."""

_THING_UNITS = {**THINGS, **{plural: plural for plural in THINGS.values()}}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def counted_noun(tokens: list[Token], j: int, *, generic: bool) -> tuple[str, int, bool] | None:
    """The unit of the count whose number ends before token `j`, the end of its noun, and
    whether the noun is one the lexicon knows (people, formations, things). With
    `generic`, any other plural noun counts too ("3 villages": unit "villages")."""
    skipped = 0
    k = j
    while k < len(tokens) and skipped <= MAX_MODIFIERS:
        token = tokens[k]
        if token.is_number and (past := _measure_adjective_end(tokens, k)) is not None:
            skipped += 1  # "a few 120mm mortars", "1,800 2,000-pound bombs"
            k = past
            continue
        if not token.is_word:
            return None
        word = token.lower
        if _describes_next(tokens, k):
            skipped += 1  # "civilian deaths", "wounded soldiers"
            k += 1
            continue
        if word in PEOPLE:
            return "people", k + 1, True
        if word in FORMATIONS:
            return FORMATIONS[word], k + 1, True
        if word in _THING_UNITS:
            return _THING_UNITS[word], k + 1, True
        if token.text[0].isupper():
            if _demonym(tokens, k):
                return "people", k + 1, True
        elif "-" not in word and word not in MODIFIERS:
            if generic and _plural_noun(word):
                return word, k + 1, False
            if not _before_noun(tokens, k, generic):
                return None
        skipped += 1
        k += 1
    return None


def _measure_adjective_end(tokens: list[Token], k: int) -> int | None:
    """Where a size written before a noun ends ("120mm", "2,000-pound"); None if the
    number at `k` is no such size."""
    token = tokens[k]
    if token.suffix in MEASURES and MEASURES[token.suffix][0] in _SIZES:
        return k + 1
    if (
        k + 2 < len(tokens)
        and tokens[k + 1].text == "-"
        and tokens[k + 1].glued
        and tokens[k + 2].glued
        and MEASURES.get(tokens[k + 2].lower, ("",))[0] in _SIZES
    ):
        return k + 3
    return None


_SIZES = frozenset({"distance", "weight", "volume"})
MAX_UNKNOWN_DESCRIBERS = 2
_DETERMINERS = frozenset({"of", "the", "their", "his", "her", "its", "these", "those", "whose"})
_SIZE_WORDS = frozenset({"strong", "odd", "plus", "more", "less"})
"""Words that size what follows ("a 300-plus strong unit" counts people, not units)."""


def _before_noun(tokens: list[Token], k: int, generic: bool) -> bool:
    """ "three precision munitions", "12 fuel tankers", "33,000 malnourished children": a
    word the lexicon does not know, right before the noun counted (at most two such words,
    no determiner between them and the noun)."""
    for step in range(MAX_UNKNOWN_DESCRIBERS):
        j = k + step
        if j >= len(tokens) or not tokens[j].is_word:
            return False
        word = tokens[j].lower
        if word in NOT_NOUNS or word in _DETERMINERS or word in _SIZE_WORDS or not word.isalpha():
            return False
        following = tokens[j + 1] if j + 1 < len(tokens) else None
        if following is None or not following.is_word:
            return False
        after = following.lower
        if after in PEOPLE or after in FORMATIONS or after in _THING_UNITS:
            return True
        if generic and _plural_noun(after):
            return True
        if word.endswith(("ed", "ing")):
            return False  # "2.1 million faced emergency levels": a verb, not a describer
    return False


def _describes_next(tokens: list[Token], k: int) -> bool:
    """A noun of the lexicon used as an adjective: another one follows it ("wounded
    soldiers"); a singular noun of people before another noun counted names its kind ("20
    fighter jets", "three police vehicles", "two fighter pilots")."""
    if k + 1 >= len(tokens) or not tokens[k + 1].is_word:
        return False
    word, after = tokens[k].lower, tokens[k + 1].lower
    if word in _COLLECTIVES and _plural_noun(after):
        return True  # "three police stations", "six police posts"
    if word in MODIFIERS:
        return after in PEOPLE or after in FORMATIONS or after in _THING_UNITS or after in _GROUPS
    compound = after in _THING_UNITS or after in PEOPLE
    if word in THINGS and (compound or _plural_noun(after)):
        return True  # "four port workers", "two car bombs", "three water tankers"
    return compound and word in PEOPLE and not word.endswith("s")


_GROUPS = frozenset({"families", "households"})
"""People counted by their households: "2,600 displaced families" counts families."""
_COLLECTIVES = frozenset({"police", "militia", "staff", "crew"})
"""Nouns of people that name things after them ("police stations", "staff quarters")."""


def _demonym(tokens: list[Token], k: int) -> bool:
    """ "3,000 Russians were killed": a capitalized plural of people that no other noun
    follows (in "3,000 Russian soldiers" it describes the soldiers)."""
    word = tokens[k].lower
    if not word.endswith(DEMONYM_ENDINGS) or not word.endswith(("s", "ese", "ch")):
        return False
    after = tokens[k + 1] if k + 1 < len(tokens) else None
    if after is None or not after.is_word:
        return True
    return not (after.text[0].isupper() or after.lower in PEOPLE or _plural_noun(after.lower))


def _plural_noun(word: str) -> bool:
    return (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in NOT_NOUNS
        and _SLUG.match(word) is not None
    )
