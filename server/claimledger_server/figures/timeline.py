"""GET /v1/figures/timeline: one subject's running totals, claim by claim.

The data behind the chart analysts draw ("who said how many, when"): every live
`cumulative` figure of a live claim about one subject, metric and unit, one entry per
(figure, claimant) — a joint statement puts a point on each co-claimant's line — ordered by
the claim's `stated_on`, then claimant, then figure. Claims without `stated_on` cannot be
placed on the time axis; their entries come last rather than vanish. Incremental and
`unknown` figures are left out (a weekly toll is not a point on a running total), and so
are composites: the timeline shows what was stated, never a sum made at read time."""

from datetime import date, datetime
from typing import NamedTuple

import asyncpg
import msgspec

from claimledger_server.actors.store import ACTORS
from claimledger_server.claims.store import CLAIMS
from claimledger_server.figures.schemas import (
    ActorBrief,
    ClaimBrief,
    FigureTimeline,
    Metric,
    TimelineEntry,
)
from claimledger_server.figures.store import FIGURES, claim_filters
from claimledger_server.pagination import CursorPart, decode_keyset, encode_keyset
from claimledger_server.versioning.lists import Filters
from claimledger_server.versioning.snapshots import current_at_if, table_at


class TimelineQuery(NamedTuple):
    subject_id: str
    metric: Metric
    unit: str
    claimant_id: str | None
    stated_from: date | None
    stated_to: date | None
    as_of: datetime | None
    limit: int
    cursor: str | None


# An entry's position: (stated_on, or None for "no date", which sorts last; claimant id;
# figure id).
Position = tuple[date | None, str, str]
_CURSOR_VERSION = 1


def _encode_cursor(position: Position) -> str:
    return encode_keyset(_CURSOR_VERSION, position)


def _decode_cursor(cursor: str) -> Position:
    key_types = (date | None, CursorPart, CursorPart)
    return decode_keyset(cursor, _CURSOR_VERSION, key_types)


def _timeline_sql(query: TimelineQuery, found: Filters, after: Position | None) -> str:
    """The page's positions first (ordering and cutting need only keys, not documents),
    then the documents of those entries only. With `as_of`, `$1` is that time and every
    table is read as it was then. A missing `stated_on` sorts as 'infinity', after every
    date, which keeps the keyset comparison one row comparison."""
    as_of = query.as_of
    figures, claims, actors = (table_at(k, as_of) for k in (FIGURES, CLAIMS, ACTORS))

    def at(alias: str) -> str:
        return current_at_if(alias, as_of)

    arg = found.param
    where = " AND ".join(found.clauses)
    claimant = "true" if query.claimant_id is None else f"cl.claimant_id = {arg(query.claimant_id)}"
    bytewise = 'COLLATE "C"'  # ids compare the same whatever the database's locale
    position = f"(coalesce(c.stated_on, 'infinity'), cl.claimant_id {bytewise}, f.id {bytewise})"
    page_after = "true"
    if after is not None:
        stated_on, claimant_id, figure_id = after
        page_after = (
            f"{position} > (coalesce({arg(stated_on)}::date, 'infinity'),"
            f" {arg(claimant_id)}, {arg(figure_id)})"
        )
    return f"""
        SELECT t.claimant_id, t.stated_on, t.id AS figure_id, fd.doc::text AS figure,
               cd.doc::text AS claim, a.doc::text AS claimant
          FROM (SELECT f.id, f.claim_id, c.stated_on, cl.claimant_id
                  FROM {figures} f JOIN {claims} c ON c.id = f.claim_id{at("c")}
                 CROSS JOIN LATERAL
                       unnest(array_prepend(c.claimant_id, c.co_claimant_ids)) AS cl(claimant_id)
                 WHERE NOT f.deleted AND NOT c.deleted{at("f")} AND {where}
                   AND {claimant} AND {page_after}
                 ORDER BY coalesce(c.stated_on, 'infinity'), cl.claimant_id {bytewise},
                          f.id {bytewise}
                 LIMIT {int(query.limit) + 1}) t
          JOIN {figures} fd ON fd.id = t.id{at("fd")}
          JOIN {claims} cd ON cd.id = t.claim_id{at("cd")}
          LEFT JOIN {actors} a ON a.id = t.claimant_id AND NOT a.deleted{at("a")}
         ORDER BY coalesce(t.stated_on, 'infinity'), t.claimant_id {bytewise}, t.id {bytewise}
    """


def _filters(query: TimelineQuery) -> Filters:
    found = Filters()
    if query.as_of is not None:
        found.args.append(query.as_of)  # `$1`, used by every table's validity check
    found.add("f.subject_id = {}", query.subject_id)
    found.add("f.metric = {}", query.metric)
    found.add("f.unit = {}", query.unit)
    found.add("f.accumulation = 'cumulative'")
    claim_filters(
        found,
        claimant_id=query.claimant_id,
        stated_from=query.stated_from,
        stated_to=query.stated_to,
        as_of=query.as_of,
    )
    return found


async def timeline(conn: asyncpg.Connection, query: TimelineQuery) -> FigureTimeline:
    """One page of the timeline; one query."""
    after = _decode_cursor(query.cursor) if query.cursor else None
    found = _filters(query)
    sql = _timeline_sql(query, found, after)  # adds its own arguments to `found.args`
    rows = await conn.fetch(sql, *found.args)
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        last = rows[-1]
        next_cursor = _encode_cursor((last["stated_on"], last["claimant_id"], last["figure_id"]))
    entries = []
    for row in rows:
        claim = msgspec.json.decode(row["claim"], type=ClaimBrief)
        claimant = row["claimant"]
        entries.append(
            TimelineEntry(
                claimant_id=row["claimant_id"],
                claimant=None
                if claimant is None
                else msgspec.json.decode(claimant, type=ActorBrief),
                stated_on=claim.stated_on,
                stated_on_precision=claim.stated_on_precision,
                # Served as stored, like every document.
                figure=msgspec.Raw(row["figure"].encode()),
                claim=claim,
            )
        )
    return FigureTimeline(entries, next_cursor)
