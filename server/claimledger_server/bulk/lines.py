"""Files of resources, one record per line:
`{"kind": "actor", "external_id": "...", "data": {...create body...}}`, where references may
name their target as `ext:<external_id>`. Import and seeding both load them here.

- Every line upserts by (kind, external_id): a line equal to what is stored writes nothing.
- The file applies in one transaction (the caller's, if it has one): all or nothing.
- A failing file is read a second time with each line in a savepoint, so that after a
  failing line the others are still checked and one report names every failing line (up
  to `MAX_ERRORS`). The first pass, which is all a valid file needs, uses no savepoints:
  every savepoint that writes is a subtransaction, and past 64 of them in one transaction
  PostgreSQL slows every other session's snapshots down (subtransaction cache overflow).
- A reference must name a stored resource or an earlier line. The exception is a claim's
  `relations[].claim_id`: relations may form cycles (A contradicts B, B contradicts A), so
  they may name a claim on any line. Such a claim is first written without the relations
  whose target is not stored yet, and they are added once every line has been read (its
  second version on a first import; nothing at all on a re-import, where targets exist).
- A later line with the same kind and external_id updates what the earlier one wrote."""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import msgspec

from claimledger_server.actors.store import ACTORS
from claimledger_server.bodies import json_value
from claimledger_server.bulk.batch import Batched, Direct, Retry, chunks
from claimledger_server.bulk.schemas import ImportCounts, ImportKinds, ImportLine, ImportResult
from claimledger_server.claims.store import CLAIMS
from claimledger_server.errors import ApiError, FieldError, from_msgspec_error
from claimledger_server.figures.store import FIGURES
from claimledger_server.sources.store import SOURCES
from claimledger_server.versioning.kinds import ResourceKind, find_references
from claimledger_server.versioning.store import Author
from claimledger_server.versioning.upsert import EXTERNAL

KINDS_BY_NAME = {kind.name: kind for kind in (ACTORS, SOURCES, CLAIMS, FIGURES)}
MAX_ERRORS = 100
CSV_HEADER = ["kind", "external_id", "data"]
_BOM = b"\xef\xbb\xbf"

Record = tuple[int, Any]
"""(line number, the line's JSON value — or the `FieldError` that reading it gave)."""


class _Failed(Exception):
    """A line failed in the pass without savepoints."""


class BulkError(Exception):
    """The file was refused; nothing of it was written."""

    def __init__(self, errors: list[FieldError], stopped_at: int | None = None) -> None:
        self.errors = errors
        self.stopped_at = stopped_at
        """The line after which checking stopped because `MAX_ERRORS` were found."""
        lines = len({e.line for e in errors})
        stopped = (
            f" Checking stopped after line {stopped_at}, at {len(errors)} errors."
            if stopped_at
            else ""
        )
        summary = "; ".join(f"line {e.line}: {e.field}: {e.message}" for e in errors[:3])
        super().__init__(
            f"{lines} line{'s' if lines != 1 else ''} failed, so nothing was imported."
            f"{stopped} First: {summary}"
        )


# Reading


def ndjson_records(body: bytes, decode: Callable[[bytes], Any] = json_value) -> Iterator[Record]:
    """The lines of an NDJSON body, numbered from 1; blank lines are skipped (but counted).
    `decode` reads a line's JSON (by default numbers as written, `bodies.json_value`)."""
    start = len(_BOM) if body.startswith(_BOM) else 0
    number = 0
    while start < len(body):
        end = body.find(b"\n", start)
        end = len(body) if end == -1 else end
        number += 1
        raw, start = body[start:end], end + 1
        if raw.strip():
            yield number, _decode_json(raw, "line", number, decode)


def csv_records(body: bytes) -> Iterator[Record]:
    """The rows of a CSV body with the header `kind,external_id,data` (`data` as JSON
    text): import lines in CSV. Row numbers are line numbers, header included."""
    try:
        text = body.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        yield line, FieldError("line", "not valid UTF-8", line=line)
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        if header != CSV_HEADER:
            message = f"must be {','.join(CSV_HEADER)}"
            if header[:1] == ["id"]:
                message += (
                    ": this looks like the spreadsheet the CSV export writes, which does not"
                    " import; import the NDJSON export (format=ndjson)"
                )
            yield 1, FieldError("header", message, line=1)
            return
        for row in reader:
            number = reader.line_num
            if not row or row == [""]:
                continue
            if len(row) != len(CSV_HEADER):
                message = f"expected {len(CSV_HEADER)} columns ({','.join(CSV_HEADER)})"
                yield number, FieldError("line", f"{message}, got {len(row)}", line=number)
                continue
            kind, external_id, data = row
            value = _decode_json(data.encode(), "data", number)
            if isinstance(value, FieldError):
                yield number, value
                continue
            external_id = csv_unescape(external_id)
            yield number, {"kind": kind, "external_id": external_id, "data": value}
    except csv.Error as exc:
        yield reader.line_num, FieldError("line", f"not valid CSV: {exc}", line=reader.line_num)


def _decode_json(
    raw: bytes, where: str, number: int, decode: Callable[[bytes], Any] = json_value
) -> Any:
    try:
        return decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        return FieldError(where, f"not valid JSON: {exc}", line=number)
    except RecursionError:
        return FieldError(where, "nested too deeply", line=number)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_escape(cell: str) -> str:
    """A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (CSV
    injection); a leading `'` makes it text. In an import file only `external_id` can start
    so (`kind` is a word, `data` a JSON object), and `csv_unescape` reverses this exactly;
    the CSV export guards every text cell the same way."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def csv_unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


# Applying


@dataclass
class _Deferred:
    """A claim line written without the relations to claims not stored yet."""

    line: int
    outcome: str
    data: dict[str, Any]


@dataclass
class _Unresolved:
    """An error for an `ext:` reference that named nothing stored: explained at the end."""

    index: int
    table: str
    external_id: str


@dataclass
class _Import:
    conn: asyncpg.Connection
    writer: Direct
    max_errors: int
    savepoints: bool
    """Whether each line runs in a savepoint (and a failure is recorded, not raised)."""
    lines: int = 0
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {
            name: {"created": 0, "updated": 0, "unchanged": 0} for name in KINDS_BY_NAME
        }
    )
    errors: list[FieldError] = field(default_factory=list)
    unresolved: list[_Unresolved] = field(default_factory=list)
    defined: dict[tuple[str, str], int] = field(default_factory=dict)
    """(table, external_id) → the first line that defines it."""
    failed: dict[tuple[str, str], int] = field(default_factory=dict)
    """(table, external_id) → a line defining it that failed."""
    deferred: dict[str, _Deferred] = field(default_factory=dict)
    """Claims by external_id whose relations are completed at the end."""

    @property
    def full(self) -> bool:
        return len(self.errors) >= self.max_errors

    async def line(self, number: int, value: Any) -> None:
        self.lines += 1
        if isinstance(value, FieldError):
            self._error(value)
            return
        try:
            line = msgspec.convert(value, ImportLine, strict=True)
        except msgspec.ValidationError as exc:
            error = from_msgspec_error(exc, ImportLine)
            where = "line" if error.field == "body" else error.field
            self._error(FieldError(where, error.message, line=number))
            return
        kind = KINDS_BY_NAME[line.kind]
        key = (kind.table, line.external_id)
        self.defined.setdefault(key, number)
        if line.data.get("external_id", line.external_id) != line.external_id:
            message = "differs from the line's external_id (leave it out of data)"
            self._error(FieldError("data.external_id", message, line=number))
            self.failed[key] = number
            return
        if kind is CLAIMS and (earlier := self.deferred.pop(line.external_id, None)):
            self._count(kind, earlier.outcome)  # superseded by this line
        data, kept = line.data, None
        if kind is CLAIMS:
            data, kept = await self._without_forward_relations(line.data)
        outcome = await self._upsert(number, kind, line.external_id, data, line.data, kept)
        if outcome is None:
            self.failed[key] = number
        elif kept is not None:
            self.deferred[line.external_id] = _Deferred(number, outcome, line.data)
        else:
            self._count(kind, outcome)

    async def complete_relations(self) -> None:
        for external_id, claim in sorted(self.deferred.items(), key=lambda item: item[1].line):
            if self.full:
                return
            outcome = await self._upsert(claim.line, CLAIMS, external_id, claim.data, claim.data)
            if outcome is None:
                self.failed[(CLAIMS.table, external_id)] = claim.line
            elif claim.outcome == "created" or outcome == "unchanged":
                self._count(CLAIMS, claim.outcome)
            else:
                self._count(CLAIMS, outcome)
        self.deferred.clear()

    async def _without_forward_relations(
        self, data: dict[str, Any]
    ) -> tuple[dict[str, Any], list[int] | None]:
        """`data` without the relations that name a claim not stored (yet), and the indexes
        of the relations kept; (data, None) when every relation can be written now."""
        relations = data.get("relations")
        if not isinstance(relations, list):
            return data, None
        kept = []
        for index, relation in enumerate(relations):
            target = relation.get("claim_id") if isinstance(relation, dict) else None
            if isinstance(target, str) and target.startswith(EXTERNAL):
                name = target.removeprefix(EXTERNAL)
                if await self.writer.find(CLAIMS.table, name) is None:
                    continue
            kept.append(index)
        if len(kept) == len(relations):
            return data, None
        return {**data, "relations": [relations[i] for i in kept]}, kept

    async def _upsert(
        self,
        number: int,
        kind: ResourceKind,
        external_id: str,
        data: dict[str, Any],
        original: dict[str, Any],
        kept: list[int] | None = None,
    ) -> str | None:
        """Upsert (in a savepoint if so set); on failure record the errors and return None."""
        try:
            if self.savepoints:
                async with self.conn.transaction():
                    outcome = await self.writer.upsert(kind, external_id, data)
            else:
                outcome = await self.writer.upsert(kind, external_id, data)
        except ApiError as exc:
            if not self.savepoints:
                raise _Failed from None
            refs = {
                ref.field: (ref.table, ref.id.removeprefix(EXTERNAL))
                for ref in find_references(original, kind.references)
                if ref.id.startswith(EXTERNAL)
            }
            for error in exc.errors or [FieldError("data", exc.detail)]:
                where = _original_index(error.field, kept)
                if where in refs and error.message.startswith("no "):
                    self.unresolved.append(_Unresolved(len(self.errors), *refs[where]))
                where = where if where == "external_id" else f"data.{where}"
                self._error(FieldError(where, error.message, line=number))
            return None
        return outcome

    def _error(self, error: FieldError) -> None:
        if not self.savepoints:
            raise _Failed
        self.errors.append(error)

    def _count(self, kind: ResourceKind, outcome: str) -> None:
        self.counts[kind.name][outcome] += 1

    def explain_unresolved(self) -> None:
        """Say why an `ext:` reference found nothing when the file itself defines it."""
        for item in self.unresolved:
            error = self.errors[item.index]
            key = (item.table, item.external_id)
            defined = self.defined.get(key, 0)
            if defined > (error.line or 0):
                note = (
                    f"it is defined later, on line {defined}: a reference must name a stored"
                    " resource or an earlier line (only claim relations may point forward)"
                )
            elif key in self.failed:
                note = f"line {self.failed[key]}, which defines it, failed"
            else:
                continue
            self.errors[item.index] = FieldError(
                error.field, f"{error.message} ({note})", line=error.line
            )

    def result(self) -> ImportResult:
        return import_result(self.lines, self.counts)


def import_result(lines: int, counts: dict[str, dict[str, int]]) -> ImportResult:
    """The report of an import that read `lines` lines, from its counts per kind name."""
    kinds = {
        name: ImportCounts(**counts.get(name, {"created": 0, "updated": 0, "unchanged": 0}))
        for name in ImportKinds.__struct_fields__
    }
    return ImportResult(
        lines=lines,
        created=sum(c.created for c in kinds.values()),
        updated=sum(c.updated for c in kinds.values()),
        unchanged=sum(c.unchanged for c in kinds.values()),
        kinds=ImportKinds(**kinds),
    )


_INDEXED_RELATION = re.compile(r"^relations\[(\d+)\]")


def _original_index(where: str, kept: list[int] | None) -> str:
    """An error about `relations[i]` of the relations written names the line's index."""
    if kept is None or not (match := _INDEXED_RELATION.match(where)):
        return where
    return f"relations[{kept[int(match.group(1))]}]{where[match.end() :]}"


async def import_records(
    conn: asyncpg.Connection,
    records: Callable[[], Iterable[Record]],
    author: Author,
    *,
    max_errors: int = MAX_ERRORS,
) -> ImportResult:
    """Apply every record in one transaction (a savepoint of the caller's, if any), or raise
    `BulkError` naming every failing line (up to `max_errors`) and write nothing.
    `records()` reads the file; a failing file is read twice."""
    try:
        async with conn.transaction():
            batched = Batched(conn, author)
            return await _apply(_Import(conn, batched, max_errors, savepoints=False), records())
    except (_Failed, Retry):
        pass
    async with conn.transaction():
        direct = Direct(conn, author)
        return await _apply(_Import(conn, direct, max_errors, savepoints=True), records())


def _keyed(chunk: list[Record]) -> Iterator[tuple[ResourceKind, str, Any]]:
    """(kind, external_id, data) of the records that look like import lines."""
    for _, value in chunk:
        if isinstance(value, dict) and isinstance(value.get("external_id"), str):
            kind = KINDS_BY_NAME.get(str(value.get("kind")))
            if kind is not None:
                yield kind, value["external_id"], value.get("data")


async def _apply(state: _Import, records: Iterable[Record]) -> ImportResult:
    stopped_at = None
    for chunk in chunks(records):
        await state.writer.prefetch(_keyed(chunk))
        for number, value in chunk:
            if state.full:
                stopped_at = number - 1
                break
            await state.line(number, value)
        if stopped_at is not None:
            break
    await state.writer.flush()
    await state.complete_relations()
    await state.writer.flush()
    if state.errors:
        state.explain_unresolved()
        errors = sorted(state.errors, key=lambda e: e.line or 0)[: state.max_errors]
        raise BulkError(errors, stopped_at)
    return state.result()
