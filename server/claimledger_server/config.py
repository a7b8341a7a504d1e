"""Settings, read once from the environment (twelve-factor): every knob has a default that
is right for a developer laptop and is documented in the README's configuration table."""

import math
import os
import re
from collections.abc import Mapping
from pathlib import Path

import msgspec

from claimledger_server.rate_limits import MAX_LIMIT

MAX_WORKERS = 256
MAX_EXTRACTION_PROCESSES = 64
DEFAULT_EXTRACTOR = "claimledger_server.extractions.rules:RuleExtractor"
LOG_FORMATS = ("json", "text")
_ORIGIN = re.compile(r"^[a-z][a-z0-9+.-]*://(\[[0-9a-f:.]+\]|[a-z0-9_~%.-]+)(:[0-9]{1,5})?$")
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def parse_origins(text: str) -> tuple[str, ...]:
    """Comma-separated origins as browsers send them in `Origin` (`https://app.example.org`,
    `http://localhost:5173`), or `*` for any; case and a default port are normalized away."""
    origins: list[str] = []
    for part in text.split(","):
        origin = part.strip().rstrip("/").lower()
        if not origin:
            continue
        if origin != "*":
            if not _ORIGIN.match(origin):
                raise ValueError(
                    f"{part.strip()!r} is not an origin: scheme://host[:port] without a path,"
                    " e.g. https://app.example.org"
                )
            default_port = _DEFAULT_PORTS.get(origin.split(":", 1)[0])
            if default_port:
                origin = origin.removesuffix(default_port)
        if origin not in origins:
            origins.append(origin)
    if "*" in origins and len(origins) > 1:
        raise ValueError("* already allows every origin; list no others with it")
    return tuple(origins)


def _env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name} must be true or false, got {raw!r}")


def _env_choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw not in choices:
        raise SystemExit(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _env_numbers(
    env: Mapping[str, str], name: str, default: tuple[float, ...]
) -> tuple[float, ...]:
    raw = env.get(name) or ""
    if not raw.strip():
        return default
    try:
        values = tuple(float(part) for part in raw.split(","))
    except ValueError:
        raise SystemExit(f"{name} must be comma-separated numbers, got {raw!r}") from None
    if not all(math.isfinite(value) for value in values):
        raise SystemExit(f"{name} must be comma-separated numbers, got {raw!r}")
    if any(value < 0 for value in values):
        raise SystemExit(f"{name} must not hold negative numbers, got {raw!r}")
    return values


class WebhookSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Webhook delivery: `claimledger worker`, and the worker `serve` runs in-process."""

    worker: bool = True
    """Run a delivery worker (and the sequencer) inside each API process."""
    allow_private: bool = False
    """Allow targets on loopback and private networks, and plain http to them."""
    timeout_seconds: float = 15.0
    retry_schedule: tuple[float, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    """Delay before each attempt, in seconds; its length is the number of attempts."""
    disable_after_seconds: float = 5 * 24 * 3600.0
    """An endpoint failing continuously this long is disabled."""
    concurrency: int = 64
    """Requests one worker has in flight at most."""
    poll_seconds: float = 5.0
    """Look for due deliveries at least this often, besides waking on NOTIFY."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "WebhookSettings":
        d = cls()

        def one(name: str, default: float) -> float:
            return _env_numbers(env, f"CLAIMLEDGER_WEBHOOK_{name}", (default,))[0]

        return cls(
            worker=_env_flag(env, "CLAIMLEDGER_WEBHOOK_WORKER", d.worker),
            allow_private=_env_flag(env, "CLAIMLEDGER_WEBHOOKS_ALLOW_PRIVATE", d.allow_private),
            timeout_seconds=one("TIMEOUT_SECONDS", d.timeout_seconds),
            retry_schedule=_env_numbers(
                env, "CLAIMLEDGER_WEBHOOK_RETRY_SCHEDULE", d.retry_schedule
            ),
            disable_after_seconds=one("DISABLE_AFTER_SECONDS", d.disable_after_seconds),
            concurrency=max(1, int(one("CONCURRENCY", d.concurrency))),
            poll_seconds=one("POLL_SECONDS", d.poll_seconds),
        )


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    """PostgreSQL DSN; when unset, `make serve` starts the embedded server."""
    database_read_url: str | None = None
    """Optional replica DSN for read-only requests; defaults to `database_url`."""
    replica_wait_seconds: float = 0.05
    """How long a read carrying a consistency token waits for the replica to replay that
    far before the primary answers it instead."""
    data_dir: Path = Path(".data")
    pool_min_size: int = 2
    pool_max_size: int = 20
    """Connections per process, lent first come, first served (`db.pool.FairPool`). Fewer
    cost PostgreSQL less CPU per statement when it has few cores, but make requests wait for
    one, which costs the server: on two cores, 10 instead of 20 made new searches 10-16 %
    faster and GET by id 2-20 % slower (bench/README.md, "Connections")."""
    max_body_bytes: int = 1024 * 1024
    max_header_bytes: int = 16 * 1024
    """All request headers together; larger requests are refused with 431."""
    max_import_bytes: int = 32 * 1024 * 1024
    """Body limit of `POST /v1/import` alone, in place of `max_body_bytes`."""
    api_key_cache_seconds: float = 10.0
    """How long a verified API key is trusted without asking the database again, which
    bounds how long a revoked key keeps working."""
    rate_limit_per_minute: int = 6000
    """Requests a minute per API key, unless the key has its own limit."""
    auth_failures_per_minute: int = 60
    """Requests with an invalid or revoked key a client address may send a minute before it
    is answered 429 for the rest of the minute; 0 turns the budget off."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    explore: bool = True
    """Serve the web explorer at `/explore` (`serve --no-explore` turns it off)."""
    metrics: bool = True
    """Time every request and answer `/metrics`; false turns both off (webhook attempts,
    a counter per send, are counted either way)."""
    metrics_port: int | None = None
    """Serve `/metrics` on this port of `host`, without a key, instead of on the API's port
    behind an admin key."""
    worker_metrics_port: int | None = None
    """The port `claimledger worker` serves its `/metrics` on; none when unset."""
    log_format: str = "json"
    """`json`: one JSON object a line; `text`: lines for people (development)."""
    access_log: bool = False
    """Log every request (one line each); errors and warnings are logged either way."""
    cors_origins: tuple[str, ...] = ()
    """Origins whose browser apps may call the API (CORS), or `*` for any; none by default."""
    compression: bool = True
    """Answer gzip or brotli, as the client accepts, for bodies of `compression_min_bytes`
    and more (and every streamed one, the export); false when a proxy in front compresses."""
    compression_min_bytes: int = 4096
    """Smaller bodies go as they are: a single resource mostly, whose few hundred bytes
    saved would not pay for the CPU."""
    webhooks: WebhookSettings = msgspec.field(default_factory=WebhookSettings)
    relevance_timeout_seconds: float = 5.0
    """Longest a claim search by relevance (`sort=relevance`) may take to rank its matches
    (about 5 µs of PostgreSQL per match, bench/README.md): past it the search is answered
    422, pointing at `sort=newest` and the filters, instead of holding a connection. 0: no
    limit."""
    extractor: str = DEFAULT_EXTRACTOR
    """The extractor that drafts claims from text (`POST /v1/extractions`), as
    `package.module:Class` (see `extractions/extractor.py`)."""
    extraction_processes: int = 1
    """Processes per API process that run the extractor, so drafting never holds the event
    loop (or the GIL) that answers other requests; drafts beyond them wait their turn."""
    extraction_max_chars: int = 100_000
    """Longest text `POST /v1/extractions` drafts from, in characters (Unicode code
    points); a longer one is refused with 413."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ

        def number(name: str, default: float) -> float:
            raw = env.get(name)
            if raw is None or raw == "":
                return default
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise SystemExit(f"{name} must be a number, got {raw!r}")
            return value

        def whole(name: str, default: int, minimum: int, maximum: int = MAX_LIMIT) -> int:
            value = number(name, default)
            if not (float(value).is_integer() and minimum <= value <= maximum):
                raise SystemExit(
                    f"{name} must be a whole number from {minimum} to {maximum},"
                    f" got {env.get(name)!r}"
                )
            return int(value)

        def seconds(name: str, default: float, maximum: float) -> float:
            value = number(name, default)
            if not 0 <= value <= maximum:
                raise SystemExit(f"{name} must be from 0 to {maximum:g}, got {env.get(name)!r}")
            return value

        def port(name: str) -> int | None:
            return whole(name, 0, 1, 65535) if env.get(name) else None

        def origins(name: str) -> tuple[str, ...]:
            try:
                return parse_origins(env.get(name) or "")
            except ValueError as exc:
                raise SystemExit(f"{name}: {exc}") from None

        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            database_read_url=env.get("DATABASE_READ_URL") or None,
            replica_wait_seconds=seconds(
                "CLAIMLEDGER_REPLICA_WAIT_SECONDS", defaults.replica_wait_seconds, 60.0
            ),
            data_dir=Path(env.get("CLAIMLEDGER_DATA_DIR") or defaults.data_dir),
            pool_min_size=whole("CLAIMLEDGER_POOL_MIN_SIZE", defaults.pool_min_size, 0),
            pool_max_size=whole("CLAIMLEDGER_POOL_MAX_SIZE", defaults.pool_max_size, 1),
            max_body_bytes=whole("CLAIMLEDGER_MAX_BODY_BYTES", defaults.max_body_bytes, 1),
            max_header_bytes=whole("CLAIMLEDGER_MAX_HEADER_BYTES", defaults.max_header_bytes, 1),
            max_import_bytes=whole("CLAIMLEDGER_MAX_IMPORT_BYTES", defaults.max_import_bytes, 1),
            api_key_cache_seconds=number(
                "CLAIMLEDGER_API_KEY_CACHE_SECONDS", defaults.api_key_cache_seconds
            ),
            rate_limit_per_minute=whole(
                "CLAIMLEDGER_RATE_LIMIT_PER_MINUTE", defaults.rate_limit_per_minute, 1
            ),
            auth_failures_per_minute=whole(
                "CLAIMLEDGER_AUTH_FAILURES_PER_MINUTE", defaults.auth_failures_per_minute, 0
            ),
            host=env.get("CLAIMLEDGER_HOST") or defaults.host,
            port=whole("CLAIMLEDGER_PORT", defaults.port, 1, 65535),
            workers=whole("CLAIMLEDGER_WORKERS", defaults.workers, 1, MAX_WORKERS),
            explore=_env_flag(env, "CLAIMLEDGER_EXPLORE", defaults.explore),
            metrics=_env_flag(env, "CLAIMLEDGER_METRICS", defaults.metrics),
            metrics_port=port("CLAIMLEDGER_METRICS_PORT"),
            worker_metrics_port=port("CLAIMLEDGER_WORKER_METRICS_PORT"),
            log_format=_env_choice(env, "CLAIMLEDGER_LOG_FORMAT", LOG_FORMATS, defaults.log_format),
            access_log=_env_flag(env, "CLAIMLEDGER_ACCESS_LOG", defaults.access_log),
            cors_origins=origins("CLAIMLEDGER_CORS_ORIGINS"),
            compression=_env_flag(env, "CLAIMLEDGER_COMPRESSION", defaults.compression),
            compression_min_bytes=whole(
                "CLAIMLEDGER_COMPRESSION_MIN_BYTES", defaults.compression_min_bytes, 0
            ),
            relevance_timeout_seconds=seconds(
                "CLAIMLEDGER_RELEVANCE_TIMEOUT_SECONDS", defaults.relevance_timeout_seconds, 3600.0
            ),
            webhooks=WebhookSettings.from_env(env),
            extractor=(env.get("CLAIMLEDGER_EXTRACTOR") or "").strip() or defaults.extractor,
            extraction_processes=whole(
                "CLAIMLEDGER_EXTRACTION_PROCESSES",
                defaults.extraction_processes,
                1,
                MAX_EXTRACTION_PROCESSES,
            ),
            extraction_max_chars=whole(
                "CLAIMLEDGER_EXTRACTION_MAX_CHARS", defaults.extraction_max_chars, 1
            ),
        )
