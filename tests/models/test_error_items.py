"""``error_items`` names offending fields by their wire path."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from rai_charts.models import CreateAnalysisRequest, error_items


def test_drawing_errors_name_the_wire_path_without_the_union_tag(
    create_example: dict[str, Any],
) -> None:
    create_example["drawings"][0]["points"][0]["price"] = "not a price"
    create_example["drawings"][1]["style"]["color"] = "blue"
    with pytest.raises(ValidationError) as caught:
        CreateAnalysisRequest.model_validate(create_example)
    assert [item.field for item in error_items(caught.value)] == [
        "drawings.0.points.0.price",
        "drawings.1.style.color",
    ]
