"""The one place that wires the application together."""

import gc
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from typing import Any

import msgspec
from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, SecurityScheme, Server

from claimledger_server import __version__, consistency, housekeeping
from claimledger_server.access import AccessGate
from claimledger_server.actors.routes import router as actors_router
from claimledger_server.actors.schemas import ACTOR, ActorFields
from claimledger_server.auth import KeyCache
from claimledger_server.bodies import JsonBody, refuse_empty_body
from claimledger_server.bulk import routes as bulk_routes
from claimledger_server.bulk.schemas import FeedLine, HistoryLine, ImportLine, ImportResult
from claimledger_server.claims.routes import router as claims_router
from claimledger_server.claims.schemas import CLAIM, ClaimFields, ExpandedClaim
from claimledger_server.compression import Compression
from claimledger_server.config import Settings
from claimledger_server.cors import CrossOrigin
from claimledger_server.db import outage
from claimledger_server.db.pool import create_pool
from claimledger_server.docs_ui import LocalSwaggerUI
from claimledger_server.errors import (
    EXCEPTION_HANDLERS,
    Problem,
    noting_disconnect,
    refuse_nul_in_url,
)
from claimledger_server.events.routes import router as events_router
from claimledger_server.events.schemas import Event, EventList
from claimledger_server.explore import routes as explore_routes
from claimledger_server.extractions import drafting
from claimledger_server.extractions.extractor import load_extractor
from claimledger_server.extractions.routes import router as extractions_router
from claimledger_server.extractions.schemas import EXTRACTION, CreateExtraction
from claimledger_server.figures.parsing import ParsedFigures, ParseRequest
from claimledger_server.figures.routes import router as figures_router
from claimledger_server.figures.schemas import FIGURE, FigureFields, FigureSummary, FigureTimeline
from claimledger_server.http_options import AllowEveryMethod, head_as_get
from claimledger_server.keys import schemas as key_schemas
from claimledger_server.keys import store as key_store
from claimledger_server.keys.routes import router as keys_router
from claimledger_server.observability import exposition
from claimledger_server.observability.metrics import sampling_pools
from claimledger_server.observability.requests import Recorder, recorder
from claimledger_server.openapi_docs import finalize, writes_nothing
from claimledger_server.query_params import QueryCheck
from claimledger_server.rate_limits import RateLimiter
from claimledger_server.request_ids import RequestIdMiddleware
from claimledger_server.sources.routes import router as sources_router
from claimledger_server.sources.schemas import SOURCE, SourceFields
from claimledger_server.versioning.jsonpatch import JsonPatchOperation
from claimledger_server.webhooks import routes as webhook_routes
from claimledger_server.webhooks import schemas as webhook_schemas
from claimledger_server.webhooks import worker as webhook_worker


class Health(msgspec.Struct):
    status: str


API_TYPES: list[type[msgspec.Struct]] = [
    Problem,
    Health,
    Event,
    EventList,
    *(t for schemas in (ACTOR, SOURCE, CLAIM, FIGURE, EXTRACTION) for t in schemas),
    ActorFields,
    SourceFields,
    ClaimFields,
    FigureFields,
    CreateExtraction,
    ExpandedClaim,
    FigureSummary,
    FigureTimeline,
    ParseRequest,
    ParsedFigures,
    JsonPatchOperation,
    ImportLine,
    HistoryLine,
    FeedLine,
    ImportResult,
    *webhook_schemas.API_TYPES,
    *key_schemas.API_TYPES,
]
OPEN_PATHS = ["^/healthz$", "^/readyz$", "^/schema"]
EXPLORE_PATHS = f"^{explore_routes.PATH}(/|$)"
"""The explorer's shell and files: they hold no data; its pages call the API with a key."""


@get("/healthz", operation_id="health", summary="Liveness", tags=["meta"], security=[{}])
async def healthz() -> Health:
    return Health("ok")


@get(
    "/readyz",
    operation_id="readiness",
    summary="Readiness: the database answers",
    tags=["meta"],
    security=[{}],
    responses={503: ResponseSpec(Health, description="The database does not answer.")},
)
async def readyz(state: State) -> Response[Health]:
    try:
        await state.pool.fetchval("SELECT 1")
    except Exception:
        return Response(Health("unavailable"), status_code=503)
    return Response(Health("ok"))


class ClaimLedgerApp(Litestar):
    """Litestar runs middleware only once a route has matched. What must see every request
    wraps the app's ASGI entry point instead: compression (outermost, so it sees each answer
    whole, headers added by the layers below included), request ids, metrics and the access
    log (404s and 405s get them too), CORS (preflights answered before routing, so without
    a key or a rate-limit budget), HEAD (made a GET before routing, as no route declares
    HEAD), and noting a client that left while its body was read."""

    def __init__(
        self,
        *args: Any,
        max_header_bytes: int,
        record: Recorder | None,
        cors_origins: tuple[str, ...],
        compression: Compression | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        routed = super().__call__
        inner = CrossOrigin(routed, cors_origins) if cors_origins else routed
        self._outermost = RequestIdMiddleware(inner, max_header_bytes, record)
        self._compression = compression

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        method = scope["method"]
        if self._compression is not None:
            send = self._compression.sending(scope, send, encode=method != "HEAD")
        if method == "HEAD":
            scope, send = head_as_get(scope, send)
        elif method in ("POST", "PUT", "PATCH"):
            receive = noting_disconnect(scope, receive)
        with consistency.serving(scope):
            await self._outermost(scope, receive, send)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    if not settings.database_url:
        raise SystemExit("DATABASE_URL is not set (make serve starts an embedded PostgreSQL).")
    try:  # a misnamed extractor stops the start, not the first draft
        load_extractor(settings.extractor)
    except ValueError as exc:
        raise SystemExit(f"CLAIMLEDGER_EXTRACTOR: {exc}") from None
    key_cache = KeyCache(settings.api_key_cache_seconds, key_store.active_key, key_store.record_use)

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        pool = await create_pool(
            settings.database_url or "",
            min_size=settings.pool_min_size,
            max_size=settings.pool_max_size,
        )
        # Reads may go to a replica (`consistency.ReadRouting` picks, per request); writes,
        # key checks and anything read-then-written stay on the primary.
        read_pool = (
            await create_pool(
                settings.database_read_url,
                min_size=settings.pool_min_size,
                max_size=settings.pool_max_size,
            )
            if settings.database_read_url
            else pool
        )
        app.state.pool = pool
        app.state.reads = consistency.ReadRouting(pool, read_pool, settings.replica_wait_seconds)
        try:
            async with (
                drafting.drafting(app.state, settings.extractor, settings.extraction_processes),
                sampling_pools(exposition.pools_of(app.state))
                if settings.metrics
                else nullcontext(),
                housekeeping.running(pool),
                # The hook queues webhook deliveries in the transaction that orders events.
                webhook_worker.sequencing(pool),
                webhook_worker.in_process(pool, settings.webhooks),
            ):
                # What exists now (the app, its routes and schemas) lives as long as the
                # app: keep it out of the collector's full passes, whose pauses would
                # otherwise grow with the app and show in the latency tail.
                gc.freeze()
                try:
                    yield
                finally:
                    gc.unfreeze()  # an app started and stopped in-process (tests) is freed
        finally:
            await key_cache.settle()  # the uses it is still recording write through `pool`
            if read_pool is not pool:
                await read_pool.close()
            await pool.close()

    check_query = QueryCheck()

    async def before_request(request: Request[Any, Any, Any]) -> None:
        # Not in AccessGate: runs after 401/429/403, also on open routes (/healthz), pre-parsing.
        refuse_nul_in_url(request)
        check_query(request)
        await refuse_empty_body(request)

    # On a port of its own, /metrics is served without a key, and not here at all.
    metrics_route = settings.metrics and settings.metrics_port is None
    app = ClaimLedgerApp(
        max_header_bytes=settings.max_header_bytes,
        record=recorder(metrics=settings.metrics, access=settings.access_log),
        cors_origins=settings.cors_origins,
        compression=Compression(settings.compression_min_bytes) if settings.compression else None,
        route_handlers=[
            healthz,
            readyz,
            *([exposition.metrics] if metrics_route else []),
            actors_router,
            sources_router,
            claims_router,
            figures_router,
            extractions_router,
            events_router,
            bulk_routes.router(settings.max_import_bytes),
            webhook_routes.router,
            keys_router,
            *([explore_routes.router()] if settings.explore else []),
        ],
        lifespan=[database],
        # Handlers that read through the replica take `read_pool`: the pool this request
        # may read from, given its ClaimLedger-Consistency token.
        dependencies={"read_pool": Provide(consistency.read_pool)},
        state=State({"key_cache": key_cache, "settings": settings}),
        middleware=[
            AllowEveryMethod,
            DefineMiddleware(
                AccessGate,
                open_paths=[*OPEN_PATHS, *([EXPLORE_PATHS] if settings.explore else [])],
                key_budgets=RateLimiter(),
                failure_budgets=RateLimiter(),
            ),
        ],
        before_request=before_request,
        # Every `data` is decoded by JsonBody, once; responses are encoded as handlers build them.
        dto=JsonBody,
        return_dto=None,
        exception_handlers={**EXCEPTION_HANDLERS, **outage.EXCEPTION_HANDLERS},
        request_max_body_size=settings.max_body_bytes,
        openapi_config=openapi_config(),
        debug=False,
    )
    finalize(app.openapi_schema, API_TYPES, writes_nothing(app.routes))
    return app


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="ClaimLedger API",
        version=__version__,
        description=(
            "Structured, versioned claims about armed conflicts: who claimed what, when,"
            " where it was reported, and with which numbers."
        ),
        path="/schema",
        render_plugins=[LocalSwaggerUI("/schema")],
        servers=[Server(url="/")],
        components=Components(
            security_schemes={
                "bearerAuth": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="An API key: `Authorization: Bearer clk_…`.",
                )
            }
        ),
        security=[{"bearerAuth": []}],
        use_handler_docstrings=False,
    )


def openapi_document() -> bytes:
    """The OpenAPI document exactly as committed in `openapi/openapi.json`: generated from
    the app (no database needed), keys in a stable order, one trailing newline."""
    app = create_app(Settings(database_url="postgresql://unused"))
    document = app.openapi_schema.to_schema()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"
