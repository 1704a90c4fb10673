from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gonghui.core.editing import VersionFormMixin
from gonghui.core.ids import normalize_credit_code
from gonghui.core.limits import limit_of
from gonghui.core.text import clean_name

from . import limits
from .models import Employer, Node, NodeKind, NodeStatus, Sector


def _reraise(func, value):
    try:
        return func(value)
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


class NodeForm(forms.ModelForm):
    class Meta:
        model = Node
        fields = ["name", "short_name", "kind", "region_code", "region_name", "address", "credit_code",
                  "established_on", "chair_name", "full_time_staff", "is_legal_person", "worker_count",
                  "member_count"]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}

    def clean_name(self):
        return _reraise(lambda v: clean_name(v, max_length=limit_of(Node, "name")), self.cleaned_data["name"])

    def clean_short_name(self):
        value = self.cleaned_data["short_name"]
        return _reraise(lambda v: clean_name(v, max_length=limit_of(Node, "short_name")), value) if value else ""

    def clean_credit_code(self):
        value = self.cleaned_data["credit_code"]
        return _reraise(normalize_credit_code, value) if value else ""


class MoveForm(forms.Form):
    new_parent = forms.IntegerField(label=_("New superior union (id)"), widget=forms.HiddenInput)


class DissolveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=limits.DISSOLVE_REASON, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Merge into (id)"), widget=forms.HiddenInput)


class EmployerForm(forms.ModelForm):
    # Declared here, not derived from the model: the derived field would query Node's default
    # (scoped) manager at import time. The real choices are set per request in __init__.
    union = forms.ModelChoiceField(label=_("union"), queryset=Node.objects.none(), required=False,
                                   error_messages={"invalid_choice": _("Choose an active union within your "
                                                                       "jurisdiction.")})

    class Meta:
        model = Employer
        fields = ["name", "credit_code", "sector", "employee_count", "union", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the scoped manager answers only inside the cadre's scope, so a union
        # outside it is simply not a valid choice.
        self.fields["union"].queryset = Node.scoped.filter(status=NodeStatus.ACTIVE).order_by("path")
        self.fields["union"].empty_label = _("No union yet")

    def clean_name(self):
        return _reraise(lambda v: clean_name(v, max_length=limit_of(Employer, "name")), self.cleaned_data["name"])

    def clean_credit_code(self):
        return _reraise(normalize_credit_code, self.cleaned_data["credit_code"])

    def validate_unique(self):
        # Uniqueness across the whole ledger is checked by the service (which sees every scope).
        pass



class NodeEditForm(VersionFormMixin, NodeForm):
    """The edit of a union: carries the version it was rendered with (``core.editing``)."""


class EmployerEditForm(VersionFormMixin, EmployerForm):
    """The edit of an employer: carries the version it was rendered with (``core.editing``)."""


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unionized = forms.TypedChoiceField(label=_("Union"), required=False, coerce=lambda v: v == "1",
                                       empty_value=None,
                                       choices=[("", _("All")), ("1", _("Has a union")), ("0", _("No union yet"))])
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All")), *Sector.choices])


KIND_CHOICES = NodeKind.choices
