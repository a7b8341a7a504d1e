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
  ", where", "; " when each part has one, to the writer at ", as" after an attribution,
  and back to its speaker in "…, up from 24 announced on Wednesday" and "…, which said in
  a report last month that …" (`clauses.py`);
- or that states a figure without attribution: the claim of the source it says recorded
  it ("… recorded by the group X", a source in brackets at its end: "… (OHCHR).") or of the
  document's author while a paragraph narrates a report (`documents.py`), else the
  publisher's (the source's `publisher_id`), else the last speaker's; in a "Q: … / A: …"
  interview every answer is the interviewee's, dated by the interview (`interviews.py`);
  in a transcript every "NAME:" paragraph is that speaker's, dated by the occasion its
  introduction names (`transcripts.py`); every sentence of a statement quoted at length
  ('the group said:' and paragraphs that open on a quotation mark) is its speaker's; each
  line of a numbers box is a sentence (`boxes.py`); a headline is a claim when it names who
  says it, or the publisher's when it states a figure as plain fact.

Which actor a speaker phrase, pronoun or description names, and which outlet relayed it, is
`claimants.py`'s business; a relative clause between the speaker and its verb that says what
the speaker has ("The coalition, which has 900 troops there, said …") is the publisher's
background, and another's figure a speaker disputes ("disputed the ministry's figure of 31
dead") its owner's, each a claim of its own (`second_claims.py`). A block the text reproduces
under its issuer's name ("Source: X" at its foot, a heading in capitals) is the issuer's
(`issuers.py`), and a labelled list's lines count what their labels name
(`labelled_lists.py`).

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

from claimledger_server.extractions.actor_kinds import kind_of
from claimledger_server.extractions.actors import ActorBook
from claimledger_server.extractions.attributions import counted_by, marked_source
from claimledger_server.extractions.boxes import for_figures, listed_items_end
from claimledger_server.extractions.broadcasts import broadcaster
from claimledger_server.extractions.carried_later import fill_relays
from claimledger_server.extractions.clauses import Clause, clauses
from claimledger_server.extractions.corrections import retracts
from claimledger_server.extractions.documents import Narration, Papers, recorded_by
from claimledger_server.extractions.figure_details import FigureDetails
from claimledger_server.extractions.figures_in_claims import figures_of
from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.headlines import headline_is_claim, opens_on_headline
from claimledger_server.extractions.interviews import FIRST_PERSON, answer_at, interview
from claimledger_server.extractions.issuers import Issuers
from claimledger_server.extractions.letters import papers_own_report
from claimledger_server.extractions.names import names_unquoted
from claimledger_server.extractions.quoting import (
    given_by,
    quoted_speaker,
    shown_by,
    source_in_brackets,
)
from claimledger_server.extractions.relays import (
    statement_read,
)
from claimledger_server.extractions.salience import Salience
from claimledger_server.extractions.saying import saying_subject
from claimledger_server.extractions.schemas import (
    MAX_ITEMS,
    DraftClaim,
    DraftFigure,
    DraftSource,
    ExtractedDraft,
    Span,
)
from claimledger_server.extractions.second_claims import MAX_CLAIM_CHARS, MAX_FIGURES, SecondClaims
from claimledger_server.extractions.sentences import sentences
from claimledger_server.extractions.speakers import PRONOUNS, Found, find_speaker
from claimledger_server.extractions.statement_dates import statement_date
from claimledger_server.extractions.structure import Layout, own_date_line
from claimledger_server.extractions.transcripts import (
    cited_to_us,
    labelled,
    open_quotation,
    quote_attribution_end,
    quoted_block_end,
    quoted_paragraph_end,
)
from claimledger_server.extractions.when import Stated, date_near, resolve

_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,}?)[\"\u201d]")
_SURVIVED = re.compile(
    r"\s*(?:[Bb]oth|[Aa]ll|[Tt]hey|[Hh]e|[Ss]he)(?:\s+of\s+them)?\s+(?:are|is|were|was|remain|"
    r"remains|remained)\s+(?:in\s+(?:a\s+)?(?:stable|critical|serious|fair|good)\s+condition|"
    r"recovering|alive|being\s+treated|in\s+hospital)\b|\s*(?:[Bb]oth|[Aa]ll|[Tt]hey|[Hh]e|[Ss]he)"
    r"\s+survived\b"
)
"""The next sentence says the people hit lived: they were wounded."""
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


class _Reading(SecondClaims):
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
        self.layout = Layout(text, self.published)
        self.issuers = Issuers(text, self.published)
        self.figure_text = for_figures(text)
        self.speaker_text = names_unquoted(text)
        self.block: tuple[str, int] | None = None
        """Who speaks a statement quoted at length, and where the quotation ends."""
        self.broadcast = broadcaster(
            text, gazetteer, self.publisher.name if self.publisher else None
        )
        self.presenters: set[str] = set()
        self.reader: tuple[int, int] | None = None
        """Who read out the statement of the sentence being read, if it says so."""

    def draft(self) -> ExtractedDraft:
        for start, end in sentences(self.text):
            if (
                start == 0
                and opens_on_headline(self.text)
                and not headline_is_claim(self.text, self.figure_text, end)
            ):
                continue  # a headline repeats what the article says
            if len(self.claims) == MAX_ITEMS or self.book.full():
                break  # a draft holds that many; the rest of a longer text is left out
            for clause in clauses(self.text, start, end):
                if len(self.claims) < MAX_ITEMS and not self.book.full():
                    self._sentence(clause)
        publisher = self.publisher.name if self.publisher else None  # relays named once hold
        fill_relays(self.text, self.claims, self.relays, self.book, (self.gazetteer, publisher))
        return ExtractedDraft(actors=list(self.book.actors.values()), claims=self.claims)

    def _sentence(self, clause: Clause) -> None:
        text, start, end = self.text, clause.start, clause.end
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        start, end = start + lead, start + len(text[start:end].rstrip())
        said_end = quote_attribution_end(text, start, end) or end  # '"… . …," she said'
        self.reader = None
        if retracts(text, start) and given_by(self.speaker_text, start, said_end) is None:
            return  # "An earlier version of this article said …": retracted, no one's claim
        found: Found | None
        if clause.narration or clause.speaker:
            found = clause.speaker  # the writer's narration, or whom the structure names
        elif (read := statement_read(text, start, said_end)) is not None:
            (author, self.reader) = read  # "the station read a statement from X saying …"
            found = Found(*author, None, author[1])
        else:
            named = self.speaker_text  # a nickname's quotation marks quote nothing
            in_letter = self.issuers.in_letter(start)
            found = (
                given_by(named, start, said_end)
                or quoted_speaker(named, start, said_end)
                or counted_by(named, start, said_end)
                or (papers_own_report(named, start, said_end) if in_letter else None)
                or find_speaker(named, start, said_end)
                or marked_source(named, start, said_end)
                or saying_subject(named, start, said_end)
                or shown_by(named, start, said_end)
            )
        answered = answer_at(self.interview, start) and (
            found is None or text[found.start : found.end].lower() in FIRST_PERSON
        )
        found = None if answered else found
        if self.block is not None and start < self.block[1] and found is not None:
            found = None if text[found.start : found.end].lower() in FIRST_PERSON else found
        first_person = found is not None and text[found.start : found.end].lower() in FIRST_PERSON
        if first_person and self.layout.author_at(start):
            found, first_person = None, False  # a diarist's "We admitted 38": the diarist's
        # a transcript's "NAME: … I will say …" is the labelled speaker's
        speaks = found is None or first_person or cited_to_us(text, found.end)  # "… tell us"
        label = labelled(text, start) if not answered and speaks else None
        transcribed = label is not None
        found = None if transcribed else found
        figures = figures_of(self.figure_text, start, end, self.last_figure)
        if _SURVIVED.match(text, end):
            for figure in figures:  # "Two guards were hit. Both are in stable condition."
                if figure.metric == "killed_or_wounded":
                    figure.metric = "wounded"
        self.statement_dates = []
        if figures:
            self.last_figure = figures[-1]
        claimant: str | None = None
        relay: str | None = None
        self.co_claimants = []
        narrated = self.narration.author_of(start, end) if found is None else None
        if found is None:
            self._remember_body_subject(start, end)
            self.book.titled_in(text, start, end)
            self.people.sentence_about(start, end)
        if answered:
            claimant = self._interviewee()
        elif found is None and label is not None:
            claimant = self._actor(*label.speaker)  # a transcript's "NAME:" paragraph
        elif found is None and (signers := self.papers.signed(start, end)):
            claimant, *self.co_claimants = [self._actor(*signer) for signer in signers]
            self.last["other"] = self.last["any"] = claimant  # '"…," said a letter signed by'
        elif found is not None:
            claimant, relay = self._claimant(found, start, said_end)
            self.narration.spoke(claimant, found.after, end)
        elif found is None and self.block is not None and start < self.block[1]:
            claimant = self.block[0]  # a sentence of a statement quoted at length
        elif text[start] in '"\u201c' and (section := self.issuers.section_at(start)):
            claimant = self._actor(*section)  # a quotation under its issuer's heading
        elif text[start] in '"\u201c' and self.last.get("any") and not self.layout.author_at(start):
            claimant = self.last.get("any")  # a quote alone, figures and all: the last speaker's
        elif figures:
            block = self.issuers.at(start)  # a bulletin's "Source:" line, a heading's issuer
            recorder = (
                recorded_by(text, start, end)
                or source_in_brackets(text, start, end)
                or (block.issuer if block else None)
            )
            claimant = (
                (self._actor(*recorder) if recorder else narrated)
                or (self._actor(*diarist) if (diarist := self.layout.author_at(start)) else None)
                or self._publisher()
                or self.last.get("any")
            )
        elif text[start] in '"\u201c':
            claimant = self.last.get("any")  # a quote alone: the nearest speaker's
        if claimant is None:
            return
        if answered:
            stated = self._interview_date()
        elif transcribed:
            assert label is not None  # as `transcribed` says
            stated = self._transcript_date(claimant, start, label.occasion)
        else:
            # a statement read out was said when it was read ("During Sunday's programme,
            # the station read a statement from X saying …")
            said = Found(*self.reader, None, self.reader[1]) if self.reader else found
            stated = self._stated(said, claimant, start, said_end)
        outside_block = self.block is None or start >= self.block[1]
        reproduced = open_quotation(text, start, end) if found and outside_block else None
        if (
            reproduced
            and self.published
            and (own := own_date_line(text, *reproduced, self.published))
        ):
            stated = self.dated[claimant] = own  # "Port Nira, 3 March 2027" heads the statement
        self.details.fill(
            figures,
            start,
            end,
            claimant,
            stated.on if stated else None,
            self.statement_dates,
            stated.precision if stated else "day",
        )
        basis = text[found.basis[0] : found.basis[1]].strip() if found and found.basis else None
        basis = basis[:MAX_CLAIM_CHARS] if basis else None
        aside = self._background(found, figures)
        if aside is not None:
            figures = [f for f in figures if not aside[0] <= f.span.start < aside[1]]
        figures, disputed = self._disputed(claimant, start, figures)  # "disputed X's toll of"
        figures, earlier = self._earlier(figures)  # "up from 25,000 in its first estimate on …"
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
        if aside is not None:
            self._publisher_aside(*aside)
        self._owners_claims(disputed, start, end)
        self._earlier_claims(claimant, earlier, start, end)
        if (block_end := quoted_block_end(text, end) or listed_items_end(text, end)) is not None:
            self.block = (claimant, block_end)  # 'the group said:' and its statement or list
        elif (block_end := quoted_paragraph_end(text, start, end)) is not None:
            self.block = (claimant, block_end)  # a statement quoted whole, items and all
        elif reproduced is not None:
            self.block = (claimant, reproduced[1])  # its first line that names its speaker

    def _remember_body_subject(self, start: int, end: int) -> None:
        subject = _BODY_SUBJECT.match(self.text, start, end)
        if subject is None:
            return
        group = "body" if subject.group("body") else "name"
        phrase = subject.group(group)
        if phrase.lower() in PRONOUNS:
            return  # "It gave no breakdown": the body it names is the last one that spoke
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

    def _transcript_date(
        self, claimant: str, start: int, occasion: tuple[int, int] | None
    ) -> Stated | None:
        """A transcript's answers were said on the occasion its introduction names
        ("a transcript of Wednesday's briefing"), else as any claim is dated."""
        said_on = date_near(self.text, *occasion) if occasion and self.published else None
        stated = resolve(said_on, self.published) if said_on and self.published else None
        if stated is None:
            return self._stated(None, claimant, start, start)
        self.dated[claimant] = stated
        return stated

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
        diarist = self.layout.author_at(sentence_start)
        block = self.issuers.at(sentence_start)
        if block and (
            block.named_by == "heading"
            or (found is None and claimant == self._actor(*block.issuer))
        ):
            # the date a reproduced bulletin's first line gives; a review's section's edition
            stated = block.on
        if found is not None or (diarist and claimant == self._actor(*diarist)) or block:
            stated = stated or self.layout.said_on(sentence_start)  # an entry's, an occasion's
        return stated or self.dated.get(claimant) or Stated(self.published, "day")
