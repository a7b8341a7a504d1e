"""The interactive API docs at `/schema`: Swagger UI, whose script, style sheet and icon this
app serves itself from an installed, pinned package. Litestar's render plugins load them
from a CDN (Scalar's at a floating `@latest`), which leaves the page blank offline or behind
a firewall, and lets it change under a deployed server.

The files come from the `flask-swagger-ui` wheel (pinned in pyproject.toml), which ships
Swagger UI's release files in `dist/` and follows its releases. Only those files are used:
the package is located, never imported, so its Flask half stays unloaded."""

import importlib.util
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

ASSETS = "assets"
"""Where the files are served, under the docs path (`/schema/assets/swagger-ui.css`)."""


def swagger_ui_files() -> Path:
    spec = importlib.util.find_spec("flask_swagger_ui")
    if spec is None or spec.origin is None:
        raise RuntimeError("flask-swagger-ui (Swagger UI's files for /schema) is not installed")
    return Path(spec.origin).parent / "dist"


class LocalSwaggerUI(SwaggerRenderPlugin):
    """Swagger UI at `<docs_path>` and `<docs_path>/swagger`, every file from this server."""

    def __init__(self, docs_path: str) -> None:
        self.files = swagger_ui_files()
        assets = f"{docs_path.rstrip('/')}/{ASSETS}"
        super().__init__(
            js_url=f"{assets}/swagger-ui-bundle.js",
            css_url=f"{assets}/swagger-ui.css",
            standalone_preset_js_url=f"{assets}/swagger-ui-standalone-preset.js",
            favicon=f'<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">',
            path="/swagger",
        )

    def receive_router(self, router: Router) -> None:
        super().receive_router(router)
        router.register(
            create_static_files_router(
                path=f"/{ASSETS}",
                directories=[self.files],
                name="swagger-ui-assets",
                # The files change only with the pinned package, i.e. with a new deployment.
                cache_control=CacheControlHeader(max_age=3600, public=True),
                include_in_schema=False,
            )
        )
