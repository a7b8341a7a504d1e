"""/v1/import and /v1/export"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response, Router, get, post
from litestar.datastructures import ResponseHeader, State
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
from claimledger_server.bulk.lines import (
    MAX_ERRORS,
    BulkError,
    Record,
    csv_records,
    import_records,
    ndjson_records,
)
from claimledger_server.bulk.schemas import ImportResult
from claimledger_server.bulk.store import EXPORT_ORDER, Format, export_chunks
from claimledger_server.consistency import ReadPool
from claimledger_server.errors import PROBLEM_JSON, ApiError, Problem
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
    " (`#/components/schemas/ImportLine`) describes.",
)


def _file_content(what: str) -> dict[str, OpenAPIMediaType]:
    return {
        NDJSON: OpenAPIMediaType(
            schema=_FILE_SCHEMA,
            examples={"file": Example(summary=f"{what} (NDJSON)", value=_NDJSON_EXAMPLE)},
        ),
        CSV: OpenAPIMediaType(
            schema=Schema(
                type=OpenAPIType.STRING,
                description="A header row `kind,external_id,data`, then one resource per row"
                " with `data` as JSON text.",
            ),
            examples={"file": Example(summary=f"{what} (CSV)", value=_CSV_EXAMPLE)},
        ),
    }


@dataclass
class _ImportOperation(Operation):
    """The request body is read raw (it is not JSON), so its documentation is added here."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content=_file_content("An import file"),
            required=True,
            description="`application/x-ndjson` (one `ImportLine` per line; blank lines are"
            " skipped) or `text/csv` as the export writes it. Sizes up to"
            " `CLAIMLEDGER_MAX_IMPORT_BYTES` are accepted.",
        )


@dataclass
class _ExportOperation(Operation):
    def __post_init__(self) -> None:
        responses = self.responses or {}
        ok = responses.get("200")
        if isinstance(ok, OpenAPIResponse):
            ok.description = "The export file, streamed."
            ok.content = _file_content("An export")
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
        " (`GET /v1/export`) writes files this operation accepts as they are."
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
) -> Response[ImportResult]:
    read = _reader(request.headers.get("content-type"))
    body, by = await request.body(), author(request, change_note)

    async def work(conn: asyncpg.Connection) -> Outcome:
        try:
            result = await import_records(conn, lambda: read(body), by)
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


_KIND_LIST = "(actor|source|claim|figure)"
ExportAsOf = moment_query(
    "Export the dataset as it was at this time (RFC 3339): resources created later are"
    " left out, resources deleted later are included."
)


@get(
    "/export",
    operation_id="exportResources",
    summary="Export the dataset as a file",
    description=(
        "Streams every live resource of the chosen kinds as import lines (`ImportLine`):"
        " `application/x-ndjson`, or `text/csv` with the columns `kind,external_id,data`"
        " (`data` as JSON text; an external_id starting with `=`, `+`, `-`, `@` or `'` gets"
        " a leading `'` so spreadsheets do not run it as a formula — import removes it)."
        " The file is one consistent snapshot; with `as_of` it is the dataset as it was at"
        " that time. Deleted resources are left out.\n\n"
        "Every reference is written as `ext:<external_id>` of its target, and a resource"
        " without an external_id is keyed by its id, so the export imports as is"
        " (`POST /v1/import`) — into an empty database, or back into this one, where it"
        " changes nothing. Lines come in dependency order: actors (parents before children),"
        " sources, claims, figures; within a kind, by the key they are exported under."
        " Exporting only some `kinds` gives a file whose references to the other kinds"
        " must already be stored where it is imported."
    ),
    tags=["bulk"],
    opt={"scope": "read"},
    responses=problems(),
    response_headers=[
        ResponseHeader(
            name="Content-Disposition",
            description='`attachment; filename="claimledger-export.ndjson"` (or `.csv`).',
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
            description="Comma-separated kinds to export, e.g. `actor,claim`; all by default.",
            pattern=f"^{_KIND_LIST}(,{_KIND_LIST})*$",
        ),
    ] = None,
    as_of: ExportAsOf = None,  # type: ignore[valid-type]
) -> Stream:
    chosen = kinds.split(",") if kinds else list(EXPORT_ORDER)
    moment = parse_moment("as_of", as_of)
    media_type = NDJSON if form == "ndjson" else f"{CSV}; charset=utf-8"
    return Stream(
        export_chunks(read_pool, chosen, form, moment),
        media_type=media_type,
        headers={
            # Litestar 2 lets the handler's media type override a Stream's own.
            "Content-Type": media_type,
            "Content-Disposition": f'attachment; filename="claimledger-export.{form}"',
        },
    )


def router(max_import_bytes: int) -> Router:
    """A router per app, with the body limit for import files (`CLAIMLEDGER_MAX_IMPORT_BYTES`)
    in place of the app's general one (`CLAIMLEDGER_MAX_BODY_BYTES`)."""
    return Router(
        "/v1",
        route_handlers=[import_resources, export_resources],
        request_max_body_size=max_import_bytes,
    )
