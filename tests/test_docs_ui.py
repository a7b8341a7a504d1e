"""The interactive docs at `/schema` work offline: every script, style sheet, icon and link
the pages load comes from this server, and each of those files answers."""

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

PAGES = ["/schema", "/schema/swagger", "/schema/oauth2-redirect.html"]
FETCHED = {"src", "href", "srcset", "data", "poster", "action"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


class References(HTMLParser):
    """Every URL a page makes the browser fetch: tag attributes and `url()` in styles."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (tag, url)
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value and name in FETCHED:
                self.found += [(tag, part.split()[0]) for part in value.split(",") if part.strip()]
            elif value and name == "style":
                self.found += [(tag, url) for url in css_urls(value)]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [("style", url) for url in css_urls(data)]


def css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css) if not (a or b).startswith("data:")]


def references(html: str) -> list[tuple[str, str]]:
    parser = References()
    parser.feed(html)
    return parser.found


def external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme and parts.scheme not in ("data", "blob")) or bool(parts.netloc)


async def no_key_get(client: AsyncTestClient[Litestar], path: str) -> Any:
    return await client.get(path, headers={"Authorization": ""})


@pytest.mark.parametrize("page", PAGES)
async def test_a_docs_page_loads_nothing_from_another_origin(
    client: AsyncTestClient[Litestar], page: str
) -> None:
    response = await no_key_get(client, page)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    found = references(response.text)
    assert not [url for _, url in found if external(url)], found


async def test_the_docs_page_is_swagger_ui_from_this_server(
    client: AsyncTestClient[Litestar],
) -> None:
    found = references((await no_key_get(client, "/schema")).text)
    local = {urljoin("/schema", url) for _, url in found if not url.startswith(("#", "data:"))}
    # The page is the UI itself, not an empty shell: its script and its style sheet.
    assert {tag for tag, url in found if url.endswith("swagger-ui-bundle.js")} == {"script"}
    assert any(url.endswith("swagger-ui.css") for _, url in found)
    expected_types = {".js": "javascript", ".css": "text/css", ".png": "image/png"}
    for url in sorted(local):
        asset = await no_key_get(client, url)
        assert asset.status_code == 200, url
        suffix = url[url.rfind(".") :]
        assert expected_types[suffix] in asset.headers["content-type"], url
        assert asset.content, url
        if suffix == ".css":
            assert not [u for u in css_urls(asset.text) if external(u)], url


async def test_asset_paths_cannot_leave_the_assets_folder(
    client: AsyncTestClient[Litestar],
) -> None:
    for path in ("/schema/assets/../../pyproject.toml", "/schema/assets/%2e%2e/__init__.py"):
        assert (await no_key_get(client, path)).status_code == 404, path


def test_references_are_found() -> None:
    html = (
        '<link rel="stylesheet" href="https://cdn.example/x.css"><script src="/a.js"></script>'
        '<img srcset="/i.png 1x, //cdn.example/i2.png 2x"><div style="background:url(/b.png)">'
        "<style>@import 'https://fonts.example/f.css'; p{background:url(data:image/png;x)}</style>"
    )
    assert references(html) == [
        ("link", "https://cdn.example/x.css"),
        ("script", "/a.js"),
        ("img", "/i.png"),
        ("img", "//cdn.example/i2.png"),
        ("div", "/b.png"),
        ("style", "https://fonts.example/f.css"),
    ]
    assert [external(url) for _, url in references(html)] == [
        True,
        False,
        False,
        True,
        False,
        True,
    ]
