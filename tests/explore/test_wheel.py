"""The server's wheel carries what the app reads from its package folder at run time: the
explorer's files and the migrations."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.live_server import ROOT

PACKAGE = ROOT / "server" / "claimledger_server"


@pytest.mark.slow
def test_the_wheel_holds_the_explorer_files_and_the_migrations(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = tmp_path.glob("claimledger_server-*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    needed = {
        f"claimledger_server/{path.relative_to(PACKAGE).as_posix()}"
        for folder in (PACKAGE / "explore" / "assets", PACKAGE / "db" / "migrations")
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert len(needed) > 30
    assert needed <= inside, sorted(needed - inside)
