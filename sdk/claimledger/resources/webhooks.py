"""`client.webhooks`: endpoints that receive events, and their deliveries (admin scope).

To check a delivery on the receiving side, use `claimledger.webhooks.verify`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Unpack, cast

from claimledger._generated.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointCreateParam,
    WebhookEndpointUpdate,
    WebhookEndpointUpdateParam,
    WebhookEndpointWithSecret,
    WebhookQueued,
    WebhookSecret,
)
from claimledger._generated.operations import webhooks as ops
from claimledger._generated.operations.webhooks import (
    ListWebhookDeliveriesQuery,
    ListWebhookEndpointsQuery,
)
from claimledger._operation import AsyncRequester, SyncRequester
from claimledger._resource import Identified, patch_body, resource_id
from claimledger.pagination import AsyncPager, SyncPager

Endpoint = Identified | str
"""An endpoint model, or its id."""


def _changes(
    changes: WebhookEndpointUpdate | Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> WebhookEndpointUpdateParam:
    return cast(WebhookEndpointUpdateParam, patch_body(changes, fields))


class Webhooks:
    """Webhook endpoints (`/v1/webhooks`): where events are POSTed, signed.

    The signing secret (`whsec_…`) is returned by `create` and `rotate_secret` only.
    """

    def __init__(self, client: SyncRequester) -> None:
        self._client = client

    def create(
        self, *, idempotency_key: str | None = None, **fields: Unpack[WebhookEndpointCreateParam]
    ) -> WebhookEndpointWithSecret:
        """Register an endpoint (`url`, `event_types` globs, `enabled`); keep its `secret`."""
        return self._client.request(
            ops.create_webhook_endpoint(fields), idempotency_key=idempotency_key
        )

    def get(self, endpoint: Endpoint) -> WebhookEndpoint:
        """Return an endpoint."""
        return self._client.request(ops.get_webhook_endpoint(resource_id(endpoint)))

    def list(self, **filters: Unpack[ListWebhookEndpointsQuery]) -> SyncPager[WebhookEndpoint]:
        """Iterate over the endpoints (`limit`: page size)."""
        return SyncPager(self._client, ops.list_webhook_endpoints(**filters))

    def update(
        self,
        endpoint: Endpoint,
        changes: WebhookEndpointUpdate | WebhookEndpointUpdateParam | None = None,
        /,
        **fields: Unpack[WebhookEndpointUpdateParam],
    ) -> WebhookEndpoint:
        """Change an endpoint; enabling a disabled one clears its failure record."""
        body = _changes(changes, fields)
        return self._client.request(ops.update_webhook_endpoint(resource_id(endpoint), body))

    def delete(self, endpoint: Endpoint) -> None:
        """Delete an endpoint with its deliveries and their attempts; nothing more is sent."""
        self._client.request(ops.delete_webhook_endpoint(resource_id(endpoint)))

    def deliveries(
        self, endpoint: Endpoint, **filters: Unpack[ListWebhookDeliveriesQuery]
    ) -> SyncPager[WebhookDelivery]:
        """Iterate over an endpoint's deliveries (filters: `status`, `event_type`)."""
        operation = ops.list_webhook_deliveries(resource_id(endpoint), **filters)
        return SyncPager(self._client, operation)

    def delivery(self, endpoint: Endpoint, delivery_id: str) -> WebhookDelivery:
        """Return one delivery."""
        operation = ops.get_webhook_delivery(resource_id(endpoint), delivery_id)
        return self._client.request(operation)

    def attempts(
        self, endpoint: Endpoint, delivery_id: str, *, limit: int | None = None
    ) -> SyncPager[WebhookAttempt]:
        """Iterate over every attempt of a delivery: status code, latency, error."""
        operation = ops.list_webhook_delivery_attempts(
            resource_id(endpoint), delivery_id, limit=limit
        )
        return SyncPager(self._client, operation)

    def retry(self, endpoint: Endpoint, delivery_id: str) -> WebhookDelivery:
        """Queue a delivery again now."""
        operation = ops.retry_webhook_delivery(resource_id(endpoint), delivery_id)
        return self._client.request(operation)

    def recover(self, endpoint: Endpoint, *, since: datetime.datetime) -> WebhookQueued:
        """Queue again every delivery that failed and was created at or after `since`."""
        operation = ops.recover_webhook_endpoint(resource_id(endpoint), {"since": since})
        return self._client.request(operation)

    def replay(self, endpoint: Endpoint, *, after: int) -> WebhookQueued:
        """Send again every event with a `seq` greater than `after`."""
        operation = ops.replay_webhook_events(resource_id(endpoint), {"after": after})
        return self._client.request(operation)

    def rotate_secret(self, endpoint: Endpoint) -> WebhookSecret:
        """Issue a new signing secret (shown once); for 24 h deliveries carry both signatures."""
        return self._client.request(ops.rotate_webhook_secret(resource_id(endpoint)))

    def test(self, endpoint: Endpoint) -> WebhookDelivery:
        """Send a `ping` event to the endpoint."""
        return self._client.request(ops.test_webhook_endpoint(resource_id(endpoint)))


class AsyncWebhooks:
    """Webhook endpoints (`/v1/webhooks`) on an `AsyncClient`; see `Webhooks`."""

    def __init__(self, client: AsyncRequester) -> None:
        self._client = client

    async def create(
        self, *, idempotency_key: str | None = None, **fields: Unpack[WebhookEndpointCreateParam]
    ) -> WebhookEndpointWithSecret:
        """Register an endpoint (`url`, `event_types` globs, `enabled`); keep its `secret`."""
        return await self._client.request(
            ops.create_webhook_endpoint(fields), idempotency_key=idempotency_key
        )

    async def get(self, endpoint: Endpoint) -> WebhookEndpoint:
        """Return an endpoint."""
        return await self._client.request(ops.get_webhook_endpoint(resource_id(endpoint)))

    def list(self, **filters: Unpack[ListWebhookEndpointsQuery]) -> AsyncPager[WebhookEndpoint]:
        """Iterate (`async for`) over the endpoints."""
        return AsyncPager(self._client, ops.list_webhook_endpoints(**filters))

    async def update(
        self,
        endpoint: Endpoint,
        changes: WebhookEndpointUpdate | WebhookEndpointUpdateParam | None = None,
        /,
        **fields: Unpack[WebhookEndpointUpdateParam],
    ) -> WebhookEndpoint:
        """Change an endpoint; enabling a disabled one clears its failure record."""
        body = _changes(changes, fields)
        return await self._client.request(ops.update_webhook_endpoint(resource_id(endpoint), body))

    async def delete(self, endpoint: Endpoint) -> None:
        """Delete an endpoint with its deliveries and their attempts; nothing more is sent."""
        await self._client.request(ops.delete_webhook_endpoint(resource_id(endpoint)))

    def deliveries(
        self, endpoint: Endpoint, **filters: Unpack[ListWebhookDeliveriesQuery]
    ) -> AsyncPager[WebhookDelivery]:
        """Iterate (`async for`) over an endpoint's deliveries."""
        operation = ops.list_webhook_deliveries(resource_id(endpoint), **filters)
        return AsyncPager(self._client, operation)

    async def delivery(self, endpoint: Endpoint, delivery_id: str) -> WebhookDelivery:
        """Return one delivery."""
        operation = ops.get_webhook_delivery(resource_id(endpoint), delivery_id)
        return await self._client.request(operation)

    def attempts(
        self, endpoint: Endpoint, delivery_id: str, *, limit: int | None = None
    ) -> AsyncPager[WebhookAttempt]:
        """Iterate (`async for`) over every attempt of a delivery."""
        operation = ops.list_webhook_delivery_attempts(
            resource_id(endpoint), delivery_id, limit=limit
        )
        return AsyncPager(self._client, operation)

    async def retry(self, endpoint: Endpoint, delivery_id: str) -> WebhookDelivery:
        """Queue a delivery again now."""
        operation = ops.retry_webhook_delivery(resource_id(endpoint), delivery_id)
        return await self._client.request(operation)

    async def recover(self, endpoint: Endpoint, *, since: datetime.datetime) -> WebhookQueued:
        """Queue again every delivery that failed and was created at or after `since`."""
        operation = ops.recover_webhook_endpoint(resource_id(endpoint), {"since": since})
        return await self._client.request(operation)

    async def replay(self, endpoint: Endpoint, *, after: int) -> WebhookQueued:
        """Send again every event with a `seq` greater than `after`."""
        operation = ops.replay_webhook_events(resource_id(endpoint), {"after": after})
        return await self._client.request(operation)

    async def rotate_secret(self, endpoint: Endpoint) -> WebhookSecret:
        """Issue a new signing secret (shown once); for 24 h deliveries carry both signatures."""
        return await self._client.request(ops.rotate_webhook_secret(resource_id(endpoint)))

    async def test(self, endpoint: Endpoint) -> WebhookDelivery:
        """Send a `ping` event to the endpoint."""
        return await self._client.request(ops.test_webhook_endpoint(resource_id(endpoint)))
