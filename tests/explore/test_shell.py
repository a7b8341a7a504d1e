"""`/explore` as the server sends it: one shell for every page path, its files under a
build-specific address, nothing from another origin, the chart library pinned, and the
whole explorer off when configured so."""

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from claimledger_server.app import create_app
from claimledger_server.config import Settings
from claimledger_server.explore.routes import ASSETS, CONTENT_SECURITY_POLICY, ExplorerFiles
from litestar import Litestar
from litestar.testing import AsyncTestClient
from support.serve_process import serving
from test_docs_ui import css_urls, external, references

PAGES = [
    "/explore",
    "/explore/",
    "/explore/claims?q=troops&cursor=abc",
    "/explore/claims/clm_01jfzq6m3b8n0c2k4d5e6f7g8k?diff=1-2",
    "/explore/actors/act_01jfzq6m3b8n0c2k4d5e6f7g8h",
    "/explore/figures?subject_id=act_x&metric=killed&as_of=2025-01-01T00:00:00Z",
    "/explore/anything/else",
]
URL_IN_TEXT = re.compile(r"""https?://[^\s"'`)<>]+""")
# XML namespaces name a vocabulary; nothing is fetched from them.
NAMESPACES = {"http://www.w3.org/2000/svg"}
VENDOR = ASSETS / "vendor"


async def no_key_get(client: AsyncTestClient[Litestar], path: str, **headers: str) -> Any:
    return await client.get(path, headers={"Authorization": "", **headers})


@pytest.mark.parametrize("page", PAGES)
async def test_every_explorer_path_answers_the_shell_without_a_key(
    client: AsyncTestClient[Litestar], page: str
) -> None:
    response = await no_key_get(client, page)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == (await no_key_get(client, "/explore")).text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "connect-src 'self'" in CONTENT_SECURITY_POLICY
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_the_api_still_needs_a_key(client: AsyncTestClient[Litestar]) -> None:
    assert (await no_key_get(client, "/v1/claims")).status_code == 401


async def test_the_shell_and_its_files_load_nothing_from_another_origin(
    client: AsyncTestClient[Litestar],
) -> None:
    shell = (await no_key_get(client, "/explore")).text
    found = references(shell)
    assert found, "the shell loads its style sheet and scripts"
    assert not [url for _, url in found if external(url)], found
    base = ExplorerFiles().base
    assert {url for _, url in found if url.startswith(base)} >= {
        f"{base}/explore.css",
        f"{base}/js/bundle.js",
    }
    types = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    ours = [p for p in ASSETS.rglob("*") if p.suffix in types and VENDOR not in p.parents]
    assert len(ours) >= 10
    for path in ours:
        name = path.relative_to(ASSETS).as_posix()
        response = await no_key_get(client, f"{base}/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith(types[path.suffix]), name
        assert response.content == path.read_bytes()
        origins = set(URL_IN_TEXT.findall(response.text)) - NAMESPACES
        assert not origins, (name, origins)
        if path.suffix == ".css":
            assert not [u for u in css_urls(response.text) if external(u)], name
        if path.suffix == ".js":  # modules import modules beside them, by relative path
            imports = re.findall(r"""^import .* from "([^"]+)";$""", response.text, re.M)
            assert all(i.startswith("./") for i in imports), (name, imports)


async def test_files_are_kept_a_year_compressed_and_refused_for_another_build(
    client: AsyncTestClient[Litestar],
) -> None:
    base = ExplorerFiles().base
    plain = await no_key_get(client, f"{base}/js/chart.js", **{"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "content-encoding" not in plain.headers
    assert plain.content == (ASSETS / "js" / "chart.js").read_bytes()
    packed = await no_key_get(
        client, f"{base}/vendor/plotly-basic.min.js", **{"Accept-Encoding": "gzip"}
    )
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(packed.content) / 2
    assert packed.content == (VENDOR / "plotly-basic.min.js").read_bytes()  # as decoded
    other_build = base.rsplit("/", 1)[0] + "/0123456789abcdef/js/app.js"
    for path in (
        other_build,
        f"{base}/js/missing.js",
        f"{base}/../routes.py",
        f"{base}/%2e%2e/routes.py",
        f"{base}/index.html",
    ):
        response = await no_key_get(client, path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json", path


def test_a_change_to_any_file_changes_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    before = ExplorerFiles().build
    original = Path.read_bytes

    def edited(path: Path) -> bytes:
        content = original(path)
        return content + b"\n" if path.name == "explore.css" else content

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert ExplorerFiles().build != before


def test_the_chart_library_is_the_plotly_js_of_the_python_package() -> None:
    """The explorer and `plotly` (the SDK's charts) draw with the same plotly.js, and the
    file is the one `make explore-vendor` fetched."""
    from plotly.offline import get_plotlyjs_version

    library = (VENDOR / "plotly-basic.min.js").read_bytes()
    header = re.search(rb"plotly\.js \(basic - minified\) v(\S+)", library[:300])
    assert header is not None
    assert header.group(1).decode() == get_plotlyjs_version()
    makefile = (ASSETS.parents[3] / "Makefile").read_text()
    assert f"PLOTLY_JS := {get_plotlyjs_version()}" in makefile
    digest, name = (VENDOR / "SHA256SUMS").read_text().split()
    assert name == "plotly-basic.min.js"
    assert hashlib.sha256(library).hexdigest() == digest
    assert (VENDOR / "plotly.js-LICENSE").read_text().startswith("MIT License")


async def test_the_explorer_can_be_turned_off(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, explore=False))
    async with AsyncTestClient(app=app) as off:
        for path in ("/explore", "/explore/claims", f"{ExplorerFiles().base}/js/app.js"):
            response = await off.get(path)
            assert response.status_code == 404, path
            assert response.headers["content-type"] == "application/problem+json"
    assert Settings.from_env({"CLAIMLEDGER_EXPLORE": "false"}).explore is False
    assert Settings.from_env({}).explore is True
    with pytest.raises(SystemExit, match="CLAIMLEDGER_EXPLORE"):
        Settings.from_env({"CLAIMLEDGER_EXPLORE": "maybe"})


@pytest.mark.slow
def test_serve_no_explore_turns_it_off(database_url: str, tmp_path: Path) -> None:
    import httpx

    with serving(database_url, tmp_path, "--no-explore") as serve:
        assert httpx.get(f"{serve.url}/explore").status_code == 404
        assert httpx.get(f"{serve.url}/healthz").status_code == 200
