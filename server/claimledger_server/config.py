"""Settings, read once from the environment (twelve-factor): every knob has a default that
is right for a developer laptop and is documented in the README's configuration table."""

import os
from pathlib import Path

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    """PostgreSQL DSN; when unset, `make serve` starts the embedded server."""
    database_read_url: str | None = None
    """Optional replica DSN for read-only requests; defaults to `database_url`."""
    data_dir: Path = Path(".data")
    pool_min_size: int = 2
    pool_max_size: int = 10
    max_body_bytes: int = 1024 * 1024
    api_key_cache_seconds: float = 10.0
    """How long a verified API key is trusted without asking the database again, which
    bounds how long a revoked key keeps working."""
    rate_limit_per_minute: int = 6000
    """Requests a minute per API key, unless the key has its own limit."""
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ

        def number(name: str, default: float) -> float:
            raw = env.get(name)
            if raw is None or raw == "":
                return default
            try:
                return float(raw)
            except ValueError:
                raise SystemExit(f"{name} must be a number, got {raw!r}") from None

        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            database_read_url=env.get("DATABASE_READ_URL") or None,
            data_dir=Path(env.get("CLAIMLEDGER_DATA_DIR") or defaults.data_dir),
            pool_min_size=int(number("CLAIMLEDGER_POOL_MIN_SIZE", defaults.pool_min_size)),
            pool_max_size=int(number("CLAIMLEDGER_POOL_MAX_SIZE", defaults.pool_max_size)),
            max_body_bytes=int(number("CLAIMLEDGER_MAX_BODY_BYTES", defaults.max_body_bytes)),
            api_key_cache_seconds=number(
                "CLAIMLEDGER_API_KEY_CACHE_SECONDS", defaults.api_key_cache_seconds
            ),
            rate_limit_per_minute=int(
                number("CLAIMLEDGER_RATE_LIMIT_PER_MINUTE", defaults.rate_limit_per_minute)
            ),
            host=env.get("CLAIMLEDGER_HOST") or defaults.host,
            port=int(number("CLAIMLEDGER_PORT", defaults.port)),
            workers=int(number("CLAIMLEDGER_WORKERS", defaults.workers)),
        )
