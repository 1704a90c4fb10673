"""Text longer than a field holds is refused, never cut.

The limit is declared once, on the model field (``max_length``); forms, the API and imports reach
the same service, and the service asks here before it writes::

    check_lengths(Project, outcome=comment)           # the service's argument is the model's field
    check_length(ProjectEvent, "comment", text, field="text")  # the caller knows it as "text"

Too long raises :class:`TooLong` — a ``DomainError`` naming the field and the limit, which the
console puts on the form's field and the API answers with 422 and the field. A copy of a text kept
whole elsewhere (an event's comment repeating a decision) is shortened visibly with :func:`excerpt`.
"""

from django.contrib import messages
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .errors import DomainError

# Limits of typed input that no model field holds as typed: looked up, parsed or normalised before
# anything is stored. Every other form and schema field takes its limit from the model field
# (``limit_of(Model, "field")``); tests/core/test_limits_declared.py holds both to that.
SEARCH_TERM = 50  # a search term typed in a list's filter box (a union's full name fits)
AMOUNT_TEXT = 20  # an amount in yuan as typed, parsed into a Decimal
PHONE_TEXT = 20  # a mobile number as typed, stored encrypted with a keyed hash
ID_NUMBER_TEXT = 30  # a resident ID number as typed, with spaces, stored encrypted with a keyed hash
ONE_TIME_CODE = 6  # a one-time code sent by SMS or shown by an authenticator app
VERSION_TOKEN = 64  # the version of a record sent back with an edit (or an If-Match header)
NODE_CODE_TEXT = 20  # a union's code as typed, looked up
COORDINATE_TEXT = 20  # a latitude or longitude as typed
PERSON_NAME = 50  # a person's name, wherever it is kept (a member's name field holds as many)
FILE_NAME_LABEL = 100  # the name an uploaded file came with, kept where no model field holds it (a staged import, an audit record)


def too_long_message(label, limit: int, size: int) -> str:
    return (_("%(field)s cannot be longer than %(limit)d characters (it has %(size)d).")
            % {"field": label, "limit": limit, "size": size})


class TooLong(DomainError):
    status = 422

    def __init__(self, *, field: str, label: str, limit: int, size: int):
        super().__init__("too_long", too_long_message(label, limit, size), field=field)
        self.limit = limit


def limit_of(model, name: str) -> int | None:
    """The field's declared ``max_length`` (None for a text without one)."""
    return model._meta.get_field(name).max_length


def length_error(model, name: str, value, *, label: str | None = None) -> str | None:
    """The message refusing ``value`` when it is longer than ``model.name`` holds, else None (for
    services that gather every field's errors before raising)."""
    limit = limit_of(model, name)
    if limit is None or not isinstance(value, str) or len(value) <= limit:
        return None
    return too_long_message(label or capfirst(str(model._meta.get_field(name).verbose_name)), limit, len(value))


def check_length(model, name: str, value, *, field: str | None = None, label: str | None = None) -> None:
    """Refuse ``value`` when it is longer than ``model.name`` holds; ``field`` is the name the
    caller's form or schema uses (the model's by default), ``label`` what the person reads."""
    limit = limit_of(model, name)
    if limit is None or not isinstance(value, str) or len(value) <= limit:
        return
    label = label or capfirst(str(model._meta.get_field(name).verbose_name))
    raise TooLong(field=field or name, label=label, limit=limit, size=len(value))


def check_lengths(model, **values) -> None:
    """``check_length`` for each ``field=value``, the field names being the model's."""
    for name, value in values.items():
        check_length(model, name, value)


def excerpt(text: str, model, name: str) -> str:
    """A copy of a text kept whole elsewhere (an event's comment, a summary), shortened to what
    ``model.name`` holds and ending in "…" when cut, so nobody takes it for the whole."""
    return shortened_text(text, limit_of(model, name))


def shortened_text(text, limit: int | None) -> str:
    """``text`` quoted in at most ``limit`` characters, ending in "…" when cut (a named constant where
    no model field holds the quote: a rejected value shown back in a list of errors)."""
    text = str(text)
    if limit is None or len(text) <= limit:
        return text
    return text[:limit - 1] + "…"


def file_label(name, model, field: str) -> str:
    """The name an uploaded file came with, kept as its label in ``model.field``.

    The file itself is kept whole. A name longer than the field holds (phones and chat apps make
    names of a hundred characters and more) is shortened in the middle, keeping its start and its
    extension, with "…" where it was cut, so whoever reads the list sees the label is not the whole
    name. The upload is not refused: the person did not choose that name, and refusing would lose
    their evidence over it."""
    return shortened_file_name(name, limit_of(model, field))


def shortened_file_name(name, limit: int | None) -> str:
    """The name an uploaded file came with, shortened as :func:`file_label` does to ``limit``
    characters (a named constant where no model field holds the name: an audit record, a staged import)."""
    name = str(name or "")
    if limit is None or len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    tail = dot + extension if stem and 0 < len(extension) <= 10 else ""
    return name[:limit - len(tail) - 1] + "…" + tail


def search_term(request, raw, *, limit: int = SEARCH_TERM) -> str:
    """A search term as typed into a console page, stripped. One longer than ``limit`` is not cut
    (a cut term finds what the person did not ask for): the page says so, naming the limit, and the
    list shows as if nothing had been searched. The API refuses the same with 422 (``Query(max_length=…)``)."""
    term = (raw or "").strip()
    if len(term) <= limit:
        return term
    messages.error(request, search_too_long(limit, len(term)))
    return ""


def search_too_long(limit: int, size: int) -> str:
    return too_long_message(_("The search term"), limit, size)
