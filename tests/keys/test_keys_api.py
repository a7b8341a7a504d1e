"""Managing API keys over HTTP: create (the secret once), list, get, update, revoke — admin
keys only, every change an event in the feed that never carries a name or a secret."""

import json
from typing import Any

import pytest
from factories import assert_problem, parse_time
from key_helpers import bearer, create_key, events_of, unique_name

UNKNOWN = "key_" + "0" * 26
SHOWN = {
    "id",
    "version",
    "name",
    "prefix",
    "scopes",
    "rate_limit_per_minute",
    "created_at",
    "updated_at",
    "last_used_at",
    "revoked_at",
}
ANNOUNCED = {
    "id",
    "version",
    "scopes",
    "rate_limit_per_minute",
    "created_at",
    "updated_at",
    "revoked_at",
}


async def test_create_shows_the_secret_once(client: Any) -> None:
    name = unique_name()
    response = await client.post(
        "/v1/keys",
        json={"name": name, "scopes": ["admin", "read", "read"], "rate_limit_per_minute": 600},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == SHOWN | {"secret"}
    assert response.headers["location"] == f"/v1/keys/{created['id']}"
    assert response.headers["etag"] == '"1"'
    assert created["id"].startswith("key_")
    assert created["secret"].startswith("clk_")
    assert len(created["secret"]) > 40
    assert created["prefix"] == created["secret"][:10]
    assert created["scopes"] == ["read", "admin"]  # each once, in the order of the scopes
    assert (created["name"], created["version"], created["rate_limit_per_minute"]) == (
        name,
        1,
        600,
    )
    assert created["created_at"] == created["updated_at"]
    parse_time(created["created_at"])
    assert created["last_used_at"] is None
    assert created["revoked_at"] is None

    fetched = await client.get(f"/v1/keys/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == '"1"'
    assert fetched.json() == {k: v for k, v in created.items() if k != "secret"}
    listed = [k for k in await _every(client) if k["id"] == created["id"]]
    assert listed == [fetched.json()]
    assert created["secret"] not in fetched.text

    works = await client.get("/v1/keys?limit=1", headers=bearer(created["secret"]))
    assert works.status_code == 200, works.text
    assert works.headers["ratelimit-limit"] == "600"


async def test_a_retried_create_does_not_replay_the_secret(client: Any) -> None:
    body = {"name": unique_name(), "scopes": ["write"]}
    headers = {"Idempotency-Key": unique_name("retry").replace(" ", "-")}
    first = await client.post("/v1/keys", json=body, headers=headers)
    assert first.status_code == 201, first.text
    secret = first.json()["secret"]

    again = await client.post("/v1/keys", json=body, headers=headers)
    problem = assert_problem(again, 409)
    assert problem["type"] == "urn:claimledger:problem:secret-not-replayed"
    assert first.json()["id"] in problem["detail"]
    assert "create a new key" in problem["detail"]
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert secret not in again.text
    assert [k["name"] for k in await _every(client)].count(body["name"]) == 1


async def test_list_pages_and_filters(client: Any) -> None:
    made = [await create_key(client) for _ in range(3)]
    revoked = await client.post(f"/v1/keys/{made[1]['id']}/revoke")
    assert revoked.status_code == 200, revoked.text

    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/keys", params=params)).json()
        assert len(page["data"]) <= 2
        seen += page["data"]
        if (cursor := page["next_cursor"]) is None:
            break
    ids = [key["id"] for key in seen]
    assert ids == sorted(ids)
    assert {key["id"] for key in made} <= set(ids)
    assert all(set(key) == SHOWN for key in seen)

    active = {key["id"] for key in await _every(client, revoked="false")}
    gone = {key["id"] for key in await _every(client, revoked="true")}
    assert {made[0]["id"], made[2]["id"]} <= active
    assert made[1]["id"] in gone
    assert not active & gone
    assert active | gone == set(ids)

    bad = await client.get("/v1/keys", params={"cursor": "forged"})
    assert_problem(bad, 400, "cursor")
    assert_problem(await client.get("/v1/keys", params={"limit": 0}), 400, "limit")


async def test_update_scopes_limit_and_name(client: Any) -> None:
    key = await create_key(client, scopes=["read"])
    path = f"/v1/keys/{key['id']}"

    changed = await client.patch(
        path,
        json={"scopes": ["write"], "rate_limit_per_minute": 5, "name": "renamed"},
        headers={"If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    body = changed.json()
    assert (body["scopes"], body["rate_limit_per_minute"], body["name"]) == (
        ["write"],
        5,
        "renamed",
    )
    assert body["version"] == 2
    assert parse_time(body["updated_at"]) > parse_time(body["created_at"])
    # The process that made the change forgets the key at once: its new limit and scope apply.
    wrote = await client.post(
        "/v1/actors", json={"name": "By a promoted key"}, headers=bearer(key["secret"])
    )
    assert wrote.status_code == 201, wrote.text
    assert wrote.headers["ratelimit-limit"] == "5"

    stale = await client.patch(path, json={"name": "late"}, headers={"If-Match": '"1"'})
    assert assert_problem(stale, 412)["current_version"] == 2

    same = await client.patch(path, json={"scopes": ["write", "write"]})
    assert same.status_code == 200
    assert _but_use(same.json()) == _but_use(body)  # nothing changed: no new version

    default = await client.patch(path, json={"rate_limit_per_minute": None})
    assert default.json()["rate_limit_per_minute"] is None
    assert default.json()["version"] == 3

    assert_problem(await client.patch(f"/v1/keys/{UNKNOWN}", json={"name": "x"}), 404)
    revoked = await client.post(f"{path}/revoke")
    refused = await client.patch(path, json={"name": "after"})
    assert assert_problem(refused, 409)["type"] == "urn:claimledger:problem:key-revoked"
    assert _but_use((await client.get(path)).json()) == _but_use(revoked.json())


async def test_revoke(client: Any) -> None:
    key = await create_key(client, scopes=["read"])
    path = f"/v1/keys/{key['id']}"
    assert (await client.get("/v1/actors?limit=1", headers=bearer(key["secret"]))).is_success

    stale = await client.post(f"{path}/revoke", headers={"If-Match": '"7"'})
    assert assert_problem(stale, 412)["current_version"] == 1
    revoked = await client.post(f"{path}/revoke", headers={"If-Match": '"1"'})
    assert revoked.status_code == 200, revoked.text
    assert revoked.headers["etag"] == '"2"'
    body = revoked.json()
    assert body["version"] == 2
    assert parse_time(body["revoked_at"]) == parse_time(body["updated_at"])

    refused = await client.get("/v1/actors?limit=1", headers=bearer(key["secret"]))
    assert_problem(refused, 401)
    again = await client.post(f"{path}/revoke")
    assert again.status_code == 200
    assert _but_use(again.json()) == _but_use(body)  # already revoked: nothing changes
    assert _but_use((await client.get(path)).json()) == _but_use(body)  # readable, revoked_at
    assert_problem(await client.post(f"/v1/keys/{UNKNOWN}/revoke"), 404)
    assert_problem(await client.get(f"/v1/keys/{UNKNOWN}"), 404)


async def test_every_change_is_an_event_without_name_or_secret(
    client: Any, database_url: str
) -> None:
    key = await create_key(client, scopes=["read"], rate_limit_per_minute=100)
    path = f"/v1/keys/{key['id']}"
    updated = (await client.patch(path, json={"scopes": ["read", "write"]})).json()
    await client.patch(path, json={"name": "no change of what it may do"})
    revoked = (await client.post(f"{path}/revoke")).json()

    events = await events_of(client, database_url, key["id"])
    assert [(e["type"], e["version"]) for e in events] == [
        ("api_key.created", 1),
        ("api_key.updated", 2),
        ("api_key.updated", 3),
        ("api_key.revoked", 4),
    ]
    assert {e["resource"] for e in events} == {"api_key"}
    for event in events:
        assert set(event["data"]) == ANNOUNCED
        text = json.dumps(event)
        for secret_part in (key["secret"], key["prefix"], key["name"], revoked["name"]):
            assert secret_part not in text
    assert events[1]["data"] == {k: updated[k] for k in ANNOUNCED}
    assert events[-1]["data"] == {k: revoked[k] for k in ANNOUNCED}
    assert events[-1]["occurred_at"] == revoked["revoked_at"]
    one = await client.get(f"/v1/events/{events[0]['id']}")
    assert one.json() == events[0]


ROUTES = [
    ("POST", "/v1/keys", {"name": "x", "scopes": ["read"]}),
    ("GET", "/v1/keys", None),
    ("GET", "/v1/keys/{id}", None),
    ("PATCH", "/v1/keys/{id}", {"scopes": ["admin"]}),
    ("POST", "/v1/keys/{id}/revoke", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize("scope", ["read", "write"])
async def test_admin_scope_only(
    client: Any,
    api_keys: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    scope: str,
) -> None:
    target = await create_key(client)
    url = path.format(id=target["id"])
    refused = await client.request(method, url, json=body, headers=bearer(api_keys[scope]))
    assert "admin" in assert_problem(refused, 403)["detail"]
    unknown = await client.request(method, url, json=body, headers=bearer(api_keys["revoked"]))
    assert_problem(unknown, 401)
    assert (await client.get(f"/v1/keys/{target['id']}")).json() == {
        k: v for k, v in target.items() if k != "secret"
    }


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "x", "scopes": ["root"]}, 422, "scopes[0]"),
        ({"name": "x", "scopes": []}, 422, "scopes"),
        ({"name": "x", "scopes": "read"}, 422, "scopes"),
        ({"name": "x"}, 422, "scopes"),
        ({"scopes": ["read"]}, 422, "name"),
        ({"name": "   ", "scopes": ["read"]}, 422, "name"),
        ({"name": "tab\there", "scopes": ["read"]}, 422, "name"),
        ({"name": "x" * 201, "scopes": ["read"]}, 422, "name"),
        (
            {"name": "x", "scopes": ["read"], "rate_limit_per_minute": -5},
            422,
            "rate_limit_per_minute",
        ),
        (
            {"name": "x", "scopes": ["read"], "rate_limit_per_minute": 0},
            422,
            "rate_limit_per_minute",
        ),
        (
            {"name": "x", "scopes": ["read"], "rate_limit_per_minute": 2.5},
            422,
            "rate_limit_per_minute",
        ),
        ({"name": "x", "scopes": ["read"], "colour": "red"}, 400, "colour"),
        ({"name": "x", "scopes": ["read"], "secret": "clk_mine"}, 400, "secret"),
    ],
)
async def test_invalid_create_names_the_field(
    client: Any, body: dict[str, Any], status: int, field: str
) -> None:
    assert_problem(await client.post("/v1/keys", json=body), status, field)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"scopes": ["superuser"]}, 422, "scopes[0]"),
        ({"scopes": None}, 422, "scopes"),
        ({"name": None}, 422, "name"),
        ({"rate_limit_per_minute": -1}, 422, "rate_limit_per_minute"),
        ({"revoked_at": None}, 400, "revoked_at"),
        ({"prefix": "clk_abcdef"}, 400, "prefix"),
    ],
)
async def test_invalid_update_names_the_field(
    client: Any, body: dict[str, Any], status: int, field: str
) -> None:
    key = await create_key(client)
    assert_problem(await client.patch(f"/v1/keys/{key['id']}", json=body), status, field)
    assert (await client.get(f"/v1/keys/{key['id']}")).json()["version"] == 1


async def test_malformed_ids_and_if_match_are_400(client: Any) -> None:
    assert_problem(await client.get("/v1/keys/act_123"), 400, "id")
    key = await create_key(client)
    bad = await client.patch(f"/v1/keys/{key['id']}", json={}, headers={"If-Match": "soon"})
    assert_problem(bad, 400)


def _but_use(key: dict[str, Any]) -> dict[str, Any]:
    """The key without `last_used_at`, which its uses write in the background."""
    return {name: value for name, value in key.items() if name != "last_used_at"}


async def _every(client: Any, **params: str) -> list[dict[str, Any]]:
    keys: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/keys", params=query)).json()
        keys += page["data"]
        if (cursor := page["next_cursor"]) is None:
            return keys
