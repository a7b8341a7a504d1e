"""Lists of every kind: the filters each kind's store adds, and one page of them in id order
(keyset pagination) or by relevance, from the live table or, with `as_of`, the history."""

from datetime import datetime
from typing import Any

import asyncpg

from claimledger_server.pagination import decode_cursor, page_body, split_page
from claimledger_server.versioning.kinds import ResourceKind


class Filters:
    """WHERE clauses with numbered placeholders; each kind's store adds its own."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.args: list[Any] = []
        self.rank: str | None = None
        """An SQL relevance expression; when set, lists order by it (best first)."""
        self._id_selects: list[tuple[int, str, str]] = []
        """`add_ids_from`'s clauses: their position, column and SELECT."""

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
        self._id_selects.append((len(self.clauses), column, select))
        self.clauses.append(f"id IN ({select})")
        self.args.extend(values)

    def after(self, last_id: str) -> None:
        """Only ids past `last_id`, the last one of the page before (keyset pagination)."""
        placeholder = self.param(last_id)
        self.clauses.append(f"id > {placeholder}")
        for position, column, select in self._id_selects:
            self.clauses[position] = f"id IN ({select} AND {column} > {placeholder})"

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
) -> bytes:
    """One page in id order (creation order). Keyset pagination: a row inserted or changed
    while a client pages never shifts the rows it has not seen yet. With `as_of`, the same
    filters run over the history table, restricted to the versions current at that time."""
    source = kind.table
    if as_of is not None:
        source = f"{kind.table}_history"
        filters.add("updated_at <= {} AND (valid_to IS NULL OR valid_to > {})", as_of, as_of)
    common_filters(filters, include_deleted, external_id, updated_since)
    rank = filters.rank
    if rank is None:
        if cursor:
            filters.after(decode_cursor(cursor, str))
        rows = await conn.fetch(_in_id_order(source, filters, int(limit) + 1), *filters.args)
    else:
        rows = await _ranked_rows(conn, source, filters, rank, limit, cursor)
    page, next_cursor = split_page(
        rows, limit, lambda row: row["id"] if rank is None else (row["rank"], row["id"])
    )
    return page_body([row["doc"].encode() for row in page], next_cursor)


def _in_id_order(source: str, filters: Filters, n: int) -> str:
    """SQL of the first `n` rows matching `filters`, in id order."""
    where = " AND ".join(filters.clauses) or "true"
    return f"SELECT id, doc::text AS doc FROM {source} WHERE {where} ORDER BY id LIMIT {n}"


SEARCH_CANDIDATES = 2000
"""How many matches of a full-text query are ranked. Ranking reads every candidate row, so
an unbounded set makes a common word cost a scan of the table; the best matches among the
first `SEARCH_CANDIDATES` found are returned, and other filters narrow the set first."""


async def _ranked_rows(
    conn: asyncpg.Connection,
    source: str,
    filters: Filters,
    rank: str,
    limit: int,
    cursor: str | None,
) -> list[asyncpg.Record]:
    """Best first, then by id; the cursor is (rank, id) of the last row sent."""
    where = " AND ".join(filters.clauses)
    args = list(filters.args)
    after = "true"
    if cursor:
        after_rank, after_id = decode_cursor(cursor, tuple)
        n = len(args)
        after = f"(rank < ${n + 1}::real OR (rank = ${n + 1}::real AND id > ${n + 2}))"
        args += [after_rank, after_id]
    return await conn.fetch(
        f"""SELECT id, doc, rank FROM (
                SELECT id, doc::text AS doc, {rank} AS rank FROM {source}
                 WHERE {where} LIMIT {SEARCH_CANDIDATES}
            ) AS candidates
            WHERE {after} ORDER BY rank DESC, id LIMIT {int(limit) + 1}""",
        *args,
    )
