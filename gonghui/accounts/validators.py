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
