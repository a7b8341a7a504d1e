"""A labelled dataset of real, competing claims (North Korean troops in Russia's Kursk region,
and Russian and Ukrainian losses there, October 2024 - June 2025), loaded through the Python
SDK into a live server, then read back through the competing-figures summary and the timeline.

Every expected value below is written out by hand from `real_reporting.md` (the labels of
`real_reporting.ndjson`): bounds, envelopes, counts, each claimant's latest entry, the derived
composites and the timeline order. Nothing is recomputed with the server's formulas.

Shapes beyond DESIGN.md's names are those of `figures/schemas.py`: a group has
`accumulation`, `figure_count`, `derived_count`, `claimant_count`, `unspecified_count` and
`claimants[]`; an entry of `claimants[]` has `claimant_id`, `figure_count`, `derived_count`,
`claim` (with `claimant_id`, `co_claimant_ids`, `stated_on`) and exactly one of `figure` /
`derived` (`derived_from`, `low`, `high`, `period`); the timeline is a flat paginated list of
`{claimant_id, stated_on, figure, claim}` with one entry per claimant of a joint statement.
The SDK method for the timeline is assumed to be `client.figures.timeline(...)`."""

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import claimledger
import httpx
import pytest
from claimledger.operations import bulk
from support.live_server import live_server

DATA = Path(__file__).with_name("real_reporting.ndjson")
RESOURCE = {"actor": "actors", "source": "sources", "claim": "claims", "figure": "figures"}

# The ten qualifiers of DESIGN.md, all of which the dataset must use.
QUALIFIERS = {
    "exact",
    "approximately",
    "nearly",
    "at_least",
    "more_than",
    "at_most",
    "fewer_than",
    "range",
    "vague",
    "unspecified",
}

# The signatories of the joint statement of 5 November 2024 (claimant first).
G7_PLUS = [
    "australia",
    "canada",
    "france",
    "germany",
    "italy",
    "japan",
    "south-korea",
    "new-zealand",
    "united-kingdom",
    "united-states",
    "european-union",
]

# Hand-computed bounds of every figure (real_reporting.md, column "bounds").
BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "blinken-2024-10-31-deployed": (9000, 11000),  # approximately 10,000
    "ryder-2024-11-04-deployed": (11000, 12000),  # range 11,000..12,000
    "g7-2024-11-05-deployed": (3000, 9000),  # vague "several thousand", given
    "zelenskyy-2024-11-07-casualties": (None, None),  # unspecified
    "syrskyi-2024-11-killed": (7905, 7905),  # exact
    "syrskyi-2024-11-wounded": (12220, 12220),  # exact
    "syrskyi-2024-11-armoured-vehicles": (276, 276),  # exact, unit armoured-vehicles
    "russian-mod-2024-12-02-daily": (251, None),  # more than 250
    "russian-mod-2024-12-02-total": (37356, None),  # more than 37,355
    "gur-2024-12-16-casualties": (30, None),  # at least 30
    "us-official-2024-12-17-casualties": (300, 900),  # vague "several hundred", given
    "nis-2024-12-19-killed": (100, None),  # at least 100
    "nis-2024-12-19-wounded": (900, 999),  # nearly 1,000
    "zelenskyy-2024-12-23-casualties": (3001, None),  # more than 3,000
    "kirby-2024-12-27-week": (1000, 1000),  # exact
    "zelenskyy-2025-01-04-battalion": (0, 1),  # at most 1 battalion
    "zelenskyy-2025-01-06-killed": (13500, 16500),  # approximately 15,000
    "zelenskyy-2025-01-06-losses": (38001, None),  # more than 38,000
    "zelenskyy-2025-01-11-captured": (2, 2),  # exact
    "nis-2025-01-13-killed": (270, 330),  # approximately 300
    "nis-2025-01-13-wounded": (2430, 2970),  # approximately 2,700
    "western-officials-2025-01-killed": (900, 1100),  # approximately 1,000
    "jcs-2025-03-deployed": (2700, 3300),  # approximately 3,000
    "jcs-2025-03-casualties": (3600, 4400),  # approximately 4,000
    "nis-2025-04-30-casualties": (4230, 5170),  # approximately 4,700
    "nis-2025-04-30-killed": (540, 660),  # approximately 600
    "nis-2025-04-30-deployed": (15000, 15000),  # exact
    "csis-2025-06-03-territory": (0, 9),  # fewer than 10 per mille ("less than 1 percent")
    "uk-mod-2025-06-15-casualties": (6001, None),  # more than 6,000
    "uk-mod-2025-06-15-deployed": (9900, 12100),  # approximately 11,000
}


def read_lines() -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in DATA.read_text().splitlines() if raw.strip()]


def short(external_id: str) -> str:
    """`rr:figure:kirby-2024-12-27-week` → `kirby-2024-12-27-week`."""
    return external_id.split(":", 2)[2]


# ------------------------------------------------------------------ the dataset itself


def test_the_dataset_covers_what_its_labels_say() -> None:
    lines = read_lines()
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RESOURCE}
    seen: set[str] = set()

    def refs(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            for item in value.values():
                yield from refs(item)
        elif isinstance(value, list):
            for item in value:
                yield from refs(item)
        elif isinstance(value, str) and value.startswith("ext:"):
            yield value.removeprefix("ext:")

    for line in lines:
        assert set(line) == {"kind", "external_id", "data"}
        assert line["external_id"].startswith(f"rr:{line['kind']}:")
        for target in refs(line["data"]):
            assert target in seen, f"{line['external_id']} refers to {target} before it"
        assert line["external_id"] not in seen
        seen.add(line["external_id"])
        by_kind[line["kind"]].append(line)

    actors = {short(a["external_id"]): a["data"] for a in by_kind["actor"]}
    sources = [s["data"] for s in by_kind["source"]]
    claims = {short(c["external_id"]): c["data"] for c in by_kind["claim"]}
    figures = {short(f["external_id"]): f["data"] for f in by_kind["figure"]}
    assert (len(actors), len(sources), len(claims), len(figures)) == (41, 27, 20, 30)
    assert len(claims) >= 15
    assert set(figures) == set(BOUNDS)

    assert {f.get("qualifier", "exact") for f in figures.values()} == QUALIFIERS
    assert {f["accumulation"] for f in figures.values()} == {"cumulative", "incremental"}
    assert {f.get("unit", "people") for f in figures.values()} == {
        "people",
        "battalion",
        "armoured-vehicles",
        "per-mille",
    }
    # Vague figures carry the caller's bounds, and only they do.
    for name, fig in figures.items():
        given = (fig.get("low"), fig.get("high"))
        if fig.get("qualifier") == "vague":
            assert given == BOUNDS[name]
        else:
            assert given == (None, None)

    # Composites: claims stating killed and wounded apart, same subject, unit, accumulation
    # and period.
    parts: dict[tuple[str, str, str, str, str], set[str]] = {}
    for fig in figures.values():
        key = (
            fig["claim_id"],
            fig["subject_id"],
            fig.get("unit", "people"),
            fig["accumulation"],
            json.dumps(fig.get("period"), sort_keys=True),
        )
        parts.setdefault(key, set()).add(fig["metric"])
    composites = sorted(
        key[0] for key, metrics in parts.items() if {"killed", "wounded"} <= metrics
    )
    assert composites == [
        "ext:rr:claim:nis-2024-12-19",
        "ext:rr:claim:nis-2025-01-13",
        "ext:rr:claim:syrskyi-2024-11",
    ]

    # A joint statement, a two-step relay chain, a syndicated source.
    joint = [name for name, c in claims.items() if c.get("co_claimant_ids")]
    assert joint == ["g7-2024-11-05"]
    assert [
        claims["g7-2024-11-05"]["claimant_id"],
        *claims["g7-2024-11-05"]["co_claimant_ids"],
    ] == [f"ext:rr:actor:{key}" for key in G7_PLUS]
    chains = [
        (name, c["via_ids"], c["relayed_by_id"])
        for name, claim in claims.items()
        for c in claim.get("citations", [])
        if len(c.get("via_ids", [])) >= 2
    ]
    assert chains == [
        (
            "nis-2024-12-19",
            ["ext:rr:actor:lee-seong-kweun", "ext:rr:actor:reuters"],
            "ext:rr:actor:ukrainska-pravda",
        )
    ]
    assert [s["republished_from_id"] for s in sources if "republished_from_id" in s] == [
        "ext:rr:source:bloomberg-2025-06"
    ]

    # Who: anonymous claimants, intelligence agencies, an international organisation.
    assert sorted(k for k, a in actors.items() if a.get("anonymous")) == [
        "us-senior-military-official",
        "western-officials",
    ]
    assert sorted(k for k, a in actors.items() if a.get("kind") == "intelligence_agency") == [
        "gur",
        "nis",
    ]
    assert [k for k, a in actors.items() if a.get("kind") == "international_organization"] == [
        "european-union"
    ]

    # Dates: every source is known to the day or the month only (no instant); month
    # precision on claims, on periods' starts and ends.
    assert all("published_at" not in s and "published_on" in s for s in sources)
    assert {s.get("published_on_precision", "day") for s in sources} == {"day", "month"}
    assert sorted(n for n, c in claims.items() if c.get("stated_on_precision") == "month") == [
        "jcs-2025-03",
        "syrskyi-2024-11",
        "western-officials-2025-01",
    ]
    month_starts = sorted(
        n for n, f in figures.items() if (f.get("period") or {}).get("start_precision") == "month"
    )
    assert month_starts == [
        "csis-2025-06-03-territory",
        "jcs-2025-03-deployed",
        "nis-2024-12-19-killed",
        "nis-2024-12-19-wounded",
    ]
    assert figures["jcs-2025-03-deployed"]["period"]["end_precision"] == "month"


# ---------------------------------------------------------------- loaded through the SDK


@dataclass
class World:
    client: claimledger.Client
    url: str
    key: str
    ids: dict[str, str]
    """short external id (`kirby`, `kirby-2024-12-27-week`…) → the id the server gave."""
    labels: dict[str, str]
    """The reverse: server id → short external id."""
    created: dict[str, Any]
    """short external id → the created resource as the SDK returned it."""

    def fig(self, name: str) -> str:
        return self.ids[name]

    def groups(self, **filters: Any) -> dict[tuple[str, str, str, str], Any]:
        """The summary's groups, keyed by (subject, metric, unit, accumulation) with the
        subject as its short external id."""
        found: dict[tuple[str, str, str, str], Any] = {}
        for group in self.client.figures.summary(limit=3, **filters):
            key = (self.labels[group.subject_id], group.metric, group.unit, group.accumulation)
            assert key not in found, f"two groups for {key}"
            found[key] = group
        return found

    def entries(self, group: Any) -> list[tuple[str, str]]:
        """Each claimant's latest entry, in the order given: (claimant, figure or derived)."""
        out = []
        for entry in group.claimants:
            assert (entry.figure is None) != (entry.derived is None), entry
            what = (
                self.labels[entry.figure.id]
                if entry.figure is not None
                else "derived:" + "+".join(self.labels[i] for i in entry.derived.derived_from)
            )
            out.append((self.labels[entry.claimant_id], what))
        return out


@pytest.fixture(scope="module")
def live_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("real-reporting-server") / "uvicorn.log"
    env = {"CLAIMLEDGER_WEBHOOK_WORKER": "0", "CLAIMLEDGER_API_KEY_CACHE_SECONDS": "0"}
    with live_server(database_url, log, env) as url:
        yield url


@pytest.fixture(scope="module")
def world(live_url: str, api_keys: dict[str, str]) -> Iterator[World]:
    """The dataset created through the SDK, line by line in file order (which is dependency
    order), under external ids unique to this run: the database is shared by the session."""
    run = uuid.uuid4().hex[:12]
    ids: dict[str, str] = {}
    created: dict[str, Any] = {}

    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [resolve(item) for item in value]
        if isinstance(value, str) and value.startswith("ext:"):
            return ids[short(value.removeprefix("ext:"))]
        return value

    with claimledger.Client(live_url, api_keys["admin"], max_retries=0) as client:
        for line in read_lines():
            name = short(line["external_id"])
            resource = getattr(client, RESOURCE[line["kind"]])
            made = resource.create(
                **resolve(line["data"]), external_id=f"{line['external_id']}:{run}"
            )
            assert name not in ids
            ids[name] = made.id
            created[name] = made
        yield World(
            client, live_url, api_keys["admin"], ids, {v: k for k, v in ids.items()}, created
        )


def test_every_figure_has_the_hand_computed_bounds(world: World) -> None:
    for name, expected in BOUNDS.items():
        made = world.created[name]
        assert (made.low, made.high) == expected, name
        assert world.client.figures.get(made.id).low == expected[0]


def test_the_file_imports_as_is(world: World) -> None:
    """The file is also a valid `POST /v1/import` body, under its own external ids: the first
    import creates every line, a second one changes nothing."""
    body = DATA.read_bytes()
    first = world.client.request(bulk.import_resources(body))
    assert first.lines == 118
    assert (first.created + first.unchanged, first.updated) == (118, 0)
    again = world.client.request(bulk.import_resources(body))
    assert (again.lines, again.created, again.updated, again.unchanged) == (118, 0, 0, 118)


def test_summary_of_the_north_korean_troops(world: World) -> None:
    nk = world.ids["north-korean-troops"]
    groups = world.groups(subject_id=nk)
    expected = {
        # key: (low, high, figure_count, derived_count, claimant_count, unspecified_count)
        ("north-korean-troops", "killed_or_wounded", "people", "cumulative"): (
            300,
            None,
            6,
            2,
            5,
            1,
        ),
        ("north-korean-troops", "killed_or_wounded", "people", "incremental"): (
            30,
            None,
            2,
            0,
            2,
            0,
        ),
        # The battalion is its own group: never mixed with people.
        ("north-korean-troops", "killed_or_wounded", "battalion", "incremental"): (
            0,
            1,
            1,
            0,
            1,
            0,
        ),
        ("north-korean-troops", "killed", "people", "cumulative"): (100, None, 4, 0, 2, 0),
        ("north-korean-troops", "wounded", "people", "cumulative"): (900, 2970, 2, 0, 1, 0),
        ("north-korean-troops", "deployed", "people", "cumulative"): (3000, 15000, 5, 0, 15, 0),
        ("north-korean-troops", "deployed", "people", "incremental"): (2700, 3300, 1, 0, 1, 0),
        ("north-korean-troops", "captured", "people", "cumulative"): (2, 2, 1, 0, 1, 0),
    }
    assert set(groups) == set(expected)
    for key, numbers in expected.items():
        g = groups[key]
        got = (
            g.low,
            g.high,
            g.figure_count,
            g.derived_count,
            g.claimant_count,
            g.unspecified_count,
        )
        assert got == numbers, key

    def entries(metric: str, unit: str, accumulation: str) -> list[tuple[str, str]]:
        return world.entries(groups[("north-korean-troops", metric, unit, accumulation)])

    # Latest per claimant, the most recently stated first. Zelenskyy said "casualties" on
    # 7 Nov and "over 3,000" on 23 Dec: the later one is his. The NIS stated 4,700 on
    # 30 Apr, after its two composites (19 Dec, 13 Jan), so its stated figure is its latest.
    assert entries("killed_or_wounded", "people", "cumulative") == [
        ("uk-mod", "uk-mod-2025-06-15-casualties"),
        ("nis", "nis-2025-04-30-casualties"),
        ("jcs", "jcs-2025-03-casualties"),  # March 2025, month precision
        ("zelenskyy", "zelenskyy-2024-12-23-casualties"),
        ("us-senior-military-official", "us-official-2024-12-17-casualties"),
    ]
    per_claimant = {
        world.labels[e.claimant_id]: (e.figure_count, e.derived_count)
        for e in groups[
            ("north-korean-troops", "killed_or_wounded", "people", "cumulative")
        ].claimants
    }
    assert per_claimant == {
        "uk-mod": (1, 0),
        "nis": (1, 2),
        "jcs": (1, 0),
        "zelenskyy": (2, 0),
        "us-senior-military-official": (1, 0),
    }
    assert entries("killed_or_wounded", "people", "incremental") == [
        ("kirby", "kirby-2024-12-27-week"),
        ("gur", "gur-2024-12-16-casualties"),
    ]
    assert entries("killed_or_wounded", "battalion", "incremental") == [
        ("zelenskyy", "zelenskyy-2025-01-04-battalion")
    ]
    assert entries("killed", "people", "cumulative") == [
        ("nis", "nis-2025-04-30-killed"),
        ("western-officials", "western-officials-2025-01-killed"),
    ]
    assert entries("wounded", "people", "cumulative") == [("nis", "nis-2025-01-13-wounded")]
    assert entries("deployed", "people", "incremental") == [("jcs", "jcs-2025-03-deployed")]
    assert entries("captured", "people", "cumulative") == [
        ("zelenskyy", "zelenskyy-2025-01-11-captured")
    ]


def test_co_claimants_each_count_as_claimants(world: World) -> None:
    nk = world.ids["north-korean-troops"]
    group = world.groups(subject_id=nk, metric="deployed")[
        ("north-korean-troops", "deployed", "people", "cumulative")
    ]
    latest = dict(world.entries(group))
    assert latest == {
        "uk-mod": "uk-mod-2025-06-15-deployed",
        "nis": "nis-2025-04-30-deployed",
        **{signatory: "g7-2024-11-05-deployed" for signatory in G7_PLUS},
        "ryder": "ryder-2024-11-04-deployed",
        "blinken": "blinken-2024-10-31-deployed",
    }
    assert len(group.claimants) == group.claimant_count == 15
    # Most recently stated first: UK (15 Jun), NIS (30 Apr), the eleven (5 Nov), Ryder
    # (4 Nov), Blinken (31 Oct); the order among the eleven is the server's.
    order = [world.labels[e.claimant_id] for e in group.claimants]
    assert order[:2] == ["uk-mod", "nis"]
    assert sorted(order[2:13]) == sorted(G7_PLUS)
    assert order[13:] == ["ryder", "blinken"]
    joint = world.ids["g7-2024-11-05"]
    for entry in group.claimants[2:13]:
        assert entry.claim.id == joint
        assert entry.figure_count == 1
        assert entry.claim.claimant_id == world.ids["australia"]
        assert entry.claim.co_claimant_ids == [world.ids[s] for s in G7_PLUS[1:]]
        assert str(entry.claim.stated_on) == "2024-11-05"

    # Filtering by one co-claimant finds the joint figure.
    by_japan = world.groups(subject_id=nk, claimant_id=world.ids["japan"])
    assert list(by_japan) == [("north-korean-troops", "deployed", "people", "cumulative")]
    only = by_japan[("north-korean-troops", "deployed", "people", "cumulative")]
    assert (only.low, only.high, only.figure_count) == (3000, 9000, 1)
    assert world.ids["japan"] in {e.claimant_id for e in only.claimants}


def test_derived_composites(world: World) -> None:
    nk, ru = world.ids["north-korean-troops"], world.ids["russian-forces"]

    # Syrskyi states Russian killed (7,905) and wounded (12,220) apart and never a total:
    # his entry in killed_or_wounded is the derived 20,125. Zelenskyy's "more than 38,000"
    # stands beside it.
    groups = world.groups(subject_id=ru)
    assert set(groups) == {
        ("russian-forces", "killed", "people", "cumulative"),
        ("russian-forces", "wounded", "people", "cumulative"),
        ("russian-forces", "killed_or_wounded", "people", "cumulative"),
        ("russian-forces", "other", "armoured-vehicles", "cumulative"),
        ("russian-forces", "other", "per-mille", "incremental"),
    }
    numbers = {
        key[1:]: (g.low, g.high, g.figure_count, g.derived_count, g.claimant_count)
        for key, g in groups.items()
    }
    assert numbers == {
        ("killed", "people", "cumulative"): (7905, 16500, 2, 0, 2),
        ("wounded", "people", "cumulative"): (12220, 12220, 1, 0, 1),
        ("killed_or_wounded", "people", "cumulative"): (20125, None, 1, 1, 2),
        ("other", "armoured-vehicles", "cumulative"): (276, 276, 1, 0, 1),
        ("other", "per-mille", "incremental"): (0, 9, 1, 0, 1),
    }
    kow = groups[("russian-forces", "killed_or_wounded", "people", "cumulative")]
    assert world.entries(kow) == [
        ("zelenskyy", "zelenskyy-2025-01-06-losses"),
        ("syrskyi", "derived:syrskyi-2024-11-killed+syrskyi-2024-11-wounded"),
    ]
    derived = kow.claimants[1].derived
    assert (derived.low, derived.high) == (20125, 20125)  # 7,905 + 12,220
    assert derived.derived_from == [
        world.ids["syrskyi-2024-11-killed"],
        world.ids["syrskyi-2024-11-wounded"],
    ]
    assert str(derived.period.start) == "2024-08-06"
    assert kow.claimants[1].claim.id == world.ids["syrskyi-2024-11"]
    assert (kow.claimants[1].figure_count, kow.claimants[1].derived_count) == (0, 1)

    # Before the NIS stated a total (30 Apr), its latest killed_or_wounded entry is the
    # composite of 13 January: about 300 killed + about 2,700 wounded.
    until_january = world.groups(
        subject_id=nk, metric="killed_or_wounded", accumulation="cumulative", stated_to="2025-01-31"
    )
    assert list(until_january) == [
        ("north-korean-troops", "killed_or_wounded", "people", "cumulative")
    ]
    g = until_january[("north-korean-troops", "killed_or_wounded", "people", "cumulative")]
    assert (g.low, g.high, g.figure_count, g.derived_count, g.claimant_count) == (
        300,
        None,
        3,
        2,
        3,
    )
    assert world.entries(g) == [
        ("nis", "derived:nis-2025-01-13-killed+nis-2025-01-13-wounded"),
        ("zelenskyy", "zelenskyy-2024-12-23-casualties"),
        ("us-senior-military-official", "us-official-2024-12-17-casualties"),
    ]
    january = g.claimants[0].derived
    assert (january.low, january.high) == (2700, 3300)  # 270 + 2,430 and 330 + 2,970
    assert (g.claimants[0].figure_count, g.claimants[0].derived_count) == (0, 2)

    # And as of 19 December: at least 100 killed + nearly 1,000 wounded = at least 1,000,
    # unbounded above; the parts' period ("in December", month precision) is kept.
    december = world.groups(
        subject_id=nk,
        metric="killed_or_wounded",
        claimant_id=world.ids["nis"],
        stated_to="2024-12-31",
    )
    [(key, g)] = december.items()
    assert key == ("north-korean-troops", "killed_or_wounded", "people", "cumulative")
    assert (g.low, g.high, g.figure_count, g.derived_count, g.claimant_count) == (
        1000,
        None,
        0,
        1,
        1,
    )
    [entry] = g.claimants
    assert entry.figure is None
    assert entry.derived.derived_from == [
        world.ids["nis-2024-12-19-killed"],
        world.ids["nis-2024-12-19-wounded"],
    ]
    assert (entry.derived.low, entry.derived.high) == (1000, None)  # 100 + 900, and null
    assert str(entry.derived.period.start) == "2024-12-01"
    assert entry.derived.period.start_precision == "month"
    assert str(entry.derived.period.end) == "2024-12-19"


def test_filter_by_accumulation(world: World) -> None:
    nk = world.ids["north-korean-troops"]
    cumulative = world.groups(subject_id=nk, accumulation="cumulative")
    assert {key[1:] for key in cumulative} == {
        ("killed_or_wounded", "people", "cumulative"),
        ("killed", "people", "cumulative"),
        ("wounded", "people", "cumulative"),
        ("deployed", "people", "cumulative"),
        ("captured", "people", "cumulative"),
    }
    kow = cumulative[("north-korean-troops", "killed_or_wounded", "people", "cumulative")]
    assert (kow.low, kow.high, kow.figure_count, kow.derived_count) == (300, None, 6, 2)
    deployed = cumulative[("north-korean-troops", "deployed", "people", "cumulative")]
    assert (deployed.low, deployed.high, deployed.figure_count) == (3000, 15000, 5)

    incremental = world.groups(subject_id=nk, accumulation="incremental")
    assert {key[1:] for key in incremental} == {
        ("killed_or_wounded", "people", "incremental"),
        ("killed_or_wounded", "battalion", "incremental"),
        ("deployed", "people", "incremental"),
    }


def test_filter_by_period_uses_the_precision_rule(world: World) -> None:
    nk = world.ids["north-korean-troops"]
    # The JCS's "in January and February" is 2025-01 .. 2025-02 at month precision: its end
    # stands for 28 February, so a window from 15 February overlaps it (the day 2025-02-01
    # alone would not). The other incremental periods (14-15 Dec, 20-27 Dec, 3-4 Jan) do not.
    window = world.groups(
        subject_id=nk, accumulation="incremental", period_from="2025-02-15", period_to="2025-03-31"
    )
    assert list(window) == [("north-korean-troops", "deployed", "people", "incremental")]
    g = window[("north-korean-troops", "deployed", "people", "incremental")]
    assert (g.low, g.high, g.figure_count, g.claimant_count) == (2700, 3300, 1, 1)
    assert world.entries(g) == [("jcs", "jcs-2025-03-deployed")]
    # From 1 March nothing incremental is left.
    assert world.groups(subject_id=nk, accumulation="incremental", period_from="2025-03-01") == {}
    # Day precision: 15-19 December overlaps the HUR's 14-15 December, not Kirby's week.
    mid_december = world.groups(
        subject_id=nk, accumulation="incremental", period_from="2024-12-15", period_to="2024-12-19"
    )
    assert list(mid_december) == [
        ("north-korean-troops", "killed_or_wounded", "people", "incremental")
    ]
    g = mid_december[("north-korean-troops", "killed_or_wounded", "people", "incremental")]
    assert (g.low, g.high, g.figure_count) == (30, None, 1)
    assert world.entries(g) == [("gur", "gur-2024-12-16-casualties")]


def test_filter_by_stated_dates_uses_the_precision_rule(world: World) -> None:
    nk = world.ids["north-korean-troops"]
    # The JCS spoke in March 2025 (month precision): its span ends on 31 March, so it is
    # inside a window starting 15 March; the NIS spoke on 30 April; the UK on 15 June is out.
    spring = world.groups(
        subject_id=nk, metric="killed_or_wounded", stated_from="2025-03-15", stated_to="2025-05-31"
    )
    assert list(spring) == [("north-korean-troops", "killed_or_wounded", "people", "cumulative")]
    g = spring[("north-korean-troops", "killed_or_wounded", "people", "cumulative")]
    assert (g.low, g.high, g.figure_count, g.derived_count, g.claimant_count) == (
        3600,
        5170,
        2,
        0,
        2,
    )
    assert world.entries(g) == [
        ("nis", "nis-2025-04-30-casualties"),
        ("jcs", "jcs-2025-03-casualties"),
    ]
    # A window ending 2 March still meets March (its span starts on the 1st).
    early_march = world.groups(
        subject_id=nk, metric="deployed", stated_from="2025-03-02", stated_to="2025-03-02"
    )
    assert list(early_march) == [("north-korean-troops", "deployed", "people", "incremental")]


def test_timeline(world: World) -> None:
    nk = world.ids["north-korean-troops"]

    def timeline(metric: str, unit: str) -> list[tuple[str, str, str]]:
        return [
            (world.labels[e.claimant_id], world.labels[e.figure.id], str(e.stated_on))
            for e in world.client.figures.timeline(subject_id=nk, metric=metric, unit=unit, limit=2)
        ]

    # Every cumulative killed_or_wounded figure in people, by stated_on; no incremental ones
    # (HUR, Kirby), no battalion, and no derived entries (they are not figures).
    assert timeline("killed_or_wounded", "people") == [
        ("zelenskyy", "zelenskyy-2024-11-07-casualties", "2024-11-07"),
        ("us-senior-military-official", "us-official-2024-12-17-casualties", "2024-12-17"),
        ("zelenskyy", "zelenskyy-2024-12-23-casualties", "2024-12-23"),
        ("jcs", "jcs-2025-03-casualties", "2025-03-01"),
        ("nis", "nis-2025-04-30-casualties", "2025-04-30"),
        ("uk-mod", "uk-mod-2025-06-15-casualties", "2025-06-15"),
    ]
    # The joint statement is one entry per claimant; the JCS's incremental 3,000 is left out.
    deployed = timeline("deployed", "people")
    assert len(deployed) == 15
    figures_in_order = [
        f for i, (_, f, _) in enumerate(deployed) if i == 0 or deployed[i - 1][1] != f
    ]
    assert figures_in_order == [
        "blinken-2024-10-31-deployed",
        "ryder-2024-11-04-deployed",
        "g7-2024-11-05-deployed",
        "nis-2025-04-30-deployed",
        "uk-mod-2025-06-15-deployed",
    ]
    assert sorted(c for c, f, _ in deployed if f == "g7-2024-11-05-deployed") == sorted(G7_PLUS)
    # "Up to a battalion" was incremental: no running total to draw.
    assert timeline("killed_or_wounded", "battalion") == []
    assert timeline("killed", "people") == [
        ("nis", "nis-2024-12-19-killed", "2024-12-19"),
        ("western-officials", "western-officials-2025-01-killed", "2025-01-01"),
        ("nis", "nis-2025-01-13-killed", "2025-01-13"),
        ("nis", "nis-2025-04-30-killed", "2025-04-30"),
    ]


def test_relay_chain_and_syndication_read_back(world: World) -> None:
    claim = world.client.claims.get(world.ids["nis-2024-12-19"])
    assert claim.claimant_id == world.ids["nis"]
    raw = claim_dict(world, world.ids["nis-2024-12-19"])
    assert [c["via_ids"] for c in raw["citations"]] == [
        [world.ids["lee-seong-kweun"]],
        [world.ids["lee-seong-kweun"], world.ids["reuters"]],
    ]
    assert [c["relayed_by_id"] for c in raw["citations"]] == [
        world.ids["reuters"],
        world.ids["ukrainska-pravda"],
    ]
    source = source_dict(world, world.ids["menafn-2025-06-16"])
    assert source["republished_from_id"] == world.ids["bloomberg-2025-06"]
    assert (source["published_on"], source["published_on_precision"]) == ("2025-06-16", "day")
    bloomberg = source_dict(world, world.ids["bloomberg-2025-06"])
    assert (bloomberg["published_on"], bloomberg["published_on_precision"]) == (
        "2025-06-01",
        "month",
    )


def claim_dict(world: World, claim_id: str) -> dict[str, Any]:
    """The claim as JSON, whatever the SDK's model knows of it yet."""
    return raw_get(world, f"/v1/claims/{claim_id}")


def source_dict(world: World, source_id: str) -> dict[str, Any]:
    return raw_get(world, f"/v1/sources/{source_id}")


def raw_get(world: World, path: str) -> dict[str, Any]:
    response = httpx.get(
        f"{world.url}{path}", headers={"Authorization": f"Bearer {world.key}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
