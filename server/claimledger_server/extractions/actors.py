"""The actors of a draft: a speaker phrase becomes a registry actor (by name or alias), an
actor the draft already named (a lone surname), or a new actor named as the text names it,
with the kind its words suggest (`actor_kinds.py`)."""

import re
from typing import Final

from claimledger_server.actors.schemas import ActorKind
from claimledger_server.extractions.actor_kinds import head_words, kind_of
from claimledger_server.extractions.gazetteer import Gazetteer, KnownActor, normalize
from claimledger_server.extractions.names import acronym_headed, looks_like_name
from claimledger_server.extractions.schemas import MAX_ITEMS, DraftActor, Span
from claimledger_server.extractions.speaker_names import (
    ORGANISATION_HEADS,
    described_name,
    looks_personal,
    names_a_cause,
    person_name,
)
from claimledger_server.extractions.titles import titled_names, titles_before

_OUTLET_BEFORE_NAME: Final = frozenset(
    {"outlet", "newspaper", "broadcaster", "channel", "daily", "website", "magazine", "tv"}
    | {"station", "radio", "site", "portal", "tabloid"}
)
"""A description right before a name that makes it an outlet's ("the independent outlet
Myanmar Now", "community radio station Radio Kora", "the news site Daily Lantern")."""
_UN_BODY_AGAIN: Final = re.compile(
    r"(?P<un>(?:U\.N\.|UN|United Nations)\s+)?(?:agency|body|organi[sz]ation|office|mission)",
    re.IGNORECASE,
)
"""A U.N. body named again by what it is: "the U.N. agency", "the agency"."""
GENERIC_ANAPHORS: Final = frozenset({"group", "organisation", "organization", "body"})
"""Heads of a definite description that may refer to any body named before ("the group
said" after "the Sudan Doctors Network said")."""

_SAME_FORCE: Final = {"army": "military", "military": "army"}
SENTENCE_ACTORS: Final = 50
"""The most actors one sentence adds: claimant, co-claimants (20), relay, cited."""
MAX_NAME_CHARS: Final = 300


class ActorBook:
    """The actors found so far, by ref, and their mentions."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.actors: dict[str, DraftActor] = {}
        self.by_registry_id: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.by_surname: dict[str, str] = {}
        self.heads: dict[str, list[str]] = {}
        """Refs by the head nouns of their names and descriptions ("ministry", "channel"),
        the latest named last: what "the ministry said" refers to."""
        self.latest_body: str | None = None
        """The body (no person) mentioned last: what "the group said" refers to."""

    def _add(self, name: str, kind: ActorKind | None, known: KnownActor | None) -> str:
        ref = f"a{len(self.actors) + 1}"
        name = name[:MAX_NAME_CHARS].strip() or name[:MAX_NAME_CHARS]
        # a description is no name, capitalised or not ("Lebanese health minister gives …"
        # opening a headline)
        anonymous = known is None and kind == "person" and not looks_like_name(name)
        self.actors[ref] = DraftActor(
            ref=ref,
            name=known.name if known else name,
            kind=known.kind if known else kind,
            actor_id=known.id if known else None,
            anonymous=anonymous,
        )
        if (head := _head_noun(self.actors[ref].name)) is not None:
            self._head(head, ref)
        if known:
            self.by_registry_id[known.id] = ref
            for alias in (known.name, *known.aliases):
                self.by_name.setdefault(normalize(alias), ref)
        self.by_name[normalize(name)] = ref
        words = (known.name if known else name).split()
        if len(words) > 1 and (kind == "person" or (known and known.kind == "person")):
            self.by_surname.setdefault(normalize(words[-1]), ref)
        return ref

    def _by_surname_in_registry(self, name: str) -> tuple[KnownActor, ...]:
        """ "Volodymyr Zelenskiy" when the registry knows "Volodymyr Zelenskyy" with the
        alias "Zelenskiy": a person of the same first name with that surname."""
        words = name.split()
        if len(words) != 2 or not all(w[:1].isupper() for w in words):
            return ()
        return tuple(
            actor
            for actor in self.gazetteer.lookup(words[1])
            if actor.kind == "person" and normalize(actor.name).split()[0] == normalize(words[0])
        )

    def _unnamed_with_title(self, titles: list[str]) -> str | None:
        """A person spoken of so far only by the title a name now comes with."""
        for title in titles:
            for ref in reversed(self.heads.get(title, [])):
                actor = self.actors[ref]
                if actor.kind == "person" and actor.anonymous and actor.actor_id is None:
                    return ref
        return None

    def name_described(self, description: str, name: str, span: Span) -> str | None:
        """ "a church administrator said …" then "the administrator, Ana Ruiz, said": the
        person spoken of so far only by that description now has a name."""
        head = _head_noun(description)
        ref = self._unnamed_with_title([head]) if head is not None else None
        if ref is not None:
            self._name(ref, name)
            self.mention(ref, span)
        return ref

    def _by_initials(self, phrase: str) -> str | None:
        """The body named before in full whose capitalised words' initials an acronym
        spells ("AAPP": "Assistance Association for Political Prisoners")."""
        acronym = phrase.strip()
        if not _ACRONYM.fullmatch(acronym):
            return None
        for ref, actor in reversed(self.actors.items()):
            initials = "".join(w[0] for w in actor.name.split() if w[:1].isupper())
            if actor.kind != "person" and initials == acronym:
                return ref
        return None

    def titled_in(self, text: str, start: int, end: int) -> None:
        """A sentence that names no speaker but gives a person spoken of so far by role a
        title and a name ("Appearing before the committee, State Minister Ana Ruiz
        answered"): that person has the name from now on ("Ruiz said")."""
        for title, (first, last) in titled_names(text, start, end):
            self.name_described(title, text[first:last], Span(start=first, end=last))

    def _name(self, ref: str, name: str) -> None:
        actor = self.actors[ref]
        actor.name, actor.anonymous = name, False
        self.by_name[normalize(name)] = ref
        if len(words := name.split()) > 1:
            self.by_surname.setdefault(normalize(words[-1]), ref)

    def describe(self, ref: str, description: str) -> None:
        """ "a Telegram channel linked to Wagner": "the channel" is `ref` from now on; a
        name a person's role describes ("Omar al-Rashid, a spokesman for …") is a person's."""
        if (head := _head_noun(description)) is not None:
            self._head(head, ref)
        actor = self.actors[ref]
        if (
            actor.kind is None
            and looks_like_name(actor.name)
            and kind_of(description, self.gazetteer, person=False) == "person"
        ):
            actor.kind = "person"

    def _head(self, head: str, ref: str) -> None:
        refs = self.heads.setdefault(head, [])
        if ref in refs:
            refs.remove(ref)
        refs.append(ref)

    def referred(self, phrase: str) -> str | None:
        """The actor a definite description ("the ministry", "the war monitor") names; a
        sentence's first word is capitalised whatever it is ("Prosecutors")."""
        words = phrase.lower().split()
        if len(words) == 1 and phrase[1:].islower() and (opening := self.heads.get(words[0])):
            return opening[-1]  # "Prosecutors say" after "Haitian prosecutors": capitalised
        if (again := _UN_BODY_AGAIN.fullmatch(phrase)) and not self.heads.get(words[-1]):
            # "the U.N. agency said" after "WFP said": the U.N. body named last; "the agency"
            # only when the body spoken of last is one
            bodies = [r for r, a in self.actors.items() if a.kind == "international_organization"]
            if again.group("un") and bodies:
                return bodies[-1]
            latest = self.latest_body
            if latest and self.actors[latest].kind == "international_organization":
                return latest
        if not 1 <= len(words) <= 2 or not phrase.islower():
            return None
        # "the army" names again the "Israeli military" named before, and the other way round
        # (not a name's own word: "the military" is no "Kachin Independence Army")
        refs = self.heads.get(words[-1]) or [
            ref
            for ref in self.heads.get(_SAME_FORCE.get(words[-1], ""), [])
            if self.actors[ref].name.split()[-1].islower()
        ]
        if refs:
            return refs[-1]
        return self.latest_body if words[-1] in GENERIC_ANAPHORS else None

    def known(self, actor: KnownActor, span: Span | None) -> str:
        ref = self.by_registry_id.get(actor.id) or self._add(actor.name, actor.kind, actor)
        if span is not None:
            self.mention(ref, span)
        return ref

    def mention(self, ref: str, span: Span) -> None:
        actor = self.actors[ref]
        if actor.kind not in ("person", "media_outlet"):
            self.latest_body = ref
        if span not in actor.mentions and len(actor.mentions) < MAX_ITEMS:
            actor.mentions.append(span)

    def full(self) -> bool:
        """Whether one more sentence might name more actors than a draft holds."""
        return len(self.actors) >= MAX_ITEMS - SENTENCE_ACTORS

    def named(self, text: str, start: int, end: int) -> str:
        """The ref of the actor the phrase `text[start:end]` names; a name its acronym
        follows in brackets ("Armed Conflict Location and Event Data Project (ACLED)") is
        the name, which the acronym names again later in the text."""
        inside = _ACRONYM_AFTER.search(text, start, end)
        if inside is not None and inside.start() > start:
            end = inside.start()
        acronym = inside or _ACRONYM_NEXT.match(text, end)
        ref = self._named(text, start, end)
        if acronym is not None:
            self.by_name.setdefault(normalize(acronym.group(1)), ref)
        return ref

    def _named(self, text: str, start: int, end: int) -> str:
        phrase = text[start:end]
        span = Span(start=start, end=end)
        if len(phrase.split()) == 1 and (ref := self.by_surname.get(normalize(phrase))):
            self.mention(ref, span)  # "Zelenskiy said": the Zelenskiy the text named
            return ref
        matches = self.gazetteer.lookup(phrase) or self._by_surname_in_registry(phrase)
        if len(matches) == 1:
            return self.known(matches[0], span)
        person = person_name(phrase)
        bare = None if person else described_name(phrase) or acronym_headed(phrase)
        candidates = [name for name in (person or bare, phrase) if name]
        for candidate in candidates:
            found = self.gazetteer.lookup(candidate) or self._by_surname_in_registry(candidate)
            if len(found) == 1:
                return self.known(found[0], span)
            key = normalize(candidate)
            ref = self.by_name.get(key) or (
                self.by_surname.get(key) if len(candidate.split()) == 1 else None
            )
            if ref is not None:
                self.mention(ref, span)
                return ref
        if (initialled := self._by_initials(phrase)) is not None:
            self.mention(initialled, span)  # "the AAPP" after "the Assistance Association …"
            return initialled
        indefinite = re.search(
            r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+$", text[max(0, start - 8) : start]
        )
        if not indefinite and (referred := self.referred(phrase)) is not None:
            self.mention(referred, span)  # "a port official" is someone new, "the official" not
            return referred
        titles = titles_before(phrase[: phrase.find(person)] if person else "")
        name = person or bare or phrase
        outlet = person is not None and _outlet_described(phrase, person)
        body = person is not None and _body_described(phrase, person)
        kind = kind_of(
            phrase,
            self.gazetteer,
            person is not None and not name.isupper() and not outlet and not body,
        )
        if kind is None and looks_personal(name):
            kind = "person"
        elif kind is None and name[:1].isupper() and names_a_cause(name):
            kind = "organization"
        if kind == "person" and (unnamed := self._unnamed_with_title(titles)) is not None:
            self._name(unnamed, name)  # "the town's mayor said …" then "Mayor Ana Ruiz"
            self.mention(unnamed, span)
            return unnamed
        ref = self._add(name, kind, None)
        for title in titles:  # "Colonel Ana Ruiz" is "the colonel" from now on
            self._head(title, ref)
        self.mention(ref, span)
        return ref


_ACRONYM: Final = re.compile(r"[A-Z]{3,6}")
_ACRONYM_AFTER: Final = re.compile(r"\s+\(\s*([A-Z][A-Za-z.&-]{1,15})\)?$")
_ACRONYM_NEXT: Final = re.compile(r"\s+\(\s*([A-Z][A-Z.&-]{1,15})\)")


def _outlet_described(phrase: str, name: str) -> bool:
    """ "the independent outlet Myanmar Now": the name follows a word for an outlet."""
    before = phrase[: len(phrase) - len(name)].split()
    return bool(before) and before[-1].lower() in _OUTLET_BEFORE_NAME


_BODY_BEFORE_NAME: Final = frozenset(
    {
        *("charity", "group", "organisation", "organization", "ngo", "agency", "network"),
        *("movement", "coalition", "alliance", "party", "militia", "monitor", "company"),
        *("firm", "institute", "foundation", "association", "union", "body", "watchdog"),
    }
)
"""A description right before a name that makes it a body's ("the medical charity Cabo
Delgado Health Action", "the rights group Free Voices"), not a person's."""


def _body_described(phrase: str, name: str) -> bool:
    before = phrase[: len(phrase) - len(name)].split()
    return bool(before) and before[-1].lower() in _BODY_BEFORE_NAME


def _head_noun(description: str) -> str | None:
    """The noun a description is about: "a Telegram channel linked to Wagner" → "channel",
    "Russia's defence ministry" → "ministry", "Ethiopian Human Rights Commission" →
    "commission"; None for another proper name ("Grey Zone")."""
    words = head_words(description)
    if not words or not words[-1].isalpha():
        return None
    if not words[-1].islower():
        head = words[-1].lower()
        return head if head in ORGANISATION_HEADS and len(words) > 1 else None
    return words[-1]
