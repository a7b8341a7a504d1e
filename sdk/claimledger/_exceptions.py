"""The exceptions the SDK raises: one hierarchy, by HTTP status.

ClaimLedgerError
├── APIError                    the server answered with an error (problem+json)
│   ├── BadRequest              400
│   ├── Unauthorized            401
│   ├── Forbidden               403
│   ├── NotFound                404
│   ├── Conflict                409
│   ├── Gone                    410
│   ├── PreconditionFailed      412  (`current_version`)
│   ├── PayloadTooLarge         413
│   ├── UnprocessableEntity     422  (`errors` names each field)
│   ├── RateLimited             429  (`retry_after`)
│   └── ServerError             5xx
├── APIConnectionError          no answer: refused, reset, DNS, TLS… (also a builtin
│   │                           ConnectionError, so `except ConnectionError` catches it)
│   └── Timeout                 no answer in time
├── ResponseValidationError     an answer that does not match the contract
└── WebhookVerificationError    (claimledger.webhooks) a delivery that fails verification
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx
import msgspec

from claimledger._generated.models import FieldError, Problem


class ClaimLedgerError(Exception):
    """Base class of every error the SDK raises."""


class APIError(ClaimLedgerError):
    """The API answered with an error status; the RFC 9457 problem details are attributes.

    Attributes:
        status: The HTTP status code.
        type: The problem type URI, e.g. `urn:claimledger:problem:not-found`.
        title: The short, human-readable summary of the problem type.
        detail: What went wrong with this request, if the server said.
        errors: One entry per offending input (`field`, `message`); empty if none.
        request_id: The server's id for the request (quote it in bug reports).
        problem: The whole problem document, or `None` if the body was not one.
        response: The `httpx.Response`.

    """

    def __init__(self, response: httpx.Response, problem: Problem | None = None) -> None:
        self.response = response
        self.problem = problem
        self.status: int = response.status_code
        self.type: str | None = problem.type if problem else None
        self.title: str = (problem.title if problem else "") or response.reason_phrase
        self.detail: str | None = problem.detail if problem else _text_excerpt(response)
        self.errors: list[FieldError] = list(problem.errors or []) if problem else []
        self.request_id: str | None = (
            problem.request_id if problem and problem.request_id else None
        ) or response.headers.get("x-request-id")
        super().__init__(self._message())

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.response.headers

    def _message(self) -> str:
        message = f"{self.status} {self.title}"
        if self.detail:
            message += f": {self.detail}"
        if self.request_id:
            message += f" (request id {self.request_id})"
        return message


class BadRequest(APIError):
    """400: malformed request (bad JSON, unknown field, invalid query or header value)."""


class Unauthorized(APIError):
    """401: missing, unknown or revoked API key."""


class Forbidden(APIError):
    """403: the API key lacks the scope this operation needs."""


class NotFound(APIError):
    """404: no such resource (or version)."""


class Conflict(APIError):
    """409: conflicts with the current state (external_id taken, still referenced…)."""


class Gone(APIError):
    """410: the resource was deleted; its history is still readable."""


class PreconditionFailed(APIError):
    """412: `If-Match` named a version that is no longer current.

    `current_version` is the version the resource is at now: re-read it, re-apply the change.
    """

    @property
    def current_version(self) -> int | None:
        """The resource's version now, when the server said."""
        return self.problem.current_version if self.problem else None


class PayloadTooLarge(APIError):
    """413: the request body is larger than the server accepts."""


class UnprocessableEntity(APIError):
    """422: well-formed input that breaks a rule; `errors` names each field."""


class RateLimited(APIError):
    """429: too many requests; `retry_after` is how long the server asked to wait (seconds)."""

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait before trying again, from the `Retry-After` header."""
        return retry_after(self.response.headers)


class ServerError(APIError):
    """5xx: the server failed; safe requests were already retried."""


class APIConnectionError(ClaimLedgerError, ConnectionError):
    """No answer from the server: connection refused or reset, DNS or TLS failure.

    Also the builtin `ConnectionError`, which code that knows nothing of the SDK catches.
    """


class Timeout(APIConnectionError):
    """The server did not answer within the timeout."""


class ResponseValidationError(ClaimLedgerError):
    """A successful answer whose body does not match the contract the SDK was built from."""

    def __init__(self, message: str, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response


STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    410: Gone,
    412: PreconditionFailed,
    413: PayloadTooLarge,
    422: UnprocessableEntity,
    429: RateLimited,
}


def error_for(response: httpx.Response) -> APIError:
    """Return the exception for an error answer (its body must have been read)."""
    status = response.status_code
    kind = STATUS_ERRORS.get(status) or (ServerError if status >= 500 else APIError)
    return kind(response, _problem(response))


def retry_after(headers: httpx.Headers) -> float | None:
    """Parse `Retry-After` (delta-seconds or an HTTP date) into seconds, if present."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _problem(response: httpx.Response) -> Problem | None:
    try:
        value: Any = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        return None
    if not isinstance(value, dict):
        return None
    try:
        return msgspec.convert(value, Problem)
    except msgspec.ValidationError:
        fallback = {"type": "about:blank", "title": response.reason_phrase, "status": 0}
        return _lenient_problem({**fallback, **value}, response)


def _lenient_problem(value: dict[str, Any], response: httpx.Response) -> Problem | None:
    """Build a problem document from a JSON body that is not quite one (e.g. a proxy's)."""
    try:
        return Problem(
            type=str(value.get("type") or "about:blank"),
            title=str(value.get("title") or response.reason_phrase),
            status=response.status_code,
            detail=str(value["detail"]) if value.get("detail") is not None else None,
            request_id=str(value["request_id"]) if value.get("request_id") else None,
        )
    except (TypeError, ValueError):
        return None


def _text_excerpt(response: httpx.Response) -> str | None:
    text = response.text.strip()
    return text[:200] or None


__all__ = [
    "APIConnectionError",
    "APIError",
    "BadRequest",
    "ClaimLedgerError",
    "Conflict",
    "Forbidden",
    "Gone",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "RateLimited",
    "ResponseValidationError",
    "ServerError",
    "Timeout",
    "Unauthorized",
    "UnprocessableEntity",
]
