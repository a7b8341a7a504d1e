"""GET /v1/figures/summary: who says how many, group by group.

A group is (subject, metric, unit, accumulation): figures of different units or of a
running total and a weekly toll are different quantities and never share an envelope.
Every claimant of a claim (its claimant and each co-claimant) is a claimant of its figures.

Composites: a claim that gives `killed` and `wounded` apart also counts in the
`killed_or_wounded` group with a derived entry, their sum. The pairing is a property of
the claim, whatever the filters: the claim has exactly one `killed` and one `wounded`
figure of that subject, unit, accumulation and period (same dates and precisions, or no
dates on either), both state a number, and the claim states no `killed_or_wounded` figure
of that subject, unit and accumulation itself (a direct figure wins). Filters then keep a
derived entry when they keep both parts. Nothing derived is stored."""

from datetime import date, datetime
from typing import NamedTuple

import asyncpg
import msgspec

from claimledger_server.actors.store import ACTORS
from claimledger_server.claims.store import CLAIMS
from claimledger_server.common import Precision
from claimledger_server.figures.schemas import (
    Accumulation,
    ActorBrief,
    ClaimantFigure,
    ClaimBrief,
    DerivedFigure,
    FigureGroup,
    FigureSummary,
    Metric,
    Period,
    SourceBrief,
    SourcedCitation,
)
from claimledger_server.figures.store import FIGURES, claim_filters, period_filters
from claimledger_server.pagination import CursorPart, decode_keyset, encode_keyset
from claimledger_server.sources.store import SOURCES
from claimledger_server.versioning.lists import Filters
from claimledger_server.versioning.snapshots import current_at_if, documents, table_at

COMPOSITE = "killed_or_wounded"
PARTS = ("killed", "wounded")
"""killed_or_wounded = killed + wounded, the one composite metric; `derived_from` lists
the killed part, then the wounded one."""


class SummaryQuery(NamedTuple):
    subject_id: str | None
    metric: Metric | None
    accumulation: Accumulation | None
    country: str | None
    claimant_id: str | None
    stated_from: date | None
    stated_to: date | None
    period_from: date | None
    period_to: date | None
    as_of: datetime | None
    limit: int
    cursor: str | None


# A group's position in the order groups are listed:
# (subject_id or "", metric, unit, accumulation).
GroupKey = tuple[str, str, str, str]
# Version 2 since groups gained `accumulation`: a version-1 cursor names a position in an
# order that no longer exists, so it is refused like any cursor we did not issue.
_CURSOR_VERSION = 2


def _encode_group_cursor(key: GroupKey) -> str:
    return encode_keyset(_CURSOR_VERSION, key)


def _decode_group_cursor(cursor: str) -> GroupKey:
    return decode_keyset(cursor, _CURSOR_VERSION, (CursorPart,) * 4)


def _period_key(period: str) -> str:
    """SQL: what the pairing compares of a period (a small `json` value, the figure's
    `period`): its dates and precisions, not its words. Figures without dates (or without
    a period) all have the same key."""
    members = ", ".join(
        f"{period}->'{m}'" for m in ("start", "start_precision", "end", "end_precision")
    )
    return f"json_build_array({members})::text"


def _pairing_in_table(query: SummaryQuery, figures: str, at: str) -> str:
    """SQL, and-ed to `derived`: the pairing holds over all the claim's figures, not
    only those the filters kept. Only a filter on the figure itself (its period or
    country) can leave out another figure of the same claim, subject, unit and
    accumulation (every other filter is the claim's or part of the group), so only then
    is the table read again: no third part of that period, no direct composite figure.
    (OFFSET 0 keeps `o.period` one parse of the document, not one per member.)"""
    if query.period_from is None and query.period_to is None and query.country is None:
        return "true"
    return f"""
               NOT EXISTS (
                SELECT FROM (SELECT o.metric, o.doc->'period' AS period
                               FROM {figures} o
                              WHERE o.claim_id = p.claim_id AND NOT o.deleted{at}
                                AND o.id <> ALL(p.derived_from)
                                AND coalesce(o.subject_id, '') = p.subject_key
                                AND o.unit = p.unit AND o.accumulation = p.accumulation
                                AND o.metric IN ('{COMPOSITE}', '{PARTS[0]}', '{PARTS[1]}')
                             OFFSET 0) o
                 WHERE o.metric = '{COMPOSITE}' OR {_period_key("o.period")} = p.period_key
               )"""


def _summary_sql(query: SummaryQuery, found: Filters, after: GroupKey | None) -> str:
    """One statement over the matching live figures of live claims:

    figs      the figures the filters keep (the parts of a composite as well when the
              metric asked for is the composite);
    pairs     a claim's killed and wounded figures of one subject, unit, accumulation and
              period, when that pairing is unambiguous and no total is stated;
    derived   those pairs that hold over the claim's figures the filters left out too;
    entries   figures and derived entries, one row per claimant of their claim;
    page      the page of groups, with their envelope and counts;
    latest    each claimant's latest entry in those groups;
    and finally the documents of those entries only (a subject may have thousands of
    figures; only one per claimant is sent), fetched by the address of the row version
    `figs` read (`ctid`: no index to descend, and the very version the snapshot saw, so
    `as_of` needs no second validity check). The rows come unordered: sorting them here
    would sort every document with them, `summarize` orders them. With `as_of`, `$1` is
    that time and every table is read as it was then. Group keys compare bytewise
    (COLLATE "C"), so cursors do not depend on the locale.

    `doc` is `json` text, parsed again by every `->`: a part's period is read out of its
    document once, and everything else about it from that small value."""
    as_of = query.as_of
    figures, claims, actors = (table_at(k, as_of) for k in (FIGURES, CLAIMS, ACTORS))

    def at(alias: str) -> str:
        return current_at_if(alias, as_of)

    arg = found.param
    parts = f"('{PARTS[0]}', '{PARTS[1]}')"
    where = " AND ".join(found.clauses) or "true"
    metric = "true" if query.metric is None else f"metric = {arg(query.metric)}"
    claimant = "true" if query.claimant_id is None else f"claimant_id = {arg(query.claimant_id)}"
    page_after = "true"
    if after is not None:
        key = ", ".join(arg(part) for part in after)
        page_after = f"(subject_key, metric, unit, accumulation) > ({key})"
    return f"""
        WITH figs AS (
            SELECT f.id, f.claim_id, coalesce(f.subject_id, '') COLLATE "C" AS subject_key,
                   f.subject_id, f.metric COLLATE "C" AS metric, f.unit COLLATE "C" AS unit,
                   f.accumulation COLLATE "C" AS accumulation, f.low, f.high, f.updated_at,
                   CASE WHEN f.metric IN {parts} THEN f.doc->'period' END AS period,
                   c.stated_on, array_prepend(c.claimant_id, c.co_claimant_ids) AS claimants,
                   f.ctid AS figure_row, c.ctid AS claim_row
              FROM {figures} f JOIN {claims} c ON c.id = f.claim_id{at("c")}
             WHERE NOT f.deleted AND NOT c.deleted{at("f")} AND {where}
        ),
        pairs AS (
            SELECT claim_id, subject_key, min(subject_id) AS subject_id, unit, accumulation,
                   {_period_key("period")} AS period_key,
                   (array_agg(period) FILTER (WHERE metric = '{PARTS[0]}'))[1] AS period,
                   ARRAY[min(id) FILTER (WHERE metric = '{PARTS[0]}'),
                         min(id) FILTER (WHERE metric = '{PARTS[1]}')] AS derived_from,
                   sum(low)::bigint AS low,
                   CASE WHEN count(high) = 2 THEN sum(high)::bigint END AS high,
                   max(updated_at) AS updated_at, min(stated_on) AS stated_on,
                   min(claimants) AS claimants, min(claim_row) AS claim_row
              FROM (SELECT *, bool_or(metric = '{COMPOSITE}') OVER (
                                  PARTITION BY claim_id, subject_key, unit, accumulation
                              ) AS total_stated
                      FROM figs WHERE metric IN ('{COMPOSITE}', '{PARTS[0]}', '{PARTS[1]}')) x
             -- A claim's direct composite figure wins over its parts.
             WHERE metric IN {parts} AND NOT total_stated
             GROUP BY claim_id, subject_key, unit, accumulation, {_period_key("period")}
            HAVING count(*) FILTER (WHERE metric = '{PARTS[0]}') = 1
               AND count(*) FILTER (WHERE metric = '{PARTS[1]}') = 1
               AND count(low) = 2
        ),
        derived AS (
            SELECT p.* FROM pairs p WHERE {_pairing_in_table(query, figures, at("o"))}
        ),
        entries AS (
            SELECT e.*, cl.claimant_id
              FROM (SELECT id, NULL::text[] AS derived_from, NULL::json AS period, claim_id,
                           subject_key, subject_id, metric, unit, accumulation, low, high,
                           updated_at, stated_on, claimants, figure_row, claim_row
                      FROM figs WHERE {metric}
                    UNION ALL
                    SELECT derived_from[1], derived_from, period, claim_id, subject_key,
                           subject_id, '{COMPOSITE}', unit, accumulation, low, high,
                           updated_at, stated_on, claimants, NULL, claim_row
                      FROM derived) e
             CROSS JOIN LATERAL unnest(e.claimants) AS cl(claimant_id)
             WHERE {claimant}
        ),
        page AS (
            SELECT subject_key, metric, unit, accumulation,
                   -- the group's place on the page: one integer to sort on, not four texts
                   row_number() OVER (ORDER BY subject_key, metric, unit, accumulation) AS g,
                   min(subject_id) AS subject_id,
                   min(low) AS low,
                   CASE WHEN bool_or(low IS NOT NULL AND high IS NULL) THEN NULL
                        ELSE max(high) END AS high,
                   count(DISTINCT id) FILTER (WHERE derived_from IS NULL) AS figure_count,
                   count(DISTINCT id) FILTER (WHERE derived_from IS NOT NULL) AS derived_count,
                   count(DISTINCT claimant_id) AS claimant_count,
                   count(DISTINCT id) FILTER (WHERE low IS NULL) AS unspecified_count
              FROM entries
             WHERE {page_after}
             GROUP BY subject_key, metric, unit, accumulation
             ORDER BY subject_key, metric, unit, accumulation
             LIMIT {int(query.limit) + 1}
        ),
        latest AS (
            SELECT DISTINCT ON (page.g, e.claimant_id COLLATE "C")
                   page.g, e.claimant_id, e.id, e.derived_from, e.period, e.low, e.high,
                   e.stated_on, e.figure_row, e.claim_row,
                   count(*) FILTER (WHERE e.derived_from IS NULL) OVER mine AS claimant_figures,
                   count(*) FILTER (WHERE e.derived_from IS NOT NULL) OVER mine
                       AS claimant_derived
              FROM entries e JOIN page USING (subject_key, metric, unit, accumulation)
            -- Ordered like DISTINCT ON, so one sort serves both; the frame is the whole
            -- partition, so the counts are the claimant's totals.
            WINDOW mine AS (PARTITION BY page.g, e.claimant_id COLLATE "C"
                            ORDER BY e.stated_on DESC NULLS LAST, e.updated_at DESC,
                                     e.id COLLATE "C" DESC
                            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
             ORDER BY page.g, e.claimant_id COLLATE "C",
                      e.stated_on DESC NULLS LAST, e.updated_at DESC, e.id COLLATE "C" DESC
        )
        SELECT p.subject_key, p.metric, p.unit, p.accumulation, p.subject_id, p.low, p.high,
               p.figure_count, p.derived_count, p.claimant_count, p.unspecified_count,
               l.claimant_id, l.claimant_figures, l.claimant_derived, l.derived_from,
               l.low AS entry_low, l.high AS entry_high, l.period::text AS period,
               l.stated_on, fd.doc::text AS figure, cd.doc::text AS claim,
               a.doc::text AS claimant
          FROM page p
          JOIN latest l USING (g)
          LEFT JOIN {figures} fd ON fd.ctid = l.figure_row
          JOIN {claims} cd ON cd.ctid = l.claim_row
          LEFT JOIN {actors} a ON a.id = l.claimant_id AND NOT a.deleted{at("a")}
    """


def _listed_order(row: asyncpg.Record) -> tuple[str, str, str, str, bool, int, str]:
    """Groups in cursor order (bytewise, as Python compares str), then each group's
    claimants, the most recently stated first, undated last, then by claimant id."""
    stated_on: date | None = row["stated_on"]
    return (
        row["subject_key"],
        row["metric"],
        row["unit"],
        row["accumulation"],
        stated_on is None,
        0 if stated_on is None else -stated_on.toordinal(),
        row["claimant_id"],
    )


class _StoredCitation(msgspec.Struct):
    source_id: str
    relayed_by_id: str | None = None
    quote: str | None = None
    via_ids: list[str] = []


class _StoredClaim(msgspec.Struct):
    """What an entry shows of its claim, read from the claim's document in one pass."""

    id: str
    text: str
    claimant_id: str
    stated_on: date | None = None
    stated_on_precision: Precision | None = None
    co_claimant_ids: list[str] = []
    citations: list[_StoredCitation] = []

    def brief(self) -> ClaimBrief:
        return ClaimBrief(
            self.id,
            self.text,
            self.stated_on,
            self.stated_on_precision,
            self.claimant_id,
            self.co_claimant_ids,
        )


def _filters(query: SummaryQuery) -> Filters:
    found = Filters()
    if query.as_of is not None:
        found.args.append(query.as_of)  # `$1`, used by every table's validity check
    if query.subject_id is not None:
        found.add("f.subject_id = {}", query.subject_id)
    if query.metric is not None:
        # The composite's parts are read too: its derived entries are made from them.
        wanted = [query.metric, *(PARTS if query.metric == COMPOSITE else ())]
        found.add("f.metric = ANY({}::text[])", wanted)
    if query.accumulation is not None:
        found.add("f.accumulation = {}", query.accumulation)
    if query.country is not None:
        found.add("coalesce(f.doc->'location'->>'country', c.country) = {}", query.country)
    claim_filters(
        found,
        claimant_id=query.claimant_id,
        stated_from=query.stated_from,
        stated_to=query.stated_to,
        as_of=query.as_of,
    )
    period_filters(found, period_from=query.period_from, period_to=query.period_to)
    return found


async def summarize(conn: asyncpg.Connection, query: SummaryQuery) -> FigureSummary:
    """The competing-figures summary; two queries: the groups with each claimant's latest
    entry, then the sources those entries' claims cite."""
    after = _decode_group_cursor(query.cursor) if query.cursor else None
    found = _filters(query)
    sql = _summary_sql(query, found, after)  # adds its own arguments to `found.args`
    rows = sorted(await conn.fetch(sql, *found.args), key=_listed_order)

    # A joint claim, and a claimant present in several groups, come once per entry:
    # each document is decoded once.
    claims = {
        doc: msgspec.json.decode(doc, type=_StoredClaim) for doc in {r["claim"] for r in rows}
    }
    actors = {
        doc: msgspec.json.decode(doc, type=ActorBrief)
        for doc in {r["claimant"] for r in rows}
        if doc is not None
    }
    cited = [c.source_id for claim in claims.values() for c in claim.citations]
    sources = {
        source_id: msgspec.json.decode(doc, type=SourceBrief)
        for source_id, doc in (await documents(conn, SOURCES, cited, query.as_of)).items()
    }

    groups: dict[GroupKey, FigureGroup] = {}
    for row in rows:
        key = (row["subject_key"], row["metric"], row["unit"], row["accumulation"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = FigureGroup(
                subject_id=row["subject_id"],
                metric=row["metric"],
                unit=row["unit"],
                accumulation=row["accumulation"],
                low=row["low"],
                high=row["high"],
                figure_count=row["figure_count"],
                derived_count=row["derived_count"],
                claimant_count=row["claimant_count"],
                unspecified_count=row["unspecified_count"],
                claimants=[],
            )
        claim = claims[row["claim"]]
        group.claimants.append(
            ClaimantFigure(
                claimant_id=row["claimant_id"],
                claimant=actors.get(row["claimant"]),
                figure_count=row["claimant_figures"],
                derived_count=row["claimant_derived"],
                # Served as stored, like every document.
                figure=None if row["figure"] is None else msgspec.Raw(row["figure"].encode()),
                derived=_derived(row),
                claim=claim.brief(),
                citations=[
                    SourcedCitation(
                        c.source_id, c.relayed_by_id, c.quote, sources.get(c.source_id), c.via_ids
                    )
                    for c in claim.citations
                ],
            )
        )
    page = list(groups.values())
    next_cursor = None
    if len(page) > query.limit:
        page = page[: query.limit]
        last = page[-1]
        next_cursor = _encode_group_cursor(
            (last.subject_id or "", last.metric, last.unit, last.accumulation)
        )
    return FigureSummary(page, next_cursor)


def _derived(row: asyncpg.Record) -> DerivedFigure | None:
    if row["derived_from"] is None:
        return None
    period = row["period"]
    return DerivedFigure(
        derived_from=list(row["derived_from"]),
        low=row["entry_low"],
        high=row["entry_high"],
        period=None if period is None else msgspec.json.decode(period, type=Period | None),
    )
