"""Every error is an RFC 9457 problem, and no malformed request produces a 500."""

from typing import Any

import factories
import pytest
from factories import assert_problem

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [
        *(b'{"name": ', b"{name: 'x'}", b'{"name": "x"} trailing', b"nul", b'{"name": "x",}'),
        # A value of the wrong type, then garbage: found by schemathesis (it was a 500).
        *(b"3W`U", b'"x" y', b"[1] ]"),
    ],
)
async def test_malformed_json_is_400(client: Any, body: bytes) -> None:
    assert_problem(await client.post("/v1/actors", content=body, headers=JSON), 400)


@pytest.mark.parametrize("body", [b"", b"   \n"])
async def test_empty_body_is_400(client: Any, body: bytes) -> None:
    assert_problem(await client.post("/v1/actors", content=body, headers=JSON), 400)
    made = await factories.actor(client)
    response = await client.patch(f"/v1/actors/{made['id']}", content=body, headers=JSON)
    assert_problem(response, 400)


@pytest.mark.parametrize("body", [b"[]", b'"actor"', b"42", b"null"])
async def test_body_that_is_not_an_object_is_refused(client: Any, body: bytes) -> None:
    response = await client.post("/v1/actors", content=body, headers=JSON)
    assert_problem(response, 422, "body")


async def test_invalid_utf8_is_400(client: Any) -> None:
    body = b'{"name": "\xff\xfe broken"}'
    assert_problem(await client.post("/v1/actors", content=body, headers=JSON), 400)


@pytest.mark.parametrize(
    "path", ["/v1/nothing", "/nothing", "/v1/actors/act_1/history", "/v2/claims"]
)
async def test_unknown_route_is_404_problem(client: Any, path: str) -> None:
    assert_problem(await client.get(path), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/v1/actors"), ("DELETE", "/v1/claims"), ("POST", "/v1/actors/act_1")],
)
async def test_wrong_method_is_405_problem(client: Any, method: str, path: str) -> None:
    assert_problem(await client.request(method, path, json={}), 405)


async def test_body_over_one_mebibyte_is_413(client: Any) -> None:
    big = {"name": "x", "description": "y" * (1024 * 1024)}
    assert_problem(await client.post("/v1/actors", json=big), 413)
    made = await factories.actor(client)
    assert_problem(await client.patch(f"/v1/actors/{made['id']}", json=big), 413)
    assert (await client.get(f"/v1/actors/{made['id']}")).json()["version"] == 1


async def test_body_just_under_the_limit_is_not_413(client: Any) -> None:
    body = {"name": "x", "description": "y" * 20_001}
    assert_problem(await client.post("/v1/actors", json=body), 422, "description")


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "a\x00b"), ("description", "\x00"), ("role", "x\x00"), ("aliases", ["\x00"])],
)
async def test_nul_in_a_string_is_422(client: Any, field: str, value: Any) -> None:
    body = {"name": "x", field: value}
    problem = assert_problem(await client.post("/v1/actors", json=body), 422)
    assert problem["errors"][0]["field"].startswith(field)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/actors", {"q": "a\x00b"}),
        ("/v1/actors", {"external_id": "\x00"}),
        ("/v1/claims", {"topic": "x\x00"}),
        ("/v1/claims", {"claimant_id": "act_\x00"}),
        ("/v1/figures", {"claim_id": "\x00"}),
        ("/v1/sources", {"publisher_id": "\x00", "q": "x"}),
        ("/v1/actors/act_%00", {}),
        ("/v1/claims/clm_1%00/versions", {}),
    ],
)
async def test_nul_in_the_url_is_400(client: Any, path: str, params: dict[str, str]) -> None:
    assert_problem(await client.get(path, params=params), 400)


@pytest.mark.parametrize("amount", [2**53, 2**64, 10**400, -(10**400), 1e308])
async def test_huge_numbers_are_422(client: Any, amount: Any) -> None:
    claim = await factories.claim(client)
    body = b'{"claim_id": "%s", "metric": "killed", "amount": %s}' % (
        claim["id"].encode(),
        str(amount).encode(),
    )
    response = await client.post("/v1/figures", content=body, headers=JSON)
    assert_problem(response, 422, "amount")


async def test_huge_numbers_in_query_are_400(client: Any) -> None:
    for params in ({"limit": "9" * 40}, {"min_low": "9" * 40}, {"max_high": "1e400"}):
        path = "/v1/figures"
        assert_problem(await client.get(path, params=params), 400, next(iter(params)))
    assert_problem(await client.get("/v1/actors/act_1/versions/99999999999"), 400)


async def test_year_10000_is_refused(client: Any) -> None:
    actor = await factories.actor(client)
    body = {"claimant_id": actor["id"], "text": "x", "stated_on": "10000-01-01"}
    assert_problem(await client.post("/v1/claims", json=body), 422, "stated_on")
    body = {"title": "x", "published_at": "10000-01-01T00:00:00Z"}
    assert_problem(await client.post("/v1/sources", json=body), 422, "published_at")
    response = await client.get(
        f"/v1/actors/{actor['id']}", params={"as_of": "10000-01-01T00:00:00Z"}
    )
    assert_problem(response, 400, "as_of")
    assert_problem(await client.get("/v1/claims", params={"stated_from": "10000-01-01"}), 400)
    assert_problem(await client.get("/v1/actors", params={"updated_since": "+10000-01-01"}), 400)


async def test_extreme_but_valid_dates(client: Any) -> None:
    made = await factories.claim(client, stated_on="0001-01-01", stated_on_precision="year")
    assert made["stated_on"] == "0001-01-01"
    later = await factories.claim(client, stated_on="9999-12-31")
    assert later["stated_on"] == "9999-12-31"
    response = await client.get(
        f"/v1/claims/{made['id']}", params={"as_of": "9999-12-31T23:59:59Z"}
    )
    assert response.status_code == 200


SQL_LOOKING = [
    "Robert'); DROP TABLE actors;--",
    "' OR '1'='1",
    '" OR 1=1 --',
    "$1 $$ \\x00 %s {} ::text",
    "Зеленський 北朝鮮 🇺🇦 \u202eRTL",
]


@pytest.mark.parametrize("text", SQL_LOOKING)
async def test_strings_are_stored_verbatim(client: Any, text: str) -> None:
    made = await factories.actor(client, name=text, aliases=[text], role=text)
    fetched = (await client.get(f"/v1/actors/{made['id']}")).json()
    assert (fetched["name"], fetched["aliases"], fetched["role"]) == (text, [text], text)
    claim = await factories.claim(client, text=text, quote=text, external_id=factories.uid(text))
    assert (claim["text"], claim["quote"]) == (text, text)
    listed = await factories.ids(client, "/v1/claims", external_id=claim["external_id"])
    assert listed == [claim["id"]]
    for path in ("/v1/actors", "/v1/claims", "/v1/sources"):
        response = await client.get(path, params={"q": text, "external_id": text})
        assert response.status_code == 200, response.text
        assert response.json()["data"] == []


async def test_request_id_is_echoed(client: Any) -> None:
    ok = await client.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"})
    assert ok.headers["x-request-id"] == "trace-42.a:b"
    missing = await client.get("/v1/actors/act_1", headers={"X-Request-ID": "trace-43"})
    assert missing.headers["x-request-id"] == "trace-43"
    assert assert_problem(missing, 404)["request_id"] == "trace-43"
    unknown = await client.get("/v1/nowhere", headers={"X-Request-ID": "trace-44"})
    assert unknown.headers["x-request-id"] == "trace-44"
    assert assert_problem(unknown, 404)["request_id"] == "trace-44"


async def test_insane_request_id_is_replaced(client: Any) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "has spaces; and more"})
    generated = response.headers["x-request-id"]
    assert generated.startswith("req_")
    fresh = await client.get("/healthz")
    assert fresh.headers["x-request-id"].startswith("req_")
    assert fresh.headers["x-request-id"] != generated


async def test_change_note_is_bounded(client: Any) -> None:
    response = await client.post(
        "/v1/actors", json={"name": "x"}, headers={"X-Change-Note": "n" * 501}
    )
    assert_problem(response, 400, "X-Change-Note")


async def test_change_note_utf8_is_kept(client: Any) -> None:
    note = "виправлено — fixed"
    made = await factories.actor(client)
    url = f"/v1/actors/{made['id']}"
    response = await client.patch(url, json={"name": "y"}, headers={"X-Change-Note": note.encode()})
    assert response.status_code == 200, response.text
    assert (await client.get(f"{url}/versions/2")).json()["change_note"] == note


async def test_oversized_headers_are_431_before_any_work(client: Any) -> None:
    response = await client.get("/v1/actors", headers={"X-Padding": "a" * 20_000})
    assert response.status_code == 431
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["request_id"] == response.headers["X-Request-ID"]
    assert (await client.get("/v1/actors", headers={"X-Padding": "a" * 8_000})).status_code == 200


async def test_a_value_outside_a_closed_set_names_the_set(client: Any) -> None:
    """Body fields at any depth and query parameters alike: the client learns what was
    meant without opening the OpenAPI document."""
    claim = await factories.claim(client)
    figure = {"claim_id": claim["id"], "metric": "dead", "amount": 3, "qualifier": "exact"}
    problem = assert_problem(await client.post("/v1/figures", json=figure), 422, "metric")
    assert "'dead'; expected one of:" in problem["errors"][0]["message"]
    assert "'killed'" in problem["errors"][0]["message"]

    figure |= {"metric": "killed", "period": {"start": "2024-12-01", "start_precision": "week"}}
    problem = assert_problem(
        await client.post("/v1/figures", json=figure), 422, "period.start_precision"
    )
    assert "'month'" in problem["errors"][0]["message"]

    problem = assert_problem(await client.get("/v1/claims", params={"status": "zz"}), 400)
    assert problem["errors"][0]["field"] == "status"
    assert "expected one of: 'corroborated', 'disputed'" in problem["errors"][0]["message"]


async def test_an_unknown_field_names_the_closest_known_one(client: Any) -> None:
    source = {"kind": "news_article", "publisher_name": "Meridian"}
    problem = assert_problem(await client.post("/v1/sources", json=source), 400)
    assert problem["errors"][0]["field"] == "publisher_name"
    assert problem["errors"][0]["message"].endswith("did you mean 'publisher_id'?")
