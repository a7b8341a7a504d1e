"""The examples of sdk/README.md run, copy-pasted, against a live server."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "sdk" / "README.md"


def example(heading: str) -> str:
    """The first ```python block under a `## heading` of the README."""
    section = README.read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, f"no python example under {heading!r}"
    return match.group(1)


@pytest.mark.parametrize("heading", ["Quick start", "Async client", "Mirroring the dataset"])
def test_readme_example_runs(heading: str, sdk_server: str, admin_key: str, tmp_path: Path) -> None:
    env = {**os.environ, "CLAIMLEDGER_API_KEY": admin_key, "CLAIMLEDGER_BASE_URL": sdk_server}
    run = subprocess.run(
        [sys.executable, "-c", example(heading)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    if heading == "Quick start":
        lines = run.stdout.splitlines()
        assert lines[:3] == ["1000 1000", "2", "unverified"]
        assert lines[3:5] == ["1 created None", "2 updated status reviewed"]
    if heading == "Mirroring the dataset":
        assert (tmp_path / "claimledger.db").exists()
        assert run.stdout.splitlines()[-1] == "None"
        again = subprocess.run(
            [sys.executable, "-c", example(heading)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("0 changes applied")  # resumed from the file
