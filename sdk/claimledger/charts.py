"""The competing-figures chart in a notebook: `client.figures.timeline(...).plot()`.

    figure = client.figures.timeline(subject_id=troops.id, metric="killed_or_wounded").plot()
    figure                              # a notebook shows it; hover a mark for its words
    figure.write_html("troops.html")    # or a page of its own, readable offline

It is the chart the web explorer draws on its competing-figures page (`/explore/figures`),
with the same library — plotly, whose Python package embeds the plotly.js the explorer
serves — and the same traces, built by the same rules:

- one mark per timeline entry at its `stated_on` (entries without one cannot be placed on
  the time axis: they are not drawn, and the title counts them), at the stated `amount`
  kept within the bounds (without one mid-bounds, or the lower bound when open above); a
  circle for a stated figure, a diamond for a `killed_or_wounded` sum the summary derives
  from killed and wounded stated apart (each claimant's latest, as the summary lists them),
  a cross on the axis for a figure without a number ("some");
- a bar from `low` to `high`; when `high` is `None` (open above: "more than 3,000") a
  fainter, dotted bar from `low` to the top of the chart ending in a triangle;
- a colour per claimant: claimants ranked by their number of entries (most first; ties by
  name, compared character by character, then by id) take the colours of `PALETTE` in
  order; when there are more claimants than colours, the last colour is not used and the
  claimants from there on share `OTHERS_COLOUR` (one legend entry, "N other claimants").

plotly is an optional extra: `pip install 'claimledger-sdk[plot]'`. Without it `import
claimledger` works, and `plot()` raises an `ImportError` naming the extra before it
fetches anything. `timeline_figure()` draws entries you already have.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from claimledger._generated.models import ClaimantFigure, FigureGroup, TimelineEntry
from claimledger._wording import bounds_text, partial_date, plain, stated_text, words

PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#8C510A",
    "#7F3C8D",
    "#1B7837",
    "#B2182B",
    "#4D4D4D",
)
"""Okabe and Ito's colour-blind-safe palette, then a few more distinct colours."""
OTHERS_COLOUR = "#9A9A9A"
SYMBOLS = {"stated": "circle", "derived": "diamond", "unspecified": "x-thin-open"}
HOVER_CLAIM_LENGTH = 90
DAY_MS = 86_400_000
EPOCH = datetime.date(1970, 1, 1)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

Kind = Literal["stated", "derived"]
PlotlyFigure = Any
"""A `plotly.graph_objects.Figure` (plotly ships no type information)."""


@dataclass(frozen=True)
class Claimant:
    """A claimant of the chart: its colour, and whether that colour is its own."""

    id: str
    name: str
    entries: int
    colour: str
    own: bool


@dataclass(frozen=True)
class Point:
    """A mark of the chart, and the bar of its bounds."""

    kind: Kind
    stated_on: datetime.date
    low: int | None
    high: int | None
    y: float
    claimant: Claimant
    figure_id: str | None
    derived_from: list[str] | None
    claim_id: str
    hover: str


@dataclass(frozen=True)
class ChartModel:
    """What the chart shows: claimants in rank order, the points, and the undated entries."""

    claimants: list[Claimant]
    points: list[Point]
    undated: list[TimelineEntry]
    top: float
    """The top of the value axis: 12 % above the largest bound or mark (at least 11.2)."""


def require_plotly() -> Any:
    """Import plotly, or raise an ImportError naming the extra that installs it."""
    try:
        return importlib.import_module("plotly.graph_objects")
    except ImportError as exc:
        raise ImportError(
            "plot() needs plotly, which the SDK installs as an extra:"
            " pip install 'claimledger-sdk[plot]'",
            name="plotly",
        ) from exc


def derived_entries(
    groups: Iterable[FigureGroup], *, metric: str, unit: str = "people"
) -> list[ClaimantFigure]:
    """Return the summary's derived entries among the running totals of `metric` in `unit`.

    Only `killed_or_wounded` has any: sums of killed and wounded stated apart.
    """
    return [
        entry
        for group in groups
        if group.metric == metric and group.accumulation == "cumulative" and group.unit == unit
        for entry in group.claimants
        if entry.derived is not None
    ]


def chart_model(
    entries: Iterable[TimelineEntry], derived: Iterable[ClaimantFigure] = ()
) -> ChartModel:
    """Rank the claimants, give them colours, and place every dated entry."""
    entries, derived = list(entries), list(derived)
    counted: dict[str, list[Any]] = {}
    everyone: list[TimelineEntry | ClaimantFigure] = [*entries, *derived]
    for entry in everyone:
        name = entry.claimant.name if entry.claimant else entry.claimant_id
        counted.setdefault(entry.claimant_id, [entry.claimant_id, name, 0])[2] += 1
    ranked = sorted(counted.values(), key=lambda c: (-c[2], c[1], c[0]))
    coloured = len(PALETTE) - 1 if len(ranked) > len(PALETTE) else len(ranked)
    claimants = [
        Claimant(id_, name, count, PALETTE[i] if i < coloured else OTHERS_COLOUR, i < coloured)
        for i, (id_, name, count) in enumerate(ranked)
    ]
    by_id = {claimant.id: claimant for claimant in claimants}
    points: list[Point] = []
    undated: list[TimelineEntry] = []
    for entry in entries:
        if entry.stated_on is None:
            undated.append(entry)
        else:
            points.append(_point(entry, by_id[entry.claimant_id]))
    for item in derived:
        if item.derived is not None and item.claim.stated_on is not None:
            points.append(_point(item, by_id[item.claimant_id]))
    values = [v for p in points for v in (p.low, p.high, p.y) if v is not None]
    return ChartModel(claimants, points, undated, max([10, *values]) * 1.12)


def _point(entry: TimelineEntry | ClaimantFigure, claimant: Claimant) -> Point:
    """Place a dated timeline entry (a stated figure) or a derived entry of the summary."""
    claim = entry.claim
    if isinstance(entry, TimelineEntry):
        f = entry.figure
        kind: Kind = "stated"
        stated_on, precision = entry.stated_on, entry.stated_on_precision
        low, high, amount, figure_id, derived_from = f.low, f.high, f.amount, f.id, None
        what = f"“{plain(f.text)}”" if f.text else plain(stated_text(f))
    else:
        assert entry.derived is not None
        d = entry.derived
        kind, stated_on, precision = "derived", claim.stated_on, None
        low, high, amount, figure_id, derived_from = d.low, d.high, None, None, d.derived_from
        what = "derived: killed + wounded"
    assert stated_on is not None
    text = claim.text
    if len(text) > HOVER_CLAIM_LENGTH:
        text = text[: HOVER_CLAIM_LENGTH - 1] + "…"
    day = partial_date(stated_on, precision or claim.stated_on_precision)
    hover = [
        f"<b>{plain(claimant.name)}</b>, {plain(day)}",
        what,
        f"bounds: {plain(bounds_text(low, high))}",
        plain(text),
    ]
    return Point(
        kind=kind,
        stated_on=stated_on,
        low=low,
        high=high,
        y=_mark_value(amount, low, high),
        claimant=claimant,
        figure_id=figure_id,
        derived_from=derived_from,
        claim_id=claim.id,
        hover="<br>".join(hover),
    )


def _mark_value(amount: int | None, low: int | None, high: int | None) -> float:
    """Return the stated amount kept within the bounds (mid-bounds without one; 0 without)."""
    if low is None and high is None:
        return 0
    if amount is not None:
        value: float = amount
    elif high is None:
        value = low or 0
    else:
        value = ((low or 0) + high) / 2
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


def chart_traces(model: ChartModel) -> list[dict[str, Any]]:
    """Return the plotly traces of the chart, as the explorer's `chart.js` builds them."""
    top = model.top
    with_bounds = [p for p in model.points if p.low is not None]
    closed = [p for p in with_bounds if p.high is not None]
    open_above = [p for p in with_bounds if p.high is None]
    stripes = {
        "shape": "-",
        "fillmode": "overlay",
        "size": 6,
        "solidity": 0.45,
        "fgcolor": "#ffffff",
        "bgcolor": "rgba(0,0,0,0)",
    }
    traces = [
        _bars(closed, "bounds", top, {"opacity": 0.45, "line": {"width": 0}}),
        _bars(open_above, "open", top, {"opacity": 0.25, "line": {"width": 0}, "pattern": stripes}),
    ]
    # One trace per claimant with a colour of its own, then one for the rest: its legend
    # entry names the claimant. Stated figures first, so that the legend shows a circle.
    ranked = sorted(model.points, key=_legend_order)
    for claimant in (c for c in model.claimants if c.own):
        mine = [p for p in ranked if p.claimant is claimant]
        traces.append(_marks(mine, claimant.name, claimant.id))
    others = [p for p in ranked if not p.claimant.own]
    if others:
        count = len({p.claimant.id for p in others})
        traces.append(_marks(others, f"{count} other claimant{'' if count == 1 else 's'}", None))
    if open_above:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "▲ no upper bound",
                "x": [p.stated_on for p in open_above],
                "y": [top for _ in open_above],
                "marker": {
                    "symbol": "triangle-up",
                    "size": 10,
                    "color": [p.claimant.colour for p in open_above],
                },
                "hoverinfo": "skip",
                "meta": {"kind": "open-ends"},
            }
        )
    return _with_bar_widths(traces, model)


def _legend_order(point: Point) -> int:
    return 1 if point.kind == "derived" else 2 if point.low is None else 0


def _bars(items: Sequence[Point], kind: str, top: float, marker: dict[str, Any]) -> dict[str, Any]:
    def height(p: Point) -> float:
        assert p.low is not None
        if p.high is None:
            return top - p.low
        return max(p.high - p.low, top / 400)

    return {
        "type": "bar",
        "x": [p.stated_on for p in items],
        "base": [p.low for p in items],
        "y": [height(p) for p in items],
        "marker": {"color": [p.claimant.colour for p in items], **marker},
        "hoverinfo": "skip",
        "showlegend": False,
        "meta": {"kind": kind},
    }


def _marks(items: Sequence[Point], name: str, claimant_id: str | None) -> dict[str, Any]:
    """Draw marks: ● a stated figure, ◆ a derived sum, ✕ (on the axis) no number."""
    symbols = [
        SYMBOLS["derived"]
        if p.kind == "derived"
        else SYMBOLS["unspecified"]
        if p.low is None
        else SYMBOLS["stated"]
        for p in items
    ]
    colours = [p.claimant.colour for p in items]
    hollow = [symbol.endswith("-open") for symbol in symbols]
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [p.stated_on for p in items],
        "y": [p.y for p in items],
        "marker": {
            "symbol": symbols,
            "size": [9 if symbol == SYMBOLS["stated"] else 11 for symbol in symbols],
            "color": colours,
            "line": {
                "width": [2 if h else 1.5 for h in hollow],
                "color": [c if h else "#fff" for c, h in zip(colours, hollow, strict=True)],
            },
        },
        "customdata": [
            [p.figure_id, p.claimant.id, p.claim_id, p.low, p.high, p.derived_from, p.kind]
            for p in items
        ],
        "hovertext": [p.hover for p in items],
        "hoverinfo": "text",
        "hoverlabel": {"align": "left"},
        "meta": {"kind": "marks", "claimant_id": claimant_id},
    }


def _with_bar_widths(traces: list[dict[str, Any]], model: ChartModel) -> list[dict[str, Any]]:
    """Bars a fixed share of the time the chart spans (at least a day), whatever the span."""
    days = [(p.stated_on - EPOCH).days * DAY_MS for p in model.points]
    span = max(days) - min(days) if days else 0
    width = max(span / min(max(len(days) * 2, 60), 240), DAY_MS)
    for trace in traces:
        if trace["type"] == "bar":
            trace["width"] = [width for _ in trace["x"]]
    return traces


def layout(model: ChartModel, *, metric: str | None = None, unit: str = "people") -> dict[str, Any]:
    """Return the explorer's layout (wide screen), with a title saying what the chart shows."""
    what = f"{words(metric).capitalize()}: running totals" if metric else "Running totals"
    title = plain(f"{what}, by the day they were stated ({unit})")
    undated = len(model.undated)
    if undated:
        lost = f"{undated:,} figure{' has' if undated == 1 else 's have'} no statement date"
        title += f"<br><sup>{lost} and cannot be placed in time</sup>"
    return {
        "template": "none",
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "height": 500 + (20 if undated else 0),
        "margin": {"l": 56, "r": 12, "t": 52 + (20 if undated else 0), "b": 8},
        "barmode": "overlay",
        "bargap": 0,
        "hovermode": "closest",
        "font": {"family": FONT, "size": 13},
        "xaxis": {"type": "date", "automargin": True},
        "yaxis": {
            "title": {"text": plain(unit)},
            "range": [0, model.top * 1.04],
            "rangemode": "tozero",
            "separatethousands": True,
            "automargin": True,
        },
        "legend": {"orientation": "h", "y": -0.14, "yanchor": "top"},
        "plot_bgcolor": "#fff",
        "paper_bgcolor": "#fff",
    }


def timeline_figure(
    entries: Iterable[TimelineEntry],
    derived: Iterable[ClaimantFigure] = (),
    *,
    metric: str | None = None,
    unit: str = "people",
) -> PlotlyFigure:
    """Draw timeline entries (and the summary's derived entries) as the explorer does.

    Needs `claimledger-sdk[plot]`. Returns a `plotly.graph_objects.Figure`.
    """
    graph_objects = require_plotly()
    model = chart_model(entries, derived)
    return graph_objects.Figure(
        data=chart_traces(model), layout=layout(model, metric=metric, unit=unit)
    )


__all__ = [
    "OTHERS_COLOUR",
    "PALETTE",
    "SYMBOLS",
    "ChartModel",
    "Claimant",
    "PlotlyFigure",
    "Point",
    "chart_model",
    "chart_traces",
    "derived_entries",
    "layout",
    "require_plotly",
    "timeline_figure",
]
