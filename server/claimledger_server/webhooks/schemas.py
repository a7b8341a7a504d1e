"""The public shapes of webhook endpoints, deliveries and attempts."""

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from claimledger_server.events.store import GLOB

# `claim.*`, `figure.deleted`, `*`: the same globs the changes feed's `types` takes.
TYPE_GLOB = rf"^{GLOB}$(?!\n)"
EventGlob = Annotated[str, msgspec.Meta(pattern=TYPE_GLOB, max_length=100)]
EventTypes = Annotated[list[EventGlob], msgspec.Meta(min_length=1, max_length=50)]
Url = Annotated[
    str,
    msgspec.Meta(
        min_length=8,
        max_length=2000,
        # `[^\x00-\x20\x7f]`, not `[^\s]`: Python's `\s` (the server) takes in \x1c-\x1f,
        # ECMA-262's (the document's readers) does not.
        pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f]+$(?!\n)",
        description="Where deliveries are POSTed. `https` on a public address; plain `http`"
        " and private or loopback addresses only where the server allows them.",
    ),
]
Description = Annotated[str, msgspec.Meta(max_length=500)]
DeliveryStatus = Literal["pending", "delivered", "failed"]


class WebhookEndpointCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    url: Url
    event_types: EventTypes = msgspec.field(default_factory=lambda: ["*"])
    """Event types or globs to deliver, e.g. `["claim.*", "figure.deleted"]`; `*` is all."""
    description: Description | None = None
    enabled: bool = True


class WebhookEndpointUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Members present replace the stored ones; `description: null` clears it. Enabling an
    endpoint clears its failure record and sends what was waiting for it."""

    url: Url | UnsetType = UNSET
    event_types: EventTypes | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    enabled: bool | UnsetType = UNSET


class WebhookEndpoint(msgspec.Struct, kw_only=True):
    id: str
    url: str
    description: str | None
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None
    """Why the server disabled it: `gone` (it answered 410) or `failing` (it failed
    continuously for too long); null when enabled or disabled by a user."""
    failing_since: datetime | None
    """First failed attempt since the last success; null while healthy."""
    created_at: datetime
    updated_at: datetime


class WebhookEndpointWithSecret(WebhookEndpoint, kw_only=True):
    secret: str
    """`whsec_…`: shown now and never again. Verify deliveries with any Standard Webhooks
    library."""


class WebhookEndpointList(msgspec.Struct):
    data: list[WebhookEndpoint]
    next_cursor: str | None


class WebhookSecret(msgspec.Struct, kw_only=True):
    secret: str
    """The new `whsec_…` secret, shown once."""
    previous_secret_expires_at: datetime
    """Until then deliveries carry two signatures, one per secret."""


class WebhookDelivery(msgspec.Struct, kw_only=True):
    id: str
    endpoint_id: str
    event_id: str
    """Sent as `webhook-id`, the same on every attempt: deduplicate on it."""
    event_type: str
    seq: int | None
    """The event's position in the changes feed; null for `ping`."""
    resource_id: str | None
    status: DeliveryStatus
    """`pending` (waiting for an attempt or a retry), `delivered` (a 2xx answer) or
    `failed` (retries exhausted, or the endpoint answered 410)."""
    attempts: int
    next_attempt_at: datetime | None
    """When the next attempt is due; null unless pending, and while the endpoint is
    disabled (its pending deliveries wait until it is enabled again)."""
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class WebhookDeliveryList(msgspec.Struct):
    data: list[WebhookDelivery]
    next_cursor: str | None


class WebhookAttempt(msgspec.Struct, kw_only=True):
    id: str
    delivery_id: str
    attempted_at: datetime
    status_code: int | None
    """The HTTP status answered; null when no answer came (timeout, refused, …)."""
    latency_ms: int
    response_body: str | None
    """The start of the response body (at most 4 KiB)."""
    error: str | None
    succeeded: bool


class WebhookAttemptList(msgspec.Struct):
    data: list[WebhookAttempt]
    next_cursor: str | None


class WebhookRecover(msgspec.Struct, forbid_unknown_fields=True):
    since: Annotated[datetime, msgspec.Meta(tz=True)]
    """Re-queue every failed delivery created at or after this time (RFC 3339)."""


class WebhookReplay(msgspec.Struct, forbid_unknown_fields=True):
    after: Annotated[int, msgspec.Meta(ge=0, le=2**62)]
    """Send again every matching event with a greater feed `seq` (0: the whole feed)."""


class WebhookQueued(msgspec.Struct):
    queued: int
    """How many deliveries were queued."""


class WebhookPayload(msgspec.Struct):
    """The body of every delivery (Standard Webhooks): `data` is the event as the changes
    feed shows it, or for `ping` a note naming the endpoint."""

    type: str
    timestamp: datetime
    data: msgspec.Raw


API_TYPES: list[type[msgspec.Struct]] = [
    WebhookEndpointCreate,
    WebhookEndpointUpdate,
    WebhookEndpoint,
    WebhookEndpointWithSecret,
    WebhookEndpointList,
    WebhookSecret,
    WebhookDelivery,
    WebhookDeliveryList,
    WebhookAttempt,
    WebhookAttemptList,
    WebhookRecover,
    WebhookReplay,
    WebhookQueued,
]
