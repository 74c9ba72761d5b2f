"""``/openapi.json``: built from the same route tables the app serves, schemas from the models.

Each Chart Analysis route is tagged ``confirmed`` (the Returning.AI docs show it) or ``assumed``
(the project's decision where the docs are silent). Admin routes are tagged ``sandbox``: they
exist only in this emulator.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import models_json_schema

from rai_charts.models import StandardApiError

from ._admin import ADMIN_ROUTES
from ._routes import OPERATIONS

_REF_TEMPLATE = "#/components/schemas/{model}"
_STATUS_TEXT = {
    400: "Malformed request: every offending field is listed in `errors`.",
    401: "Missing or unknown API key.",
    403: "The key acts for another community or lacks the permission.",
    404: "No such analysis or channel visible to this key.",
    409: "A drawing's clientObjectId already exists in the analysis.",
    429: "Rate limited (fault injection); see Retry-After.",
    500: "Internal error (fault injection).",
}

_ADMIN_STATUS_TEXT = {
    400: "Malformed body: every offending field is listed in `errors`.",
    404: "No such community.",
}


def _path_parameters(path: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": "^[0-9a-fA-F]{24}$"},
            "description": "A 24-hex ObjectId.",
        }
        for name in re.findall(r"{(\w+)}", path)
    ]


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of everything the sandbox serves."""
    keyed: list[tuple[Any, Any]] = [(StandardApiError, "serialization")]
    for operation in OPERATIONS:
        keyed.append((operation.response_model, "serialization"))
        if operation.request_model is not None:
            keyed.append((operation.request_model, "validation"))
    for route in ADMIN_ROUTES:
        if route.request_model is not None:
            keyed.append((route.request_model, "validation"))
    references, definitions = models_json_schema(keyed, by_alias=True, ref_template=_REF_TEMPLATE)
    schemas: dict[str, Any] = dict(definitions.get("$defs", {}))
    error_reference = references[(StandardApiError, "serialization")]

    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        responses: dict[str, Any] = {
            str(operation.success_status): {
                "description": "Success.",
                "content": _json_content(references[(operation.response_model, "serialization")]),
            }
        }
        for status in (*operation.error_statuses, 429, 500):
            responses[str(status)] = {
                "description": _STATUS_TEXT[status],
                "content": _json_content(error_reference),
            }
        entry: dict[str, Any] = {
            "operationId": f"{operation.name}Analysis"
            if operation.name != "append"
            else "appendDrawings",
            "summary": operation.summary,
            "tags": [operation.contract],
            "security": [{"apiKey": []}],
            "parameters": _path_parameters(operation.path)
            + [
                {
                    "name": parameter.name,
                    "in": "query",
                    "required": False,
                    "schema": parameter.schema,
                    "description": parameter.description,
                }
                for parameter in operation.query
            ],
            "responses": responses,
            "x-permission": operation.permission,
        }
        if operation.request_model is not None:
            entry["requestBody"] = {
                "required": True,
                "content": _json_content(references[(operation.request_model, "validation")]),
            }
        paths.setdefault(operation.path, {})[operation.method.lower()] = entry

    for route in ADMIN_ROUTES:
        data_schema = _inline_schema(route.response_model, schemas)
        admin_entry: dict[str, Any] = {
            "summary": route.summary,
            "tags": ["sandbox"],
            "responses": {
                "200": {
                    "description": "Success.",
                    "content": _json_content(
                        {
                            "type": "object",
                            "properties": {"data": data_schema},
                            "required": ["data"],
                        }
                    ),
                },
            },
        }
        body_refusal = (400,) if route.request_model is not None else ()
        for status in (*body_refusal, *route.error_statuses):
            admin_entry["responses"][str(status)] = {
                "description": _ADMIN_STATUS_TEXT[status],
                "content": _json_content(error_reference),
            }
        if route.request_model is not None:
            admin_entry["requestBody"] = {
                "required": True,
                "content": _json_content(references[(route.request_model, "validation")]),
            }
        paths.setdefault(route.path, {})[route.method.lower()] = admin_entry

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rai_charts sandbox: Returning.AI Chart Analysis emulator",
            "version": "1",
            "description": (
                "Routes tagged `confirmed` are shown by the Returning.AI docs; `assumed` ones are "
                "the project's decisions where the docs are silent; `sandbox` routes exist only "
                "in this emulator (admin, no key)."
            ),
        },
        "tags": [
            {"name": "confirmed", "description": "Shown by the Returning.AI docs."},
            {"name": "assumed", "description": "The project's decision; unconfirmed."},
            {"name": "sandbox", "description": "Emulator administration only."},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        },
    }


def _inline_schema(model: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """The serialization schema of an admin payload type; its definitions join ``schemas``."""
    schema = TypeAdapter(model).json_schema(
        mode="serialization", by_alias=True, ref_template=_REF_TEMPLATE
    )
    for name, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    return schema
