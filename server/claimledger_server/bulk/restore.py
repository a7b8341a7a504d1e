"""The history import (`POST /v1/import?history=true`): a history export (`history.py`)
applied to an empty instance. Every resource keeps its id, every version its number, time,
API key, change note and snapshot, and every event its id and feed position, so a partner's
mirror of the exported instance (resources by id and version, the feed read up to some
position) is a valid mirror of the restored one and goes on syncing where it stopped.

- Empty means no resource of any kind and no event. The import locks the events table
  before it looks (EXCLUSIVE: reads go on; every write waits, as each writes an event), so
  nothing slips in between the look and the commit; a target that is not empty is a 409.
- Versions are stored as the file gives them, not written anew through the write path: their
  snapshots, times and authors are the history being restored. So the file is checked first,
  as a whole: each line against its kind's resource schema and against the versions before
  it (numbers from 1 without gaps, version 1 `created`, nothing after a tombstone, times in
  order, the snapshot's own id, version, times and `deleted` agreeing with the line), then,
  once every line is read, the references (each to a resource in the file, and the last
  version of a live resource to live ones) and the external_ids (one resource each). Only a
  file with no error is written, in the caller's transaction: all of it or nothing.
- Events: a version's event is written with its id and position, so the restored feed
  numbers events as the original did (positions of events the export does not carry, such
  as `webhook_endpoint.disabled`, stay unused). Such events never pass the sequencer, so no
  webhook delivery is made for them: history is not news. An event the original had not
  numbered yet gets its position from the sequencer after the commit, as new events do.
- The feed line (`FeedLine`, the export's first) gives the original's last position; it is
  recorded as the feed's floor, so new events are numbered after it even when the original
  ended with events the file does not carry. A file without it (older exports) has none."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from claimledger_server.actors.schemas import ACTOR
from claimledger_server.bulk.history import HISTORY_KINDS
from claimledger_server.bulk.lines import MAX_ERRORS, BulkError, Record, import_result
from claimledger_server.bulk.schemas import FeedLine, HistoryLine, ImportResult
from claimledger_server.claims.schemas import CLAIM
from claimledger_server.errors import ApiError, FieldError, from_msgspec_error
from claimledger_server.events.sequencer import raise_floor
from claimledger_server.extractions.schemas import EXTRACTION
from claimledger_server.figures.schemas import FIGURE
from claimledger_server.sources.schemas import SOURCE
from claimledger_server.versioning.kinds import KINDS, Ref, ResourceKind, find_references
from claimledger_server.versioning.writes import ROW_COLUMNS

_RESOURCES: dict[str, type[msgspec.Struct]] = {
    "actor": ACTOR.resource,
    "source": SOURCE.resource,
    "claim": CLAIM.resource,
    "figure": FIGURE.resource,
    "extraction": EXTRACTION.resource,
}
"""What a line's `data` must be: the kind's resource as the API answers it."""
_LIVE_COLUMNS = ROW_COLUMNS.split(", ")
_HISTORY_COLUMNS = [*_LIVE_COLUMNS, "action", "valid_to", "api_key_id", "change_note"]
_VALID_TO = _HISTORY_COLUMNS.index("valid_to")
_EXTERNAL_ID = _HISTORY_COLUMNS.index("external_id")
_EVENT_COLUMNS = [
    "id",
    "type",
    "occurred_at",
    "resource",
    "resource_id",
    "version",
    "data",
    "position",
]


@dataclass
class _Resource:
    """What is known of a resource after its latest version read so far."""

    kind: ResourceKind
    line: int
    version: int
    recorded_at: datetime
    created_at: datetime
    deleted: bool
    row: list[Any]
    """Its history row, written once the file passes; `valid_to` is set by the next version."""
    refs: list[Ref] = field(default_factory=list)


@dataclass
class _Reference:
    """A reference of one version, checked once the whole file is read."""

    line: int
    field: str
    table: str
    id: str


def _moment(value: datetime) -> str:
    return msgspec.json.encode(value).decode().strip('"')


@dataclass
class _Restore:
    max_errors: int
    lines: int = 0
    resources: dict[str, _Resource] = field(default_factory=dict)
    history: dict[str, list[list[Any]]] = field(default_factory=dict)
    """History rows by table, in file order."""
    events: list[tuple[int, list[Any]]] = field(default_factory=list)
    """(line, row) of every event."""
    event_lines: dict[str, int] = field(default_factory=dict)
    position_lines: dict[int, int] = field(default_factory=dict)
    feed: tuple[int, int] | None = None
    """(line, last_position) of the feed line."""
    references: list[_Reference] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {
            name: {"created": 0, "updated": 0, "unchanged": 0} for name in HISTORY_KINDS
        }
    )

    @property
    def full(self) -> bool:
        return len(self.errors) >= self.max_errors

    def _error(self, number: int, where: str, message: str) -> None:
        self.errors.append(FieldError(where, message, line=number))

    def line(self, number: int, value: Any) -> None:
        self.lines += 1
        if isinstance(value, FieldError):
            self.errors.append(value)
            return
        try:
            if isinstance(value, dict) and value.get("kind") == "feed":
                self._feed_line(number, msgspec.convert(value, FeedLine, strict=True))
                return
            line = msgspec.convert(value, HistoryLine, strict=True)
        except msgspec.ValidationError as exc:
            error = from_msgspec_error(exc, HistoryLine)
            message = error.message
            if isinstance(value, dict) and "external_id" in value and "id" not in value:
                message += (
                    ": this looks like a line of the plain export, which `POST /v1/import`"
                    " takes without history=true; a history import takes the lines of"
                    " `GET /v1/export?history=true`"
                )
            self._error(number, "line" if error.field == "body" else error.field, message)
            return
        kind = HISTORY_KINDS[line.kind]
        previous = self.resources.get(line.id)
        problems = self._sequence_errors(kind, line, previous)
        if problems:
            for where, message in problems:
                self._error(number, where, message)
            return
        created_at = line.recorded_at if previous is None else previous.created_at
        problems = _data_errors(kind, line, created_at)
        for where, message in problems:
            self._error(number, where, message)
        # A line whose snapshot failed still counts as its resource's next version, so the
        # lines after it are judged against it rather than all failing in turn.
        refs = [] if problems else list(find_references(kind.writable(line.data), kind.references))
        self._keep(number, kind, line, previous, created_at, refs)

    def _feed_line(self, number: int, line: FeedLine) -> None:
        if self.feed is not None:
            self._error(number, "kind", f"the feed line is line {self.feed[0]}; a file has one")
        else:
            self.feed = (number, line.last_position)

    def _keep(
        self,
        number: int,
        kind: ResourceKind,
        line: HistoryLine,
        previous: _Resource | None,
        created_at: datetime,
        refs: list[Ref],
    ) -> None:
        """The rows of a line that follows the versions before it."""
        doc = msgspec.json.encode(line.data).decode()
        deleted = line.action == "deleted"
        values: dict[str, Any] = {
            "id": line.id,
            "version": line.version,
            "updated_at": line.recorded_at,
            "created_at": created_at,
            "deleted": deleted,
            "external_id": line.data.get("external_id"),
            "refs": sorted({ref.id for ref in refs}),
            "doc": doc,
            "action": line.action,
            "valid_to": None,
            "api_key_id": line.api_key_id,
            "change_note": line.change_note,
        }
        row = [values[column] for column in _HISTORY_COLUMNS]
        if previous is not None:
            previous.row[_VALID_TO] = line.recorded_at
        self.resources[line.id] = _Resource(
            kind, number, line.version, line.recorded_at, created_at, deleted, row, refs
        )
        self.history.setdefault(kind.table, []).append(row)
        self.references += [_Reference(number, f"data.{r.field}", r.table, r.id) for r in refs]
        if line.event is not None:
            event = line.event
            self.event_lines[event.id] = number
            if event.position is not None:
                self.position_lines[event.position] = number
            type_ = f"{kind.name}.{line.action}"
            occurred = [event.id, type_, line.recorded_at, kind.name, line.id, line.version]
            self.events.append((number, [*occurred, doc, event.position]))
        self.counts[kind.name]["created" if line.version == 1 else "updated"] += 1

    def _sequence_errors(
        self, kind: ResourceKind, line: HistoryLine, previous: _Resource | None
    ) -> list[tuple[str, str]]:
        """How the line does not follow the versions before it (and the events so far)."""
        if not kind.owns(line.id):
            return [("id", f"a {kind.name} id starts with {kind.prefix}_")]
        problems = []
        if previous is None:
            if line.version != 1:
                problems.append(
                    (
                        "version",
                        f"{line.id} first appears at version {line.version}; a"
                        " resource's versions start at 1 and follow each other without gaps",
                    )
                )
        elif previous.deleted:
            problems.append(
                (
                    "version",
                    f"{line.id} was deleted at version {previous.version} (line"
                    f" {previous.line}); no version follows a tombstone",
                )
            )
        elif line.version != previous.version + 1:
            problems.append(
                (
                    "version",
                    f"expected version {previous.version + 1} of {line.id}: version"
                    f" {previous.version} is on line {previous.line}, and versions follow each"
                    " other without gaps",
                )
            )
        if line.version == 1 and line.action != "created":
            problems.append(("action", "version 1 is `created`"))
        elif line.version > 1 and line.action == "created":
            problems.append(
                ("action", "only version 1 is `created`; a later one is `updated` or `deleted`")
            )
        if previous is not None and line.recorded_at < previous.recorded_at:
            problems.append(
                (
                    "recorded_at",
                    f"before version {previous.version}'s"
                    f" ({_moment(previous.recorded_at)}, line {previous.line}); a resource's"
                    " versions are recorded in order",
                )
            )
        if line.event is not None:
            if (other := self.event_lines.get(line.event.id)) is not None:
                problems.append(("event.id", f"also the event of line {other}"))
            position = line.event.position
            if position is not None and (other := self.position_lines.get(position)) is not None:
                problems.append(("event.position", f"also the position of line {other}'s event"))
        return problems

    def check_references(self) -> None:
        """Once every line is read: references name resources in the file, the last version
        of a live resource references live ones only, and no two resources end with the same
        external_id; and the feed ends at or after every event's position."""
        if self.feed is not None and self.position_lines:
            number, last = self.feed
            top = max(self.position_lines)
            if top > last:
                message = (
                    f"the feed's last position is below {top}, the position of line"
                    f" {self.position_lines[top]}'s event"
                )
                self._error(number, "last_position", message)
        for ref in self.references:
            target = self.resources.get(ref.id)
            if target is None or target.kind.table != ref.table:
                name = KINDS[ref.table].name
                self._error(ref.line, ref.field, f"no {name} with id {ref.id} in the file")
        owners: dict[tuple[str, str], _Resource] = {}
        for resource_id, resource in self.resources.items():
            external_id = resource.row[_EXTERNAL_ID]
            if external_id is not None:
                other = owners.setdefault((resource.kind.table, external_id), resource)
                if other is not resource:
                    self._error(
                        resource.line,
                        "data.external_id",
                        f"also the external_id of {other.row[0]} (line {other.line}): each"
                        f" {resource.kind.name} has its own",
                    )
            if resource.deleted:
                continue
            for link in resource.refs:
                target = self.resources.get(link.id)
                if target is not None and target.deleted:
                    self._error(
                        resource.line,
                        f"data.{link.field}",
                        f"{link.id} is deleted (line {target.line}), but this version, the last"
                        f" of {resource_id}, still references it",
                    )

    async def write(self, conn: asyncpg.Connection) -> None:
        for kind in HISTORY_KINDS.values():
            rows = self.history.get(kind.table)
            if not rows:
                continue
            live = [r.row[: len(_LIVE_COLUMNS)] for r in self.resources.values() if r.kind is kind]
            await conn.copy_records_to_table(
                f"{kind.table}_history", records=rows, columns=_HISTORY_COLUMNS
            )
            await conn.copy_records_to_table(kind.table, records=live, columns=_LIVE_COLUMNS)
        # Numbered events in feed order, then those the feed had not numbered, in file order:
        # the sequencer numbers them in the order they were inserted.
        events = sorted(self.events, key=lambda e: (e[1][-1] is None, e[1][-1] or 0, e[0]))
        if events:
            await conn.copy_records_to_table(
                "events", records=[row for _, row in events], columns=_EVENT_COLUMNS
            )
        if self.feed is not None:
            await raise_floor(conn, self.feed[1])
        # Plans are made from statistics, which autovacuum would gather only later (or never,
        # where it is off): a restored table of millions of rows would be planned as empty.
        tables = [
            t for kind in HISTORY_KINDS.values() for t in (kind.table, f"{kind.table}_history")
        ]
        await conn.execute(f"ANALYZE {', '.join(tables)}, claim_refs, events")


async def _refuse_unless_empty(conn: asyncpg.Connection) -> None:
    await conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
    held = [
        kind.table
        for kind in HISTORY_KINDS.values()
        if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {kind.table}_history)")
    ]
    if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM events)"):
        held.append("events in the changes feed")
    if held:
        raise ApiError(
            409,
            "not-empty",
            "A history import restores into an empty instance, and this one holds"
            f" {', '.join(held)}. Import into a new database (migrated, with an API key and"
            " nothing else), or use the plain import to merge resources into this one.",
        )


async def restore_history(
    conn: asyncpg.Connection,
    records: Iterable[Record],
    *,
    max_errors: int = MAX_ERRORS,
) -> ImportResult:
    """Apply a history file to the empty instance `conn` is connected to, in one transaction
    (a savepoint of the caller's, if any); 409 when it is not empty, `BulkError` naming every
    failing line (up to `max_errors`) when the file does not pass, and then nothing is
    written."""
    async with conn.transaction():
        await _refuse_unless_empty(conn)
        restore = _Restore(max_errors)
        stopped_at = None
        for number, value in records:
            if restore.full:
                stopped_at = number - 1
                break
            restore.line(number, value)
        if not restore.full:
            restore.check_references()
        if restore.errors:
            errors = sorted(restore.errors, key=lambda e: e.line or 0)[:max_errors]
            raise BulkError(errors, stopped_at)
        await restore.write(conn)
    return import_result(restore.lines, restore.counts)


def _data_errors(
    kind: ResourceKind, line: HistoryLine, created_at: datetime
) -> list[tuple[str, str]]:
    """How `data` is not the snapshot this line says it is."""
    data = line.data
    resource_type = _RESOURCES[kind.name]
    try:
        resource: Any = msgspec.convert(data, resource_type, strict=True)
    except msgspec.ValidationError as exc:
        error = from_msgspec_error(exc, resource_type)
        return [("data" if error.field == "body" else f"data.{error.field}", error.message)]
    problems = [
        (f"data.{name}", "not a member of the resource")
        for name in data
        if name not in resource_type.__struct_fields__
    ]
    expected = {
        "id": (resource.id == line.id, f"must be the line's id, {line.id}"),
        "version": (
            resource.version == line.version,
            f"must be the line's version, {line.version}",
        ),
        "updated_at": (
            resource.updated_at == line.recorded_at,
            f"must be the line's recorded_at, {_moment(line.recorded_at)}",
        ),
        "created_at": (
            resource.created_at == created_at,
            f"must be when version 1 was recorded, {_moment(created_at)}",
        ),
        "deleted": (
            resource.deleted == (line.action == "deleted"),
            "true in a tombstone (action `deleted`) and only there",
        ),
    }
    problems += [(f"data.{name}", message) for name, (ok, message) in expected.items() if not ok]
    return problems
