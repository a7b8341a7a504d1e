"""HTTP behaviour clients expect of any server (issue 11): HEAD, If-None-Match, and a
client that leaves mid-request."""

import logging
import re
from typing import Any

import factories
import pytest
from litestar import Litestar

# Headers that differ between any two requests, whatever the method.
PER_REQUEST = {"x-request-id", "date", "ratelimit-remaining", "ratelimit-reset", "ratelimit"}


async def _get_paths(app: Litestar, client: Any) -> list[str]:
    """Every GET route of the API document, its path parameters filled with live ids."""
    claim = await factories.claim(client)
    figure = await factories.figure(client, claim_id=claim["id"])
    ids = {
        "actors": claim["claimant_id"],
        "claims": claim["id"],
        "figures": figure["id"],
        "sources": (await factories.source(client))["id"],
    }
    paths = []
    for template, item in app.openapi_schema.to_schema()["paths"].items():
        if "get" not in item:
            continue
        kind = template.split("/")[2] if template.startswith("/v1/") else ""
        path = template.replace("{id}", ids.get(kind, "x_1")).replace("{number}", "1")
        paths.append(re.sub(r"\{[a-z_]+\}", "x_1", path))
    return paths


async def test_head_answers_every_get_route_with_its_headers_and_no_body(
    app: Litestar, client: Any
) -> None:
    paths = await _get_paths(app, client)
    assert len(paths) > 20
    for path in paths:
        got = await client.get(path)
        head = await client.head(path)
        assert head.status_code == got.status_code, (path, head.status_code, got.status_code)
        assert head.content == b"", path
        # A compressed GET's length is known only once compressed, which HEAD skips.
        skip = PER_REQUEST | ({"content-length"} if "content-encoding" in got.headers else set())
        same = {k: v for k, v in got.headers.items() if k not in skip}
        assert {k: v for k, v in head.headers.items() if k not in skip} == same, path
        if "content-encoding" in got.headers:
            assert "content-length" not in head.headers, path
        assert "x-request-id" in head.headers


async def test_head_is_allowed_where_get_is_and_refused_where_it_is_not(client: Any) -> None:
    allow = (await client.options("/v1/actors")).headers["allow"]
    assert "HEAD" in {m.strip() for m in allow.split(",")}
    response = await client.head("/v1/actors/act_1/versions/1/diff/nothing")
    assert response.status_code == 404
    assert response.content == b""


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [
        ("*", 304),
        ('W/"1"', 304),
        ('"1"', 304),
        ('"7", W/"1"', 304),
        ('"2"', 200),
        ('W/"2"', 200),
        ('"7", "8"', 200),
    ],
)
async def test_if_none_match_takes_a_star_a_weak_tag_and_a_list(
    client: Any, if_none_match: str, status: int
) -> None:
    actor = await factories.actor(client)
    response = await client.get(
        f"/v1/actors/{actor['id']}", headers={"If-None-Match": if_none_match}
    )
    assert response.status_code == status, response.text
    assert response.headers["etag"] == '"1"'
    head = await client.head(f"/v1/actors/{actor['id']}", headers={"If-None-Match": if_none_match})
    assert head.status_code == status


async def test_a_client_that_leaves_mid_body_is_not_logged_as_a_server_error(
    app: Litestar, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/actors",
        "raw_path": b"/v1/actors",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", b"100"),
            (b"authorization", client.headers["authorization"].encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    messages = [
        {"type": "http.request", "body": b'{"name": "half', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO):
        # On the loop the app (and its database pool) runs on.
        client.blocking_portal.call(app, scope, receive, send)
    assert sent[0]["status"] != 500
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "client disconnected" in caplog.text
