"""`claimledger serve` as a user runs it, in a subprocess on a free loopback port, with its
output collected: for tests of the command itself (signals, the local key, crashes)."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from support.live_server import ROOT, STARTUP_SECONDS, free_port


class Serve:
    def __init__(self, database_url: str, data_dir: Path, *options: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url, "CLAIMLEDGER_DATA_DIR": str(data_dir)}
        command = [sys.executable, "-m", "claimledger_server.cli", "serve", "--no-seed"]
        self.process = subprocess.Popen(
            [*command, "--no-worker", "--port", str(self.port), *options],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = ""

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        pytest.fail(f"serve did not start:\n{self.stop(signal.SIGKILL)[-3000:]}")

    def stop(self, signum: int) -> str:
        """Send `signum` (if still running) and return everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        self.output, _ = self.process.communicate(timeout=30)
        return self.output


@contextmanager
def serving(
    database_url: str, data_dir: Path, *options: str, stop_with: int = signal.SIGTERM
) -> Iterator[Serve]:
    serve = Serve(database_url, data_dir, *options)
    try:
        serve.wait_ready()
        yield serve
    finally:
        serve.stop(stop_with)
