"""Processes we start, and what /proc says about them (CPU seconds, RSS)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # comm may contain spaces: split after the closing parenthesis
    return raw[raw.rfind(")") + 2 :].split()


def children(pid: int) -> list[int]:
    """`pid` and every descendant."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st:
                parents.setdefault(int(st[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(parents.get(p, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        st = _stat(pid)
        if st:
            total += int(st[11]) + int(st[12])  # utime + stime
    return total / TICKS


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Sampler:
    """Samples the RSS of a process tree (10 Hz) between start() and stop()."""

    root: int
    peak_total: int = 0
    peak_process: int = 0
    samples: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        pids = children(self.root)
        last_scan = time.monotonic()
        while not self._stop.is_set():
            if time.monotonic() - last_scan > 2:
                pids, last_scan = children(self.root), time.monotonic()
            sizes = [rss_bytes(p) for p in pids]
            total = sum(sizes)
            self.samples.append((time.monotonic(), total))
            self.peak_total = max(self.peak_total, total)
            self.peak_process = max(self.peak_process, max(sizes, default=0))
            self._stop.wait(0.1)

    def stop(self) -> Sampler:
        self._stop.set()
        if self._thread:
            self._thread.join()
        return self


@dataclass
class Server:
    """A process (tree) we started, in its own session so we can stop exactly it."""

    name: str
    proc: subprocess.Popen
    url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def pids(self) -> list[int]:
        return children(self.proc.pid)

    def stop(self, timeout: float = 15) -> None:
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group of the process we started
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def start(
    name: str,
    cmd: list[str],
    *,
    env: dict[str, str],
    cpus: str | None,
    log: Path,
    url: str,
    health: str,
    cwd: Path | None = None,
    timeout: float = 60,
) -> Server:
    """Start `cmd` (pinned with taskset to `cpus`) and wait until GET `url+health` is 200.
    The port must be free: a server left behind by an interrupted run would answer the
    health check in the new one's place, and be measured without its CPU and memory."""
    address = urllib.parse.urlsplit(url)
    with contextlib.suppress(OSError), socket.create_connection(
        (address.hostname, address.port), timeout=1
    ):
        raise RuntimeError(
            f"{name}: something already listens on {address.netloc} (a server of an"
            " interrupted bench run?); stop it first"
        )
    full = (["taskset", "-c", cpus] if cpus else []) + cmd
    log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("wb")
    proc = subprocess.Popen(
        full, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
    )
    server = Server(name, proc, url, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"{name} exited with {proc.returncode}; see {log}:\n"
                + log.read_text(errors="replace")[-3000:]
            )
        try:
            with urllib.request.urlopen(url + health, timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not answer {health} within {timeout} s; see {log}")
