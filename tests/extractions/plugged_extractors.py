"""Extractors the tests plug in through the `extractor` setting (test code only)."""

import time
from datetime import date
from pathlib import Path

from claimledger_server.extractions.gazetteer import Gazetteer
from claimledger_server.extractions.schemas import (
    DraftActor,
    DraftClaim,
    DraftFigure,
    DraftSource,
    ExtractedDraft,
    Span,
)


class FirstLineExtractor:
    """Takes the text's first line for a speaker's name, looked up in the gazetteer, and the
    rest for what they said: one claim, with "about 40" killed on the second line's first
    word if it is a number; the source's date is read off a `Dated YYYY-MM-DD` last line."""

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        name, _, rest = text.partition("\n")
        known = gazetteer.lookup(name)
        speaker = DraftActor(
            ref="speaker",
            name=name,
            kind="person",
            actor_id=known[0].id if len(known) == 1 else None,
            mentions=[Span(start=0, end=len(name))],
        )
        start = len(name) + 1
        said = rest.split("\n")[0]
        figures = []
        number = said.split(" ")[0]
        if number.isdigit():
            figures.append(
                DraftFigure(
                    metric="killed",
                    amount=int(number),
                    qualifier="approximately",
                    text=number,
                    span=Span(start=start, end=start + len(number)),
                )
            )
        claim = DraftClaim(
            ref="claim",
            claimant_ref="speaker",
            text=said,
            spans=[Span(start=start, end=start + len(said))],
            figures=figures,
        )
        found = None
        last = text.rstrip("\n").rsplit("\n", 1)[-1]
        if last.startswith("Dated "):
            found = DraftSource(published_on=date.fromisoformat(last.removeprefix("Dated ")))
        return ExtractedDraft(actors=[speaker], claims=[claim], source=found)


class OutOfBoundsExtractor:
    """A broken extractor: its claim's span runs past the end of the text."""

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        speaker = DraftActor(ref="a", name="Someone")
        claim = DraftClaim(
            ref="c", claimant_ref="a", text="x", spans=[Span(start=0, end=len(text) + 5)]
        )
        return ExtractedDraft(actors=[speaker], claims=[claim])


class FailingExtractor:
    """An extractor that raises."""

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        raise RuntimeError("the model is not loaded")


class WaitingExtractor:
    """Marks that it started (`<text>.started`), then drafts once the file its text names
    exists (for 10 s at most): a draft that lasts as long as the test wants."""

    def extract(self, text: str, source: DraftSource, gazetteer: Gazetteer) -> ExtractedDraft:
        Path(text + ".started").touch()
        deadline = time.monotonic() + 10
        while not Path(text).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        speaker = DraftActor(ref="a", name="Someone")
        claim = DraftClaim(ref="c", claimant_ref="a", text="waited")
        return ExtractedDraft(actors=[speaker], claims=[claim])
