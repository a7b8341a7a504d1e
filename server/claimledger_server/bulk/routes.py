"""/v1/import and /v1/export"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response, Router, get, post
from litestar.datastructures import ResponseHeader, State
from litestar.exceptions import PermissionDeniedException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Example,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import QueryParameter
from litestar.response import Stream

from claimledger_server.auth import ApiKey
from claimledger_server.bulk.history import HISTORY_KINDS, history_chunks
from claimledger_server.bulk.lines import (
    MAX_ERRORS,
    BulkError,
    Record,
    csv_records,
    import_records,
    ndjson_records,
)
from claimledger_server.bulk.restore import restore_history
from claimledger_server.bulk.schemas import ImportResult
from claimledger_server.bulk.spreadsheet import SHEETS, sheet_chunks, sheet_example, sheets_help
from claimledger_server.bulk.store import EXPORT_ORDER, Format, export_chunks
from claimledger_server.consistency import ReadPool
from claimledger_server.errors import PROBLEM_JSON, ApiError, FieldError, Problem, invalid
from claimledger_server.idempotency import Outcome, respond_once
from claimledger_server.openapi_docs import REPLAYED_HEADER, problems
from claimledger_server.parameters import IdempotencyKey, moment_query, parse_moment
from claimledger_server.versioning.routes import ChangeNote, author

NDJSON = "application/x-ndjson"
CSV = "text/csv"
_READERS = {NDJSON: ndjson_records, "application/jsonl": ndjson_records, CSV: csv_records}

_NDJSON_EXAMPLE = (
    "\n".join(
        [
            '{"kind":"actor","external_id":"actor:ukraine","data":{"name":"Ukraine","kind":"state",'
            '"country":"UKR"}}',
            '{"kind":"actor","external_id":"actor:volodymyr-zelenskyy","data":{"name":"Volodymyr'
            ' Zelenskyy","kind":"person","country":"UKR","parent_id":"ext:actor:ukraine"}}',
            '{"kind":"claim","external_id":"claim:zelenskyy-kursk","data":{"claimant_id":'
            '"ext:actor:volodymyr-zelenskyy","text":"Over 3,000 North Korean soldiers were killed'
            ' or wounded in the Kursk region.","stated_on":"2024-12-23"}}',
            '{"kind":"figure","external_id":"figure:zelenskyy-kursk","data":{"claim_id":'
            '"ext:claim:zelenskyy-kursk","metric":"killed_or_wounded","amount":3000,'
            '"qualifier":"more_than"}}',
        ]
    )
    + "\n"
)
_CSV_EXAMPLE = (
    "kind,external_id,data\r\n"
    'actor,actor:ukraine,"{""name"":""Ukraine"",""kind"":""state"",""country"":""UKR""}"\r\n'
)
_FILE_SCHEMA = Schema(
    type=OpenAPIType.STRING,
    description="One JSON object per line, each as the `ImportLine` schema"
    " (`#/components/schemas/ImportLine`) describes; with `history=true`, a `FeedLine`"
    " (`#/components/schemas/FeedLine`) first, then one `HistoryLine`"
    " (`#/components/schemas/HistoryLine`) per line.",
)


def _ndjson_content(what: str) -> OpenAPIMediaType:
    return OpenAPIMediaType(
        schema=_FILE_SCHEMA,
        examples={"file": Example(summary=f"{what} (NDJSON)", value=_NDJSON_EXAMPLE)},
    )


def _import_content() -> dict[str, OpenAPIMediaType]:
    return {
        NDJSON: _ndjson_content("An import file"),
        CSV: OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.STRING,
                description="A header row `kind,external_id,data`, then one resource per row"
                " with `data` as JSON text.",
            ),
            examples={"file": Example(summary="An import file (CSV)", value=_CSV_EXAMPLE)},
        ),
    }


def _export_content() -> dict[str, OpenAPIMediaType]:
    return {
        NDJSON: _ndjson_content("An export"),
        CSV: OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.STRING,
                description="One kind's spreadsheet: a header row of column names, then one"
                " resource per row. The columns of each kind:\n\n" + sheets_help(),
            ),
            examples={"claims": Example(summary="Claims (CSV)", value=sheet_example())},
        ),
    }


@dataclass
class _ImportOperation(Operation):
    """The request body is read raw (it is not JSON), so its documentation is added here."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content=_import_content(),
            required=True,
            description="`application/x-ndjson` (one `ImportLine` per line; blank lines are"
            " skipped) or `text/csv` with the header `kind,external_id,data` (one `ImportLine`"
            " per row, `data` as JSON text). The spreadsheet the CSV export writes does not"
            " import: the NDJSON export does. With `history=true`, `application/x-ndjson` of"
            " a `FeedLine` and one `HistoryLine` per version, as the history export writes"
            " it. Sizes up to `CLAIMLEDGER_MAX_IMPORT_BYTES` are accepted.",
        )


@dataclass
class _ExportOperation(Operation):
    def __post_init__(self) -> None:
        responses = self.responses or {}
        ok = responses.get("200")
        if isinstance(ok, OpenAPIResponse):
            ok.description = "The export file, streamed."
            ok.content = _export_content()
        self.responses = responses


@post(
    "/import",
    operation_id="importResources",
    summary="Import a file of resources",
    description=(
        "Upserts actors, sources, claims and figures from a file, one resource per line:"
        ' `{"kind": "actor" | "source" | "claim" | "figure", "external_id": "…", "data":'
        " {…the create body…}}` (the `ImportLine` schema). A line updates the resource of its"
        " kind with that external_id, or creates it; a line equal to what is stored writes no"
        " new version, so importing the same file again changes nothing.\n\n"
        'A reference in `data` may name its target as `"ext:<external_id>"`: a stored'
        " resource or one on an earlier line. Claim relations (`relations[].claim_id`) may"
        " also name a claim on a later line, so that cycles can be written: such a claim is"
        " written without them first and they are added once the file is read (a second"
        " version). A later line with the same kind and external_id updates the earlier"
        " one's resource.\n\n"
        "The file applies in one transaction: all of it or nothing. Every line is checked"
        " even after one fails, and a 422 lists each failing line's errors (`line`, `field`,"
        f" `message`; at most {MAX_ERRORS}, after which checking stops). The export"
        " (`GET /v1/export`) writes files this operation accepts as they are.\n\n"
        "`history=true` restores a history export (`GET /v1/export?history=true`, one"
        " `HistoryLine` per version) into an **empty** instance: every resource, drafts"
        " included, keeps its id, and every version its number, time, API key, change note"
        " and snapshot, so `/versions` and `as_of` reads answer as on the original. Each"
        " version's event is written with its id and feed position, so a partner's mirror"
        " that read the original's feed up to some `seq` goes on from there; these events"
        " are not delivered to webhooks. The file's `FeedLine`"
        ' (`{"kind": "feed", "last_position": N}`, at most one) makes the restored feed'
        " continue after N, the original's last position, even where the original's last"
        " events are ones the file does not carry (`api_key.*`): N must be at least every"
        " event position in the file, and a file without the line (an older export) still"
        " imports. It needs the `admin` scope (it writes history as others made it), NDJSON"
        " (CSV is a 422), and no `X-Change-Note` (each version keeps its own). An instance"
        " holding any resource or event answers 409 and nothing is written. The file is"
        " checked whole before anything is written — versions of a resource from 1"
        " without gaps, `created` first, nothing after a tombstone, the snapshot agreeing with"
        " its line and valid for its kind, every reference naming a resource in the file"
        " (in any order) and the last version of a live resource only live ones — and a 422"
        " lists each failing line's errors as above. In the report, a resource's version 1"
        " counts as created and each later version as updated (the `FeedLine` counts in"
        " `lines` only)."
    ),
    tags=["bulk"],
    status_code=200,
    opt={"scope": "write"},
    responses={
        **problems(409, 413, 422),
        415: ResponseSpec(
            data_container=Problem,
            description="The body is neither `application/x-ndjson` nor `text/csv`.",
            media_type=PROBLEM_JSON,
            generate_examples=False,
        ),
    },
    response_headers=[REPLAYED_HEADER],
    operation_class=_ImportOperation,
)
async def import_resources(
    request: Request[ApiKey, Any, Any],
    state: State,
    change_note: ChangeNote = None,
    idempotency_key: IdempotencyKey = None,
    history: Annotated[
        bool,
        QueryParameter(
            description="`true`: restore a history export into this empty instance (admin"
            " scope), keeping ids, versions and events."
        ),
    ] = False,
) -> Response[ImportResult]:
    if history:
        return await _import_history(request, state, change_note)
    read = _reader(request.headers.get("content-type"))
    body, by = await request.body(), author(request, change_note)

    async def work(conn: asyncpg.Connection) -> Outcome:
        try:
            result = await import_records(conn, lambda: read(body), by)
        except BulkError as exc:
            raise ApiError(422, "validation-error", str(exc), errors=exc.errors) from None
        return Outcome(200, {}, msgspec.json.encode(result))

    return await respond_once(request, state.pool, work)


async def _import_history(
    request: Request[ApiKey, Any, Any], state: State, change_note: str | None
) -> Response[ImportResult]:
    if not request.user.allows("admin"):
        raise PermissionDeniedException(
            "A history import writes versions as other keys made them: it needs the `admin` scope."
        )
    errors: list[FieldError] = []
    if _reader(request.headers.get("content-type")) is not ndjson_records:
        # A 422 rather than a 415: CSV is a media type this operation takes, without history.
        errors.append(FieldError("history", f"a history import is {NDJSON}, as the export is"))
    if change_note is not None:
        message = "a history import keeps each version's own note; send none"
        errors.append(FieldError("X-Change-Note", message))
    if errors:
        raise invalid(errors)
    body = await request.body()

    async def work(conn: asyncpg.Connection) -> Outcome:
        records = ndjson_records(body, msgspec.json.decode)  # floats stay floats, as stored
        try:
            result = await restore_history(conn, records)
        except BulkError as exc:
            raise ApiError(422, "validation-error", str(exc), errors=exc.errors) from None
        return Outcome(200, {}, msgspec.json.encode(result))

    return await respond_once(request, state.pool, work)


def _reader(content_type: str | None) -> Callable[[bytes], Iterator[Record]]:
    """How to read the body, as its Content-Type says (NDJSON when none is given)."""
    media_type = (content_type or NDJSON).split(";")[0].strip().lower()
    reader = _READERS.get(media_type)
    if reader is None:
        raise ApiError(
            415,
            "unsupported-media-type",
            f"Send the file as {NDJSON} or {CSV}, not {media_type or 'an empty Content-Type'}.",
        )
    return reader


_KIND_LIST = "(actor|source|claim|figure|extraction)"
ExportAsOf = moment_query(
    "Export the dataset as it was at this time (RFC 3339): resources created later are"
    " left out, resources deleted later are included."
)


@get(
    "/export",
    operation_id="exportResources",
    summary="Export the dataset as a file",
    description=(
        "Streams every live resource of the chosen kinds, as one consistent snapshot; with"
        " `as_of` the dataset as it was at that time. Deleted resources are left out.\n\n"
        "`format=ndjson` (the default) writes import lines (`ImportLine`), the file that"
        " round-trips: every reference is written as `ext:<external_id>` of its target,"
        " and a resource without an external_id is keyed by its id, so the export imports"
        " as is (`POST /v1/import`) — into an empty database, or back into this one, where"
        " it changes nothing. Lines come in dependency order: actors (parents before"
        " children), sources, claims, figures; within a kind, by the key they are exported"
        " under. Exporting only some `kinds` gives a file whose references to the other"
        " kinds must already be stored where it is imported.\n\n"
        "`history=true` (NDJSON, without `as_of`) writes every version of every resource"
        " instead, deleted ones and drafts (`extraction`) included: one `HistoryLine` per"
        " version — kind, id, version, action, when it was recorded, by which API key, its"
        " change note, its event's id and feed position, and the snapshot as `/versions`"
        " answers it — in the order actor, source, claim, figure, extraction, then by id and"
        ' version. Its first line is a `FeedLine`, `{"kind": "feed", "last_position": N}`:'
        " the feed's last position in the same snapshot, which may belong to an event the"
        " file does not carry (`api_key.*`, `webhook_endpoint.disabled`). That is a backup:"
        " `POST /v1/import?history=true` restores it into an empty instance with the same"
        " ids, versions and feed.\n\n"
        "`format=csv` writes a spreadsheet of one kind (`kinds` names exactly one; none or"
        " several is a 422): a header row, then one row per resource in the order they were"
        " created, one column per field. Objects are flattened into `<field>.<member>`"
        " columns (`location.name`, `period.start`); a list is one cell with its items"
        " joined by ` | ` (`topics`), and a list of objects one such column per member"
        " (`citations.source_id`, `citations.relayed_by_id`… line up item for item; a"
        " list inside an item, `citations.via_ids`, joins with `,`); `external_ids` is"
        " `key=value` pairs joined by ` | `. Dates are ISO dates, times RFC 3339, booleans"
        " `true`/`false`, null an empty cell. Beside its fields, a row names the actors"
        " it points at (`claimant.name`…) and a figure row its claim's claimant and date"
        " (`claim.claimant_id`, `claim.stated_on`…). A text cell starting with `=`, `+`,"
        " `-`, `@`, a tab, a carriage return or `'` gets a leading `'`, so a spreadsheet"
        " never runs it as a formula. `bom=true` starts the file with a UTF-8 byte order"
        " mark, which Excel needs to read UTF-8. The spreadsheet is for reading; it does"
        " not import."
    ),
    tags=["bulk"],
    opt={"scope": "read"},
    responses=problems(422),
    response_headers=[
        ResponseHeader(
            name="Content-Disposition",
            description='`attachment; filename="claimledger-export.ndjson"`, or for CSV'
            ' the kind\'s, e.g. `attachment; filename="claimledger-claims.csv"`.',
            documentation_only=True,
        )
    ],
    media_type=NDJSON,
    operation_class=_ExportOperation,
)
async def export_resources(
    read_pool: ReadPool,
    form: Annotated[
        Format,
        QueryParameter(name="format", description="`ndjson` (the default) or `csv`."),
    ] = "ndjson",
    kinds: Annotated[
        str | None,
        QueryParameter(
            description="Comma-separated kinds to export, e.g. `actor,claim`; all by default."
            " A CSV export takes exactly one; `extraction` (drafts) is exported with"
            " `history=true` only.",
            pattern=f"^{_KIND_LIST}(,{_KIND_LIST})*$",
        ),
    ] = None,
    as_of: ExportAsOf = None,  # type: ignore[valid-type]
    bom: Annotated[
        bool,
        QueryParameter(
            description="`true`: start a CSV export with a UTF-8 byte order mark (for Excel)."
        ),
    ] = False,
    history: Annotated[
        bool,
        QueryParameter(
            description="`true`: every version of every resource, with ids and events, for"
            " a backup that `POST /v1/import?history=true` restores (NDJSON only)."
        ),
    ] = False,
) -> Stream:
    moment = parse_moment("as_of", as_of)
    if history:
        chunks = history_chunks(read_pool, _history_kinds(form, kinds, moment, bom))
        media_type, filename = NDJSON, "claimledger-history.ndjson"
    elif kinds and "extraction" in kinds.split(","):
        message = "drafts (extraction) are exported with history=true only"
        raise invalid([FieldError("kinds", message)])
    elif form == "csv":
        kind = _one_kind(kinds)
        media_type = f"{CSV}; charset=utf-8"
        chunks = sheet_chunks(read_pool, kind, moment, bom)
        filename = f"claimledger-{SHEETS[kind].table}.csv"
    else:
        if bom:
            raise invalid([FieldError("bom", "applies to format=csv only")])
        chosen = kinds.split(",") if kinds else list(EXPORT_ORDER)
        media_type = NDJSON
        chunks = export_chunks(read_pool, chosen, moment)
        filename = "claimledger-export.ndjson"
    return Stream(
        chunks,
        media_type=media_type,
        headers={
            # Litestar 2 lets the handler's media type override a Stream's own.
            "Content-Type": media_type,
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def _history_kinds(
    form: Format, kinds: str | None, moment: datetime | None, bom: bool
) -> list[str]:
    """The kinds of a history export, which is NDJSON of every version."""
    refused = {
        "format": form != "ndjson",
        "as_of": moment is not None,
        "bom": bom,
    }
    errors = [
        FieldError(name, "a history export is NDJSON of every version; leave this out")
        for name, given in refused.items()
        if given
    ]
    if errors:
        raise invalid(errors)
    return kinds.split(",") if kinds else list(HISTORY_KINDS)


def _one_kind(kinds: str | None) -> str:
    """The kind of a CSV export, which holds exactly one."""
    chosen = sorted(set(kinds.split(","))) if kinds else []
    if len(chosen) != 1:
        given = f"got {', '.join(chosen)}" if chosen else "none was given"
        message = (
            f"a CSV export holds exactly one kind ({', '.join(EXPORT_ORDER)}), e.g."
            f" kinds=claim; {given}. format=ndjson exports several at once."
        )
        raise invalid([FieldError("kinds", message)])
    return chosen[0]


def router(max_import_bytes: int) -> Router:
    """A router per app, with the body limit for import files (`CLAIMLEDGER_MAX_IMPORT_BYTES`)
    in place of the app's general one (`CLAIMLEDGER_MAX_BODY_BYTES`)."""
    return Router(
        "/v1",
        route_handlers=[import_resources, export_resources],
        request_max_body_size=max_import_bytes,
    )
