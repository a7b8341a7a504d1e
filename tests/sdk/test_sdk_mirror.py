"""`claimledger.mirror`: a mirror of the dataset kept from the changes feed, in memory and in a
SQLite file, compared with the live lists of a real server; resuming after a restart and
after `kill -9` in the middle of a transaction; and the store rules on a scripted feed."""

import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import claimledger
import httpx
import msgspec
import pytest
from claimledger.mirror import KINDS, AsyncMirror, MemoryStore, Mirror, Record, SQLiteStore

VIEWS = {"actor": "actors", "source": "sources", "claim": "claims", "figure": "figures"}
SEQUENCED_SECONDS = 30


_seen = {"seq": 0}  # the feed never shows an event below one already seen: start there


def sequenced(client: claimledger.Client, resource_id: str, version: int) -> int:
    """Wait until the event of (`resource_id`, `version`) is in the feed; return its seq.

    The feed shows an event once the server's sequencer has positioned it, usually within
    milliseconds of the commit; every change committed before it is positioned too.
    """
    deadline = time.monotonic() + SEQUENCED_SECONDS
    while True:
        for event in client.events.list(after=_seen["seq"], limit=200):
            _seen["seq"] = max(_seen["seq"], event.seq)
            if event.resource_id == resource_id and event.version == version:
                return event.seq
        if time.monotonic() > deadline:
            pytest.fail(f"{resource_id} v{version} not in the feed after {SEQUENCED_SECONDS} s")
        time.sleep(0.02)


def live(client: claimledger.Client) -> dict[str, dict[str, Any]]:
    """Every live resource, per kind, as the API lists it."""
    return {
        kind: {
            item.id: msgspec.to_builtins(item)
            for item in getattr(client, view).list(include_deleted=False, limit=200)
        }
        for kind, view in VIEWS.items()
    }


def mirrored(mirror: Mirror | AsyncMirror) -> dict[str, dict[str, Any]]:
    """Every live resource, per kind, as the mirror holds it."""
    return {
        kind: {item.id: msgspec.to_builtins(item) for item in getattr(mirror, view)}
        for kind, view in VIEWS.items()
    }


def change_everything(client: claimledger.Client) -> dict[str, Any]:
    """Create, update and delete resources of every kind; wait until the feed has it all."""
    actor = client.actors.create(name="Mirrored spokesperson", kind="person", country="USA")
    actor = client.actors.update(actor, role="spokesperson")
    doomed = client.actors.create(name="Mirrored and deleted")
    client.actors.delete(doomed)
    source = client.sources.create(kind="news_article", title="Mirrored headline")
    source = client.sources.update(source, title="Mirrored headline, updated")
    claim = client.claims.create(
        claimant_id=actor.id,
        text="Mirrored: 500 were killed.",
        citations=[{"source_id": source.id}],
    )
    claim = client.claims.update(claim, status="disputed")
    figure = client.figures.create(claim_id=claim.id, metric="killed", amount=500)
    figure = client.figures.update(figure, qualifier="at_least")
    gone = client.figures.create(claim_id=claim.id, metric="wounded", amount=20)
    gone = client.figures.delete(gone)
    sequenced(client, gone.id, gone.version)
    return {"actor": actor, "doomed": doomed, "claim": claim, "figure": figure, "gone": gone}


def feed_replay(client: claimledger.Client, up_to: int) -> dict[tuple[str, str], Any]:
    """What a store should hold after every dataset event with `seq <= up_to`."""
    state: dict[tuple[str, str], Any] = {}
    for event in client.events.list(limit=200):
        if event.seq > up_to:
            break
        if event.resource in KINDS:
            state[(event.resource, event.resource_id)] = (
                event.version,
                event.type.endswith(".deleted"),
                event.data,
            )
    return state


def stored(store: SQLiteStore | MemoryStore) -> dict[tuple[str, str], Any]:
    return {
        (record.kind, record.id): (record.version, record.deleted, json.loads(record.json))
        for kind in KINDS
        for record in store.records(kind, include_deleted=True)
    }


# ---------------------------------------------------------------------------------- live


@pytest.mark.parametrize("where", ["memory", "sqlite"])
def test_a_mirror_holds_exactly_the_live_dataset(
    sdk: claimledger.Client, tmp_path: Path, where: str
) -> None:
    store = None if where == "memory" else tmp_path / "mirror.db"
    with Mirror(sdk, store) as mirror:
        assert isinstance(mirror.store, MemoryStore if where == "memory" else SQLiteStore)
        made = change_everything(sdk)
        assert mirror.sync() > 0
        assert mirrored(mirror) == live(sdk)

        actor, doomed, claim = made["actor"], made["doomed"], made["claim"]
        assert mirror.get("actor", actor.id) == actor
        assert mirror.claims.get(claim.id) == claim
        assert mirror.get("claim", claim.id).status == "disputed"  # type: ignore[union-attr]
        assert doomed.id not in mirror.actors
        assert mirror.actors.get(doomed.id) is None
        tombstone = mirror.actors.get(doomed.id, include_deleted=True)
        assert tombstone is not None
        assert tombstone.deleted
        assert tombstone.version == 2
        assert made["gone"].id not in mirror.figures
        assert made["figure"].id in mirror.figures
        assert len(mirror.claims) == mirror.count("claim") == len(live(sdk)["claim"])
        assert mirror.count("figure", include_deleted=True) > mirror.count("figure")

        seq = mirror.last_seq
        assert seq == max(e.seq for e in sdk.events.list(limit=200))
        assert mirror.sync() == 0  # nothing new: nothing applied, seq unchanged
        assert mirror.last_seq == seq


def test_a_reopened_file_resumes_from_its_last_seq(sdk: claimledger.Client, tmp_path: Path) -> None:
    path = tmp_path / "mirror.db"
    with Mirror(sdk, path) as mirror:
        made = change_everything(sdk)
        mirror.sync()
        seq = mirror.last_seq
        before = stored(mirror.store)  # type: ignore[arg-type]

    actor = sdk.actors.update(made["actor"], description="changed while the mirror was down")
    source = sdk.sources.create(kind="report", title="Created while the mirror was down")
    sequenced(sdk, source.id, 1)

    with Mirror(sdk, path) as mirror:
        assert mirror.last_seq == seq
        assert stored(mirror.store) == before  # type: ignore[arg-type]
        applied = mirror.sync()
        new = [
            e
            for e in sdk.events.list(after=seq, limit=200)
            if e.seq <= mirror.last_seq and e.resource in KINDS
        ]
        assert applied == len(new)  # each event after the old seq once, none before it
        assert {(e.resource_id, e.version) for e in new} >= {(actor.id, 3), (source.id, 1)}
        assert mirror.actors.get(actor.id) == actor
        assert mirrored(mirror) == live(sdk)

    # Replaying the whole feed into the same file again changes nothing: versions decide.
    class Rewound(SQLiteStore):
        def last_seq(self) -> int:
            return 0

    with Mirror(sdk, Rewound(path)) as replay:
        assert replay.sync() == 0
        assert mirrored(replay) == live(sdk)


CHILD = """
import os, signal, sys
import claimledger
from claimledger.sync import Mirror, SQLiteStore

url, key, path, crash_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = SQLiteStore(path)


class CrashBeforeCommit:
    # The connection, except that the crash_at-th COMMIT kills the process first: that
    # page's rows are written inside its transaction, but the transaction never commits.
    def __init__(self, db):
        self.db, self.commits = db, 0

    def __getattr__(self, name):
        return getattr(self.db, name)

    def execute(self, sql, *args):
        if sql == "COMMIT":
            self.commits += 1
            if self.commits == crash_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return self.db.execute(sql, *args)


store._db = CrashBeforeCommit(store._db)
with claimledger.Client(url, key, max_retries=0) as client:
    Mirror(client, store, page_size=5).sync()
print("not killed")
"""


def test_a_sync_killed_mid_transaction_neither_skips_nor_applies_twice(
    sdk: claimledger.Client, sdk_server: str, admin_key: str, tmp_path: Path
) -> None:
    change_everything(sdk)
    last = None
    for index in range(12):
        last = sdk.actors.create(name=f"Burst {index}")
    assert last is not None
    sequenced(sdk, last.id, 1)
    head = max(e.seq for e in sdk.events.list(limit=200))
    assert head > 15

    path = tmp_path / "mirror.db"
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD), sdk_server, admin_key, str(path), "3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr

    with SQLiteStore(path) as store:
        killed_at = store.last_seq()
        assert 0 < killed_at < head  # two pages committed, the third lost with the process
        assert stored(store) == feed_replay(sdk, killed_at)

    with Mirror(sdk, path) as mirror:
        assert mirror.last_seq == killed_at
        applied = mirror.sync()
        after = [
            e
            for e in sdk.events.list(after=killed_at, limit=200)
            if e.seq <= mirror.last_seq and e.resource in KINDS
        ]
        assert applied == len(after)
        assert stored(mirror.store) == feed_replay(sdk, mirror.last_seq)  # type: ignore[arg-type]
        assert mirrored(mirror) == live(sdk)


async def test_async_mirror(async_sdk: claimledger.AsyncClient, tmp_path: Path) -> None:
    actor = await async_sdk.actors.create(name="Mirrored asynchronously")
    deadline = time.monotonic() + SEQUENCED_SECONDS
    async with AsyncMirror(async_sdk, tmp_path / "mirror.db", page_size=50) as mirror:
        applied = await mirror.sync()
        while actor.id not in mirror.actors and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            applied += await mirror.sync()
        assert applied > 0
        assert mirror.actors.get(actor.id) == actor
        listed = [
            msgspec.to_builtins(a) async for a in async_sdk.actors.list(include_deleted=False)
        ]
        assert [msgspec.to_builtins(a) for a in mirror.actors] == sorted(
            listed, key=lambda a: a["id"]
        )


# ---------------------------------------------------------------------------------- scripted


def event(seq: int, kind: str, resource_id: str, version: int, action: str) -> dict[str, Any]:
    data = {"id": resource_id, "version": version, "deleted": action == "deleted"}
    return {
        "id": f"evt_{seq}",
        "seq": seq,
        "type": f"{kind}.{action}",
        "occurred_at": "2025-01-01T00:00:00Z",
        "resource": kind,
        "resource_id": resource_id,
        "version": version,
        "data": data,
    }


FEED = [
    event(1, "actor", "act_1", 1, "created"),
    event(2, "webhook_endpoint", "whe_1", 1, "disabled"),
    event(3, "actor", "act_1", 2, "updated"),
    event(4, "actor", "act_2", 1, "created"),
    event(5, "actor", "act_2", 2, "deleted"),
    event(6, "relation", "rel_1", 1, "created"),  # a kind this SDK does not know yet
]


def scripted_client(feed: list[dict[str, Any]], requests: list[httpx.Request]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        after = int(request.url.params.get("cursor") or request.url.params.get("after", 0))
        limit = int(request.url.params.get("limit", 100))
        rest = [e for e in feed if e["seq"] > after]
        page = rest[:limit]
        more = len(rest) > limit
        return httpx.Response(
            200, json={"data": page, "next_cursor": str(page[-1]["seq"]) if more else None}
        )

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return claimledger.Client("http://feed.test", "clk_test", http_client=http)


@pytest.mark.parametrize("where", ["memory", "sqlite"])
def test_paging_skipping_tombstones_and_idempotent_replays(tmp_path: Path, where: str) -> None:
    requests: list[httpx.Request] = []
    client = scripted_client(FEED, requests)
    store: MemoryStore | SQLiteStore = (
        MemoryStore() if where == "memory" else SQLiteStore(tmp_path / "m.db")
    )
    with Mirror(client, store, page_size=2) as mirror:
        assert mirror.sync() == 4  # 6 events; the webhook and relation ones passed over
        assert mirror.last_seq == 6  # …but read past
        assert [r.url.params.get("after") for r in requests] == ["0", "0", "0"]
        assert [r.url.params.get("limit") for r in requests] == ["2", "2", "2"]
        assert [r.version for r in store.records("actor", include_deleted=True)] == [2, 2]
        assert [r.id for r in store.records("actor")] == ["act_1"]
        assert store.count("actor") == 1
        assert store.count("actor", include_deleted=True) == 2
        assert store.count("webhook_endpoint", include_deleted=True) == 0
        assert store.get("actor", "act_2") == Record(
            "actor", "act_2", 2, True, '{"id":"act_2","version":2,"deleted":true}'
        )

        # Replays apply nothing: not the same events, not older versions, not the seq.
        assert store.apply([Record("actor", "act_1", 1, False, "{}")], 3) == 0
        assert store.apply([Record("actor", "act_2", 1, False, "{}")], 1) == 0
        assert store.last_seq() == 6
        assert store.get("actor", "act_1").json != "{}"  # type: ignore[union-attr]

        requests.clear()
        FEED.append(event(7, "actor", "act_1", 3, "updated"))
        try:
            assert mirror.sync() == 1
        finally:
            FEED.pop()
        assert [r.url.params.get("after") for r in requests] == ["6"]
        assert mirror.last_seq == 7
        assert mirror.sync() == 0


def test_a_failed_page_writes_nothing(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "m.db") as store:
        store.apply([Record("claim", "clm_1", 1, False, "{}")], 1)
        broken = Record("claim", "clm_3", 1, False, None)  # type: ignore[arg-type]
        with pytest.raises(sqlite3.IntegrityError):
            store.apply([Record("claim", "clm_2", 1, False, "{}"), broken], 2)
        assert [r.id for r in store.records("claim")] == ["clm_1"]
        assert store.last_seq() == 1


def test_arguments_are_checked(tmp_path: Path) -> None:
    client = scripted_client([], [])
    with pytest.raises(ValueError, match="page_size"):
        Mirror(client, page_size=500)
    with Mirror(client) as mirror:
        with pytest.raises(ValueError, match="unknown kind"):
            mirror.get("webhook_endpoint", "whe_1")  # type: ignore[call-overload]
        assert mirror.sync() == 0
        assert mirror.last_seq == 0
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 99 WHERE key = 'schema'")
    db.close()
    with pytest.raises(ValueError, match="format 99"):
        SQLiteStore(path)


def test_the_former_names_still_work() -> None:
    """`claimledger.sync` was renamed `claimledger.mirror`, and `ConnectionError` (which
    shadowed the builtin) `APIConnectionError`: old code keeps working."""
    import claimledger
    import claimledger.sync

    assert claimledger.sync.Mirror is Mirror
    assert claimledger.sync.AsyncMirror is AsyncMirror
    with pytest.warns(DeprecationWarning, match="APIConnectionError"):
        assert claimledger.ConnectionError is claimledger.APIConnectionError
    # A builtin ConnectionError handler written without the SDK in mind catches it too.
    assert issubclass(claimledger.APIConnectionError, ConnectionError)
    assert issubclass(claimledger.Timeout, ConnectionError)
