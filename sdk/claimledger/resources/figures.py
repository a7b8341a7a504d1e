"""`client.figures`: the numbers inside claims, exactly as stated, with derived bounds.

The generated classes (`claimledger._generated.resources.figures`) type `create`, `list` and
`update`; this adds `summary`, the competing figures, `timeline`, who said how many when,
and `parse`, the quantity phrases of a text read as figures.
"""

from __future__ import annotations

from typing import Unpack

from claimledger._generated.models import FigureGroup, Quantity, TimelineEntry
from claimledger._generated.operations import figures as ops
from claimledger._generated.operations.figures import FigureTimelineQuery, SummarizeFiguresQuery
from claimledger._generated.resources import figures as generated
from claimledger._generated.resources.figures import OPS
from claimledger.pagination import AsyncPager, SyncPager


class Figures(generated.Figures):
    """Figures (`/v1/figures`): "over 3,000 killed" as `amount`, `qualifier`, `low`, `high`."""

    def summary(self, **filters: Unpack[SummarizeFiguresQuery]) -> SyncPager[FigureGroup]:
        """Iterate over competing figures: who says how many.

        Groups are per subject, metric, unit and accumulation. Each group has the envelope
        of its figures' bounds (`low`; `high`, `None` when one is unbounded above), how many
        figures and claimants there are, and each claimant's latest figure (or, for
        killed_or_wounded, an entry derived from killed + wounded) with its claim and
        sources. Filters: `subject_id`, `metric`, `accumulation`,
        `country`, `claimant_id`, `stated_from`, `stated_to`, `period_from`, `period_to`,
        `as_of`; `limit` is the page size.
        """
        return SyncPager(self._client, ops.summarize_figures(**filters))

    def timeline(self, **filters: Unpack[FigureTimelineQuery]) -> SyncPager[TimelineEntry]:
        """Iterate over running totals in the order they were stated: who said how many, when.

        One entry per cumulative figure and claimant, the data behind the chart. Filters:
        `subject_id` and `metric` (required), `unit`, `claimant_id`, `stated_from`,
        `stated_to`, `as_of`; `limit` is the page size.
        """
        return SyncPager(self._client, ops.figure_timeline(**filters))

    def parse(self, *, text: str) -> list[Quantity]:
        """Find every quantity phrase of `text`, read as the server reads a figure.

        Each `Quantity` has its span (`start`, `end`: code points into `text`) and words, its
        `kind` (`count`, or a measurement such as `percentage` or `money`), and for counts
        `qualifier`, `amount`, `amount_max`, `unit`, the `low`/`high` a figure stored with
        them gets, and the `metric` its words name, if any. Dates, years, times, ages and
        designations ("155th Brigade") are left out. Nothing is stored.

        Raises:
            PayloadTooLarge: `text` is longer than 100,000 characters.
        """
        return self._client.request(ops.parse_figures({"text": text})).figures


class AsyncFigures(generated.AsyncFigures):
    """Figures (`/v1/figures`) on an `AsyncClient`."""

    def summary(self, **filters: Unpack[SummarizeFiguresQuery]) -> AsyncPager[FigureGroup]:
        """Iterate (`async for`) over competing figures; see `Figures.summary`."""
        return AsyncPager(self._client, ops.summarize_figures(**filters))

    def timeline(self, **filters: Unpack[FigureTimelineQuery]) -> AsyncPager[TimelineEntry]:
        """Iterate (`async for`) over who said how many, when; see `Figures.timeline`."""
        return AsyncPager(self._client, ops.figure_timeline(**filters))

    async def parse(self, *, text: str) -> list[Quantity]:
        """Find every quantity phrase of `text`; see `Figures.parse`."""
        return (await self._client.request(ops.parse_figures({"text": text}))).figures


__all__ = ["OPS", "AsyncFigures", "Figures"]
