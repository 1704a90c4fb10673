"""Console forms of aid. Amounts stay text here: the services parse them (one set of money rules)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.limits import AMOUNT_TEXT, ID_NUMBER_TEXT, NODE_CODE_TEXT, PHONE_TEXT, limit_of

from . import limits
from .models import (
    Application,
    HardshipCause,
    HardshipDocument,
    HardshipEvent,
    HardshipFile,
    HardshipLevel,
    HouseholdMember,
    Method,
    Programme,
    ProgrammeKind,
    Scholarship,
    ScholarshipLevel,
    Wish,
)

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("programme", "Kind"), choices=ProgrammeKind.choices)
    name = forms.CharField(label=pgettext_lazy("programme", "Name"), max_length=limit_of(Programme, "name"))
    year = forms.IntegerField(label=pgettext_lazy("period", "Year"), min_value=2000, max_value=2100)
    period = forms.CharField(label=pgettext_lazy("programme", "Period"), max_length=limit_of(Programme, "period"), required=False,
                             help_text=_("Leave empty for the whole year; e.g. 2026-spring for a season."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    review_levels = forms.TypedChoiceField(label=_("Review levels"), coerce=int,
                                           choices=[(1, _("One level")), (2, _("Two levels"))])
    budget = forms.CharField(label=_("Budget (yuan)"), max_length=AMOUNT_TEXT)
    objection_workdays = forms.IntegerField(label=_("Objection period (working days)"), min_value=1, max_value=30,
                                            initial=5, required=False)
    pay_after_publicity = forms.BooleanField(
        label=_("Pay only after the publicity period"), required=False,
        help_text=_("Otherwise the list is published after payment and an upheld objection reverses the payment."))
    standard_amount = forms.CharField(label=_("Standard amount per person (yuan)"), max_length=AMOUNT_TEXT, required=False)
    enrolment_fee = forms.CharField(label=_("Enrolment fee (yuan)"), max_length=AMOUNT_TEXT, required=False)
    deductible = forms.CharField(label=_("Deductible (yuan)"), max_length=AMOUNT_TEXT, required=False)
    ratio = forms.CharField(label=_("Payout ratio (0–1)"), max_length=limits.RATIO_TEXT, required=False)
    cap_per_claim = forms.CharField(label=_("Cap per claim (yuan)"), max_length=AMOUNT_TEXT, required=False)
    cap_per_year = forms.CharField(label=_("Cap per year (yuan)"), max_length=AMOUNT_TEXT, required=False)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["objection_workdays"] = data.get("objection_workdays") or 5
        if data["kind"] != ProgrammeKind.MEDICAL:
            for key in ("enrolment_fee", "deductible", "ratio", "cap_per_claim", "cap_per_year"):
                data.pop(key)
        return data


class BudgetForm(forms.Form):
    node = forms.CharField(label=_("Union code"), max_length=NODE_CODE_TEXT)
    amount = forms.CharField(label=_("Budget (yuan)"), max_length=AMOUNT_TEXT)


class ApplicationForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number of the member or registered household"), max_length=ID_NUMBER_TEXT,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    reason = forms.CharField(label=_("Reason"), max_length=limit_of(Application, "reason"), widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.CharField(label=_("Amount requested (yuan)"), max_length=AMOUNT_TEXT, required=False)
    student = forms.CharField(label=_("Student"), max_length=limits.PERSON_NAME, required=False)
    school = forms.CharField(label=_("School"), max_length=limit_of(Scholarship, "school"), required=False)
    admission_year = forms.IntegerField(label=_("Admission year"), required=False)
    level = forms.ChoiceField(label=_("Level of study"), choices=[("", "—"), *ScholarshipLevel.choices],
                              required=False)


class DecisionForm(forms.Form):
    amount = forms.CharField(label=_("Amount approved (yuan)"), max_length=AMOUNT_TEXT, required=False)
    note = forms.CharField(label=_("Review note or reason"), max_length=limit_of(Application, "decision_note"), required=False)
    method = forms.ChoiceField(label=_("Paid by"), choices=Method.choices, required=False)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, required=False, initial=datetime.date.today)


class HardshipForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=limits.PERSON_NAME)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=ID_NUMBER_TEXT)
    phone = forms.CharField(label=_("Mobile number"), max_length=PHONE_TEXT, required=False)
    cause = forms.ChoiceField(label=_("Cause"), choices=HardshipCause.choices)
    level = forms.ChoiceField(label=_("Hardship level"), choices=HardshipLevel.choices)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=20)
    income_per_head = forms.CharField(label=_("Household income per head (yuan a month)"), max_length=AMOUNT_TEXT)
    situation = forms.CharField(label=_("Situation, incl. illness"), max_length=limits.SITUATION, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    relative_name = forms.CharField(label=_("Household member"), max_length=limits.PERSON_NAME, required=False)
    relative_relation = forms.CharField(label=_("Relation"), max_length=limit_of(HouseholdMember, "relation"), required=False)
    relative_birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100, required=False)
    relative_note = forms.CharField(label=_("Health, school or work"), max_length=limit_of(HouseholdMember, "note"), required=False)


class ReviewForm(forms.Form):
    level = forms.ChoiceField(label=_("Hardship level"), choices=HardshipLevel.choices)
    income_per_head = forms.CharField(label=_("Household income per head (yuan a month)"), max_length=AMOUNT_TEXT)
    note = forms.CharField(label=_("Review note"), max_length=limit_of(HardshipEvent, "note"), required=False)


class ExitForm(forms.Form):
    reason = forms.CharField(label=_("Reason for leaving"), max_length=limit_of(HardshipFile, "exit_reason"))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document"), max_length=limit_of(HardshipDocument, "title"))
    file = forms.FileField(label=_("File (picture or PDF)"))


class EnrolForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number of the member"), max_length=ID_NUMBER_TEXT)
    fee = forms.CharField(label=_("Fee (yuan)"), max_length=AMOUNT_TEXT, required=False)


class BulkEnrolForm(forms.Form):
    node = forms.CharField(label=_("Union code"), max_length=NODE_CODE_TEXT)
    fee = forms.CharField(label=_("Fee (yuan)"), max_length=AMOUNT_TEXT, required=False)


class WishActionForm(forms.Form):
    helper = forms.CharField(label=_("Helper (unit or donor)"), max_length=limit_of(Wish, "helper"), required=False)
    photo = forms.FileField(label=_("Photo of the wish come true"), required=False)
