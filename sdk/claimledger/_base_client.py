"""What the sync and the async client share; only their sending loops differ.

Settings, building requests, deciding retries, turning answers into models or exceptions.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import re
import threading
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

CONSISTENCY_HEADER = "ClaimLedger-Consistency"
_TOKEN = re.compile(r"^lsn:([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})$")

# Looked up at call time, so tests can replace them.
sleep = time.sleep
async_sleep = asyncio.sleep


class ConsistencyTokens:
    """The greatest `ClaimLedger-Consistency` token a client has seen in an answer.

    The server answers every write with one (its position in the database's history) and
    reads with the position they reflect; a read that sends it back is never answered
    from a replica that is behind it. Tokens are ordered by the position they name, so
    answers arriving out of order (threads, tasks) never move the client back.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._position = -1

    @property
    def token(self) -> str | None:
        return self._token

    def replace(self, token: str | None) -> None:
        with self._lock:
            self._token, self._position = token, _position(token) if token else -1

    def note(self, headers: httpx.Headers) -> None:
        token = headers.get(CONSISTENCY_HEADER)
        position = _position(token) if token else -1
        if position < 0:
            return
        with self._lock:
            if position > self._position:
                self._token, self._position = token, position


def _position(token: str) -> int:
    """Return the position a token names.

    -1 for a token this SDK cannot read (a newer server's spelling): it is not kept.
    """
    match = _TOKEN.match(token)
    return int(match[1], 16) << 32 | int(match[2], 16) if match else -1


class BaseClient:
    """Settings and the transport-independent half of a client."""

    base_url: httpx.URL
    api_key: str
    timeout: float | httpx.Timeout | None
    max_retries: int
    read_your_writes: bool

    def __init__(
        self,
        base_url: str | httpx.URL | None,
        api_key: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        read_your_writes: bool = True,
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
        self.read_your_writes = read_your_writes
        self._consistency = ConsistencyTokens()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    @property
    def consistency_token(self) -> str | None:
        """The greatest `ClaimLedger-Consistency` token this client has seen.

        The client sends it with every request (unless `read_your_writes=False`). Set it to
        carry a position over from elsewhere (another client, process or session), or to
        `None` to forget it.
        """
        return self._consistency.token

    @consistency_token.setter
    def consistency_token(self, token: str | None) -> None:
        self._consistency.replace(token)

    def _options(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "api_key": self.api_key,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "default_headers": self._default_headers,
            "read_your_writes": self.read_your_writes,
        }

    def _sharing_consistency(self, other: BaseClient) -> None:
        """Let `other`, a variant of this client (`with_options`), keep the same token."""
        other._consistency = self._consistency

    def _note(self, response: httpx.Response) -> None:
        """Remember the answer's consistency token, if it is the greatest seen."""
        self._consistency.note(response.headers)

    def _headers(self, operation: Operation[Any], idempotency_key: str | None) -> httpx.Headers:
        headers = {
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            **self._default_headers,
            "Authorization": f"Bearer {self.api_key}",
        }
        headers.update({name: value for name, value in operation.headers.items() if value})
        token = self._consistency.token
        if self.read_your_writes and token and not _has(headers, CONSISTENCY_HEADER):
            # Never read older than what this client wrote or read: see ConsistencyTokens.
            headers[CONSISTENCY_HEADER] = token
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
