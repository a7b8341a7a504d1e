"""One router factory for every resource kind: create, get (with as_of), merge-patch update,
tombstone delete, and version history. Only the list route differs between kinds (its
filters), so each kind writes that one and passes it in. A kind whose writes differ (drafts:
created from a text, published rather than deleted) takes the reads alone: `read_route`
and `history_routes`."""

import contextlib
from datetime import datetime
from typing import Annotated, Any, NamedTuple

import asyncpg
import msgspec
from litestar import Request, Response, Router, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, HeaderParameter, ParameterKwarg, PathParameter, QueryParameter

from claimledger_server.auth import ApiKey
from claimledger_server.common import ExternalId
from claimledger_server.consistency import ReadPool
from claimledger_server.idempotency import Outcome, respond_once
from claimledger_server.ids import id_meta
from claimledger_server.openapi_docs import (
    ETAG_HEADER,
    LOCATION_HEADER,
    REPLAYED_HEADER,
    problems,
)
from claimledger_server.parameters import Cursor, IdempotencyKey, Limit, moment_query, parse_moment
from claimledger_server.query_params import path_parameter, query_parameter
from claimledger_server.responses import JSON
from claimledger_server.transactions import run_in_transaction
from claimledger_server.versioning import snapshots, store
from claimledger_server.versioning.documents import (
    Document,
    Schemas,
    etag,
    none_match,
    parse_if_match,
)
from claimledger_server.versioning.jsonpatch import JsonPatchOperation
from claimledger_server.versioning.kinds import ResourceKind
from claimledger_server.versioning.lists import Filters, list_page

ChangeNote = Annotated[
    str | None,
    HeaderParameter(
        name="X-Change-Note",
        max_length=500,
        description="Why the change was made; stored on the revision.",
        required=False,
    ),
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        description='Apply only if the resource is still at this version, e.g. "3" (412 if not).',
        required=False,
        # What `parse_if_match` reads: `*`, or an entity tag, quoted as sent in ETag or not.
        pattern=r'^(\*|(W/)?"?[0-9]{1,9}"?)$',
    ),
]
AsOf = moment_query("Answer with the version that was current at this time (RFC 3339).")


class ListParams(NamedTuple):
    """Where and which page of a list to read: the pool this request's reads go to
    (`consistency.read_pool`, given its token) and the query parameters every list shares;
    injected as the `page` dependency. The pool is taken here, not beside it, because
    Litestar resolves dependencies of the same level concurrently, in a task group of their
    own, which cost a list request about 45 µs of CPU (a micro-benchmark of two dependencies
    against a chain of two: 463 against 417 µs a request, five alternating rounds)."""

    pool: ReadPool
    limit: int
    cursor: str | None
    include_deleted: bool
    external_id: str | None
    updated_since: datetime | None
    as_of: datetime | None


async def list_params(
    read_pool: ReadPool,
    limit: Limit = 50,
    cursor: Cursor = None,
    include_deleted: Annotated[
        bool, QueryParameter(description="Include tombstones of deleted resources.")
    ] = False,
    external_id: Annotated[
        str | None, query_parameter(ExternalId, "Only the resource with this external_id.")
    ] = None,
    updated_since: moment_query(  # type: ignore[valid-type]
        "Only resources changed at or after this time (RFC 3339)."
    ) = None,
    as_of: moment_query(  # type: ignore[valid-type]
        "List the dataset as it was at this time (RFC 3339): resources"
        " created later are left out, resources deleted later are included."
    ) = None,
) -> ListParams:
    return ListParams(
        read_pool,
        limit,
        cursor,
        include_deleted,
        external_id,
        parse_moment("updated_since", updated_since),
        parse_moment("as_of", as_of),
    )


async def list_body(
    kind: ResourceKind, filters: Filters, page: ListParams, time_limit: float | None = None
) -> bytes:
    """One page of the list the request asks for (`lists.list_page` with its parameters)."""
    async with page.pool.acquire() as conn:
        return await list_page(
            conn,
            kind,
            filters,
            limit=page.limit,
            cursor=page.cursor,
            include_deleted=page.include_deleted,
            external_id=page.external_id,
            updated_since=page.updated_since,
            as_of=page.as_of,
            time_limit=time_limit,
        )


async def list_response(kind: ResourceKind, filters: Filters, page: ListParams) -> Response[Any]:
    return Response(await list_body(kind, filters, page), media_type=JSON)


def author(request: Request[ApiKey, Any, Any], change_note: str | None) -> store.Author:
    note = change_note
    if note is not None:
        # Header values arrive as latin-1; clients send UTF-8, so read them as such.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            note = note.encode("latin-1").decode("utf-8")
    return store.Author(request.user.id, note or None)


def document_response(doc: Document, status: int = 200, **headers: str) -> Response[Any]:
    return Response(
        doc.body,
        status_code=status,
        media_type=JSON,
        headers={"ETag": etag(doc.version), **headers},
    )


IfNoneMatch = Annotated[str | None, HeaderParameter(name="If-None-Match", required=False)]
# `{number:str}` in the paths: the text reaches `query_params.QueryCheck`, which refuses
# `1e2` or `1_0` where Litestar's `int` path converter would not.
VersionNumber = Annotated[int, PathParameter(ge=1, le=2_147_483_647)]


async def read_response(
    read_pool: ReadPool,
    kind: ResourceKind,
    resource_id: str,
    as_of: str | None,
    if_none_match: str | None,
) -> Response[Any]:
    """GET of one resource: the latest version or the one current at `as_of`, 304 when
    If-None-Match names it."""
    async with read_pool.acquire() as conn:
        doc = await store.get(conn, kind, resource_id, parse_moment("as_of", as_of))
    if none_match(if_none_match, doc.version):
        return Response(b"", status_code=304, headers={"ETag": etag(doc.version)})
    return document_response(doc)


def resource_id_parameter(kind: ResourceKind) -> ParameterKwarg:
    """The path parameter `{id}` of a resource of `kind`: `Annotated[str, <this>]`."""
    article = "an" if kind.name[0] in "aeiou" else "a"
    return path_parameter(id_meta(kind.prefix, f"Id of {article} {kind.name}."))


def resource_router(
    kind: ResourceKind,
    schemas: Schemas,
    list_handler: HTTPRouteHandler,
    *,
    tag: str,
    example: dict[str, Any],
    read_handler: HTTPRouteHandler | None = None,
) -> Router:
    """`read_handler` replaces the generic GET /{id} (a kind with extra read options, e.g.
    claims' `expand`); it should call `read_response` for the plain case."""
    name = schemas.resource.__name__
    article = "an" if kind.name[0] in "aeiou" else "a"
    id_parameter = resource_id_parameter(kind)
    plural = tag
    fields_type = kind.fields
    request_example = [Example(summary=f"{article.capitalize()} {kind.name}", value=example)]
    required = {f.encode_name for f in msgspec.structs.fields(kind.fields) if f.required}
    optional = [key for key in example if key not in required]
    patch_example = [
        Example(
            summary=f"Change one field of {article} {kind.name}",
            value={optional[-1]: example[optional[-1]]} if optional else example,
        )
    ]

    @post(
        operation_id=f"create{name}",
        summary=f"Create {article} {kind.name}",
        description=f"Creates version 1 of {article} {kind.name}. References to other resources"
        " must name live resources (422 otherwise).",
        status_code=201,
        opt={"scope": "write"},
        responses=problems(409, 413, 422, 429),
        response_headers=[ETAG_HEADER, LOCATION_HEADER, REPLAYED_HEADER],
    )
    async def create(
        request: Request[ApiKey, Any, Any],
        state: State,
        data: Annotated[fields_type, Body(examples=request_example)],  # type: ignore[valid-type]
        change_note: ChangeNote = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[schemas.resource]:  # type: ignore[name-defined]
        by = author(request, change_note)

        async def work(conn: asyncpg.Connection) -> Outcome:
            doc = await store.create(conn, kind, data, by)
            location = f"/v1/{kind.table}/{msgspec.json.decode(doc.body)['id']}"
            return Outcome(201, {"ETag": etag(doc.version), "Location": location}, doc.body)

        return await respond_once(request, state.pool, work)

    @patch(
        "/{id:str}",
        operation_id=f"update{name}",
        summary=f"Update {article} {kind.name}",
        description="JSON merge patch (RFC 7396): members present replace, `null` clears,"
        " nested objects merge. With `If-Match` the change applies only to that version."
        " A patch that changes nothing makes no new version.",
        opt={"scope": "write"},
        responses=problems(404, 409, 410, 412, 413, 422),
        response_headers=[ETAG_HEADER],
    )
    async def update(
        request: Request[ApiKey, Any, Any],
        state: State,
        id: Annotated[str, id_parameter],
        data: Annotated[schemas.patch, Body(examples=patch_example)],  # type: ignore[name-defined]
        if_match: IfMatch = None,
        change_note: ChangeNote = None,
    ) -> Response[schemas.resource]:  # type: ignore[name-defined]
        changes: dict[str, Any] = data  # a MergePatch body arrives as the object sent
        version, by = parse_if_match(if_match), author(request, change_note)
        doc = await run_in_transaction(
            state.pool, lambda conn: store.update(conn, kind, id, changes, version, by)
        )
        return document_response(doc)

    @delete(
        "/{id:str}",
        operation_id=f"delete{name}",
        summary=f"Delete {article} {kind.name}",
        description="Writes a tombstone version: the resource answers 410 afterwards and lists"
        " hide it unless `include_deleted=true`; its history stays. Refused with 409 while"
        " live resources still reference it.",
        status_code=200,
        opt={"scope": "write"},
        responses=problems(404, 409, 410, 412),
        response_headers=[ETAG_HEADER],
    )
    async def remove(
        request: Request[ApiKey, Any, Any],
        state: State,
        id: Annotated[str, id_parameter],
        if_match: IfMatch = None,
        change_note: ChangeNote = None,
    ) -> Response[schemas.resource]:  # type: ignore[name-defined]
        version, by = parse_if_match(if_match), author(request, change_note)
        doc = await run_in_transaction(
            state.pool, lambda conn: store.delete(conn, kind, id, version, by)
        )
        return document_response(doc)

    return Router(
        f"/v1/{kind.table}",
        route_handlers=[
            list_handler,
            create,
            read_handler or read_route(kind, schemas),
            update,
            remove,
            *history_routes(kind, schemas),
        ],
        tags=[plural],
        dependencies={"page": Provide(list_params)},
    )


def read_route(kind: ResourceKind, schemas: Schemas) -> HTTPRouteHandler:
    """GET /{id}: the latest version, or the one current at `as_of`."""
    name = schemas.resource.__name__
    article = "an" if kind.name[0] in "aeiou" else "a"
    id_parameter = resource_id_parameter(kind)

    @get(
        "/{id:str}",
        operation_id=f"get{name}",
        summary=f"Get {article} {kind.name}",
        description="The latest version, or with `as_of` the version current at that time."
        " Deleted resources answer 410.",
        opt={"scope": "read"},
        responses={
            **problems(404, 410),
            304: ResponseSpec(None, description="Not modified: If-None-Match names this version."),
        },
        response_headers=[ETAG_HEADER],
    )
    async def read(
        read_pool: ReadPool,
        id: Annotated[str, id_parameter],
        as_of: AsOf = None,  # type: ignore[valid-type]
        if_none_match: IfNoneMatch = None,
    ) -> Response[schemas.resource]:  # type: ignore[name-defined]
        return await read_response(read_pool, kind, id, as_of, if_none_match)

    return read


def history_routes(kind: ResourceKind, schemas: Schemas) -> list[HTTPRouteHandler]:
    """GET /{id}/versions, /{id}/versions/{number} and /{id}/versions/{number}/diff."""
    name = schemas.resource.__name__
    article = "an" if kind.name[0] in "aeiou" else "a"
    id_parameter = resource_id_parameter(kind)

    @get(
        "/{id:str}/versions",
        operation_id=f"list{name}Versions",
        summary=f"List the versions of {article} {kind.name}",
        description="Every revision, oldest first, including the tombstone of a deleted one.",
        opt={"scope": "read"},
        responses=problems(404),
    )
    async def versions(
        read_pool: ReadPool,
        id: Annotated[str, id_parameter],
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Response[schemas.revision_page]:  # type: ignore[name-defined]
        async with read_pool.acquire() as conn:
            body = await store.versions(conn, kind, id, limit, cursor)
        return Response(body, media_type=JSON)

    @get(
        "/{id:str}/versions/{number:str}",
        operation_id=f"get{name}Version",
        summary=f"Get one version of {article} {kind.name}",
        opt={"scope": "read"},
        responses=problems(404),
    )
    async def version(
        read_pool: ReadPool,
        id: Annotated[str, id_parameter],
        number: VersionNumber,
    ) -> Response[schemas.revision]:  # type: ignore[name-defined]
        async with read_pool.acquire() as conn:
            body = await store.version(conn, kind, id, number)
        return Response(body, media_type=JSON)

    @get(
        "/{id:str}/versions/{number:str}/diff",
        operation_id=f"diff{name}Version",
        summary=f"Compare two versions of {article} {kind.name}",
        description="An RFC 6902 JSON Patch that turns version `against` (by default the"
        " version before `number`) into version `number`, over the whole snapshot (so"
        " `/version` and `/updated_at` change too). `against=0` is the empty object, the"
        " state before creation, and is the default for version 1. Objects are compared"
        " member by member; arrays of the same length item by item, others are replaced"
        " whole. `against` may be later than `number`: the patch then undoes the change."
        " An unknown version is a 404.",
        opt={"scope": "read"},
        responses=problems(404),
    )
    async def diff_versions(
        read_pool: ReadPool,
        id: Annotated[str, id_parameter],
        number: VersionNumber,
        against: Annotated[
            int | None,
            QueryParameter(
                ge=0,
                le=2_147_483_647,
                description="The version to compare with; `number - 1` when left out.",
                schema_extra={"minimum": 0},
            ),
        ] = None,
    ) -> Response[list[JsonPatchOperation]]:
        base = number - 1 if against is None else against
        async with read_pool.acquire() as conn:
            operations = await snapshots.version_diff(conn, kind, id, number, base)
        return Response([JsonPatchOperation(**operation) for operation in operations])

    return [versions, version, diff_versions]
