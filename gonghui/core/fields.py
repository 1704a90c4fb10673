"""Model fields for personal data: stored encrypted, read back as plain text in Python."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text encrypted with AES-GCM at rest. Not filterable: look up through a blind index."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull",):
            raise TypeError(f"encrypted field cannot be filtered with '{lookup_name}'; use its hash column")
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """Hex HMAC-SHA256 of a normalized value; see crypto.blind_index."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
