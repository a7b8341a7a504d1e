"""While PostgreSQL cannot be reached (restarting, failing over, refusing connections), every
request that needs it answers 503 problem+json with `Retry-After` at once, rather than a 500
or a hang, and `/readyz` says 503 too. Nothing needs restarting afterwards: the pool replaces
a dead connection when it is next acquired, and the background loops (sequencer, webhook
worker, housekeeping) retry on their own."""

import logging
from typing import Any

import asyncpg
from litestar import Request, Response

from claimledger_server.errors import ApiError, Problem, handle_api_error, handle_unexpected

log = logging.getLogger("claimledger")

RETRY_AFTER_SECONDS = 2

UNREACHABLE: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: the connection broke or never was
    asyncpg.AdminShutdownError,  # the server is shutting down (57P01) ...
    asyncpg.CrashShutdownError,  # ... or recovering from a crash (57P02)
    asyncpg.CannotConnectNowError,  # starting up or shutting down (57P03)
    asyncpg.TooManyConnectionsError,  # 53300
    # What asyncpg raises on a connection the server closed while it was idle in the pool,
    # before the pool noticed ("cannot switch to state …; another operation is in
    # progress"): transient, the pool replaces the connection.
    asyncpg.InternalClientError,
    # Refused, reset, timed out, host unreachable. Requests do no other network or file I/O
    # than to the database (webhook sends run in the worker, which handles its own errors).
    OSError,
)


def database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
    return handle_api_error(
        request,
        ApiError(
            503,
            "database-unavailable",
            f"The database cannot be reached right now; retry in {RETRY_AFTER_SECONDS} s.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ),
    )


def _lost_connection_behind(exc: BaseException) -> bool:
    """Whether `exc` was raised while handling the loss of the database (e.g. asyncpg's
    "cannot call Transaction.__aexit__(): the underlying connection is closed", raised
    while leaving a transaction whose connection the server just terminated)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, UNREACHABLE):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def interface_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """An asyncpg misuse is our bug (500); the same error raised because the connection
    went away under it is an outage (503)."""
    if _lost_connection_behind(exc):
        return database_unavailable(request, exc)
    return handle_unexpected(request, exc)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    **dict.fromkeys(UNREACHABLE, database_unavailable),
    asyncpg.InterfaceError: interface_error,
}
