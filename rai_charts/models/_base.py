"""The one configuration every wire model shares."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel
from typing_extensions import Self


class WireModel(BaseModel):
    """Base of every Returning.AI wire model.

    Attributes are snake_case; the wire uses camelCase aliases. Unknown fields are kept (in
    ``model_extra``) and written back, so a newer server never loses data in our hands.
    Assignments are validated, so an edited model stays a valid one; a refused assignment
    changes nothing.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        validate_assignment=True,
        ser_json_inf_nan="strings",
    )

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic stores the new value before the model's own rules (unique ids, links, level
        # order) run on it; put the old state back when they refuse it.
        before = dict(self.__dict__)
        fields_set = set(self.__pydantic_fields_set__)
        try:
            super().__setattr__(name, value)
        except ValidationError:
            self.__dict__.clear()
            self.__dict__.update(before)
            self.__pydantic_fields_set__.clear()
            self.__pydantic_fields_set__.update(fields_set)
            raise

    def to_wire(self) -> dict[str, Any]:
        """The exact wire object: camelCase keys, no ``None`` fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_json(self, *, indent: int | None = None) -> str:
        """The exact wire JSON text."""
        return json.dumps(self.to_wire(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_wire(cls, data: dict[str, Any] | str | bytes) -> Self:
        """Parse a wire object (or its JSON text)."""
        if isinstance(data, (str, bytes)):
            return cls.model_validate_json(data)
        return cls.model_validate(data)
