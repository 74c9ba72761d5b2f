"""Validation errors in pydantic's own format that name the offending field and value.

Rules that look at several fields at once (unique ids, link targets, level order) run on the
whole model; raising a ``ValidationError`` from there, rather than a ``ValueError``, keeps the
location of the offending field (``drawings.1.clientObjectId``) instead of the whole body.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

Location = tuple[str | int, ...]


def rule_error(kind: str, message: str) -> PydanticCustomError:
    """An error of one rule, raised from a field validator (pydantic adds field and value).

    ``message`` is used as given: no ``{placeholder}`` formatting happens without a context.
    """
    return PydanticCustomError(kind, message)


def error_at(location: Location, kind: str, message: str, value: Any) -> InitErrorDetails:
    """One error at ``location`` (relative to the model being validated) about ``value``."""
    return InitErrorDetails(type=rule_error(kind, message), loc=location, input=value)


def raise_errors(model_name: str, errors: Sequence[InitErrorDetails]) -> None:
    """Raise every error at once, when there is any."""
    if errors:
        raise ValidationError.from_exception_data(model_name, list(errors))
