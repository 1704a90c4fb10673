"""Error bodies of the API, in the user's language, one shape for every kind of bad input.

Every refusal answers ``{"code": ..., "detail": ...}``; bad input adds ``"errors": {field: [messages]}``.
Schema errors come from pydantic in English; they are re-worded here with Django's own messages
for the same faults ("This field is required.", "Enter a whole number." …), which Django already
ships in Chinese. Errors that a schema raises itself (``PydanticCustomError`` from
``gonghui.core.schemas``) carry a message translated when it was raised and are kept as they are.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_INT = {"int_parsing", "int_type", "int_from_float"}
_NUMBER = {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}
_DATE = {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_future",
         "date_past"}
_DATETIME = {"datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid"}
_CHOICE = {"enum", "literal_error"}
_OBJECT = {"model_attributes_type", "dict_type", "model_type", "json_invalid", "json_type"}


def _value(error: dict) -> str:
    value = error.get("input")
    return repr(value) if not isinstance(value, str) else value[:50]


def message(error: dict) -> str:
    """One pydantic error, worded for a person."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind.startswith("gonghui_"):
        return str(error.get("msg", ""))  # raised by our own validators, already translated
    if "input" in error and error["input"] is None:
        return _("This field cannot be null.")
    if kind == "missing":
        return _("This field is required.")
    if kind in _INT:
        return _("Enter a whole number.")
    if kind in _NUMBER:
        return _("Enter a number.")
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": limit}
    if kind == "string_too_long":
        limit, size = ctx.get("max_length", 0), len(str(error.get("input", "")))
        return ngettext("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                        limit) % {"limit_value": limit, "show_value": size}
    if kind == "string_too_short":
        limit, size = ctx.get("min_length", 0), len(str(error.get("input", "")))
        return ngettext("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
                        limit) % {"limit_value": limit, "show_value": size}
    if kind in _CHOICE:
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {"value": _value(error)}
    if kind in _DATE:
        return _("Enter a valid date.")
    if kind in _DATETIME:
        return _("Enter a valid date/time.")
    if kind in _OBJECT:
        return _("Enter a valid JSON.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    return _("Enter a valid value.")


def keep_inputs(raw: list[dict], cooked: list[dict]) -> None:
    """Put back the refused value that ninja drops from its errors, where a message needs it: a
    refused choice is quoted (truncated), an overlong text is measured. Nothing else is echoed."""
    for source, error in zip(raw, cooked, strict=False):
        value = source.get("input")
        if value is None and "input" in source:
            error["input"] = None
        elif error.get("type") in _CHOICE:
            error["input"] = value[:50] if isinstance(value, str) else repr(value)[:50]
        elif error.get("type") in ("string_too_long", "string_too_short") and isinstance(value, str):
            error["input"] = value


def field_of(error: dict) -> str:
    """``["body", "payload", "employee_count"]`` → ``employee_count``; ``["query", "page"]`` → ``page``."""
    loc = [str(part) for part in error.get("loc", ())]
    if loc[:1] == ["body"]:
        loc = loc[2:] if len(loc) > 2 else []
    elif loc[:1] in (["query"], ["path"], ["header"], ["cookie"], ["form"], ["file"]):
        loc = loc[1:]
    return ".".join(loc) or "__all__"


def schema_errors(errors: list[dict]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        text = message(error)
        messages = result.setdefault(field_of(error), [])
        if text not in messages:
            messages.append(text)
    return result
