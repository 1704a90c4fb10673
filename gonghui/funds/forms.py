"""Forms of the funds console pages. Amounts are text fields checked by ``money.parse_amount`` in
the services (so the console, the API and the demo refuse the same things with the same words)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.limits import AMOUNT_TEXT, COORDINATE_TEXT, limit_of

from . import limits
from .models import Allocation, AllocationKind, CategoryKind, Payment, Plan, Project


def _year_field(label=None):
    return forms.IntegerField(label=label or pgettext_lazy("period", "Year"), min_value=2000, max_value=2100, initial=timezone.localdate().year)


class PlanForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=limit_of(Plan, "name"))
    start_year = _year_field(_("First year"))
    end_year = _year_field(_("Final year"))
    total = forms.CharField(label=_("Planned total (yuan)"), max_length=AMOUNT_TEXT)

    ROWS = 6
    KINDS = CategoryKind.choices


class BudgetForm(forms.Form):
    year = _year_field()
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=AMOUNT_TEXT)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, f"{c.plan.name} · {c.name}") for c in categories]


class AllocationForm(BudgetForm):
    kind = forms.ChoiceField(label=pgettext_lazy("allocation", "Kind"), choices=AllocationKind.choices)
    mode = forms.ChoiceField(label=_("Hand down"), choices=[("one", _("to one union")),
                                                            ("rule", _("to every union of a type"))],
                             widget=forms.RadioSelect, initial="one")
    to_node = forms.TypedChoiceField(label=_("Union receiving the money"), coerce=int, required=False)
    node_kind = forms.ChoiceField(label=_("Type of union"), required=False)
    note = forms.CharField(label=_("Note"), max_length=limit_of(Allocation, "note"), required=False)

    def __init__(self, *args, targets=(), node_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_node"].choices = [("", "—")] + [(n.pk, "　" * max(n.depth - 2, 0) + n.name) for n in targets]
        self.fields["node_kind"].choices = [("", "—"), *node_kinds]
        self.fields["amount"].label = _("Amount (yuan; each, for a type)")


class PaymentForm(BudgetForm):
    payee_node = forms.TypedChoiceField(label=_("Payee union"), coerce=int, required=False)
    payee_name = forms.CharField(label=_("Or another payee"), max_length=limit_of(Payment, "payee_name"), required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=limit_of(Payment, "purpose"))

    def __init__(self, *args, payees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee_node"].choices = [("", "—")] + [(n.pk, n.name) for n in payees]


class ProjectForm(forms.Form):
    kind = forms.TypedChoiceField(label=_("Type"), coerce=int)
    title = forms.CharField(label=pgettext_lazy("item", "Title"), max_length=limit_of(Project, "title"))
    year = _year_field()
    category = forms.TypedChoiceField(label=_("Funds category"), coerce=int)
    reviewer_node = forms.TypedChoiceField(label=_("Reviewing union"), coerce=int)
    address = forms.CharField(label=_("Address"), max_length=limit_of(Project, "address"))
    lat = forms.CharField(label=_("Latitude"), max_length=COORDINATE_TEXT, required=False)
    lng = forms.CharField(label=_("Longitude"), max_length=COORDINATE_TEXT, required=False)
    area_sqm = forms.CharField(label=_("Floor area (m²)"), max_length=limits.AREA_TEXT, required=False)
    description = forms.CharField(label=_("Plan of the works"), widget=forms.Textarea(attrs={"rows": 4}),
                                  max_length=limits.PROJECT_DESCRIPTION)
    budget_total = forms.CharField(label=_("Total budget (yuan)"), max_length=AMOUNT_TEXT)
    subsidy_requested = forms.CharField(label=_("Subsidy requested (yuan)"), max_length=AMOUNT_TEXT)
    position_id = forms.IntegerField(label=_("Position to upgrade (number)"), required=False, min_value=1)
    document = forms.FileField(label=_("Application document (PDF or picture)"), required=False)

    def __init__(self, *args, kinds=(), categories=(), reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.pk, k.name) for k in kinds]
        self.fields["category"].choices = [(c.pk, f"{c.plan.name} · {c.name}") for c in categories]
        self.fields["reviewer_node"].choices = [(n.pk, n.name) for n in reviewers]
