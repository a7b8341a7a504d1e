"""The one write path and the shared read paths of every resource kind.

A write is one transaction: lock the row, check the precondition and the references, then a
single statement (`writes`) stores the row, its revision and its event together."""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import asyncpg
import msgspec

from claimledger_server.errors import ApiError, FieldError, from_msgspec_error, invalid
from claimledger_server.ids import new_id
from claimledger_server.versioning.chains import chain_errors, lock_chain, sets_chain_link
from claimledger_server.versioning.documents import (
    Document,
    clear_companions,
    decode_cursor,
    merge_patch,
    page_body,
    split_page,
)
from claimledger_server.versioning.kinds import KINDS, Ref, ResourceKind, find_references
from claimledger_server.versioning.writes import Author, insert_sql, update_sql, write

T = TypeVar("T")


async def run_in_transaction(
    pool: asyncpg.Pool, work: Callable[[asyncpg.Connection], Awaitable[T]]
) -> T:
    """Run `work` in a transaction, retrying when PostgreSQL aborts it to break a deadlock
    (two writers locking the same rows in opposite orders); the retry is safe because
    nothing of an aborted transaction is kept."""
    for attempt in range(3):
        try:
            async with pool.acquire() as conn, conn.transaction():
                return await work(conn)  # type: ignore[arg-type]  # a pool proxy is a Connection
        except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError):
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def not_found(kind: ResourceKind, resource_id: str) -> ApiError:
    return ApiError(404, "not-found", f"No {kind.name} with id {resource_id!r}.")


def gone(kind: ResourceKind, resource_id: str, version: int) -> ApiError:
    return ApiError(
        410, "gone", f"{kind.name.capitalize()} {resource_id} was deleted (version {version})."
    )


def to_fields(kind: ResourceKind, document: dict[str, Any]) -> msgspec.Struct:
    try:
        return msgspec.convert(document, kind.fields, strict=True)
    except msgspec.ValidationError as exc:
        raise invalid([from_msgspec_error(exc)]) from None


async def _check_references(conn: asyncpg.Connection, refs: list[Ref]) -> None:
    """Every referenced resource must exist and be live. FOR SHARE holds them so a concurrent
    delete waits for this transaction and then sees the new referrer."""
    errors: list[FieldError] = []
    by_table: dict[str, list[Ref]] = {}
    for ref in refs:
        by_table.setdefault(ref.table, []).append(ref)
    for table, table_refs in by_table.items():
        rows = await conn.fetch(
            f"SELECT id, deleted FROM {table} WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE",
            sorted({r.id for r in table_refs}),
        )
        found = {row["id"]: row["deleted"] for row in rows}
        kind_name = KINDS[table].name
        for ref in table_refs:
            if ref.id not in found:
                errors.append(FieldError(ref.field, f"no {kind_name} with id {ref.id!r}"))
            elif found[ref.id]:
                errors.append(FieldError(ref.field, f"{kind_name} {ref.id} is deleted"))
    if errors:
        raise invalid(errors)


async def _validate(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    fields: msgspec.Struct,
    resource_id: str | None,
    stored_link: str | None = None,
) -> list[Ref]:
    refs = await checked_refs(conn, kind, fields, resource_id, stored_link)
    await _check_references(conn, refs)
    return refs


async def checked_refs(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    fields: msgspec.Struct,
    resource_id: str | None,
    stored_link: str | None = None,
) -> list[Ref]:
    """The references of `fields` once the kind's own rules pass; the caller checks (and
    locks) the referenced resources. `stored_link`: the value of the kind's `chain_link`
    before this update (None for a create)."""
    errors = kind.check(fields, resource_id) or await chain_errors(
        conn, kind, fields, resource_id, stored_link
    )
    if errors:
        raise invalid(errors)
    return list(find_references(msgspec.to_builtins(fields), kind.references))


def _document(
    kind: ResourceKind,
    resource_id: str,
    version: int,
    created_at: datetime,
    updated_at: datetime,
    fields: msgspec.Struct,
    deleted: bool = False,
) -> dict[str, Any]:
    return {
        "id": resource_id,
        "version": version,
        "created_at": created_at,
        "updated_at": updated_at,
        "deleted": deleted,
        **msgspec.to_builtins(fields),
        **kind.derive(fields),
    }


async def create(
    conn: asyncpg.Connection, kind: ResourceKind, fields: msgspec.Struct, author: Author
) -> Document:
    """Write version 1. Like every write here, call it inside a transaction."""
    refs = await _validate(conn, kind, fields, None)
    now = await conn.fetchval("SELECT clock_timestamp()")
    document = _document(kind, new_id(kind.prefix), 1, now, now, fields)
    return await write(conn, kind, insert_sql(kind), document, refs, "created", author)


async def _lock_current(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str, if_match: int | None
) -> tuple[dict[str, Any], datetime]:
    """The current document, locked for this transaction, and the time of the change."""
    row = (
        await conn.fetchrow(
            f"SELECT doc::text AS doc, clock_timestamp() AS now FROM {kind.table}"
            " WHERE id = $1 FOR UPDATE",
            resource_id,
        )
        if kind.owns(resource_id)
        else None
    )
    if row is None:
        raise not_found(kind, resource_id)
    current: dict[str, Any] = msgspec.json.decode(row["doc"])
    if current["deleted"]:
        raise gone(kind, resource_id, current["version"])
    if if_match is not None and if_match != current["version"]:
        raise ApiError(
            412,
            "precondition-failed",
            f"If-Match names version {if_match}, but {kind.name} {resource_id} is at version"
            f" {current['version']}. Read it again and re-apply your change.",
            current_version=current["version"],
        )
    return current, row["now"]


async def update(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    resource_id: str,
    patch: dict[str, Any],
    if_match: int | None,
    author: Author,
    *,
    rederive: bool = False,
) -> Document:
    """Apply a JSON merge patch to the writable fields and write the next version.
    `rederive` writes one even when the fields stay the same, so that derived fields are
    computed again by today's rules (a migration's re-derivation)."""
    if sets_chain_link(kind, patch):
        await lock_chain(conn, kind)
    current, now = await _lock_current(conn, kind, resource_id, if_match)
    writable = kind.writable(current)
    fields = to_fields(kind, merge_patch(writable, clear_companions(patch, kind.cleared_with)))
    if not rederive and msgspec.to_builtins(fields) == writable:
        # Nothing changes, so no new version: a retried PATCH is harmless.
        return Document(current["version"], msgspec.json.encode(current))
    stored_link = writable.get(kind.chain_link) if kind.chain_link else None
    refs = await _validate(conn, kind, fields, resource_id, stored_link)
    document = _document(
        kind,
        resource_id,
        current["version"] + 1,
        datetime.fromisoformat(current["created_at"]),
        now,
        fields,
    )
    return await write(conn, kind, update_sql(kind), document, refs, "updated", author)


async def delete(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    resource_id: str,
    if_match: int | None,
    author: Author,
) -> Document:
    """Write a tombstone version; the history stays readable."""
    current, now = await _lock_current(conn, kind, resource_id, if_match)
    await _refuse_if_referenced(conn, kind, resource_id)
    document = {
        **current,
        "version": current["version"] + 1,
        "created_at": datetime.fromisoformat(current["created_at"]),
        "updated_at": now,
        "deleted": True,
    }
    return await write(conn, kind, update_sql(kind), document, [], "deleted", author)


async def _refuse_if_referenced(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str
) -> None:
    """A tombstone must not leave live resources pointing at it (their references would
    then fail validation on their next edit); the client deletes or re-points them first."""
    union = " UNION ALL ".join(
        f"(SELECT id FROM {other.table} WHERE refs @> ARRAY[$1] AND NOT deleted LIMIT 5)"
        for other in KINDS.values()
    )
    referrers = [row["id"] for row in await conn.fetch(union, resource_id)]
    if referrers:
        listed = ", ".join(referrers[:5])
        raise ApiError(
            409,
            "conflict",
            f"{kind.name.capitalize()} {resource_id} is still referenced by live resources"
            f" ({listed}); delete or re-point them first.",
        )


async def get(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str, as_of: datetime | None
) -> Document:
    if not kind.owns(resource_id):
        raise not_found(kind, resource_id)
    if as_of is None:
        row = await conn.fetchrow(
            f"SELECT version, deleted, doc::text AS doc FROM {kind.table} WHERE id = $1",
            resource_id,
        )
    else:
        row = await conn.fetchrow(
            f"""SELECT version, deleted, doc::text AS doc FROM {kind.table}_history
                 WHERE id = $1 AND updated_at <= $2
                 ORDER BY updated_at DESC LIMIT 1""",
            resource_id,
            as_of,
        )
    if row is None:
        raise not_found(kind, resource_id)
    if row["deleted"]:
        raise gone(kind, resource_id, row["version"])
    return Document(row["version"], row["doc"].encode())


class _RevisionOut(msgspec.Struct):
    version: int
    action: str
    recorded_at: datetime
    api_key_id: str | None
    change_note: str | None
    data: msgspec.Raw


_REVISION_COLUMNS = (
    "version, action, updated_at AS recorded_at, api_key_id, change_note, doc::text AS snapshot"
)


def _revision_json(row: asyncpg.Record) -> bytes:
    return msgspec.json.encode(
        _RevisionOut(
            row["version"],
            row["action"],
            row["recorded_at"],
            row["api_key_id"],
            row["change_note"],
            msgspec.Raw(row["snapshot"].encode()),
        )
    )


async def version(
    conn: asyncpg.Connection, kind: ResourceKind, resource_id: str, number: int
) -> bytes:
    row = (
        await conn.fetchrow(
            f"SELECT {_REVISION_COLUMNS} FROM {kind.table}_history WHERE id = $1 AND version = $2",
            resource_id,
            number,
        )
        if kind.owns(resource_id)
        else None
    )
    if row is None:
        raise ApiError(
            404, "not-found", f"{kind.name.capitalize()} {resource_id} has no version {number}."
        )
    return _revision_json(row)


async def versions(
    conn: asyncpg.Connection,
    kind: ResourceKind,
    resource_id: str,
    limit: int,
    cursor: str | None,
) -> bytes:
    after = decode_cursor(cursor, int) if cursor else 0
    rows = (
        await conn.fetch(
            f"SELECT {_REVISION_COLUMNS} FROM {kind.table}_history"
            " WHERE id = $1 AND version > $2 ORDER BY version LIMIT $3",
            resource_id,
            after,
            limit + 1,
        )
        if kind.owns(resource_id)
        else []
    )
    if not rows and after == 0:
        raise not_found(kind, resource_id)
    page, next_cursor = split_page(rows, limit, lambda row: row["version"])
    return page_body([_revision_json(row) for row in page], next_cursor)


class Filters:
    """WHERE clauses with numbered placeholders; each kind's store adds its own."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.args: list[Any] = []
        self.rank: str | None = None
        """An SQL relevance expression; when set, lists order by it (best first)."""
        self.branches: tuple[int, list[str]] | None = None
        """The first `add_any`: the position of its clause and its alternatives, which
        `list_page` reads as separate id-ordered scans and merges."""

    def add(self, template: str, *values: Any) -> None:
        """`template` has one `{}` per value, e.g. `stated_on >= {}`."""
        self.clauses.append(self._placeholders(template, len(values)))
        self.args.extend(values)

    def add_any(self, templates: Sequence[str], *values: Any) -> None:
        """A row matches if any of `templates` does; each has one `{}` per value, the same
        values for all, e.g. `("claimant_id = {}", "co_claimant_ids @> ARRAY[{}]")`.

        Anywhere clauses are joined with AND this is one `(a OR b)` clause. A plain list
        (`list_page`, without a ranking) reads the first such filter as one id-ordered scan
        per alternative instead, each of them LIMITed, merged: an OR of two indexed
        conditions otherwise turns an ordered index scan that stops after a page into a
        bitmap of every matching row and a sort."""
        branches = [self._placeholders(template, len(values)) for template in templates]
        if self.branches is None:
            self.branches = (len(self.clauses), branches)
        self.clauses.append("(" + " OR ".join(f"({branch})" for branch in branches) + ")")
        self.args.extend(values)

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
            filters.add("id > {}", decode_cursor(cursor, str))
        rows = await conn.fetch(_in_id_order(source, filters, int(limit) + 1), *filters.args)
    else:
        rows = await _ranked_rows(conn, source, filters, rank, limit, cursor)
    page, next_cursor = split_page(
        rows, limit, lambda row: row["id"] if rank is None else (row["rank"], row["id"])
    )
    return page_body([row["doc"].encode() for row in page], next_cursor)


def _in_id_order(source: str, filters: Filters, n: int) -> str:
    """SQL of the first `n` rows matching `filters`, in id order. With alternatives
    (`Filters.add_any`), one LIMITed scan per alternative, each leaving out the rows of the
    ones before it (a row matching two appears once), merged in id order."""
    select = f"SELECT id, doc::text AS doc FROM {source} WHERE"
    if filters.branches is None:
        where = " AND ".join(filters.clauses) or "true"
        return f"{select} {where} ORDER BY id LIMIT {n}"
    at, branches = filters.branches
    others = filters.clauses[:at] + filters.clauses[at + 1 :]
    scans = []
    for i, branch in enumerate(branches):
        excluded = [f"({earlier}) IS NOT TRUE" for earlier in branches[:i]]
        where = " AND ".join([f"({branch})", *excluded, *others])
        scans.append(f"({select} {where} ORDER BY id LIMIT {n})")
    return f"SELECT id, doc FROM ({' UNION ALL '.join(scans)}) AS branches ORDER BY id LIMIT {n}"


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
