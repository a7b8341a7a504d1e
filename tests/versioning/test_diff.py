"""GET /v1/{kind}/{id}/versions/{n}/diff: an RFC 6902 patch between two versions, for every
kind."""

from typing import Any

import factories
import pytest
from factories import UNKNOWN_ID, assert_problem
from test_jsonpatch import apply

CHANGES = {
    "actors": ({"name": "Renamed", "aliases": ["R/1", "R~2"]}, {"aliases": ["R/1"]}),
    "sources": ({"title": "Retitled", "language": "en"}, {"language": None}),
    "claims": ({"status": "disputed", "location": {"country": "RUS"}}, {"topics": ["x-y"]}),
    "figures": ({"amount": 4000, "qualifier": "more_than"}, {"period": {"text": "a week"}}),
}


async def history(client: Any, table: str) -> tuple[str, list[dict[str, Any]]]:
    """A fresh resource with three versions; its id and the three snapshots."""
    made = await factories.MAKERS[table](client)
    url = f"/v1/{table}/{made['id']}"
    for change in CHANGES[table]:
        response = await client.patch(url, json=change)
        assert response.status_code == 200, response.text
    snapshots = [(await client.get(f"{url}/versions/{n}")).json()["data"] for n in (1, 2, 3)]
    return made["id"], snapshots


async def get_diff(client: Any, table: str, resource_id: str, n: int, **params: Any) -> Any:
    response = await client.get(f"/v1/{table}/{resource_id}/versions/{n}/diff", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("table", sorted(CHANGES))
async def test_diff_turns_one_version_into_another(client: Any, table: str) -> None:
    resource_id, snapshots = await history(client, table)
    pairs = [(n, m) for n in (1, 2, 3) for m in (0, 1, 2, 3)]
    for n, m in pairs:
        patch = await get_diff(client, table, resource_id, n, against=m)
        source = {} if m == 0 else snapshots[m - 1]
        assert apply(source, patch) == snapshots[n - 1], (n, m, patch)
        if n == m:
            assert patch == []
    # `against` defaults to the version before; for version 1, to the empty object.
    for n in (1, 2, 3):
        assert await get_diff(client, table, resource_id, n) == await get_diff(
            client, table, resource_id, n, against=n - 1
        )


async def test_diff_names_what_changed(client: Any) -> None:
    resource_id, snapshots = await history(client, "actors")
    patch = await get_diff(client, "actors", resource_id, 2)
    assert {"op": "replace", "path": "/name", "value": "Renamed"} in patch
    assert {"op": "replace", "path": "/aliases", "value": ["R/1", "R~2"]} in patch
    assert {"op": "replace", "path": "/version", "value": 2} in patch
    assert {"op": "replace", "path": "/updated_at", "value": snapshots[1]["updated_at"]} in patch
    assert not any(op["path"] in ("/id", "/created_at") for op in patch)
    created = await get_diff(client, "actors", resource_id, 1)
    assert {op["op"] for op in created} == {"add"}
    assert {op["path"] for op in created} == {f"/{key}" for key in snapshots[0]}


async def test_diff_of_a_deletion(client: Any) -> None:
    made = await factories.actor(client)
    await factories.delete(client, "/v1/actors", made["id"])
    patch = await get_diff(client, "actors", made["id"], 2)
    assert {"op": "replace", "path": "/deleted", "value": True} in patch


async def test_unknown_versions_are_404(client: Any) -> None:
    made = await factories.source(client)
    url = f"/v1/sources/{made['id']}/versions"
    assert_problem(await client.get(f"{url}/2/diff"), 404)
    assert_problem(await client.get(f"{url}/1/diff", params={"against": 2}), 404)
    assert_problem(await client.get(f"/v1/sources/{UNKNOWN_ID['sources']}/versions/1/diff"), 404)
    # A source's id where a claim's goes does not even spell a claim id.
    assert_problem(await client.get(f"/v1/claims/{made['id']}/versions/1/diff"), 400, "id")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("0/diff", {}, "number"),
        ("1/diff", {"against": -1}, "against"),
        ("1/diff", {"against": "two"}, "against"),
        ("1/diff", {"against": 2**31}, "against"),
    ],
)
async def test_bad_numbers_are_400(
    client: Any, path: str, params: dict[str, Any], field: str
) -> None:
    made = await factories.actor(client)
    response = await client.get(f"/v1/actors/{made['id']}/versions/{path}", params=params)
    assert_problem(response, 400, field)


async def test_every_kind_has_the_operation(client: Any) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    for table, name in (("actors", "Actor"), ("sources", "Source"), ("claims", "Claim")):
        operation = document["paths"][f"/v1/{table}/{{id}}/versions/{{number}}/diff"]["get"]
        assert operation["operationId"] == f"diff{name}Version"
        assert operation["tags"] == [table]
        assert {"404", "400"} <= set(operation["responses"])
