"""A real ClaimLedger server: uvicorn with the app factory in a subprocess on a free loopback
port, waited for on /readyz and stopped at the end; its log is shown if it fails."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30
STOP_SECONDS = 10
ATTEMPTS = 3  # another process may take the port between probe and bind
LOG_TAIL = 5000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(
    database_url: str, port: int, log: Path, env_overrides: Mapping[str, str]
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **env_overrides,
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "server"), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("DATABASE_READ_URL", None)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "claimledger_server.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def _ready(process: subprocess.Popen[bytes], url: str) -> bool:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def live_server(
    database_url: str,
    log: Path,
    env_overrides: Mapping[str, str] | None = None,
    *,
    fail_if_exited_early: bool = False,
) -> Iterator[str]:
    """Run a server on `database_url` with `env_overrides` on top of this process's
    environment; yields its base URL (`http://127.0.0.1:<port>`). Its output goes to `log`,
    whose tail is shown if it does not come up — or, with `fail_if_exited_early`, if it is no
    longer running when the block ends."""
    overrides = dict(env_overrides or {})
    for _attempt in range(ATTEMPTS):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = _start(database_url, port, log, overrides)
        if _ready(process, url):
            break
        _stop(process)
    else:
        pytest.fail(f"the server did not start; its log:\n{log.read_text()[-LOG_TAIL:]}")
    try:
        yield url
    finally:
        died = process.poll()
        _stop(process)
    if fail_if_exited_early and died is not None:
        pytest.fail(f"the server exited early ({died}); its log:\n{log.read_text()[-LOG_TAIL:]}")
