"""Figures: their references, rules, derived bounds and list filters."""

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Any, NamedTuple

import asyncpg
import msgspec

from claimledger_server.actors.store import ACTORS
from claimledger_server.claims.store import CLAIMS
from claimledger_server.errors import FieldError, invalid
from claimledger_server.figures.bounds import GIVEN_BOUNDS, bounds, consistency_errors
from claimledger_server.figures.schemas import (
    ActorBrief,
    ClaimantFigure,
    ClaimBrief,
    FigureFields,
    FigureGroup,
    FigureSummary,
    Metric,
    SourceBrief,
    SourcedCitation,
)
from claimledger_server.sources.store import SOURCES
from claimledger_server.versioning.kinds import ResourceKind, register
from claimledger_server.versioning.snapshots import current_at, documents, table_at
from claimledger_server.versioning.store import Filters


def _check(fields: FigureFields, figure_id: str | None) -> list[FieldError]:
    return consistency_errors(fields)


def _derive(fields: FigureFields) -> dict[str, Any]:
    low, high = bounds(fields)
    return {"low": low, "high": high}


def _written(kind: ResourceKind, document: dict[str, Any]) -> dict[str, Any]:
    """Bounds are the caller's only for `vague`; otherwise they are the server's."""
    written = {name: document[name] for name in kind.field_names if name in document}
    if written.get("qualifier") != GIVEN_BOUNDS:
        written["low"] = written["high"] = None
    return written


FIGURES = register(
    ResourceKind(
        name="figure",
        table="figures",
        prefix="fig",
        fields=FigureFields,
        references={"claim_id": "claims", "subject_id": "actors"},
        check=_check,
        cleared_with={
            "period.start": "period.start_precision",
            "period.end": "period.end_precision",
        },
        derive=_derive,
        written=_written,
    )
)


def filters(
    *,
    claim_id: str | None,
    subject_id: str | None,
    metric: Metric | None,
    min_low: int | None,
    max_high: int | None,
) -> Filters:
    found = Filters()
    if claim_id is not None:
        found.add("claim_id = {}", claim_id)
    if subject_id is not None:
        found.add("subject_id = {}", subject_id)
    if metric is not None:
        found.add("metric = {}", metric)
    if min_low is not None:
        found.add("low >= {}", min_low)
    if max_high is not None:
        found.add("high <= {}", max_high)
    return found


class SummaryQuery(NamedTuple):
    subject_id: str | None
    metric: Metric | None
    country: str | None
    claimant_id: str | None
    stated_from: date | None
    stated_to: date | None
    as_of: datetime | None
    limit: int
    cursor: str | None


# A group's position in the order groups are listed: (subject_id or "", metric, unit).
GroupKey = tuple[str, str, str]
_KeyPart = Annotated[str, msgspec.Meta(max_length=64, pattern=r"^[^\x00]*$")]


def _encode_group_cursor(key: GroupKey) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode([1, *key])).decode().rstrip("=")


def _decode_group_cursor(cursor: str) -> GroupKey:
    """Like every cursor: opaque, and anything we did not issue is a 400 naming `cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, subject, metric, unit = msgspec.json.decode(
            raw, type=tuple[int, _KeyPart, _KeyPart, _KeyPart]
        )
        if version != 1:
            raise ValueError(version)
    except (binascii.Error, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        raise invalid([FieldError("cursor", "not a cursor this API issued")], status=400) from None
    return (subject, metric, unit)


def _summary_sql(query: SummaryQuery, found: Filters, after: GroupKey | None) -> str:
    """Three steps over the matching live figures (of live claims): the page of groups with
    their envelope and counts, then each claimant's latest figure in those groups, with
    the claimant. With `as_of`, `$1` is that time and every table is read as it was then.
    Group keys compare bytewise (COLLATE "C"), so cursors do not depend on the locale."""
    as_of = query.as_of
    figures, claims, actors = (table_at(k, as_of) for k in (FIGURES, CLAIMS, ACTORS))

    def at(alias: str) -> str:
        return "" if as_of is None else " AND " + current_at(alias, "$1")

    where = " AND ".join(found.clauses) or "true"
    page_after = "true"
    if after is not None:
        start = len(found.args) + 1
        found.args.extend(after)
        page_after = f"(subject_key, metric, unit) > (${start}, ${start + 1}, ${start + 2})"
    return f"""
        WITH matched AS (
            SELECT f.id, coalesce(f.subject_id, '') COLLATE "C" AS subject_key, f.subject_id,
                   f.metric COLLATE "C" AS metric, f.unit COLLATE "C" AS unit, f.low, f.high,
                   f.updated_at, f.doc, c.claimant_id, c.stated_on, c.doc AS claim_doc
              FROM {figures} f JOIN {claims} c ON c.id = f.claim_id{at("c")}
             WHERE NOT f.deleted AND NOT c.deleted{at("f")} AND {where}
        ),
        page AS (
            SELECT subject_key, metric, unit,
                   min(low) AS low,
                   CASE WHEN bool_or(low IS NOT NULL AND high IS NULL) THEN NULL
                        ELSE max(high) END AS high,
                   count(*) AS figure_count,
                   count(DISTINCT claimant_id) AS claimant_count,
                   count(*) FILTER (WHERE low IS NULL) AS unspecified_count
              FROM matched
             WHERE {page_after}
             GROUP BY subject_key, metric, unit
             ORDER BY subject_key, metric, unit
             LIMIT {int(query.limit) + 1}
        ),
        latest AS (
            SELECT DISTINCT ON (m.subject_key, m.metric, m.unit, m.claimant_id) m.*,
                   count(*) OVER (PARTITION BY m.subject_key, m.metric, m.unit, m.claimant_id)
                       AS claimant_figures
              FROM matched m JOIN page USING (subject_key, metric, unit)
             ORDER BY m.subject_key, m.metric, m.unit, m.claimant_id,
                      m.stated_on DESC NULLS LAST, m.updated_at DESC, m.id DESC
        )
        SELECT p.subject_key, p.metric, p.unit, p.low, p.high, p.figure_count,
               p.claimant_count, p.unspecified_count, l.subject_id, l.claimant_id,
               l.claimant_figures, l.doc::text AS figure, l.claim_doc::text AS claim,
               a.doc::text AS claimant
          FROM page p
          JOIN latest l USING (subject_key, metric, unit)
          LEFT JOIN {actors} a ON a.id = l.claimant_id AND NOT a.deleted{at("a")}
         ORDER BY p.subject_key, p.metric, p.unit, l.stated_on DESC NULLS LAST, l.claimant_id
    """


class _StoredCitation(msgspec.Struct):
    source_id: str
    relayed_by_id: str | None = None
    quote: str | None = None


class _StoredClaim(msgspec.Struct):
    citations: list[_StoredCitation] = []


async def summarize(conn: asyncpg.Connection, query: SummaryQuery) -> FigureSummary:
    """The competing-figures summary; two queries: the groups with each claimant's latest
    figure, then the sources those figures' claims cite."""
    found = Filters()
    if query.as_of is not None:
        found.args.append(query.as_of)  # `$1`, used by every table's validity check
    if query.subject_id is not None:
        found.add("f.subject_id = {}", query.subject_id)
    if query.metric is not None:
        found.add("f.metric = {}", query.metric)
    if query.country is not None:
        found.add("coalesce(f.doc->'location'->>'country', c.country) = {}", query.country)
    if query.claimant_id is not None:
        found.add("c.claimant_id = {}", query.claimant_id)
    if query.stated_from is not None:
        found.add("c.stated_on >= {}", query.stated_from)
    if query.stated_to is not None:
        found.add("c.stated_on <= {}", query.stated_to)
    after = _decode_group_cursor(query.cursor) if query.cursor else None
    rows = await conn.fetch(_summary_sql(query, found, after), *found.args)

    citations = [msgspec.json.decode(row["claim"], type=_StoredClaim).citations for row in rows]
    cited = [c.source_id for listed in citations for c in listed]
    sources = {
        source_id: msgspec.json.decode(doc, type=SourceBrief)
        for source_id, doc in (await documents(conn, SOURCES, cited, query.as_of)).items()
    }

    groups: dict[GroupKey, FigureGroup] = {}
    for row, cites in zip(rows, citations, strict=True):
        key = (row["subject_key"], row["metric"], row["unit"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = FigureGroup(
                subject_id=row["subject_id"],
                metric=row["metric"],
                unit=row["unit"],
                low=row["low"],
                high=row["high"],
                figure_count=row["figure_count"],
                claimant_count=row["claimant_count"],
                unspecified_count=row["unspecified_count"],
                claimants=[],
            )
        claimant = row["claimant"]
        group.claimants.append(
            ClaimantFigure(
                claimant_id=row["claimant_id"],
                claimant=None
                if claimant is None
                else msgspec.json.decode(claimant, type=ActorBrief),
                figure_count=row["claimant_figures"],
                # Served as stored, like every document.
                figure=msgspec.Raw(row["figure"].encode()),
                claim=msgspec.json.decode(row["claim"], type=ClaimBrief),
                citations=[
                    SourcedCitation(c.source_id, c.relayed_by_id, c.quote, sources.get(c.source_id))
                    for c in cites
                ],
            )
        )
    page = list(groups.values())
    next_cursor = None
    if len(page) > query.limit:
        page = page[: query.limit]
        last = page[-1]
        next_cursor = _encode_group_cursor((last.subject_id or "", last.metric, last.unit))
    return FigureSummary(page, next_cursor)
