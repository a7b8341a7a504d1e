"""The CRUD and versioning contract every resource kind honours, written once.

Each resource's test module subclasses `ResourceContract` with its own data (the NetBox
pattern): the path and prefix, a factory for a valid create body, a valid patch, the fields
whose references are checked, and the invalid bodies it must refuse."""

import re
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from factories import (
    UNKNOWN_ID,
    assert_problem,
    create,
    delete,
    deleted,
    ids,
    parse_time,
    uid,
)

DROP = object()
"""In an invalid-body override: remove this key from the valid body."""


def set_path(body: dict[str, Any], path: str, value: Any) -> None:
    """`set_path(body, "citations[0].source_id", x)` on a body that already has that slot."""
    steps = [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", path)]
    target: Any = body
    for step in steps[:-1]:
        target = target[step]
    target[steps[-1]] = value


def assert_subset(expected: Any, actual: Any) -> None:
    """Everything sent comes back: dicts may gain (null or default) members, nothing else."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert key in actual, (key, actual)
            assert_subset(value, actual[key])
    elif isinstance(expected, list):
        assert len(expected) == len(actual), (expected, actual)
        for want, got in zip(expected, actual, strict=True):
            assert_subset(want, got)
    else:
        assert expected == actual


class ResourceContract:
    table: ClassVar[str]
    prefix: ClassVar[str]
    patch: ClassVar[dict[str, Any]]
    """A valid change of a resource made from `make_body`."""
    optional_field: ClassVar[str]
    """Set by `make_body`; PATCH with null clears it."""
    nested: ClassVar[tuple[str, dict[str, Any], dict[str, Any]] | None] = None
    """(object field set by `make_body`, merge-patch of it, its non-null members afterwards)."""
    reference_fields: ClassVar[dict[str, str]] = {}
    """Body path of every checked reference `make_body` fills → the table it points into."""
    invalid_bodies: ClassVar[list[tuple[str, dict[str, Any], int, str]]] = []
    """(case id, overrides of the valid body, status, field named in errors[])."""
    invalid_patches: ClassVar[list[tuple[str, dict[str, Any], int, str]]] = []

    common_invalid_bodies: ClassVar[list[tuple[str, dict[str, Any], int, str]]] = [
        ("unknown-field", {"colour": "red"}, 400, "colour"),
        ("read-only-id", {"id": "x_1"}, 400, "id"),
        ("read-only-version", {"version": 7}, 400, "version"),
        ("external-id-type", {"external_id": 5}, 422, "external_id"),
        ("external-id-empty", {"external_id": ""}, 422, "external_id"),
        ("external-id-control", {"external_id": "a\nb"}, 422, "external_id"),
    ]

    @property
    def path(self) -> str:
        return f"/v1/{self.table}"

    async def make_body(self, client: Any) -> dict[str, Any]:
        raise NotImplementedError

    async def make_referrer(self, client: Any, resource_id: str) -> tuple[str, str] | None:
        """Create a live resource referencing `resource_id`; (its path, its id), or None."""
        return None

    async def make(self, client: Any) -> dict[str, Any]:
        return await create(client, self.path, await self.make_body(client))

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        cls = metafunc.cls
        for name, cases in (
            ("invalid_body", cls.common_invalid_bodies + cls.invalid_bodies),
            ("invalid_patch", cls.invalid_patches),
        ):
            if name in metafunc.fixturenames:
                metafunc.parametrize(name, cases, ids=[case[0] for case in cases])
        if "reference" in metafunc.fixturenames:
            refs = list(cls.reference_fields.items())
            metafunc.parametrize("reference", refs, ids=[r[0] for r in refs])

    # --- create and read ---

    async def test_create(self, client: Any) -> None:
        body = await self.make_body(client)
        response = await client.post(self.path, json=body)
        assert response.status_code == 201, response.text
        made = response.json()
        assert re.fullmatch(rf"{self.prefix}_[0-9a-z]{{26}}", made["id"]), made["id"]
        assert response.headers["location"] == f"{self.path}/{made['id']}"
        assert response.headers["etag"] == '"1"'
        assert made["version"] == 1
        assert made["deleted"] is False
        assert parse_time(made["created_at"]) == parse_time(made["updated_at"])
        assert_subset(body, made)
        fetched = await client.get(response.headers["location"])
        assert fetched.status_code == 200
        assert fetched.headers["etag"] == '"1"'
        assert fetched.json() == made

    async def test_create_rejects_invalid_body(
        self, client: Any, invalid_body: tuple[str, dict[str, Any], int, str]
    ) -> None:
        _, overrides, status, field = invalid_body
        body = await self.make_body(client)
        for key, value in overrides.items():
            if value is DROP:
                body.pop(key, None)
            else:
                body[key] = value
        body["external_id"] = overrides.get("external_id", uid("invalid"))
        assert_problem(await client.post(self.path, json=body), status, field)
        written = body["external_id"]
        if isinstance(written, str) and written.isprintable() and 0 < len(written) <= 200:
            # A filter the list takes (an empty one is a 400 of its own): nothing was stored.
            assert await ids(client, self.path, external_id=body["external_id"]) == []

    async def test_get_unknown_is_404(self, client: Any) -> None:
        assert_problem(await client.get(f"{self.path}/{UNKNOWN_ID[self.table]}"), 404)
        # An id of another kind, or no id at all, is refused for its spelling.
        other = next(id_ for table, id_ in UNKNOWN_ID.items() if table != self.table)
        for wrong in ("zzz_123", other, f"{self.prefix}_X", f"{self.prefix}_" + "0" * 61):
            assert_problem(await client.get(f"{self.path}/{wrong}"), 400, "id")
        assert_problem(await client.get(f"{self.path}/{UNKNOWN_ID[self.table]}/versions"), 404)

    # --- merge-patch ---

    async def test_patch_applies_and_records_revision(self, client: Any) -> None:
        made = await self.make(client)
        response = await client.patch(
            f"{self.path}/{made['id']}", json=self.patch, headers={"X-Change-Note": "fix typo"}
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"2"'
        updated = response.json()
        assert updated["version"] == 2
        assert_subset(self.patch, updated)
        assert updated["created_at"] == made["created_at"]
        assert parse_time(updated["updated_at"]) > parse_time(made["updated_at"])
        revision = (await client.get(f"{self.path}/{made['id']}/versions/2")).json()
        assert revision["action"] == "updated"
        assert revision["change_note"] == "fix typo"
        assert revision["api_key_id"].startswith("key_")
        assert revision["data"] == updated
        first = (await client.get(f"{self.path}/{made['id']}/versions/1")).json()
        assert (first["action"], first["data"]) == ("created", made)

    async def test_patch_null_clears_optional_field(self, client: Any) -> None:
        made = await self.make(client)
        assert made[self.optional_field] is not None
        response = await client.patch(f"{self.path}/{made['id']}", json={self.optional_field: None})
        assert response.status_code == 200, response.text
        assert response.json()[self.optional_field] is None
        assert response.json()["version"] == 2

    async def test_patch_merges_nested_objects(self, client: Any) -> None:
        if self.nested is None:
            pytest.skip(f"{self.table} have no nested object field")
        field, change, expected = self.nested
        made = await self.make(client)
        response = await client.patch(f"{self.path}/{made['id']}", json={field: change})
        assert response.status_code == 200, response.text
        merged = response.json()[field]
        assert {k: v for k, v in merged.items() if v is not None} == expected

    async def test_patch_unknown_field_is_400(self, client: Any) -> None:
        made = await self.make(client)
        response = await client.patch(f"{self.path}/{made['id']}", json={"colour": "red"})
        assert_problem(response, 400, "colour")
        response = await client.patch(f"{self.path}/{made['id']}", json={"low": 1, "id": "x"})
        assert_problem(response, 400)
        assert (await client.get(f"{self.path}/{made['id']}")).json()["version"] == 1

    async def test_patch_rejects_invalid(
        self, client: Any, invalid_patch: tuple[str, dict[str, Any], int, str]
    ) -> None:
        _, change, status, field = invalid_patch
        made = await self.make(client)
        assert_problem(await client.patch(f"{self.path}/{made['id']}", json=change), status, field)
        assert (await client.get(f"{self.path}/{made['id']}")).json() == made

    async def test_noop_patch_makes_no_version(self, client: Any) -> None:
        made = await self.make(client)
        same = {key: made[key] for key in self.patch}
        for change in ({}, same):
            response = await client.patch(f"{self.path}/{made['id']}", json=change)
            assert response.status_code == 200, response.text
            assert response.headers["etag"] == '"1"'
            assert response.json() == made
        history = (await client.get(f"{self.path}/{made['id']}/versions")).json()
        assert [v["version"] for v in history["data"]] == [1]

    # --- preconditions ---

    async def test_if_match(self, client: Any) -> None:
        made = await self.make(client)
        url = f"{self.path}/{made['id']}"
        ok = await client.patch(url, json=self.patch, headers={"If-Match": '"1"'})
        assert ok.status_code == 200, ok.text
        assert ok.headers["etag"] == '"2"'
        stale = await client.patch(
            url, json={self.optional_field: None}, headers={"If-Match": '"1"'}
        )
        assert assert_problem(stale, 412)["current_version"] == 2
        stale_delete = await client.delete(url, headers={"If-Match": '"1"'})
        assert assert_problem(stale_delete, 412)["current_version"] == 2
        current = await client.get(url)
        assert current.json()["version"] == 2
        assert current.json()[self.optional_field] is not None

    @pytest.mark.parametrize("value", ["abc", '"x1"', '"-1"', '"1234567890"', '""', '"1.0"'])
    async def test_malformed_if_match_is_400(self, client: Any, value: str) -> None:
        made = await self.make(client)
        response = await client.patch(
            f"{self.path}/{made['id']}", json=self.patch, headers={"If-Match": value}
        )
        assert_problem(response, 400, "If-Match")

    # --- delete ---

    async def test_delete_writes_tombstone(self, client: Any) -> None:
        made = await self.make(client)
        url = f"{self.path}/{made['id']}"
        response = await client.delete(url, headers={"X-Change-Note": "duplicate"})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"2"'
        assert response.json()["deleted"] is True
        assert response.json()["version"] == 2
        assert_problem(await client.get(url), 410)
        assert_problem(await client.patch(url, json=self.patch), 410)
        assert_problem(await client.delete(url), 410)
        ext = made["external_id"]
        assert await ids(client, self.path, external_id=ext) == []
        listed = await ids(client, self.path, external_id=ext, include_deleted="true")
        assert listed == [made["id"]]
        history = (await client.get(f"{url}/versions")).json()["data"]
        assert [(v["version"], v["action"]) for v in history] == [(1, "created"), (2, "deleted")]
        assert history[1]["change_note"] == "duplicate"
        assert history[1]["data"]["deleted"] is True
        assert (await client.get(f"{url}/versions/1")).json()["data"] == made
        assert (await client.get(f"{url}/versions/2")).json()["action"] == "deleted"
        assert_problem(await client.get(f"{url}/versions/3"), 404)

    async def test_delete_referenced_is_409(self, client: Any) -> None:
        made = await self.make(client)
        referrer = await self.make_referrer(client, made["id"])
        if referrer is None:
            pytest.skip(f"nothing references {self.table}")
        problem = assert_problem(await client.delete(f"{self.path}/{made['id']}"), 409)
        assert referrer[1] in problem["detail"]
        assert (await client.get(f"{self.path}/{made['id']}")).status_code == 200
        await delete(client, *referrer)
        await delete(client, self.path, made["id"])

    # --- history ---

    async def test_as_of(self, client: Any) -> None:
        made = await self.make(client)
        url = f"{self.path}/{made['id']}"
        v2 = (await client.patch(url, json=self.patch)).json()
        v3 = (await client.patch(url, json={self.optional_field: None})).json()
        v4 = await delete(client, self.path, made["id"])
        moments = [parse_time(doc["updated_at"]) for doc in (made, v2, v3, v4)]
        assert moments == sorted(moments)
        tick = timedelta(microseconds=1)
        for n, doc in enumerate((made, v2, v3)):
            for at in (moments[n], moments[n + 1] - tick):
                response = await client.get(url, params={"as_of": at.isoformat()})
                assert response.status_code == 200, (at, response.text)
                assert response.headers["etag"] == f'"{doc["version"]}"'
                assert response.json() == doc
        assert_problem(await client.get(url, params={"as_of": moments[3].isoformat()}), 410)
        before = (moments[0] - tick).isoformat()
        assert_problem(await client.get(url, params={"as_of": before}), 404)
        assert_problem(await client.get(url, params={"as_of": "yesterday"}), 400)

    async def test_versions_pagination(self, client: Any) -> None:
        made = await self.make(client)
        url = f"{self.path}/{made['id']}"
        for change in (self.patch, {self.optional_field: None}):
            assert (await client.patch(url, json=change)).status_code == 200
        await delete(client, self.path, made["id"])
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(f"{url}/versions", params=params)).json()
            seen += [v["version"] for v in page["data"]]
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert (seen, pages) == ([1, 2, 3, 4], 4)
        assert_problem(await client.get(f"{url}/versions", params={"cursor": "nope"}), 400)
        assert_problem(await client.get(f"{url}/versions", params={"limit": 0}), 400, "limit")

    # --- lists ---

    async def test_list_pages_are_stable_under_writes(self, client: Any) -> None:
        first = await self.make(client)
        mine = [first["id"]] + [(await self.make(client))["id"] for _ in range(4)]
        window = {"updated_since": first["updated_at"]}
        before = await ids(client, self.path, **window)
        assert before[0] == first["id"]
        page = (await client.get(self.path, params={**window, "limit": 2})).json()
        walked = [item["id"] for item in page["data"]]
        assert walked == before[:2]
        # Writes behind and ahead of the cursor must not shift the rows not yet seen.
        await delete(client, self.path, first["id"])
        added = [(await self.make(client))["id"] for _ in range(2)]
        cursor = page["next_cursor"]
        while cursor is not None:
            query = {**window, "limit": 2, "cursor": cursor}
            page = (await client.get(self.path, params=query)).json()
            assert 1 <= len(page["data"]) <= 2
            walked += [item["id"] for item in page["data"]]
            cursor = page["next_cursor"]
        assert len(walked) == len(set(walked))
        assert walked == sorted(walked)
        assert set(before) <= set(walked)
        ours = set(mine + added)
        assert [i for i in walked if i in ours] == mine + added
        after = await ids(client, self.path, **window)
        assert first["id"] not in after
        assert set(walked) - {first["id"]} == set(after)

    @pytest.mark.parametrize("limit", ["0", "201", "abc", "-1", "1.5"])
    async def test_invalid_limit_is_400(self, client: Any, limit: str) -> None:
        assert_problem(await client.get(self.path, params={"limit": limit}), 400, "limit")

    @pytest.mark.parametrize("cursor", ["garbage", "!!!", "WzIsImEiXQ", "WzEsMV0", "e30"])
    async def test_garbage_cursor_is_400(self, client: Any, cursor: str) -> None:
        assert_problem(await client.get(self.path, params={"cursor": cursor}), 400, "cursor")

    async def test_external_id_filter_and_uniqueness(self, client: Any) -> None:
        made = await self.make(client)
        assert await ids(client, self.path, external_id=made["external_id"]) == [made["id"]]
        again = await self.make_body(client)
        again["external_id"] = made["external_id"]
        assert_problem(await client.post(self.path, json=again), 409, "external_id")
        other = await self.make(client)
        response = await client.patch(
            f"{self.path}/{other['id']}", json={"external_id": made["external_id"]}
        )
        assert_problem(response, 409, "external_id")
        assert (await client.get(f"{self.path}/{other['id']}")).json()["version"] == 1

    async def test_updated_since(self, client: Any) -> None:
        a = await self.make(client)
        b = await self.make(client)
        a2 = (await client.patch(f"{self.path}/{a['id']}", json=self.patch)).json()
        both = {a["id"], b["id"]}
        assert both <= set(await ids(client, self.path, updated_since=a["created_at"]))
        since_b = set(await ids(client, self.path, updated_since=b["updated_at"]))
        assert both <= since_b
        since_a2 = set(await ids(client, self.path, updated_since=a2["updated_at"]))
        assert a["id"] in since_a2
        assert b["id"] not in since_a2
        assert_problem(await client.get(self.path, params={"updated_since": "soon"}), 400)

    # --- references ---

    async def test_bad_reference_is_422(self, client: Any, reference: tuple[str, str]) -> None:
        field, table = reference
        made = await self.make(client)
        top = re.split(r"[.\[]", field)[0]
        for bad in (UNKNOWN_ID[table], await deleted(client, table)):
            body = await self.make_body(client)
            set_path(body, field, bad)
            problem = assert_problem(await client.post(self.path, json=body), 422, field)
            assert bad in problem["detail"]
            assert await ids(client, self.path, external_id=body["external_id"]) == []
            response = await client.patch(f"{self.path}/{made['id']}", json={top: body[top]})
            assert_problem(response, 422, field)
        assert (await client.get(f"{self.path}/{made['id']}")).json()["version"] == 1
