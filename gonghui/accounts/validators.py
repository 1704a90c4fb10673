from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, symbols."""

    def validate(self, password, user=None):
        classes = [any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
        if sum(classes) < 3:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self):
        return _("Your password must mix at least three of: lower-case letters, upper-case letters, digits, symbols.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a message of our own catalogue.

    Django 5.2 changed its message id and its Simplified Chinese catalogue still has the old
    one, so the stock refusal shows in English.
    """

    def get_error_message(self):
        return _("This password is too short: use at least %(min_length)d characters.") % {
            "min_length": self.min_length}

    def get_help_text(self):
        return _("Your password must contain at least %(min_length)d characters.") % {
            "min_length": self.min_length}
