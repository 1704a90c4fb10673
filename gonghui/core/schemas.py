"""Building blocks for API input schemas, shared by every app's api.py.

- ``InputSchema`` refuses fields it does not know (422, "This field is not accepted here."): a
  typo such as ``employees`` for ``employee_count`` must not be answered 200 with nothing changed,
  and read-only fields such as ``status`` or ``path`` cannot be slipped in.
- ``PatchSchema`` also refuses an explicit ``null`` for a field that cannot be empty, unless the
  field is listed in ``__nullable__`` (unlinking a union, clearing a date).
- ``checked(clean)`` runs one of our Django cleaning functions (``clean_name``,
  ``normalize_credit_code`` …) as a pydantic validator, so its translated message is reported
  against the field together with every other error of the request.
- ``Id``, ``Year``, ``Count`` and ``Pages`` bound every number a request can carry: an id is
  positive and fits a bigint, a year lies between 1949 and 2100, a count fits an integer column, a
  page number stays far below what would overflow the database's OFFSET. Out of range is a 422
  with the field named, never a 500 from the database or from ``date(year, 1, 1)``.
- ``named_choices(name, choices)`` gives a model's choices their own name in the OpenAPI document:
  two apps' ``Kind`` would otherwise be one component, and one app's values would be documented
  for the other's field.
"""

import enum
from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, ConfigDict, PlainSerializer, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

__all__ = ["Count", "Id", "InputSchema", "Pages", "PatchSchema", "Year", "checked", "named_choices", "refuse"]

BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1949, 2100
MAX_PAGE = 100_000

Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Count = Annotated[int, Field(le=INTEGER_MAX)]


class Pages(PageNumberPagination):
    """Ninja's page numbers, with the page bounded: page=9223372036854775807 was a 500 (the
    OFFSET overflowed SQLite's integer) instead of a 422."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=INTEGER_MAX)


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


def named_choices(name: str, choices: type[enum.Enum]) -> Any:
    """The same values as ``choices`` (a Django TextChoices), documented under a name unique in the
    API; the value is handed on as a member of ``choices`` itself."""
    documented = enum.StrEnum(name, [(member.name, member.value) for member in choices], module=choices.__module__)
    return Annotated[documented, AfterValidator(lambda value: choices(value.value)),
                     PlainSerializer(lambda value: documented(value.value), return_type=documented)]


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
