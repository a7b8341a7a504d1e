"""`pip install ./sdk` into a fresh virtual environment: the SDK installs and imports with only
its own dependencies, none of the server's; pandas, polars, plotly and brotli are extras it
works without."""

import json
import subprocess
import venv
from pathlib import Path

import claimledger
import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_ONLY = {"litestar", "asyncpg", "uvicorn", "pgserver", "claimledger-server"}


@pytest.mark.slow
def test_the_sdk_installs_alone(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-cache-dir", str(ROOT / "sdk")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr

    listing = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {entry["name"].lower() for entry in json.loads(listing.stdout)}
    assert "claimledger-sdk" in installed
    assert {"httpx", "msgspec"} <= installed
    assert not installed & SERVER_ONLY

    probe = """
import importlib.metadata as md, pathlib, re, claimledger
def name(requirement):
    return re.match(r"[A-Za-z0-9_.-]+", requirement).group()
everything = md.requires("claimledger-sdk")
requires = sorted(name(r) for r in everything if "extra ==" not in r)
assert requires == ["httpx", "msgspec"], requires
extras = sorted(name(r) for r in everything if "extra ==" in r)
assert extras == ["httpx", "pandas", "plotly", "polars"], extras  # httpx[brotli] for [brotli]
provided = sorted(md.metadata("claimledger-sdk").get_all("Provides-Extra"))
assert provided == ["brotli", "pandas", "plot", "polars"], provided
assert md.version("claimledger-sdk") == claimledger.__version__
assert (pathlib.Path(claimledger.__file__).parent / "py.typed").exists()
assert "site-packages" in claimledger.__file__
client = claimledger.Client("http://127.0.0.1:8000", "clk_x")
# Without a brotli package, brotli is not offered: only what httpx can decode is.
assert client._http.headers["accept-encoding"] == "gzip, deflate", client._http.headers
for frame in ("pandas", "polars"):  # the extras are not installed: a clear error, no request
    try:
        getattr(client.claims.list(), f"to_{frame}")()
    except ImportError as exc:
        assert f"pip install 'claimledger-sdk[{frame}]'" in str(exc), exc
    else:
        raise AssertionError(f"to_{frame}() without {frame}")
try:  # nor is plotly: the chart says which extra draws it
    client.figures.timeline(subject_id="act_x", metric="killed").plot()
except ImportError as exc:
    assert "pip install 'claimledger-sdk[plot]'" in str(exc), exc
else:
    raise AssertionError("plot() without plotly")
client.close()
print(claimledger.__version__)
"""
    run = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == claimledger.__version__
