"""A drawing whose ``type`` is not a string is a field error, not a crash."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from rai_charts.models import CreateAnalysisRequest, error_items


@pytest.mark.parametrize(
    "kind", [["LINE"], {"name": "LINE"}, 3, None], ids=["list", "object", "number", "null"]
)
def test_a_drawing_type_that_is_not_a_string_is_a_field_error(
    create_example: dict[str, Any], kind: Any
) -> None:
    create_example["drawings"][0]["type"] = kind
    with pytest.raises(ValidationError) as caught:
        CreateAnalysisRequest.model_validate(create_example)
    assert [item.field for item in error_items(caught.value)] == ["drawings.0.type"]
