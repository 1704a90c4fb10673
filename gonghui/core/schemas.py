"""Building blocks for API input schemas, shared by every app's api.py.

- ``InputSchema`` refuses fields it does not know (422, "This field is not accepted here."): a
  typo such as ``employees`` for ``employee_count`` must not be answered 200 with nothing changed,
  and read-only fields such as ``status`` or ``path`` cannot be slipped in.
- ``PatchSchema`` also refuses an explicit ``null`` for a field that cannot be empty, unless the
  field is listed in ``__nullable__`` (unlinking a union, clearing a date).
- ``checked(clean)`` runs one of our Django cleaning functions (``clean_name``,
  ``normalize_credit_code`` …) as a pydantic validator, so its translated message is reported
  against the field together with every other error of the request.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

__all__ = ["InputSchema", "PatchSchema", "checked", "refuse"]


def refuse(message: str) -> PydanticCustomError:
    """A schema error whose message is already worded and translated (kept as is by api.errors)."""
    return PydanticCustomError("gonghui_invalid", "{message}", {"message": str(message)})


def checked(clean: Callable[[Any], Any]) -> AfterValidator:
    def validate(value):
        try:
            return clean(value)
        except DjangoValidationError as exc:
            raise refuse(" ".join(str(m) for m in exc.messages)) from None

    return AfterValidator(validate)


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class PatchSchema(InputSchema):
    __nullable__: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_null(cls, value, info: ValidationInfo):
        if value is None and info.field_name not in cls.__nullable__:
            raise refuse(_("This field cannot be null."))
        return value
