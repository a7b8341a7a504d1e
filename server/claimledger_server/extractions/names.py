"""What a speaker phrase names: a person's name ("Ahmed al-Qadhi"), an institution with
"and" inside ("Ministry of Labour and Social Affairs"), or the several speakers of a list
("Ukraine, South Korea and the United States"). `speakers.py` finds the phrase."""

import re
from typing import Final

MAX_MEMBERS: Final = 20
"""Speakers of one joint statement a draft names (a claim holds 50 co-claimants)."""

_NAME = r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}"
_NEXT_MEMBER = re.compile(r"(?:,\s*(?P<last>and\s+)?|\s+(?P<and>and)\s+)(?:the\s+)?(" + _NAME + ")")
_MEMBER_BEFORE = re.compile(r"(?:^|(?<=\s))(?:the\s+)?(" + _NAME + r"),\s*$")


_GOES_BY: Final = re.compile(
    r"\s*,?\s*(?:who|which)\s+(?:goes|went|is known|was known)\s+by\s+(?:the\s+)?"
    r"(?:name|nickname|nom de guerre|alias)\s+(?:of\s+)?[\"\u201c]?(" + _NAME + r")"
    r"|\s*,?\s*(?:(?:who|which)\s+(?:calls|called)\s+(?:himself|herself|themselves|itself)"
    r"|known|nicknamed|named|called)\s+(?:as\s+)?[\"\u201c]?(" + _NAME + r")"
    r"|\s*,?\s*(?:who\s+)?(?:gave|gives|give)\s+(?:his|her|their)\s+(?:first\s+)?name\s+"
    r"(?:only\s+)?as\s+[\"\u201c]?(" + _NAME + r")"
    r"|\s*,?\s*(?:who\s+)?(?:was|is|asked\s+to\s+be)\s+identified\s+(?:only\s+)?as\s+"
    r"[\"\u201c]?(" + _NAME + r")"
)


_ACRONYM_HEADED: Final = re.compile(
    r"(?:[\w'-]+\s+){0,3}?(?P<acronym>[A-Z][A-Z0-9]{1,7})\s+"
    r"(?:group|movement|militia|alliance|coalition|organi[sz]ation|faction)"
)


def acronym_headed(phrase: str) -> str | None:
    """The acronym a body's description ends on before its generic head: "the al-Qaeda-linked
    JNIM group" is JNIM, "the PKK movement" the PKK; "the Wagner group" (no acronym) is no such
    phrase."""
    found = _ACRONYM_HEADED.fullmatch(phrase.strip())
    return None if found is None else found.group("acronym")


_NAME_IN_QUOTES: Final = re.compile(
    r"\b(?:calls|called)\s+(?:himself|herself|themselves|itself)\s+"
    r"|\b(?:goes|went)\s+by\s+(?:the\s+)?(?:name|nickname|nom de guerre|alias)\s+(?:of\s+)?"
    r"|\b(?:known|nicknamed)\s+(?:as\s+)?"
)
_QUOTED_NAME: Final = re.compile(r"([\"\u201c])" + _NAME + r"([\"\u201d])")


def names_unquoted(text: str) -> str:
    """`text` with the quotation marks around a name someone goes by blanked (spaces: every
    offset stays): in 'a leader who calls himself "Ti Noir" said', the marks set off a
    nickname, not a quotation, and the speaker phrase runs on through it to its verb."""
    blanks = [
        quoted.span(mark)
        for before in _NAME_IN_QUOTES.finditer(text)
        if (quoted := _QUOTED_NAME.match(text, before.end())) is not None
        for mark in (1, 2)
    ]
    if not blanks:
        return text
    chars = list(text)
    for start, _ in blanks:
        chars[start] = " "
    return "".join(chars)


def goes_by(text: str, end: int, start: int | None = None) -> tuple[int, int] | None:
    """The name a speaker described by role is given right after ("a gang leader who goes
    by the name X said", "a commander known as X said"), or at the end of the phrase from
    `start` to `end` ('…," said a gang leader known as "X".'): the speaker is that name."""
    named = _GOES_BY.match(text, end)
    if named is None and start is not None:
        named = next((m for m in _GOES_BY.finditer(text, start, end) if m.end() == end), None)
    if named is None:
        return None
    group = next(i for i in range(1, 5) if named.group(i))
    return named.start(group), without_full_stop(text, *named.span(group))


def without_full_stop(text: str, start: int, end: int) -> int:
    """The end of a name without the full stop that ends its sentence ("U.S." keeps it)."""
    while end > start and text[end - 1] == "." and not re.search(r"\b[A-Z]\.$", text[start:end]):
        end -= 1
    return end


NAME_PARTICLES: Final = frozenset(
    {"al", "el", "bin", "ibn", "abu", "ould", "wa", "de", "da", "van", "von", "der", "ag"}
)
"""Lower-case words inside a person's name ("Ahmed al-Qadhi", "Kizito bin Hangi")."""


def _name_word(word: str) -> bool:
    lowered = word.lower()
    particle = lowered.split("-")[0]
    return (
        word[:1].isupper()
        or lowered in NAME_PARTICLES
        or ("-" in word and particle in NAME_PARTICLES and word.split("-")[-1][:1].isupper())
    )


def looks_like_name(phrase: str) -> bool:
    """ "Dmytro Lubinets", "Ahmed al-Qadhi": two or more words of a person's name."""
    words = phrase.split()
    return (
        len(words) >= 2
        and all(_name_word(w) for w in words)
        and words[-1].lower() not in NAME_PARTICLES
    )


_NAME_WITH_AND = re.compile(
    r"\b[A-Z][\w.'-]*\s+(?:of|on|for)\s+(?:the\s+)?[A-Z][\w'-]*(?:,?\s+(?:of\s+)?[A-Z][\w'-]*)*"
    r"\s+(?:and|&)\s+[A-Z]"
)


def one_name(phrase: str) -> bool:
    """ "U.N. Office on Drugs and Crime", "Ministry of Labour and Social Affairs", "Ministry of
    Refugees, Returnees and Displaced Persons": an
    institution's name with "and" inside, not two speakers; so is a name its acronym
    follows in brackets ("Armed Conflict Location and Event Data Project (ACLED)")."""
    return _NAME_WITH_AND.search(phrase) is not None or _ACRONYM_AFTER.search(phrase) is not None


_LISTING_NAME_HEAD: Final = re.compile(
    r"(?<![\w'\u2019])(?:[A-Z][\w.-]*['\u2019]s\s+)?(?:(?!The\b)[A-Z][\w.-]*\s+)+"
    r"(?:of|on|for)\s+(?:the\s+)?[A-Z][\w-]*"
    r"(?:\s+(?:of\s+)?[A-Z][\w-]*)*(?:,\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)*,\s+$"
)
"""The head of an institution's name that lists what it deals with, before the list's last
items: "Ministry of Refugees, " before "Returnees and Displaced Persons", with the country
whose it is ("Kalonia's State Commission on Refugees, ")."""


def listing_name_start(text: str, start: int, first: int) -> int | None:
    """Where a name that lists its remit begins ("the Ministry of Refugees, Returnees and
    Displaced Persons"), when `first` starts the list's last items: one speaker, not several."""
    head = _LISTING_NAME_HEAD.search(text, start, first)
    return None if head is None else head.start()


_ACRONYM_AFTER: Final = re.compile(r"^[A-Z][^()]*\s\(\s*[A-Z][A-Za-z.&-]{1,15}\)?\s*$")


def appositive_name(
    text: str, after: int, end: int, *, relative_after: bool = False
) -> tuple[int, int] | None:
    """ "according to Ukraine's human rights ombudsman, Dmytro Lubinets": the name that
    follows a description of the speaker and ends the sentence (or, `relative_after`, a
    relative clause follows it: "said the mayor, Ana Ruiz, who told …")."""
    more = _NEXT_MEMBER.match(text, after, end)
    if more is None or more.group("last") or more.group("and"):
        return None
    name = (more.start(3), without_full_stop(text, more.start(3), more.end(3)))
    rest = text[more.end(3) : end].strip(" .\"'\u201d")
    relative = relative_after and _RELATIVE_NEXT.match(text, more.end(3), end) is not None
    return name if (not rest or relative) and looks_like_name(text[slice(*name)]) else None


_RELATIVE_NEXT: Final = re.compile(r"\s*,\s*(?:who|whose|which)\b")


def members_of(
    text: str, start: int, first: int, last: int, forward_to: int | None = None
) -> tuple[tuple[int, int], ...]:
    """The speakers of a list ("Ukraine, South Korea and the United States"), when the
    phrase at `first`-`last` is one of them; none when it is a single speaker."""
    phrase = text[first:last]
    if not phrase[:1].isupper():
        return ()
    members = [(first, last)]
    if forward_to is not None:
        pos = last
        listed = False
        while (
            len(members) < MAX_MEMBERS
            and (more := _NEXT_MEMBER.match(text, pos, forward_to)) is not None
        ):
            members.append((more.start(3), without_full_stop(text, more.start(3), more.end(3))))
            pos = more.end()
            if more.group("last") or more.group("and"):
                listed = True
                break
        if not listed:
            # "according to Ukraine's ombudsman, Dmytro Lubinets": one speaker; "according to
            # the navy, Kalonia fired 30 drones": the clause's subject, no second speaker
            return ()
    elif " and " in phrase and not one_name(phrase):
        left, _, right = phrase.partition(" and ")
        right_start = last - len(right)
        if right.startswith("the "):
            right_start += 4
        members = [(first, first + len(left)), (right_start, last)]
        pos = first
        while (
            len(members) < MAX_MEMBERS
            and (before := _MEMBER_BEFORE.search(text, start, pos)) is not None
        ):
            members.insert(0, (before.start(1), before.end(1)))
            pos = before.start()
    return tuple(members[:MAX_MEMBERS]) if len(members) > 1 else ()
