"""The history export and its import: an instance restored from `GET /v1/export?history=true`
into an empty database answers every resource's versions, and every read `as_of` any moment,
exactly as the original; its feed holds the same events at the same positions, so a mirror
goes on from where it stopped; and a file that does not fit is refused whole."""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import msgspec
import pytest
from bulk_dataset import decode_lines
from bulk_instances import Instance, NewInstance, instance
from claimledger_server.bulk import store as bulk_store
from claimledger_server.bulk.history import HISTORY_KINDS, history_chunks
from factories import assert_problem
from history_dataset import (
    NDJSON,
    TABLES,
    build_history,
    carried,
    every_resource,
    feed,
    history_file,
    ok,
    read_all,
    versions_of,
)
from support.databases import make_key, wait_until_sequenced
from test_round_trip import export


@pytest.fixture(scope="module")
async def original(server_dsn: str) -> AsyncIterator[Instance]:
    async with instance(server_dsn) as source:
        await build_history(source.client)
        await wait_until_sequenced(source.dsn)
        yield source


async def restore(client: Any, body: bytes, **headers: str) -> Any:
    return await client.post(
        "/v1/import", params={"history": "true"}, content=body, headers={**NDJSON, **headers}
    )


async def reads(client: Any, table: str, resource_id: str, moments: list[str]) -> list[Any]:
    """The resource now and as of each moment: status, ETag and body."""
    answers = []
    for moment in [None, *moments]:
        params = {"as_of": moment} if moment else {}
        response = await client.get(f"/v1/{table}/{resource_id}", params=params)
        body = response.json()
        body.pop("request_id", None)  # a problem document's, which differs for every request
        answers.append((moment, response.status_code, response.headers.get("etag"), body))
    return answers


def _moments(versions: list[dict[str, Any]]) -> list[str]:
    """Each version's time, and a moment just before each (where the one before was
    current, or nothing was yet)."""
    times = []
    for version in versions:
        recorded = version["recorded_at"]
        times += [recorded, _microsecond_before(recorded)]
    return times


def _microsecond_before(moment: str) -> str:
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00")) - timedelta(microseconds=1)
    return parsed.isoformat()


async def test_a_restored_instance_answers_every_version_and_moment_as_the_original(
    original: Instance, new_instance: NewInstance
) -> None:
    file = await history_file(original.client)
    target = await new_instance()
    report = await ok(await restore(target.client, file))
    lines = decode_lines(file)
    versions = versions_of(lines)
    assert report["lines"] == len(lines)
    assert report["created"] == sum(1 for line in versions if line["version"] == 1)
    assert report["updated"] == len(versions) - report["created"]
    assert report["unchanged"] == 0
    assert {kind for kind, counts in report["kinds"].items() if counts["updated"]} == set(
        HISTORY_KINDS
    )

    resources = await every_resource(original.dsn)
    assert await every_resource(target.dsn) == resources
    kinds_deleted, statuses = set(), set()
    for table, resource_id in resources:
        versions = await read_all(original.client, f"/v1/{table}/{resource_id}/versions")
        assert await read_all(target.client, f"/v1/{table}/{resource_id}/versions") == versions
        if versions[-1]["action"] == "deleted":
            kinds_deleted.add(table)
        moments = _moments(versions)
        answers = await reads(original.client, table, resource_id, moments)
        assert await reads(target.client, table, resource_id, moments) == answers
        statuses |= {status for _, status, _, _ in answers}
    assert kinds_deleted >= {"actors", "sources", "claims", "figures"}
    assert statuses == {200, 404, 410}  # read as current, before creation, after deletion

    # The lists that read claim_refs, which a trigger fills as the claims are restored.
    listed = 0
    for table, resource_id in resources:
        if table in ("actors", "sources"):
            filters = ("claimant_id", "relayed_by_id") if table == "actors" else ("source_id",)
            for name in filters:
                query = {name: resource_id, "include_deleted": "true"}
                claims = await read_all(original.client, "/v1/claims", **query)
                assert await read_all(target.client, "/v1/claims", **query) == claims
                listed += len(claims)
    everything = await read_all(original.client, "/v1/claims", include_deleted="true")
    assert len(everything) < listed < 10 * len(everything)  # each list its own claims

    # The same file out again (its feed line too: the restored feed ends where the
    # original's did), the same live dataset, the same feed but for the changes of API keys,
    # which are not part of the dataset: their positions stay unused.
    assert await history_file(target.client) == file
    assert await export(target.client) == await export(original.client)
    events = await feed(original.client)
    restored = await feed(target.client)
    assert restored == carried(events)
    skipped = [event for event in events if event not in restored]
    assert [event["type"] for event in skipped] == [
        "api_key.created",
        "api_key.updated",
        "api_key.revoked",
        "api_key.created",
        "api_key.revoked",
    ]
    middle, end = skipped[:3], skipped[3:]
    assert all(restored[0]["seq"] < event["seq"] < restored[-1]["seq"] for event in middle)
    assert events[-2:] == end  # the original's feed ends with events the file does not carry
    assert lines[0] == {"kind": "feed", "last_position": events[-1]["seq"]}


async def test_a_mirror_goes_on_from_where_it_stopped(
    original: Instance, new_instance: NewInstance
) -> None:
    """A reader of the original's feed resumes on the restored instance with the last seq
    it saw: it finds the same events up to there, and the restored instance's new changes
    after it."""
    seen = await feed(original.client)
    target = await new_instance()
    await ok(await restore(target.client, await history_file(original.client)))
    last = seen[-1]["seq"]
    restored = await feed(target.client)
    assert restored == carried(seen)
    # The original ends with a key's events, which are not restored: the mirror has read
    # positions the restored feed does not hold, and the next change must come after them.
    assert seen[-1]["type"] == "api_key.revoked"
    assert restored[-1]["seq"] < last
    made = await ok(await target.client.post("/v1/actors", json={"name": "After the restore"}), 201)
    await wait_until_sequenced(target.dsn)
    [event] = await feed(target.client, after=last)
    assert (event["seq"], event["type"], event["resource_id"]) == (
        last + 1,
        "actor.created",
        made["id"],
    )
    assert await feed(target.client, after=restored[-1]["seq"]) == [event]
    # Restored events are history, not news: no webhook delivery is made for them.
    conn = await asyncpg.connect(target.dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM webhook_deliveries") == 0
    finally:
        await conn.close()


async def test_the_history_line_shape(original: Instance) -> None:
    lines = decode_lines(await history_file(original.client))
    last = (await feed(original.client))[-1]["seq"]
    assert lines[0] == {"kind": "feed", "last_position": last}
    lines = versions_of(lines)
    kinds = [line["kind"] for line in lines]
    assert kinds == sorted(kinds, key=list(HISTORY_KINDS).index)
    first = lines[0]
    assert list(first) == [
        "kind",
        "id",
        "version",
        "action",
        "recorded_at",
        "api_key_id",
        "change_note",
        "event",
        "data",
    ]
    assert set(first["event"]) == {"id", "position"}
    notes = {line["change_note"] for line in lines}
    assert {"seed", "withdrawn", "review 0", "reviewed"} <= notes
    only = decode_lines(await history_file(original.client, kinds="extraction"))
    assert only[0] == {"kind": "feed", "last_position": last}  # the feed's, whatever the kinds
    only = versions_of(only)
    assert only
    assert {line["kind"] for line in only} == {"extraction"}
    assert [line for line in lines if line["kind"] == "extraction"] == only


async def test_the_history_export_streams_in_chunks(
    original: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines are sent as they are read from the cursor, never gathered into one body."""
    monkeypatch.setattr(bulk_store, "CHUNK_BYTES", 1)
    async with asyncpg.create_pool(original.dsn, min_size=1, max_size=1) as pool:
        chunks = [chunk async for chunk in history_chunks(pool, list(HISTORY_KINDS))]
    whole = await history_file(original.client)
    assert b"".join(chunks) == whole
    assert len(chunks) == whole.count(b"\n")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "csv", "kinds": "claim"}, "format"),
        ({"as_of": "2024-01-01T00:00:00Z"}, "as_of"),
        ({"bom": "true"}, "bom"),
    ],
)
async def test_a_history_export_is_ndjson_of_every_version(
    client: Any, params: dict[str, str], field: str
) -> None:
    response = await client.get("/v1/export", params={"history": "true", **params})
    assert_problem(response, 422, field)


@pytest.mark.parametrize("params", [{"kinds": "extraction"}, {"kinds": "claim,extraction"}])
async def test_drafts_are_exported_with_history_only(client: Any, params: dict[str, str]) -> None:
    assert_problem(await client.get("/v1/export", params=params), 422, "kinds")
    csv = {**params, "format": "csv"}
    assert_problem(await client.get("/v1/export", params=csv), 422, "kinds")


# Refusals


async def _empty(dsn: str) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        tables = [*(f"{t}_history" for t in TABLES), *TABLES, "events", "feed_floor"]
        counts = [await conn.fetchval(f"SELECT count(*) FROM {t}") for t in tables]
        return not any(counts)
    finally:
        await conn.close()


def _file(*lines: Any) -> bytes:
    return b"".join(
        (line if isinstance(line, bytes) else msgspec.json.encode(line)) + b"\n" for line in lines
    )


@pytest.fixture(scope="module")
async def good_lines(original: Instance) -> list[dict[str, Any]]:
    return decode_lines(await history_file(original.client))


def _resource_lines(lines: list[dict[str, Any]], kind: str, at_least: int) -> list[dict[str, Any]]:
    """The lines of the first resource of `kind` with at least `at_least` versions."""
    by_id: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        if line["kind"] == kind:
            by_id.setdefault(line["id"], []).append(line)
    return next(versions for versions in by_id.values() if len(versions) >= at_least)


async def test_an_instance_that_is_not_empty_is_409(
    original: Instance, new_instance: NewInstance
) -> None:
    file = await history_file(original.client)
    problem = assert_problem(await restore(original.client, file), 409)
    assert "empty" in problem["detail"]
    target = await new_instance()
    await ok(await target.client.post("/v1/actors", json={"name": "Already here"}), 201)
    problem = assert_problem(await restore(target.client, file), 409)
    assert "actors" in problem["detail"]
    conn = await asyncpg.connect(target.dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM actors_history") == 1
    finally:
        await conn.close()


async def test_a_failing_file_names_each_line_and_writes_nothing(
    original: Instance, good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    target = await new_instance()
    claim = _resource_lines(good_lines, "claim", 4)
    actor = _resource_lines(good_lines, "actor", 1)
    body = _file(
        *good_lines,  # everything right, then:
        b'{"kind": "actor", "id": ',  # not JSON
        {**actor[0], "kind": "planet"},  # unknown kind
        {  # a claim whose first line is its version 2
            **claim[1],
            "id": "clm_new1",
            "event": None,
            "data": {**claim[1]["data"], "id": "clm_new1"},
        },
    )
    first = len(good_lines) + 1
    problem = assert_problem(await restore(target.client, body), 422)
    found = [(e["line"], e["field"]) for e in problem["errors"]]
    assert found == [(first, "line"), (first + 1, "kind"), (first + 2, "version")], problem
    assert "start at 1" in problem["errors"][2]["message"]
    assert await _empty(target.dsn)
    # The plain export is not a history file, and the error says so.
    plain = await export(original.client, kinds="actor")
    problem = assert_problem(await restore(target.client, plain), 422)
    assert "plain export" in problem["errors"][0]["message"]
    assert await _empty(target.dsn)


def _with(line: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = changes.pop("data", {})
    return {**line, **changes, "data": {**line["data"], **data}}


async def _refused(client: Any, lines: list[Any], expected: list[tuple[int, str]]) -> list[str]:
    problem = assert_problem(await restore(client, _file(*lines)), 422)
    assert [(e["line"], e["field"]) for e in problem["errors"]] == expected, problem
    return [e["message"] for e in problem["errors"]]


async def test_versions_follow_each_other(
    good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    target = await new_instance()
    client = target.client
    # A draft's versions: drafts reference nothing, so only the versions are judged.
    draft = _resource_lines(good_lines, "extraction", 3)
    v1, v2, v3 = draft[0], draft[1], draft[2]
    # A gap.
    [message] = await _refused(client, [v1, v3], [(2, "version")])
    assert "expected version 2" in message
    # The same version twice.
    twice = [(3, "version"), (3, "event.id"), (3, "event.position")]
    await _refused(client, [v1, v2, v2], twice)
    # Version 1 must be `created`, a later one not.
    await _refused(client, [_with(v1, action="updated")], [(1, "action")])
    await _refused(client, [v1, _with(v2, action="created")], [(2, "action")])
    # Backwards in time.
    earlier = _with(v2, recorded_at="2001-01-01T00:00:00Z")
    await _refused(client, [v1, earlier], [(2, "recorded_at")])
    # Nothing after a tombstone.
    tombstone = _with(v2, action="deleted", data={"deleted": True})
    [message] = await _refused(client, [v1, tombstone, v3], [(3, "version")])
    assert "tombstone" in message
    assert await _empty(target.dsn)


async def test_a_snapshot_must_agree_with_its_line_and_its_kind(
    good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    target = await new_instance()
    client = target.client
    actor = _resource_lines(good_lines, "actor", 2)
    v1, v2 = actor[0], actor[1]
    await _refused(client, [_with(v1, data={"id": "act_other"})], [(1, "data.id")])
    await _refused(client, [_with(v1, data={"version": 7})], [(1, "data.version")])
    await _refused(client, [_with(v1, data={"deleted": True})], [(1, "data.deleted")])
    await _refused(
        client, [_with(v1, data={"updated_at": "2001-01-01T00:00:00Z"})], [(1, "data.updated_at")]
    )
    await _refused(
        client, [v1, _with(v2, data={"created_at": v2["recorded_at"]})], [(2, "data.created_at")]
    )
    await _refused(client, [_with(v1, data={"name": None})], [(1, "data.name")])
    await _refused(client, [_with(v1, data={"colour": "red"})], [(1, "data.colour")])
    await _refused(client, [_with(v1, id="clm_" + v1["id"][4:])], [(1, "id")])
    await _refused(client, [{k: v for k, v in v1.items() if k != "event"}], [(1, "event")])
    event = {**v1["event"], "id": "evt_x"}
    await _refused(
        client, [v1, _with(v2, event=v1["event"])], [(2, "event.id"), (2, "event.position")]
    )
    await _refused(client, [_with(v1, event=event, api_key_id="nokey")], [(1, "api_key_id")])
    assert await _empty(target.dsn)


async def test_references_must_resolve_in_the_file(
    good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    target = await new_instance()
    client = target.client
    # A claim without the actors and sources it references.
    claim = _resource_lines(good_lines, "claim", 1)[0]
    problem = assert_problem(await restore(client, _file(claim)), 422)
    errors = {e["field"]: e["message"] for e in problem["errors"]}
    assert (
        errors["data.claimant_id"] == f"no actor with id {claim['data']['claimant_id']} in the file"
    )
    assert {e["line"] for e in problem["errors"]} == {1}
    # The last version of a live resource must not reference a deleted one.
    actors = [line for line in good_lines if line["kind"] == "actor" and line["version"] == 1]
    parent = next(a for a in actors if a["data"]["parent_id"] is None and a["data"]["external_id"])
    child = next(a for a in actors if a["id"] != parent["id"])
    later = "2099-01-01T00:00:00Z"
    gone = _with(
        parent,
        version=2,
        action="deleted",
        recorded_at=later,
        event=None,
        data={"deleted": True, "version": 2, "updated_at": later},
    )
    pointing = _with(child, data={"parent_id": parent["id"]})
    [message] = await _refused(client, [parent, gone, pointing], [(3, "data.parent_id")])
    assert "is deleted (line 2)" in message
    # Two resources ending with one external_id.
    twin = _with(child, data={"external_id": parent["data"]["external_id"]})
    await _refused(client, [parent, twin], [(2, "data.external_id")])
    assert await _empty(target.dsn)


async def test_restoring_needs_admin_ndjson_and_no_change_note(
    good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    target = await new_instance()
    body = _file(*good_lines)
    writer = await make_key(target.dsn, "writer", ("write",))
    response = await target.client.post(
        "/v1/import?history=true",
        content=body,
        headers={**NDJSON, "Authorization": f"Bearer {writer}"},
    )
    assert_problem(response, 403)
    response = await restore(target.client, body, **{"content-type": "text/csv"})
    assert_problem(response, 422, "history")
    response = await restore(target.client, body, **{"content-type": "text/plain"})
    assert_problem(response, 415)
    assert_problem(
        await restore(target.client, body, **{"X-Change-Note": "why"}), 422, "X-Change-Note"
    )
    assert await _empty(target.dsn)
    # Retried with the same Idempotency-Key, it is answered once.
    first = await restore(target.client, body, **{"Idempotency-Key": "restore-1"})
    again = await restore(target.client, body, **{"Idempotency-Key": "restore-1"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


async def test_the_feed_line_is_checked_like_every_line(
    good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    target = await new_instance()
    client = target.client
    feed_line, versions = good_lines[0], versions_of(good_lines)
    draft = _resource_lines(good_lines, "extraction", 1)[0]  # it references nothing
    for wrong in ("57", -1, 2**53, 1.5, True, None):
        line = {"kind": "feed", "last_position": wrong}
        await _refused(client, [line, draft], [(1, "last_position")])
    await _refused(client, [{"kind": "feed"}, draft], [(1, "last_position")])
    await _refused(client, [{**feed_line, "first_position": 0}, draft], [(1, "first_position")])
    [message] = await _refused(client, [draft, feed_line, feed_line], [(3, "kind")])
    assert "line 2" in message
    # Below a restored event's position, the restored feed could hand out a position twice.
    positioned = [line for line in versions if line["event"] and line["event"]["position"]]
    top = max(positioned, key=lambda line: line["event"]["position"])
    below = {"kind": "feed", "last_position": top["event"]["position"] - 1}
    [message] = await _refused(client, [*versions, below], [(len(versions) + 1, "last_position")])
    assert f"below {top['event']['position']}, the position of line" in message
    assert await _empty(target.dsn)


async def test_an_event_position_is_a_place_in_the_feed(
    good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    target = await new_instance()
    draft = _resource_lines(good_lines, "extraction", 1)[0]  # it references nothing
    # Beyond 2**63 - 1 PostgreSQL's bigint cannot hold it (this was a 500); beyond 2**53 - 1
    # not every JSON reader can; a feed starts at 1.
    for wrong in (0, -5, 2**53, 2**63, 2**64, "7", 1.5):
        line = {**draft, "event": {**draft["event"], "position": wrong}}
        await _refused(target.client, [line], [(1, "event.position")])
    assert await _empty(target.dsn)


async def test_a_file_without_the_feed_line_imports_without_a_floor(
    original: Instance, good_lines: list[dict[str, Any]], new_instance: NewInstance
) -> None:
    """An export from before the feed line: the restored feed continues after its last
    restored event."""
    target = await new_instance()
    versions = versions_of(good_lines)
    report = await ok(await restore(target.client, _file(*versions)))
    assert report["lines"] == len(versions)
    restored = await feed(target.client)
    assert restored == carried(await feed(original.client))
    made = await ok(await target.client.post("/v1/actors", json={"name": "After"}), 201)
    await wait_until_sequenced(target.dsn)
    [event] = await feed(target.client, after=restored[-1]["seq"])
    assert (event["seq"], event["resource_id"]) == (restored[-1]["seq"] + 1, made["id"])
