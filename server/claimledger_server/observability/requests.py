"""What the outermost layer (request_ids.py) does with each finished request: one histogram
observation and, when asked for, one access log line. Nothing else runs per request, and
no layer of its own: the outermost layer already sees every request start and its answer
begin, 404s and 405s included.

Labels are bounded whatever clients send: the route is the template the router matched
(`/v1/claims/{claim_id:str}`, `unmatched` when none did), never the path; a method outside
HTTP's usual ones counts as `OTHER`."""

import logging
from collections.abc import Callable
from typing import Any

from claimledger_server.observability.metrics import REQUEST_SECONDS

UNMATCHED = "unmatched"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

Recorder = Callable[[dict[str, Any], int, float], None]
"""Called with the request's scope, its status and its duration in seconds."""

access_log = logging.getLogger("claimledger.access")


def recorder(*, metrics: bool, access: bool) -> Recorder | None:
    """The per-request work the settings ask for; None when there is none."""
    if not (metrics or access):
        return None
    observers: dict[tuple[str, str, int], Any] = {}
    """Histogram children by labels: one dict lookup instead of `labels()` per request."""

    def record(scope: dict[str, Any], status: int, seconds: float) -> None:
        method = scope["method"]
        if metrics:
            labels = (
                method if method in KNOWN_METHODS else "OTHER",
                scope.get("path_template", UNMATCHED),
                status,
            )
            observer = observers.get(labels)
            if observer is None:
                observer = observers[labels] = REQUEST_SECONDS.labels(*labels[:2], str(status))
            observer.observe(seconds)
        if access:
            duration_ms = round(seconds * 1000, 3)
            access_log.info(
                "%s %s %d %.1f ms",
                method,
                scope["path"],
                status,
                duration_ms,
                extra={"path": scope["path"], "status": status, "duration_ms": duration_ms},
            )

    return record
