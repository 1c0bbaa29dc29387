"""The OpenAPI document as the NL API Design Rules want it.

Litestar generates the document; this shapes it for the ADR ruleset: paths relative to
a ``/api/v1`` server, an ``API-Version`` header on every success, problem+json for every
error, and a 400 on every operation that takes input.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, Contact, License, SecurityScheme

from app.http.problems import PROBLEM_JSON, TITLES
from app.settings import API_VERSION

API_PREFIX = "/api/v1"

API_VERSION_HEADER = {
    "description": "The full version of the API that answered.",
    "schema": {"type": "string", "example": API_VERSION},
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": TITLES.get(status, "Fout"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def shape_for_adr(schema: dict[str, Any], server_url: str) -> dict[str, Any]:
    document = deepcopy(schema)
    document["servers"] = [{"url": server_url, "description": "This registry"}]
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        if not path.startswith(API_PREFIX + "/"):
            continue
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            takes_input = bool(operation.get("parameters")) or method in {"post", "put", "patch"}
            needed = {401, 403, 500} | ({400} if takes_input else set())
            if "{" in path:
                needed.add(404)
            for status in needed:
                responses.setdefault(str(status), {})
            for status, response in responses.items():
                code = int(status)
                if code >= 400:
                    responses[status] = _problem_response(code)
                else:
                    response.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
        paths[path.removeprefix(API_PREFIX)] = item
    document["paths"] = paths
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    return document


class AdrJsonRenderPlugin(JsonRenderPlugin):
    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        server_url = str(request.base_url).rstrip("/") + API_PREFIX
        return self.render_json(request, shape_for_adr(openapi_schema, server_url))


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Overdrachtsregister API",
        version=API_VERSION,
        description=(
            "Who delivers which welfare service to the residents of a municipality, on "
            "which date, and what changes when services and staff move between providers."
        ),
        contact=Contact(
            name="Team Overdrachtsregister",
            email="overdrachtsregister@example.org",
            url="https://example.org/overdrachtsregister",
        ),
        license=License(name="EUPL-1.2", identifier="EUPL-1.2"),
        path=API_PREFIX,
        render_plugins=[
            AdrJsonRenderPlugin(path="/openapi.json"),
            SwaggerRenderPlugin(path="/docs"),
        ],
        components=Components(
            security_schemes={
                "apiKey": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="API key from `handover apikey create`.",
                )
            }
        ),
        security=[{"apiKey": []}],
        use_handler_docstrings=True,
    )
