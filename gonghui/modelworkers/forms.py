"""Console forms of the model-worker register."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import limits
from .models import AllowanceKind, CareKind, HonourKind, HonourLevel, ModelWorkerStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"))
    level = forms.ChoiceField(label=_("Level"), choices=HonourLevel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=HonourKind.choices)
    title = forms.CharField(label=pgettext_lazy("honour", "Title"), help_text=_("e.g. 全国劳动模范, 浙江工匠"))
    year = forms.IntegerField(label=pgettext_lazy("period", "Year"))
    employer_name = forms.CharField(label=_("Employer"), required=False)
    occupation = forms.CharField(label=_("Trade or occupation"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ModelWorkerStatus.choices)


class HonourForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=HonourLevel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=HonourKind.choices)
    title = forms.CharField(label=pgettext_lazy("honour", "Title"))
    year = forms.IntegerField(label=pgettext_lazy("period", "Year"))


class CareForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(CareKind.VISIT, CareKind.VISIT.label),
                                                        (CareKind.CHECKUP, CareKind.CHECKUP.label)])
    on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False)


class LinkForm(forms.Form):
    member = forms.IntegerField(label=_("Member record number"), help_text=_("The number in the member's page address."))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ModelWorkerStatus.choices)


class TripForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"))
    place = forms.CharField(label=_("Place"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    places = forms.IntegerField(label=_("Places"), min_value=1)


class PlaceForm(forms.Form):
    person = forms.IntegerField(label=_("Model worker"), min_value=1)


class HardshipForm(forms.Form):
    hardship_file = forms.IntegerField(label=_("Hardship file number"),
                                       help_text=_("The assistance file (aid module) the help was given under."))
    amount = forms.CharField(label=_("Amount (yuan)"))
    on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False)


class AllowanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AllowanceKind.choices)
    programme = forms.TypedChoiceField(label=_("Aid programme"), coerce=int,
                                       help_text=_("The allowance is paid as an application of this programme."))
    amount = forms.CharField(label=_("Amount (yuan)"))
    reason = forms.CharField(label=_("Reason"), max_length=limits.ALLOWANCE_REASON)

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—")] + [(p.pk, p.name) for p in programmes]
