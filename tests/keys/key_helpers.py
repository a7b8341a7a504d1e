"""Shared by the tests of `/v1/keys`."""

import uuid
from typing import Any

from support.databases import wait_until_sequenced

CACHE_SECONDS = 60.0
"""`api_key_cache_seconds` of the instances of `conftest.py`."""


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def unique_name(label: str = "partner") -> str:
    return f"{label} {uuid.uuid4().hex}"


async def create_key(client: Any, **fields: Any) -> dict[str, Any]:
    """A key made through the API (`name` unique unless given), with its secret."""
    body = {"name": unique_name(), "scopes": ["read"], **fields}
    response = await client.post("/v1/keys", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def events_of(client: Any, dsn: str, key_id: str) -> list[dict[str, Any]]:
    """The feed's `api_key.*` events about one key, in feed order."""
    await wait_until_sequenced(dsn)
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        response = await client.get(
            "/v1/events", params={"after": after, "types": "api_key.*", "limit": 200}
        )
        page = response.json()["data"]
        if not page:
            return [event for event in events if event["resource_id"] == key_id]
        events += page
        after = page[-1]["seq"]
