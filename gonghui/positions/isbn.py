"""ISBN-13 and ISBN-10 (GB/T 5795): check digits validated, ISBN-10 converted to ISBN-13."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _check13(first12: str) -> str:
    return str((10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12)) % 10) % 10)


def _check10(first9: str) -> str:
    value = (11 - sum(int(d) * (10 - i) for i, d in enumerate(first9)) % 11) % 11
    return "X" if value == 10 else str(value)


def normalize_isbn(value: str) -> str:
    """"978-7-02-002536-8", "7-02-002536-8" or "ISBN 7020025368" → "9787020025368"."""
    text = unicodedata.normalize("NFKC", str(value or "")).upper()
    text = re.sub(r"^ISBN[:\s]*", "", text.strip())
    digits = re.sub(r"[\s\-]", "", text)
    if re.fullmatch(r"\d{13}", digits):
        if not digits.startswith(("978", "979")):
            raise ValidationError(_("An ISBN-13 starts with 978 or 979."), code="isbn_prefix")
        if _check13(digits[:12]) != digits[12]:
            raise ValidationError(_("The ISBN %(isbn)s has a wrong check digit; check the number on the book.")
                                  % {"isbn": value}, code="isbn_check")
        return digits
    if re.fullmatch(r"\d{9}[\dX]", digits):
        if _check10(digits[:9]) != digits[9]:
            raise ValidationError(_("The ISBN %(isbn)s has a wrong check digit; check the number on the book.")
                                  % {"isbn": value}, code="isbn_check")
        first12 = "978" + digits[:9]
        return first12 + _check13(first12)
    raise ValidationError(_("An ISBN has 13 digits (or 10 on older books)."), code="isbn_length")
