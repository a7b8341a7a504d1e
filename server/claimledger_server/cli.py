"""`claimledger`: serve the API, migrate, seed, manage API keys, write the OpenAPI document.

Every command reads DATABASE_URL. When it is unset, the embedded PostgreSQL in
`$CLAIMLEDGER_DATA_DIR/pg` (default `.data/pg`) is used: `serve` starts it and stops it on
exit; the other commands use it and stop it again only if they were the ones to start it."""

import argparse
import asyncio
import contextlib
import logging
import logging.config
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from types import FrameType
from typing import NoReturn, TypeVar

import asyncpg

from claimledger_server import auth
from claimledger_server.bulk.lines import BulkError, import_records, ndjson_records
from claimledger_server.config import LOG_FORMATS, MAX_WORKERS, Settings, parse_origins
from claimledger_server.db.migrate import migrate
from claimledger_server.keys import store as key_store
from claimledger_server.keys.schemas import MAX_NAME as MAX_KEY_NAME
from claimledger_server.local_key import announcement, local_admin_key
from claimledger_server.rate_limits import MAX_LIMIT
from claimledger_server.versioning.store import Author

T = TypeVar("T")
EMBEDDED_DATABASE = "claimledger"
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"

log = logging.getLogger("claimledger.cli")


def start_logging(args: argparse.Namespace, settings: Settings) -> str:
    """Log as `--log-format` (or CLAIMLEDGER_LOG_FORMAT) says; returns the format. Before
    anything imports prometheus_client, too: a PROMETHEUS_MULTIPROC_DIR inherited from the
    environment would make this process keep its metrics in files there, added to whatever
    another run left; `serve` makes its own when it needs one."""
    os.environ.pop(MULTIPROCESS_ENV, None)
    from claimledger_server.observability import logs

    log_format: str = args.log_format or settings.log_format
    logging.config.dictConfig(logs.config(log_format))
    return log_format


@contextmanager
def database(settings: Settings, *, keep_running: bool) -> Iterator[str]:
    """Yield a DSN: DATABASE_URL, or the embedded server (started if needed)."""
    if settings.database_url:
        yield settings.database_url
        return
    from claimledger_server.db.embedded import EmbeddedPostgres, create_database

    server = EmbeddedPostgres(settings.data_dir / "pg")
    was_running = server.running()
    admin_dsn = server.start()
    try:
        yield asyncio.run(create_database(admin_dsn, EMBEDDED_DATABASE))
    finally:
        if not (was_running or keep_running):
            server.stop()


def run_with(dsn: str, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    async def main() -> T:
        conn = await asyncpg.connect(dsn)
        try:
            return await work(conn)
        finally:
            await conn.close()

    return asyncio.run(main())


def seed_directory(dsn: str, folder: Path) -> str:
    """Load every `*.ndjson` in `folder`, all in one transaction."""
    files = [(path.name, path.read_bytes()) for path in sorted(folder.glob("*.ndjson"))]
    if not files:
        return f"no seed files in {folder}"

    async def load(conn: asyncpg.Connection) -> str:
        reports = []
        async with conn.transaction():
            for name, content in files:
                records = partial(ndjson_records, content)
                result = await import_records(conn, records, Author(None, f"seed {name}"))
                counts = f"{result.created} created, {result.updated} updated"
                reports.append(f"{name}: {counts}, {result.unchanged} unchanged")
        return "; ".join(reports)

    return run_with(dsn, load)


class StopRequested(BaseException):
    """SIGINT or SIGTERM: a request to stop, not an error. A BaseException, so that no
    `except Exception` on the way up takes it for a failure."""


def _stop_requested(signum: int, frame: FrameType | None) -> None:
    # One stop at a time: a second Ctrl-C must not cut short the database shutdown.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, signal.SIG_IGN)
    raise StopRequested


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Exit status 0 when stopped by SIGINT (Ctrl-C) or SIGTERM: uvicorn drains the requests
    in flight, re-raises the signal, and it lands here once the embedded database is
    stopped too; any status but 0 would make `make serve` report the stop as a failure."""
    port = args.port or settings.port
    if (args.metrics_port or settings.metrics_port) == port:
        print(
            f"claimledger serve: --metrics-port {port} is the API's port; pick another"
            " (see claimledger serve --help)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _stop_requested)
    log_format = start_logging(args, settings)
    # One process re-raises the signal once it has drained (StopRequested); a supervisor of
    # several returns once its workers have.
    with contextlib.suppress(StopRequested):
        _serve(args, settings, log_format)
    log.info("stopped")
    return 0


def _serve(args: argparse.Namespace, settings: Settings, log_format: str) -> None:
    # uvicorn, measured against granian by `make bench` (bench/results.md, 2026-11-25): the
    # same app on granian served GET by id 4-10% faster like for like, but as `serve` its
    # supervisor process (49 MB) put the server at 159 MB under the read load, past the
    # 150 MB budget, for no gain in that run (4,403 vs 4,375 req/s on uvicorn).
    import uvicorn

    from claimledger_server.observability import exposition, logs

    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers
    metrics_port = (args.metrics_port or settings.metrics_port) if settings.metrics else None
    with database(settings, keep_running=False) as dsn:
        applied = run_with(dsn, migrate)
        log.info("migrations: %s", ", ".join(applied) or "up to date")
        if not args.no_seed:
            log.info("seeds: %s", seed_directory(dsn, args.seeds))
        if args.local_key:
            key = run_with(dsn, lambda conn: local_admin_key(conn, settings.data_dir))
            explore = settings.explore and not args.no_explore
            log.info("%s", announcement(key, f"http://{host}:{port}", explore=explore))
        # The app factory reads its settings from the environment, in every worker.
        os.environ["DATABASE_URL"] = dsn
        if args.no_worker:
            os.environ["CLAIMLEDGER_WEBHOOK_WORKER"] = "false"
        if args.no_explore:
            os.environ["CLAIMLEDGER_EXPLORE"] = "false"
        if args.access_log:
            os.environ["CLAIMLEDGER_ACCESS_LOG"] = "true"
        if metrics_port is not None:
            os.environ["CLAIMLEDGER_METRICS_PORT"] = str(metrics_port)
        if args.cors_origins is not None:
            os.environ["CLAIMLEDGER_CORS_ORIGINS"] = ",".join(args.cors_origins)
        with (
            exposition.multiprocess_directory(workers if settings.metrics else 1),
            exposition.metrics_port(host, metrics_port, dsn, settings.database_read_url),
        ):
            uvicorn.run(
                "claimledger_server.app:create_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_config=logs.config(log_format),
                log_level="info",
                # The app logs each request itself, with its route, duration and key id,
                # when asked to (--access-log): one line per request costs a measurable
                # share of a fast read. uvicorn's own line would come on top of it.
                access_log=False,
                proxy_headers=False,
            )


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    start_logging(args, settings)
    from claimledger_server.observability import exposition
    from claimledger_server.webhooks.worker import serve

    metrics_port = args.metrics_port or settings.worker_metrics_port
    with database(settings, keep_running=False) as dsn:
        run_with(dsn, migrate)
        # Its own port: workers run anywhere, any number of them, apart from `serve`.
        with exposition.metrics_port(settings.host, metrics_port, dsn, None):
            asyncio.run(serve(dsn, settings))
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings, keep_running=False) as dsn:
        applied = run_with(dsn, migrate)
    print(f"applied: {', '.join(applied)}" if applied else "up to date", file=sys.stderr)
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings, keep_running=False) as dsn:
        run_with(dsn, migrate)
        try:
            print(seed_directory(dsn, args.seeds), file=sys.stderr)
        except BulkError as exc:
            print(f"seeding failed, nothing was written: {exc}", file=sys.stderr)
            return 1
    return 0


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    """Bootstrap and recovery: these work on the database directly, announce nothing in the
    changes feed, and may revoke even the last admin key (`create` makes a new one)."""
    with database(settings, keep_running=False) as dsn:
        run_with(dsn, migrate)
        if args.keys_command == "create":
            print(
                run_with(
                    dsn, lambda c: key_store.create_key(c, args.name, args.scopes, args.rate_limit)
                )
            )
        elif args.keys_command == "list":
            for key in run_with(dsn, key_store.every_key):
                revoked = key.revoked_at
                state = f"revoked {revoked.isoformat(timespec='seconds')}" if revoked else "active"
                limit = (
                    f"{key.rate_limit_per_minute}/min" if key.rate_limit_per_minute else "default"
                )
                print(
                    f"{key.id}\t{key.prefix}…\t{','.join(key.scopes)}\t{limit}\t{state}\t{key.name}"
                )
        else:
            if not run_with(dsn, lambda c: key_store.revoke_key(c, args.id)):
                print(f"no active key {args.id}", file=sys.stderr)
                return 1
            print(f"revoked {args.id}", file=sys.stderr)
    return 0


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    from claimledger_server.app import openapi_document

    document = openapi_document()
    if args.check:
        if not args.output.is_file() or args.output.read_bytes() != document:
            print(f"{args.output} is out of date: run `claimledger openapi`", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(document)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


class _Parser(argparse.ArgumentParser):
    """Input errors are one line naming the command and the argument, and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def whole_number(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {minimum} to {maximum}, got {text!r}"
            )
        return value

    return parse


def key_name(text: str) -> str:
    # `keys list` prints one key a line, its fields separated by tabs.
    if not text.strip() or len(text) > MAX_KEY_NAME or any(c < " " or c == "\x7f" for c in text):
        raise argparse.ArgumentTypeError(
            f"must be 1 to {MAX_KEY_NAME} characters, not blank and without control characters"
        )
    return text


def scopes(text: str) -> tuple[str, ...]:
    try:
        return auth.parse_scopes(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def directory(text: str) -> Path:
    if not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a directory")
    return Path(text)


def origins(text: str) -> tuple[str, ...]:
    try:
        return parse_origins(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def log_format_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        help="json: one JSON object a line (default); text: for people ($CLAIMLEDGER_LOG_FORMAT)",
    )


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="claimledger", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", help="migrate, seed and serve the API")
    serve.add_argument("--host", help="default 127.0.0.1 ($CLAIMLEDGER_HOST)")
    serve.add_argument(
        "--port", type=whole_number(1, 65535), help="default 8000 ($CLAIMLEDGER_PORT)"
    )
    serve.add_argument(
        "--workers",
        type=whole_number(1, MAX_WORKERS),
        help="processes, default 1 ($CLAIMLEDGER_WORKERS)",
    )
    serve.add_argument("--seeds", type=directory, default=Path("seeds"), help="folder of .ndjson")
    serve.add_argument("--no-seed", action="store_true", help="do not load seeds")
    serve.add_argument(
        "--access-log", action="store_true", help="log every request ($CLAIMLEDGER_ACCESS_LOG)"
    )
    serve.add_argument(
        "--metrics-port",
        type=whole_number(1, 65535),
        help="serve /metrics on this port without a key, instead of on --port behind an admin"
        " key ($CLAIMLEDGER_METRICS_PORT)",
    )
    serve.add_argument(
        "--cors-origins",
        type=origins,
        metavar="ORIGINS",
        help="comma-separated origins whose browser apps may call the API, e.g."
        " https://app.example.org, or * for any; none by default ($CLAIMLEDGER_CORS_ORIGINS)",
    )
    log_format_argument(serve)
    serve.add_argument(
        "--local-key",
        action="store_true",
        help="print an admin key for local use, kept in $CLAIMLEDGER_DATA_DIR/local-admin-key",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="do not deliver webhooks in-process ($CLAIMLEDGER_WEBHOOK_WORKER=false)",
    )
    serve.add_argument(
        "--no-explore",
        action="store_true",
        help="do not serve the web explorer at /explore ($CLAIMLEDGER_EXPLORE=false)",
    )
    serve.set_defaults(run=cmd_serve)

    worker = commands.add_parser(
        "worker", help="deliver webhooks (run any number, next to or instead of serve's)"
    )
    worker.add_argument(
        "--metrics-port",
        type=whole_number(1, 65535),
        help="serve this worker's /metrics on this port of $CLAIMLEDGER_HOST, without a key"
        " (default: none; $CLAIMLEDGER_WORKER_METRICS_PORT)",
    )
    log_format_argument(worker)
    worker.set_defaults(run=cmd_worker)

    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)

    seed = commands.add_parser("seed", help="load seeds/*.ndjson (idempotent)")
    seed.add_argument("--seeds", type=directory, default=Path("seeds"))
    seed.set_defaults(run=cmd_seed)

    keys = commands.add_parser("keys", help="manage API keys")
    keys.set_defaults(run=cmd_keys)
    key_commands = keys.add_subparsers(dest="keys_command", required=True, parser_class=_Parser)
    create = key_commands.add_parser("create", help="create a key; prints only the key")
    create.add_argument("--name", type=key_name, required=True)
    create.add_argument(
        "--scopes", type=scopes, default=("read",), help="comma-separated: read,write,admin"
    )
    create.add_argument(
        "--rate-limit",
        type=whole_number(1, MAX_LIMIT),
        default=None,
        help="requests a minute for this key (default: $CLAIMLEDGER_RATE_LIMIT_PER_MINUTE)",
    )
    key_commands.add_parser("list", help="list keys (never their secrets)")
    revoke = key_commands.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")

    openapi = commands.add_parser("openapi", help="write openapi/openapi.json from the app")
    openapi.add_argument("--output", type=Path, default=Path("openapi/openapi.json"))
    openapi.add_argument("--check", action="store_true", help="fail if the file is out of date")
    openapi.set_defaults(run=cmd_openapi)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SystemExit as exc:  # a setting in the environment is not usable
        print(f"claimledger: {exc}", file=sys.stderr)
        return 2
    result: int = args.run(args, settings)
    return result


if __name__ == "__main__":
    sys.exit(main())
