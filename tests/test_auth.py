"""Bearer API keys and scopes: 401 without a valid key, 403 without the scope, and the
open endpoints."""

from typing import Any

import factories
import pytest
from factories import assert_problem
from litestar import Litestar


async def send_without_key(client: Any, method: str, url: str, **kwargs: Any) -> Any:
    request = client.build_request(method, url, **kwargs)
    del request.headers["Authorization"]
    return await client.send(request)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/v1/actors"),
        ("GET", "/v1/claims/clm_01jfzq6m3b8n0c2k4d5e6f7g8h"),
        ("POST", "/v1/figures"),
        ("DELETE", "/v1/sources/src_01jfzq6m3b8n0c2k4d5e6f7g8h"),
        ("GET", "/v1/actors/act_01jfzq6m3b8n0c2k4d5e6f7g8h/versions"),
    ],
)
async def test_missing_key_is_401(client: Any, method: str, url: str) -> None:
    response = await send_without_key(client, method, url)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer clk_not-a-real-key",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "clk_without_scheme",
        "Bearer " + "x" * 5000,
    ],
)
async def test_wrong_key_is_401(client: Any, authorization: str) -> None:
    response = await client.get("/v1/actors", headers={"Authorization": authorization})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_revoked_key_is_401(client: Any, api_keys: dict[str, str]) -> None:
    response = await client.get("/v1/actors", headers=bearer(api_keys["revoked"]))
    assert_problem(response, 401)


async def test_scheme_is_case_insensitive(client: Any, api_keys: dict[str, str]) -> None:
    response = await client.get(
        "/v1/actors", headers={"Authorization": f"bearer {api_keys['read']}"}
    )
    assert response.status_code == 200


async def test_read_key_reads_but_cannot_write(client: Any, api_keys: dict[str, str]) -> None:
    made = await factories.actor(client)
    url = f"/v1/actors/{made['id']}"
    read = bearer(api_keys["read"])
    assert (await client.get(url, headers=read)).json() == made
    assert (await client.get("/v1/actors", headers=read)).status_code == 200
    assert (await client.get(f"{url}/versions", headers=read)).status_code == 200
    assert (await client.get(f"{url}/versions/1", headers=read)).status_code == 200
    for response in (
        await client.post("/v1/actors", json={"name": "Not allowed"}, headers=read),
        await client.patch(url, json={"name": "Not allowed"}, headers=read),
        await client.delete(url, headers=read),
    ):
        assert_problem(response, 403)
    assert (await client.get(url)).json() == made


async def test_write_key_writes_and_is_recorded(client: Any, api_keys: dict[str, str]) -> None:
    write = bearer(api_keys["write"])
    response = await client.post("/v1/actors", json={"name": "Written"}, headers=write)
    assert response.status_code == 201, response.text
    url = response.headers["location"]
    assert (await client.patch(url, json={"name": "Rewritten"}, headers=write)).status_code == 200
    assert (await client.patch(url, json={"name": "By admin"})).status_code == 200
    assert (await client.delete(url, headers=write)).status_code == 200
    history = (await client.get(f"{url}/versions")).json()["data"]
    keys = [revision["api_key_id"] for revision in history]
    assert keys[0] == keys[1] == keys[3]
    assert keys[2] != keys[0]
    assert all(key.startswith("key_") for key in keys)


def admin_only_routes(app: Litestar) -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.opt.get("scope") == "admin"
        for method in handler.http_methods
    )


async def test_write_key_cannot_do_admin_things(
    client: Any, app: Litestar, api_keys: dict[str, str]
) -> None:
    routes = admin_only_routes(app)
    assert len(routes) >= 10, routes  # the webhook operations
    for method, path in routes:
        url = path.replace("{id:str}", "whk_0").replace("{", "").replace("}", "")
        response = await client.request(method, url, headers=bearer(api_keys["write"]))
        assert_problem(response, 403)


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/schema/openapi.json"])
async def test_open_endpoints_need_no_key(client: Any, path: str) -> None:
    response = await send_without_key(client, "GET", path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/")


async def test_openapi_declares_bearer_auth(client: Any) -> None:
    document = (await send_without_key(client, "GET", "/schema/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    assert "/v1/claims" in document["paths"]
