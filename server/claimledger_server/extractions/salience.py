"""Who "he" and "she" name: the people an article has spoken of, the latest first.

News English resolves a personal pronoun to the most salient person of its gender, not
only to the last speaker: after "Regional governor Ana Ruiz said…, he said", a paragraph
that opens on another person ("Maria Lenz, 63, who has lived there for years, stood
outside.") makes her the one "she said" quotes next; a sentence about a speaker named
before ("Lenz's house was gone.") makes her salient again. A pronoun is taken as telling
the person's gender from then on, so "she said" skips a man who "he said" named before.
Nothing else infers a gender: a name alone says none."""

import re
from typing import Final

from claimledger_server.extractions.actors import ActorBook
from claimledger_server.extractions.gazetteer import normalize
from claimledger_server.extractions.names import looks_like_name

_ROLES: Final = (
    r"mayor|governor|nurse|doctor|surgeon|official|spokes\w+|commander|minister|director|"
    r"head|chief|resident|farmer|teacher|trader|officer|soldier|villager|survivor|witness|"
    r"mother|father|widow|widower|student|worker|volunteer|priest|imam|pastor|engineer|"
    r"driver|shopkeeper|journalist|lawyer|leader|elder|activist|medic|paramedic|midwife|"
    r"fisherman|herder|refugee|pharmacist|administrator|councillor|lawmaker|researcher|"
    r"analyst|coordinator|manager|owner|chairman|chairwoman|president|colonel|general|"
    r"captain|lieutenant|sergeant|fighter|rebel|grandmother|grandfather|son|daughter|"
    r"brother|sister|neighbou?r|cousin|uncle|aunt|wife|husband"
)
"""Nouns of a person's role or tie, in an apposition that introduces them."""

_OPENING_NAME: Final = re.compile(
    # a scene set first ("Outside the hospital, Maria Lenz, 63, …"; "Later, …")
    r"\s*(?:(?:At|In|On|Outside|Inside|Near|Nearby|Beside|Later|Earlier)\b[^,.;:\"\u201c]{1,40},\s+)?"
    r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})"
    r"(?=\s*,\s*\d{1,3}\s*,|\s*,\s*who\b|\s+(?:runs|heads|leads|manages|directs|oversees)\s"
    # the role an apposition gives ("Omar Haddad, the mayor, …", "…, a nurse at the clinic,")
    r"|\s*,\s*(?:the|a|an|his|her|their|its)\s+(?:[\w'-]+\s+){0,3}?(?:" + _ROLES + r")\b"
    r"|\s+(?:is|was)\s+(?:the|a|an)\s+(?:[\w'-]+\s+){0,3}?(?:" + _ROLES + r")\b"
    # what only people do: "Omar Haddad spoke to reporters", "Lina Ortiz recalled"
    r"|\s+(?:spoke|speaks|talked|talks|met|recalled|recalls|remembered|remembers|wept|"
    r"lost|buried|described|describes|watched|works|worked|lives|lived|fled|returned)\b)"
)
"""A sentence that opens on a person, after any scene set first: named with an age, a
relative clause, a role in apposition, or doing what people do: "Maria Lenz, 63, …", "Omar
Said, who runs a bakery, …", "Dr. Ana Ruiz runs the ward", "Omar Haddad, the mayor, spoke to
reporters"."""
_GENDERED: Final = re.compile(
    r"\b(?:(?P<she>spokeswoman|chairwoman|businesswoman|policewoman|congresswoman|woman|"
    r"women|mother|widow|wife|daughter|sister|grandmother|aunt|niece|girl|Mrs|Ms|Miss|"
    r"Madam|actress|nun)|spokesman|chairman|businessman|policeman|congressman|man|father|"
    r"widower|husband|son|brother|grandfather|uncle|nephew|boy|Mr|Sir|priest|monk)\b\.?"
)
"""Words of a person's description that say their gender."""
_OPENING_WORD: Final = re.compile(r"\s*(?P<word>[A-Z][\w-]+)(?:['\u2019]s?)?\b")


class Salience:
    """The people spoken of so far, for the pronouns that follow."""

    def __init__(self, text: str, book: ActorBook) -> None:
        self.text = text
        self.book = book
        self.recent: list[str] = []
        """Refs of people who spoke or were spoken of, the most salient last."""
        self.gender: dict[str, str] = {}
        """The pronoun ("he", "she") that named a person before."""
        self.introduced: tuple[int, int] | None = None
        """A person a sentence opened on, not yet an actor: the next pronoun's candidate."""

    def spoke(self, ref: str) -> None:
        self.introduced = None
        self._salient(ref)

    def _salient(self, ref: str) -> None:
        if ref in self.recent:
            self.recent.remove(ref)
        self.recent.append(ref)

    def sentence_about(self, start: int, end: int) -> None:
        """A sentence without a speaker: the person it opens on, if any, is salient now."""
        opening = _OPENING_NAME.match(self.text, start, end)
        if opening is not None and looks_like_name(opening.group("name")):
            self.introduced = opening.span("name")
            return
        word = _OPENING_WORD.match(self.text, start, end)
        if word is not None and (ref := self._person_named(word.group("word"))):
            self.introduced = None  # "Lenz's neighbour had not been found": Lenz again
            self._salient(ref)

    def _person_named(self, word: str) -> str | None:
        """The person a one-word name names again: by the surname of a full name, or the
        one-word name someone was given ("said Lenz, 34"), no body's."""
        key = normalize(word)
        if (ref := self.book.by_surname.get(key)) is not None:
            return ref
        ref = self.book.by_name.get(key)
        return ref if ref is not None and self.book.actors[ref].kind in (None, "person") else None

    def described(self, ref: str, description: str) -> None:
        """A description that says a person's gender ("a spokeswoman", "his widow", "Mrs")
        tells which pronoun names them, as a pronoun naming them would."""
        if (gendered := _GENDERED.search(description)) is not None:
            self.gender.setdefault(ref, "she" if gendered.group("she") else "he")

    def refer(self, pronoun: str) -> str | None:
        """The person "he" or "she" names: the one a sentence just opened on, else the
        most salient person not known by the other pronoun."""
        ref: str | None = None
        if self.introduced is not None:
            candidate = self.book.named(self.text, *self.introduced)
            if self.gender.get(candidate, pronoun) == pronoun:
                ref = candidate
        if ref is None:
            ref = next(
                (r for r in reversed(self.recent) if self.gender.get(r, pronoun) == pronoun),
                None,
            )
        if ref is not None:
            self.gender.setdefault(ref, pronoun)
            self.spoke(ref)
        return ref
