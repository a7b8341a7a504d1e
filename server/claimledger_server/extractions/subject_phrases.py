"""More ways English news names who a count counts, beside the party's name before the noun
(`subjects.py`):

- a body the people counted belong to, named after the count: "40 members of the Kivu
  Liberation Front (KLF)", "12 members of the security forces";
- the speaker's own force, by a possessive: "14 of its members", "three of our soldiers"
  (a body's claim: a person's "his men" are not the person; its staff are no party);
- the party that fired, launched or dropped the things counted: "Russia launched 78
  drones", "the rebels attacked the town with 12 mortar rounds";
- part of things counted just before: "shot down 51 of the drones" counts the drones of
  the party that launched them;
- a bare "soldiers" or "police officers": the one army, or police, the text has named."""

import re
from typing import Final

from claimledger_server.extractions.subjects import MILITARY_NOUNS

_PARTICLES: Final = frozenset({"of", "the", "for", "and", "de", "del", "al", "wal", "la", "du"})
_MEMBERS: Final = re.compile(r"(?:^|\s)members?$")
_OF_BODY: Final = re.compile(r"\s*of\s+(?:the\s+)?(?P<body>[^,;.:\"\u201d]{2,90})")
_ACRONYM: Final = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z&.-]{1,12})\)")
_FORCE_HEAD: Final = re.compile(r"^(?:[a-z]+\s+){0,2}(?:forces|force|army|police|military)\b")
"""A body named in lower case: "the security forces", "government forces"."""
_OWN: Final = re.compile(r"^(?:of\s+)?(?:its|their|our)\s+(?:own\s+)?(?P<noun>[a-z]+)\b")
_KIN: Final = re.compile(r"\s+(?:family|families|clan|household|tribe)\b")
"""After a name, what makes its members people in general: "the Abu Samra family"."""
_FIRED: Final = re.compile(
    r"\s+(?:(?:had|has|have)\s+)?(?:also\s+)?"
    r"(?:launched|fired|dropped|detonated|carried\s+out|conducted|flew)\s+$"
    r"|\s+(?:attacked|struck|hit|targeted|bombarded|shelled)\b[^,.;]{0,40}?\bwith\s+$"
)
_PART_OF: Final = re.compile(r"^(?:of\s+)(?:the|these|those|them)\b")
_WORD: Final = re.compile(r"[\w'.-]+")


def bodies_named_after(figure_words: str, after: str) -> list[str]:
    """ "40 members" followed by " of the Kivu Liberation Front (KLF) …": the names the
    body may go by ("Kivu Liberation Front", "KLF"), or a body in lower case ("security
    forces"); none when the count is no count of members, or of a family's."""
    if not _MEMBERS.search(figure_words.lower()):
        return []
    found = _OF_BODY.match(after)
    if found is None:
        return []
    body = found.group("body")
    names: list[str] = []
    run: list[str] = []
    for word in body.split():
        if word[:1].isupper() or (run and word.lower() in _PARTICLES):
            run.append(word.split("(")[0])
        else:
            break
    while run and run[-1].lower() in _PARTICLES:
        run.pop()
    if run and _KIN.match(body, len(" ".join(run))):
        return []
    if run:
        names.append(" ".join(run))
        acronym = _ACRONYM.match(body, len(" ".join(run)))
        if acronym is not None:
            names.append(acronym.group("acronym"))
    elif (lower := _FORCE_HEAD.match(body)) is not None:
        words = lower.group().split()
        names.extend(" ".join(words[i:]) for i in range(len(words)))  # "internal security
        # forces", "security forces", "forces"
    return names


def owned_by_speaker(after_number: str) -> bool:
    """ "of its members", "our soldiers", "their own fighters": the speaker's own force
    (its staff, residents or shelters are no party's)."""
    found = _OWN.match(after_number)
    return found is not None and found.group("noun") in MILITARY_NOUNS


def firers_before(text: str, start: int, end: int) -> list[str]:
    """ "Russia launched 78 drones": who may have fired the count that starts at `end` —
    the names among the last one, two and three words before the verb, shortest first."""
    fired = None
    for found in _FIRED.finditer(text, max(start, end - 80), end):
        if found.end() == end:
            fired = found
            break
    if fired is None:
        return []
    words = _WORD.findall(text[max(start, fired.start() - 60) : fired.start()])
    # a name ("Russia", "the Houthis"); "the group" or the end of a longer name ("the U.S.
    # military") may be anyone
    return [
        " ".join(named)
        for size in (1, 2, 3)
        if len(words) >= size
        and (named := words[-size:])[-1][:1].isupper()
        and (named[0][:1].isupper() or named[0] == "the")
    ]


def part_of_earlier(after_number: str) -> bool:
    """ "51 of the drones": part of what a count before it counted."""
    return _PART_OF.match(after_number) is not None


_POLICE_WORDS: Final = frozenset({"police", "policemen", "policewomen", "officers", "cops"})
_ARMY_NAME: Final = re.compile(
    r"(?i)\b(?:army|armed\s+forces|military|defen[cs]e\s+forces?|troops|soldiers)\b"
)
_POLICE_NAME: Final = re.compile(r"(?i)\bpolice\b")
_NOT_ARMY: Final = re.compile(
    r"(?i)\b(?:police|administration|ministry|council|intelligence|spokesm[ae]n|leaders|"
    r"fighting\s+for)\b"
)
"""Words of a body named after an army that is none: "military administration"."""


def force_named(counted: str, name: str) -> bool:
    """Whether an actor called `name` is the kind of force a count of `counted` ("soldiers",
    "police officers") counts the members of: an army for soldiers, a police for officers."""
    last = counted.split()[-1].lower() if counted.split() else ""
    if last in _POLICE_WORDS:
        return _POLICE_NAME.search(name) is not None
    if last in {"soldiers", "soldier", "troops", "servicemen", "servicemembers"}:
        return _ARMY_NAME.search(name) is not None and _NOT_ARMY.search(name) is None
    return False
