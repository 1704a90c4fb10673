"""Guards for console views: a signed-in cadre with a role, second factor done when required."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .permissions import is_mediator_only, requires_totp, roles_of


def cadre_required(view):
    """A cadre with a role; a mediator-only account only on views marked ``open_to_mediators``."""
    mediators_welcome = getattr(view, "open_to_mediators", False)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if requires_totp(user) and not user.is_verified():
            return redirect("accounts:otp")
        if not user.is_superuser and not roles_of(user):
            return redirect("accounts:no_role")
        if not mediators_welcome and is_mediator_only(user):
            raise PermissionDenied("mediator")
        return view(request, *args, **kwargs)

    return wrapper


def worker_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.worker is None:
            return redirect_to_login(request.get_full_path(), login_url="worker:login")
        return view(request, *args, **kwargs)

    return wrapper
