from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.limits import ONE_TIME_CODE, PHONE_TEXT, limit_of

from .models import Role, User


class OtpTokenForm(forms.Form):
    token = forms.RegexField(label=_("6-digit code from your authenticator app"), regex=r"^\d{6}$",
                             max_length=ONE_TIME_CODE, widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                                          "inputmode": "numeric"}))


ACTIVE_CHOICES = [("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))]


class RoleHolderFilterForm(forms.Form):
    node = forms.ChoiceField(label=_("Union"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *Role.choices])
    active = forms.ChoiceField(label=_("Account"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [("", _("All")), *((str(n.pk), n.name) for n in nodes)]


class NodeRoleForm(forms.Form):
    node = forms.ChoiceField(label=_("Union"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [(str(n.pk), n.name) for n in nodes]


class CadreForm(NodeRoleForm):
    username = forms.CharField(label=_("User name"), max_length=limit_of(User, "username"),
                               help_text=_("Letters, digits and @ . + - _; used to sign in."))
    display_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=limit_of(User, "display_name"))
    phone = forms.CharField(label=_("Mobile"), max_length=PHONE_TEXT, required=False)

    field_order = ["username", "display_name", "phone", "node", "role"]


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("New password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("New password again"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class LinkForm(forms.Form):
    """What a single-use link asks for: a new password, an authenticator code, or both."""

    new_password = forms.CharField(label=_("New password"), strip=False, required=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("New password again"), strip=False, required=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    code = forms.CharField(label=_("6-digit code from your authenticator app"), required=False, max_length=ONE_TIME_CODE,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

    def __init__(self, *args, link=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not link.sets_password:
            del self.fields["new_password"], self.fields["new_password2"]
        if not link.enrols_totp:
            del self.fields["code"]
        for field in self.fields.values():
            field.required = True

    def clean(self):
        data = super().clean()
        if "new_password" in self.fields and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data
