"""Verify webhook deliveries: the Standard Webhooks scheme (https://www.standardwebhooks.com).

Every delivery carries three headers: `webhook-id` (stable across retries of one message, so
use it to drop duplicates), `webhook-timestamp` (Unix seconds) and `webhook-signature`, a
space-separated list of `v1,<base64 HMAC-SHA256>` of `"{id}.{timestamp}.{body}"` keyed with
the endpoint's secret (`whsec_<base64>`). Several signatures appear while a secret rotates.

    from claimledger import webhooks

    @app.post("/claimledger")
    async def receive(request):
        event = webhooks.verify(await request.body(), request.headers, SECRET)
        ...

Verify the body exactly as received (bytes), before any JSON parsing or re-encoding.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Any

import msgspec

from claimledger._exceptions import ClaimLedgerError

DEFAULT_TOLERANCE = 5 * 60
"""Seconds a timestamp may be off from now, either way, before a delivery is refused."""
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


class WebhookVerificationError(ClaimLedgerError):
    """A delivery failed verification: do not act on it (answer 400 or 401)."""


def verify(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Any:
    """Check a delivery's signature and timestamp; return its JSON body, decoded.

    Args:
        payload: The raw request body, exactly as received.
        headers: The request headers (any mapping; names are matched case-insensitively).
        secret: The endpoint's signing secret, `whsec_…`.
        tolerance: Seconds the `webhook-timestamp` may differ from now (default 5 minutes);
            this is what makes a captured delivery useless for replay later.

    Raises:
        WebhookVerificationError: A header is missing or malformed, the timestamp is outside
            the tolerance, or no `v1` signature matches.

    """
    body = payload.encode() if isinstance(payload, str) else bytes(payload)
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = lowered.get("webhook-id")
    timestamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        raise WebhookVerificationError(
            "missing webhook-id, webhook-timestamp or webhook-signature header"
        )
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookVerificationError(f"invalid webhook-timestamp {timestamp!r}") from None
    now = _now()
    if sent_at < now - tolerance:
        raise WebhookVerificationError("the webhook-timestamp is too old")
    if sent_at > now + tolerance:
        raise WebhookVerificationError("the webhook-timestamp is in the future")
    expected = _signature(_key(secret), msg_id, sent_at, body)
    for candidate in signatures.split():
        scheme, _, value = candidate.partition(",")
        if scheme == "v1" and hmac.compare_digest(value.encode(), expected.encode()):
            try:
                return msgspec.json.decode(body)
            except msgspec.DecodeError:
                raise WebhookVerificationError("the payload is not JSON") from None
    raise WebhookVerificationError("no matching signature")


def sign(msg_id: str, timestamp: int, payload: bytes | str, secret: str) -> str:
    """Return the `webhook-signature` value (`v1,<base64>`) for a delivery.

    Useful to test a receiver: build the headers of a delivery you make up yourself.
    """
    body = payload.encode() if isinstance(payload, str) else bytes(payload)
    return f"v1,{_signature(_key(secret), msg_id, timestamp, body)}"


def _key(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError("the secret is not a whsec_<base64> secret") from None


def _signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def _now() -> float:
    return time.time()


__all__ = ["DEFAULT_TOLERANCE", "WebhookVerificationError", "sign", "verify"]
