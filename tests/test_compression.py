"""Compressed answers (issue 13.8): the coding the client prefers, the threshold, streamed
bodies compressed chunk by chunk, and entity tags that keep conditional requests working.

Bodies here are made to a size the test sets, so whether one is compressed never depends on
what else is in the shared database: the layer's own tests send bytes through it directly,
and the tests through the app make resources whose documents are far over the threshold."""

import json
import zlib
from collections.abc import Callable
from typing import Any, NamedTuple

import brotli
import factories
import httpx
import pytest
from claimledger_server.bulk.store import CHUNK_BYTES
from claimledger_server.compression import Compression, accepts, negotiate
from claimledger_server.config import Settings

MIN_BYTES = Settings().compression_min_bytes
DECODE: dict[str, Callable[[bytes], bytes]] = {
    "gzip": lambda raw: zlib.decompress(raw, wbits=31),
    "br": brotli.decompress,
}
Headers = list[tuple[bytes, bytes]]


@pytest.mark.parametrize(
    ("accept_encoding", "coding"),
    [
        (None, None),  # no header: as it is, whatever RFC 9110 would allow
        ("", None),
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("GZIP", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br", "br"),  # alike: brotli, the smaller
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.8", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.000, gzip;q=0.001", "gzip"),
        ("*", "br"),
        ("*;q=0", None),
        ("*, br;q=0", "gzip"),
        ("identity", None),
        ("identity;q=0", None),  # nothing we have is acceptable: as it is
        ("gzip, identity;q=0", "gzip"),
        ("gzip;q=0.4, identity;q=0.5", None),
        ("gzip;q=0.5, identity;q=0.5", "gzip"),
        ("deflate", None),
        ("zstd", None),
        ("gzip;q=2", None),  # not a q-value: the member is ignored
        ("gzip;q=high, br", "br"),
        (" br ; q=0.9 , gzip ; q=1 ", "gzip"),
    ],
)
def test_the_coding_is_the_one_the_client_weighs_highest(
    accept_encoding: str | None, coding: str | None
) -> None:
    assert negotiate(accept_encoding) == coding


@pytest.mark.parametrize(
    ("accept_encoding", "accepted"),
    [("gzip", True), ("gzip;q=0", False), ("*", True), ("br", False), (None, False)],
)
def test_a_coding_is_acceptable_unless_refused_or_unnamed(
    accept_encoding: str | None, accepted: bool
) -> None:
    assert accepts(accept_encoding, "gzip") is accepted


# --------------------------------------------------------------------------- the layer itself


def body_of(size: int) -> bytes:
    """`size` bytes of JSON-looking text, compressible and different from line to line."""
    text = b"".join(
        b'{"n":%08d,"text":"the same words again"}\n' % i for i in range(size // 30 + 1)
    )
    return text[:size]


def start(headers: Headers, status: int = 200) -> dict[str, Any]:
    return {"type": "http.response.start", "status": status, "headers": headers}


def whole(body: bytes, media_type: bytes = b"application/json", **extra: bytes) -> list[Any]:
    headers = [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
    headers += [(name.replace("_", "-").encode(), value) for name, value in extra.items()]
    return [start(headers), {"type": "http.response.body", "body": body, "more_body": False}]


async def through(
    messages: list[Any],
    accept_encoding: str | None = "gzip",
    *,
    encode: bool = True,
    min_bytes: int = MIN_BYTES,
) -> tuple[dict[bytes, bytes], bytes]:
    """Send `messages` through the layer: the headers and the body the client got."""
    headers: Headers = []
    if accept_encoding is not None:
        headers.append((b"accept-encoding", accept_encoding.encode()))
    sent: list[Any] = []

    async def transport(message: Any) -> None:
        sent.append(message)

    request: Any = {"type": "http", "headers": headers}
    send = Compression(min_bytes).sending(request, transport, encode=encode)
    for message in messages:
        await send(message)
    got = {}
    for name, value in sent[0]["headers"]:
        assert name not in got, f"{name!r} twice"
        got[name] = value
    return got, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_a_body_at_the_threshold_is_compressed_and_decodes_to_itself(coding: str) -> None:
    body = body_of(MIN_BYTES)
    headers, raw = await through(whole(body), coding)
    assert headers[b"content-encoding"] == coding.encode()
    assert headers[b"vary"] == b"Accept-Encoding"
    assert int(headers[b"content-length"]) == len(raw) < len(body)
    assert DECODE[coding](raw) == body


async def test_a_body_one_byte_under_the_threshold_goes_as_it_is() -> None:
    body = body_of(MIN_BYTES - 1)
    headers, raw = await through(whole(body), "br")
    assert raw == body
    assert b"content-encoding" not in headers
    assert b"vary" not in headers  # no client would get anything else
    assert headers[b"content-length"] == str(MIN_BYTES - 1).encode()


async def test_the_threshold_is_a_setting() -> None:
    body = body_of(100)
    headers, raw = await through(whole(body), "gzip", min_bytes=100)
    assert headers[b"content-encoding"] == b"gzip"
    assert DECODE["gzip"](raw) == body
    headers, raw = await through(whole(body), "gzip", min_bytes=101)
    assert raw == body


@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0, br;q=0", "*;q=0"])
async def test_a_client_that_refuses_every_coding_gets_the_body_as_it_is(
    accept_encoding: str | None,
) -> None:
    body = body_of(3 * MIN_BYTES)
    headers, raw = await through(whole(body, etag=b'"7"'), accept_encoding)
    assert raw == body
    assert b"content-encoding" not in headers
    assert headers[b"vary"] == b"Accept-Encoding"  # another client's answer would differ
    assert headers[b"etag"] == b'"7"'
    assert headers[b"content-length"] == str(len(body)).encode()


@pytest.mark.parametrize(
    ("media_type", "compressed"),
    [
        (b"application/json", True),
        (b"application/problem+json", True),
        (b"application/x-ndjson", True),
        (b"text/csv; charset=utf-8", True),
        (b"text/html; charset=utf-8", True),
        (b"text/javascript", True),
        (b"image/svg+xml", True),
        (b"image/png", False),
        (b"application/octet-stream", False),
    ],
)
async def test_only_text_is_compressed(media_type: bytes, compressed: bool) -> None:
    body = body_of(2 * MIN_BYTES)
    headers, raw = await through(whole(body, media_type), "gzip")
    assert (b"content-encoding" in headers) is compressed
    assert (b"vary" in headers) is compressed
    assert (DECODE["gzip"](raw) if compressed else raw) == body


async def test_an_encoded_body_is_not_encoded_again() -> None:
    body = zlib.compress(body_of(2 * MIN_BYTES), wbits=31)
    headers, raw = await through(whole(body, content_encoding=b"gzip"), "br")
    assert headers[b"content-encoding"] == b"gzip"
    assert raw == body


@pytest.mark.parametrize("status", [204, 304])
async def test_answers_without_a_body_are_left_alone(status: int) -> None:
    messages = [
        start([(b"content-type", b"application/json"), (b"etag", b'"3"')], status),
        {"type": "http.response.body", "body": b"", "more_body": False},
    ]
    headers, raw = await through(messages, "gzip")
    assert raw == b""
    assert headers == {b"content-type": b"application/json", b"etag": b'"3"'}


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_a_compressed_answer_has_a_weak_etag_and_an_identity_one_a_strong(
    coding: str,
) -> None:
    body = body_of(2 * MIN_BYTES)
    compressed, _ = await through(whole(body, etag=b'"3"'), coding)
    assert compressed[b"etag"] == b'W/"3"'
    as_is, _ = await through(whole(body, etag=b'"3"'), "identity")
    assert as_is[b"etag"] == b'"3"'


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_head_says_what_the_get_would_and_compresses_nothing(coding: str) -> None:
    body = body_of(2 * MIN_BYTES)
    messages = whole(body, etag=b'"3"')
    messages[1] = {"type": "http.response.body", "body": b"", "more_body": False}
    headers, raw = await through(messages, coding, encode=False)
    assert raw == b""
    assert headers[b"content-encoding"] == coding.encode()
    assert headers[b"vary"] == b"Accept-Encoding"
    assert headers[b"etag"] == b'W/"3"'
    assert b"content-length" not in headers  # only compressing would tell it


async def test_accept_encoding_joins_the_vary_the_answer_had() -> None:
    body = body_of(2 * MIN_BYTES)
    headers, _ = await through(whole(body, vary=b"Origin"), "gzip")
    assert headers[b"vary"] == b"Origin, Accept-Encoding"


async def test_a_small_stream_in_one_message_goes_as_it_is() -> None:
    body = body_of(MIN_BYTES - 1)
    messages = [
        start([(b"content-type", b"application/x-ndjson")]),
        {"type": "http.response.body", "body": body, "more_body": False},
    ]
    headers, raw = await through(messages, "gzip")
    assert raw == body
    assert b"content-encoding" not in headers


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_a_stream_is_compressed_chunk_by_chunk_as_it_is_sent(coding: str) -> None:
    """Each chunk leaves compressed before the next is made, and what has left so far
    decodes to every chunk made so far: nothing waits in the layer."""
    chunks = [body_of(CHUNK_BYTES)[i:] + b"\n" for i in range(6)]
    if coding == "gzip":
        decode = zlib.decompressobj(wbits=31).decompress
    else:
        decoder = brotli.Decompressor()

        def decode(data: bytes) -> bytes:
            # brotli's Python decoder may keep output back until more input comes; a
            # client asking again with none gets it, and only what the server sent counts.
            out: bytes = decoder.process(data)
            while more := decoder.process(b""):
                out += more
            return out

    sent: list[Any] = []

    async def transport(message: Any) -> None:
        sent.append(message)

    request: Any = {"type": "http", "headers": [(b"accept-encoding", coding.encode())]}
    send = Compression(MIN_BYTES).sending(request, transport, encode=True)
    await send(start([(b"content-type", b"application/x-ndjson"), (b"etag", b'"9"')]))
    decoded = b""
    for number, chunk in enumerate(chunks, 1):
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
        assert len(sent) == 1 + number  # the start, then one message per chunk
        decoded += decode(sent[-1]["body"])
        assert decoded == b"".join(chunks[:number])
    await send({"type": "http.response.body", "body": b"", "more_body": False})
    headers = dict(sent[0]["headers"])
    assert headers[b"content-encoding"] == coding.encode()
    assert b"content-length" not in headers
    assert headers[b"etag"] == b'W/"9"'
    assert [m["more_body"] for m in sent[1:]] == [True] * len(chunks) + [False]
    raw = b"".join(m["body"] for m in sent[1:])
    assert DECODE[coding](raw) == b"".join(chunks)
    assert len(raw) < len(b"".join(chunks)) / 3


async def test_a_stream_with_a_length_loses_it_when_compressed() -> None:
    body = body_of(4 * MIN_BYTES)
    messages = [
        start([(b"content-type", b"text/javascript"), (b"content-length", b"%d" % len(body))]),
        {"type": "http.response.body", "body": body[:MIN_BYTES], "more_body": True},
        {"type": "http.response.body", "body": body[MIN_BYTES:], "more_body": False},
    ]
    headers, raw = await through(messages, "br")
    assert b"content-length" not in headers
    assert DECODE["br"](raw) == body


# --------------------------------------------------------------------------- through the app


def long_aliases(count: int, length: int) -> list[str]:
    return [f"alias {number:03d} " + "x" * (length - 10) for number in range(count)]


ALIASES = long_aliases(30, 150)
"""4,500 characters of aliases: every actor document carrying them is over the threshold."""
assert sum(map(len, ALIASES)) > MIN_BYTES


class Sent(NamedTuple):
    """An answer with its body as it came over the wire, still encoded."""

    status_code: int
    headers: httpx.Headers
    raw: bytes


async def raw_get(client: Any, path: str, accept_encoding: str, **headers: str) -> Sent:
    request = client.build_request(
        "GET", path, headers={"Accept-Encoding": accept_encoding, **headers}
    )
    response: httpx.Response = await client.send(request, stream=True)
    try:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()
    return Sent(response.status_code, response.headers, raw)


@pytest.fixture(scope="module")
async def family(client: Any) -> str:
    """A parent with six children, each document over the threshold: the path of their page."""
    parent = await factories.actor(client, kind="state", name="Compression parent")
    for _ in range(6):
        await factories.actor(client, parent_id=parent["id"], aliases=ALIASES)
    return f"/v1/actors?parent_id={parent['id']}&limit=200"


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_a_large_list_is_compressed_as_the_client_prefers(
    client: Any, family: str, coding: str
) -> None:
    plain = await raw_get(client, family, "identity")
    assert plain.status_code == 200
    assert "content-encoding" not in plain.headers
    identity = plain.raw
    assert len(identity) > 6 * sum(map(len, ALIASES))
    assert len(json.loads(identity)["data"]) == 6

    packed = await raw_get(client, family, f"{coding}, identity;q=0.5")
    assert packed.status_code == 200
    assert packed.headers["content-encoding"] == coding
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert int(packed.headers["content-length"]) == len(packed.raw)
    assert len(packed.raw) < len(identity) / 4
    assert DECODE[coding](packed.raw) == identity


async def test_refused_codings_get_the_list_as_it_is(client: Any, family: str) -> None:
    plain = await raw_get(client, family, "identity")
    refused = await raw_get(client, family, "gzip;q=0, br;q=0, deflate")
    assert "content-encoding" not in refused.headers
    assert refused.raw == plain.raw


async def test_a_compressed_resource_keeps_conditional_requests_working(client: Any) -> None:
    actor = await factories.actor(client, aliases=ALIASES)
    path = f"/v1/actors/{actor['id']}"
    plain = await raw_get(client, path, "identity")
    assert plain.headers["etag"] == '"1"'
    packed = await raw_get(client, path, "gzip")
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["etag"] == 'W/"1"'
    assert DECODE["gzip"](packed.raw) == plain.raw

    # If-None-Match with the weak tag (what a browser cache holds) or the strong one.
    for held in ('W/"1"', '"1"'):
        again = await raw_get(client, path, "gzip", **{"If-None-Match": held})
        assert again.status_code == 304
        assert again.headers["etag"] == '"1"'  # as the handler made it: the 304 has no body
        assert "content-encoding" not in again.headers
        assert again.raw == b""

    # If-Match with the weak tag the compressed answer gave: the update applies.
    changed = await client.patch(
        path,
        json={"description": "changed"},
        headers={"If-Match": packed.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    stale = await client.patch(
        path,
        json={"description": "again"},
        headers={"If-Match": packed.headers["etag"]},
    )
    factories.assert_problem(stale, 412)
    fresh = await raw_get(client, path, "br", **{"If-None-Match": packed.headers["etag"]})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] == 'W/"2"'


async def test_head_of_a_large_list_names_the_coding_and_sends_nothing(
    client: Any, family: str
) -> None:
    head = await client.head(family, headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200
    assert head.headers["content-encoding"] == "gzip"
    assert "content-length" not in head.headers
    assert head.content == b""


async def test_a_small_problem_goes_as_it_is(client: Any) -> None:
    response = await raw_get(client, f"/v1/actors/{factories.UNKNOWN_ID['actors']}", "gzip, br")
    assert response.status_code == 404
    assert "content-encoding" not in response.headers
    assert len(response.raw) < MIN_BYTES


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_the_streamed_export_decodes_to_the_same_ndjson(client: Any, coding: str) -> None:
    """Made of actors enough for several chunks of the export (`CHUNK_BYTES` each)."""
    for _ in range(2 * CHUNK_BYTES // sum(map(len, ALIASES)) + 1):
        await factories.actor(client, aliases=ALIASES)
    path = "/v1/export?kinds=actor"
    plain = await raw_get(client, path, "identity")
    identity = plain.raw
    assert plain.status_code == 200
    assert len(identity) > 2 * CHUNK_BYTES
    packed = await raw_get(client, path, coding)
    assert packed.status_code == 200
    assert packed.headers["content-encoding"] == coding
    assert "content-length" not in packed.headers
    assert packed.headers["content-type"] == "application/x-ndjson"
    assert DECODE[coding](packed.raw) == identity
    assert len(packed.raw) < len(identity) / 4
    # httpx decodes it as it streams in, as a client reading the export line by line would.
    async with client.stream("GET", path, headers={"Accept-Encoding": coding}) as streamed:
        lines = [line async for line in streamed.aiter_lines()]
    assert "\n".join(lines) + "\n" == identity.decode()


async def test_compression_can_be_turned_off() -> None:
    assert Settings.from_env({"CLAIMLEDGER_COMPRESSION": "false"}).compression is False
    settings = Settings.from_env({"CLAIMLEDGER_COMPRESSION_MIN_BYTES": "100"})
    assert settings.compression_min_bytes == 100
    with pytest.raises(SystemExit, match="CLAIMLEDGER_COMPRESSION_MIN_BYTES"):
        Settings.from_env({"CLAIMLEDGER_COMPRESSION_MIN_BYTES": "-1"})
