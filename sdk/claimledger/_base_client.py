"""What the sync and the async client share; only their sending loops differ.

Settings, building requests, deciding retries, turning answers into models or exceptions.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import time
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import httpx
import msgspec

from claimledger._exceptions import (
    APIConnectionError,
    ClaimLedgerError,
    ResponseValidationError,
    Timeout,
)
from claimledger._exceptions import retry_after as parse_retry_after
from claimledger._operation import Operation
from claimledger._version import __version__

T = TypeVar("T")

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; each further retry waits twice as long…"""
MAX_RETRY_DELAY = 8.0
"""…up to this many seconds."""
MAX_RETRY_AFTER = 60.0
"""A `Retry-After` longer than this is not waited out: the error is raised at once."""

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
NEVER_PROCESSED_STATUSES = frozenset({408, 429})
"""Answers that say the request was not acted on: retrying them is safe for any method."""
NEVER_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures before the request left: retrying them is safe for any method."""
NOT_RETRIED_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)
"""Failures that would fail again the same way."""

# Looked up at call time, so tests can replace them.
sleep = time.sleep
async_sleep = asyncio.sleep


class BaseClient:
    """Settings and the transport-independent half of a client."""

    base_url: httpx.URL
    api_key: str
    timeout: float | httpx.Timeout | None
    max_retries: int

    def __init__(
        self,
        base_url: str | httpx.URL | None,
        api_key: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        base = base_url or os.environ.get("CLAIMLEDGER_BASE_URL") or DEFAULT_BASE_URL
        key = api_key or os.environ.get("CLAIMLEDGER_API_KEY")
        if not key:
            raise ClaimLedgerError(
                "No API key: pass api_key=... or set CLAIMLEDGER_API_KEY "
                "(`make serve` prints a local admin key)."
            )
        if max_retries < 0:
            raise ValueError("max_retries must be 0 (no retries) or more")
        self.base_url = httpx.URL(str(base).rstrip("/") + "/")
        self.api_key = key
        self.timeout = timeout
        self.max_retries = max_retries
        self._default_headers = dict(default_headers or {})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    def _options(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "api_key": self.api_key,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": self._default_headers,
        }

    def _headers(self, operation: Operation[Any], idempotency_key: str | None) -> httpx.Headers:
        headers = {
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **self._default_headers,
            "Authorization": f"Bearer {self.api_key}",
        }
        headers.update({name: value for name, value in operation.headers.items() if value})
        if operation.body is not None:
            headers["Content-Type"] = operation.content_type
        if operation.method == "POST" and not _has(headers, "Idempotency-Key"):
            # One key per call, reused by every retry: the server answers a replay with the
            # first attempt's result instead of creating a second resource.
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        # A change note may be any text: send it as UTF-8, which is how the server reads it.
        return httpx.Headers(headers, encoding="utf-8")

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        operation: Operation[Any],
        idempotency_key: str | None,
    ) -> httpx.Request:
        return http.build_request(
            operation.method,
            self.base_url.join(operation.url_path.lstrip("/")),
            params=operation.query_params(),
            headers=self._headers(operation, idempotency_key),
            content=_content(operation),
            timeout=self.timeout,
        )

    def _retry_delay(
        self,
        request: httpx.Request,
        retries_done: int,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
    ) -> float | None:
        """Seconds to wait before retrying, or `None` when the failure must be raised."""
        if retries_done >= self.max_retries:
            return None
        if response is not None:
            status = response.status_code
            if status in NEVER_PROCESSED_STATUSES:
                safe = True
            elif status >= 500 and status != 501:
                safe = _replayable(request)
            else:
                return None
            if not safe:
                return None
            wait = parse_retry_after(response.headers)
            if wait is not None:
                return wait if wait <= MAX_RETRY_AFTER else None
            return backoff(retries_done)
        if error is None or isinstance(error, NOT_RETRIED_ERRORS):
            return None
        if isinstance(error, NEVER_SENT_ERRORS) or _replayable(request):
            return backoff(retries_done)
        return None

    def _decode(self, operation: Operation[T], response: httpx.Response) -> T:
        if operation.response is None:
            return cast(T, None)
        if operation.response is bytes:
            return cast(T, response.content)
        try:
            return cast(T, msgspec.json.decode(response.content, type=operation.response))
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise ResponseValidationError(
                f"{operation.operation_id or operation.path}: the answer does not match the"
                f" SDK's models ({exc}); is the SDK older than the server?",
                response,
            ) from exc


def backoff(retries_done: int) -> float:
    """Exponential backoff with jitter: 0.5 s, 1 s, 2 s… (capped), each 75-100 % of that."""
    delay = min(INITIAL_RETRY_DELAY * float(2**retries_done), MAX_RETRY_DELAY)
    return delay * (0.75 + random.random() / 4)


def transport_error(error: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    """Return the SDK's exception for a request that got no answer."""
    where = f"{request.method} {request.url}"
    if isinstance(error, httpx.TimeoutException):
        return Timeout(f"{where}: no answer in time ({type(error).__name__})")
    return APIConnectionError(f"{where}: {type(error).__name__}: {error}")


def _replayable(request: httpx.Request) -> bool:
    """Whether sending the request twice does no more than sending it once."""
    return request.method in IDEMPOTENT_METHODS or (
        request.method == "POST" and "idempotency-key" in request.headers
    )


def _has(headers: Mapping[str, str], name: str) -> bool:
    return any(key.lower() == name.lower() for key in headers)


def _content(operation: Operation[Any]) -> bytes | None:
    body = operation.body
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    if isinstance(body, str) and "json" not in operation.content_type:
        return body.encode()
    return msgspec.json.encode(body)


USER_AGENT = (
    f"claimledger-sdk/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
)
