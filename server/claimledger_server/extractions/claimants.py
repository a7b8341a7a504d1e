"""Who a claim is by: the claimant a speaker phrase names, its co-claimants and the outlet
that relayed it, for `rules.py`'s reading of a text.

A phrase names a registry actor or one the text named before; a pronoun the salient person
(`salience.py`) or the body spoken of; "the statement", "the communiqué" or "it" a joint
statement's speakers again; "the station" the outlet the text named last (a section's
heading in a review of broadcasts; "the paper" and "it" the paper a press review's section
is headed by, `issuers.py`); a reader's letter's "you" the paper written to; "the
administrator, Ana Ruiz," the person described so far only as an administrator; a paper's
signers or leaders its issuers, dated by the paper.
An outlet relays what its interviewee told it, what it quoted, cited or carried, what it read
out from someone's statement, and what the people it put on air said; a summary of one
outlet's broadcast has it relay everyone but its presenters (`broadcasts.py`)."""

import re
from datetime import date

from claimledger_server.extractions.actor_kinds import kind_of
from claimledger_server.extractions.actors import GENERIC_ANAPHORS, ActorBook
from claimledger_server.extractions.appositives import partner_before
from claimledger_server.extractions.attributions import spoken_for
from claimledger_server.extractions.broadcasts import presenter
from claimledger_server.extractions.clauses import AGAIN
from claimledger_server.extractions.co_sources import both_parties, cited_source, joint_with
from claimledger_server.extractions.documents import Papers, leaders
from claimledger_server.extractions.gazetteer import Gazetteer, KnownActor
from claimledger_server.extractions.issuers import Issuers
from claimledger_server.extractions.letters import writers_body
from claimledger_server.extractions.name_phrases import (
    documents_owner,
    one_name_with_acronym,
    whose_owner,
)
from claimledger_server.extractions.names import goes_by, looks_like_name, one_name
from claimledger_server.extractions.outlet_names import (
    cited_author,
    names_publisher,
    without_description,
)
from claimledger_server.extractions.quoting import quoting_outlet
from claimledger_server.extractions.relays import (
    OUTLET_ANAPHOR,
    explicit_relay,
    is_outlet,
    last_outlet,
    on_air,
    outlet_named_again,
    relay_after_according,
    reported_by,
    told_whom,
)
from claimledger_server.extractions.salience import Salience
from claimledger_server.extractions.schemas import DraftClaim, Span
from claimledger_server.extractions.speaker_phrases import trim
from claimledger_server.extractions.speakers import PRONOUNS, Found
from claimledger_server.extractions.when import Stated, date_near, resolve

_TOLD = re.compile(
    r"\b(?:told|speaking to|said to|interview with|confirmed\b[^,;.\"\u201c]{0,40}?\bto)\b"
)
"""Whom the speaker told: "told X", "confirmed the attack to X" (when X is an outlet)."""
_OWN_STAFF = re.compile(r"['\u2019]s\s+(?:own\s+)?(?:correspondent|reporter|journalist|crew)")
"""The publisher's own staff after "the broadcaster": "told the broadcaster's correspondent"."""
_TOLD_FIRST = re.compile(r"\s*(?:[Ss]peaking|[Tt]alking)\s+(?:to|with)(?=\s)")
"""A lead-in that names whom the speaker told: "Speaking to Al Arabiya, X said…"."""
_PERSONAL = frozenset({"he", "she"})
_ADDRESSEE = re.compile(
    r"(?:[Yy]ou|[Yy]our\s+(?:[\w-]+\s+){0,2}?(?:report|article|story|paper|newspaper|"
    r"correspondent|reporter|editorial))"
)
"""Whom a reader's letter addresses: the paper it is written to."""
_IT_QUOTED = re.compile(r"\s*[Ii]t\s+(?:also\s+)?(?:quoted|quotes|cited|cites)\s")
"""A section of a review that goes on "It quoted X as saying": the paper relays X."""
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
"""A title's article: "The Delta Star quoted …" names a paper (`_paper_named`)."""
_GIVEN_NAME = re.compile(r"\b(?:name|known|identified|nicknamed|called)\s+(?:only\s+)?as\s+$")
"""What comes right before a name someone goes by: "who gave his name only as X"."""


class Claimants:
    """The claimant side of a reading: the state it keeps across sentences (who spoke last,
    the relays and dates named, the joint statement, the body spoken of)."""

    text: str
    gazetteer: Gazetteer
    book: ActorBook
    published: date | None
    publisher: KnownActor | None
    claims: list[DraftClaim]
    last: dict[str, str]
    dated: dict[str, Stated]
    relays: dict[str, str]
    co_claimants: list[str]
    joint: tuple[str, list[str]] | None
    body_subject: tuple[int, int] | None
    people: Salience
    papers: Papers
    reader: tuple[int, int] | None
    broadcast: tuple[int, int] | None
    """The outlet whose broadcast the text summarises (`broadcasts.py`)."""
    presenters: set[str]
    issuers: Issuers
    """The blocks of the text that name their issuer (`issuers.py`)."""

    def _publisher(self) -> str | None:
        return self.book.known(self.publisher, None) if self.publisher else None

    def _claimant(self, found: Found, start: int, end: int) -> tuple[str | None, str | None]:
        """The claimant's ref and the relay's, if one is named."""
        text = self.text
        claimant: str | None
        if found.pronoun is None and (
            issuers := self.papers.issuers_of((found.start, found.end), start, end)
        ):
            claimant, *self.co_claimants = [self._actor(*issuer) for issuer in issuers]
            self._paper_dated(claimant)
        elif found.pronoun is None and (owner := whose_owner(text, start, found[:2])):
            claimant = self._actor(*owner)  # "…, according to X, whose spokesman said"
        elif found.pronoun is None and (owner := documents_owner(text, start, found[:2])):
            claimant = self._actor(*owner)  # "the mission …, according to its weekly report"
        elif found.pronoun is None and (again := self._described_again(found)) is not None:
            claimant = again  # "the administrator, Ana Ruiz, said" after "an administrator"
        elif found.pronoun is None and (led := leaders(text, found.start, found.end)):
            claimant, *self.co_claimants = [self._actor(*leader) for leader in led]
            self._paper_dated(claimant)
        elif found.pronoun is None and (body := self._writers_body(found)) is not None:
            claimant = self._actor(*body)  # a letter's "our network", signed for the network
        elif self.issuers.in_letter(found.start) and _ADDRESSEE.fullmatch(
            text, found.start, found.end
        ):
            claimant = self._publisher()  # a letter's "you", "your report": the paper
        elif found.pronoun == "it" and self.body_subject is not None:
            claimant = self._actor(*self.body_subject)  # "The army … is pushing. It said"
        elif found.pronoun == "they" and self.joint and self.joint[0] == self.last.get("any"):
            claimant, self.co_claimants = self.joint[0], list(self.joint[1])
        elif found.pronoun == "it" and self._joint_spoke_last():
            assert self.joint is not None  # "The statement said", "it said": the joint one's
            claimant, self.co_claimants = self.joint[0], list(self.joint[1])
        elif found.pronoun == AGAIN:
            claimant = self.last.get("any")  # "…, which said in a report last month that"
        elif found.pronoun in _PERSONAL:
            claimant = self.people.refer(found.pronoun) or self.last.get("any")
        elif found.pronoun is not None:  # "it", "the group": a body, never a person
            claimant = (
                self.last.get("other")
                or self.book.latest_body
                or self._any_but_people(text[found.start : found.end])
            )
            if claimant is None and text[found.start : found.end].lower() not in PRONOUNS:
                named = trim(text, found.start, found.end) or (found.start, found.end)
                claimant = self._actor(*named)  # "the group" named first: "group"
        elif found.members:
            claimant = self._actor(*found.members[0])
            self.co_claimants = [self._actor(*member) for member in found.members[1:]]
        elif (name := goes_by(text, found.end, found.start)) is not None:
            claimant = self._actor(*name)  # "a gang leader who goes by the name X said"
            # the role described ("a commander, who gave his name only as X") says a person
            self._named_person(claimant, text[start : found.end])
        elif OUTLET_ANAPHOR.fullmatch(text[found.start : found.end]) and (
            station := self._station_before(found.start)
        ):
            claimant = station  # "the station said": the outlet named last
        elif found.pronoun is None and (both := both_parties(text, start, found[:2])):
            claimant, *self.co_claimants = [self._actor(*party) for party in both]
        else:
            claimant = self._joint(found.start, found.end)
            if _GIVEN_NAME.search(text, start, found.start):
                self._named_person(claimant, text[start : found.start])
        if found.pronoun is None:  # "said in a joint statement with Y and Z"
            self.co_claimants += [self._actor(*span) for span in joint_with(text, found.after, end)]
            # "A's delegate, speaking also on behalf of B and C, said": B and C too
            self.co_claimants += [
                self._actor(*span) for span in spoken_for(text, found.end, found.after)
            ]
        if (
            claimant is not None
            and found.pronoun is None
            and not self.co_claimants
            and found.described is not None
            and (partner := partner_before(text, *found.described)) is not None
        ):
            self.co_claimants = [self._actor(*partner)]  # "Villagers and a group, the X, say"
        elif claimant is not None and found.described is not None:
            self.book.describe(claimant, self.text[found.described[0] : found.described[1]])
            self.people.described(claimant, self.text[found.described[0] : found.described[1]])
        if claimant is not None and found.pronoun is None:
            self.people.described(claimant, self.text[found.start : found.end])
        relay = self._relay(found, start, end)
        if self.reader is not None:
            relay = self._outlet(*self.reader)
        elif relay is None and on_air(text, start, end):
            relay = self._station_before(start)  # someone a station put on air
        if claimant is not None and relay is None and self.broadcast is not None:
            relay = self._broadcast_relay(claimant, found, start)
        if claimant is not None and relay is not None and claimant == relay:
            relay = None
        if claimant is not None and found.basis and claimant == relay:
            relay = None
        if claimant is not None and found.basis and self._is_outlet_ref(claimant):
            cited = cited_source(text, found.basis)
            if cited is not None:
                if found.pronoun is None:  # "the state-run X news agency, citing": X
                    claimant = self._actor(*without_description(text, found.start, found.end))
                relay, claimant = claimant, self._actor(*cited_author(text, *cited))
        elif (
            claimant is not None
            and found.basis
            and claimant == self._publisher()
            and (cited := cited_source(text, found.basis)) is not None
        ):
            # what the publisher printed citing someone ("your report …, citing the army") is
            # that someone's claim; the publisher relays nothing
            claimant = self._actor(*cited_author(text, *cited))
        if claimant is not None:
            actor = self.book.actors[claimant]
            if actor.kind != "person":
                self.body_subject = None
            else:
                self.people.spoke(claimant)
            self.last["person" if actor.kind == "person" else "other"] = claimant
            self.last["any"] = claimant
            self.joint = (claimant, list(self.co_claimants)) if self.co_claimants else self.joint
            if relay is not None:
                self.relays.setdefault(claimant, relay)
        return claimant, relay

    def _writers_body(self, found: Found) -> tuple[int, int] | None:
        signature = self.issuers.signature_of(found.start)
        if signature is None:
            return None
        return writers_body(self.text, (found.start, found.end), signature)

    def _broadcast_relay(self, claimant: str, found: Found, start: int) -> str | None:
        """The outlet whose broadcast the text summarises relays whom it put on air, but
        not its presenters (named so once: "Anchor X opened by saying", then "X said")."""
        assert self.broadcast is not None  # asked only of a summary of a broadcast
        if found.pronoun is None and presenter(self.text, start, found.start):
            self.presenters.add(claimant)
        if claimant in self.presenters or claimant == self._publisher():
            return None
        return self._actor(*self.broadcast)

    def _described_again(self, found: Found) -> str | None:
        """The person a definite description beside a name names again ("the administrator,
        Ana Ruiz," after "a church administrator"), now named."""
        if found.described is None or not looks_like_name(self.text[found.start : found.end]):
            return None
        first, last = found.described
        if not re.search(r"\b[Tt]he\s+$", self.text[max(0, first - 4) : first]):
            return None
        name, span = self.text[found.start : found.end], Span(start=found.start, end=found.end)
        return self.book.name_described(self.text[first:last], name, span)

    def _station_before(self, at: int) -> str | None:
        """The outlet the text named last before `at`, its publisher aside: in a review's
        section, the paper or station its heading names."""
        if (section := self.issuers.section_at(at)) is not None:
            return self._actor(*section)
        name = self.publisher.name if self.publisher else None
        station = last_outlet(self.text, at, self.gazetteer, name)
        return None if station is None else self._actor(*station)

    def _outlet(self, start: int, end: int) -> str | None:
        """The outlet a phrase names, or names again ("the station"; "it" in a review's
        section)."""
        if OUTLET_ANAPHOR.fullmatch(self.text[start:end]) or self._section_pronoun(start, end):
            return self._station_before(start)
        return self._actor(start, end)

    def _section_pronoun(self, start: int, end: int) -> bool:
        """ "It" in a section a heading names the issuer of: the paper or station itself."""
        phrase = self.text[start:end].split()
        pronoun = bool(phrase) and phrase[0].lower() == "it"
        return pronoun and self.issuers.section_at(start) is not None

    def _named_person(self, ref: str, described: str) -> None:
        """A name given for someone described as a person ("a commander who gave his name
        only as X", "a caller known as Y") is a person's, whom "he"/"she" name next."""
        actor = self.book.actors[ref]
        if actor.kind is None and kind_of(described, self.gazetteer, person=False) == "person":
            actor.kind = "person"

    def _paper_dated(self, issuer: str) -> None:
        """What a paper says was said on the paper's own date ("In a joint letter published
        on Tuesday, …"), unless its issuer spoke on a date named before."""
        if self.papers.dated is None or self.published is None or issuer in self.dated:
            return
        said_on = date_near(self.text, *self.papers.dated)
        if said_on is not None and (on := resolve(said_on, self.published)) is not None:
            self.dated[issuer] = on

    def _joint_spoke_last(self) -> bool:
        """Whether the last claim is a joint statement's, which "it" may name again."""
        if self.joint is None or not self.claims:
            return False
        last = self.claims[-1]
        return last.claimant_ref == self.joint[0] and bool(last.co_claimant_refs)

    def _joint(self, start: int, end: int) -> str:
        """ "Qatar and Egypt", "a security source and local residents": the first named is
        the claimant, the second its co-claimant (kept for the claim being built)."""
        phrase = self.text[start:end]
        self.co_claimants = []
        left, joiner, right = phrase.partition(" and ")
        short = 0 < len(left.split()) <= 5 and 0 < len(right.split()) <= 5
        if right.lower().startswith(("its ", "their ")):
            return self._actor(start, start + len(left))  # "X and its partners": X, named
        if (
            joiner
            and short
            and not one_name(phrase)
            and not one_name_with_acronym(self.text, start, end)
        ):
            right_start = start + len(left) + len(joiner)
            if article := re.match(r"(?:an?|the)\s+", right):
                right_start += article.end()  # "survivors and a local youth group"
            self.co_claimants = [self._actor(right_start, end)]
            return self._actor(start, start + len(left))
        return self._actor(start, end)

    def _actor(self, start: int, end: int) -> str:
        return self.book.named(self.text, start, end)

    def _any_but_people(self, anaphor: str) -> str | None:
        """The last speaker, for "it" or "the statement"; "the rights group" names no person
        ("Residents said …. The rights group said …" is someone new)."""
        last = self.last.get("any")
        body = anaphor.split()[-1].lower() in GENERIC_ANAPHORS
        if last is None or (body and self.book.actors[last].kind == "person"):
            return None
        return last

    def _paper_named(self, first: int, last: int) -> bool:
        """ "The Delta Star quoted a police officer as saying": a title after "the" that
        names no body nor person by its words quotes people as a paper does."""
        name = self.text[first:last]
        return (
            _THE_BEFORE.search(self.text, max(0, first - 4), first) is not None
            and name[:1].isupper()
            and kind_of(name, self.gazetteer, person=False) is None
        )

    def _is_outlet_ref(self, ref: str) -> bool:
        actor = self.book.actors[ref]
        return actor.kind == "media_outlet" and not self._is_publisher(actor.name)

    def _is_publisher(self, name: str) -> bool:
        """Whether `name` is the publisher's, or the last words of it ("told the Mirror")."""
        return names_publisher(name, self.publisher.name if self.publisher else None)

    def _relay(self, found: Found, start: int, end: int) -> str | None:
        text = self.text
        candidates = []
        told = _TOLD.search(text, found.start, end) or _TOLD_FIRST.match(text, start, found.start)
        if told is not None and (whom := told_whom(text, told.end(), end)) is not None:
            candidates.append(whom)
        if (according := relay_after_according(text, start, end)) is not None:
            candidates.append(according)
        if _IT_QUOTED.match(text, start, found.start) and self.issuers.section_at(start):
            return self._station_before(start)  # "It quoted …" in a review's section
        if (quoter := quoting_outlet(text, start, found.start)) is not None:
            candidates.append(quoter)  # "Interfax quoted the governor as saying"
        if (reporter := reported_by(text, found.after, end)) is not None:
            candidates.append(reporter)  # "…, Russia's state news agency TASS reported."
        relayed = explicit_relay(text, start, end)
        if relayed is not None and relayed != (found.start, found.end):
            name = text[relayed[0] : relayed[1]]
            if self._is_publisher(name) or self.gazetteer.lookup(name) == (self.publisher,):
                return None  # "officials cited by" the text's own publisher: no relay
            return self._actor(*without_description(text, *relayed))
        for first, last in candidates:
            name = text[first:last]
            paper = (first, last) == quoter and self._paper_named(first, last)
            if (first, last) != (found.start, found.end) and (
                paper or is_outlet(name, self.gazetteer)
            ):
                if self._is_publisher(name) or self.gazetteer.lookup(name) == (self.publisher,):
                    continue
                return self._actor(*without_description(text, first, last))
        again = outlet_named_again(text, start, end)
        if again is None:
            return None
        # the outlet named last ("told the channel" after "the channel X"), else the station;
        # with none named but the publisher, "the broadcaster's correspondent" is its own
        station = self._station_before(again[0])
        if station is None and _OWN_STAFF.match(text, again[1]):
            return None
        return station or self._actor(*again)
