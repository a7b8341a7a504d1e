"""What a claim's figures cover and count, once its claimant and date are known: each
figure's period (`periods.py`, against the day the claim was stated), its accumulation (a
running total "since …", or a bounded stretch), and its subject (`subjects.py`: the party
counted, matched through the actor book)."""

from datetime import date

from claimledger_server.extractions.actors import ActorBook
from claimledger_server.extractions.gazetteer import Gazetteer, normalize
from claimledger_server.extractions.periods import nearest, periods_in
from claimledger_server.extractions.schemas import DraftFigure
from claimledger_server.extractions.subjects import (
    counted_words,
    generic_force,
    losers_before,
    new_party_name,
    parties_before,
    party_names,
)


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

    def fill(
        self,
        figures: list[DraftFigure],
        start: int,
        end: int,
        claimant: str,
        stated: date | None,
        statement_dates: list[tuple[int, int]],
    ) -> None:
        found = periods_in(self.text, start, end, stated, statement_dates) if stated else []
        previous: DraftFigure | None = None
        self.carried = self.last_subject.get(claimant)  # from the claimant's earlier sentences
        for figure in figures:
            if (period := nearest(found, figure.span.start, figure.span.end)) is not None:
                figure.period = period.period
                figure.accumulation = "cumulative" if period.kind == "since" else "incremental"
            elif previous is not None and _same_stretch(previous, figure):
                figure.period = previous.period  # "… on Tuesday killed three, …, adding that
                # 38 others were wounded": the incident the figure before it dated
            if previous is not None and previous.span.start == figure.span.start:
                figure.subject_ref = previous.subject_ref  # a second figure on the same words
            else:
                figure.subject_ref = self._subject(figure, start, claimant)
            previous = figure

    def _subject(self, figure: DraftFigure, sentence_start: int, claimant: str) -> str | None:
        words = counted_words(figure.text or "")
        subject = self._party(words, figure.span.start)
        if subject is None and figure.metric == "killed_or_wounded":
            for loser in losers_before(self.text, sentence_start, figure.span.start):
                if (subject := self._known(loser)) is not None:
                    break  # "the RSF had lost nearly 500 fighters"
        if subject is None and generic_force(words):
            named = parties_before(self.text, sentence_start, figure.span.start)
            for first, last in reversed(named):
                if (subject := self._party(self.text[first:last], first, new=False)) is not None:
                    break
            else:
                subject = self.carried
        if subject is not None:
            self.last_subject[claimant] = subject
        return subject

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


def _same_stretch(previous: DraftFigure, figure: DraftFigure) -> bool:
    """Whether `figure`, which names no period of its own, tells of the same incident as
    the figure before it in its claim, which does (both counts of one bounded stretch)."""
    return (
        previous.period is not None
        and previous.accumulation == "incremental"
        and figure.accumulation == "incremental"
    )
