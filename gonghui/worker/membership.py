"""Worker pages of membership: scan to join, my membership and applications, the member card,
and the public check of a card's QR code (what a station or an activity check-in scans)."""

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
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.members import selectors as members
from gonghui.members.models import EmploymentForm, NewFormType
from gonghui.members.services import card as cards
from gonghui.members.services import joining


class JoinForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("Resident ID number"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    employer_name = forms.CharField(label=gettext_lazy("Employer or platform"), max_length=100, required=False)
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
        link = joining.resolve_link(token)
    except DomainError as exc:
        return render(request, "worker/join_invalid.html", {"message": exc.message}, status=404)
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
                employer_name=data["employer_name"], consent=data["consent"], ip=client_ip(request.META))
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
    return render(request, "worker/membership.html", {
        "member": member, "applications": members.applications_of_worker(request.worker)})


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
    url = request.build_absolute_uri(reverse("worker:card_check", args=[cards.card_token(member)]))
    response = render(request, "worker/card.html", {"member": member, "svg": mark_safe(_svg(url)),  # noqa: S308
                                                    "ttl": cards.settings.GONGHUI_CARD_QR_TTL_SECONDS})
    response["Cache-Control"] = "no-store"
    return response


def card_check(request, token):
    return render(request, "worker/card_check.html", {"check": cards.verify_card(token)})
