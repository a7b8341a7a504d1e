"""`client.figures`: the numbers inside claims, exactly as stated, with derived bounds.

The generated classes (`claimledger._generated.resources.figures`) type `create`, `list` and
`update`; this adds `summary`, the competing figures, `timeline`, who said how many when
(a pager that also draws its chart, `plot()`), and `parse`, the quantity phrases of a text
read as figures.
"""

from __future__ import annotations

from typing import Unpack

from claimledger import charts
from claimledger._generated.models import (
    FigureGroup,
    FigureSummary,
    Quantity,
    TimelineEntry,
)
from claimledger._generated.operations import figures as ops
from claimledger._generated.operations.figures import FigureTimelineQuery, SummarizeFiguresQuery
from claimledger._generated.resources import figures as generated
from claimledger._generated.resources.figures import OPS
from claimledger._operation import Operation
from claimledger.pagination import AsyncPager, ListBody, SyncPager

# The timeline's filters that the summary shares: its derived entries are drawn beside the
# timeline's (each claimant's latest killed + wounded sum, like the explorer's chart).
SHARED_FILTERS = ("subject_id", "metric", "claimant_id", "stated_from", "stated_to", "as_of")
CHART_PAGE = 200  # the largest page the API gives


class TimelinePager(SyncPager[TimelineEntry]):
    """The timeline's entries, fetched a page at a time as you iterate; `plot()` charts them."""

    def plot(self) -> charts.PlotlyFigure:
        """Fetch every entry and draw the competing-figures chart the web explorer draws.

        One mark per entry at its `stated_on`, a bar from `low` to `high` (open above: a
        dotted bar up to a triangle), a colour per claimant, the summary's derived
        `killed_or_wounded` sums as diamonds; see `claimledger.charts`. Needs
        `claimledger-sdk[plot]` (an `ImportError` says so, before anything is fetched).
        Returns a `plotly.graph_objects.Figure`: a notebook shows it, `write_html()` saves it.
        """
        charts.require_plotly()
        timeline = _chart_pages(self._operation)
        entries = list(SyncPager(self._client, timeline))
        groups = list(SyncPager(self._client, _summary_of(timeline)))
        return _figure(timeline, entries, groups)


class AsyncTimelinePager(AsyncPager[TimelineEntry]):
    """The timeline's entries (`async for`); `await pager.plot()` charts them."""

    async def plot(self) -> charts.PlotlyFigure:
        """Fetch every entry and draw the explorer's chart; see `TimelinePager.plot`."""
        charts.require_plotly()
        timeline = _chart_pages(self._operation)
        entries = [entry async for entry in AsyncPager(self._client, timeline)]
        groups = [group async for group in AsyncPager(self._client, _summary_of(timeline))]
        return _figure(timeline, entries, groups)


def _chart_pages(
    timeline: Operation[ListBody[TimelineEntry]],
) -> Operation[ListBody[TimelineEntry]]:
    """Ask for pages as large as the API gives, unless a page size was asked for."""
    if timeline.query.get("limit") is None:
        return timeline.with_query(limit=CHART_PAGE)
    return timeline


def _summary_of(timeline: Operation[ListBody[TimelineEntry]]) -> Operation[FigureSummary]:
    shared = {name: timeline.query.get(name) for name in SHARED_FILTERS}
    summary = ops.summarize_figures(accumulation="cumulative", limit=CHART_PAGE)
    return summary.with_query(**shared)


def _figure(
    timeline: Operation[ListBody[TimelineEntry]],
    entries: list[TimelineEntry],
    groups: list[FigureGroup],
) -> charts.PlotlyFigure:
    unit = str(timeline.query.get("unit") or "people")
    metric = str(timeline.query["metric"])
    derived = charts.derived_entries(groups, metric=metric, unit=unit)
    return charts.timeline_figure(entries, derived, metric=metric, unit=unit)


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

    def timeline(self, **filters: Unpack[FigureTimelineQuery]) -> TimelinePager:
        """Iterate over running totals in the order they were stated: who said how many, when.

        One entry per cumulative figure and claimant, the data behind the chart. Filters:
        `subject_id` and `metric` (required), `unit`, `claimant_id`, `stated_from`,
        `stated_to`, `as_of`; `limit` is the page size. `.plot()` draws the chart
        (`claimledger-sdk[plot]`).
        """
        return TimelinePager(self._client, ops.figure_timeline(**filters))

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

    def timeline(self, **filters: Unpack[FigureTimelineQuery]) -> AsyncTimelinePager:
        """Iterate (`async for`) over who said how many, when; see `Figures.timeline`."""
        return AsyncTimelinePager(self._client, ops.figure_timeline(**filters))

    async def parse(self, *, text: str) -> list[Quantity]:
        """Find every quantity phrase of `text`; see `Figures.parse`."""
        return (await self._client.request(ops.parse_figures({"text": text}))).figures


__all__ = ["OPS", "AsyncFigures", "AsyncTimelinePager", "Figures", "TimelinePager"]
