"""The qualifier words around a number: before it ("more than", "up to", "nearly") or after
it ("or more", "-plus"), as the lexicon lists them, read for `quantities.py`."""

from claimledger_server.text.lexicon import (
    AIRBORNE,
    COMPOUND_JOINERS,
    MAX_POSTFIX_WORDS,
    MAX_PREFIX_WORDS,
    OVER_PARTICLE,
    POSTFIX_QUALIFIERS,
    PREFIX_QUALIFIERS,
    UP_PARTICLE,
)
from claimledger_server.text.numbers import Token, read_number


def prefix_qualifier(tokens: list[Token], first: int, floor: int) -> tuple[int, str | None]:
    """The qualifier words right before the number at token `first` ("more than", "up to"),
    not reaching back past `floor`: where the phrase starts, and the qualifier if any."""
    for size in range(min(MAX_PREFIX_WORDS, first - floor), 0, -1):
        phrase = tuple(t.lower for t in tokens[first - size : first])
        if phrase == ("over",) and first > floor + 1 and tokens[first - 2].lower in OVER_PARTICLE:
            continue  # "handed over 12 detainees": the verb's particle, no bound
        if phrase == ("over",) and _flown_over(tokens, first - 1):
            continue  # "downed 47 drones overnight over eight regions": where, no bound
        if phrase == ("up", "to") and _up_particle(tokens, first - 2, floor):
            continue  # "the toll went up to 25": the verb's particle, no bound
        if (qualifier := PREFIX_QUALIFIERS.get(phrase)) is not None:
            return first - size, qualifier
    return first, None


def _flown_over(tokens: list[Token], over: int) -> bool:
    """Whether the "over" at token `over` follows what flies, past a word of when (the
    count of what flew may end right before it)."""
    back = [t.lower for t in tokens[max(0, over - 2) : over]]
    if back and back[-1] in ("overnight", "today", "yesterday", "tonight"):
        back = back[:-1]
    return bool(back) and back[-1] in AIRBORNE


_TALLY_NOUNS = frozenset({"toll", "tally", "count", "figure", "number", "estimate", "total"})


def _up_particle(tokens: list[Token], up: int, floor: int) -> bool:
    """Whether the "up" at token `up` is the particle of a verb of change, right before it
    ("went up to") or before the tally it changes ("revised the toll up to")."""
    if up - 1 < floor:
        return False
    if tokens[up - 1].lower in UP_PARTICLE:
        return True
    if tokens[up - 1].lower not in _TALLY_NOUNS:
        return False
    back = range(up - 2, max(floor, up - 5) - 1, -1)
    return any(tokens[k].lower in UP_PARTICLE for k in back)


def postfix_qualifier(tokens: list[Token], j: int) -> tuple[str, int] | None:
    """The qualifier words at token `j`, right after a number ("or more", "+"): the qualifier
    and the token after it."""
    for size in range(MAX_POSTFIX_WORDS, 0, -1):
        phrase = tuple(t.lower for t in tokens[j : j + size])
        qualifier = POSTFIX_QUALIFIERS.get(phrase) if len(phrase) == size else None
        if qualifier is None:
            continue
        if phrase == ("+",) and not tokens[j].glued:
            continue
        if _opens_next_number(tokens, j):
            continue  # "at most 100 and at least 20": the next number's prefix
        return qualifier, j + size
    return None


def _opens_next_number(tokens: list[Token], j: int) -> bool:
    """Whether the words at `j` (after a joiner such as "and") are the qualifier of a
    number that follows them."""
    starts = (j, j + 1) if j < len(tokens) and tokens[j].lower in COMPOUND_JOINERS else (j,)
    for start in starts:
        for size in range(1, MAX_PREFIX_WORDS + 1):
            end = start + size
            if end >= len(tokens) or read_number(tokens, end) is None:
                continue
            if tuple(t.lower for t in tokens[start:end]) in PREFIX_QUALIFIERS:
                return True
    return False
