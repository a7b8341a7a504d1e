"""What a claim's figures cover and count, once its claimant and date are known: each
figure's period (`periods.py`, against the day the claim was stated), its accumulation (a
running total "since …", or a bounded stretch; a count whose sentence places nothing in
time covers the story's incident, the stretch the text dated first), and its subject
(`subjects.py`: the party counted, matched through the actor book)."""

import re
from datetime import date
from typing import Final

from claimledger_server.common import Precision
from claimledger_server.extractions.actors import ActorBook
from claimledger_server.extractions.gazetteer import Gazetteer, normalize
from claimledger_server.extractions.number_of import brought_to
from claimledger_server.extractions.periods import nearest, periods_in, times_otherwise
from claimledger_server.extractions.schemas import DraftFigure
from claimledger_server.extractions.standing import standing_at
from claimledger_server.extractions.subject_phrases import (
    bodies_named_after,
    firers_before,
    force_named,
    owned_by_speaker,
    part_of_earlier,
)
from claimledger_server.extractions.subjects import (
    DEMONYM,
    after_number,
    counted_words,
    generic_force,
    losers_before,
    new_party_name,
    parties_before,
    party_names,
)
from claimledger_server.figures.schemas import Period


class FigureDetails:
    """Fills in `period`, `accumulation` and `subject_ref` of the figures of one text, claim
    by claim, in order (a count of soldiers that names no party takes the party its
    claimant counted last)."""

    def __init__(self, text: str, book: ActorBook, gazetteer: Gazetteer) -> None:
        self.text = text
        self.book = book
        self.gazetteer = gazetteer
        self.last_subject: dict[str, str] = {}
        """The party each claimant counted last, by claimant ref."""
        self.carried: str | None = None
        """The party the claimant of the sentence being read counted before it."""
        self.owner_of: dict[str, str] = {}
        """The party whose things of each unit the text counted last ("drones": Russia's)."""
        self.incident_by: str | None = None
        """Who dated the story's incident."""
        self.incident: Period | None = None
        """The stretch the text's first dated count of what happened covers (the lead's):
        what a later count of the story covers when its sentence places nothing in time (for
        a stretch longer than an incident, only a later count by `incident_by`)."""

    def fill(
        self,
        figures: list[DraftFigure],
        start: int,
        end: int,
        claimant: str,
        stated: date | None,
        statement_dates: list[tuple[int, int]],
        stated_precision: Precision = "day",
    ) -> None:
        found = (
            periods_in(self.text, start, end, stated, statement_dates, stated_precision)
            if stated
            else []
        )
        untimed = not times_otherwise(self.text, start, end, statement_dates)
        previous: DraftFigure | None = None
        self.carried = self.last_subject.get(claimant)  # from the claimant's earlier sentences
        for figure in figures:
            period = nearest(found, figure.span.start, figure.span.end)
            total = brought_to(self.text, figure.span.start)
            if total is not None and not (period and total <= period.start < figure.span.start):
                # "…, bringing the toll to 41,788": a total, not the day the count before it
                # counted; a stretch the total names is its own ("… over the past week to 80")
                figure.accumulation = "cumulative"
                figure.period = period.period if period and period.kind == "since" else None
            elif period is not None:
                figure.period = period.period
                standing = figure.accumulation == "unknown" and (
                    period.kind != "since" or standing_at(self.text, *_offsets(figure))
                )
                if not standing:
                    # a standing count ("has 2,000 troops there", "600 of them are
                    # sheltering in churches") stays one, whatever stretch its sentence names
                    figure.accumulation = "cumulative" if period.kind == "since" else "incremental"
            elif previous is not None and _same_stretch(previous, figure):
                figure.period = previous.period  # "… on Tuesday killed three, …, adding that
                # 38 others were wounded": the incident the figure before it dated
            elif figure.accumulation == "incremental" and untimed and self._covers(claimant):
                figure.period = self.incident  # "Gunmen attacked the market on Sunday. …
                # The mayor said 12 shops were burned": the story's incident
            if self.incident is None and figure.accumulation == "incremental":
                self.incident = figure.period  # the lead's count: the story's own
                self.incident_by = claimant
            if previous is not None and previous.span.start == figure.span.start:
                figure.subject_ref = previous.subject_ref  # a second figure on the same words
            else:
                figure.subject_ref = self._subject(figure, start, claimant)
            previous = figure

    def _covers(self, claimant: str) -> bool:
        """Whether a count by `claimant` that its sentence does not date covers the story's
        incident: an incident (a day, a night) whoever counts it; a longer stretch ("in
        2025", "last week") only the tally of whom dated it."""
        incident = self.incident
        if incident is None:
            return False
        return claimant == self.incident_by or _one_incident(incident)

    def _subject(self, figure: DraftFigure, sentence_start: int, claimant: str) -> str | None:
        words = counted_words(figure.text or "")
        own_words = after_number(figure.text or "")
        subject = self._party(words, figure.span.start) or self._body_after(words, figure)
        if subject is None:
            for loser in losers_before(self.text, sentence_start, figure.span.start):
                if (subject := self._known(loser)) is not None:
                    break  # "the RSF had lost nearly 500 fighters"
        if subject is None and owned_by_speaker(own_words):
            speaker = self.book.actors.get(claimant)
            # a ministry's "its soldiers" are its state's army, not the ministry
            armed = speaker is not None and speaker.kind not in _NO_FORCE_OF_ITS_OWN
            subject = claimant if armed else None
        if subject is None and figure.unit != "people":
            subject = self._things_owner(figure, sentence_start, own_words)
        if subject is None and generic_force(words):
            named = parties_before(self.text, sentence_start, figure.span.start)
            for first, last in reversed(named):
                if (subject := self._party(self.text[first:last], first, new=False)) is not None:
                    break
            else:
                subject = self.carried or self._the_force(figure, claimant, words, own_words)
        if subject is not None:
            self.last_subject[claimant] = subject
            if figure.unit != "people":
                self.owner_of[figure.unit] = subject
        return subject

    def _the_force(
        self, figure: DraftFigure, claimant: str, words: str, own_words: str
    ) -> str | None:
        """ "Seven soldiers were killed", "two officers were wounded", said by someone else
        than a force: the one army, or the one police force, the draft has named so far.
        None when it has named several, for someone's own ("its soldiers"), soldiers of two
        sides ("soldiers and mercenaries"), a force sent (its sender's), or soldiers a state
        or a ministry counts (its own state's, whichever the text named)."""
        joined = _AND_OTHERS.match(self.text, figure.span.end)
        if figure.metric == "deployed" or joined or _POSSESSED.match(own_words):
            return None
        speaker = self.book.actors.get(claimant)
        if speaker is None or speaker.kind in ("state", "government_body", "armed_force"):
            return None
        forces = [
            ref
            for ref, actor in self.book.actors.items()
            if actor.kind in _FORCES and force_named(words, actor.name)
        ]
        return forces[0] if len(forces) == 1 else None

    def _body_after(self, words: str, figure: DraftFigure) -> str | None:
        """ "40 members of the Kivu Liberation Front (KLF)": the body named after the count,
        known under any of its names, else new when its name is a proper one."""
        after = self.text[figure.span.end : figure.span.end + 120]
        names = bodies_named_after(words, after)
        for name in names:
            if (ref := self._known(name)) is not None:
                return ref
        proper = names[0] if names and names[0][:1].isupper() else None
        if proper is None or DEMONYM.search(proper.split()[-1]) or self.book.full():
            return None
        first = self.text.find(proper, figure.span.end)
        return None if first < 0 else self.book.named(self.text, first, first + len(proper))

    def _things_owner(self, figure: DraftFigure, sentence_start: int, own_words: str) -> str | None:
        """Whose things a count counts: the party that launched them ("Russia launched 78
        drones"), or, for a part of them ("shot down 51 of the drones"), that of the count
        of the same things before it."""
        if part_of_earlier(own_words):
            return self.owner_of.get(figure.unit)
        for firer in firers_before(self.text, sentence_start, figure.span.start):
            if (subject := self._known(firer)) is not None:
                return subject
        return None

    def _party(self, words: str, near: int, new: bool = True) -> str | None:
        """The actor a phrase such as "RSF fighters" names: one the registry or the draft
        already knows under any of its names, else a new one named as the text names it."""
        for name in party_names(words):
            if (ref := self._known(name)) is not None:
                return ref
        party = new_party_name(words) if new else None
        if party is None or self.book.full():
            return None
        first = self.text.find(party, near)
        return None if first < 0 else self.book.named(self.text, first, first + len(party))

    def _known(self, name: str) -> str | None:
        """The actor the registry or the draft knows as `name`, if one is."""
        found = self.gazetteer.lookup(name)
        if len(found) == 1:
            return self.book.known(found[0], None)
        return self.book.by_name.get(normalize(name)) or self.book.referred(name)


_AND_OTHERS: Final = re.compile(
    r"[\"\u201d']?\s+and\s+[\"\u201c']?(?!(?:at|about|around|some|more|nearly|over|up|"
    r"several|dozens|hundreds|one|two|three|four|five|six|seven|eight|nine|ten)\b)[A-Za-z]"
)
"""After a count, more people counted in it: "soldiers and \"mercenaries\"" (not a count of
its own: "soldiers and about 40 militiamen")."""
_POSSESSED: Final = re.compile(r"(?:of\s+)?(?:its|their|our|his|her)\b")


def _offsets(figure: DraftFigure) -> tuple[int, int]:
    return figure.span.start, figure.span.end


def _one_incident(period: Period) -> bool:
    """Whether `period` is an incident's: a day, or a night across two."""
    if period.start is None or period.end is None or period.start_precision != "day":
        return False
    return (period.end - period.start).days <= 1


_FORCES: Final = frozenset({"armed_force", "government_body"})
"""The kinds of actor an army or a police is."""
_NO_FORCE_OF_ITS_OWN: Final = frozenset({"person", "state", "government_body", "media_outlet"})
"""Speakers whose "our soldiers" are another actor's: a person's, a state's or a ministry's."""


def _same_stretch(previous: DraftFigure, figure: DraftFigure) -> bool:
    """Whether `figure`, which names no period of its own, tells of the same incident as
    the figure before it in its claim, which does (both counts of one bounded stretch)."""
    return (
        previous.period is not None
        and previous.accumulation == "incremental"
        and figure.accumulation == "incremental"
    )
