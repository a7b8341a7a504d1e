"""GET /v1/claims/{id} through a hot standby of the bench's PostgreSQL, with a
`ClaimLedger-Consistency` token, against the same app reading from the primary (issue 13).

The standby is made here, for the scenario only, of the machine's cluster (127.0.0.1:5432,
whose data holds the bench dataset): `pg_basebackup -X stream -R` of the whole cluster to
`bench/.work/standby`, started on a free loopback port with the primary's own PostgreSQL
binaries (a standby runs its primary's major version) through the server's
`db.embedded.EmbeddedPostgres`, as the tests start theirs (`tests/support/replica.py`; the
waiting and the finding of binaries are shared, in `db/standby.py`). How long the copy takes
and the disk it fills are reported. Debian keeps a cluster's configuration files outside its
data directory, so the copy gets minimal ones; the settings a hot standby must not have
lower than its primary (max_connections and the like) are taken from the primary, with its
shared_buffers.

pg_basebackup needs a replication connection. When the cluster's pg_hba.conf refuses it,
one line is appended (`host replication all 127.0.0.1/32 trust`, marked as the bench's) and
the configuration reloaded, and the line is removed (and reloaded again) at the end. No
replication slot: a slot left by a killed run would keep WAL on the shared machine for good.

Then two apps (one worker, core 0; wrk on core 1): one with DATABASE_READ_URL naming the
standby, one without (it reads from the primary). Both are sent, with every request, the
token of a write made through the first one before the runs, which the standby has replayed
by then; they are measured interleaved (`measure.interleave`). The reads the replica served
and those it left to the primary come from the replica app's /metrics
(`claimledger_replica_reads_total`). Everything is stopped and removed at the end, on
failure too."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from claimledger_server.db.embedded import EmbeddedPostgres
from claimledger_server.db.standby import server_binaries, wait_replayed, wait_streaming
from harness import measure, procs
from harness.targets import row
from prometheus_client.parser import text_string_to_metric_families

REPLICA, PRIMARY, STANDBY = "app_get_id_replica", "app_get_id_primary", "replica_standby"
HEADER = "ClaimLedger-Consistency"
HBA_LINE = "host replication all 127.0.0.1/32 trust"
HBA_MARK = "# ClaimLedger bench: pg_basebackup of a hot standby (bench/harness/replica_reads.py)"
MUST_MATCH = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)
"""Settings a hot standby refuses to run with lower than its primary."""
HEADROOM_BYTES = 5 * 2**30
"""Disk to leave free after the copy: the machine is shared."""
BACKUP_SECONDS = 3600
CATCH_UP_SECONDS = 600


@dataclass
class Standby:
    dsn: str
    """Its `postgres` database."""
    backup_s: float
    start_s: float
    bytes: int
    cluster_bytes: int
    hba_line_added: bool


def _psql_ok(bin_dir: Path, conninfo: str, command: str) -> bool:
    psql = bin_dir / "psql"
    command_line = [str(psql) if psql.is_file() else "psql", conninfo, "-Atc", command]
    done = subprocess.run(command_line, capture_output=True, text=True, timeout=30)
    return done.returncode == 0


@contextmanager
def replication_allowed(server_dsn: str, bin_dir: Path, hba_file: Path) -> Iterator[bool]:
    """Replication connections from 127.0.0.1 for the block; yields whether a pg_hba line was
    added for it (one marked as the bench's, by a run that was killed, counts as added)."""
    conninfo = f"{server_dsn}/postgres?replication=true"
    lines = hba_file.read_text().splitlines(keepends=True)
    ours = any(HBA_MARK in line for line in lines)
    if not ours and not _psql_ok(bin_dir, conninfo, "IDENTIFY_SYSTEM"):
        hba_file.write_text("".join(lines).rstrip("\n") + f"\n{HBA_LINE}  {HBA_MARK}\n")
        ours = True
        _reload(server_dsn)
    try:
        for _ in range(50):  # the reload is asynchronous
            if _psql_ok(bin_dir, conninfo, "IDENTIFY_SYSTEM"):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"no replication connection allowed (see {hba_file})")
        yield ours
    finally:
        if ours:
            kept = [x for x in hba_file.read_text().splitlines(keepends=True) if HBA_MARK not in x]
            hba_file.write_text("".join(kept))
            _reload(server_dsn)


def _reload(server_dsn: str) -> None:
    async def reload() -> None:
        conn = await asyncpg.connect(f"{server_dsn}/postgres")
        try:
            await conn.execute("SELECT pg_reload_conf()")
        finally:
            await conn.close()

    asyncio.run(reload())


async def _primary(server_dsn: str) -> dict[str, Any]:
    conn = await asyncpg.connect(f"{server_dsn}/postgres")
    try:
        facts = dict(
            await conn.fetchrow(
                """SELECT current_setting('hba_file') AS hba_file,
                          current_setting('server_version_num')::int / 10000 AS major,
                          pg_is_in_recovery() AS in_recovery,
                          (SELECT sum(pg_database_size(oid)) FROM pg_database)::bigint AS bytes"""
            )
        )
        facts["settings"] = {
            name: await conn.fetchval("SELECT current_setting($1)", name)
            for name in (*MUST_MATCH, "shared_buffers")
        }
        return facts
    finally:
        await conn.close()


def _disk_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):  # a file replay removed meanwhile
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total


def _remove(folder: Path, bin_dir: Path) -> None:
    """Stop a server left running in `folder` (a killed run's), then delete it."""
    if folder.exists():
        EmbeddedPostgres(folder, bin_dir=bin_dir).stop()
        shutil.rmtree(folder, ignore_errors=True)
    folder.with_name(folder.name + ".lock").unlink(missing_ok=True)


def _start(server: EmbeddedPostgres, within_seconds: float) -> str:
    """Start the standby. pg_ctl waits 60 s for it to accept connections; a standby of a busy
    cluster may first replay more WAL than that (everything written during the copy), so a
    postmaster still starting is given up to `within_seconds`."""
    deadline = time.monotonic() + within_seconds
    try:
        dsn = server.start()
    except RuntimeError:
        if not server.running():
            raise
        dsn = server.start()  # the running one: its DSN
    while True:
        try:
            asyncio.run(_ping(dsn))
            return dsn
        except (OSError, asyncpg.CannotConnectNowError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


async def _ping(dsn: str) -> None:
    conn = await asyncpg.connect(dsn, timeout=10)
    await conn.close()


@contextmanager
def hot_standby(server_dsn: str, folder: Path, log: Callable[[str], None]) -> Iterator[Standby]:
    """A hot standby of the whole cluster at `server_dsn`, streaming, in `folder`; stopped
    and deleted on exit."""
    primary = asyncio.run(_primary(server_dsn))
    if primary["in_recovery"]:
        raise RuntimeError("the bench's PostgreSQL is itself a standby")
    bin_dir = server_binaries(major=primary["major"])
    if bin_dir is None:
        raise RuntimeError(f"no PostgreSQL {primary['major']} server binaries on this machine")
    _remove(folder, bin_dir)
    folder.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder.parent).free
    if free < primary["bytes"] + HEADROOM_BYTES:
        raise RuntimeError(
            f"the copy needs ~{primary['bytes'] / 2**30:.1f} GB and {HEADROOM_BYTES / 2**30:.0f} GB"
            f" left over; {free / 2**30:.1f} GB free"
        )
    server = EmbeddedPostgres(
        folder,
        bin_dir=bin_dir,
        settings={**primary["settings"], "fsync": "off"},
    )
    with replication_allowed(server_dsn, bin_dir, Path(primary["hba_file"])) as added:
        try:
            log(
                f"  pg_basebackup of the whole cluster ({primary['bytes'] / 2**30:.1f} GB)"
                + (", replication allowed by a pg_hba line of our own" if added else "")
            )
            began = time.monotonic()
            copied = subprocess.run(
                [
                    str(bin_dir / "pg_basebackup"),
                    "-D",
                    str(folder),
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                    "-R",
                    "--no-sync",  # a throwaway copy: nothing to make durable
                    "-d",
                    f"{server_dsn}/postgres",
                ],
                capture_output=True,
                text=True,
                timeout=BACKUP_SECONDS,
            )
            if copied.returncode:
                raise RuntimeError(f"pg_basebackup failed: {copied.stderr[-1500:]}")
            backup_s = time.monotonic() - began
            size = _disk_bytes(folder)
            # Debian keeps these outside the data directory, so the copy has none.
            for name, text in (
                ("postgresql.conf", "# its settings: on the command line (replica_reads.py)\n"),
                ("pg_hba.conf", "host all all 127.0.0.1/32 trust\n"),
                ("pg_ident.conf", ""),
            ):
                if not (folder / name).exists():
                    (folder / name).write_text(text)
            began = time.monotonic()
            dsn = _start(server, CATCH_UP_SECONDS)
            asyncio.run(wait_streaming(dsn, CATCH_UP_SECONDS))
            asyncio.run(wait_replayed(f"{server_dsn}/postgres", dsn, CATCH_UP_SECONDS))
            standby = Standby(
                dsn, backup_s, time.monotonic() - began, size, primary["bytes"], added
            )
            log(
                f"  standby streaming: copy {backup_s:.0f} s, {size / 2**30:.1f} GB on disk;"
                f" started and caught up in {standby.start_s:.0f} s"
            )
            yield standby
        finally:
            server.stop()
            _remove(folder, bin_dir)


def with_database(dsn: str, database: str) -> str:
    return dsn.rsplit("/", 1)[0] + "/" + database


def counted(base: str, key: str) -> dict[str, dict[str, int]]:
    """From the app's /metrics: the reads by `served_by` (claimledger_replica_reads_total;
    none when this server does not count them) and the answers to GET /v1/claims/{id} by
    status (what a wrk "status error" was)."""
    answer = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    answer.raise_for_status()
    found: dict[str, dict[str, int]] = {"served_by": {}, "statuses": {}}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            if sample.name == "claimledger_replica_reads_total":
                found["served_by"][sample.labels["served_by"]] = int(sample.value)
            elif (
                sample.name == "claimledger_http_request_duration_seconds_count"
                and sample.labels.get("route") == "/v1/claims/{id}"
            ):
                found["statuses"][sample.labels["status"]] = int(sample.value)
    return found


def _since(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: n - before.get(k, 0) for k, n in after.items() if n - before.get(k, 0)}


def scenario(
    bench: Any,
    *,
    server_dsn: str,
    database: str,
    folder: Path,
    start_app: Callable[..., procs.Server],
    ports: tuple[int, int],
    log: Callable[[str], None],
) -> None:
    """Measure REPLICA against PRIMARY into `bench.results` (and the standby's making into
    STANDBY); whatever fails is recorded as not measured. `start_app(name=, port=, env=)`
    starts `claimledger serve` (one worker, core 0) on the bench database."""
    try:
        with hot_standby(server_dsn, folder, log) as standby:
            bench.results[STANDBY] = asdict(standby)
            standby_dsn = with_database(standby.dsn, database)
            servers: list[procs.Server] = []
            try:
                replica_app = start_app(
                    name="app-replica", port=ports[0], env={"DATABASE_READ_URL": standby_dsn}
                )
                servers.append(replica_app)
                primary_app = start_app(name="app-primary", port=ports[1])
                servers.append(primary_app)
                _measure(bench, replica_app, primary_app, server_dsn, database, standby_dsn, log)
            finally:
                for server in servers:
                    server.stop()
    except Exception as exc:  # noqa: BLE001
        log(f"  replica reads: not measured: {exc}")
        for key in (REPLICA, PRIMARY):
            if "summary" not in bench.results.get(key, {}):
                bench.not_measured(key, f"failed: {str(exc)[:300]}")


def _measure(
    bench: Any,
    replica_app: procs.Server,
    primary_app: procs.Server,
    server_dsn: str,
    database: str,
    standby_dsn: str,
    log: Callable[[str], None],
) -> None:
    primary_dsn = f"{server_dsn}/{database}"
    auth = {"Authorization": f"Bearer {bench.key}"}
    made = httpx.post(
        f"{replica_app.url}/v1/sources",
        json={"kind": "other", "title": "bench: the write whose token the reads send"},
        headers=auth,
        timeout=30,
    )
    if made.status_code != 201 or HEADER not in made.headers:
        raise RuntimeError(f"the token's write: {made.status_code} {made.text[:300]}")
    token = made.headers[HEADER]
    asyncio.run(wait_replayed(primary_dsn, standby_dsn, CATCH_UP_SECONDS))
    sample = bench.files["app_ids"].read_text().split()[0]
    for app in (replica_app, primary_app):
        read = httpx.get(app.url + sample, headers={**auth, HEADER: token}, timeout=30)
        if read.status_code != 200:
            raise RuntimeError(f"{app.name} {sample}: {read.status_code} {read.text[:300]}")
    env = {
        "BENCH_PATHS": str(bench.files["app_ids"]),
        "BENCH_AUTH": bench.key,
        "BENCH_CONSISTENCY": token,
    }
    members = [
        measure.Member(
            key,
            bench.wrk_load(app.url, "paths.lua", env, "1", 1),
            target_pids=app.pids,
            root_pid=app.pid,
            pg=(pg_dsn, database),
            note=f"every request sends {HEADER}: {token}",
        )
        for key, app, pg_dsn in (
            (REPLICA, replica_app, standby_dsn),
            (PRIMARY, primary_app, primary_dsn),
        )
    ]
    before = {app.name: counted(app.url, bench.key) for app in (replica_app, primary_app)}
    bench.group(members)
    for key, app in ((REPLICA, replica_app), (PRIMARY, primary_app)):
        if "summary" not in bench.results.get(key, {}):
            continue
        after = counted(app.url, bench.key)
        found = {k: _since(after[k], before[app.name][k]) for k in after}
        bench.results[key].update(found)
        bench.results[key]["summary"]["note"] += (
            f"; answers by status {found['statuses']} (/metrics, warm-up included)"
        )
        log(f"  {key}: answers by status {found['statuses']}, reads {found['served_by']}")
    if "summary" in bench.results.get(REPLICA, {}):
        served = bench.results[REPLICA]["served_by"]
        bench.results[REPLICA]["summary"]["note"] += (
            f"; reads served by the replica {served.get('replica', 0):,}, by the primary"
            f" {served.get('primary', 0):,} (claimledger_replica_reads_total);"
            " PG CPU-s: the standby's backends"
            if served
            else "; this server's /metrics has no claimledger_replica_reads_total"
        )


def target_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets table's rows: ratios reported, issue 13 sets no number."""
    name = "GET by id through a hot standby, with a consistency token, vs the primary"
    found = [results.get(k, {}).get("summary") for k in (REPLICA, PRIMARY)]
    if not all(found):
        reasons = [results.get(k, {}).get("not_measured") for k in (REPLICA, PRIMARY)]
        why = next((r for r in reasons if r), "not measured")
        return [row(name, why, "—", "—", "reported", "not measured")]
    replica, primary = found
    served = results[REPLICA].get("served_by") or {}
    unusual = {
        k: {status: n for status, n in results[k].get("statuses", {}).items() if status != "200"}
        for k in (REPLICA, PRIMARY)
    }
    bad = [
        f"{k} ({s['errors']:,} errors)"
        for k, s in zip((REPLICA, PRIMARY), found, strict=True)
        if s["errors"] > max(10, s["requests"] // 100)
    ]
    rows = [
        row(
            name + " (interleaved)",
            f"{replica['rps']:,.0f} req/s, p99 {replica['p99_ms']:.2f} ms; served by the"
            f" replica {served.get('replica', 0):,}, by the primary {served.get('primary', 0):,}"
            if served
            else f"{replica['rps']:,.0f} req/s, p99 {replica['p99_ms']:.2f} ms",
            f"primary {primary['rps']:,.0f} req/s, p99 {primary['p99_ms']:.2f} ms"
            + "".join(
                f"; {k} answered {statuses} besides 200"
                for k, statuses in unusual.items()
                if statuses
            ),
            f"{replica['rps'] / primary['rps']:.2f}×",
            "reported (issue 13 sets no number)",
            f"**INVALID**: {', '.join(bad)}" if bad else "reported",
        )
    ]
    standby = results.get(STANDBY)
    if standby:
        rows.append(
            row(
                "hot standby of the bench cluster: pg_basebackup of the whole cluster",
                f"{standby['backup_s']:.0f} s, {standby['bytes'] / 2**30:.1f} GB on disk;"
                f" started and caught up in {standby['start_s']:.0f} s",
                f"cluster {standby['cluster_bytes'] / 2**30:.1f} GB",
                f"{standby['backup_s']:.0f} s",
                "reported",
                "reported",
            )
        )
    return rows
