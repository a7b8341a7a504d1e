"""The consistency token (`consistency.py`) on a server without a replica, and where reads
go (`ReadRouting`) against a stand-in replica whose replay position the test moves. The
real streaming replica is in `test_replica_reads.py`."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from claimledger_server import consistency
from claimledger_server.app import create_app, openapi_document
from claimledger_server.config import Settings
from claimledger_server.consistency import HEADER, ReadRouting, format_token, parse_token
from claimledger_server.openapi_docs import writes_nothing
from factories import assert_problem, source, uid

pytestmark = pytest.mark.usefixtures("database_url")


def position(response: Any) -> int:
    return parse_token(response.headers[HEADER])


@pytest.mark.parametrize(
    ("lsn", "token"),
    [(0, "lsn:0/0"), (0x16B3748, "lsn:0/16B3748"), (2**64 - 1, "lsn:FFFFFFFF/FFFFFFFF")],
)
def test_tokens_spell_positions_as_postgresql_does(lsn: int, token: str) -> None:
    assert format_token(lsn) == token
    assert parse_token(token) == lsn
    assert parse_token(token.lower()) == lsn


async def test_every_write_answers_a_token_past_the_last(client: Any) -> None:
    made = await client.post("/v1/sources", json={"kind": "other", "title": "t"})
    assert made.status_code == 201
    url = f"/v1/sources/{made.json()['id']}"
    changed = await client.patch(url, json={"title": "u"}, headers={"If-Match": '"1"'})
    unchanged = await client.patch(url, json={"title": "u"})
    removed = await client.delete(url)
    imported = await client.post(
        "/v1/import",
        content=f'{{"kind": "actor", "external_id": "{uid()}", "data": {{"name": "A"}}}}\n',
        headers={"Content-Type": "application/x-ndjson"},
    )
    responses = [made, changed, unchanged, removed, imported]
    assert [r.status_code for r in responses] == [201, 200, 200, 200, 200]
    positions = [position(r) for r in responses]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


async def test_a_replayed_request_answers_a_token_too(client: Any) -> None:
    """A client whose first answer was lost gets one from the replay, at or past the write."""
    body, headers = {"kind": "other", "title": "once"}, {"Idempotency-Key": uid()}
    first = await client.post("/v1/sources", json=body, headers=headers)
    replay = await client.post("/v1/sources", json=body, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true"
    assert position(replay) >= position(first)


async def test_a_failed_write_answers_no_token(client: Any) -> None:
    made = await source(client)
    stale = await client.patch(
        f"/v1/sources/{made['id']}", json={"title": "x"}, headers={"If-Match": '"7"'}
    )
    assert_problem(stale, 412)
    assert HEADER not in stale.headers


async def test_without_a_replica_reads_echo_the_token_they_got(client: Any) -> None:
    made = await client.post("/v1/sources", json={"kind": "other", "title": "t"})
    url = f"/v1/sources/{made.json()['id']}"
    read = await client.get(url, headers={HEADER: made.headers[HEADER]})
    assert read.status_code == 200
    assert read.headers[HEADER] == made.headers[HEADER]
    assert HEADER not in (await client.get(url)).headers
    listed = await client.get("/v1/sources", headers={HEADER: "lsn:0/1"})
    assert listed.headers[HEADER] == "lsn:0/1"


@pytest.mark.parametrize(
    "token",
    ["0/16B3748", "lsn:", "lsn:0/", "lsn:16B3748", "lsn:123456789/0", "lsn:0/G", "lsn:0/1 x"],
)
@pytest.mark.parametrize(
    "path", ["/v1/sources", "/v1/claims/clm_00000000000000000000000000", "/v1/events"]
)
async def test_a_malformed_token_is_a_400_naming_the_header(
    client: Any, path: str, token: str
) -> None:
    assert_problem(await client.get(path, headers={HEADER: token}), 400, HEADER)


def test_reads_declare_the_token_and_writes_answer_it() -> None:
    document = json.loads(openapi_document())
    read_only = writes_nothing(create_app(Settings(database_url="postgresql://unused")).routes)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            security = operation.get("security")
            if security == [{}]:
                continue  # the probes
            # Webhooks and keys are read from the primary: configuration, not the dataset.
            if method == "get" and not path.startswith(("/v1/webhooks", "/v1/keys")):
                names = [p["name"] for p in operation.get("parameters", [])]
                assert HEADER in names, (method, path)
                assert HEADER in operation["responses"]["200"]["headers"], (method, path)
            elif operation["operationId"] in read_only:  # writes nothing
                ok = next(s for s in operation["responses"] if s.startswith("2"))
                assert HEADER not in operation["responses"][ok].get("headers", {}), path
            elif method != "get":
                ok = next(s for s in operation["responses"] if s.startswith("2"))
                header = operation["responses"][ok]["headers"][HEADER]
                assert header["required"] is True, (method, path)


def test_the_wait_is_configured_in_seconds() -> None:
    assert Settings.from_env({}).replica_wait_seconds == 0.05
    chosen = Settings.from_env({"CLAIMLEDGER_REPLICA_WAIT_SECONDS": "0.2"})
    assert chosen.replica_wait_seconds == 0.2
    for wrong in ("-1", "61", "soon"):
        with pytest.raises(SystemExit, match="CLAIMLEDGER_REPLICA_WAIT_SECONDS"):
            Settings.from_env({"CLAIMLEDGER_REPLICA_WAIT_SECONDS": wrong})


# --- ReadRouting against a stand-in replica ------------------------------------------------


class Standby:
    """What ReadRouting asks of a replica pool: its replay position, as the test sets it."""

    def __init__(self, replayed: int | None = 100, in_recovery: bool = True) -> None:
        self.replayed = replayed
        self.in_recovery = in_recovery
        self.asked = 0

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator["Standby"]:
        yield self

    async def fetchrow(self, statement: str) -> tuple[bool, int | None]:
        assert "pg_last_wal_replay_lsn()" in statement
        self.asked += 1
        await asyncio.sleep(0.001)
        return self.in_recovery, self.replayed


PRIMARY: Any = object()


def routing(standby: Standby, wait_seconds: float = 0.05) -> ReadRouting:
    return ReadRouting(PRIMARY, standby, wait_seconds)  # type: ignore[arg-type]


async def test_reads_without_a_token_go_to_the_replica_unasked() -> None:
    standby = Standby()
    reads = routing(standby)
    assert await reads.choose(None) == (standby, None)
    await asyncio.sleep(0.01)  # the position is learnt meanwhile, for later answers
    assert standby.asked == 1
    assert await reads.choose(None) == (standby, 100)
    assert standby.asked == 1


async def test_a_token_the_replica_is_known_to_have_costs_no_question() -> None:
    standby = Standby()
    reads = routing(standby)
    assert await reads.choose(90) == (standby, 100)
    assert await reads.choose(100) == (standby, 100)
    assert standby.asked == 1


async def test_a_read_waits_for_the_replica_to_catch_up() -> None:
    standby = Standby(replayed=100)
    reads = routing(standby)

    async def replay_later() -> None:
        await asyncio.sleep(0.01)
        standby.replayed = 150

    replaying = asyncio.create_task(replay_later())
    assert await reads.choose(120) == (standby, 150)
    await replaying
    assert 2 <= standby.asked < 10
    assert (reads.served_by_replica, reads.served_by_primary) == (1, 0)


async def test_past_the_wait_the_primary_answers() -> None:
    standby = Standby(replayed=100)
    reads = routing(standby, wait_seconds=0.03)
    started = asyncio.get_running_loop().time()
    assert await reads.choose(101) == (PRIMARY, 101)
    waited = asyncio.get_running_loop().time() - started
    assert 0.03 <= waited < 0.5
    assert reads.served_by_primary == 1
    assert await routing(standby, wait_seconds=0).choose(101) == (PRIMARY, 101)


async def test_reads_waiting_together_share_each_question() -> None:
    standby = Standby(replayed=100)
    reads = routing(standby, wait_seconds=0.02)
    chosen = await asyncio.gather(*(reads.choose(200 + n) for n in range(50)))
    assert all(pool is PRIMARY for pool, _ in chosen)
    assert standby.asked < 20, "one question per poll, not one per read"


async def test_a_known_position_is_asked_again_once_old(monkeypatch: pytest.MonkeyPatch) -> None:
    """A standby restarted after a crash may be behind what the process saw before."""
    monkeypatch.setattr(consistency, "TRUST_SECONDS", 0.02)
    standby = Standby(replayed=100)
    reads = routing(standby, wait_seconds=0)
    assert await reads.choose(100) == (standby, 100)
    standby.replayed = 50
    await asyncio.sleep(0.03)
    assert await reads.choose(100) == (PRIMARY, 100)
    assert await reads.choose(None) == (standby, 50)


async def test_a_read_server_that_replays_nothing_has_every_commit() -> None:
    """DATABASE_READ_URL naming a primary, or a standby promoted since."""
    standby = Standby(replayed=None, in_recovery=False)
    reads = routing(standby, wait_seconds=0)
    assert await reads.choose(2**40) == (standby, 2**40)
    assert await reads.choose(2**50) == (standby, 2**50)
    assert standby.asked == 1


async def test_a_committed_write_whose_position_cannot_be_read_still_succeeds() -> None:
    """The connection may die with the COMMIT's answer (a server restart): the write is
    answered, without a token, not failed."""

    class Dying:
        async def fetchval(self, statement: str) -> int:
            raise asyncpg.InternalClientError("cannot switch to state 12")

    scope: Any = {"state": {"response_headers": []}}
    with consistency.serving(scope):
        await consistency.after_commit(Dying())  # type: ignore[arg-type]
    assert scope["state"]["response_headers"] == []

    class Alive:
        async def fetchval(self, statement: str) -> int:
            assert statement == "SELECT pg_current_wal_insert_lsn()"
            return 0x16B3748

    with consistency.serving(scope):
        await consistency.after_commit(Alive())  # type: ignore[arg-type]
    assert scope["state"]["response_headers"] == [(b"claimledger-consistency", b"lsn:0/16B3748")]
    await consistency.after_commit(Dying())  # type: ignore[arg-type]  # outside a request
