"""Domain errors carry a stable code and a message for the user; never an HTTP response."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    def __init__(self, code: str, message: str = "", *, field: str | None = None):
        super().__init__(message or code)
        self.code = code
        self.message = message or code
        self.field = field


class NotPermitted(PermissionDenied):
    """The actor may not do this; views turn it into 403, the API into 403 JSON."""

    def __init__(self, permission: str):
        super().__init__(permission)
        self.permission = permission
