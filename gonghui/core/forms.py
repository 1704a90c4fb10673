"""Form helpers shared by the console pages of every app."""

from django.core.exceptions import ValidationError

from .errors import DomainError


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
