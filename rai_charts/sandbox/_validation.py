"""Refused requests: the error envelope, and request bodies checked by the wire models.

A body is validated by the request model of ``rai_charts.models``, which names every offending
field (cross-field rules included: unique ids, link tokens, level order) with its wire path.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import ValidationError

from rai_charts.models import ApiErrorItem, StandardApiError, WireModel, error_items

ModelT = TypeVar("ModelT", bound=WireModel)


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
        return None, error_items(error), raw
