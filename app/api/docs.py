"""The API docs page (Swagger UI), served whole by the app: no request leaves the machine.

Swagger UI's scripts, styles and favicon come from the installed ``swagger-ui-bundle-v2``
package (Swagger UI 5, which reads OpenAPI 3.1), served under ``ASSETS_PATH``; Litestar's
default points at a CDN, which a network without internet access never reaches. The page
shows the document as ``/api/v1/openapi.json`` serves it (shaped for the ADR rules).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

#: Where the app serves Swagger UI's files (outside /api, whose docs router has a catch-all).
ASSETS_PATH = "/swagger-ui"

#: Turns Litestar's document into the one served (``app.api.openapi.shape_for_adr``).
Shape = Callable[[dict[str, Any], str], dict[str, Any]]


def swagger_ui_directory() -> Path:
    from swagger_ui_bundle import swagger_ui_path

    return Path(swagger_ui_path)


class OfflineSwaggerRenderPlugin(SwaggerRenderPlugin):
    """Swagger UI from our own ``ASSETS_PATH``, showing the ADR-shaped document."""

    def __init__(self, *, path: str | list[str], api_prefix: str, shape: Shape) -> None:
        self._api_prefix = api_prefix
        self._shape = shape
        super().__init__(
            js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            css_url=f"{ASSETS_PATH}/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
            path=path,
        )

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        server_url = str(request.base_url).rstrip("/") + self._api_prefix
        return super().render(request, self._shape(openapi_schema, server_url))


def swagger_assets() -> Router:
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[swagger_ui_directory()],
        include_in_schema=False,
        name="swagger-ui",
    )
