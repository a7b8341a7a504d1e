"""Who a figure counts (its `subject`): the party its own words name ("1,000 North Korean
troops", "killed 70 RSF fighters", "lost 450 Ukrainian servicemen"), else, for a count of
soldiers that names no one, the force its sentence names before it ("North Korean forces
… have faced staggering casualties, with over 3,000 soldiers killed"). Civilians and
people in general have none.

This module reads phrases; which actor a phrase is, is the caller's (`rules.py`) through
the actor book, so a party is matched by the registry's names and aliases or by an actor
the draft already holds."""

import re
from collections.abc import Iterator
from typing import Final

MILITARY_NOUNS: Final = frozenset(
    {
        *("soldiers", "soldier", "troops", "fighters", "fighter", "servicemen", "forces"),
        *("personnel", "militants", "rebels", "mercenaries", "members", "units", "army"),
        *("militiamen", "militia", "insurgents", "jihadists", "combatants", "servicemembers"),
        *("paratroopers", "marines", "conscripts", "recruits", "men", "guards", "police"),
        *("policemen", "peacekeepers", "gunmen", "terrorists"),
    }
)
"""Nouns that count the members of a force: what has a subject."""
FORCE_WORDS: Final = ("forces", "troops", "soldiers", "army", "fighters", "military")
"""The ways a text names a force after its adjective ("Ukrainian forces", "… troops")."""
_NUMBER_START = re.compile(
    r"^.*?(?:\d[\d,. ]*(?:\s+(?:thousand|million))?|\b(?:one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dozen|dozens|"
    r"hundreds|thousands|few|several|some|scores|many)\b(?:-\w+)?)\s+",
    re.IGNORECASE,
)
_LEADING: Final = re.compile(
    r"^(?:(?:of|the|its|their|his|her|these|those|more|other|others|additional|"
    r"another|further)\s+)+",
    re.IGNORECASE,
)
_PARTY_BEFORE = re.compile(
    r"((?:[A-Z][\w'.-]*\s+){1,4})("
    + "|".join(sorted(MILITARY_NOUNS, key=len, reverse=True))
    + r")\b"
)


def after_number(figure_text: str) -> str:
    """The words of a figure's phrase after its number, as written: "14 of its members" →
    "of its members"."""
    return _NUMBER_START.sub("", figure_text, count=1)


def counted_words(figure_text: str) -> str:
    """The words of a figure's phrase after its number: "more than 60 servicemen" →
    "servicemen", "41 of the drones" → "drones"."""
    return _LEADING.sub("", after_number(figure_text)).strip(" ,\"'")


def party_names(words: str) -> Iterator[str]:
    """The names a phrase like "North Korean troops" or "RSF fighters" may be registered
    under: as written, without the noun ("RSF"), and with each other word for a force
    ("North Korean forces")."""
    tokens = words.split()
    if len(tokens) < 2 or tokens[-1].lower() not in MILITARY_NOUNS:
        return
    party = tokens[:-1]
    while party and (
        not party[0][:1].isupper()
        or _NUMBER_WORD.match(party[0])
        or party[0].lower() in _DETERMINERS
    ):
        party = party[1:]  # "killed 50 elite Wagner fighters": the party is Wagner
    if not party or not all(word[:1].isupper() for word in party):
        return
    named = " ".join(party)
    yield f"{named} {tokens[-1]}"
    yield named
    for noun in FORCE_WORDS:
        if noun != tokens[-1].lower():
            yield f"{named} {noun}"


_NUMBER_WORD = re.compile(
    r"(?i)^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|dozens?|hundreds|thousands|some|"
    r"several|scores)(?:-\w+)?$"
)
DEMONYM = re.compile(r"(?:an|ian|ean|ien|ese|ish|i|ch|'s)$")
_DETERMINERS: Final = frozenset({"a", "an", "the", "its", "their", "his", "her", "our"})


def new_party_name(words: str) -> str | None:
    """The name to give a party the draft does not know yet: the proper name a count
    names ("ADF fighters" → "ADF"), not an adjective of nationality ("Russian soldiers")."""
    names = list(party_names(words))
    if len(names) < 2:
        return None
    party = names[1]
    return None if DEMONYM.search(party.split()[-1]) else party


_LOST = re.compile(r"\s+(?:had|has|have)?\s*(?:also\s+)?(?:lost|losing|loses|suffered)\s+$")
_WORD = re.compile(r"[\w'.-]+")


def losers_before(text: str, start: int, end: int) -> list[str]:
    """ "the RSF had lost nearly 500 fighters": who may have lost the count that starts at
    `end` — the last one, two and three words before the verb, shortest first."""
    lost = _LOST.search(text, start, end)
    if lost is None or lost.end() != end:
        return []
    words = _WORD.findall(text[max(start, lost.start() - 60) : lost.start()])
    return [" ".join(words[-size:]) for size in (1, 2, 3) if len(words) >= size]


def generic_force(words: str) -> bool:
    """A count of soldiers that names no party ("3,000 soldiers", "its fighters")."""
    tokens = words.split()
    return (
        bool(tokens)
        and tokens[-1].lower() in MILITARY_NOUNS
        and not any(word[:1].isupper() for word in tokens)
    )


def parties_before(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The forces a sentence names between `start` and `end` ("North Korean forces"), the
    nearest last: (start, end) of each phrase."""
    return [(m.start(1), m.end(2)) for m in _PARTY_BEFORE.finditer(text, start, end)]
