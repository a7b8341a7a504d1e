"""`client.figures.timeline(...).plot()`: the competing-figures chart in a notebook, drawn by
the rules of docs/design.md ("The chart of competing figures"). Against a live server on
the labelled reporting (tests/figures/real_reporting.ndjson) and the seed article, the
figure's traces are the API's timeline: one mark per dated entry, a bar per bounded one,
open ends drawn open, a colour per claimant, the summary's derived sums as diamonds.
Without plotly, `plot()` says which extra to install. (That the explorer draws exactly
these traces is tests/explore/test_chart_parity.py.)"""

import asyncio
import datetime as dt
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import claimledger
import httpx
import msgspec
import pytest
from claimledger import charts
from claimledger.models import TimelineEntry
from claimledger_server.cli import seed_directory
from support.databases import fresh_database, make_key
from support.live_server import ROOT, live_server

METRIC = "killed_or_wounded"
SUBJECTS = [
    "actor:north-korean-troops-in-russia",
    "rr:actor:north-korean-troops",
    "rr:actor:russian-forces",
]


@pytest.fixture(scope="module")
async def labelled_database(server_dsn: str) -> AsyncIterator[tuple[str, str, str]]:
    """A database of its own with the seed article (as `make serve` loads it); a write key
    (to import the labelled reporting through the API) and a read key."""
    async with fresh_database(server_dsn, "claimledger_sdk_plot") as dsn:
        await asyncio.to_thread(seed_directory, dsn, ROOT / "seeds")
        write = await make_key(dsn, "sdk-plot-write", ("write",))
        yield dsn, write, await make_key(dsn, "sdk-plot-read", ("read",))


@pytest.fixture(scope="module")
def labelled_server(
    labelled_database: tuple[str, str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    dsn, write_key, _ = labelled_database
    log = tmp_path_factory.mktemp("sdk-plot-server") / "uvicorn.log"
    with live_server(dsn, log, {"CLAIMLEDGER_WEBHOOK_WORKER": "0"}) as url:
        response = httpx.post(
            f"{url}/v1/import",
            content=(ROOT / "tests" / "figures" / "real_reporting.ndjson").read_bytes(),
            headers={
                "Authorization": f"Bearer {write_key}",
                "Content-Type": "application/x-ndjson",
            },
            timeout=60,
        )
        assert response.status_code == 200, response.text
        yield url


@pytest.fixture
def reader(labelled_server: str, labelled_database: tuple[str, str, str]) -> Iterator[Any]:
    with claimledger.Client(labelled_server, labelled_database[2], max_retries=0) as client:
        yield client


def traces(figure: Any, kind: str) -> list[Any]:
    return [trace for trace in figure.data if trace.meta["kind"] == kind]


def marks(figure: Any) -> list[dict[str, Any]]:
    """Every mark drawn, with what its trace says of it."""
    found = []
    for trace in traces(figure, "marks"):
        for i, data in enumerate(trace.customdata):
            figure_id, claimant_id, claim_id, low, high, derived_from, kind = data
            found.append(
                {
                    "figure_id": figure_id,
                    "claimant_id": claimant_id,
                    "claim_id": claim_id,
                    "low": low,
                    "high": high,
                    "derived_from": derived_from,
                    "kind": kind,
                    "stated_on": trace.x[i],
                    "y": trace.y[i],
                    "symbol": trace.marker.symbol[i],
                    "colour": trace.marker.color[i],
                    "trace": trace.name,
                    "trace_claimant": trace.meta["claimant_id"],
                }
            )
    return found


@pytest.mark.parametrize("subject", SUBJECTS)
def test_the_chart_is_the_timeline_and_the_summarys_derived_sums(reader: Any, subject: str) -> None:
    (actor,) = reader.actors.list(external_id=subject)
    entries = list(reader.figures.timeline(subject_id=actor.id, metric=METRIC))
    summary = list(reader.figures.summary(subject_id=actor.id, metric=METRIC))
    derived = [
        entry
        for group in summary
        if group.accumulation == "cumulative" and group.unit == "people"
        for entry in group.claimants
        if entry.derived
    ]
    dated = [e for e in entries if e.stated_on is not None]
    assert dated, "the labelled reporting has a timeline for this subject"

    figure = reader.figures.timeline(subject_id=actor.id, metric=METRIC).plot()
    drawn = marks(figure)
    stated = [m for m in drawn if m["kind"] == "stated"]
    wanted = {
        (e.figure.id, e.claimant_id, e.claim.id, e.figure.low, e.figure.high, e.stated_on)
        for e in dated
    }
    got = [
        (m["figure_id"], m["claimant_id"], m["claim_id"], m["low"], m["high"], m["stated_on"])
        for m in stated
    ]
    assert len(got) == len(dated)
    assert set(got) == wanted
    for mark in stated:  # within its bounds, a circle; no number: a hollow cross on the axis
        if mark["low"] is None:
            assert (mark["y"], mark["symbol"]) == (0, "x-thin-open")
        else:
            assert mark["low"] <= mark["y"] <= (mark["high"] or mark["y"])
            assert mark["symbol"] == "circle"

    # Composites: the summary's derived sums, each a diamond at its claim's date.
    diamonds = [m for m in drawn if m["kind"] == "derived"]
    assert [(m["claim_id"], m["derived_from"], m["stated_on"]) for m in diamonds] == [
        (d.claim.id, d.derived.derived_from, d.claim.stated_on) for d in derived if d.derived
    ]
    assert {m["symbol"] for m in diamonds} <= {"diamond"}

    # A bar from low to high behind each bounded mark; open above: up to the top, with ▲.
    top = figure.layout.yaxis.range[1] / 1.04
    bounded = [(m["stated_on"], m["low"], m["high"]) for m in drawn if m["low"] is not None]
    (closed,) = traces(figure, "bounds")
    (open_bars,) = traces(figure, "open")
    bars = {
        (x, base, None if bar is open_bars else base + height)
        for bar in (closed, open_bars)
        for x, base, height in zip(bar.x, bar.base, bar.y, strict=True)
    }
    assert len(closed.x) + len(open_bars.x) == len(bounded)
    for x, low, high in bounded:
        if high is None:
            assert (x, low, None) in bars
        elif high - low >= top / 400:
            assert (x, low, high) in bars
    open_ends = [b for b in bounded if b[2] is None]
    assert len(open_bars.x) == len(open_ends)
    assert all(
        base + height == pytest.approx(top)
        for base, height in zip(open_bars.base, open_bars.y, strict=True)
    )
    assert open_bars.marker.pattern.shape == "-"  # dotted, and fainter than a closed bar
    assert open_bars.marker.opacity < closed.marker.opacity
    arrowheads = traces(figure, "open-ends")
    if open_ends:
        (heads,) = arrowheads
        assert sorted(heads.x) == sorted(x for x, _, _ in open_ends)
        assert list(heads.y) == [pytest.approx(top)] * len(open_ends)
        assert heads.marker.symbol == "triangle-up"
    else:
        assert arrowheads == []

    # A colour per claimant, in rank order (most entries first), one legend entry each.
    counts: dict[str, int] = {}
    names = {}
    for e in [*dated, *derived]:
        counts[e.claimant_id] = counts.get(e.claimant_id, 0) + 1
        names[e.claimant_id] = e.claimant.name if e.claimant else e.claimant_id
    assert len(counts) <= len(charts.PALETTE), "the labelled subjects have few claimants"
    ranked = sorted(counts, key=lambda c: (-counts[c], names[c], c))
    colour = {c: charts.PALETTE[i] for i, c in enumerate(ranked)}
    mark_traces = traces(figure, "marks")
    assert [t.meta["claimant_id"] for t in mark_traces] == ranked
    assert [t.name for t in mark_traces] == [names[c] for c in ranked]
    for mark in drawn:
        assert mark["colour"] == colour[mark["claimant_id"]]
        assert mark["trace_claimant"] == mark["claimant_id"]
    bar_colours = {
        (x, low): c
        for bar in (closed, open_bars)
        for x, low, c in zip(bar.x, bar.base, bar.marker.color, strict=True)
    }
    for mark in drawn:
        if mark["low"] is not None:
            assert bar_colours[(mark["stated_on"], mark["low"])] == mark["colour"]


async def test_the_async_client_draws_the_same_chart(
    reader: Any, labelled_server: str, labelled_database: tuple[str, str, str]
) -> None:
    (actor,) = reader.actors.list(external_id="rr:actor:north-korean-troops")
    query = {"subject_id": actor.id, "metric": METRIC}
    sync_figure = reader.figures.timeline(**query).plot()
    async with claimledger.AsyncClient(labelled_server, labelled_database[2]) as client:
        async_figure = await client.figures.timeline(**query).plot()
    assert async_figure.to_json() == sync_figure.to_json()
    assert len(traces(async_figure, "marks")) >= 3


def test_a_filter_narrows_the_chart(reader: Any, labelled_server: str) -> None:
    (actor,) = reader.actors.list(external_id="rr:actor:north-korean-troops")
    entries = list(reader.figures.timeline(subject_id=actor.id, metric=METRIC))
    claimant = entries[0].claimant_id
    figure = reader.figures.timeline(
        subject_id=actor.id, metric=METRIC, claimant_id=claimant
    ).plot()
    assert {m["claimant_id"] for m in marks(figure)} == {claimant}
    # As of a moment before anything was recorded: an empty chart, not an error.
    empty = reader.figures.timeline(
        subject_id=actor.id, metric=METRIC, as_of="2000-01-01T00:00:00Z"
    )
    assert marks(empty.plot()) == []


def entry(claimant: str, day: str | None, low: int | None, high: int | None, n: int) -> Any:
    """A timeline entry as the API sends it."""
    figure = {
        "id": f"fig_{n:04}", "version": 1, "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z", "deleted": False, "external_id": None,
        "claim_id": f"clm_{n:04}", "metric": "killed", "subject_id": "act_subject",
        "amount": low, "qualifier": "exact" if low == high else "at_least", "amount_max": None,
        "unit": "people", "text": None, "period": None, "accumulation": "cumulative",
        "location": None, "low": low, "high": high,
    }  # fmt: skip
    claim = {
        "id": f"clm_{n:04}", "text": f"Claim {n} <b>bold</b> & more" + "!" * 100,
        "stated_on": day, "stated_on_precision": "day", "claimant_id": claimant,
    }  # fmt: skip
    return msgspec.convert(
        {
            "claimant_id": claimant,
            "claimant": {"id": claimant, "name": f"Claimant {claimant[-2:]}", "kind": None},
            "stated_on": day,
            "stated_on_precision": "day" if day else None,
            "figure": figure,
            "claim": claim,
        },
        TimelineEntry,
    )


def test_more_claimants_than_colours_share_grey_after_the_first_ten() -> None:
    # Claimant k has 14 - k entries: the ranking is by count, so k is k-th.
    entries = [
        entry(f"act_c{k:02}", f"2025-01-{1 + i:02}", 10 * k, 10 * k, 100 * k + i)
        for k in range(13)
        for i in range(13 - k)
    ]
    model = charts.chart_model(reversed(entries))
    assert [c.id for c in model.claimants] == [f"act_c{k:02}" for k in range(13)]
    assert [c.colour for c in model.claimants[:10]] == list(charts.PALETTE[:10])
    assert {c.colour for c in model.claimants[10:]} == {charts.OTHERS_COLOUR}
    names = [t["name"] for t in charts.chart_traces(model) if t["meta"]["kind"] == "marks"]
    assert names == [f"Claimant {k:02}" for k in range(10)] + ["3 other claimants"]
    # Eleven claimants: every one has a colour of its own.
    eleven = charts.chart_model(e for e in entries if e.claimant_id < "act_c11")
    assert [c.colour for c in eleven.claimants] == list(charts.PALETTE)
    # A tie in entries goes by name.
    tied = charts.chart_model(
        [entry("act_b", "2025-01-01", 1, 1, 1), entry("act_a", None, 1, 1, 2)]
    )
    assert [c.id for c in tied.claimants] == ["act_a", "act_b"]


def test_undated_entries_are_counted_in_the_title_not_drawn() -> None:
    pytest.importorskip("plotly")
    entries = [
        entry("act_c01", "2025-01-01", 100, None, 1),
        entry("act_c01", None, 200, 200, 2),
        entry("act_c02", "2025-02-01", None, None, 3),
    ]
    figure = charts.timeline_figure(entries, metric="killed")
    assert "1 figure has no statement date" in figure.layout.title.text
    assert figure.layout.title.text.startswith("Killed: running totals")
    drawn = {m["figure_id"]: m for m in marks(figure)}
    assert set(drawn) == {"fig_0001", "fig_0003"}
    assert drawn["fig_0003"]["symbol"] == "x-thin-open"
    assert drawn["fig_0001"]["stated_on"] == dt.date(2025, 1, 1)
    # Hover text is text: the claim's markup is escaped and it is cut at 90 characters.
    (hover,) = next(t for t in figure.data if t.name == "Claimant 01").hovertext
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in hover
    assert hover.endswith("!…")
    assert "bounds: 100 or more" in hover


def test_plot_without_plotly_names_the_extra_and_fetches_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [m for m in sys.modules if m == "plotly" or m.startswith("plotly.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "plotly", None)  # `import plotly` raises ImportError
    # Nothing listens on port 9: a request would be an APIConnectionError, not this.
    with claimledger.Client("http://127.0.0.1:9", "clk_x", max_retries=0) as client:
        pager = client.figures.timeline(subject_id="act_x", metric="killed")
        with pytest.raises(ImportError, match=r"pip install 'claimledger-sdk\[plot\]'"):
            pager.plot()
