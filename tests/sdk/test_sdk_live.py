"""The SDK against a live server on real PostgreSQL: every operation of every resource, with
the sync client and with the async client, plus the error classes a real server produces."""

import asyncio
import datetime as dt
import socket
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import claimledger
import msgspec
import pytest
from claimledger import models
from claimledger.operations import bulk, meta
from claimledger.operations import claims as claim_ops

PREFIX = {"actors": "act_", "sources": "src_", "claims": "clm_", "figures": "fig_"}
CHANGES: dict[str, dict[str, Any]] = {
    "actors": {"role": "spokesperson", "aliases": ["J. Kirby"]},
    "sources": {"title": "Updated headline", "language": "en"},
    "claims": {"status": "disputed", "topics": ["casualties"]},
    "figures": {"amount": 3000, "qualifier": "at_least"},
}
SECOND_CHANGES: dict[str, dict[str, Any]] = {
    "actors": {"description": "Second change"},
    "sources": {"title": "Third headline"},
    "claims": {"basis": "citing preliminary data"},
    "figures": {"text": "at least 3,000"},
}


def same(read: Any, written: Any) -> bool:
    """Whether `read` has every member of `written` (a claim `get` adds `expanded`)."""
    mine = msgspec.structs.asdict(written)
    return {k: v for k, v in msgspec.structs.asdict(read).items() if k in mine} == mine


def uid() -> str:
    return uuid.uuid4().hex[:12]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---------------------------------------------------------------------------------- sync


def create_sync(client: claimledger.Client, name: str) -> Any:
    """A fresh resource of kind `name` (and whatever it references)."""
    key = f"sdk-test:{uid()}"
    if name == "actors":
        return client.actors.create(
            name="John Kirby", kind="person", country="USA", external_id=key
        )
    if name == "sources":
        return client.sources.create(
            kind="news_article",
            title="North Korean troops suffer losses",
            url="https://example.org/a",
            published_at=dt.datetime(2024, 12, 27, 18, 0, tzinfo=dt.UTC),
            external_id=key,
        )
    if name == "claims":
        actor = create_sync(client, "actors")
        source = create_sync(client, "sources")
        return client.claims.create(
            claimant_id=actor.id,
            text="1,000 North Korean troops were killed or injured in the last week.",
            stated_on="2024-12-27",
            stated_on_precision="day",
            citations=[{"source_id": source.id, "quote": "killed or injured"}],
            location=models.Location(name="Kursk", country="RUS"),
            external_id=key,
        )
    claim = create_sync(client, "claims")
    return client.figures.create(
        claim_id=claim.id,
        metric="killed_or_wounded",
        amount=1000,
        qualifier="exact",
        period={"start": dt.date(2024, 12, 20), "end": "2024-12-27", "text": "in the last week"},
        external_id=key,
    )


@pytest.mark.parametrize("name", list(PREFIX))
def test_every_operation_sync(sdk: claimledger.Client, name: str) -> None:
    resource = getattr(sdk, name)
    created = create_sync(sdk, name)
    assert created.id.startswith(PREFIX[name])
    assert created.version == 1
    assert created.deleted is False

    fetched = resource.get(created.id)
    assert same(fetched, created)
    assert same(resource.get(created), created)  # a model works wherever an id does
    between = now()

    # Given a fetched object, update sends If-Match with its version.
    updated = resource.update(fetched, CHANGES[name], change_note="reviewed")
    assert updated.version == 2
    for field, value in CHANGES[name].items():
        assert getattr(updated, field) == value
    with pytest.raises(claimledger.PreconditionFailed) as stale:
        resource.update(fetched, SECOND_CHANGES[name])
    assert stale.value.current_version == 2
    assert stale.value.status == 412

    # Given an id, the change applies to the latest version; keywords work as well as a dict.
    third = resource.update(created.id, **SECOND_CHANGES[name])
    assert third.version == 3
    with pytest.raises(claimledger.PreconditionFailed):
        resource.update(created.id, {}, if_match=1, **CHANGES[name])

    assert resource.get(created.id, as_of=between).version == 1
    assert resource.get(created.id, as_of=between.isoformat()).version == 1

    history = list(resource.versions(created.id, limit=2))
    assert [v.version for v in history] == [1, 2, 3]
    assert [v.action for v in history] == ["created", "updated", "updated"]
    second = resource.version(created.id, 2)
    assert second.change_note == "reviewed"
    assert second.data == updated
    changed = {op.path for op in resource.diff(created.id, 2) if op.op == "replace"}
    assert {f"/{field}" for field in CHANGES[name]} <= changed | {
        op.path for op in resource.diff(created, 2)
    }
    assert {op.path for op in resource.diff(created.id, 1, against=0)} >= {"/id", "/version"}

    listed = list(resource.list(external_id=created.external_id))
    assert [item.id for item in listed] == [created.id]

    with pytest.raises(claimledger.PreconditionFailed):
        resource.delete(updated)  # stale: the resource is at version 3
    tombstone = resource.delete(third, change_note="duplicate")
    assert tombstone.deleted is True
    assert tombstone.version == 4
    with pytest.raises(claimledger.Gone):
        resource.get(created.id)
    assert list(resource.list(external_id=created.external_id)) == []
    hidden = list(resource.list(external_id=created.external_id, include_deleted=True))
    assert [item.version for item in hidden] == [4]
    assert resource.version(created.id, 4).action == "deleted"


def test_pagination_sync(sdk: claimledger.Client) -> None:
    since = now()
    made = [sdk.actors.create(name=f"Paged {n}", external_id=f"page:{uid()}") for n in range(5)]
    pager = sdk.actors.list(updated_since=since, limit=2)
    pages = list(pager.pages())
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [page.has_next_page for page in pages] == [True, True, False]
    assert [actor.id for actor in pager] == [actor.id for actor in made]
    assert len(list(pager)) == 5  # every iteration starts again from the first page
    first = pager.first_page()
    resumed = sdk.actors.list(updated_since=since, limit=2, cursor=first.next_cursor)
    assert [actor.id for actor in resumed] == [actor.id for actor in made[2:]]


def test_typed_filters_sync(sdk: claimledger.Client) -> None:
    figure = create_sync(sdk, "figures")
    over = sdk.figures.create(
        claim_id=figure.claim_id, metric="killed", amount=3000, qualifier="more_than"
    )
    assert (over.low, over.high) == (3001, None)
    found = sdk.figures.list(claim_id=figure.claim_id, metric="killed", min_low=3001)
    assert [f.id for f in found] == [over.id]
    claim = sdk.claims.get(figure.claim_id)
    assert claim.stated_on == dt.date(2024, 12, 27)
    assert claim.location is not None
    assert claim.location.country == "RUS"
    by_claimant = sdk.claims.list(claimant_id=claim.claimant_id, stated_from=dt.date(2024, 12, 1))
    assert [c.id for c in by_claimant] == [claim.id]


def test_merge_patch_null_clears_and_unset_keeps_sync(sdk: claimledger.Client) -> None:
    actor = sdk.actors.create(name="Someone", role="spokesperson", description="kept")
    changed = sdk.actors.update(actor, models.ActorPatch(role=None), change_note="перевірено")
    assert changed.role is None
    assert changed.description == "kept"
    assert sdk.actors.version(actor, 2).change_note == "перевірено"


def test_raw_operations_and_health_sync(sdk: claimledger.Client) -> None:
    assert sdk.health().status == "ok"
    assert sdk.request(meta.health()).status == "ok"
    page = sdk.request(claim_ops.list_claims(limit=1))
    assert isinstance(page, models.ClaimList)


def test_error_classes_from_a_live_server(
    sdk: claimledger.Client, sdk_server: str, api_keys: dict[str, str]
) -> None:
    with pytest.raises(claimledger.NotFound) as missing:
        sdk.claims.get("clm_0000000000000000000000000")
    assert missing.value.request_id
    assert missing.value.type
    assert missing.value.type.endswith("not-found")

    with pytest.raises(claimledger.UnprocessableEntity) as invalid:
        sdk.claims.create(claimant_id="act_0000000000000000000000000", text="x")
    assert [e.field for e in invalid.value.errors] == ["claimant_id"]

    with pytest.raises(claimledger.BadRequest) as bad:
        list(sdk.claims.list(limit=500))
    assert "limit" in [e.field for e in bad.value.errors]

    key = f"dup:{uid()}"
    sdk.actors.create(name="First", external_id=key)
    with pytest.raises(claimledger.Conflict):
        sdk.actors.create(name="Second", external_id=key)

    stranger = claimledger.Client(sdk_server, "clk_not_a_key", max_retries=0)
    with stranger, pytest.raises(claimledger.Unauthorized) as unauthorized:
        stranger.actors.get("act_x")
    assert unauthorized.value.status == 401
    with claimledger.Client(sdk_server, api_keys["read"], max_retries=0) as reader:
        with pytest.raises(claimledger.Forbidden):
            reader.actors.create(name="Not allowed")
        assert reader.actors.list(limit=1).first_page() is not None

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    nobody = claimledger.Client(closed, "k", max_retries=0)
    with pytest.raises(claimledger.APIConnectionError):
        nobody.health()


def test_timeout_against_a_server_that_never_answers() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        client = claimledger.Client(url, "k", timeout=0.2, max_retries=0)
        started = dt.datetime.now()
        with client, pytest.raises(claimledger.Timeout):
            client.claims.get("clm_x")
    assert dt.datetime.now() - started < dt.timedelta(seconds=5)


# ---------------------------------------------------------------------------------- async


async def create_async(client: claimledger.AsyncClient, name: str) -> Any:
    key = f"sdk-test:{uid()}"
    if name == "actors":
        return await client.actors.create(name="Kim Jong Un", kind="person", external_id=key)
    if name == "sources":
        return await client.sources.create(kind="video_address", title="Address", external_id=key)
    if name == "claims":
        actor = await create_async(client, "actors")
        return await client.claims.create(
            claimant_id=actor.id, text="Over 3,000 were killed.", external_id=key
        )
    claim = await create_async(client, "claims")
    return await client.figures.create(
        claim_id=claim.id, metric="killed", amount=3000, qualifier="more_than", external_id=key
    )


@pytest.mark.parametrize("name", list(PREFIX))
async def test_every_operation_async(async_sdk: claimledger.AsyncClient, name: str) -> None:
    resource = getattr(async_sdk, name)
    created = await create_async(async_sdk, name)
    assert created.id.startswith(PREFIX[name])
    fetched = await resource.get(created.id)
    assert same(fetched, created)
    between = now()

    updated = await resource.update(fetched, CHANGES[name], change_note="reviewed")
    assert updated.version == 2
    with pytest.raises(claimledger.PreconditionFailed) as stale:
        await resource.update(fetched, **SECOND_CHANGES[name])
    assert stale.value.current_version == 2
    assert (await resource.get(created.id, as_of=between)).version == 1

    versions = [v async for v in resource.versions(created.id, limit=1)]
    assert [v.version for v in versions] == [1, 2]
    assert (await resource.version(created.id, 2)).change_note == "reviewed"
    listed = [item.id async for item in resource.list(external_id=created.external_id)]
    assert listed == [created.id]

    tombstone = await resource.delete(updated)
    assert tombstone.deleted is True
    with pytest.raises(claimledger.Gone):
        await resource.get(created.id)


async def test_pagination_async(async_sdk: claimledger.AsyncClient) -> None:
    since = now()
    made = [
        await async_sdk.sources.create(title=f"Paged {n}", external_id=f"page:{uid()}")
        for n in range(3)
    ]
    pager = async_sdk.sources.list(updated_since=since, limit=2)
    assert [len(page) async for page in pager.pages()] == [2, 1]
    assert [source.id async for source in pager] == [source.id for source in made]
    assert len((await pager.first_page()).data) == 2


async def test_errors_and_health_async(async_sdk: claimledger.AsyncClient) -> None:
    assert (await async_sdk.health()).status == "ok"
    with pytest.raises(claimledger.NotFound):
        await async_sdk.figures.get("fig_0000000000000000000000000")
    with pytest.raises(claimledger.UnprocessableEntity) as invalid:
        await async_sdk.figures.create(
            claim_id="clm_0000000000000000000000000", metric="killed", amount=1
        )
    assert invalid.value.errors[0].field == "claim_id"
    actor = await async_sdk.actors.create(name="Referenced")
    await async_sdk.claims.create(claimant_id=actor.id, text="A claim by a referenced actor.")
    with pytest.raises(claimledger.Conflict):
        await async_sdk.actors.delete(actor)


def test_sync_and_async_surfaces_match() -> None:
    def public(cls: type) -> set[str]:
        return {name for name in dir(cls) if not name.startswith("_")}

    sync, asyn = claimledger.Client("http://x", "k"), claimledger.AsyncClient("http://x", "k")
    assert public(type(sync)) == public(type(asyn))
    for name in [*PREFIX, "events", "webhooks", "keys", "extractions"]:
        assert public(type(getattr(sync, name))) == public(type(getattr(asyn, name))), name
    expected = {"create", "get", "list", "update", "delete", "versions", "version", "diff"}
    for name in PREFIX:
        assert expected <= public(type(getattr(sync, name)))
    assert {"summary", "timeline", "parse"} <= public(type(sync.figures))
    assert {"list", "get"} <= public(type(sync.events))
    assert {"create", "get", "list", "update", "delete", "test"} <= public(type(sync.webhooks))
    assert {"create", "get", "list", "update", "revoke"} == public(type(sync.keys))


def test_claims_get_with_expand_sync(sdk: claimledger.Client) -> None:
    figure = create_sync(sdk, "figures")
    claim = sdk.claims.get(figure.claim_id, expand=["claimant", "figures", "citations.source"])
    assert claim.expanded is not None
    assert claim.expanded.claimant is not None
    assert claim.expanded.claimant.id == claim.claimant_id
    assert [f.id for f in claim.expanded.figures or []] == [figure.id]
    cited = claim.expanded.citations or []
    assert [c.source_id for c in cited] == [c.source_id for c in claim.citations]
    assert sdk.claims.get(claim, expand="claimant").expanded is not None
    assert sdk.claims.get(claim).expanded is None


def test_figures_summary_sync(sdk: claimledger.Client) -> None:
    subject = sdk.actors.create(name="North Korean troops", kind="armed_force")
    says: dict[str, Any] = {}
    for who, amount, qualifier in [("Zelenskyy", 3000, "more_than"), ("Kirby", 1000, "exact")]:
        claimant = sdk.actors.create(name=who, kind="person")
        claim = sdk.claims.create(claimant_id=claimant.id, text=f"{who} on losses.")
        says[who] = sdk.figures.create(
            claim_id=claim.id,
            subject_id=subject.id,
            metric="killed_or_wounded",
            amount=amount,
            qualifier=qualifier,
        )
    groups = list(sdk.figures.summary(subject_id=subject.id, metric="killed_or_wounded"))
    assert len(groups) == 1
    group = groups[0]
    assert (group.low, group.high) == (1000, None)
    assert group.figure_count == 2
    assert group.claimant_count == 2
    assert {c.figure.id for c in group.claimants} == {f.id for f in says.values()}


PARSE_TEXT = (
    "Zelenskyy said over 3,000 soldiers were killed or wounded near Kursk on December 23;"
    " several hundred casualties; 15% of the brigade."
)


def check_parsed(found: list[models.Quantity]) -> None:
    assert [(q.text, q.kind) for q in found] == [
        ("over 3,000 soldiers", "count"),
        ("several hundred casualties", "count"),
        ("15%", "percentage"),
    ]
    over = found[0]
    assert isinstance(over, models.Quantity)
    assert (over.qualifier, over.amount, over.low, over.high) == ("more_than", 3000, 3001, None)
    assert (over.unit, over.metric) == ("people", "killed_or_wounded")
    assert PARSE_TEXT[over.start : over.end] == over.text
    assert (found[1].qualifier, found[1].low, found[1].high) == ("vague", 300, 900)


def test_figures_parse_sync(sdk: claimledger.Client) -> None:
    check_parsed(sdk.figures.parse(text=PARSE_TEXT))
    assert sdk.figures.parse(text="") == []
    with pytest.raises(claimledger.PayloadTooLarge) as too_long:
        sdk.figures.parse(text="x" * 100_001)
    assert too_long.value.status == 413


async def test_figures_parse_async(async_sdk: claimledger.AsyncClient) -> None:
    check_parsed(await async_sdk.figures.parse(text=PARSE_TEXT))
    with pytest.raises(claimledger.PayloadTooLarge):
        await async_sdk.figures.parse(text="x" * 100_001)


def eventually(read: Callable[[], list[Any]], count: int, seconds: float = 30) -> list[Any]:
    """Poll until `read()` has `count` items: the feed orders events shortly after commit."""
    deadline = time.monotonic() + seconds
    while len(found := read()) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_events_feed_sync(sdk: claimledger.Client) -> None:
    last = None
    for last in sdk.events.list(limit=200):  # noqa: B007 - only the last one is wanted
        pass
    after = last.seq if last else 0
    actor = sdk.actors.create(name="Evented")
    sdk.actors.update(actor, role="spokesperson")

    def mine() -> list[Any]:
        events = list(sdk.events.list(after=after, types="actor.*"))
        assert all(e.seq > after for e in events)
        return [e for e in events if e.resource_id == actor.id]

    events = eventually(mine, 2)
    assert [(e.type, e.version) for e in events] == [("actor.created", 1), ("actor.updated", 2)]
    assert sdk.events.get(events[0].id).seq == events[0].seq


def test_webhook_endpoints_sync(sdk: claimledger.Client) -> None:
    endpoint = sdk.webhooks.create(url="http://127.0.0.1:9/claimledger", event_types=["claim.*"])
    assert endpoint.secret.startswith("whsec_")
    assert sdk.webhooks.get(endpoint).url == endpoint.url
    assert endpoint.id in [e.id for e in sdk.webhooks.list()]
    changed = sdk.webhooks.update(endpoint, event_types=["claim.*", "figure.*"])
    assert changed.event_types == ["claim.*", "figure.*"]
    disabled = sdk.webhooks.update(endpoint, {"enabled": False})
    assert disabled.enabled is False
    rotated = sdk.webhooks.rotate_secret(endpoint)
    assert rotated.secret != endpoint.secret
    sdk.webhooks.update(endpoint, enabled=True)
    ping = sdk.webhooks.test(endpoint)
    assert ping.endpoint_id == endpoint.id
    assert sdk.webhooks.delivery(endpoint, ping.id).id == ping.id
    assert ping.id in [d.id for d in sdk.webhooks.deliveries(endpoint)]
    assert isinstance(list(sdk.webhooks.attempts(endpoint, ping.id)), list)
    assert sdk.webhooks.replay(endpoint, after=0).queued >= 0
    assert sdk.webhooks.recover(endpoint, since=now()).queued >= 0
    sdk.webhooks.delete(endpoint)
    with pytest.raises(claimledger.NotFound):
        sdk.webhooks.get(endpoint.id)


async def test_new_resources_async(async_sdk: claimledger.AsyncClient) -> None:
    figure = await create_async(async_sdk, "figures")
    claim = await async_sdk.claims.get(figure.claim_id, expand=["figures"])
    assert claim.expanded is not None
    assert [f.id for f in claim.expanded.figures or []] == [figure.id]
    groups = [g async for g in async_sdk.figures.summary(metric="killed", limit=200)]
    assert any(figure.id in {c.figure.id for c in g.claimants} for g in groups)
    assert (await async_sdk.figures.diff(figure, 1))[0].op in ("add", "replace")
    deadline = time.monotonic() + 30
    while True:
        events = [e async for e in async_sdk.events.list(types="figure.created", limit=200)]
        if figure.id in {e.resource_id for e in events} or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert figure.id in {e.resource_id for e in events}
    assert (await async_sdk.events.get(events[0].id)).id == events[0].id
    endpoint = await async_sdk.webhooks.create(url="http://127.0.0.1:9/hook")
    assert (await async_sdk.webhooks.get(endpoint.id)).id == endpoint.id
    assert endpoint.id in [e.id async for e in async_sdk.webhooks.list()]
    await async_sdk.webhooks.update(endpoint, description="partner")
    ping = await async_sdk.webhooks.test(endpoint)
    assert (await async_sdk.webhooks.delivery(endpoint, ping.id)).event_type == ping.event_type
    assert [d.id async for d in async_sdk.webhooks.deliveries(endpoint)] == [ping.id]
    assert isinstance([a async for a in async_sdk.webhooks.attempts(endpoint, ping.id)], list)
    # The worker may be sending the ping right now (409 until its attempt is recorded).
    deadline = time.monotonic() + 30
    while True:
        try:
            await async_sdk.webhooks.retry(endpoint, ping.id)
            break
        except claimledger.Conflict:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)
    assert (await async_sdk.webhooks.replay(endpoint, after=0)).queued >= 0
    assert (await async_sdk.webhooks.recover(endpoint, since=now())).queued >= 0
    assert (await async_sdk.webhooks.rotate_secret(endpoint)).secret.startswith("whsec_")
    await async_sdk.webhooks.delete(endpoint)


class Receiver(BaseHTTPRequestHandler):
    """A partner's endpoint: records each delivery and answers 204."""

    received: list[tuple[bytes, dict[str, str]]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append((body, dict(self.headers.items())))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.slow
def test_deliveries_from_a_live_server_verify(webhook_server: str, webhook_admin_key: str) -> None:
    received: list[tuple[bytes, dict[str, str]]] = []
    handler = type("Recording", (Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with claimledger.Client(webhook_server, webhook_admin_key) as client:
            endpoint = client.webhooks.create(
                url=f"http://127.0.0.1:{server.server_address[1]}/hook", event_types=["actor.*"]
            )
            actor = client.actors.create(name="Delivered")
            deadline = dt.datetime.now() + dt.timedelta(seconds=30)
            while not received and dt.datetime.now() < deadline:
                threading.Event().wait(0.1)
    finally:
        server.shutdown()
    assert received, "no delivery arrived"
    body, headers = received[0]
    event = claimledger.webhooks.verify(body, headers, endpoint.secret)
    assert event["type"] == "actor.created"
    assert actor.id in body.decode()
    with pytest.raises(claimledger.WebhookVerificationError):
        claimledger.webhooks.verify(body + b" ", headers, endpoint.secret)


def test_bulk_import_and_export_raw_operations(sdk: claimledger.Client) -> None:
    key = uid()
    lines = [
        {"kind": "actor", "external_id": f"bulk:{key}", "data": {"name": "Imported"}},
        {
            "kind": "claim",
            "external_id": f"bulk-claim:{key}",
            "data": {"claimant_id": f"ext:bulk:{key}", "text": "An imported claim."},
        },
    ]
    ndjson = b"".join(msgspec.json.encode(line) + b"\n" for line in lines)
    result = sdk.request(bulk.import_resources(ndjson, x_change_note="bulk test"))
    assert (result.lines, result.created) == (2, 2)
    again = sdk.request(bulk.import_resources(ndjson))
    assert (again.created, again.unchanged) == (0, 2)
    exported = sdk.request(bulk.export_resources(format="ndjson", kinds="actor"))
    assert f'"external_id":"bulk:{key}"'.encode() in exported
    csv = sdk.request(bulk.export_resources(format="csv", kinds="actor", bom=True))
    assert csv.startswith(b"\xef\xbb\xbfid,version,created_at,")
    assert f"bulk:{key}".encode() in csv


def test_history_export_and_import_raw_operations(sdk: claimledger.Client) -> None:
    """The history option is typed on both operations, and the lines decode as models."""
    actor = sdk.actors.create(name="Kept in history", kind="person", external_id=uid())
    sdk.actors.update(actor.id, role="spokesperson", change_note="role found")
    exported = sdk.request(bulk.export_resources(history=True, kinds="actor"))
    feed, *rest = exported.splitlines()
    assert msgspec.json.decode(feed, type=models.FeedLine).last_position > 0
    lines = [msgspec.json.decode(line, type=models.HistoryLine) for line in rest]
    versions = [line for line in lines if line.id == actor.id]
    assert [(v.version, v.action, v.change_note) for v in versions] == [
        (1, "created", None),
        (2, "updated", "role found"),
    ]
    assert versions[1].data["role"] == "spokesperson"
    assert versions[1].event is not None
    with pytest.raises(claimledger.Conflict):  # this instance is not empty
        sdk.request(bulk.import_resources(exported, history=True))


async def test_bulk_and_health_async(async_sdk: claimledger.AsyncClient) -> None:
    assert (await async_sdk.request(meta.health())).status == "ok"
    line = {"kind": "source", "external_id": f"bulk:{uid()}", "data": {"title": "Imported"}}
    csv = f'kind,external_id,data\nsource,{line["external_id"]},"{{""title"": ""Imported""}}"\n'
    result = await async_sdk.request(bulk.import_resources(csv, content_type="text/csv"))
    assert result.kinds.source.created == 1
