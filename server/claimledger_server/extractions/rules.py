"""The rule-based extractor (the default `extractor` setting).

Reads the text one sentence at a time (`sentences`), and makes a claim of each sentence that

- a speech or attribution pattern attributes to someone (`speakers.py`: "X said", "'…,'
  said X", "X, head of Y, told", "according to X"; `quoting.py`: "Y quoted X as saying",
  "figures released by X show"; "he/she said" → the salient person
  (`salience.py`), "It said" after a sentence about a body → that body, "the group said"
  → the body named before), the actor matched through the registry's names and aliases or
  proposed with a kind (`actors.py`); the partners of "a joint statement with Y and Z" are
  co-claimants, and "the statement said"/"it said" after a joint statement names them all
  again (`co_sources.py`); a sentence passes to a second speaker at ", while", ", as",
  ", where", "; " when each part has one;
- or that states a figure without attribution: the claim of the source it says recorded
  it ("… recorded by the group X", a source in brackets at its end: "… (OHCHR).") or of the
  document's author while a paragraph narrates a report (`documents.py`), else the
  publisher's (the source's `publisher_id`), else the last speaker's; in a "Q: … / A: …"
  interview every answer is the interviewee's, dated by the interview (`interviews.py`);
  each line of a numbers box is a sentence (`boxes.py`).

Each claim carries the figures of its sentence (`figures_in_claims.py`) with their period,
accumulation and subject (`figure_details.py`), the date the claimant spoke
(`statement_dates.py`, `when.py`: the words right after the verb or the sentence's opening,
not a date inside what was said; else the same claimant's previous date, else the
publication day), its relay ("told
Reuters", "according to Yonhap", "…, TASS reported", "as per a report in NBC News", "Saba
said, citing an official": `relays.py`, kept for every claim of that claimant), and "citing
…" as its basis. It reads nothing but its arguments: the same input always gives the same
draft."""

import re
from datetime import date

from claimledger_server.extractions.actors import ActorBook, kind_of
from claimledger_server.extractions.boxes import for_figures
from claimledger_server.extractions.co_sources import cited_source, joint_with
from claimledger_server.extractions.documents import Narration, Papers, recorded_by
from claimledger_server.extractions.figure_details import FigureDetails
from claimledger_server.extractions.figures_in_claims import figures_of
from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.interviews import FIRST_PERSON, answer_at, interview
from claimledger_server.extractions.names import goes_by, one_name
from claimledger_server.extractions.quoting import (
    quoted_speaker,
    quoting_outlet,
    shown_by,
    source_in_brackets,
)
from claimledger_server.extractions.relays import (
    explicit_relay,
    is_outlet,
    outlet_named_again,
    relay_after_according,
    reported_by,
    told_whom,
)
from claimledger_server.extractions.salience import Salience
from claimledger_server.extractions.saying import names_speaker, saying_subject
from claimledger_server.extractions.schemas import (
    MAX_ITEMS,
    DraftClaim,
    DraftFigure,
    DraftSource,
    ExtractedDraft,
    Span,
)
from claimledger_server.extractions.sentences import sentences
from claimledger_server.extractions.speakers import PRONOUNS, Found, find_speaker
from claimledger_server.extractions.statement_dates import statement_date
from claimledger_server.extractions.transcripts import labelled_speaker, quote_attribution_end
from claimledger_server.extractions.when import Stated, date_near, resolve

MAX_CLAIM_CHARS = 20_000
MAX_FIGURES = 100
"""A claim's figures the draft holds (`DraftClaim.figures`)."""
MAX_SPLIT_CHARS = 2_000
"""Longest sentence split into clauses by speaker (each split reads the sentence again)."""
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,}?)[\"\u201d]")
_HEADLINE = re.compile(r"\s*[^\n]*[^.!?\"\u201d\s]\s*\n\s*\n\s*\S")
_CLAUSE_JOINT = re.compile(r",\s+(?:while|whereas|but|as|where)\s+|;\s+")
"""Where a sentence may pass to another speaker: "…, a local official said, as aid agencies
warned that…", "… near the town, where rebels say they killed…"."""
_TOLD = re.compile(r"\b(?:told|speaking to|said to|interview with)\b")
_TOLD_FIRST = re.compile(r"\s*(?:[Ss]peaking|[Tt]alking)\s+(?:to|with)(?=\s)")
"""A lead-in that names whom the speaker told: "Speaking to Al Arabiya, X said…"."""
_PERSONAL = frozenset({"he", "she"})
_BODY_SUBJECT = re.compile(
    r"\s*(?:(?:The|the)\s+(?P<body>[\w'.-]+(?:\s+[\w'.-]+){0,4}?)|(?P<name>[A-Z][\w'.-]+))"
    r"(?=\s*,\s*(?:which|who)\b|\s+(?:did|does|has|have|had|is|was|were|are|will|would|"
    r"could|declined|refused|made|gave|denies|denied|rejects|rejected)\b)"
)
"""The body a sentence is about ("The army, which recaptured…, is pushing…"): what "it
said" in the next sentence refers to."""
_BODY_KINDS = frozenset(
    {"state", "government_body", "armed_force", "armed_group", "organization",
     "international_organization", "intelligence_agency"}
)  # fmt: skip


class RuleExtractor:
    """Claimants, figures, dates and relays from rules (see the module's docstring)."""

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        return _Reading(text, source, gazetteer).draft()


class _Reading:
    def __init__(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> None:
        self.text = text
        self.gazetteer = gazetteer
        self.book = ActorBook(gazetteer)
        self.published: date | None = source.published_on
        self.publisher = next(
            (a for a in gazetteer.actors if a.id == source.publisher_id), None
        ) if source.publisher_id else None  # fmt: skip
        self.claims: list[DraftClaim] = []
        self.last: dict[str, str] = {}
        """The last speaker of each kind: "person", "other", "any"."""
        self.dated: dict[str, Stated] = {}
        self.relays: dict[str, str] = {}
        self.co_claimants: list[str] = []
        self.joint: tuple[str, list[str]] | None = None
        """The last joint statement's speakers, whom a "they" that follows names again."""
        self.last_figure: DraftFigure | None = None
        self.body_subject: tuple[int, int] | None = None
        """A body a sentence without speaker was about, since the last body spoke."""
        self.statement_dates: list[tuple[int, int]] = []
        """Where the sentence being read says when it was said (no figure's period)."""
        self.details = FigureDetails(text, self.book, gazetteer)
        self.people = Salience(text, self.book)
        self.interview = interview(text)
        self.narration = Narration(text)
        self.papers = Papers(text)
        self.figure_text = for_figures(text)

    def draft(self) -> ExtractedDraft:
        for start, end in sentences(self.text):
            if start == 0 and _HEADLINE.match(self.text) and not names_speaker(self.text, 0, end):
                continue  # a headline repeats what the article says, unless it says who said
            if len(self.claims) == MAX_ITEMS or self.book.full():
                break  # a draft holds that many; the rest of a longer text is left out
            for clause_start, clause_end in self._clauses(start, end):
                if len(self.claims) < MAX_ITEMS and not self.book.full():
                    self._sentence(clause_start, clause_end)
        for claim in self.claims:  # a relay named once holds for all the claimant's claims
            if claim.relayed_by_ref is None:
                claim.relayed_by_ref = self.relays.get(claim.claimant_ref)
        return ExtractedDraft(actors=list(self.book.actors.values()), claims=self.claims)

    def _clauses(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentence, or its clauses when each has a speaker of its own ("… killed, the
        Red Crescent said, while the government put the toll at 800")."""
        clauses: list[tuple[int, int]] = []
        if end - start > MAX_SPLIT_CHARS:
            return [(start, end)]  # no sentence of an article is that long: not worth it
        for joint in _CLAUSE_JOINT.finditer(self.text, start, end):
            first, second = (start, joint.start()), (joint.end(), end)
            if find_speaker(self.text, *first) and find_speaker(self.text, *second):
                clauses.append(first)
                start = joint.end()
        return [*clauses, (start, end)]

    def _sentence(self, start: int, end: int) -> None:
        text = self.text
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        start, end = start + lead, start + len(text[start:end].rstrip())
        said_end = quote_attribution_end(text, start, end) or end  # '"… . …," she said'
        found = (
            quoted_speaker(text, start, said_end)
            or find_speaker(text, start, said_end)
            or saying_subject(text, start, said_end)
            or shown_by(text, start, said_end)
        )
        answered = answer_at(self.interview, start) and (
            found is None or text[found.start : found.end].lower() in FIRST_PERSON
        )
        found = None if answered else found
        figures = figures_of(self.figure_text, start, end, self.last_figure)
        self.statement_dates = []
        if figures:
            self.last_figure = figures[-1]
        claimant: str | None = None
        relay: str | None = None
        self.co_claimants = []
        narrated = self.narration.author_of(start, end) if found is None else None
        if found is None:
            self._remember_body_subject(start, end)
            self.people.sentence_about(start, end)
        if answered:
            claimant = self._interviewee()
        elif found is None and (labelled := labelled_speaker(text, start)) is not None:
            claimant = self._actor(*labelled)  # a transcript's "NAME:" paragraph
        elif found is None and (signers := self.papers.signed(start, end)):
            claimant, *self.co_claimants = [self._actor(*signer) for signer in signers]
            self.last["other"] = self.last["any"] = claimant  # '"…," said a letter signed by'
        elif found is not None:
            claimant, relay = self._claimant(found, start, said_end)
            self.narration.spoke(claimant, found.after, end)
        elif figures:
            recorder = recorded_by(text, start, end) or source_in_brackets(text, start, end)
            claimant = (
                (self._actor(*recorder) if recorder else narrated)
                or self._publisher()
                or self.last.get("any")
            )
        elif text[start] in '"\u201c':
            claimant = self.last.get("any")  # a quote alone: the nearest speaker's
        if claimant is None:
            return
        stated = (
            self._interview_date() if answered else self._stated(found, claimant, start, said_end)
        )
        self.details.fill(
            figures, start, end, claimant, stated.on if stated else None, self.statement_dates
        )
        basis = text[found.basis[0] : found.basis[1]].strip() if found and found.basis else None
        basis = basis[:MAX_CLAIM_CHARS] if basis else None
        sentence = text[start:end][:MAX_CLAIM_CHARS]
        quoted = _QUOTED.search(sentence)
        self.claims.append(
            DraftClaim(
                ref=f"c{len(self.claims) + 1}",
                claimant_ref=claimant,
                co_claimant_refs=list(dict.fromkeys(c for c in self.co_claimants if c != claimant)),
                text=sentence,
                quote=(quoted.group(1).strip(" ,") or None) if quoted else None,
                stated_on=stated.on if stated else None,
                stated_on_precision=stated.precision if stated else None,
                basis=basis or None,
                relayed_by_ref=relay,
                spans=[Span(start=start, end=start + len(sentence))],
                figures=figures[:MAX_FIGURES],
            )
        )

    def _remember_body_subject(self, start: int, end: int) -> None:
        subject = _BODY_SUBJECT.match(self.text, start, end)
        if subject is None:
            return
        group = "body" if subject.group("body") else "name"
        phrase = subject.group(group)
        known = self.gazetteer.lookup(phrase)
        kind = known[0].kind if known else kind_of(phrase, self.gazetteer, person=False)
        if kind in _BODY_KINDS or (kind is None and (group == "name" or phrase.isupper())):
            # a one-word name or an acronym, no person's ("Hamas gave…", "The RSF, which…")
            self.body_subject = subject.span(group)

    def _interviewee(self) -> str:
        assert self.interview is not None  # only asked of a sentence in an answer
        return self._actor(*self.interview.interviewee)

    def _interview_date(self) -> Stated | None:
        """An answer was said when the interview took place, else on publication."""
        assert self.interview is not None
        if self.published is None:
            return None
        said_on = date_near(self.text, *self.interview.occasion)
        stated = resolve(said_on, self.published) if said_on is not None else None
        return stated or Stated(self.published, "day")

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
        elif found.pronoun == "it" and self.body_subject is not None:
            claimant = self._actor(*self.body_subject)  # "The army … is pushing. It said"
        elif found.pronoun == "they" and self.joint and self.joint[0] == self.last.get("any"):
            claimant, self.co_claimants = self.joint[0], list(self.joint[1])
        elif found.pronoun == "it" and self._joint_spoke_last():
            assert self.joint is not None  # "The statement said", "it said": the joint one's
            claimant, self.co_claimants = self.joint[0], list(self.joint[1])
        elif found.pronoun in _PERSONAL:
            claimant = self.people.refer(found.pronoun) or self.last.get("any")
        elif found.pronoun is not None:  # "it", "the group": a body, never a person
            claimant = self.last.get("other") or self.book.latest_body or self.last.get("any")
            if claimant is None and text[found.start : found.end].lower() not in PRONOUNS:
                claimant = self._actor(found.start, found.end)  # "the group" named first
        elif found.members:
            claimant = self._actor(*found.members[0])
            self.co_claimants = [self._actor(*member) for member in found.members[1:]]
        elif (name := goes_by(text, found.end)) is not None:
            claimant = self._actor(*name)  # "a gang leader who goes by the name X said"
        else:
            claimant = self._joint(found.start, found.end)
        if found.pronoun is None:  # "said in a joint statement with Y and Z"
            self.co_claimants += [self._actor(*span) for span in joint_with(text, found.after, end)]
        if claimant is not None and found.described is not None:
            self.book.describe(claimant, self.text[found.described[0] : found.described[1]])
            self.people.described(claimant, self.text[found.described[0] : found.described[1]])
        if claimant is not None and found.pronoun is None:
            self.people.described(claimant, self.text[found.start : found.end])
        relay = self._relay(found, start, end)
        if claimant is not None and relay is not None and claimant == relay:
            relay = None
        if claimant is not None and found.basis and claimant == relay:
            relay = None
        if claimant is not None and found.basis and self._is_outlet_ref(claimant):
            cited = cited_source(text, found.basis)
            if cited is not None:
                relay, claimant = claimant, self._actor(*cited)
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
        if joiner and short and not one_name(phrase):
            right_start = start + len(left) + len(joiner)
            self.co_claimants = [self._actor(right_start, end)]
            return self._actor(start, start + len(left))
        return self._actor(start, end)

    def _actor(self, start: int, end: int) -> str:
        return self.book.named(self.text, start, end)

    def _is_outlet_ref(self, ref: str) -> bool:
        actor = self.book.actors[ref]
        return actor.kind == "media_outlet" and not self._is_publisher(actor.name)

    def _is_publisher(self, name: str) -> bool:
        return self.publisher is not None and name == self.publisher.name

    def _relay(self, found: Found, start: int, end: int) -> str | None:
        text = self.text
        candidates = []
        told = _TOLD.search(text, found.start, end) or _TOLD_FIRST.match(text, start, found.start)
        if told is not None and (whom := told_whom(text, told.end(), end)) is not None:
            candidates.append(whom)
        if (according := relay_after_according(text, start, end)) is not None:
            candidates.append(according)
        if (quoter := quoting_outlet(text, start, found.start)) is not None:
            candidates.append(quoter)  # "Interfax quoted the governor as saying"
        if (reporter := reported_by(text, found.after, end)) is not None:
            candidates.append(reporter)  # "…, Russia's state news agency TASS reported."
        relayed = explicit_relay(text, start, end)
        if relayed is not None and relayed != (found.start, found.end):
            name = text[relayed[0] : relayed[1]]
            if self._is_publisher(name) or self.gazetteer.lookup(name) == (self.publisher,):
                return None  # "officials cited by" the text's own publisher: no relay
            return self._actor(*relayed)
        for first, last in candidates:
            name = text[first:last]
            if (first, last) != (found.start, found.end) and is_outlet(name, self.gazetteer):
                if self._is_publisher(name) or self.gazetteer.lookup(name) == (self.publisher,):
                    continue
                return self._actor(first, last)
        again = outlet_named_again(text, start, end)
        return None if again is None else self._actor(*again)

    def _stated(
        self, found: Found | None, claimant: str, sentence_start: int, end: int
    ) -> Stated | None:
        if self.published is None:
            return None
        stated = None
        if found is not None:
            stated, span = statement_date(self.text, found, sentence_start, end, self.published)
            if span is not None:
                self.statement_dates.append(span)
        if stated is not None:
            self.dated[claimant] = stated
            return stated
        return self.dated.get(claimant) or Stated(self.published, "day")
