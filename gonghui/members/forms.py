"""Console forms of the roster. Validation of content lives in validation.py and the services;
forms only parse types and carry the services' messages back to the page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.limits import (
    ID_NUMBER_TEXT,
    NODE_CODE_TEXT,
    PHONE_TEXT,
    SEARCH_TERM,
    VERSION_TOKEN,
    limit_of,
)

from .models import (
    ETHNICITIES,
    Education,
    EmploymentForm,
    Household,
    Member,
    MemberEvent,
    MemberStatus,
    MemberType,
    NewFormType,
    Political,
    Transfer,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(choices):
    return [("", "—"), *choices]


class MemberFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=SEARCH_TERM,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, initials, phone tail or ID number")}))
    status = forms.ChoiceField(required=False, choices=[("", _("All statuses")), *MemberStatus.choices],
                               initial=MemberStatus.ACTIVE)
    employment_form = forms.ChoiceField(required=False, choices=[("", _("All employment forms")),
                                                                 *EmploymentForm.choices])
    migrant = forms.ChoiceField(required=False, choices=[("", _("Migrant or not")), ("1", _("Migrant workers")),
                                                         ("0", _("Not migrant"))])
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", _("Women and men")), ("F", _("Women")), ("M", _("Men"))])
    joined_from = forms.DateField(required=False, widget=DATE, label=_("Joined from"))
    joined_to = forms.DateField(required=False, widget=DATE, label=_("Joined until"))


class MemberForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=limit_of(Member, "name"))
    id_number = forms.CharField(label=_("Resident ID number"), max_length=ID_NUMBER_TEXT)
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=_blank([("M", _("Male")), ("F", _("Female"))]))
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=[(e, e) for e in ETHNICITIES], initial="汉族")
    phone = forms.CharField(label=_("Mobile number"), max_length=PHONE_TEXT, required=False)
    education = forms.ChoiceField(label=pgettext_lazy("schooling", "Education"), required=False, choices=_blank(Education.choices))
    political_status = forms.ChoiceField(label=_("Political status"), required=False,
                                         choices=_blank(Political.choices))
    household = forms.ChoiceField(label=pgettext_lazy("registration", "Household"), required=False, choices=_blank(Household.choices))
    employment_form = forms.ChoiceField(label=_("Employment form"), choices=EmploymentForm.choices)
    new_form_type = forms.ChoiceField(label=_("New employment form type"), required=False,
                                      choices=_blank(NewFormType.choices))
    employer_name = forms.CharField(label=_("Employer"), max_length=limit_of(Member, "employer_name"), required=False)
    member_type = forms.ChoiceField(label=_("Member type"), choices=MemberType.choices)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)

    IDENTITY = ("name", "id_number", "gender", "birth_date")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for field in self.IDENTITY:
                del self.fields[field]
            # The version of the row the form was rendered with: a later change refuses this edit.
            self.fields["version"] = forms.CharField(widget=forms.HiddenInput, max_length=VERSION_TOKEN, required=False)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("gender"):
            data.pop("gender", None)
        if not data.get("birth_date"):
            data.pop("birth_date", None)
        return data


class EndForm(forms.Form):
    status = forms.ChoiceField(label=_("Reason"), choices=[(MemberStatus.LEFT, _("Left the union")),
                                                           (MemberStatus.DECEASED, _("Deceased"))])
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Details"), max_length=limit_of(MemberEvent, "reason"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=limit_of(MemberEvent, "reason"), required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class TransferForm(forms.Form):
    to_node = forms.CharField(label=_("Receiving union (code)"), max_length=NODE_CODE_TEXT)
    to_employer_name = forms.CharField(label=_("New employer"), max_length=limit_of(Transfer, "to_employer_name"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=limit_of(Transfer, "reason"), required=False)
