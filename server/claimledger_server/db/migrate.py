"""A small migration runner: numbered files in `migrations/`, each applied once in its own
transaction and recorded in `schema_migrations`. An advisory lock makes concurrent starts
(several API processes booting at once) apply each file exactly once.

Most migrations are `.sql`. A change to the stored documents that needs the server's own
rules (re-deriving figure bounds through the one write path, so each change gets its
version and event) is a `.py` file whose `async def apply(conn)` runs in that transaction."""

import hashlib
import importlib.util
import sys
from collections.abc import Awaitable, Callable
from importlib import resources

import asyncpg

_LOCK_ID = 7_203_118_001  # arbitrary, constant: "the claimledger migrator"


def available() -> list[tuple[int, str, str]]:
    """(number, file name, text) for every migration shipped with the package, in order."""
    folder = resources.files("claimledger_server.db") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith((".sql", ".py")):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _python_step(name: str, source: str) -> Callable[[asyncpg.Connection], Awaitable[None]]:
    module_name = f"claimledger_server.db.migrations.m{name.removesuffix('.py')}"
    spec = importlib.util.spec_from_loader(module_name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    exec(compile(source, name, "exec"), module.__dict__)  # noqa: S102  # our own shipped file
    step: Callable[[asyncpg.Connection], Awaitable[None]] = module.apply
    return step


async def _apply(conn: asyncpg.Connection, name: str, text: str) -> None:
    if name.endswith(".py"):
        await _python_step(name, text)(conn)
    else:
        await conn.execute(text)


async def migrate(conn: asyncpg.Connection, upto: int | None = None) -> list[str]:
    """Apply what is missing (up to migration number `upto`, for tests of a migration);
    return the names of the files applied now."""
    applied_now = []
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_ID)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version int PRIMARY KEY,
                   name text NOT NULL,
                   checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        done = {
            row["version"]: row["checksum"]
            for row in await conn.fetch("SELECT version, checksum FROM schema_migrations")
        }
        for number, name, text in available():
            if upto is not None and number > upto:
                break
            checksum = hashlib.sha256(text.encode()).hexdigest()
            if number in done:
                if done[number] != checksum:
                    raise RuntimeError(
                        f"migration {name} changed after it was applied; add a new file instead"
                    )
                continue
            async with conn.transaction():
                await _apply(conn, name, text)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    number,
                    name,
                    checksum,
                )
            applied_now.append(name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_ID)
    return applied_now
