"""Embedded PostgreSQL 16 (binaries from the `pgserver` wheel), used when DATABASE_URL is unset.

We drive its initdb/pg_ctl, not `pgserver.get_server()`: that stops the server from an atexit
hook behind a per-pid refcount file (a killed process makes it unstoppable), trusts any live
pid in postmaster.pid (pids get recycled) and runs postgres with root's group. Clients use TCP
on 127.0.0.1, port picked free at each start; Unix sockets are off, their paths being capped at
~107 bytes (pytest's tmp dirs overflow it). Auth is `trust`: loopback-only developer database.
Postgres refuses root, so under root it runs as system user `pgserver` (as pgserver does).
"""

import contextlib
import fcntl
import importlib.util
import os
import pwd
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from subprocess import DEVNULL, STDOUT
from typing import Any, Self
from urllib.parse import quote, urlsplit

import asyncpg

# Located, not imported: importing pgserver warns when XDG_RUNTIME_DIR is unset.
_ORIGIN = getattr(importlib.util.find_spec("pgserver"), "origin", None) or "no-pgserver/x"
BIN_DIR = Path(_ORIGIN).parent / "pginstall" / "bin"
SERVICE_USER = "pgserver"
SUPERUSER = "postgres"
START_TIMEOUT_S = 60
STOP_SIGNALS = ((signal.SIGINT, 30.0), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0))


def _alive(pid: int) -> bool:
    """A zombie still answers kill(pid, 0) but serves nothing, and PID 1 in a container may
    never reap it, so its /proc state decides."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _is_postmaster_of(pid: int, data_dir: Path) -> bool:
    """After a crash the pid in postmaster.pid may belong to an unrelated process, and postgres
    will not start while that pid lives; so check what the pid really runs."""
    if not _alive(pid):
        return False
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:  # gone meanwhile, or no procfs (macOS: then liveness is all we have)
        return not Path("/proc/self").is_dir()
    return Path(os.fsdecode(argv[0])).name == "postgres" and os.fsencode(data_dir) in argv


class EmbeddedPostgres:
    """One cluster in `data_dir`. `with EmbeddedPostgres(d) as pg:` starts it and sets `pg.dsn`;
    leaving the block stops it. A server already running on `data_dir` (say, left by a killed
    run) is reused by `start()` and stopped by `stop()`, whoever started it."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        *,
        bin_dir: Path = BIN_DIR,
        standby_of: str | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        """`port`: listen there at every start, not on one picked free each time (so that
        clients of a server stopped and started again find it). `bin_dir`: another
        PostgreSQL's binaries. `standby_of`: a primary's DSN; a new cluster is then a
        streaming hot standby of it (`pg_basebackup -R`), not made by initdb. `settings`:
        server settings given at every start (`-c name=value`)."""
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.port = port
        self.bin_dir = bin_dir
        self.standby_of = standby_of
        self.settings = dict(settings or {})
        self.log_file = self.data_dir / "postgresql.log"
        self.dsn: str | None = None
        self._kw: dict[str, Any] = {"cwd": self.data_dir, "timeout": START_TIMEOUT_S + 30}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # Serialises start/stop across processes: several workers may race to start.
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with self.data_dir.with_name(self.data_dir.name + ".lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        # Output goes to a file, not a pipe: a postmaster inheriting a pipe would hang us.
        with tempfile.TemporaryFile("w+") as out:
            cmd = [str(self.bin_dir / args[0]), *args[1:]]
            done = subprocess.run(cmd, stdin=DEVNULL, stdout=out, stderr=STDOUT, **self._kw)  # noqa: S603
            out.seek(0)
            return subprocess.CompletedProcess(done.args, done.returncode, out.read())

    def _postmaster(self) -> list[str] | None:
        """postmaster.pid lines if a live server owns this dir; a stale file is removed."""
        pidfile = self.data_dir / "postmaster.pid"
        try:
            lines = pidfile.read_text().splitlines()
        except FileNotFoundError:
            return None
        if lines and lines[0].isdigit() and _is_postmaster_of(int(lines[0]), self.data_dir):
            return [s.strip() for s in [*lines, *[""] * 8][:8]]
        pidfile.unlink(missing_ok=True)
        return None

    def _prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam(SERVICE_USER)
            except KeyError:
                useradd = "useradd --system --user-group --no-create-home --shell /usr/sbin/nologin"
                subprocess.run([*useradd.split(), SERVICE_USER], check=True, capture_output=True)  # noqa: S603
                user = pwd.getpwnam(SERVICE_USER)
            uid, gid = user.pw_uid, user.pw_gid
            self._kw |= {"user": uid, "group": gid, "extra_groups": []}  # subprocess drops root
            # The service user must reach the data dir and the binaries (a checkout in a 0700
            # temp dir hides both): o+x on the folders above them, nothing more.
            for parent in {*self.data_dir.parents, *self.bin_dir.resolve().parents}:
                if not parent.stat().st_mode & 0o001:
                    parent.chmod(parent.stat().st_mode | 0o001)
            if self.data_dir.stat().st_uid != uid:  # new dir, or uid changed on rebuild
                for root, dirs, files in os.walk(self.data_dir):
                    for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                        os.lchown(name, uid, gid)
        if self.data_dir.stat().st_mode & 0o777 not in (0o700, 0o750):
            self.data_dir.chmod(0o700)  # postgres refuses group/world-accessible data dirs
        if (self.data_dir / "PG_VERSION").exists():
            return
        if self.standby_of is not None:
            clone = ["pg_basebackup", "-D", str(self.data_dir), "-R", "-X", "stream", "-c", "fast"]
            if (result := self._run(*clone, "-d", self.standby_of)).returncode == 0:
                return
            raise RuntimeError(f"pg_basebackup failed:\n{result.stdout}")
        # Byte-order collation (identical on every machine), UTF-8 ctype so lower() and ILIKE
        # fold non-ASCII names; plain C where the OS lacks the C.UTF-8 locale.
        base = ["initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8"]
        for locale in (["--locale=C", "--lc-ctype=C.UTF-8"], ["--locale=C"]):
            if (result := self._run(*base, *locale)).returncode == 0:
                return
        raise RuntimeError(f"initdb failed:\n{result.stdout}")

    def running(self) -> bool:
        with self._locked():
            return self._postmaster() is not None

    def start(self) -> str:
        """Start (or reuse) the server; return an asyncpg DSN for the `postgres` database."""
        with self._locked():
            if (info := self._postmaster()) is None:  # the lock means it is "ready" otherwise
                self._prepare()
                info = self._launch()
        port, host = info[3], info[5].split(",")[0].strip().replace("*", "127.0.0.1")
        # No listen address means someone else started it socket-only: use its socket then.
        at = f"{host}:{port}/postgres" if host else f"/postgres?host={quote(info[4])}&port={port}"
        self.dsn = f"postgresql://{SUPERUSER}@{at}"
        return self.dsn

    def _launch(self) -> list[str]:
        for _ in range(3):  # the free port can be taken between probing and binding
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                opts = f"-h 127.0.0.1 -p {self.port or probe.getsockname()[1]} -k ''"
            opts += "".join(f" -c {shlex.quote(f'{k}={v}')}" for k, v in self.settings.items())
            seen = self.log_file.stat().st_size if self.log_file.exists() else 0
            pg_ctl = ["pg_ctl", "start", "-w", "-t", str(START_TIMEOUT_S), "-D", str(self.data_dir)]
            result = self._run(*pg_ctl, "-l", str(self.log_file), "-o", opts)
            if result.returncode == 0 and (info := self._postmaster()) is not None:
                return info
            log = self.log_file.read_bytes()[seen:].decode(errors="replace")
            if self.port or "could not bind" not in log:
                break  # a port of our choosing that is taken stays taken
        raise RuntimeError(f"embedded postgres failed to start:\n{result.stdout}\n{log}")

    def stop(self) -> None:
        """Fast shutdown (SIGINT, as `pg_ctl stop -m fast`), then immediate (SIGQUIT) and
        SIGKILL only if it hangs; return once the postmaster is gone. Idempotent."""
        self.dsn = None
        with self._locked():
            if (info := self._postmaster()) is None:
                return
            pid = int(info[0])
            for sig, wait_s in STOP_SIGNALS:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
                deadline = time.monotonic() + wait_s
                while time.monotonic() < deadline:
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(pid, os.WNOHANG)  # reap it if we are its (sub)reaper
                    if not _alive(pid):
                        return
                    time.sleep(0.05)
            raise RuntimeError(f"postgres pid {pid} survived SIGKILL")

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


async def create_database(dsn: str, name: str) -> str:
    """Create database `name` unless it exists; return `dsn` pointing at it. Async: the app
    calls it at startup; a concurrent creator winning the race is not an error."""
    conn = await asyncpg.connect(dsn)
    try:
        if not await conn.fetchval("select 1 from pg_database where datname = $1", name):
            ident = '"' + name.replace('"', '""') + '"'
            with contextlib.suppress(asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
                await conn.execute(f"create database {ident}")
    finally:
        await conn.close()
    return urlsplit(dsn)._replace(path="/" + quote(name, safe="")).geturl()
