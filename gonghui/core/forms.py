"""Form helpers shared by the console pages of every app."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from .errors import DomainError

# Translators: the colon Django's forms write after every label ("Name:"); Chinese takes the
# full-width colon. Marked here so that makemessages puts it in our catalogue, which Django reads
# before its own (whose Chinese keeps the ASCII colon).
LABEL_SUFFIX = gettext_noop(":")


def apply_errors(form, exc: Exception) -> None:
    """Put a service's DomainError or ValidationError on the form, by field where it names one."""
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        raise exc
