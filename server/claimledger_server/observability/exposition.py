"""Answering a scrape: the processes' metrics (this one's, or every API process's from the
multiprocess directory) and the database gauges, in Prometheus' text format.

Where: `GET /metrics` on the API's port, behind an admin key (the default); or, with
`--metrics-port` (CLAIMLEDGER_METRICS_PORT), on a port of its own without a key, served by
prometheus_client's HTTP server in a thread of the `serve` process (the supervisor of the
workers when there are several), and the API's `/metrics` is not there at all.
`claimledger worker --metrics-port` serves its own process's metrics the same way."""

import asyncio
import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator

from litestar import Response, get
from litestar.datastructures import State
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import Metric

from claimledger_server.db.pool import FairPool
from claimledger_server.observability.database import database_families
from claimledger_server.observability.metrics import sample_pools

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
TEXT_FORMAT = "text/plain; version=0.0.4"
"""What `generate_latest` writes (Litestar adds the charset, UTF-8)."""
_LIVE_GAUGE_FILE = re.compile(r"^gauge_live\w*_(\d+)\.db$")


class _Processes:
    """This process's metrics, or under `serve --workers N` every API process's, from their
    files (listed at each scrape: processes come and go)."""

    def collect(self) -> Iterable[Metric]:
        directory = os.environ.get(MULTIPROCESS_ENV)
        if not directory:  # this process, with prometheus_client's process collector
            return REGISTRY.collect()
        forget_exited_processes(directory)
        return multiprocess.MultiProcessCollector(None, directory).collect()


class _Found:
    """Database gauges an async scrape has read already."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterable[Metric]:
        return self.families


class _DatabaseGauges:
    """The database gauges, read when a server thread (no event loop) collects them."""

    def __init__(self, dsn: str, read_dsn: str | None) -> None:
        self.dsn, self.read_dsn = dsn, read_dsn

    def collect(self) -> Iterable[Metric]:
        return asyncio.run(database_families(self.dsn, self.read_dsn))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user's
    return True


def forget_exited_processes(directory: str) -> None:
    """Drop the live gauges of processes that exited (a worker uvicorn restarted), which
    would otherwise be summed forever. Counters and histograms stay: what an exited
    process counted was counted."""
    for name in os.listdir(directory):
        match = _LIVE_GAUGE_FILE.match(name)
        if match and not _alive(int(match[1])):
            multiprocess.mark_process_dead(int(match[1]), directory)


def scrape_registry(database: _Found | _DatabaseGauges) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Processes())
    registry.register(database)
    return registry


def pools_of(state: State) -> dict[str, FairPool]:
    pools = {"primary": state.pool}
    if state.reads.replica is not state.pool:
        pools["replica"] = state.reads.replica
    return pools


@get(
    "/metrics",
    include_in_schema=False,
    opt={"scope": "admin"},
    media_type=TEXT_FORMAT,
)
async def metrics(state: State) -> Response[bytes]:
    """Prometheus' text format. Not in the API document: its format is Prometheus', and
    whether this route exists depends on the configuration (`--metrics-port`)."""
    sample_pools(pools_of(state))
    settings = state.settings
    families = await database_families(settings.database_url, settings.database_read_url)
    # Reading every process's file is blocking file work: off the event loop.
    body = await asyncio.to_thread(generate_latest, scrape_registry(_Found(families)))
    return Response(body, media_type=TEXT_FORMAT)


@contextlib.contextmanager
def multiprocess_directory(processes: int) -> Iterator[None]:
    """With more than one process, a fresh PROMETHEUS_MULTIPROC_DIR for the block (the
    processes started in it inherit it), removed afterwards. One process keeps its metrics
    in memory: it is faster, and nothing needs adding up. Whatever the environment held
    before is not used: files left from another run would be added in."""
    os.environ.pop(MULTIPROCESS_ENV, None)
    if processes <= 1:
        yield
        return
    directory = tempfile.mkdtemp(prefix="claimledger-metrics-")
    os.environ[MULTIPROCESS_ENV] = directory
    try:
        yield
    finally:
        os.environ.pop(MULTIPROCESS_ENV, None)
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def metrics_port(host: str, port: int | None, dsn: str, read_dsn: str | None) -> Iterator[None]:
    """Serve the scrape on `host:port` (any path answers it) while the block runs; nothing
    when `port` is None."""
    if port is None:
        yield
        return
    registry = scrape_registry(_DatabaseGauges(dsn, read_dsn))
    try:
        server, thread = start_http_server(port, host, registry=registry)
    except OSError as exc:
        raise SystemExit(f"claimledger: cannot serve metrics on {host}:{port}: {exc}") from None
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
