"""Compressed answers: brotli or gzip, as the request's `Accept-Encoding` prefers (RFC 9110
§12.5.3: q-values, `identity`, `*`), for bodies of `min_bytes` and more
(`CLAIMLEDGER_COMPRESSION_MIN_BYTES`) and for streamed ones (the export), which are compressed
chunk by chunk as they are sent: nothing is held but the compressor's window.

Left as they are: answers without a body (204, 304; HEAD's headers say what the GET's
would, less its Content-Length, and nothing is compressed), bodies already encoded (the
explorer's gzipped files), media types that do not compress (only text, JSON, NDJSON, CSV,
JavaScript and SVG do), and a request without `Accept-Encoding` (curl's default) — RFC 9110
would allow any coding then, but such a client may not decode one. An answer that could have
been compressed carries `Vary: Accept-Encoding` whichever coding it got.

Entity tags: a strong tag names one representation byte for byte (RFC 9110 §8.8.1), and a
compressed body is another one, so a compressed answer's `ETag: "3"` is sent as `W/"3"`,
as nginx does. Nothing a client does with it breaks: If-None-Match compares weakly
(versioning/documents.py `none_match`), and If-Match takes the version with or without `W/`
(`parse_if_match`). A 304 carries the tag as the handler made it, strong, as nginx's do:
whether the 200 would have been compressed depends on a body a 304 never makes, and either
form revalidates.

A module of our own rather than Litestar's `CompressionConfig` (litestar/middleware/
compression, 2.x): that one picks the coding by substring (`"br" in accept_encoding`), so
`br;q=0` gets brotli and `identity;q=0` or `*` mean nothing to it; it compresses whatever the
handler sent, an already encoded body included, whatever its media type; it keeps a strong
ETag on a compressed body; it runs only for matched routes; and its gzip level defaults to 9.
This one wraps the app's entry point (app.py `ClaimLedgerApp`), so every answer passes it.

Levels, measured on a page of 200 claims (187 KB) and on the export streamed in its 64 KiB
chunks: gzip 4 is 94 % of level 6's ratio for 60 % of its CPU (ratio 4.7 on the page, 6.2
on the export; 1.7-2.1 ms a page, 9-10 ms a MiB); brotli 3 is both smaller and cheaper than
that (ratio 5.1 / 6.5; 1.0 ms a page, 5-9 ms a MiB), which makes it the one to prefer,
while brotli 4 would save 2-3 % more for 1.6-2 times the CPU. `make bench` measures the bytes
and the CPU per request of each coding."""

import zlib
from typing import Any

import brotli
from litestar.types import Message, Scope, Send

GZIP_LEVEL = 4
BROTLI_QUALITY = 3
BROTLI_WINDOW_BITS = 18
"""A 256 KiB window. brotli's default (22: 4 MiB) compressed the export no smaller, and
each export in flight held 5 MB more with it (`make bench`, RSS growth)."""
CODINGS = ("br", "gzip")
"""What the server can send, most preferred first when a client weighs them alike."""
_ALIASES = {"x-gzip": "gzip"}  # RFC 9110 §8.4.1.3
_TEXT_TYPES = frozenset(
    {
        b"application/json",
        b"application/x-ndjson",
        b"application/javascript",
        b"application/xml",
        b"image/svg+xml",
    }
)
_NEGOTIATED_CACHE_SIZE = 256


def compressible(media_type: bytes) -> bool:
    essence = media_type.split(b";", 1)[0].strip().lower()
    return essence in _TEXT_TYPES or essence.startswith(b"text/") or essence.endswith(b"+json")


def _weight(params: str) -> float | None:
    """The q-value of one Accept-Encoding member; None when it is not a valid one."""
    weight = 1.0
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value.strip())
            except ValueError:
                return None
            if not 0 <= weight <= 1:
                return None
    return weight


def _weights(accept_encoding: str) -> dict[str, float]:
    """Accept-Encoding's codings (lower case, aliases resolved) and their q-values."""
    weights: dict[str, float] = {}
    for member in accept_encoding.split(","):
        coding, _, params = member.partition(";")
        coding = coding.strip().lower()
        weight = _weight(params)
        if coding and weight is not None:
            weights[_ALIASES.get(coding, coding)] = weight
    return weights


def accepts(accept_encoding: str | None, coding: str) -> bool:
    """Whether `coding` is acceptable to a client sending this Accept-Encoding."""
    if accept_encoding is None:
        return False
    weights = _weights(accept_encoding)
    return weights.get(coding, weights.get("*", 0.0)) > 0


def negotiate(accept_encoding: str | None) -> str | None:
    """The coding to answer with: `br`, `gzip`, or None for the body as it is."""
    if accept_encoding is None:
        return None
    weights = _weights(accept_encoding)
    anything = weights.get("*", 0.0)
    best, best_weight = None, 0.0
    for coding in CODINGS:
        weight = weights.get(coding, anything)
        if weight > best_weight:
            best, best_weight = coding, weight
    # `identity` weighs in only when named: otherwise it is the fallback, not a rival.
    if best is not None and weights.get("identity", -1.0) > best_weight:
        return None
    return best


class _Gzip:
    def __init__(self) -> None:
        self._stream = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)

    @staticmethod
    def whole(body: bytes) -> bytes:
        return zlib.compress(body, GZIP_LEVEL, wbits=31)

    def chunk(self, body: bytes, last: bool) -> bytes:
        # A sync flush after each chunk sends all of it at once (the client sees the export
        # progress), at ~5 bytes a chunk; the window carries over.
        flush = zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
        return self._stream.compress(body) + self._stream.flush(flush)


class _Brotli:
    def __init__(self) -> None:
        self._stream = brotli.Compressor(quality=BROTLI_QUALITY, lgwin=BROTLI_WINDOW_BITS)

    @staticmethod
    def whole(body: bytes) -> bytes:
        compressed: bytes = brotli.compress(body, quality=BROTLI_QUALITY, lgwin=BROTLI_WINDOW_BITS)
        return compressed

    def chunk(self, body: bytes, last: bool) -> bytes:
        out: bytes = self._stream.process(body)
        return out + (self._stream.finish() if last else self._stream.flush())


_COMPRESSORS: dict[str, type[_Gzip] | type[_Brotli]] = {"gzip": _Gzip, "br": _Brotli}


class Compression:
    def __init__(self, min_bytes: int) -> None:
        self.min_bytes = min_bytes
        self._negotiated: dict[bytes, str | None] = {}

    def coding_for(self, scope: Scope) -> str | None:
        """The coding this request's Accept-Encoding asks for. Clients send few distinct
        values, so each is parsed once per process."""
        raw = next((v for k, v in scope["headers"] if k == b"accept-encoding"), None)
        if raw is None:
            return None
        if raw not in self._negotiated:
            if len(self._negotiated) >= _NEGOTIATED_CACHE_SIZE:
                self._negotiated.clear()
            self._negotiated[raw] = negotiate(raw.decode("latin-1"))
        return self._negotiated[raw]

    def sending(self, scope: Scope, send: Send, *, encode: bool) -> Send:
        """`send` compressing the answer to this request when it should be; with
        `encode=False` (HEAD, whose body is left out) only its headers say what the GET's
        would."""
        min_bytes = self.min_bytes
        held: dict[str, Any] | None = None
        """The start of an answer to compress, until its first body shows how big it is."""
        coding = ""
        stream: _Gzip | _Brotli | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal held, coding, stream
            event: dict[str, Any] = message  # type: ignore[assignment]
            kind = event["type"]
            if stream is not None:
                more = event.get("more_body", False)
                body = stream.chunk(event.get("body", b""), last=not more)
                await send({"type": "http.response.body", "body": body, "more_body": more})
                return
            if kind == "http.response.start":
                chosen = self._choose(scope, event, encode)
                if chosen is None:
                    await send(message)
                    return
                held, coding = event, chosen
                return
            if held is None:
                await send(message)
                return
            start, held = held, None
            body, more = event.get("body", b""), event.get("more_body", False)
            if kind != "http.response.body" or (not more and len(body) < min_bytes):
                await send(start)  # type: ignore[arg-type]
                await send(message)
                return
            compressor = _COMPRESSORS[coding]
            added = [(b"content-encoding", coding.encode())]
            if more:
                stream = compressor()
                body = stream.chunk(body, last=False)
            else:
                body = compressor.whole(body)
                added.append((b"content-length", str(len(body)).encode()))
            start["headers"] = _encoded_headers(start["headers"], added)
            await send(start)  # type: ignore[arg-type]
            await send({"type": "http.response.body", "body": body, "more_body": more})

        return send_compressed

    def _choose(self, scope: Scope, start: dict[str, Any], encode: bool) -> str | None:
        """The coding to compress this answer with, if its body is big enough; None to send
        it as it is. Sets `Vary` on `start`, and for HEAD what compressing would."""
        headers = start.get("headers", [])
        status = start["status"]
        if status < 200 or status in (204, 304) or not _eligible(headers, self.min_bytes):
            return None
        headers = _with_vary(headers)
        coding = self.coding_for(scope)
        if coding is not None and not encode:
            # What the GET's answer would say, less its length, which only compressing the
            # body would tell (RFC 9110 §9.3.2 lets HEAD leave such a field out).
            headers = _encoded_headers(headers, [(b"content-encoding", coding.encode())])
            coding = None
        start["headers"] = headers
        return coding


def _eligible(headers: list[tuple[bytes, bytes]], min_bytes: int) -> bool:
    """Whether an answer with these headers may be compressed, given a big enough body."""
    text = False
    for name, value in headers:
        if name == b"content-encoding":
            return False
        if name == b"content-length" and int(value) < min_bytes:
            return False
        if name == b"content-type":
            text = compressible(value)
    return text


def _with_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` with Accept-Encoding in one `Vary` field beside what it held already."""
    varies = [v for k, v in headers if k == b"vary"]
    if any(b"accept-encoding" in v.lower() or v.strip() == b"*" for v in varies):
        return headers
    joined = b", ".join([*varies, b"Accept-Encoding"])
    return [*(h for h in headers if h[0] != b"vary"), (b"vary", joined)]


def _encoded_headers(
    headers: list[tuple[bytes, bytes]], added: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """The start of a compressed answer: its length dropped (streamed) or replaced, and a
    strong ETag made weak."""
    out = []
    for name, value in headers:
        if name == b"content-length":
            continue
        if name == b"etag" and value.startswith(b'"'):
            value = b"W/" + value
        out.append((name, value))
    return [*out, *added]
