"""`/explore`: one HTML shell for every page, and the files it loads.

Every path under `/explore` (`/explore/claims/clm_…`, `/explore/figures?subject_id=…`)
answers the same shell; its scripts read the path and draw the page from the JSON API, so
any page can be bookmarked, shared or reloaded. The shell holds no data and needs no key:
the reader's key stays in the browser's session storage and travels only in the
`Authorization` header of the API requests the page makes.

The files are served under `/explore/static/<build>/`, where `<build>` is a digest of
their contents (and of `js/bundle.js`, the page modules joined when the server starts:
bundle.py): a browser keeps them for a year, and a new deployment changes the address
instead of waiting for caches to expire. The chart library is plotly.js's basic bundle
(`assets/vendor/`, from the npm package `plotly.js-basic-dist-min`, the plotly.js version
the `plotly` Python package embeds; `make explore-vendor` fetches it): its scatter and bar
traces are all the chart uses, and it is a quarter of the full bundle's size, which a
browser compiles and runs in a fifth of the time. The Content-Security-Policy of the shell
lets the page load and call this origin only."""

import gzip
import hashlib
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from litestar import Request, Response, Router, get
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter

from claimledger_server.compression import accepts
from claimledger_server.explore.bundle import bundle

PATH = "/explore"
ASSETS = Path(__file__).parent / "assets"
SHELL = "index.html"
MEDIA_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # Plotly writes its own rules into a <style> element it adds to the page.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SHELL_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
FILE_CACHE = "public, max-age=31536000, immutable"
BUNDLE = "js/bundle.js"
"""app.js and the modules it imports, joined (bundle.py) but for those early.js imports."""
APART = frozenset({"api.js", "requests.js"})


class Asset(NamedTuple):
    body: bytes
    gzipped: bytes
    media_type: str


class ExplorerFiles:
    """The shell and the files it loads, all from `assets/`."""

    def __init__(self) -> None:
        self.paths = {
            path.relative_to(ASSETS).as_posix(): path
            for path in sorted(ASSETS.rglob("*"))
            if path.is_file() and path.name != SHELL and path.suffix in MEDIA_TYPES
        }
        # Made from the files below, and in the build's digest with them: a change to how
        # it is made changes its address too.
        self.made = {BUNDLE: bundle(ASSETS / "js", "app.js", APART).encode()}
        digest = hashlib.sha256()
        contents = [(name, path.read_bytes()) for name, path in self.paths.items()]
        for name, content in [*contents, *self.made.items()]:
            digest.update(b"\0" + name.encode() + b"\0" + content)
        self.build = digest.hexdigest()[:16]
        self.base = f"{PATH}/static/{self.build}"
        self.shell = (ASSETS / SHELL).read_text().replace("{{static}}", self.base).encode()

    @cache  # noqa: B019  (one instance per app, alive as long as the app)
    def asset(self, name: str) -> Asset:
        """A file by its name under the build, read (and compressed) once."""
        path = self.paths.get(name)
        if name in self.made:
            body, suffix = self.made[name], Path(name).suffix
        elif path is not None:
            body, suffix = path.read_bytes(), path.suffix
        else:
            raise NotFoundException(f"No explorer file {name!r}.")
        return Asset(body, gzip.compress(body, 6, mtime=0), MEDIA_TYPES[suffix])


def router() -> Router:
    files = ExplorerFiles()

    @get(["/", "/{page:path}"], include_in_schema=False, name="explore-shell")
    async def shell() -> Response[bytes]:
        return Response(files.shell, media_type="text/html", headers=SHELL_HEADERS)

    # In a worker thread: the first request for a file reads and compresses it (the chart
    # library is 1.2 MB), which must not hold up the API requests on the event loop.
    @get(
        "/static/{build:str}/{name:path}",
        include_in_schema=False,
        name="explore-file",
        sync_to_thread=True,
    )
    def static_file(
        request: Request[Any, Any, Any],
        build: Annotated[str, PathParameter()],
        name: Annotated[str, PathParameter()],
    ) -> Response[bytes]:
        if build != files.build:
            # A page of another deployment: its files are gone; a reload gets the new ones.
            raise NotFoundException("This explorer file belongs to another deployment.")
        asset = files.asset(name.lstrip("/"))
        headers = {"Cache-Control": FILE_CACHE, "X-Content-Type-Options": "nosniff"}
        headers["Vary"] = "Accept-Encoding"
        if accepts(request.headers.get("accept-encoding"), "gzip"):
            headers["Content-Encoding"] = "gzip"
            return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)

    return Router(PATH, route_handlers=[shell, static_file])
