"""Regression tests for what contract fuzzing found, pinned as plain examples so each stays
fixed whatever seed the fuzzer runs with. Each test names the bug it guards against."""

import base64
from typing import Any

import msgspec
import pytest


def forged_cursor(position: Any) -> str:
    """A cursor in the server's own format holding a position it never issued."""
    return base64.urlsafe_b64encode(msgspec.json.encode([1, position])).decode().rstrip("=")


async def make_actor(client: Any) -> dict[str, Any]:
    response = await client.post("/v1/actors", json={"name": "Fuzz finding"})
    assert response.status_code == 201, response.text
    return response.json()


async def make_claim(client: Any) -> dict[str, Any]:
    actor = await make_actor(client)
    body = {"claimant_id": actor["id"], "text": "A number was stated."}
    response = await client.post("/v1/claims", json=body)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ("/v1/actors", "act_\u0000"),  # NUL in text: PostgreSQL refused it → 500
        ("/v1/actors", "x" * 500),
        ("/v1/actors/{id}/versions", 2**70),  # past the int column → OverflowError → 500
        ("/v1/actors/{id}/versions", -1),
    ],
)
async def test_a_well_formed_cursor_the_server_never_issued_is_a_400(
    client: Any, path: str, position: Any
) -> None:
    actor = await make_actor(client)
    url = path.format(id=actor["id"])
    response = await client.get(url, params={"cursor": forged_cursor(position)})
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    "moment",
    # Valid RFC 3339, but the instant in UTC is outside Python's years 1-9999: converting it
    # for asyncpg raised OverflowError → 500.
    ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"],
)
async def test_times_at_the_edge_of_the_calendar_are_answered(client: Any, moment: str) -> None:
    actor = await make_actor(client)
    got = await client.get(f"/v1/actors/{actor['id']}", params={"as_of": moment})
    assert got.status_code == (200 if moment.startswith("9999") else 404), got.text
    listed = await client.get("/v1/actors", params={"updated_since": moment, "limit": 1})
    assert listed.status_code == 200, listed.text

    source = await client.post("/v1/sources", json={"title": "Edge", "published_at": moment})
    assert source.status_code == 201, source.text
    assert source.json()["published_at"] == moment.replace("+00:00", "Z")


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2024-12-27T00:00:00", "yesterday"])
async def test_query_times_must_be_rfc_3339_with_an_offset(client: Any, value: str) -> None:
    """Litestar's lenient conversion read `0.5` as a Unix timestamp: a request the document
    calls invalid (format: date-time) was answered 200."""
    response = await client.get("/v1/actors", params={"updated_since": value})
    assert response.status_code == 400, response.text


async def test_an_integer_written_with_a_fraction_of_zero_is_an_integer(client: Any) -> None:
    """JSON Schema counts 3000.0 as an integer, so the document promises it is accepted;
    msgspec's strict decoding refused it (422)."""
    claim = await make_claim(client)
    body = {"claim_id": claim["id"], "metric": "killed", "amount": 3000.0}
    created = await client.post("/v1/figures", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["amount"] == 3000
    url = f"/v1/figures/{created.json()['id']}"
    patched = await client.patch(url, json={"amount": 25769.0})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["amount"], patched.json()["low"]) == (25769, 25769)
    fractional = await client.patch(url, json={"amount": 25769.5})
    assert fractional.status_code == 422, fractional.text


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v1/actors", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("/v1/actors/act_0", {"GET", "HEAD", "PATCH", "DELETE", "OPTIONS"}),
        ("/v1/claims/clm_0/versions", {"GET", "HEAD", "OPTIONS"}),
    ],
)
async def test_options_lists_every_method_of_the_path(
    client: Any, path: str, allowed: set[str]
) -> None:
    """Litestar 2 answered `Allow: GET, OPTIONS` for /v1/actors (litestar#4169)."""
    response = await client.options(path)
    assert response.status_code == 204
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed


@pytest.mark.parametrize(("if_match", "status"), [('"1"', 200), ("1", 200), ('W/"1"', 200)])
async def test_if_match_takes_the_entity_tag_quoted_or_not(
    client: Any, if_match: str, status: int
) -> None:
    actor = await make_actor(client)
    response = await client.patch(
        f"/v1/actors/{actor['id']}", json={"role": "spokesperson"}, headers={"If-Match": if_match}
    )
    assert response.status_code == status, response.text


@pytest.mark.parametrize("if_match", ["null", "abc", '"1", "2"'])
async def test_an_if_match_that_is_no_entity_tag_is_a_400(client: Any, if_match: str) -> None:
    actor = await make_actor(client)
    response = await client.delete(f"/v1/actors/{actor['id']}", headers={"If-Match": if_match})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("url", ["https://example.org/a\x1fb", "https://example.org/a b"])
async def test_urls_refuse_control_characters_and_spaces(client: Any, url: str) -> None:
    """The `Url` pattern used `\\s`, which the server (Python: includes \\x1c-\\x1f) and the
    document's readers (ECMA-262: does not) understood differently."""
    response = await client.post("/v1/sources", json={"title": "Bad URL", "url": url})
    assert response.status_code == 422, response.text
