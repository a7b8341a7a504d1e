"""Reads a py-spy `--format raw` profile (collapsed stacks) into where the CPU goes:

- by component of the leaf frame (where the time is actually spent; sums to 100%),
- by call site: the innermost frame of our own code (`claimledger_server/…`, with its line)
  and the component it spent the time in, e.g. `AccessGate.__call__
  (access.py:38) → asyncpg` is the rate-limit round trip,
- the top frames by self and by inclusive time."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^():]*)(?::(?P<line>\d+))?\)$")

COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("logging (uvicorn access log)", ("logging/", "uvicorn/logging.py")),
    ("asyncpg", ("asyncpg/",)),
    ("msgspec", ("msgspec",)),
    ("litestar", ("litestar/",)),
    ("uvicorn + httptools", ("uvicorn/", "httptools")),
    ("granian", ("granian/",)),
    (
        "thread pool (sync callables run via sync_to_thread)",
        ("concurrent/futures/", "threading.py", "queue.py"),
    ),
    ("our code (claimledger_server)", ("claimledger_server/",)),
    (
        "event loop + socket I/O (uvloop/asyncio, C code under these frames)",
        ("asyncio/", "uvloop/"),
    ),
]
ROOTS = (
    "(asyncio/",
    "(uvicorn/_compat.py",
    "(uvicorn/main.py",
    "(uvicorn/server.py",
    "cmd_serve (",
    "main (claimledger_server/cli.py",
    "(threading.py",
    "(granian/",
    "<module>",
    "(runpy.py",
    "(click/",
    "(uvloop/",
)


def parse(frame: str) -> tuple[str, str, str]:
    m = FRAME.match(frame)
    if not m:
        return frame, "", ""
    return m.group("func"), m.group("file"), m.group("line") or ""


def short(frame: str) -> str:
    func, path, line = parse(frame)
    if not path:
        return frame
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1].split("/", 1)[-1]
    return f"{func} ({path}{':' + line if line else ''})"


def component(frame: str) -> str:
    _, path, _ = parse(frame)
    for name, needles in COMPONENTS:
        if any(n in path for n in needles):
            return name
    return f"stdlib/other ({path.rsplit('/', 1)[-1] or '?'})"


def analyse(path: Path, top: int = 15) -> dict:
    stacks: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] += int(count)
    total = sum(stacks.values())
    self_time: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    components: Counter[str] = Counter()
    sites: Counter[str] = Counter()
    for stack, n in stacks.items():
        frames = [f for f in stack.split(";") if f]
        if not frames:
            continue
        leaf = frames[-1]
        self_time[short(leaf)] += n
        for f in {short(f) for f in frames}:
            inclusive[f] += n
        comp = component(leaf)
        components[comp] += n
        ours = next(
            (f for f in reversed(frames) if "claimledger_server/" in f and "cli.py" not in f), None
        )
        if ours is None or ours == leaf:
            sites[
                f"(no frame of ours below the server) → {comp}"
                if ours is None
                else f"{short(ours)} itself"
            ] += n
        else:
            sites[f"{short(ours)} → {comp}"] += n

    def pct(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    interesting = [(f, n) for f, n in inclusive.most_common() if not any(r in f for r in ROOTS)]
    return {
        "samples": total,
        "components": [(c, pct(n)) for c, n in components.most_common()],
        "sites": [(s, pct(n)) for s, n in sites.most_common(top)],
        "self": [(f, pct(n)) for f, n in self_time.most_common(top)],
        "inclusive": [(f, pct(n)) for f, n in interesting[:top]],
    }
