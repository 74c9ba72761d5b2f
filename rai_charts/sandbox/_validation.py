"""Refused requests: the error envelope, and request bodies checked by the wire models.

A body is validated by the request model of ``rai_charts.models``. Pydantic reports every field
error at once; the cross-field rules (unique ids, link tokens) run as model validators that stop
at the first problem and carry no field path, so those are re-checked here to name every
offending field.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from rai_charts.models import (
    AnalysisMetadataPatch,
    ApiErrorItem,
    Drawing,
    Levels,
    StandardApiError,
    WireModel,
    error_items,
    link_targets,
)

ModelT = TypeVar("ModelT", bound=WireModel)

TEXT_FIELDS = ("preferenceText", "alternativeText", "comments")
"""Metadata fields (wire names) that may hold ``[[id:label]]`` link tokens."""

_DRAWINGS = TypeAdapter(list[Drawing])


class ApiError(Exception):
    """A request refused with a status and a :class:`StandardApiError` body."""

    def __init__(
        self,
        status_code: int,
        message: str,
        errors: list[ApiErrorItem] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> bytes:
        """The JSON error envelope."""
        error = StandardApiError(
            status_code=self.status_code, message=self.message, errors=self.errors
        )
        return error.to_json().encode()


def validation_failed(errors: list[ApiErrorItem]) -> ApiError:
    """The 400 naming every offending field."""
    fields = ", ".join(dict.fromkeys(item.field for item in errors))
    return ApiError(400, f"Validation failed: {fields}", errors)


def validate(
    model: type[ModelT], body: bytes | dict[str, Any]
) -> tuple[ModelT | None, list[ApiErrorItem], Any]:
    """(the model or ``None``, every offending field, the raw JSON value when refused).

    ``body`` is the request's JSON text, or an already-parsed (merged) object.
    """
    try:
        if isinstance(body, dict):
            return model.model_validate(body), [], body
        return model.model_validate_json(body), [], None
    except ValidationError as error:
        raw: Any = body
        if not isinstance(body, dict):
            try:
                raw = json.loads(body)
            except ValueError:
                raw = None
        whole_body = [
            detail
            for detail in error.errors()
            if not detail["loc"] and detail["type"] == "value_error"
        ]
        if whole_body and isinstance(raw, dict):
            # Each field is valid on its own, a cross-field rule failed: name its fields.
            refined = cross_field_errors(raw)
            if refined:
                return None, refined, raw
        return None, error_items(error), raw


def cross_field_errors(raw: dict[str, Any]) -> list[ApiErrorItem]:
    """Duplicate ids and dangling link tokens of a body whose parts are each valid."""
    drawings = _DRAWINGS.validate_python(raw.get("drawings") or [])
    levels = Levels.model_validate(raw.get("levels") or {})
    metadata = AnalysisMetadataPatch.model_validate(raw.get("metadata") or {})
    places: dict[str, list[str]] = defaultdict(list)
    for index, drawing in enumerate(drawings):
        if drawing.client_object_id is not None:
            places[drawing.client_object_id].append(f"drawings.{index}")
    for name, entry in levels.entries():
        places[entry.client_object_id].append(f"levels.{name}")
    errors = [
        ApiErrorItem(
            field=f"{place}.clientObjectId",
            message=f"clientObjectId {object_id!r} is used by {' and '.join(where)}; "
            "ids must be unique within an analysis",
        )
        for object_id, where in places.items()
        if len(where) > 1
        for place in where
    ]
    known = set(places) | {drawing.id for drawing in drawings if drawing.id is not None}
    wire_metadata = metadata.to_wire()
    for field in TEXT_FIELDS:
        dangling = [
            target for target in link_targets(wire_metadata.get(field)) if target not in known
        ]
        if dangling:
            errors.append(
                ApiErrorItem(
                    field=f"metadata.{field}",
                    message=f"link {', '.join(f'[[{target}:...]]' for target in dangling)} names "
                    f"no drawing or level of this analysis (known ids: "
                    f"{', '.join(sorted(known)) or 'none'})",
                )
            )
    return errors
