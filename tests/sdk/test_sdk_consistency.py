"""The SDK remembers the greatest `ClaimLedger-Consistency` token it saw and sends it with
every request: against a scripted transport, and against the app reading from a real
streaming replica whose replay is paused."""

from typing import Any

import claimledger
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.replica import StreamingPair

HEADER = "ClaimLedger-Consistency"
BASE = "http://claimledger.test"
EVENTS = {"data": [], "next_cursor": None}


class Server:
    """Answers every request with an empty events page and the next scripted token."""

    def __init__(self, *tokens: str | None, status: int = 200) -> None:
        self.tokens = list(tokens)
        self.status = status
        self.sent: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.headers.get(HEADER))
        token = self.tokens.pop(0) if self.tokens else None
        headers = {HEADER: token} if token else {}
        if self.status != 200:
            body = {"type": "urn:x", "title": "Not Found", "status": self.status}
            return httpx.Response(self.status, json=body, headers=headers)
        return httpx.Response(200, json=EVENTS, headers=headers)


def client(server: Server, **options: Any) -> claimledger.Client:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return claimledger.Client(BASE, "clk_test", http_client=http, max_retries=0, **options)


def read(sdk: claimledger.Client, times: int = 1) -> None:
    for _ in range(times):
        sdk.events.list().first_page()


def test_the_greatest_token_seen_goes_with_every_request() -> None:
    # Out of order (another thread's older read answering late) and a bigger number with
    # fewer digits: tokens are compared by the position they name, not as text.
    server = Server("lsn:0/FF", "lsn:0/20", "lsn:1/0", "lsn:0/FFFFFFFF", None)
    sdk = client(server)
    read(sdk, 6)
    assert server.sent == [None, "lsn:0/FF", "lsn:0/FF", "lsn:1/0", "lsn:1/0", "lsn:1/0"]
    assert sdk.consistency_token == "lsn:1/0"


def test_error_answers_carry_tokens_too() -> None:
    server = Server("lsn:0/A", status=404)
    sdk = client(server)
    with pytest.raises(claimledger.NotFound):
        read(sdk)
    assert sdk.consistency_token == "lsn:0/A"


def test_a_token_the_sdk_cannot_read_is_not_kept() -> None:
    server = Server("lsn:0/A", "v2:opaque")
    sdk = client(server)
    read(sdk, 3)
    assert server.sent == [None, "lsn:0/A", "lsn:0/A"]


def test_read_your_writes_can_be_turned_off() -> None:
    server = Server("lsn:0/A", "lsn:0/B")
    sdk = client(server, read_your_writes=False)
    read(sdk, 3)
    assert server.sent == [None, None, None]
    assert sdk.consistency_token == "lsn:0/B", "still known, for whoever wants it"


def test_a_token_in_default_headers_is_left_alone() -> None:
    server = Server("lsn:0/B")
    sdk = client(server, default_headers={HEADER: "lsn:0/A"})
    read(sdk, 2)
    assert server.sent == ["lsn:0/A", "lsn:0/A"]


def test_the_token_can_be_set_and_is_shared_with_variants() -> None:
    server = Server(None, "lsn:0/C")
    sdk = client(server)
    sdk.consistency_token = "lsn:0/B"  # carried over from another process, say
    variant = sdk.with_options(timeout=5)
    read(variant, 2)
    assert server.sent == ["lsn:0/B", "lsn:0/B"]
    assert sdk.consistency_token == "lsn:0/C"
    sdk.consistency_token = None
    read(sdk)
    assert server.sent[-1] is None


async def test_the_async_client_does_the_same() -> None:
    server = Server("lsn:0/2", "lsn:0/1")
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    async with claimledger.AsyncClient(BASE, "clk_test", http_client=http) as sdk:
        for _ in range(3):
            await sdk.events.list().first_page()
    assert server.sent == [None, "lsn:0/2", "lsn:0/2"]


# --- against the app reading from a real streaming replica ---------------------------------


@pytest.fixture
def replica_sdks(
    replica_client: AsyncTestClient[Litestar], replica_admin_key: str
) -> tuple[claimledger.AsyncClient, claimledger.AsyncClient]:
    """Two SDK clients of the app on the replica pair: one as shipped, one not sending
    tokens. (The app runs in this process; the SDK sends through its test client.)"""
    url = str(replica_client.base_url)
    options: dict[str, Any] = {"http_client": replica_client, "max_retries": 0}
    return (
        claimledger.AsyncClient(url, replica_admin_key, **options),
        claimledger.AsyncClient(url, replica_admin_key, read_your_writes=False, **options),
    )


@pytest.mark.slow
async def test_the_sdk_reads_its_writes_back_while_the_replica_lags(
    replica_sdks: tuple[claimledger.AsyncClient, claimledger.AsyncClient],
    replica_app: Litestar,
    streaming_replica: StreamingPair,
) -> None:
    sdk, blind = replica_sdks
    await streaming_replica.pause_replay()
    try:
        made = await sdk.actors.create(name="Volodymyr Zelenskyy", kind="person")
        read = await sdk.actors.get(made.id)
        assert read.version == 1
        changed = await sdk.actors.update(read, role="president")  # If-Match: "1"
        again = await sdk.actors.get(made.id)
        assert (again.version, again.role) == (2, "president") == (changed.version, changed.role)
        assert [v.version async for v in sdk.actors.versions(made.id)] == [1, 2]
        with pytest.raises(claimledger.NotFound):
            await blind.actors.get(made.id)  # the paused replica has not replayed it
    finally:
        await streaming_replica.resume_replay()
    assert replica_app.state.reads.served_by_primary >= 3


@pytest.mark.slow
async def test_the_sdk_reads_through_the_running_replica(
    replica_sdks: tuple[claimledger.AsyncClient, claimledger.AsyncClient],
    replica_app: Litestar,
) -> None:
    sdk, _ = replica_sdks
    reads = replica_app.state.reads
    by_replica = reads.served_by_replica
    for n in range(100):
        made = await sdk.sources.create(kind="other", title=f"round {n}")
        read = await sdk.sources.get(made.id)
        changed = await sdk.sources.update(read, title=f"round {n}, revised")
        assert (await sdk.sources.get(made.id)).version == changed.version == 2
    assert reads.served_by_replica - by_replica > 100
