"""The CSV export: one kind per file, one row per live resource, one column per field
(flattened as `columns.py` says), for a spreadsheet or a data-frame library — not for
import: the NDJSON export is the file that round-trips.

Beside the resource's own fields, a row carries what an analyst would otherwise look up in
another sheet, in columns placed right after the field they explain:
- the name of each actor a field names on its own (`claimant_id` → `claimant.name`,
  `parent_id` → `parent.name`, `publisher_id` → `publisher.name`, `subject_id` →
  `subject.name`);
- on a figure, who stated it and when: its claim's `claim.claimant_id`,
  `claim.claimant.name`, `claim.co_claimant_ids`, `claim.stated_on` and
  `claim.stated_on_precision` — so the figures sheet alone answers "who says how many, and
  when". A claim's figures are rows of the figures sheet (`claim_id`), not columns of the
  claims sheet: a claim states any number of them.

Rows come by id (the order resources were created), from a server-side cursor inside one
read-only snapshot, written in chunks: memory stays flat however large the file."""

import csv
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

import asyncpg
import msgspec

from claimledger_server.actors.schemas import ACTOR
from claimledger_server.bulk.columns import Column, Kind, cell, columns_of, value_at
from claimledger_server.bulk.store import CHUNK_BYTES, PREFETCH, current_at, table_at
from claimledger_server.claims.schemas import CLAIM
from claimledger_server.figures.schemas import FIGURE
from claimledger_server.sources.schemas import SOURCE
from claimledger_server.transactions import snapshot

BOM = "\ufeff"


@dataclass(frozen=True)
class _Context:
    """A column that is not a field of the resource, and the SQL (a JSON value) behind it."""

    after: str
    """The field it follows."""
    column: Column
    sql: str
    """Over the row `t`, the figure's claim `c`, and `{actors}`/`{where}` placeholders."""


def _name_of(reference: str) -> str:
    return f"(SELECT to_json(a.doc->>'name') FROM {{actors}} a WHERE a.id = {reference}{{where}})"


def _named(after: str, name: str, reference: str) -> _Context:
    return _Context(after, Column(name, (name,), "text"), _name_of(reference))


def _of_claim(member: str, kind: Kind, item: Kind | None = None) -> _Context:
    name = f"claim.{member}"
    return _Context("claim_id", Column(name, (name,), kind, item), f"c.doc->'{member}'")


_CLAIM_CONTEXT = [
    _of_claim("claimant_id", "text"),
    _named("claim_id", "claim.claimant.name", "c.doc->>'claimant_id'"),
    _of_claim("co_claimant_ids", "list", "text"),
    _of_claim("stated_on", "date"),
    _of_claim("stated_on_precision", "text"),
]


@dataclass(frozen=True)
class Sheet:
    table: str
    resource: type[msgspec.Struct]
    context: list[_Context] = field(default_factory=list)
    with_claim: bool = False
    """Whether rows join their claim (`c`), for figures."""

    @cached_property
    def columns(self) -> list[Column]:
        columns: list[Column] = []
        for column in columns_of(self.resource):
            columns.append(column)
            columns += [extra.column for extra in self.context if extra.after == column.name]
        return columns

    @cached_property
    def context_names(self) -> frozenset[str]:
        return frozenset(extra.column.name for extra in self.context)

    def row(self, doc: Any, context: Any) -> list[str]:
        """The cells of one resource (`doc`, decoded) and its context columns' values."""
        extra = self.context_names
        return [
            cell(column, value_at(context if column.name in extra else doc, column.path))
            for column in self.columns
        ]

    def sql(self, as_of: bool) -> str:
        def at(alias: str) -> str:
            return f" AND {current_at(alias)}" if as_of else ""

        def fill(sql: str) -> str:
            return sql.format(actors=table_at("actors", as_of), where=at("a"))

        context = ", ".join(f"'{c.column.name}', {fill(c.sql)}" for c in self.context)
        join = ""
        if self.with_claim:
            join = (
                f" LEFT JOIN LATERAL (SELECT c.doc FROM {table_at('claims', as_of)} c"
                f" WHERE c.id = t.doc->>'claim_id'{at('c')}) c ON true"
            )
        return (
            f"SELECT t.doc::text AS doc, json_build_object({context})::text AS context"
            f" FROM {table_at(self.table, as_of)} t{join}"
            f" WHERE NOT t.deleted{at('t')} ORDER BY t.id"
        )


SHEETS = {
    "actor": Sheet(
        "actors", ACTOR.resource, [_named("parent_id", "parent.name", "t.doc->>'parent_id'")]
    ),
    "source": Sheet(
        "sources",
        SOURCE.resource,
        [_named("publisher_id", "publisher.name", "t.doc->>'publisher_id'")],
    ),
    "claim": Sheet(
        "claims", CLAIM.resource, [_named("claimant_id", "claimant.name", "t.doc->>'claimant_id'")]
    ),
    "figure": Sheet(
        "figures",
        FIGURE.resource,
        [*_CLAIM_CONTEXT, _named("subject_id", "subject.name", "t.doc->>'subject_id'")],
        with_claim=True,
    ),
}


class _Chunk:
    """What the csv writer writes, gathered until it is worth sending."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> bytes:
        data = "".join(self.parts).encode()
        self.parts.clear()
        self.size = 0
        return data


async def sheet_chunks(
    pool: asyncpg.Pool, kind: str, as_of: datetime | None, bom: bool
) -> AsyncIterator[bytes]:
    """The CSV file of one kind in chunks of about `CHUNK_BYTES`."""
    sheet = SHEETS[kind]
    chunk = _Chunk()
    writer = csv.writer(chunk, lineterminator="\r\n")
    if bom:
        chunk.write(BOM)
    writer.writerow([column.name for column in sheet.columns])
    decode = msgspec.json.Decoder().decode
    args: list[Any] = [as_of] if as_of is not None else []
    async with snapshot(pool) as conn:
        async for row in conn.cursor(sheet.sql(as_of is not None), *args, prefetch=PREFETCH):
            writer.writerow(sheet.row(decode(row["doc"]), decode(row["context"])))
            if chunk.size >= CHUNK_BYTES:
                yield chunk.take()
    if chunk.size:
        yield chunk.take()


def sheets_help() -> str:
    """The columns of every kind's sheet, as Markdown (for the OpenAPI document)."""
    return "\n".join(
        f"- `{kind}`: " + ", ".join(f"`{column.name}`" for column in sheet.columns)
        for kind, sheet in SHEETS.items()
    )


_EXAMPLE_CLAIM = {
    "id": "clm_01jgbq4z5v8y2c3d4e5f6g7h8j",
    "version": 2,
    "created_at": "2025-01-06T09:12:44.120931Z",
    "updated_at": "2025-01-07T15:02:10.004512Z",
    "deleted": False,
    "external_id": "claim:kirby-1000-killed-or-injured-last-week",
    "claimant_id": "act_01jgbq4x0k1m2n3p4q5r6s7t8v",
    "text": "1,000 North Korean troops were killed or injured in the last week alone.",
    "quote": 'He said: "killed or injured", in the last week',
    "stated_on": "2024-12-27",
    "stated_on_precision": "day",
    "basis": None,
    "citations": [
        {
            "source_id": "src_01jgbq4y2w3x4y5z6a7b8c9d0e",
            "relayed_by_id": "act_01jgbq4x9f8g7h6j5k4m3n2p1q",
            "quote": None,
            "via_ids": [],
        },
        {"source_id": "src_01jgbq4y7r6s5t4v3w2x1y0z9a", "relayed_by_id": None, "via_ids": []},
    ],
    "subject_ids": ["act_01jgbq4x5b6c7d8e9f0g1h2j3k"],
    "location": {"name": "Kursk", "country": "RUS", "admin1": None, "lat": 51.73, "lon": 36.19},
    "topics": ["casualties", "north-korean-troops"],
    "status": "disputed",
    "relations": [],
    "co_claimant_ids": [],
    "based_on": [],
}


def sheet_example() -> str:
    """A claims file of one row, as the export writes it."""
    sheet = SHEETS["claim"]
    chunk = _Chunk()
    writer = csv.writer(chunk, lineterminator="\r\n")
    writer.writerow([column.name for column in sheet.columns])
    writer.writerow(sheet.row(_EXAMPLE_CLAIM, {"claimant.name": "John Kirby"}))
    return chunk.take().decode()
