from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gonghui.core.limits import ONE_TIME_CODE, PHONE_TEXT
from gonghui.core.phones import normalize_mobile


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=PHONE_TEXT,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def clean_phone(self):
        try:
            return normalize_mobile(self.cleaned_data["phone"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class CodeForm(PhoneForm):
    code = forms.RegexField(label=_("Code"), regex=r"^\d{6}$", max_length=ONE_TIME_CODE,
                            error_messages={"invalid": _("Enter the 6-digit code.")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                          "autocomplete": "one-time-code"}))
