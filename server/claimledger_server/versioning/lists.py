"""Lists of every kind: the filters each kind's store adds, and one page of them in id order
(keyset pagination) or by relevance, from the live table or, with `as_of`, the history."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import asyncpg

from claimledger_server.pagination import (
    decode_cursor,
    encode_cursor,
    joined_page_body,
    page_body,
    split_page,
)
from claimledger_server.versioning.kinds import ResourceKind


class Filters:
    """WHERE clauses with numbered placeholders; each kind's store adds its own."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.args: list[Any] = []
        self.rank: str | None = None
        """An SQL relevance expression; when set, lists order by it (best first)."""
        self._id_selects: list[tuple[list[str], int, str, str]] = []
        """`add_ids_from`'s clauses: the list holding each (`clauses` or the `any_of`
        group's), its position there, its column and SELECT."""
        self._any_of: tuple[int, list[str]] | None = None
        """`any_of`'s group: its position in `clauses`, and its alternatives' clauses."""

    def add(self, template: str, *values: Any) -> None:
        """`template` has one `{}` per value, e.g. `stated_on >= {}`."""
        self.clauses.append(self._placeholders(template, len(values)))
        self.args.extend(values)

    def add_ids_from(self, column: str, rows: str, *values: Any) -> None:
        """The row's id is a `column` of `rows` (`FROM` and `WHERE` of a side table, one `{}`
        per value), read through an index that returns them in id order, e.g.
        `add_ids_from("claim_id", "claim_refs WHERE ref_id = {}", actor_id)`.

        A page then is that index scan, stopped after the page, joined to the table by
        primary key. `after` bounds `column` inside too: PostgreSQL does not carry `id > x`
        across the IN, so a later page would otherwise walk every id before it."""
        select = f"SELECT {column} FROM {self._placeholders(rows, len(values))}"
        self._id_selects.append((self.clauses, len(self.clauses), column, select))
        self.clauses.append(f"id IN ({select})")
        self.args.extend(values)

    @contextmanager
    def any_of(self) -> Iterator[None]:
        """The clauses added inside match a row when any one of them does. In `clauses` they
        are one OR, which every reader of the filters may use. `list_page` reads a page in
        id order as a UNION ALL of one LIMITed scan per alternative instead, merged in id
        order by PostgreSQL: a row found through the index of one alternative (a claimant's
        own claims, from claims_claimant_span) is then not looked up again through
        another's (co-claimed ones, through claim_refs), where an OR of the two reads
        neither index in id order. One group per list."""
        assert self._any_of is None, "one any_of group per list"
        start = len(self.clauses)
        yield
        alternatives = self.clauses[start:]
        del self.clauses[start:]
        self._id_selects = [
            (alternatives, position - start, column, select)
            if held is self.clauses and position >= start
            else (held, position, column, select)
            for held, position, column, select in self._id_selects
        ]
        self._any_of = (start, alternatives)
        self.clauses.append(_either(alternatives))

    def after(self, last_id: str) -> None:
        """Only ids past `last_id`, the last one of the page before (keyset pagination)."""
        placeholder = self.param(last_id)
        self.clauses.append(f"id > {placeholder}")
        for held, position, column, select in self._id_selects:
            held[position] = f"id IN ({select} AND {column} > {placeholder})"
        if self._any_of is not None:
            position, alternatives = self._any_of
            self.clauses[position] = _either(alternatives)

    def alternatives(self) -> list[list[str]]:
        """The clauses of each scan whose rows together are the list's: the clauses, or one
        copy of them per alternative of the `any_of` group, in its place. Placeholders
        keep their numbers: every argument is read by one scan or another."""
        if self._any_of is None:
            return [self.clauses]
        position, alternatives = self._any_of
        return [
            [*self.clauses[:position], alternative, *self.clauses[position + 1 :]]
            for alternative in alternatives
        ]

    def param(self, value: Any) -> str:
        """Add `value` as the next argument and return its placeholder, e.g. `$3`, for SQL
        built around the clauses rather than inside one."""
        self.args.append(value)
        return f"${len(self.args)}"

    def _placeholders(self, template: str, count: int) -> str:
        start = len(self.args) + 1
        return template.format(*(f"${start + i}" for i in range(count)))

    def search(self, config: str, text: str) -> None:
        """Full-text match on the `search` column, ranked by cover density."""
        self.add(f"search @@ websearch_to_tsquery('{config}', {{}})", text)
        query = f"websearch_to_tsquery('{config}', ${len(self.args)})"
        self.rank = f"ts_rank_cd(search, {query})"


def _either(alternatives: list[str]) -> str:
    return f"({' OR '.join(alternatives)})" if len(alternatives) > 1 else alternatives[0]


def common_filters(
    filters: Filters,
    include_deleted: bool,
    external_id: str | None,
    updated_since: datetime | None,
) -> None:
    """The clauses every list adds besides its kind's own filters."""
    if not include_deleted:
        filters.add("NOT deleted")
    if external_id is not None:
        filters.add("external_id = {}", external_id)
    if updated_since is not None:
        filters.add("updated_at >= {}", updated_since)


async def list_page(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    filters: Filters,
    *,
    limit: int,
    cursor: str | None,
    include_deleted: bool,
    external_id: str | None,
    updated_since: datetime | None,
    as_of: datetime | None,
    time_limit: float | None = None,
) -> bytes:
    """One page in id order (creation order), or by relevance when the filters search text.
    Keyset pagination: a row inserted or changed while a client pages never shifts the rows
    it has not seen yet. With `as_of`, the same filters run over the history table,
    restricted to the versions current at that time. `time_limit` (seconds) bounds the ranking
    of every match (asyncpg raises TimeoutError)."""
    source = kind.table
    if as_of is not None:
        source = f"{kind.table}_history"
        filters.add("updated_at <= {} AND (valid_to IS NULL OR valid_to > {})", as_of, as_of)
    common_filters(filters, include_deleted, external_id, updated_since)
    rank = filters.rank
    if rank is None:
        if cursor:
            filters.after(decode_cursor(cursor, str))
        statement = _in_id_order(source, filters.alternatives(), int(limit) + 1)
        (row,) = await conn.fetch(_as_one_page(statement, int(limit)), *filters.args)
        return joined_page_body(row, limit, encode_cursor)
    rows = await _ranked_rows(conn, source, filters, rank, limit, cursor, time_limit)
    page, next_cursor = split_page(rows, limit, lambda row: (row["rank"], row["id"]))
    return page_body([row["doc"].encode() for row in page], next_cursor)


def _as_one_page(statement: str, limit: int) -> str:
    """`statement`'s rows (`id`, `doc`, in id order; one more than `limit` when there is a
    next page) as one row: how many there are (`found`), the last id of the first `limit`
    (`last_id`) and their documents joined by commas as bytes (`docs`, NULL when none). The
    server then decodes one value instead of a record and a string per document, and passes
    the stored JSON on as it is (`joined_page_body`), as the newest-first search does.

    The rows are numbered in the order they arrive in, so one pass over them answers all
    three: a materialized CTE read twice and sorted again cost a claimant's page 15-25 % more
    PostgreSQL time (bench/results.md, "2026-12-07 13:30")."""
    return f"""SELECT count(*)::int AS found,
                      max(id) FILTER (WHERE n <= {limit}) AS last_id,
                      convert_to(string_agg(doc, ',' ORDER BY id) FILTER (WHERE n <= {limit}),
                                 'UTF8') AS docs
                 FROM (SELECT id, doc, row_number() OVER (ORDER BY id) AS n
                         FROM ({statement}) AS found) AS numbered"""


def _in_id_order(source: str, alternatives: list[list[str]], n: int) -> str:
    """SQL of the first `n` rows matching any of `alternatives` (each a list of clauses), in
    id order. Several are one LIMITed scan each, merged by id (a Merge Append that stops
    after `n` rows): each scan keeps its own index, and a document is turned into text only
    if it is on the page. A row two alternatives find is sent once."""
    if len(alternatives) == 1:
        where = " AND ".join(alternatives[0]) or "true"
        return f"SELECT id, doc::text AS doc FROM {source} WHERE {where} ORDER BY id LIMIT {n}"
    scans = " UNION ALL ".join(
        f"(SELECT id, doc FROM {source} WHERE {' AND '.join(clauses)} ORDER BY id LIMIT {n})"
        for clauses in alternatives
    )
    return (
        f"SELECT DISTINCT ON (id) id, doc::text AS doc FROM ({scans}) AS alternatives"
        f" ORDER BY id LIMIT {n}"
    )


async def _ranked_rows(
    conn: asyncpg.Connection,
    source: str,
    filters: Filters,
    rank: str,
    limit: int,
    cursor: str | None,
    time_limit: float | None,
) -> list[asyncpg.Record]:
    """Best first, then by id; the cursor is (rank, id) of the last row sent. Every match is
    ranked (its row read), and only the page's documents are read (by id and version: a
    history table holds several versions of an id)."""
    where = " AND ".join(filters.clauses)
    args = list(filters.args)
    after = "true"
    if cursor:
        after_rank, after_id = decode_cursor(cursor, tuple)
        n = len(args)
        after = f"(rank < ${n + 1}::real OR (rank = ${n + 1}::real AND id > ${n + 2}))"
        args += [after_rank, after_id]
    return await conn.fetch(
        f"""SELECT page.id, page.rank, {source}.doc::text AS doc
              FROM (SELECT id, version, rank FROM (
                        SELECT id, version, {rank} AS rank FROM {source} WHERE {where}
                    ) AS match
                    WHERE {after} ORDER BY rank DESC, id LIMIT {int(limit) + 1}) AS page
              JOIN {source} USING (id, version)
             ORDER BY page.rank DESC, page.id""",
        *args,
        timeout=time_limit,
    )
