import base64
import math

import segno
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
    """Second factor: set up an authenticator app on first use, then enter its code at each login."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setup = device is None
    if setup:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or \
            TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
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
            if setup:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit("accounts.totp.enrolled", actor=request.user)
            otp_login(request, device)
            return redirect("console:home")
        else:
            audit("accounts.totp.failed", actor=request.user)
            form.add_error("token", _("The code is wrong or has expired."))
    qr = None
    if setup:
        svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
        qr = base64.b64encode(svg.encode()).decode()
    return render(request, "accounts/otp.html", {"form": form, "setup": setup, "qr_svg_b64": qr,
                                                 "secret": base64.b32encode(device.bin_key).decode() if setup else ""})


@login_required
def no_role(request):
    messages.info(request, _("Your account holds no role yet; ask your union's administrator."))
    return render(request, "accounts/no_role.html")
