from django import forms
from django.utils.translation import gettext_lazy as _


class OtpTokenForm(forms.Form):
    token = forms.RegexField(label=_("6-digit code from your authenticator app"), regex=r"^\d{6}$",
                             max_length=6, widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                                          "inputmode": "numeric"}))
