"""`Client` and `AsyncClient`: the entry points of the SDK, with the same surface."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, TypeVar

import httpx

from claimledger import _base_client
from claimledger._base_client import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    BaseClient,
    transport_error,
)
from claimledger._exceptions import error_for
from claimledger._generated.models import Health
from claimledger._generated.operations import meta
from claimledger._operation import Operation
from claimledger.resources import (
    Actors,
    AsyncActors,
    AsyncClaims,
    AsyncEvents,
    AsyncExtractions,
    AsyncFigures,
    AsyncKeys,
    AsyncSources,
    AsyncWebhooks,
    Claims,
    Events,
    Extractions,
    Figures,
    Keys,
    Sources,
    Webhooks,
)

T = TypeVar("T")
_KEEP: Any = object()


class Client(BaseClient):
    """A synchronous ClaimLedger client.

    Args:
        base_url: Where the API is, e.g. `http://127.0.0.1:8000` (default: the environment
            variable `CLAIMLEDGER_BASE_URL`, else `http://127.0.0.1:8000`).
        api_key: An API key, `clk_…` (default: `CLAIMLEDGER_API_KEY`).
        timeout: Seconds (or an `httpx.Timeout`) before a request gives up with `Timeout`;
            `None` waits forever. Default: 30 s, 5 s to connect.
        max_retries: How often a failed request is retried where that is safe (see the
            README); `0` disables retries. Default: 2.
        default_headers: Extra headers sent with every request.
        read_your_writes: Send the latest consistency token the client saw
            (`ClaimLedger-Consistency`, see `consistency_token`) with every request, so
            that a server reading from a replica never answers older than this client's
            own writes and reads. Default: on.
        http_client: An `httpx.Client` to send with (proxies, custom transports); the SDK
            closes only the client it created itself.

    Use it as a context manager, or call `close()`, to release its connections.

    """

    actors: Actors
    """People, states, government bodies, armed forces, media outlets (`/v1/actors`)."""
    sources: Sources
    """The articles, videos and briefings claims are reported in (`/v1/sources`)."""
    claims: Claims
    """Actors' assertions, with quotes, dates and citations (`/v1/claims`)."""
    figures: Figures
    """The numbers inside claims, exactly as stated (`/v1/figures`)."""
    events: Events
    """The changes feed: every revision as an event, in commit order (`/v1/events`)."""
    extractions: Extractions
    """Drafts of claims from a text, reviewed then published (`/v1/extractions`)."""
    webhooks: Webhooks
    """Endpoints that receive events, and their deliveries (`/v1/webhooks`, admin)."""
    keys: Keys
    """API keys for apps and partners: the secret shown once (`/v1/keys`, admin)."""

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        *,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        read_your_writes: bool = True,
    ) -> None:
        super().__init__(base_url, api_key, timeout, max_retries, default_headers, read_your_writes)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client()
        self.actors = Actors(self)
        self.sources = Sources(self)
        self.claims = Claims(self)
        self.figures = Figures(self)
        self.events = Events(self)
        self.extractions = Extractions(self)
        self.webhooks = Webhooks(self)
        self.keys = Keys(self)

    def request(self, operation: Operation[T], *, idempotency_key: str | None = None) -> T:
        """Send an operation (see `claimledger.operations`) and return its decoded answer.

        Retries with backoff where that is safe; raises an `APIError` subclass for an error
        answer and `APIConnectionError`/`Timeout` when there is no answer.
        """
        request = self._build_request(self._http, operation, idempotency_key)
        retries = 0
        while True:
            try:
                response = self._http.send(request)
                self._note(response)
            except httpx.TransportError as exc:
                delay = self._retry_delay(request, retries, error=exc)
                if delay is None:
                    raise transport_error(exc, request) from exc
            else:
                if response.is_success:
                    return self._decode(operation, response)
                delay = self._retry_delay(request, retries, response=response)
                if delay is None:
                    raise error_for(response)
                response.close()
            retries += 1
            _base_client.sleep(delay)

    def health(self) -> Health:
        """Return the server's readiness (`GET /readyz`): ok when its database answers."""
        return self.request(meta.readiness())

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = _KEEP,
        max_retries: int | None = None,
    ) -> Client:
        """Return a client with other settings that shares this one's connections.

        It shares the consistency token too. For example
        `client.with_options(max_retries=0).claims.get(id)`.
        """
        options = self._options()
        if timeout is not _KEEP:
            options["timeout"] = timeout
        if max_retries is not None:
            options["max_retries"] = max_retries
        variant = Client(**options, http_client=self._http)
        self._sharing_consistency(variant)
        return variant

    def close(self) -> None:
        """Close the connections (only those of an `httpx.Client` the SDK created)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(BaseClient):
    """An asyncio ClaimLedger client: the same surface as `Client`, with `await`.

    Takes the same arguments as `Client` (with an `httpx.AsyncClient` as `http_client`).
    Use it with `async with`, or `await client.close()`.
    """

    actors: AsyncActors
    """People, states, government bodies, armed forces, media outlets (`/v1/actors`)."""
    sources: AsyncSources
    """The articles, videos and briefings claims are reported in (`/v1/sources`)."""
    claims: AsyncClaims
    """Actors' assertions, with quotes, dates and citations (`/v1/claims`)."""
    figures: AsyncFigures
    """The numbers inside claims, exactly as stated (`/v1/figures`)."""
    events: AsyncEvents
    """The changes feed: every revision as an event, in commit order (`/v1/events`)."""
    extractions: AsyncExtractions
    """Drafts of claims from a text, reviewed then published (`/v1/extractions`)."""
    webhooks: AsyncWebhooks
    """Endpoints that receive events, and their deliveries (`/v1/webhooks`, admin)."""
    keys: AsyncKeys
    """API keys for apps and partners: the secret shown once (`/v1/keys`, admin)."""

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        *,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        read_your_writes: bool = True,
    ) -> None:
        super().__init__(base_url, api_key, timeout, max_retries, default_headers, read_your_writes)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        self.actors = AsyncActors(self)
        self.sources = AsyncSources(self)
        self.claims = AsyncClaims(self)
        self.figures = AsyncFigures(self)
        self.events = AsyncEvents(self)
        self.extractions = AsyncExtractions(self)
        self.webhooks = AsyncWebhooks(self)
        self.keys = AsyncKeys(self)

    async def request(self, operation: Operation[T], *, idempotency_key: str | None = None) -> T:
        """Send an operation (see `claimledger.operations`) and return its decoded answer.

        Retries with backoff where that is safe; raises an `APIError` subclass for an error
        answer and `APIConnectionError`/`Timeout` when there is no answer.
        """
        request = self._build_request(self._http, operation, idempotency_key)
        retries = 0
        while True:
            try:
                response = await self._http.send(request)
                self._note(response)
            except httpx.TransportError as exc:
                delay = self._retry_delay(request, retries, error=exc)
                if delay is None:
                    raise transport_error(exc, request) from exc
            else:
                if response.is_success:
                    return self._decode(operation, response)
                delay = self._retry_delay(request, retries, response=response)
                if delay is None:
                    raise error_for(response)
                await response.aclose()
            retries += 1
            await _base_client.async_sleep(delay)

    async def health(self) -> Health:
        """Return the server's readiness (`GET /readyz`): ok when its database answers."""
        return await self.request(meta.readiness())

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = _KEEP,
        max_retries: int | None = None,
    ) -> AsyncClient:
        """Return a client with other settings that shares this one's connections.

        It shares the consistency token too.
        """
        options = self._options()
        if timeout is not _KEEP:
            options["timeout"] = timeout
        if max_retries is not None:
            options["max_retries"] = max_retries
        variant = AsyncClient(**options, http_client=self._http)
        self._sharing_consistency(variant)
        return variant

    async def close(self) -> None:
        """Close the connections (only those of an `httpx.AsyncClient` the SDK created)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


__all__ = ["AsyncClient", "Client"]
