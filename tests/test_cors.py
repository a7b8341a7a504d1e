"""Browser apps on other origins (issue 13.8): CORS for the configured origins only, preflights
answered without a key or a rate-limit budget, refusals in problem+json, and the headers a
script may read."""

from collections.abc import AsyncIterator
from typing import Any

import factories
import pytest
from claimledger_server import cli
from claimledger_server.app import create_app
from claimledger_server.config import Settings, parse_origins
from claimledger_server.cors import EXPOSED_HEADERS, MAX_AGE_SECONDS, CrossOrigin
from litestar.testing import AsyncTestClient
from support.databases import make_key

APP_ORIGIN = "https://app.example.org"
DEV_ORIGIN = "http://localhost:5173"
OTHER_ORIGIN = "https://elsewhere.example.net"
WRITE_HEADERS = (
    "authorization, content-type, idempotency-key, if-match, x-change-note, claimledger-consistency"
)


@pytest.fixture(scope="module")
async def browser(database_url: str, api_keys: dict[str, str]) -> AsyncIterator[Any]:
    """A client of an app that lets two origins in, with an admin key."""
    settings = Settings(
        database_url=database_url,
        cors_origins=parse_origins(f"{APP_ORIGIN}, {DEV_ORIGIN}"),
        api_key_cache_seconds=0,
        rate_limit_per_minute=100_000_000,
        auth_failures_per_minute=100_000_000,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        client.headers["Authorization"] = f"Bearer {api_keys['admin']}"
        yield client


def preflight(origin: str, method: str = "POST", headers: str = WRITE_HEADERS) -> dict[str, str]:
    """What a browser sends before a request it may not make without asking; never a key."""
    asked = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return asked


def listed(value: str) -> set[str]:
    return {part.strip().lower() for part in value.split(",")}


@pytest.mark.parametrize("origin", [APP_ORIGIN, DEV_ORIGIN])
@pytest.mark.parametrize(
    ("path", "method"),
    [("/v1/claims", "POST"), ("/v1/claims/clm_x", "PATCH"), ("/v1/actors/act_x", "DELETE")],
)
async def test_an_allowed_origin_gets_its_preflight_answered_without_a_key(
    browser: Any, origin: str, path: str, method: str
) -> None:
    response = await browser.options(
        path, headers={**preflight(origin, method), "Authorization": ""}
    )
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == origin
    assert method in response.headers["access-control-allow-methods"].split(", ")
    assert listed(WRITE_HEADERS) <= listed(response.headers["access-control-allow-headers"])
    assert response.headers["access-control-max-age"] == str(MAX_AGE_SECONDS)
    assert "origin" in listed(response.headers["vary"])
    assert "x-request-id" in response.headers
    assert not any(name.startswith("ratelimit") for name in response.headers)
    assert "access-control-allow-credentials" not in response.headers  # keys, not cookies
    assert response.content == b""


class FromOwnAddress:
    """The app as reached from an address no other test sends from: failed authentications
    are counted per address, across apps, in the shared database."""

    ADDRESS = "2001:db8:c0c5::1"

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        scope["client"] = (self.ADDRESS, 40000)
        await self.app(scope, receive, send)


@pytest.mark.usefixtures("rate_window")
async def test_preflights_spend_no_rate_limit_budget(database_url: str) -> None:
    """A key allowed 2 requests a minute and an address allowed 1 failed authentication:
    after preflights, both budgets are whole."""
    key = await make_key(database_url, factories.uid("cors-budget"), ("read",), 2)
    settings = Settings(
        database_url=database_url,
        cors_origins=(APP_ORIGIN,),
        api_key_cache_seconds=0,
        auth_failures_per_minute=1,
    )
    async with AsyncTestClient(app=FromOwnAddress(create_app(settings))) as client:
        for _ in range(5):
            answered = await client.options("/v1/actors", headers=preflight(APP_ORIGIN))
            assert answered.status_code == 204
        good_key = {"Authorization": f"Bearer {key}", "Origin": APP_ORIGIN}
        for _ in range(2):
            assert (await client.get("/v1/actors?limit=1", headers=good_key)).status_code == 200
        factories.assert_problem(await client.get("/v1/actors", headers=good_key), 429)
        bad_key = {"Authorization": "Bearer clk_not-a-key", "Origin": APP_ORIGIN}
        factories.assert_problem(await client.get("/v1/actors", headers=bad_key), 401)
        factories.assert_problem(await client.get("/v1/actors", headers=bad_key), 429)


async def test_a_preflight_from_an_origin_not_listed_is_refused_in_problem_json(
    browser: Any,
) -> None:
    response = await browser.options("/v1/claims", headers=preflight(OTHER_ORIGIN))
    problem = factories.assert_problem(response, 403, "Origin")
    assert OTHER_ORIGIN in problem["detail"]
    assert problem["request_id"] == response.headers["x-request-id"]
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-methods" not in response.headers
    assert "origin" in listed(response.headers["vary"])


async def test_a_preflight_for_a_header_the_api_does_not_take_is_refused(browser: Any) -> None:
    asked = preflight(APP_ORIGIN, "GET", "authorization, x-tracking-id")
    response = await browser.options("/v1/claims", headers=asked)
    problem = factories.assert_problem(response, 403, "Access-Control-Request-Headers")
    assert "x-tracking-id" in problem["detail"]
    assert "authorization" not in problem["detail"]
    assert "access-control-allow-origin" not in response.headers


async def test_a_preflight_for_a_method_the_api_does_not_take_is_refused(browser: Any) -> None:
    response = await browser.options("/v1/claims", headers=preflight(APP_ORIGIN, "TRACE", ""))
    factories.assert_problem(response, 403, "Access-Control-Request-Method")


async def test_a_plain_options_request_with_an_origin_is_not_a_preflight(browser: Any) -> None:
    response = await browser.options("/v1/actors", headers={"Origin": APP_ORIGIN})
    assert "POST" in response.headers["allow"]  # the route's own answer (http_options.py)
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "access-control-allow-methods" not in response.headers


async def test_an_allowed_origin_reads_every_header_it_needs(browser: Any) -> None:
    created = await browser.post(
        "/v1/actors",
        json={"external_id": factories.uid("cors"), "name": "Cors", "kind": "person"},
        headers={"Origin": APP_ORIGIN, "Idempotency-Key": factories.uid("key")},
    )
    assert created.status_code == 201, created.text
    assert created.headers["access-control-allow-origin"] == APP_ORIGIN
    exposed = listed(created.headers["access-control-expose-headers"])
    assert exposed == {name.lower() for name in EXPOSED_HEADERS}
    # Each header the API sends beyond the safelisted ones is exposed.
    for name in (
        "etag",
        "location",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "claimledger-consistency",
        "x-request-id",
    ):
        assert name in created.headers, name
        assert name in exposed, name
    assert "origin" in listed(created.headers["vary"])

    read = await browser.get(created.headers["location"], headers={"Origin": APP_ORIGIN})
    assert read.headers["access-control-allow-origin"] == APP_ORIGIN
    assert read.headers["etag"] == '"1"'


async def test_errors_are_readable_by_an_allowed_origin(browser: Any) -> None:
    missing = await browser.get(
        f"/v1/actors/{factories.UNKNOWN_ID['actors']}", headers={"Origin": APP_ORIGIN}
    )
    factories.assert_problem(missing, 404)
    assert missing.headers["access-control-allow-origin"] == APP_ORIGIN
    no_key = await browser.get("/v1/actors", headers={"Origin": APP_ORIGIN, "Authorization": ""})
    factories.assert_problem(no_key, 401)
    assert no_key.headers["access-control-allow-origin"] == APP_ORIGIN
    unrouted = await browser.get("/v1/nothing-here", headers={"Origin": APP_ORIGIN})
    factories.assert_problem(unrouted, 404)
    assert unrouted.headers["access-control-allow-origin"] == APP_ORIGIN


async def test_an_origin_not_listed_is_served_without_cors_headers(browser: Any) -> None:
    response = await browser.get("/v1/actors?limit=1", headers={"Origin": OTHER_ORIGIN})
    assert response.status_code == 200  # the browser withholds it from the script
    assert not any(name.startswith("access-control-") for name in response.headers)
    assert "origin" in listed(response.headers["vary"])


async def test_a_request_without_origin_gets_no_cors_headers_but_varies_by_origin(
    browser: Any,
) -> None:
    response = await browser.get("/v1/actors?limit=1")
    assert response.status_code == 200
    assert not any(name.startswith("access-control-") for name in response.headers)
    assert "origin" in listed(response.headers["vary"])


async def test_vary_names_origin_and_accept_encoding_on_a_compressed_answer(
    browser: Any,
) -> None:
    response = await browser.get(
        "/schema/openapi.json", headers={"Origin": APP_ORIGIN, "Accept-Encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert listed(response.headers["vary"]) == {"origin", "accept-encoding"}
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN


async def test_no_origin_is_allowed_by_default(client: Any) -> None:
    assert Settings().cors_origins == ()
    response = await client.options("/v1/claims", headers=preflight(APP_ORIGIN))
    assert "access-control-allow-origin" not in response.headers
    read = await client.get("/v1/actors?limit=1", headers={"Origin": APP_ORIGIN})
    assert not any(name.startswith("access-control-") for name in read.headers)
    assert "origin" not in listed(read.headers.get("vary", ""))


async def test_any_origin_gets_a_wildcard_and_no_vary() -> None:
    sent: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def transport(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request", "body": b"", "more_body": False}

    layer = CrossOrigin(app, parse_origins("*"))
    for headers in ([(b"origin", b"https://any.example")], []):
        scope: Any = {"type": "http", "method": "GET", "headers": headers}
        scope["state"] = {"response_headers": []}
        await layer(scope, receive, transport)
        added = dict(scope["state"]["response_headers"])
        assert b"vary" not in added
        assert (added.get(b"access-control-allow-origin") == b"*") is bool(headers)
    preflight_scope: Any = {
        "type": "http",
        "method": "OPTIONS",
        "headers": [(b"origin", b"null"), (b"access-control-request-method", b"PUT")],
        "state": {"response_headers": []},
    }
    await layer(preflight_scope, receive, transport)
    assert sent[-2]["status"] == 204
    assert dict(sent[-2]["headers"])[b"access-control-allow-origin"] == b"*"


@pytest.mark.parametrize(
    ("text", "origins"),
    [
        ("", ()),
        ("https://App.Example.org/", ("https://app.example.org",)),
        ("https://a.example:443, http://b.example:80", ("https://a.example", "http://b.example")),
        ("https://a.example:8443", ("https://a.example:8443",)),
        ("http://localhost:5173,http://localhost:5173", ("http://localhost:5173",)),
        ("http://[::1]:8080", ("http://[::1]:8080",)),
        ("*", ("*",)),
    ],
)
def test_origins_are_read_as_browsers_send_them(text: str, origins: tuple[str, ...]) -> None:
    assert parse_origins(text) == origins
    assert Settings.from_env({"CLAIMLEDGER_CORS_ORIGINS": text}).cors_origins == origins


@pytest.mark.parametrize(
    "text", ["app.example.org", "https://app.example.org/path", "https://", "*, https://a.example"]
)
def test_a_value_that_is_no_origin_stops_the_start(text: str) -> None:
    with pytest.raises(ValueError, match="origin"):
        parse_origins(text)
    with pytest.raises(SystemExit, match="CLAIMLEDGER_CORS_ORIGINS"):
        Settings.from_env({"CLAIMLEDGER_CORS_ORIGINS": text})


def test_serve_takes_the_origins_and_checks_them(capsys: pytest.CaptureFixture[str]) -> None:
    args = cli.parser().parse_args(["serve", "--cors-origins", "https://App.example.org:443"])
    assert args.cors_origins == ("https://app.example.org",)
    with pytest.raises(SystemExit) as stopped:
        cli.parser().parse_args(["serve", "--cors-origins", "https://a.example/x"])
    assert stopped.value.code == 2
    assert "--cors-origins" in capsys.readouterr().err
