"""Figures a sentence states that are not its speaker's claim, drafted as claims of their own:

- background about the speaker in a relative clause before its verb ("The coalition, which
  has about 900 troops in the country, said …"): the writer's, the publisher's claim;
- another party's figure the speaker disputes ("The army disputed the ministry's figure of
  31 dead, saying …", "rejected the rebels' toll of 200"): the figure is stated in the
  speaker's sentence but asserted by its owner, whose claim it stays (a speaker who cites
  another's figure keeps it: "citing the ministry's toll" is a basis);
- the speaker's own earlier figure, dated by the estimate it gave it in ("… had been
  displaced, up from 25,000 in its first estimate on Monday"): the same speaker's claim, on
  the day of that estimate."""

import re
from typing import Final

from claimledger_server.extractions.claimants import Claimants
from claimledger_server.extractions.figure_details import FigureDetails
from claimledger_server.extractions.figures_in_claims import figures_of
from claimledger_server.extractions.schemas import DraftClaim, DraftFigure, Span
from claimledger_server.extractions.speakers import Found
from claimledger_server.extractions.when import Stated, date_near, resolve

MAX_CLAIM_CHARS: Final = 20_000
MAX_FIGURES: Final = 100
"""A claim's figures the draft holds (`DraftClaim.figures`)."""
_BACKGROUND: Final = re.compile(
    r",\s*(?P<clause>(?:which|who)\s+(?:has|have|had|keeps|kept|maintains|maintained|deploys|"
    r"employs|hosts|numbers|runs)\b(?:[^,;\"\u201c\u201d]|(?<=\d),(?=\d{3}\b)){1,120}),"
)
"""What a speaker has, said of it in a relative clause before its verb (a number's
thousands separator, "about 4,000 troops", is no comma of the clause)."""
_DISPUTED: Final = re.compile(
    r"\b(?:disput|reject|deni|deny|question|contest|dismiss|challeng)\w*\s+(?:the\s+)?"
    r"(?P<owner>[^,;:\"\u201c\u201d]{2,60}?)['\u2019]s?\s+(?:[\w-]+\s+)?"
    r"(?:figure|toll|count|estimate|tally|number)\s+of\s+$"
)
"""Right before a figure another party gave that the speaker disputes: "disputed the
ministry's figure of", "rejected the rebels' death toll of"."""


_UP_FROM: Final = re.compile(
    r"\b(?:up|down|rising|falling|climbing|dropping)\s+from\s+(?:[\w-]+\s+){0,2}$"
)
_EARLIER_ESTIMATE: Final = re.compile(
    r"\s+(?:in|by)\s+(?:its|their|his|her|the)\s+(?:first|earlier|previous|initial|original|"
    r"last)\s+(?:estimate|count|toll|tally|report|update|assessment|figure|statement)\s+"
)
"""After an earlier figure: the estimate it was given in ("up from 25,000 in its first
estimate on Monday"), whose date follows."""


class SecondClaims(Claimants):
    """The claims `rules.py` drafts beside a sentence's own (see the module's docstring)."""

    figure_text: str
    details: FigureDetails

    def _background(
        self, found: Found | None, figures: list[DraftFigure]
    ) -> tuple[int, int] | None:
        """A relative clause between the speaker and the verb that says what the speaker
        has ("The coalition, which has about 900 troops in the country, said …"): the
        writer's background, not what was said; its figures are the publisher's claim."""
        if found is None or found.pronoun is not None or not figures or self._publisher() is None:
            return None
        aside = _BACKGROUND.search(self.text, found.end, found.after)
        if aside is None or not any(aside.start() <= f.span.start < aside.end() for f in figures):
            return None
        return aside.start("clause"), aside.end("clause")

    def _publisher_aside(self, start: int, end: int) -> None:
        publisher = self._publisher()
        assert publisher is not None  # `_background` finds none without one
        figures = figures_of(self.figure_text, start, end, None)
        self.details.fill(figures, start, end, publisher, self.published, [])
        stated = Stated(self.published, "day") if self.published else None
        self._second_claim(publisher, start, end, figures, stated)

    def _disputed(
        self, claimant: str, start: int, figures: list[DraftFigure]
    ) -> tuple[list[DraftFigure], list[tuple[str, DraftFigure]]]:
        """The sentence's own figures, and the figures it disputes with their owners."""
        own: list[DraftFigure] = []
        disputed: list[tuple[str, DraftFigure]] = []
        for figure in figures:
            match = _DISPUTED.search(
                self.text, max(start, figure.span.start - 120), figure.span.start
            )
            owner = self._actor(*match.span("owner")) if match is not None else claimant
            if owner == claimant:
                own.append(figure)
            else:
                disputed.append((owner, figure))
        return own, disputed

    def _earlier(
        self, figures: list[DraftFigure]
    ) -> tuple[list[DraftFigure], list[tuple[DraftFigure, Stated]]]:
        """The sentence's own figures, and the speaker's earlier ones with the date of the
        estimate each was given in."""
        own: list[DraftFigure] = []
        earlier: list[tuple[DraftFigure, Stated]] = []
        for figure in figures:
            start, end = figure.span.start, figure.span.end
            stated = self._estimate_date(end)
            if stated is not None and _UP_FROM.search(self.text, max(0, start - 40), start):
                earlier.append((figure, stated))
            else:
                own.append(figure)
        return own, earlier

    def _estimate_date(self, end: int) -> Stated | None:
        """The date of the earlier estimate named right after a figure that ends at `end`
        ("… in its first estimate on Monday"), if any."""
        estimate = _EARLIER_ESTIMATE.match(self.text, end)
        if estimate is None or self.published is None:
            return None
        dated = date_near(self.text, estimate.end(), estimate.end() + 40)
        if dated is None or dated.start() != estimate.end():
            return None
        return resolve(dated, self.published)

    def _earlier_claims(
        self, claimant: str, earlier: list[tuple[DraftFigure, Stated]], start: int, end: int
    ) -> None:
        """A claim of the speaker's for each earlier figure, on the day of its estimate."""
        for figure, stated in earlier:
            self._second_claim(claimant, start, end, [figure], stated)

    def _owners_claims(self, disputed: list[tuple[str, DraftFigure]], start: int, end: int) -> None:
        """A claim for each owner of a disputed figure, on the sentence, dated as the
        owner's claims are (its last date named, else the publication day)."""
        for owner, figure in disputed:
            stated = self.dated.get(owner) or (
                Stated(self.published, "day") if self.published else None
            )
            self._second_claim(owner, start, end, [figure], stated)

    def _second_claim(
        self, claimant: str, start: int, end: int, figures: list[DraftFigure], stated: Stated | None
    ) -> None:
        text = self.text[start:end][:MAX_CLAIM_CHARS]
        self.claims.append(
            DraftClaim(
                ref=f"c{len(self.claims) + 1}",
                claimant_ref=claimant,
                co_claimant_refs=[],
                text=text,
                quote=None,
                stated_on=stated.on if stated else None,
                stated_on_precision=stated.precision if stated else None,
                basis=None,
                relayed_by_ref=None,
                spans=[Span(start=start, end=start + len(text))],
                figures=figures[:MAX_FIGURES],
            )
        )
