"""The worker-side shell: the mobile home page and sign-in by phone and one-time code."""

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

from gonghui.accounts import services as accounts
from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.core.context import client_ip
from gonghui.core.errors import DomainError

from .forms import CodeForm, PhoneForm

# The home page's tiles, each naming the worker URL of its module. A tile whose URL is not
# registered yet shows as "coming soon" rather than linking to a placeholder; adding the named
# route (for example ``path("stations/", ..., name="stations")`` in worker/urls.py) lights it up.
HOME_TILES = [
    ("worker:membership", gettext_lazy("My union"), gettext_lazy("Membership and card")),
    ("worker:stations", gettext_lazy("Rest stations"), gettext_lazy("Water, charging, a seat")),
    ("worker:courses", gettext_lazy("Courses"), gettext_lazy("Free training")),
    ("worker:help", gettext_lazy("Help"), gettext_lazy("Rights and assistance")),
]


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# The help page gathers the ways to ask the union for help; same rule as the home tiles.
HELP_TILES = [
    ("worker:claim_new", gettext_lazy("Report a problem at work"),
     gettext_lazy("Unpaid wages, contracts, injuries, dismissal — the union follows it up")),
    ("worker:claim_track", gettext_lazy("Follow my claim"), gettext_lazy("With the tracking code you were given")),
    ("worker:aid", gettext_lazy("Apply for assistance"),
     gettext_lazy("Hardship aid, scholarships, medical mutual aid")),
    ("worker:wishes", gettext_lazy("Micro-wishes"), gettext_lazy("Post a small wish, or help one come true")),
]


def _tiles(spec) -> list[dict]:
    return [{"url": _url_or_none(name), "title": title, "hint": hint} for name, title, hint in spec]


def home(request):
    return render(request, "worker/home.html", {"tiles": _tiles(HOME_TILES)})


def help_hub(request):
    return render(request, "worker/help.html", {"tiles": _tiles(HELP_TILES)})


def login(request):
    """Step 1 asks for the number and sends a code; step 2 checks the code and signs in."""
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
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
