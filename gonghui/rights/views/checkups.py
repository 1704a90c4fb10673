"""Console pages of legal check-ups of employers and of collective agreements."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core.errors import NotPermitted
from gonghui.core.forms import apply_errors
from gonghui.core.limits import limit_of
from gonghui.core.paging import chooser
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Employer

from .. import limits, selectors
from ..models import AgreementKind, Checkup, Finding
from ..services import checkups as services


def _node(request):
    value = request.GET.get("node") or request.POST.get("node")
    node = orgs.access_node(value) if value else next(iter(orgs.scope_roots()), None)
    if node is None:
        raise NotPermitted("rights.node")
    return node


HISTORY_ROWS = 20  # earlier check-ups shown on a check-up's page; the rest through the link to the list


@cadre_required
def checkup_list(request):
    node = _node(request)
    require(request.user, "rights.checkup.list", node=node)
    employer = orgs.access_employer(request.GET["employer"]) if request.GET.get("employer") else None
    page = Paginator(selectors.checkup_list(node=node, employer=employer), 50).get_page(request.GET.get("page"))
    can_add = allowed(request.user, "rights.checkup.create", node=node)
    employers = chooser(request, orgs.employer_list(node=node),
                        search=lambda rows, term: orgs.employer_list(node=node, query=term)) if can_add else None
    return render(request, "rights/checkups.html", {
        "node": node, "employer": employer, "page": page, "figures": selectors.checkup_figures(node),
        "can_add": can_add, "employers": employers.rows if employers else [], "chooser": employers,
    })


@cadre_required
def checkup_detail(request, pk):
    checkup = selectors.access_checkup(pk)
    require(request.user, "rights.checkup.view", node=checkup.node)
    history = selectors.checkup_list(employer=checkup.employer).exclude(pk=checkup.pk)
    return render(request, "rights/checkup.html", {
        "checkup": checkup, "findings": selectors.checkup_findings(checkup), "today": timezone.localdate(),
        "can_edit": allowed(request.user, "rights.checkup.rectify", node=checkup.node),
        "history": history[:HISTORY_ROWS], "history_total": history.count(),
    })


class CheckupForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    inspectors = forms.CharField(label=gettext_lazy("Inspectors"), max_length=limit_of(Checkup, "inspectors"))
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=limits.CHECKUP_SUMMARY, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


@cadre_required
def checkup_new(request):
    employer = orgs.access_employer(request.GET.get("employer") or request.POST.get("employer"))
    require(request.user, "rights.checkup.create", node=employer.node)
    items = list(selectors.checklist_items())
    form = CheckupForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    answers = {item.code: {"result": request.POST.get(f"item_{item.code}", ""),
                           "note": request.POST.get(f"note_{item.code}", ""),
                           "rectify_by": request.POST.get(f"by_{item.code}", "")} for item in items}
    errors = {}
    if request.method == "POST" and form.is_valid():
        try:
            checkup = services.record_checkup(employer=employer, actor=request.user, findings=answers,
                                              **form.cleaned_data)
        except ValidationError as exc:
            errors = exc.message_dict
            apply_errors(form, ValidationError({k: v for k, v in errors.items() if k in form.fields}))
        else:
            messages.success(request, _("Check-up recorded."))
            return redirect("rights:checkup", pk=checkup.pk)
    rows = [(item, answers[item.code], errors.get(f"item_{item.code}", [])) for item in items]
    return render(request, "rights/checkup_form.html", {"form": form, "employer": employer, "rows": rows,
                                                        "results": Finding.Result.choices})


@cadre_required
@require_POST
def finding_rectify(request, pk):
    finding = selectors.access_finding(pk)
    try:
        services.record_rectification(finding=finding, actor=request.user,
                                      rectified_on=request.POST.get("rectified_on", ""),
                                      follow_up=request.POST.get("follow_up", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.success(request, _("Rectification recorded."))
    return redirect("rights:checkup", pk=finding.checkup_id)


@cadre_required
def agreement_list(request):
    node = _node(request)
    require(request.user, "rights.agreement.list", node=node)
    due = request.GET.get("due") == "1"
    page = Paginator(selectors.agreement_list(node=node, renewal_due_within=90 if due else None), 50).get_page(
        request.GET.get("page"))
    return render(request, "rights/agreements.html", {
        "node": node, "page": page, "due": due, "coverage": selectors.agreement_coverage(node),
        "today": timezone.localdate(), "can_add": allowed(request.user, "rights.agreement.create", node=node),
    })


class AgreementForm(forms.Form):
    employer = forms.TypedChoiceField(label=gettext_lazy("Employer"), coerce=int, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=AgreementKind.choices)
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    term_months = forms.IntegerField(label=gettext_lazy("Term (months)"), initial=36)
    wage_growth = forms.CharField(label=gettext_lazy("Agreed wage growth (%)"), required=False,
                                  max_length=limits.WAGE_GROWTH_TEXT)
    workers_covered = forms.IntegerField(label=gettext_lazy("Workers covered"))
    has_congress = forms.BooleanField(label=gettext_lazy("Workers' congress (职代会) in place"), required=False)
    has_open_affairs = forms.BooleanField(label=gettext_lazy("Open factory affairs (厂务公开) in place"),
                                          required=False)

    def __init__(self, *args, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [("", gettext_lazy("— none (industry or area agreement) —"))] + [
            (e.pk, e.name) for e in employers]


@cadre_required
def agreement_new(request):
    node = _node(request)
    require(request.user, "rights.agreement.create", node=node)
    employers = chooser(request, Employer.objects.filter(Q(node__path__startswith=node.path) | Q(union=node),
                                                         union__isnull=False).order_by("name"),
                        search=lambda rows, term: rows.filter(Q(name__icontains=term) | Q(credit_code=term.upper())))
    chosen_from = employers.rows
    form = AgreementForm(request.POST or None, employers=chosen_from)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data.pop("employer")
        employer = next((e for e in chosen_from if e.pk == chosen), None)
        try:
            services.register_agreement(node=node, actor=request.user, employer=employer, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Agreement registered."))
            return redirect(f"{reverse('rights:agreements')}?node={node.pk}")
    return render(request, "rights/agreement_form.html", {"form": form, "node": node, "chooser": employers})


urlpatterns = [
    path("checkups/", checkup_list, name="checkups"),
    path("checkups/new/", checkup_new, name="checkup_new"),
    path("checkups/<int:pk>/", checkup_detail, name="checkup"),
    path("findings/<int:pk>/rectify/", finding_rectify, name="finding_rectify"),
    path("agreements/", agreement_list, name="agreements"),
    path("agreements/new/", agreement_new, name="agreement_new"),
]
