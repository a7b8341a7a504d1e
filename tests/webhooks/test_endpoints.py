"""Managing webhook endpoints through the API."""

import uuid
from typing import Any

import asyncpg
import msgspec
import pytest
from claimledger_server.app import openapi_document
from claimledger_server.consistency import HEADER, parse_token
from factories import assert_problem
from webhook_helpers import admin_client


async def make(client: Any, **fields: Any) -> dict[str, Any]:
    body = {"url": "http://127.0.0.1:9/hooks", **fields}
    response = await client.post("/v1/webhooks", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_every_change_answers_a_consistency_token(wh_client: Any) -> None:
    made = await wh_client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/t"})
    url = f"/v1/webhooks/{made.json()['id']}"
    changed = await wh_client.patch(url, json={"enabled": False})
    rotated = await wh_client.post(f"{url}/rotate-secret")
    removed = await wh_client.delete(url)
    answers = [made, changed, rotated, removed]
    assert [r.status_code for r in answers] == [201, 200, 200, 204]
    tokens = [parse_token(r.headers[HEADER]) for r in answers]
    assert tokens == sorted(tokens)


async def test_create_shows_the_secret_once(wh_client: Any) -> None:
    response = await wh_client.post(
        "/v1/webhooks",
        json={"url": "http://127.0.0.1:9/in", "event_types": ["claim.*", "figure.deleted"]},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/webhooks/{created['id']}"
    assert created["id"].startswith("whe_")
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["claim.*", "figure.deleted"]
    assert created["enabled"] is True
    assert created["disabled_reason"] is None
    assert created["description"] is None
    fetched = (await wh_client.get(f"/v1/webhooks/{created['id']}")).json()
    assert "secret" not in fetched
    assert fetched == {k: v for k, v in created.items() if k != "secret"}
    listed = (await wh_client.get("/v1/webhooks?limit=200")).json()["data"]
    assert fetched in listed
    assert all("secret" not in item for item in listed)


async def test_defaults_and_pagination(wh_client: Any) -> None:
    made = [await make(wh_client, description=f"page {i}") for i in range(3)]
    assert made[0]["event_types"] == ["*"]
    seen: list[str] = []
    cursor = None
    while True:
        query = "/v1/webhooks?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await wh_client.get(query)).json()
        seen += [item["id"] for item in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert {m["id"] for m in made} <= set(seen)
    assert seen == sorted(seen)


async def test_update_and_delete(wh_client: Any) -> None:
    endpoint = await make(wh_client)
    path = f"/v1/webhooks/{endpoint['id']}"
    changed = await wh_client.patch(
        path,
        json={"url": "http://127.0.0.1:10/new", "event_types": ["actor.*"], "description": "x"},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["url"], body["event_types"], body["description"]) == (
        "http://127.0.0.1:10/new",
        ["actor.*"],
        "x",
    )
    cleared = (await wh_client.patch(path, json={"description": None, "enabled": False})).json()
    assert cleared["description"] is None
    assert cleared["enabled"] is False
    assert cleared["url"] == "http://127.0.0.1:10/new"  # untouched
    deleted = await wh_client.delete(path)
    assert deleted.status_code == 204
    assert_problem(await wh_client.get(path), 404)
    assert_problem(await wh_client.delete(path), 404)
    assert_problem(await wh_client.patch(path, json={"enabled": True}), 404)


async def test_bad_input_names_the_field(wh_client: Any) -> None:
    cases = [
        ({"url": "ftp://127.0.0.1/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "http://[abc"}, "url"),
        ({"url": "http://["}, "url"),
        ({"url": "https://[abc]/x"}, "url"),
        ({"url": "https://:443/x"}, "url"),
        ({"url": "http://127.0.0.1/x", "event_types": []}, "event_types"),
        ({"url": "http://127.0.0.1/x", "event_types": ["claim;drop"]}, "event_types[0]"),
        ({"url": "http://127.0.0.1/x", "description": 7}, "description"),
        ({}, "url"),
    ]
    for body, field in cases:
        assert_problem(await wh_client.post("/v1/webhooks", json=body), 422, field)
    assert_problem(
        await wh_client.post("/v1/webhooks", json={"url": "http://127.0.0.1/", "nope": 1}), 400
    )
    endpoint = await make(wh_client)
    patched = await wh_client.patch(f"/v1/webhooks/{endpoint['id']}", json={"enabled": "yes"})
    assert_problem(patched, 422, "enabled")


async def test_public_plain_http_is_refused_even_when_private_targets_are_allowed(
    wh_client: Any,
) -> None:
    # The test server allows private targets; a public address still needs https.
    response = await wh_client.post("/v1/webhooks", json={"url": "http://93.184.216.34/x"})
    problem = assert_problem(response, 422, "url")
    assert "https" in problem["detail"]


async def test_only_admin_keys_manage_webhooks(wh_client: Any, wh_keys: dict[str, str]) -> None:
    endpoint = await make(wh_client)
    for scope in ("read", "write"):
        headers = {"Authorization": f"Bearer {wh_keys[scope]}"}
        assert_problem(await wh_client.get("/v1/webhooks", headers=headers), 403)
        assert_problem(
            await wh_client.get(f"/v1/webhooks/{endpoint['id']}/deliveries", headers=headers), 403
        )
        assert_problem(
            await wh_client.post(
                "/v1/webhooks", json={"url": "http://127.0.0.1/"}, headers=headers
            ),
            403,
        )
    assert_problem(await wh_client.get("/v1/webhooks", headers={"Authorization": ""}), 401)


async def test_rotation_returns_a_new_secret(wh_client: Any) -> None:
    endpoint = await make(wh_client)
    response = await wh_client.post(f"/v1/webhooks/{endpoint['id']}/rotate-secret")
    assert response.status_code == 200, response.text
    rotated = response.json()
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != endpoint["secret"]
    assert rotated["previous_secret_expires_at"]
    assert_problem(await wh_client.post("/v1/webhooks/whe_nope/rotate-secret"), 404)


async def test_a_retried_create_does_not_show_the_secret_again(
    wh_client: Any, wh_pool: asyncpg.Pool
) -> None:
    """The secret is shown once: a retry with the same Idempotency-Key creates nothing and
    names the endpoint, but is a 409 that says where to get a new secret, and the
    idempotency store never held the secret."""
    headers = {"Idempotency-Key": f"create-webhook-once-{uuid.uuid4()}", "X-Request-ID": "r1"}
    body = {"url": "http://127.0.0.1:9/once"}
    first = await wh_client.post("/v1/webhooks", json=body, headers=headers)
    assert first.status_code == 201
    created = first.json()
    headers["X-Request-ID"] = "r2"
    again = await wh_client.post("/v1/webhooks", json=body, headers=headers)
    problem = assert_problem(again, 409)
    assert problem["type"].endswith(":secret-not-replayed")
    assert created["secret"] not in again.text
    assert f"POST /v1/webhooks/{created['id']}/rotate-secret" in problem["detail"]
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert (problem["request_id"], problem["instance"]) == ("r2", "/v1/webhooks")
    await assert_not_stored(wh_pool, created["secret"])
    listed = (await wh_client.get("/v1/webhooks?limit=200")).json()["data"]
    assert sum(e["url"] == body["url"] for e in listed) == 1


async def test_a_retried_rotation_does_not_show_the_secret_again(
    wh_client: Any, wh_pool: asyncpg.Pool
) -> None:
    endpoint = await make(wh_client)
    path = f"/v1/webhooks/{endpoint['id']}/rotate-secret"
    headers = {"Idempotency-Key": f"rotate-once-{uuid.uuid4()}"}
    rotated = (await wh_client.post(path, headers=headers)).json()
    again = await wh_client.post(path, headers=headers)
    problem = assert_problem(again, 409)
    assert problem["type"].endswith(":secret-not-replayed")
    assert rotated["secret"] not in again.text
    assert f"POST {path} again" in problem["detail"]
    await assert_not_stored(wh_pool, rotated["secret"])
    other = await wh_client.post(path, headers={"Idempotency-Key": f"rotate-{uuid.uuid4()}"})
    assert other.status_code == 200
    assert other.json()["secret"] not in (rotated["secret"], endpoint["secret"])


async def assert_not_stored(pool: asyncpg.Pool, secret: str) -> None:
    stored = await pool.fetchval(
        "SELECT count(*) FROM idempotency_keys WHERE position($1::bytea IN body) > 0"
        " OR headers::text LIKE '%' || $2 || '%'",
        secret.encode(),
        secret,
    )
    assert stored == 0


def test_every_response_with_a_secret_is_shown_once() -> None:
    """Operations whose success carries a `secret` are the ones that store a 409 in its
    place (`idempotency.shown_once`); a new one must be added there, and here."""
    document = msgspec.json.decode(openapi_document())
    schemas = document["components"]["schemas"]
    with_secret = set()
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                ref = content.get("schema", {}).get("$ref", "")
                properties = schemas.get(ref.rpartition("/")[2], {}).get("properties", {})
                if status.startswith("2") and "secret" in properties:
                    with_secret.add(operation["operationId"])
    assert with_secret == {"createWebhookEndpoint", "rotateWebhookSecret", "createKey"}


async def test_operations_on_unknown_endpoints_and_deliveries_are_404(wh_client: Any) -> None:
    endpoint = await make(wh_client)
    base = f"/v1/webhooks/{endpoint['id']}"
    for response in [
        await wh_client.post("/v1/webhooks/whe_nope/test"),
        await wh_client.post("/v1/webhooks/whe_nope/replay", json={"after": 0}),
        await wh_client.post(
            "/v1/webhooks/whe_nope/recover", json={"since": "2024-01-01T00:00:00Z"}
        ),
        await wh_client.get("/v1/webhooks/whe_nope/deliveries"),
        await wh_client.get(f"{base}/deliveries/whd_nope"),
        await wh_client.get(f"{base}/deliveries/whd_nope/attempts"),
        await wh_client.post(f"{base}/deliveries/whd_nope/retry"),
    ]:
        assert_problem(response, 404)
    assert_problem(await wh_client.post(f"{base}/recover", json={"since": "yesterday"}), 422)
    assert_problem(
        await wh_client.post(f"{base}/recover", json={"since": "2024-01-01T00:00:00"}), 422
    )
    assert_problem(await wh_client.post(f"{base}/replay", json={"after": -1}), 422)
    assert_problem(await wh_client.get(f"{base}/deliveries?status=lost"), 400)
    assert_problem(await wh_client.get(f"{base}/deliveries?event_type=a;b"), 400)


async def test_the_contract_documents_every_operation(wh_client: Any) -> None:
    document = (await wh_client.get("/schema/openapi.json")).json()
    operations = {
        op["operationId"]: op
        for path, item in document["paths"].items()
        if path.startswith("/v1/webhooks")
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert set(operations) >= {
        "createWebhookEndpoint",
        "listWebhookEndpoints",
        "getWebhookEndpoint",
        "updateWebhookEndpoint",
        "deleteWebhookEndpoint",
        "rotateWebhookSecret",
        "testWebhookEndpoint",
        "replayWebhookEvents",
        "recoverWebhookEndpoint",
        "listWebhookDeliveries",
        "listWebhookDeliveryAttempts",
        "retryWebhookDelivery",
    }
    assert all(op["tags"] == ["webhooks"] for op in operations.values())
    links = operations["createWebhookEndpoint"]["responses"]["201"]["links"]
    assert set(links) == {"getWebhookEndpoint", "updateWebhookEndpoint", "deleteWebhookEndpoint"}
    assert "WebhookEndpointWithSecret" in document["components"]["schemas"]


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
async def test_recover_since_outside_the_years_1_to_9999_in_utc_is_422(
    wh_client: Any, since: str
) -> None:
    endpoint = await make(wh_client)
    response = await wh_client.post(f"/v1/webhooks/{endpoint['id']}/recover", json={"since": since})
    assert_problem(response, 422, "since")


async def test_recover_since_at_the_ends_of_the_range_is_accepted(wh_client: Any) -> None:
    endpoint = await make(wh_client)
    for since in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T01:00:00+01:00"):
        response = await wh_client.post(
            f"/v1/webhooks/{endpoint['id']}/recover", json={"since": since}
        )
        assert response.status_code == 202, response.text
        assert response.json() == {"queued": 0}


async def test_ipv4_inside_ipv6_and_site_local_targets_are_refused(
    wh_dsn: str, wh_keys: dict[str, str]
) -> None:
    async with admin_client(
        wh_dsn, wh_keys, rate_limit_per_minute=100_000_000, webhooks={"allow_private": False}
    ) as client:
        for host in [
            "[64:ff9b::169.254.169.254]",
            "[64:ff9b::10.0.0.1]",
            "[64:ff9b:1::a00:1]",
            "[::127.0.0.1]",
            "[::ffff:0:127.0.0.1]",
            "[fec0::1]",
        ]:
            response = await client.post(
                "/v1/webhooks", json={"url": f"https://{host}/latest/meta-data/"}
            )
            problem = assert_problem(response, 422, "url")
            assert "SSRF" in problem["detail"]
