"""The worker-side shell: the mobile home page and sign-in by phone and one-time code."""

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gonghui.accounts import services as accounts
from gonghui.accounts.decorators import worker_required
from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.core.context import client_ip
from gonghui.core.errors import DomainError

from .forms import CodeForm, PhoneForm


def home(request):
    return render(request, "worker/home.html")


def login(request):
    """Step 1 asks for the number and sends a code; step 2 checks the code and signs in."""
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    step = "code" if request.POST.get("code") is not None else "phone"
    form = (CodeForm if step == "code" else PhoneForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            if step == "phone":
                accounts.send_phone_code(phone=phone, ip=client_ip(request.META))
                form = CodeForm(initial={"phone": phone})
                step = "code"
            else:
                worker = accounts.verify_phone_code(phone=phone, code=form.cleaned_data["code"])
                request.session.cycle_key()
                request.session[WORKER_SESSION_KEY] = worker.pk
                return redirect(next_url or "worker:me")
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "worker/login.html", {"form": form, "step": step, "next": next_url,
                                                 "sent": step == "code" and request.method == "POST"})


def logout(request):
    if request.method == "POST":
        request.session.pop(WORKER_SESSION_KEY, None)
        request.session.cycle_key()
    return redirect("worker:home")


@worker_required
def me(request):
    return render(request, "worker/me.html", {"title": _("Me")})
