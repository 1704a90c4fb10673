"""Console forms of registration. They parse input; the rules live in services.forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.limits import ID_NUMBER_TEXT

from .models import FORM_FIELDS, Application, Kind
from .services.forms import FORM_KINDS

MAX_UPLOAD_HINT = _("PDF or a photo (JPEG, PNG), at most 10 MB.")


class NewApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of application"), choices=Kind.choices, widget=forms.RadioSelect)


def application_form_class(kind: str):
    """The form of one application type: the register blocks for establish/change/renew, plus the
    fields each type needs (date of the change, loss notice, reason)."""
    names = list(FORM_FIELDS) if kind in FORM_KINDS else []
    names += {Kind.CHANGE: ["changed_on", "reason"], Kind.REISSUE: ["loss_notice", "reason"],
              Kind.CANCEL: ["reason"], Kind.RENEW: ["reason"], Kind.ESTABLISH: []}[kind]
    fields = forms.fields_for_model(Application, fields=names)
    for field in fields.values():
        field.required = False
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if "legal_rep_id_number" in fields:
        fields["legal_rep_id_number"] = forms.CharField(
            label=_("legal representative's ID number"), required=False, max_length=ID_NUMBER_TEXT,
            help_text=_("Leave empty to keep the number on file."))
    if "reason" in fields:
        fields["reason"].widget = forms.Textarea(attrs={"rows": 3})
    return type("ApplicationForm", (forms.Form,), fields)


class UploadForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"), help_text=MAX_UPLOAD_HINT)


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Certificate PDF"))
