"""The gazetteer: the actor registry as an extractor sees it — every live actor's id, name,
aliases, kind and whether it is anonymous — so that "Zelenskiy", "Zelensky" and "Zelenskyy"
are one actor when its aliases say so.

An API process reads it once and keeps it while no actor has changed (the changes feed's
watermark of actors, `changes.py`, through `kept_answers.KeptAnswers`; re-read at least
every ten minutes). It travels to the drafting processes as JSON, at most once per process
for each reading (`drafting.py`), and is decoded there into a `Gazetteer`."""

import re
import unicodedata
from collections.abc import Iterator, Sequence

import msgspec

from claimledger_server.actors.schemas import ActorKind


class KnownActor(msgspec.Struct, frozen=True, array_like=True):
    """One actor of the registry."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: ActorKind | None
    anonymous: bool
    """An unnamed claimant ("Western officials"): never matched by name (`Gazetteer.lookup`
    leaves it out), since two such descriptions are never taken to be one actor."""


_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def normalize(name: str) -> str:
    """The form names are compared in: Unicode NFKC, case folded, curly apostrophes
    straight, runs of spaces one space, a leading "the " dropped ("The Kremlin")."""
    folded = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).casefold()
    folded = _SPACES.sub(" ", folded).strip()
    return folded.removeprefix("the ")


class Gazetteer:
    """The registry's actors, with a lookup by any of their names. Built once per reading
    and never changed, so an extractor may keep indexes of its own keyed on it."""

    def __init__(self, actors: Sequence[KnownActor]) -> None:
        self.actors: tuple[KnownActor, ...] = tuple(actors)
        self._by_name: dict[str, list[KnownActor]] = {}
        for actor in self.actors:
            if actor.anonymous:
                continue
            for name in {normalize(n) for n in (actor.name, *actor.aliases)}:
                if name:
                    self._by_name.setdefault(name, []).append(actor)

    def __len__(self) -> int:
        return len(self.actors)

    def lookup(self, name: str) -> tuple[KnownActor, ...]:
        """The actors whose name or an alias is `name` (compared as `normalize` does), in
        id order (creation order); none for an anonymous actor's description. More than
        one when the registry has namesakes: the extractor decides, or leaves it open."""
        return tuple(self._by_name.get(normalize(name), ()))

    def names(self) -> Iterator[tuple[str, KnownActor]]:
        """Every (name or alias as written in the registry, actor) an extractor may look
        for in a text, anonymous actors left out: what a phrase matcher is built from."""
        for actor in self.actors:
            if not actor.anonymous:
                for name in dict.fromkeys((actor.name, *actor.aliases)):
                    yield name, actor

    @classmethod
    def from_json(cls, body: bytes) -> "Gazetteer":
        """A gazetteer from a JSON array of `KnownActor` (`drafting.read_registry`)."""
        return cls(msgspec.json.decode(body, type=list[KnownActor]))
