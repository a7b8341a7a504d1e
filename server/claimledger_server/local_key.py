"""The admin key `claimledger serve --local-key` prints (what `make serve` runs).

It is kept in a file (`<data dir>/local-admin-key`, readable by its owner only) and reused
while the database still accepts it, so restarting the server does not break a `KEY` the
developer exported or a notebook that holds it. A new key is made only when the file is
missing or its key no longer works (revoked, or another database); the older local keys are
then revoked, since nobody can read their secrets any more."""

import os
import tempfile
from pathlib import Path
from typing import NamedTuple

import asyncpg

from claimledger_server.keys import store

NAME = "local-admin (claimledger serve)"
FILE_NAME = "local-admin-key"


class LocalKey(NamedTuple):
    secret: str
    path: Path
    reused: bool


async def local_admin_key(conn: asyncpg.Connection, data_dir: Path) -> LocalKey:
    path = (data_dir / FILE_NAME).resolve()
    saved = _read(path)
    if saved:
        key = await store.find_active_key(conn, saved)
        if key is not None and key.name == NAME and key.allows("admin"):
            path.chmod(0o600)  # in case it was copied in with looser permissions
            return LocalKey(saved, path, reused=True)
    async with conn.transaction():
        await store.revoke_named(conn, NAME)
        secret = await store.create_key(conn, NAME, ("admin",))
        # Written before the transaction commits: a key that could not be saved never exists.
        _write_private(path, secret)
    return LocalKey(secret, path, reused=False)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _write_private(path: Path, secret: str) -> None:
    """Replace the file atomically; it is created 0600, so the key is never world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{FILE_NAME}.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secret + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def announcement(key: LocalKey, base_url: str, *, explore: bool = False) -> str:
    """What `serve` prints about the key: the key, where it is kept, and whether it changed;
    and where to use it."""
    if key.reused:
        state = f"the same as last run; kept in {key.path}"
    else:
        state = f"new; saved in {key.path} (owner-only) and reused by every later start"
    return (
        f"\nLocal admin API key ({state}):\n  {key.secret}\n"
        f"A new one is made only if that file is deleted or the key revoked.\n\nTry:\n"
        f'  curl -s -H "Authorization: Bearer {key.secret}" {base_url}/v1/claims?limit=3\n'
        + (f"or open {base_url}/explore and sign in with the key.\n" if explore else "")
    )
