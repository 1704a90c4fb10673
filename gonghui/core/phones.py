"""Mainland mobile numbers as people type them: spaces, dashes, +86 or 0086 in front."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_NOISE = re.compile(r"[\s\-()（）]")


def normalize_mobile(value: str) -> str:
    if type(value) is str and _MOBILE.fullmatch(value):
        return value  # typed as it is stored: nothing to normalize (most of an imported roster)
    text = unicodedata.normalize("NFKC", str(value))
    text = _NOISE.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not _MOBILE.fullmatch(text):
        raise ValidationError(_("Enter an 11-digit mainland mobile number starting with 13-19."), code="phone")
    return text
