"""A query parameter the route does not declare is a 400 naming it, on every route: a
mistyped filter must never answer everything."""

from typing import Annotated, Any

import factories
import pytest
from claimledger_server import query_params
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from claimledger_server.errors import EXCEPTION_HANDLERS
from claimledger_server.query_params import QueryCheck, accepted_query
from factories import assert_problem
from litestar import Litestar, Request, Router, get
from litestar.di import NamedDependency, Provide
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery, HeaderParameter, PathParameter, QueryParameter, QueryParams
from litestar.testing import AsyncTestClient


def unknown(response: Any, *names: str) -> dict[str, Any]:
    """A 400 whose `errors[]` is exactly one entry per name, each an unknown query
    parameter, and whose detail names each of them."""
    problem = assert_problem(response, 400, names[0])
    assert problem["type"] == "urn:claimledger:problem:bad-request"
    assert [e["field"] for e in problem["errors"]] == list(names), problem
    for error in problem["errors"]:
        assert error["message"].startswith("unknown query parameter"), error
    for name in names:
        assert name in problem["detail"], problem
    return problem


def message(problem: dict[str, Any], name: str) -> str:
    return next(str(e["message"]) for e in problem["errors"] if e["field"] == name)


async def send_without_key(client: Any, method: str, url: str) -> Any:
    request = client.build_request(method, url)
    del request.headers["Authorization"]
    return await client.send(request)


# --- the API's routes -------------------------------------------------------------------


async def test_a_mistyped_list_filter_is_400_with_a_suggestion(client: Any) -> None:
    claim = await factories.claim(client)
    response = await client.get("/v1/claims", params={"claimnt_id": claim["claimant_id"]})
    problem = unknown(response, "claimnt_id")
    assert message(problem, "claimnt_id") == (
        "unknown query parameter; did you mean 'claimant_id'?"
    )
    assert problem["instance"] == "/v1/claims"
    # Spelled right, the same filter answers the one claim.
    response = await client.get("/v1/claims", params={"claimant_id": claim["claimant_id"]})
    assert response.status_code == 200, response.text
    assert [c["id"] for c in response.json()["data"]] == [claim["id"]]


async def test_a_name_close_to_nothing_gets_no_suggestion(client: Any) -> None:
    problem = unknown(await client.get("/v1/actors?zzzzzz=1"), "zzzzzz")
    assert message(problem, "zzzzzz") == "unknown query parameter"


@pytest.mark.parametrize("query", ["claimnt_id=", "claimnt_id", "claimnt_id=&limit=5"])
async def test_an_empty_unknown_parameter_is_still_unknown(client: Any, query: str) -> None:
    unknown(await client.get(f"/v1/claims?{query}"), "claimnt_id")


async def test_every_unknown_parameter_is_named_once(client: Any) -> None:
    response = await client.get("/v1/actors?limit=2&foo=1&kindd=person&foo=2&bar")
    problem = unknown(response, "foo", "kindd", "bar")
    assert message(problem, "kindd") == "unknown query parameter; did you mean 'kind'?"


async def test_get_by_id_refuses_unknown_parameters(client: Any) -> None:
    claim = await factories.claim(client)
    path = f"/v1/claims/{claim['id']}"
    problem = unknown(await client.get(f"{path}?expnad=claimant"), "expnad")
    assert message(problem, "expnad") == "unknown query parameter; did you mean 'expand'?"
    problem = unknown(await client.get(f"{path}?asof=2030-01-01T00:00:00Z"), "asof")
    assert message(problem, "asof") == "unknown query parameter; did you mean 'as_of'?"
    # A list's parameters are not a get's, and a path parameter is not a query parameter.
    unknown(await client.get(f"{path}?limit=5"), "limit")
    unknown(await client.get(f"{path}?id={claim['id']}"), "id")
    # The declared ones still work.
    response = await client.get(f"{path}?expand=claimant&as_of=2999-01-01T00:00:00Z")
    assert response.status_code == 200, response.text
    assert response.json()["expanded"]["claimant"]["id"] == claim["claimant_id"]
    actor = await factories.actor(client)
    assert (await client.get(f"/v1/actors/{actor['id']}?as_of=2999-01-01T00:00:00Z")).is_success
    unknown(await client.get(f"/v1/actors/{actor['id']}?expand=claimant"), "expand")


async def test_versions_routes_refuse_unknown_parameters(client: Any) -> None:
    actor = await factories.actor(client)
    versions = f"/v1/actors/{actor['id']}/versions"
    assert (await client.get(f"{versions}?limit=1")).status_code == 200
    unknown(await client.get(f"{versions}?limit=1&offset=2"), "offset")
    unknown(await client.get(f"{versions}/1?as_of=2030-01-01T00:00:00Z"), "as_of")
    assert (await client.get(f"{versions}/1/diff?against=0")).status_code == 200
    unknown(await client.get(f"{versions}/1/diff?againts=0"), "againts")


async def test_the_events_feed_refuses_unknown_parameters(client: Any) -> None:
    response = await client.get("/v1/events?after=0&limit=1&types=claim.*")
    assert response.status_code == 200, response.text
    problem = unknown(await client.get("/v1/events?aftr=0&limit=1"), "aftr")
    assert message(problem, "aftr") == "unknown query parameter; did you mean 'after'?"
    unknown(await client.get("/v1/events/evt_01jfzq6m3b8n0c2k4d5e6f7g8h?after=0"), "after")


async def test_webhook_routes_refuse_unknown_parameters(client: Any) -> None:
    assert (await client.get("/v1/webhooks?limit=1")).status_code == 200
    unknown(await client.get("/v1/webhooks?limit=1&page=2"), "page")
    deliveries = "/v1/webhooks/whe_01jfzq6m3b8n0c2k4d5e6f7g8h/deliveries"
    problem = unknown(await client.get(f"{deliveries}?evnt_type=claim.*"), "evnt_type")
    assert message(problem, "evnt_type") == "unknown query parameter; did you mean 'event_type'?"
    # Declared, the same request reaches the handler, which knows no such endpoint.
    assert_problem(await client.get(f"{deliveries}?event_type=claim.*"), 404)
    # A POST too: the query is checked before the body or the endpoint is looked at.
    response = await client.post(
        "/v1/webhooks/whe_01jfzq6m3b8n0c2k4d5e6f7g8h/rotate-secret?force=true"
    )
    unknown(response, "force")


async def test_export_summary_and_probes_refuse_unknown_parameters(client: Any) -> None:
    problem = unknown(await client.get("/v1/export?fromat=csv"), "fromat")
    assert message(problem, "fromat") == "unknown query parameter; did you mean 'format'?"
    response = await client.get("/v1/export?format=csv&kinds=actor")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")

    unknown(await client.get("/v1/figures/summary?metrc=killed"), "metrc")
    assert (await client.get("/v1/figures/summary?metric=killed&limit=1")).status_code == 200

    unknown(await client.get("/healthz?verbose=1"), "verbose")
    unknown(await send_without_key(client, "GET", "/healthz?verbose=1"), "verbose")
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    unknown(await client.get("/readyz?x="), "x")


async def test_list_and_dependency_parameters_are_still_accepted(client: Any) -> None:
    """`limit`, `cursor`, `include_deleted`, `external_id`, `updated_since` and `as_of` come
    from the `page` dependency, not from the list handler's own signature."""
    made = [await factories.actor(client, country="FRA") for _ in range(3)]
    await factories.delete(client, "/v1/actors", made[0]["id"])
    first = await client.get(
        "/v1/actors",
        params={
            "limit": 1,
            "include_deleted": "true",
            "updated_since": "2000-01-01T00:00:00Z",
            "country": "FRA",
        },
    )
    assert first.status_code == 200, first.text
    cursor = first.json()["next_cursor"]
    assert cursor
    following = await client.get("/v1/actors", params={"limit": 1, "cursor": cursor})
    assert following.status_code == 200, following.text
    by_external_id = await client.get(
        "/v1/actors",
        params={"external_id": made[1]["external_id"], "as_of": "2999-01-01T00:00:00Z"},
    )
    assert [a["id"] for a in by_external_id.json()["data"]] == [made[1]["id"]]


async def test_a_repeated_declared_parameter_is_not_unknown(client: Any) -> None:
    response = await client.get("/v1/actors?limit=1&limit=2&kind=person&kind=person")
    assert response.status_code == 200, response.text


async def test_no_key_is_401_before_any_unknown_parameter(client: Any) -> None:
    for url in (
        "/v1/claims?claimnt_id=act_x",
        "/v1/claims/clm_01jfzq6m3b8n0c2k4d5e6f7g8h?expnad=claimant",
        "/v1/events?aftr=0",
        "/v1/webhooks?page=2",
    ):
        response = await send_without_key(client, "GET", url)
        assert_problem(response, 401)
    response = await client.get("/v1/actors?foo=1", headers={"Authorization": "Bearer clk_no"})
    assert_problem(response, 401)


async def test_a_missing_scope_is_403_before_any_unknown_parameter(
    client: Any, api_keys: dict[str, str]
) -> None:
    read_only = {"Authorization": f"Bearer {api_keys['read']}"}
    assert_problem(await client.get("/v1/webhooks?page=2", headers=read_only), 403)


async def test_the_schema_pages_and_options_are_left_alone(client: Any) -> None:
    response = await client.get("/schema/openapi.json?download=1", headers={"Authorization": ""})
    assert response.status_code == 200
    response = await client.options("/v1/claims?claimnt_id=act_x")
    assert response.status_code == 204, response.text


# --- how the accepted names are derived ------------------------------------------------


def test_the_check_accepts_exactly_the_documented_query_parameters() -> None:
    """Every operation of the API document: the names the check accepts are the query
    parameters the document lists (both are read off the handler, independently)."""
    app = create_app(Settings(database_url="postgresql://unused"))
    document = app.openapi_schema.to_schema()
    checked = 0
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            accepted = accepted_query(handler)
            if accepted is None:
                continue
            (method,) = handler.http_methods
            operation = document["paths"][route.path_format][method.lower()]
            documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert set(accepted.names) == documented, (method, route.path)
            assert not accepted.any_name
            checked += 1
    assert checked >= 50


async def _lang(language: Annotated[str, QueryParameter(name="hl")] = "en") -> str:
    return language


async def _page(
    lang: NamedDependency[str],
    size: FromQuery[int] = 10,
    sort: Annotated[str | None, QueryParameter(name="order_by")] = None,
) -> tuple[str, int, str | None]:
    return lang, size, sort


@get(
    "/people/{group:str}",
    opt={"query_prefixes": ("external_ids.",)},
    sync_to_thread=False,
)
def list_people(
    group: Annotated[str, PathParameter()],
    page: NamedDependency[tuple[str, int, str | None]],
    since: Annotated[str | None, QueryParameter(name="from")] = None,
    token: Annotated[str | None, HeaderParameter(name="X-Token")] = None,
) -> dict[str, Any]:
    return {"group": group, "page": list(page), "since": since}


@get("/raw", sync_to_thread=False)
def raw(query: QueryParams) -> dict[str, Any]:
    return dict(query)


@get("/plain", sync_to_thread=False)
def plain() -> str:
    return "ok"


def small_app(check: QueryCheck | None = None) -> Litestar:
    check = check or QueryCheck()

    async def before_request(request: Request[Any, Any, Any]) -> None:
        check(request)

    return Litestar(
        route_handlers=[
            Router(
                "/v1",
                route_handlers=[list_people, raw, plain],
                dependencies={"page": Provide(_page), "lang": Provide(_lang)},
                parameters={"trace": QueryParameter(annotation=str, required=False)},
            )
        ],
        before_request=before_request,
        exception_handlers=EXCEPTION_HANDLERS,
    )


def handler_of(app: Litestar, name: str) -> HTTPRouteHandler:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if handler.handler_name.endswith(name) and "GET" in handler.http_methods:
                return handler
    raise AssertionError(name)


def test_accepted_names_come_from_the_signature_dependencies_and_layers() -> None:
    accepted = accepted_query(handler_of(small_app(), "list_people"))
    assert accepted is not None
    # `from` (an alias), `size` and `order_by` (the `page` dependency), `hl` (the `lang`
    # dependency of the dependency), `trace` (the router's parameters); not the path
    # parameter `group`, not the header, not the dependency names themselves.
    assert accepted.names == {"from", "size", "order_by", "hl", "trace"}
    assert accepted.prefixes == ("external_ids.",)
    raw_accepted = accepted_query(handler_of(small_app(), "raw"))
    assert raw_accepted is not None
    assert raw_accepted.any_name, "a handler taking the whole `query` accepts any name"


async def test_prefixed_names_are_accepted_where_the_route_opts_in() -> None:
    async with AsyncTestClient(app=small_app()) as client:
        response = await client.get(
            "/v1/people/a?external_ids.wikidata=Q423&external_ids.viaf=1&from=2024&hl=fr&size=5"
            "&order_by=name&trace=t"
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"group": "a", "page": ["fr", 5, "name"], "since": "2024"}

        problem = unknown(
            await client.get("/v1/people/a?external_id.wikidata=Q423"), "external_id.wikidata"
        )
        assert message(problem, "external_id.wikidata") == (
            "unknown query parameter; did you mean 'external_ids.wikidata'?"
        )
        unknown(await client.get("/v1/people/a?external_idswikidata=Q423"), "external_idswikidata")
        unknown(await client.get("/v1/people/a?group=b&X-Token=t"), "group", "X-Token")
        # The prefix is this route's only.
        unknown(await client.get("/v1/plain?external_ids.wikidata=Q423"), "external_ids.wikidata")
        response = await client.get("/v1/raw?anything=1&else")
        assert response.json() == {"anything": "1", "else": ""}


async def test_a_nameless_parameter_is_refused() -> None:
    async with AsyncTestClient(app=small_app()) as client:
        problem = assert_problem(await client.get("/v1/plain?=x"), 400, "")
        assert message(problem, "") == "a query parameter needs a name"


async def test_accepted_names_are_worked_out_once_per_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def counting(handler: HTTPRouteHandler) -> Any:
        calls.append(handler.handler_name)
        return accepted_query(handler)

    monkeypatch.setattr(query_params, "accepted_query", counting)
    async with AsyncTestClient(app=small_app()) as client:
        for _ in range(3):
            assert (await client.get("/v1/plain?trace=1")).status_code == 200
            assert (await client.get("/v1/plain?nope=1")).status_code == 400
            assert (await client.get("/v1/plain")).status_code == 200
        assert (await client.get("/v1/people/a?size=1")).status_code == 200
    assert len(calls) == 2, calls


def test_an_empty_query_string_is_not_parsed() -> None:
    handler = handler_of(small_app(), "plain")

    class Bare:
        """A request to a route without integer path parameters and an empty query string,
        whose query must not be parsed."""

        scope: dict[str, Any] = {"query_string": b""}
        route_handler = handler

        @property
        def query_params(self) -> Any:
            raise AssertionError("the query was parsed")

    QueryCheck()(Bare())  # type: ignore[arg-type]


async def test_the_count_of_reported_names_is_bounded() -> None:
    query = "&".join(f"unknown{i}=1" for i in range(query_params.MAX_REPORTED + 50))
    async with AsyncTestClient(app=small_app()) as client:
        problem = assert_problem(await client.get(f"/v1/plain?{query}"), 400, "unknown0")
    assert len(problem["errors"]) == query_params.MAX_REPORTED
