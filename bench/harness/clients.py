"""HTTP clients for the scenarios wrk does not fit: bulk import (rows/s), the streaming export
(throughput and the server's memory), and a loopback webhook receiver. Standard library only;
every loop is bounded in time and talks to 127.0.0.1 only."""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import random
import resource
import signal
import statistics
import time
import zlib
from pathlib import Path

HOST = "127.0.0.1"


def _conn(port: int, timeout: float = 120) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(HOST, port, timeout=timeout)


def import_lines(rnd: random.Random, prefix: str, n: int, actors: int, sources: int) -> bytes:
    """An import file of `n` new claims that name their claimant and sources by external_id,
    as a partner's file would."""
    words = "troops killed wounded drone strike village region ministry claimed".split()
    out = []
    for i in range(n):
        data = {
            "claimant_id": f"ext:bench-actor-{rnd.randrange(actors)}",
            "text": " ".join(rnd.choices(words, k=14)),
            "stated_on": "2025-03-14",
            "citations": [{"source_id": f"ext:bench-source-{rnd.randrange(sources)}"}],
            "subject_ids": [f"ext:bench-actor-{rnd.randrange(actors)}"],
            "location": {"country": "UKR", "name": "Kursk"},
            "topics": ["casualties"],
        }
        out.append(
            json.dumps(
                {"kind": "claim", "external_id": f"{prefix}-{i}", "data": data},
                separators=(",", ":"),
            )
        )
    return ("\n".join(out) + "\n").encode()


def run_import(args: argparse.Namespace) -> dict:
    """POST /v1/import files of `batch` claims one after another for `seconds`; the rate is
    lines over the time spent in requests (building the files is not timed)."""
    rnd = random.Random(int(time.time()))
    conn = _conn(args.port)
    headers = {"Authorization": f"Bearer {args.key}", "Content-Type": "application/x-ndjson"}
    latencies, lines, failures, last_error = [], 0, 0, ""
    deadline = time.monotonic() + args.seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        body = import_lines(rnd, f"imp-{args.nonce}-{n}", args.batch, args.actors, args.sources)
        t = time.perf_counter()
        conn.request("POST", "/v1/import", body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append(time.perf_counter() - t)
        if response.status >= 300:
            failures += 1
            last_error = f"{response.status} {payload[:300]!r}"
            if failures > 3:
                break
        else:
            lines += args.batch
    busy = sum(latencies)
    ordered = sorted(latencies)
    return {
        "rate": lines / busy if busy else 0.0,
        "count": lines,
        "requests": len(latencies),
        "failures": failures,
        "last_error": last_error,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        if ordered
        else 0.0,
    }


def _decoder(coding: str):
    """What turns the bytes on the wire back into the export, as they come."""
    if coding == "gzip":
        return zlib.decompressobj(wbits=31).decompress
    if coding == "br":
        import brotli  # the project's venv has it (the server compresses with it)

        decoder = brotli.Decompressor()

        def decode(data: bytes) -> bytes:
            out = decoder.process(data)
            while more := decoder.process(b""):
                out += more
            return out

        return decode
    return lambda data: data


def run_export(args: argparse.Namespace) -> dict:
    """Stream GET /v1/export to nowhere, counting lines and bytes, for at most `seconds`.
    With `--accept-encoding`, `wire_bytes` is what came over the connection and `bytes` the
    export it decodes to."""
    conn = _conn(args.port, timeout=60)
    headers = {"Authorization": f"Bearer {args.key}"}
    if args.accept_encoding:
        headers["Accept-Encoding"] = args.accept_encoding
    t0 = time.monotonic()
    conn.request("GET", args.path, headers=headers)
    response = conn.getresponse()
    if response.status != 200:
        return {"status": response.status, "error": response.read(500).decode(errors="replace")}
    coding = response.getheader("content-encoding") or "identity"
    decode = _decoder(coding)
    first_byte = time.monotonic() - t0
    size = wire = lines = 0
    complete = True
    while True:
        chunk = response.read1(1 << 20) if hasattr(response, "read1") else response.read(1 << 20)
        if not chunk:
            break
        wire += len(chunk)
        chunk = decode(chunk)
        size += len(chunk)
        lines += chunk.count(b"\n")
        if time.monotonic() - t0 > args.seconds:
            complete = False
            break
    elapsed = time.monotonic() - t0
    conn.close()
    return {
        "status": 200,
        "content_encoding": coding,
        "lines": lines,
        "bytes": size,
        "wire_bytes": wire,
        "seconds": elapsed,
        "first_byte_s": first_byte,
        "complete": complete,
        "rate": lines / elapsed if elapsed else 0.0,
    }


# --------------------------------------------------------------------------- webhooks


async def _receiver(port: int, seconds: float, out: Path) -> None:
    """A minimal HTTP/1.1 receiver: answers 204 at once and records, per delivery, the
    arrival time, the `webhook-id` header and the resource id in the body."""
    records: list[tuple[float, str, str]] = []
    stop = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = {}
                for line in head.split(b"\r\n")[1:]:
                    if b":" in line:
                        k, v = line.split(b":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get(b"content-length", b"0")))
                arrived = time.time()
                resource_id = ""
                try:
                    data = json.loads(body).get("data") or {}
                    resource_id = data.get("resource_id") or data.get("id") or ""
                except ValueError:
                    pass
                records.append((arrived, headers.get(b"webhook-id", b"").decode(), resource_id))
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (
            asyncio.IncompleteReadError,
            ConnectionError,
            asyncio.LimitOverrunError,
            asyncio.CancelledError,
        ):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, HOST, port, backlog=512)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
    server.close()
    out.write_text(json.dumps(records))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["import", "export", "receiver"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", default="")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--sources", type=int, default=50000)
    parser.add_argument("--nonce", default="x")
    parser.add_argument("--path", default="/v1/export?format=ndjson")
    parser.add_argument("--accept-encoding", default="", help="export: sent as Accept-Encoding")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.mode == "receiver":
        asyncio.run(_receiver(args.port, args.seconds, args.out))
        return
    t_cpu = time.process_time()
    result = run_import(args) if args.mode == "import" else run_export(args)
    result["client_cpu_s"] = time.process_time() - t_cpu
    result["client_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
