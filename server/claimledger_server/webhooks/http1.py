"""A small HTTP/1.1 client for webhook deliveries: one POST at a time per connection, to the
address `safety.check` pinned, over connections kept alive per (scheme, address, port, TLS
server name). Responses are parsed by httptools (llhttp, the parser uvicorn and Node use):
Content-Length, chunked and close-delimited bodies, of which at most `read_limit` bytes are
kept.

Deliberately absent, compared with a general client: redirects (a 3xx is the answer),
proxies and credentials from the environment, cookies, compression, pipelining. A worker
sends thousands of deliveries a second through this, so the request goes out in one write
and a response on loopback usually takes a single wake-up."""

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import cast
from urllib.parse import quote

import httptools

from claimledger_server.webhooks.safety import Pinned

MAX_HEAD = 64 * 1024
"""Bytes of status line and headers accepted before the answer is refused."""
IDLE_SECONDS = 30.0
"""An idle connection older than this is closed rather than reused: servers close idle
connections after 5-75 s, and ours should not outlive the endpoints we stop sending to."""

# Printable ASCII that may stay as is in a request target; the rest is percent-encoded.
_TARGET_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))


class ProtocolError(Exception):
    """The answer was not valid HTTP/1.1, or the connection ended before it was complete."""


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection and the response being read on it. Bytes arriving while
    no request is outstanding mean the connection cannot be trusted any more."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[None] | None = None
        self.lost: Exception | None = None
        self.closed = False
        self.idle_since = 0.0
        self._start(0)

    def _start(self, read_limit: int) -> None:
        self.active = read_limit > 0
        self.read_limit = read_limit
        self.received = 0
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = bytearray()
        self.head_done = False
        self.complete = False
        self.keep_alive = False
        self.overflow = False
        self.delimited_by_close = False

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport, though under uvloop (as `serve` runs) not an asyncio.Transport.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if not self.active or self.complete:
            self.close()  # unsolicited bytes (e.g. a 408 before an idle close)
            return
        self.received += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            if not self.complete:  # after it, extra bytes only spoil the reuse
                self.lost = ProtocolError(f"malformed response: {exc}")
            self.close()
            self._wake()
            return
        if not self.head_done and self.received > MAX_HEAD:
            self.lost = ProtocolError(f"response headers longer than {MAX_HEAD} bytes")
            self.close()
        if self.head_done and len(self.body) >= self.read_limit:
            self.overflow = True  # enough read; the rest is never downloaded
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if exc is not None and self.lost is None:
            self.lost = exc
        self._wake()

    # httptools callbacks

    def on_message_begin(self) -> None:
        if self.complete:
            self.overflow = True  # a second answer to one request: never reuse
        self.headers.clear()

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        self.headers[key] = f"{self.headers[key]}, {text}" if key in self.headers else text

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:
            return  # an interim answer (100 Continue); the real one follows
        self.status = status
        self.head_done = True
        self.delimited_by_close = (
            "content-length" not in self.headers
            and "transfer-encoding" not in self.headers
            and status not in (204, 304)
        )

    def on_body(self, body: bytes) -> None:
        room = self.read_limit - len(self.body)
        if room > 0:
            self.body += body[:room]

    def on_message_complete(self) -> None:
        if self.head_done:
            self.complete = True
            self.keep_alive = self.parser.should_keep_alive()  # only valid right now

    # used by the client

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def _wait_until(self, done: Callable[["_Connection"], bool]) -> None:
        loop = asyncio.get_running_loop()
        while not done(self):
            if self.lost is not None:
                raise self.lost
            if self.closed:
                raise ProtocolError(
                    "the server closed the connection before answering"
                    if not self.head_done
                    else "the server closed the connection before the response body ended"
                )
            self.waiter = loop.create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None

    async def exchange(self, request: bytes, read_limit: int) -> None:
        """Send `request` and read the status line and headers of its answer."""
        assert self.transport is not None
        self._start(read_limit)
        self.transport.write(request)
        await self._wait_until(_head_read)

    async def read_body(self) -> bytes:
        """The body, cut at `read_limit` bytes; a close-delimited body ends at the close."""
        if self.delimited_by_close:
            self.keep_alive = False
            try:
                await self._wait_until(_body_read)
            except ProtocolError:
                if self.lost is not None:
                    raise
        else:
            await self._wait_until(_body_read)
        return bytes(self.body)

    def reusable(self) -> bool:
        return self.complete and self.keep_alive and not self.overflow and not self.closed

    def idle(self) -> None:
        self.idle_since = time.monotonic()
        self.active = False


def _head_read(connection: _Connection) -> bool:
    return connection.head_done


def _body_read(connection: _Connection) -> bool:
    return connection.complete or connection.overflow


def _request(target: Pinned, headers: Mapping[str, str], body: bytes) -> bytes:
    """Request line, headers and body in one buffer: one write, one packet when small."""
    path = target.target if target.target.isascii() else quote(target.target, safe=_TARGET_SAFE)
    host = target.host_header if target.host_header.isascii() else _idna(target.host_header)
    fields = path + host + "".join(headers) + "".join(headers.values())
    if "\r" in fields or "\n" in fields or "\0" in fields:
        raise ProtocolError("a line break in the request head")  # no smuggled headers
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    try:
        encoded = f"POST {path} HTTP/1.1\r\nhost: {host}\r\n{head}".encode("ascii")
    except UnicodeEncodeError:
        raise ProtocolError("a request header is not ASCII") from None
    return b"%scontent-length: %d\r\n\r\n%s" % (encoded, len(body), body)


def _idna(netloc: str) -> str:
    """`bücher.example:8443` as the Host header carries it: `xn--bcher-kva.example:8443`."""
    host, colon, port = netloc.rpartition(":")
    if not colon or not port.isdigit():
        host, colon, port = netloc, "", ""
    try:
        return host.encode("idna").decode("ascii") + colon + port
    except UnicodeError as exc:
        raise ProtocolError(f"invalid host name: {exc}") from None


class Response:
    """The answer's status and headers (names lower-cased), and its body on request."""

    def __init__(self, connection: _Connection) -> None:
        self._connection = connection
        self.status = connection.status
        self.headers: Mapping[str, str] = connection.headers

    async def read(self) -> bytes:
        return await self._connection.read_body()


_Origin = tuple[str, str, int, str | None]


class Client:
    """Kept-alive connections per origin, each used by one request at a time."""

    def __init__(self, max_idle: int, tls: ssl.SSLContext | None = None) -> None:
        """`tls` verifies servers; by default against the system's certificate authorities."""
        self.max_idle = max_idle
        self._idle: dict[_Origin, list[_Connection]] = {}
        self._idle_count = 0
        self._swept = time.monotonic()
        self._tls = tls

    @asynccontextmanager
    async def post(
        self, target: Pinned, headers: Mapping[str, str], body: bytes, *, read_limit: int
    ) -> AsyncIterator[Response]:
        """POST `body` to the pinned target. The connection returns to the pool only when
        the whole answer was read and the server keeps it open."""
        request = _request(target, headers, body)
        origin = (target.scheme, target.address, target.port, target.sni_hostname)
        connection = self._take(origin)
        try:
            if connection is not None:
                try:
                    await connection.exchange(request, read_limit)
                except (OSError, ProtocolError):
                    connection.close()
                    if connection.received:
                        raise  # part of an answer came: the server did take the request
                    # The server closed this kept-alive connection while it was idle, and
                    # did not take the request: once more, on a new connection.
                    connection = None
            if connection is None:
                connection = await self._open(origin)
                await connection.exchange(request, read_limit)
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        try:
            yield Response(connection)
        finally:
            self._give_back(origin, connection)

    def _take(self, origin: _Origin) -> _Connection | None:
        """A kept-alive connection to `origin` that still looks usable, if there is one."""
        pool = self._idle.get(origin)
        now = time.monotonic()
        while pool:
            connection = pool.pop()  # the most recently used, the least likely stale
            self._idle_count -= 1
            if not connection.closed and now - connection.idle_since < IDLE_SECONDS:
                return connection
            connection.close()
        return None

    async def _open(self, origin: _Origin) -> _Connection:
        scheme, address, port, server_name = origin
        tls = None
        if scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            tls = self._tls
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                _Connection,
                address,
                port,
                ssl=tls,
                # The certificate must name the host of the URL, not the pinned address.
                server_hostname=server_name if tls is not None else None,
            )
        except UnicodeError as exc:  # a server name IDNA cannot encode
            raise ProtocolError(f"invalid host name: {exc}") from None
        return connection

    def _give_back(self, origin: _Origin, connection: _Connection) -> None:
        if not connection.reusable() or self._idle_count >= self.max_idle:
            connection.close()
            return
        connection.idle()
        self._idle.setdefault(origin, []).append(connection)
        self._idle_count += 1
        if connection.idle_since - self._swept > IDLE_SECONDS:
            self._sweep(connection.idle_since)

    def _sweep(self, now: float) -> None:
        """Close idle connections too old to reuse (to endpoints no longer sent to)."""
        self._swept = now
        for origin, pool in list(self._idle.items()):
            keep = [c for c in pool if not c.closed and now - c.idle_since < IDLE_SECONDS]
            for connection in pool:
                if connection not in keep:
                    connection.close()
            self._idle_count -= len(pool) - len(keep)
            if keep:
                self._idle[origin] = keep
            else:
                del self._idle[origin]

    async def aclose(self) -> None:
        for pool in self._idle.values():
            for connection in pool:
                connection.close()
        self._idle.clear()
        self._idle_count = 0
