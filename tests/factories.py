"""Small async factories and assertions shared by the API tests.

Everything goes through the HTTP API (references included), and every factory gives its
resource a unique `external_id`, so a test can find exactly what it made in a shared database."""

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from httpx import Response

PROBLEM_JSON = "application/problem+json"
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")
# A well-formed id that no resource has: the ULID body of time zero.
UNKNOWN_ID = {"actors": "act_" + "0" * 26, "sources": "src_" + "0" * 26}
UNKNOWN_ID |= {"claims": "clm_" + "0" * 26, "figures": "fig_" + "0" * 26}


def uid(label: str = "t") -> str:
    """A unique external_id (or any unique text) for data this test owns."""
    return f"{label}-{uuid.uuid4().hex}"


def parse_time(value: str) -> datetime:
    assert RFC3339_UTC.match(value), f"not RFC 3339 UTC: {value!r}"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment.utcoffset() is not None
    return moment.astimezone(UTC)


def assert_problem(response: Response, status: int, field: str | None = None) -> dict[str, Any]:
    """An RFC 9457 problem with this status; with `field`, its `errors[]` names that field."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert isinstance(problem["type"], str)
    assert problem["type"]
    assert isinstance(problem["title"], str)
    assert problem["title"]
    assert "Traceback" not in response.text
    if field is not None:
        errors = problem.get("errors")
        assert isinstance(errors, list), problem
        assert errors, problem
        for error in errors:
            assert set(error) == {"field", "message"}, error
            assert error["message"], error
        fields = [error["field"] for error in errors]
        assert field in fields, (field, problem)
    return problem


async def create(client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def delete(client: Any, path: str, resource_id: str) -> dict[str, Any]:
    response = await client.delete(f"{path}/{resource_id}")
    assert response.status_code == 200, response.text
    tombstone: dict[str, Any] = response.json()
    assert tombstone["deleted"] is True
    return tombstone


async def actor(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"external_id": uid("actor"), "name": "Test actor", "kind": "person", **fields}
    return await create(client, "/v1/actors", body)


async def source(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"external_id": uid("source"), "kind": "news_article", "title": "A report", **fields}
    return await create(client, "/v1/sources", body)


async def claim(client: Any, **fields: Any) -> dict[str, Any]:
    if "claimant_id" not in fields:
        fields["claimant_id"] = (await actor(client))["id"]
    body = {"external_id": uid("claim"), "text": "Something was said.", **fields}
    return await create(client, "/v1/claims", body)


async def figure(client: Any, **fields: Any) -> dict[str, Any]:
    if "claim_id" not in fields:
        fields["claim_id"] = (await claim(client))["id"]
    body = {
        "external_id": uid("figure"),
        "metric": "killed",
        "amount": 10,
        "qualifier": "exact",
        **fields,
    }
    return await create(client, "/v1/figures", body)


MAKERS = {"actors": actor, "sources": source, "claims": claim, "figures": figure}


async def deleted(client: Any, table: str) -> str:
    """The id of a fresh resource of this kind that is already deleted."""
    made = await MAKERS[table](client)
    await delete(client, f"/v1/{table}", made["id"])
    return str(made["id"])


async def list_all(client: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, following `next_cursor` to the end."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def ids(client: Any, path: str, **params: Any) -> list[str]:
    return [item["id"] for item in await list_all(client, path, **params)]
