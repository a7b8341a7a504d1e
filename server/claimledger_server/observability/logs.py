"""Logs: one JSON object a line (the default), or a line for people (`--log-format text`).

Every record, the app's, uvicorn's and the access log's, goes through the stdlib's logging
to stderr with one of the two formatters here. A record made while a request is handled
carries that request's id, method, route template and API key id (the key's id, never
the key), taken from the request the outermost layer notes in `CURRENT_REQUEST`. The access
log (`claimledger.access`, off unless asked for) adds the path, status and duration.
uvicorn's own access log is always off: it would log every request a second time."""

import logging
import time
from contextvars import ContextVar
from typing import Any

import msgspec

CURRENT_REQUEST: ContextVar[dict[str, Any] | None] = ContextVar("claimledger_request", default=None)
"""The ASGI scope of the request being handled (each request runs in a task of its own,
with its own copy of the context)."""

REQUEST_FIELDS = ("request_id", "method", "route", "key_id")
ACCESS_FIELDS = ("path", "status", "duration_ms")
FIELDS = (*REQUEST_FIELDS, *ACCESS_FIELDS)
"""The fields a record may carry besides time, level, logger and message, in this order."""

_encode = msgspec.json.Encoder(enc_hook=str).encode


def request_fields(scope: dict[str, Any]) -> dict[str, Any]:
    """What a log record says about the request `scope`: nothing secret, never a header."""
    key = scope.get("auth")
    return {
        "request_id": (scope.get("state") or {}).get("request_id"),
        "method": scope.get("method"),
        "route": scope.get("path_template"),
        "key_id": getattr(key, "id", None),
    }


class RequestContext(logging.Filter):
    """Stamps the request being handled onto each record (a handler's filter runs where the
    record is made, so the context is the request's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = CURRENT_REQUEST.get()
        if scope is not None:
            for name, value in request_fields(scope).items():
                if value is not None and getattr(record, name, None) is None:
                    setattr(record, name, value)
        return True


def _time(record: logging.LogRecord) -> str:
    """RFC 3339 in UTC, to the millisecond."""
    whole = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
    return f"{whole}.{int(record.msecs):03d}Z"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _time(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return _encode(entry).decode()


class TextFormatter(logging.Formatter):
    """`2026-12-06T10:00:00.123Z INFO claimledger.access: GET /v1/claims 200 3.1 ms
    route=/v1/claims request_id=req_… key_id=key_…`"""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_time(record)} {record.levelname} {record.name}: {record.getMessage()}"
        extra = [
            f"{name}={value}"
            for name in ("route", "request_id", "key_id")
            if (value := getattr(record, name, None)) is not None
        ]
        if extra:
            line += " " + " ".join(extra)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


def config(log_format: str) -> dict[str, Any]:
    """The `logging.config.dictConfig` of a ClaimLedger process; uvicorn applies it in
    every worker process it starts."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    handler = {"handlers": ["stderr"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": f"{__name__}.RequestContext"}},
        "formatters": {"line": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["request"],
            }
        },
        "loggers": {
            "claimledger": {"level": "INFO", **handler},
            "uvicorn": {"level": "INFO", **handler},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
        "root": {"level": "WARNING", "handlers": ["stderr"]},
    }
