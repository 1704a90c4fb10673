"""Worker pages of membership: scan to join, join without a poster (find my union, the catch-all
union, industry federations), the "invite me" offer after a service, my membership and
applications, the member card, and the public check of a card's QR code (what a station or an
activity check-in scans)."""

import io

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import worker_required
from gonghui.core.context import client_ip
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.limits import ID_NUMBER_TEXT, limit_of
from gonghui.members import selectors as members
from gonghui.members.models import EmploymentForm, JoinApplication, NewFormType
from gonghui.members.services import card as cards
from gonghui.members.services import joining

from .limits import OFFER_TOKEN


class JoinForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=limit_of(JoinApplication, "name"))
    id_number = forms.CharField(label=gettext_lazy("Resident ID number"), max_length=ID_NUMBER_TEXT,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    employer_name = forms.CharField(label=gettext_lazy("Employer or platform"),
                                    max_length=limit_of(JoinApplication, "employer_name"), required=False)
    employment_form = forms.ChoiceField(label=gettext_lazy("Employment form"), choices=EmploymentForm.choices)
    new_form_type = forms.ChoiceField(label=gettext_lazy("Kind of platform work"), required=False,
                                      choices=[("", "—"), *NewFormType.choices])
    consent = forms.BooleanField(
        required=False, initial=False,
        label=gettext_lazy("I agree that the union processes my name, ID number and phone number to handle my "
                           "membership (sensitive personal information, kept encrypted)."))


def _svg(url: str) -> str:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
    return out.getvalue().decode()


def join(request, token):
    try:
        link = joining.resolve_link(token=token)
    except DomainError as exc:
        return render(request, "worker/join_invalid.html", {"message": exc.message}, status=404)
    return _join_form(request, link, channel="qr")


def _join_form(request, link, *, channel: str):
    """The application form of ``link``'s union: the same review, consent and deadline whichever
    way the worker came (a scanned poster, or the search)."""
    if request.worker is None:
        return render(request, "worker/join.html", {"node": link.node, "form": None,
                                                    "login_url": f"{reverse('worker:login')}?next={request.path}"})
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = joining.submit_application(
                link=link, worker=request.worker, name=data["name"], id_number=data["id_number"],
                employment_form=data["employment_form"], new_form_type=data["new_form_type"],
                employer_name=data["employer_name"], consent=data["consent"], channel=channel,
                ip=client_ip(request.META))
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Application received. The union reviews it by %(date)s.")
                             % {"date": application.due_on.strftime("%Y-%m-%d")})
            return redirect("worker:membership")
    return render(request, "worker/join.html", {"node": link.node, "form": form})


@worker_required
def membership(request):
    member = members.membership_of_worker(request.worker)
    applications = members.applications_of_worker(request.worker)
    return render(request, "worker/membership.html", {
        "member": member, "applications": applications,
        "latest": members.WORKER_APPLICATIONS if len(applications) >= members.WORKER_APPLICATIONS else 0})


@worker_required
@require_POST
def withdraw(request, pk):
    application = members.application_of_worker(request.worker, pk)
    try:
        joining.withdraw_application(application=application, worker=request.worker)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("worker:membership")


@worker_required
def card(request):
    member = members.membership_of_worker(request.worker)
    if member is None:
        return redirect("worker:membership")
    url = request.build_absolute_uri(reverse("worker:card_check", args=[cards.make_card_token(member=member)]))
    response = render(request, "worker/card.html", {"member": member, "svg": mark_safe(_svg(url)),  # noqa: S308
                                                    "ttl": cards.settings.GONGHUI_CARD_QR_TTL_SECONDS})
    response["Cache-Control"] = "no-store"
    return response


def card_check(request, token):
    return render(request, "worker/card_check.html", {"check": cards.verify_card(token=token)})


class FindForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Employer, credit code or union"), required=False,
                        max_length=joining.SEARCH_MAX_CHARS,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}))
    area = forms.ChoiceField(label=pgettext_lazy("place", "Area"), required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", gettext_lazy("Any area")),
                                       *[(n.code, "\u3000" * max(n.depth - 2, 0) + n.name) for n in areas]]


@replica_reads
def join_find(request):
    """Join without a poster: find the union by employer name, credit code or area; where the
    employer has none, the township or community catch-all union (兜底入会); industry federations
    for riders, couriers, drivers and domestic workers. Only unions that take applications online."""
    areas = joining.find_areas()
    form = FindForm(request.GET or None, areas=areas)
    found, status = None, 200
    if form.is_bound and form.is_valid():
        try:
            found = joining.find_unions(query=form.cleaned_data["q"], area=form.cleaned_data["area"],
                                        ip=client_ip(request.META))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = 429 if exc.code == "search_rate_limited" else 200
    return render(request, "worker/join_find.html", {
        "form": form, "found": found, "federations": joining.find_federations(),
        "member": members.membership_of_worker(request.worker) if request.worker else None}, status=status)


def join_union(request, code):
    """The application form of a union found by the search (it accepts online joining)."""
    try:
        _node, link = joining.find_accepting_node(code=code)
    except DomainError as exc:
        return render(request, "worker/join_invalid.html", {"message": exc.message}, status=404)
    return _join_form(request, link, channel="search")


class OfferForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=OFFER_TOKEN)
    consent = forms.BooleanField(required=False, label=joining.PROSPECT_CONSENT_TEXT)


@worker_required
@require_POST
def join_offer(request):
    """先服务后入会: after a course, a claim or a request for help, a non-member asks to be invited."""
    form = OfferForm(request.POST)
    back = request.POST.get("back", "")
    if not back.startswith("/w/") or "//" in back:
        back = reverse("worker:me")
    if not form.is_valid():
        messages.error(request, _("This offer is no longer valid."))
        return redirect(back)
    try:
        prospect = joining.accept_offer(token=form.cleaned_data["token"], worker=request.worker,
                                        consent=form.cleaned_data["consent"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if prospect is None:
            messages.info(request, _("You are already a member."))
        else:
            messages.success(request, _("Thank you. %(union)s will invite you to join.") % {"union": prospect.node.name})
    return redirect(back)


def offer_context(request, *, node, service: str, channel: str) -> dict | None:
    """What ``worker/_join_offer.html`` needs to offer a signed-in non-member to be invited by
    ``node`` after using ``service``; None for members, visitors and an unknown union."""
    if request.worker is None or node is None or members.membership_of_worker(request.worker) is not None:
        return None
    return {"form": OfferForm(initial={"token": joining.offer_token(node=node, service=service, channel=channel)}),
            "union": node.name, "back": request.path, "find_url": reverse("worker:join_find")}
