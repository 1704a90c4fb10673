"""Guards for console views: a signed-in cadre with a role, second factor done when required."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from .permissions import requires_totp, roles_of


def cadre_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if requires_totp(user) and not user.is_verified():
            return redirect("accounts:otp")
        if not user.is_superuser and not roles_of(user):
            return redirect("accounts:no_role")
        return view(request, *args, **kwargs)

    return wrapper


def worker_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.worker is None:
            return redirect_to_login(request.get_full_path(), login_url="worker:login")
        return view(request, *args, **kwargs)

    return wrapper
