"""The SDK against a server that compresses (issue 13.8): it offers only the codings its
httpx can decode, and reads compressed lists and the compressed export."""

import uuid

import claimledger
import httpx
from claimledger.operations import bulk
from claimledger_server.config import Settings
from httpx._decoders import SUPPORTED_DECODERS

ALIASES = [f"alias {number:03d} " + "x" * 140 for number in range(30)]
"""4,500 characters of aliases: each actor carrying them is over the server's threshold."""
assert sum(map(len, ALIASES)) > Settings().compression_min_bytes


def offered(response: httpx.Response) -> set[str]:
    header = response.request.headers.get("accept-encoding", "")
    return {part.split(";")[0].strip() for part in header.split(",") if part.strip()}


def test_the_sdk_offers_only_what_it_decodes(sdk_server: str, admin_key: str) -> None:
    with claimledger.Client(sdk_server, admin_key, max_retries=0) as client:
        answers: list[httpx.Response] = []
        client._http.event_hooks["response"].append(answers.append)
        client.actors.list(limit=1).first_page()
    codings = offered(answers[-1])
    assert codings
    assert codings <= set(SUPPORTED_DECODERS)
    # brotli is decoded (and so offered) when a brotli package is installed, as here.
    assert "br" in codings


def test_the_sdk_reads_compressed_lists_and_exports(sdk_server: str, admin_key: str) -> None:
    answers: list[httpx.Response] = []
    http = httpx.Client(event_hooks={"response": [answers.append]})
    with claimledger.Client(sdk_server, admin_key, max_retries=0, http_client=http) as client:
        key = uuid.uuid4().hex
        parent = client.actors.create(name="Compressed parent", kind="state")
        made = {
            client.actors.create(
                name=f"Child {number}",
                kind="person",
                parent_id=parent.id,
                aliases=ALIASES,
                external_id=f"compressed:{key}:{number}",
            ).id
            for number in range(6)
        }
        children = list(client.actors.list(parent_id=parent.id, limit=200))
        listing = answers[-1]
        exported = client.request(bulk.export_resources(format="ndjson", kinds="actor"))
        export = answers[-1]
    assert {child.id for child in children} == made
    assert all(child.aliases == ALIASES for child in children)
    assert listing.headers["content-encoding"] in offered(listing)
    assert export.headers["content-encoding"] in offered(export)
    for number in range(6):
        assert f'"external_id":"compressed:{key}:{number}"'.encode() in exported
    assert exported.endswith(b"\n")
