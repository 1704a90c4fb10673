import math

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index

from .forms import OtpTokenForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # django.contrib.auth.login cycles the session key
        audit("accounts.login", actor=form.get_user())
        return response

    def form_invalid(self, form):
        # A refused password (or a refused attempt on a locked account) is audited with a keyed
        # hash of the name that was tried, never its text: people type their password into the
        # name field. Repeated tries of one name still show as one hash. The page answers the same
        # for unknown names.
        username = (form.data.get("username") or "").strip()[:150]
        if username:
            locked = getattr(self.request, "axes_locked_out", False)
            audit("accounts.login_locked" if locked else "accounts.login_failed",
                  obj=User.objects.filter(username=username).first(),
                  data={"username_hash": blind_index(username, purpose="audit.failed_username")})
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    next_page = "accounts:login"


@login_required
def otp(request):
    """Second factor: the code of the authenticator app enrolled through an admin's link, at each login."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        # No self-enrolment: the secret would show to whoever has the password. An admin issues a
        # single-use enrolment link (accounts:cadre_reset_totp, or `gonghui create-admin`).
        return render(request, "accounts/otp.html", {"needs_link": True})
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, refusal = device.verify_is_allowed()
        if not allowed:
            # django-otp backs off after each wrong code; say so instead of calling a right code wrong.
            wait = (refusal or {}).get("locked_until")
            seconds = max(1, math.ceil((wait - timezone.now()).total_seconds())) if wait else 1
            form.add_error("token", _("Too many wrong codes; please wait %(seconds)d s and try again.")
                           % {"seconds": seconds})
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect("console:home")
        else:
            audit("accounts.totp.failed", actor=request.user)
            form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp.html", {"form": form})


@login_required
def no_role(request):
    messages.info(request, _("Your account holds no role yet; ask your union's administrator."))
    return render(request, "accounts/no_role.html")
