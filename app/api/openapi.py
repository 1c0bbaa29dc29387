"""The OpenAPI document as the NL API Design Rules want it.

Litestar generates the document; this shapes it for the ADR ruleset: paths relative to
a ``/api/v1`` server, an ``API-Version`` header on every success, problem+json for every
error, a 400 on every operation that takes input, camelCase path parameter names and
UpperCamelCase schema names (generics like ``Page[Ref]`` become ``PageRef``).
"""

from __future__ import annotations

import inspect
import re
from copy import deepcopy
from typing import Any

import msgspec
from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, Contact, License, SecurityScheme

from app.api.docs import OfflineSwaggerRenderPlugin
from app.api.problems import PROBLEM_JSON, TITLES
from app.fields import FIRST_DAY, LAST_DAY
from app.schemas import Schema
from app.settings import API_VERSION
from app.vocabulary import Vocabulary

API_PREFIX = "/api/v1"
# The OpenAPI router lives one level up, at /api: Litestar gives that router a catch-all
# ``/{path:str}`` that answers unknown one-segment paths with an HTML page, which under
# /api/v1 would shadow our problem+json 404s.
DOCS_ROUTER_PATH = "/api"
SCHEMA_REF = "#/components/schemas/"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}

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


RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before trying again.",
    "required": True,
    "schema": {"type": "string", "example": "5"},
}
ETAG_HEADER = {
    "description": "The record's version: send it back as If-Match to change the record.",
    "schema": {"type": "string", "example": '"3"'},
}
IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": (
        "The ETag of the record as you last read it. Without it the change is refused "
        "with 428; if the record has changed since, with 412."
    ),
    "schema": {"type": "string", "example": '"3"'},
}
IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "A key of your choosing (a UUID, say), unique per create. Sending the same request "
        "again with the same key within 24 hours returns the first answer instead of "
        "creating the record twice; the same key with another request is a 422."
    ),
    # What the idempotency middleware takes: 1 to 255 printable ASCII characters.
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]{1,255}$"},
}


def _problem_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": TITLES.get(status, "Fout"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in {429, 503}:
        response["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
    return response


def _is_versioned(response: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """Whether a success answers with a record that has a version (and so an ETag)."""
    for media in response.get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        schema = schemas.get(ref.removeprefix(SCHEMA_REF), {})
        if "version" in schema.get("properties", {}):
            return True
    return False


def _concurrency_headers(
    path: str, method: str, operation: dict[str, Any], schemas: dict
) -> set[int]:
    """Declare If-Match, Idempotency-Key and ETag where the API uses them; the extra statuses."""
    statuses: set[int] = set()
    parameters = operation.setdefault("parameters", [])
    for index, parameter in enumerate(parameters):
        if parameter.get("in") == "header" and parameter["name"].lower() == "if-match":
            parameters[index] = IF_MATCH_PARAMETER
            statuses |= {412, 428}
    if method == "post":
        parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        statuses.add(422)
    if not parameters:
        del operation["parameters"]
    if method in {"post", "patch"} or (method == "get" and path.endswith("}")):
        for status, response in operation.get("responses", {}).items():
            if status.startswith("2") and _is_versioned(response, schemas):
                response.setdefault("headers", {})["ETag"] = ETAG_HEADER
    return statuses


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _pascal_schema_name(name: str) -> str:
    """``Page_app.http.schemas.Ref_`` (a generic's name) → ``PageRef``."""
    # Litestar writes ``Page[app.schemas.Ref]`` with the brackets turned into "_".
    without_modules = re.sub(r"(?<![A-Za-z0-9])(?:[a-z][a-z0-9_]*\.)+", "", name)
    parts = re.split(r"[^A-Za-z0-9]+", without_modules)
    return "".join(part[:1].upper() + part[1:] for part in parts if part)


def _rename_schemas(document: dict[str, Any]) -> None:
    """Give every component schema an UpperCamelCase name, and follow its $refs."""
    schemas = document.get("components", {}).get("schemas", {})
    renames: dict[str, str] = {}
    taken = {name for name in schemas if re.fullmatch(r"[A-Z][A-Za-z0-9]*", name)}
    for name in schemas:
        if name in taken:
            continue
        base = _pascal_schema_name(name) or "Schema"
        new, suffix = base, 2
        while new in taken:
            new, suffix = f"{base}{suffix}", suffix + 1
        taken.add(new)
        renames[name] = new
    if not renames:
        return
    document["components"]["schemas"] = {renames.get(k, k): v for k, v in schemas.items()}

    def follow(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
                name = ref.removeprefix(SCHEMA_REF)
                node["$ref"] = SCHEMA_REF + renames.get(name, name)
            for value in node.values():
                follow(value)
        elif isinstance(node, list):
            for value in node:
                follow(value)

    follow(document)


def _camel_path_parameters(path: str, item: dict[str, Any]) -> str:
    """``/municipalities/{cbs_code}`` → ``/municipalities/{cbsCode}``, in path and parameters."""
    for container in [item, *(item[m] for m in item if m in HTTP_METHODS)]:
        for parameter in container.get("parameters", []):
            if parameter.get("in") == "path":
                parameter["name"] = _camel(parameter["name"])
    return re.sub(r"\{([^}]+)\}", lambda match: "{" + _camel(match.group(1)) + "}", path)


#: Record schema → its path, and where a response of it says each path parameter's value.
RECORDS: dict[str, tuple[str, dict[str, str]]] = {
    "OrganisationOut": ("/organisations/{organisationId}", {"organisationId": "id"}),
    "ServiceOut": ("/services/{serviceId}", {"serviceId": "id"}),
    "ProvisionOut": ("/provisions/{provisionId}", {"provisionId": "id"}),
    "HandoverOut": (
        "/handovers/{handoverId}",
        {"handoverId": "id", "milestoneId": "milestones/0/id"},
    ),
    "StaffTransferOut": (
        "/handovers/{handoverId}/staff/{staffId}",
        {"handoverId": "handoverId", "staffId": "id"},
    ),
}


def _link_records(document: dict[str, Any]) -> None:
    """OpenAPI links from every answer with a record to what can be done with it next.

    They let a client (and Schemathesis' stateful phase) follow a create to the record's
    reads and edits, with the record's ETag as If-Match.
    """
    paths = document["paths"]
    for item in paths.values():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for status, response in operation.get("responses", {}).items():
                if not status.startswith("2"):
                    continue
                ref = response.get("content", {}).get("application/json", {}).get("schema", {})
                record = RECORDS.get(ref.get("$ref", "").removeprefix(SCHEMA_REF))
                if record is None:
                    continue
                links = _links_to(paths, *record)
                if links:
                    response["links"] = links


def _links_to(paths: dict[str, Any], record_path: str, values: dict[str, str]) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for path, item in paths.items():
        if path != record_path and not path.startswith(record_path + "/"):
            continue
        names = re.findall(r"\{([^}]+)\}", path)
        if any(name not in values for name in names):
            continue
        for method, target in item.items():
            if method not in HTTP_METHODS or "operationId" not in target:
                continue
            parameters = {name: f"$response.body#/{values[name]}" for name in names}
            if any(p.get("name") == "If-Match" for p in target.get("parameters", [])):
                parameters["header.If-Match"] = "$response.header.ETag"
            links[target["operationId"]] = {
                "operationId": target["operationId"],
                "parameters": parameters,
            }
    return links


def _walk(node: Any, visit: Any) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _request_schema_names(document: dict[str, Any]) -> set[str]:
    """The component schemas request bodies use, directly or nested."""
    schemas = document.get("components", {}).get("schemas", {})
    found: set[str] = set()

    def visit(node: dict[str, Any]) -> None:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            name = ref.removeprefix(SCHEMA_REF)
            if name not in found and name in schemas:
                found.add(name)
                _walk(schemas[name], visit)

    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                _walk(operation.get("requestBody", {}), visit)
    return found


def _state_input_bounds(document: dict[str, Any]) -> None:
    """Say in the document what ``app.api.inputs`` enforces on what comes in.

    Request bodies refuse unknown fields (``additionalProperties: false``), and every date
    and moment a request takes lies in the accepted range.
    """

    # formatMinimum and formatMaximum (the JSON Schema proposal ajv-formats implements)
    # rather than a pattern on the year: beside ``format`` a pattern leaves generators
    # (Schemathesis, Hypothesis) filtering out nearly every date they make.
    def bound_dates(node: dict[str, Any]) -> None:
        if node.get("type") == "string" and node.get("format") in {"date", "date-time"}:
            first, last = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
            if node["format"] == "date-time":
                first, last = f"{first}T00:00:00+14:00", f"{last}T23:59:59-12:00"
            node["formatMinimum"], node["formatMaximum"] = first, last
            node.setdefault("description", f"Between {FIRST_DAY} and {LAST_DAY}.")

    schemas = document.get("components", {}).get("schemas", {})
    for name in _request_schema_names(document):
        schema = schemas[name]
        if schema.get("type") == "object":
            schema["additionalProperties"] = False
        _walk(schema, bound_dates)
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                _walk(operation.get("parameters", []), bound_dates)
                _walk(operation.get("requestBody", {}), bound_dates)


def _vocabulary_defaults() -> dict[tuple[str, str], str]:
    """(schema class name, JSON field name) → default, for fields typed by a value list."""
    defaults: dict[tuple[str, str], str] = {}
    todo: list[type[Schema]] = [Schema]
    while todo:
        struct = todo.pop()
        todo.extend(struct.__subclasses__())
        for field in msgspec.structs.fields(struct):
            if isinstance(field.default, Vocabulary):
                defaults[(struct.__name__, field.encode_name)] = field.default.value
    return defaults


def _place_vocabulary_defaults(document: dict[str, Any]) -> None:
    """Litestar hangs the first field's default on a value list's shared component; it
    belongs on each field that has one, beside the reference."""
    schemas = document.get("components", {}).get("schemas", {})
    lists = {name for name, schema in schemas.items() if "enum" in schema}
    for name in lists:
        schemas[name].pop("default", None)
        if description := schemas[name].get("description"):
            schemas[name]["description"] = inspect.cleandoc(description)
    defaults = _vocabulary_defaults()
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if prop.get("$ref", "").rsplit("/", 1)[-1] not in lists:
                continue
            for (struct, struct_field), default in defaults.items():
                if struct_field == field and name.endswith(struct):
                    prop["default"] = default


def shape_for_adr(schema: dict[str, Any], server_url: str) -> dict[str, Any]:
    document = deepcopy(schema)
    document["servers"] = [{"url": server_url, "description": "This registry"}]
    _place_vocabulary_defaults(document)
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        if not path.startswith(API_PREFIX + "/"):
            continue
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            # The ruleset wants a 400 on every write, and on every read that has parameters
            # (path or query): a malformed id or filter is invalid input.
            takes_input = bool(operation.get("parameters") or item.get("parameters")) or (
                method in {"post", "put", "patch"}
            )
            needed = {401, 403, 429, 500, 503} | ({400} if takes_input else set())
            schemas = document.get("components", {}).get("schemas", {})
            needed |= _concurrency_headers(path, method, operation, schemas)
            writes = method in {"post", "put", "patch", "delete"}
            query = {p.get("name") for p in operation.get("parameters", [])}
            # ... or a record a query parameter names (a municipality, say).
            if "{" in path or writes or query & {"municipality", "service", "provider"}:
                needed.add(404)  # the resource, or a record the body refers to, is unknown
            if writes:
                needed.add(409)  # the change conflicts with the registry's rules or data
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                needed.add(415)  # a body that is not sent as JSON
            for status in needed:
                responses.setdefault(str(status), {})
            for status, response in responses.items():
                if not status.isdigit():
                    continue
                code = int(status)
                if code >= 400:
                    responses[status] = _problem_response(code)
                else:
                    response.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
            operation["responses"] = dict(sorted(responses.items()))
        paths[_camel_path_parameters(path.removeprefix(API_PREFIX), item)] = item
    document["paths"] = paths
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    _rename_schemas(document)
    _state_input_bounds(document)
    _link_records(document)
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
        path=DOCS_ROUTER_PATH,
        render_plugins=[
            AdrJsonRenderPlugin(path=API_PREFIX.removeprefix(DOCS_ROUTER_PATH) + "/openapi.json"),
            OfflineSwaggerRenderPlugin(
                path=[
                    API_PREFIX.removeprefix(DOCS_ROUTER_PATH) + "/docs",
                    API_PREFIX.removeprefix(DOCS_ROUTER_PATH),
                    "/",
                ],
                api_prefix=API_PREFIX,
                shape=shape_for_adr,
            ),
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
