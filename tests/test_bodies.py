"""Request bodies: decoded once, syntax before schema, numbers read as written (issue 11)."""

from typing import Any

import factories
import pytest
from factories import assert_problem

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/actors", b'{"name":1}x'),
        ("/v1/actors", b'{"name":1,'),
        ("/v1/actors", b'{"zzz":1,'),
        ("/v1/claims", b'{"text":5} }'),
        ("/v1/figures", b'{"metric":"nope","x":"\xff"}'),
        ("/v1/sources", b'{"kind":"x","title":NaN}'),
        ("/v1/webhooks", b'{"url":1}}'),
    ],
)
async def test_schema_error_before_a_syntax_error_is_400(
    client: Any, path: str, body: bytes
) -> None:
    problem = assert_problem(await client.post(path, content=body, headers=JSON), 400)
    assert problem["type"].endswith("malformed-json"), problem


async def test_patch_with_schema_error_before_a_syntax_error_is_400(client: Any) -> None:
    made = await factories.actor(client)
    response = await client.patch(f"/v1/actors/{made['id']}", content=b'{"name":1}]', headers=JSON)
    assert_problem(response, 400)
    assert (await client.get(f"/v1/actors/{made['id']}")).json()["version"] == 1


@pytest.mark.parametrize(
    "amount", [b"1e-400", b"4503599627370496.5", b"1.0000000000000001", b"2.5", b"-0.5"]
)
async def test_an_integer_field_refuses_a_number_that_is_not_whole_as_written(
    client: Any, amount: bytes
) -> None:
    claim = await factories.claim(client)
    body = b'{"claim_id": "%s", "metric": "killed", "amount": %s}' % (
        claim["id"].encode(),
        amount,
    )
    response = await client.post("/v1/figures", content=body, headers=JSON)
    assert_problem(response, 422, "amount")


@pytest.mark.parametrize(("written", "value"), [(b"12.0", 12), (b"1.2e1", 12), (b"1200e-2", 12)])
async def test_an_integer_field_takes_a_whole_number_written_with_a_fraction_or_exponent(
    client: Any, written: bytes, value: int
) -> None:
    claim = await factories.claim(client)
    body = b'{"claim_id": "%s", "metric": "killed", "amount": %s}' % (
        claim["id"].encode(),
        written,
    )
    response = await client.post("/v1/figures", content=body, headers=JSON)
    assert response.status_code == 201, response.text
    assert response.json()["amount"] == value
    patched = await client.patch(
        f"/v1/figures/{response.json()['id']}", content=b'{"amount": %s}' % written, headers=JSON
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["amount"] == value


async def test_a_patch_refuses_a_number_that_is_not_whole_as_written(client: Any) -> None:
    made = await factories.figure(client)
    response = await client.patch(
        f"/v1/figures/{made['id']}", content=b'{"amount": 1.0000000000000001}', headers=JSON
    )
    assert_problem(response, 422, "amount")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
async def test_a_body_that_is_not_declared_json_is_415(client: Any, content_type: str) -> None:
    made = await factories.actor(client)
    headers = {"content-type": content_type}
    body = b'{"name": "x"}'
    assert_problem(await client.post("/v1/actors", content=body, headers=headers), 415)
    patched = await client.patch(f"/v1/actors/{made['id']}", content=body, headers=headers)
    assert_problem(patched, 415)
    assert_problem(await client.post("/v1/webhooks", content=body, headers=headers), 415)


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/merge-patch+json"]
)
async def test_json_media_types_are_accepted(client: Any, content_type: str) -> None:
    made = await factories.actor(client)
    response = await client.patch(
        f"/v1/actors/{made['id']}", content=b'{"role": "x"}', headers={"content-type": content_type}
    )
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "x"


async def test_a_body_without_a_content_type_is_read_as_json(client: Any) -> None:
    response = await client.post("/v1/actors", content=b'{"name": "no type"}')
    assert response.status_code == 201, response.text


async def test_a_patch_keeps_null_and_absent_apart(client: Any) -> None:
    made = await factories.actor(client, role="x", description="kept")
    response = await client.patch(f"/v1/actors/{made['id']}", json={"role": None})
    assert response.status_code == 200, response.text
    assert (response.json()["role"], response.json()["description"]) == (None, "kept")
