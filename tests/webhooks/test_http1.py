"""The webhook HTTP/1.1 client against scripted servers on loopback: connection reuse and
when it must not happen, body framings, cut-off answers, and malformed ones."""

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from claimledger_server.webhooks import http1, safety

# (request number on this connection, connection number) -> raw answer, or None to close
# the connection without answering.
Script = Callable[[int, int], bytes | None]

NO_CONTENT = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"


@dataclass
class Server:
    script: Script
    close_after_answer: bool = False
    port: int = 0
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    """Each request's head and body as received."""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = self.connections
        self.connections += 1
        try:
            for number in range(1_000):
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.lower().split(b"\r\n")
                    if line.startswith(b"content-length:")
                )
                self.requests.append(head + await reader.readexactly(length))
                answer = self.script(number, connection)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def serving(
    script: Script, tls: ssl.SSLContext | None = None, *, close_after_answer: bool = False
) -> AsyncIterator[Server]:
    server = Server(script, close_after_answer)
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=tls)
    server.port = listening.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listening.close()


async def target(server: Server, url: str | None = None) -> safety.Pinned:
    return await safety.check(
        url or f"http://127.0.0.1:{server.port}/hooks?x=1", allow_private=True
    )


async def post(
    client: http1.Client, pinned: safety.Pinned, read_limit: int = 1024
) -> tuple[int, dict[str, str], bytes]:
    headers = {"content-type": "application/json", "webhook-id": "evt_1"}
    async with client.post(pinned, headers, b'{"a":1}', read_limit=read_limit) as response:
        return response.status, dict(response.headers), await response.read()


def answer(status: str, *headers: str, body: bytes = b"") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\n{''.join(h + chr(13) + chr(10) for h in headers)}\r\n".encode()
        + body
    )


async def test_one_request_in_one_buffer_with_the_pinned_host() -> None:
    async with serving(lambda n, c: NO_CONTENT) as server:
        client = http1.Client(max_idle=4)
        pinned = await safety.check(
            f"http://hooks.internal:{server.port}/in?x=1",
            allow_private=True,
            resolver=lambda host, port: _resolved("127.0.0.1"),
        )
        assert await post(client, pinned) == (204, {"content-length": "0"}, b"")
        await client.aclose()
    (request,) = server.requests
    assert (
        request
        == (
            f"POST /in?x=1 HTTP/1.1\r\nhost: hooks.internal:{server.port}\r\n"
            "content-type: application/json\r\nwebhook-id: evt_1\r\ncontent-length: 7\r\n\r\n"
            '{"a":1}'
        ).encode()
    )


async def _resolved(*addresses: str) -> list[str]:
    return list(addresses)


async def test_a_kept_alive_connection_is_reused() -> None:
    ok = answer("200 OK", "content-length: 2", body=b"ok")
    async with serving(lambda n, c: ok) as server:
        client = http1.Client(max_idle=4)
        pinned = await target(server)
        for _ in range(5):
            assert await post(client, pinned) == (200, {"content-length": "2"}, b"ok")
        await client.aclose()
    assert server.connections == 1
    assert len(server.requests) == 5


async def test_parallel_requests_use_a_connection_each() -> None:
    async with serving(lambda n, c: NO_CONTENT) as server:
        client = http1.Client(max_idle=8)
        pinned = await target(server)
        for _ in range(3):
            statuses = await asyncio.gather(*(post(client, pinned) for _ in range(8)))
            assert {s for s, _, _ in statuses} == {204}
        await client.aclose()
    assert server.connections == 8  # the second and third rounds reuse them


async def test_chunked_bodies_are_read_and_the_connection_kept() -> None:
    chunked = answer(
        "503 Service Unavailable",
        "transfer-encoding: chunked",
        "retry-after: 7",
        body=b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    )
    async with serving(lambda n, c: chunked) as server:
        client = http1.Client(max_idle=4)
        pinned = await target(server)
        for _ in range(2):
            status, headers, body = await post(client, pinned)
            assert (status, headers["retry-after"], body) == (503, "7", b"hello world")
        await client.aclose()
    assert server.connections == 1


async def test_a_body_over_the_limit_is_cut_and_its_connection_closed() -> None:
    big = answer("200 OK", "content-length: 1000000", body=b"x" * 1_000_000)
    async with serving(lambda n, c: big) as server:
        client = http1.Client(max_idle=4)
        pinned = await target(server)
        for _ in range(2):
            status, _, body = await post(client, pinned, read_limit=1000)
            assert (status, body) == (200, b"x" * 1000)
        await client.aclose()
    assert server.connections == 2  # never drained, never reused


async def test_connection_close_and_http_1_0_answers_are_not_reused() -> None:
    closing = answer("200 OK", "connection: close", "content-length: 0")
    old = b"HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n"
    for script in (closing, old):
        async with serving(lambda n, c, script=script: script if n == 0 else None) as server:
            client = http1.Client(max_idle=4)
            pinned = await target(server)
            for _ in range(3):
                assert (await post(client, pinned))[0] == 200
            await client.aclose()
        assert server.connections == 3


async def test_a_body_without_length_ends_with_the_connection() -> None:
    until_close = answer("200 OK", body=b"all of it")
    async with serving(lambda n, c: until_close, close_after_answer=True) as server:
        client = http1.Client(max_idle=4)
        status, _, body = await post(client, await target(server))
        assert (status, body) == (200, b"all of it")
        await client.aclose()


async def test_interim_answers_are_skipped() -> None:
    interim = b"HTTP/1.1 100 Continue\r\n\r\n" + answer("201 Created", "content-length: 0")
    async with serving(lambda n, c: interim) as server:
        client = http1.Client(max_idle=4)
        assert (await post(client, await target(server)))[0] == 201
        await client.aclose()


async def test_an_idle_connection_the_server_closed_is_not_used() -> None:
    # The server answers one request per connection, then closes without saying so.
    async with serving(lambda n, c: NO_CONTENT, close_after_answer=True) as server:
        client = http1.Client(max_idle=4)
        pinned = await target(server)
        for _ in range(3):
            assert (await post(client, pinned))[0] == 204
            await asyncio.sleep(0.05)  # the close arrives while the connection is idle
        await client.aclose()
    assert server.connections == 3


async def test_a_request_the_stale_connection_dropped_is_sent_again_once() -> None:
    # Closed only when the second request arrives (the race the idle check cannot see):
    # nothing of an answer came back, so the client tries once more on a new connection.
    async with serving(lambda n, c: NO_CONTENT if n == 0 else None) as server:
        client = http1.Client(max_idle=4)
        pinned = await target(server)
        assert (await post(client, pinned))[0] == 204
        assert (await post(client, pinned))[0] == 204
        await client.aclose()
    assert server.connections == 2
    assert len(server.requests) == 3  # the second request reached the closing server too


async def test_a_new_connection_closed_without_answer_is_an_error() -> None:
    async with serving(lambda n, c: None) as server:
        client = http1.Client(max_idle=4)
        with pytest.raises(http1.ProtocolError, match="closed the connection before answering"):
            await post(client, await target(server))
        await client.aclose()
    assert server.connections == 1  # no second try on a fresh connection


async def test_a_body_cut_short_is_an_error_after_the_status() -> None:
    short = answer("200 OK", "content-length: 100", body=b"only this")
    async with serving(lambda n, c: short, close_after_answer=True) as server:
        client = http1.Client(max_idle=4)
        headers = {"webhook-id": "evt_1"}
        async with client.post(await target(server), headers, b"{}", read_limit=1024) as response:
            assert response.status == 200
            with pytest.raises(http1.ProtocolError, match="before the response body ended"):
                await response.read()
        await client.aclose()


@pytest.mark.parametrize(
    "raw", [b"NOT HTTP AT ALL\r\n\r\n", b"HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n"]
)
async def test_malformed_answers_are_errors(raw: bytes) -> None:
    async with serving(lambda n, c: raw) as server:
        client = http1.Client(max_idle=4)
        with pytest.raises(http1.ProtocolError, match="malformed response"):
            await post(client, await target(server))
        await client.aclose()


async def test_headers_cannot_smuggle_lines() -> None:
    async with serving(lambda n, c: NO_CONTENT) as server:
        client = http1.Client(max_idle=4)
        pinned = await target(server)
        with pytest.raises(http1.ProtocolError, match="line break"):
            async with client.post(pinned, {"x": "a\r\nevil: 1"}, b"", read_limit=10):
                pass
        await client.aclose()
    assert server.requests == []


async def test_refused_connections_raise_os_errors() -> None:
    async with serving(lambda n, c: NO_CONTENT) as server:
        pinned = await target(server)
    client = http1.Client(max_idle=4)
    with pytest.raises(ConnectionRefusedError):
        await post(client, pinned)


async def test_tls_uses_the_url_host_as_server_name_on_the_pinned_address() -> None:
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("hooks.example.com").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    authority.configure_trust(client_tls)
    names: list[str | None] = []
    server_tls.sni_callback = lambda sock, name, context: names.append(name)  # type: ignore[assignment,func-returns-value]
    async with serving(lambda n, c: NO_CONTENT, tls=server_tls) as server:
        client = http1.Client(max_idle=4, tls=client_tls)
        pinned = await safety.check(
            f"https://hooks.example.com:{server.port}/in",
            allow_private=True,
            resolver=lambda host, port: _resolved("127.0.0.1"),
        )
        assert (await post(client, pinned))[0] == 204
        assert (await post(client, pinned))[0] == 204
        # A certificate for another name is refused.
        wrong = pinned._replace(sni_hostname="other.example.com", host_header="other.example.com")
        with pytest.raises(ssl.SSLCertVerificationError):
            await post(client, wrong)
        await client.aclose()
    assert names[:1] == ["hooks.example.com"]
    # One connection for both good requests; the refused one never got past the handshake.
    assert server.connections == 1


@pytest.mark.parametrize(
    "scenario",
    [
        test_a_kept_alive_connection_is_reused,
        test_chunked_bodies_are_read_and_the_connection_kept,
        test_a_body_over_the_limit_is_cut_and_its_connection_closed,
        test_an_idle_connection_the_server_closed_is_not_used,
        test_a_request_the_stale_connection_dropped_is_sent_again_once,
        test_a_body_without_length_ends_with_the_connection,
    ],
)
def test_under_uvloop_as_the_api_process_runs(scenario: Callable[[], Any]) -> None:
    uvloop = pytest.importorskip("uvloop")
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(scenario())
