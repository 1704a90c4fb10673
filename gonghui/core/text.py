"""Names typed by people: normalized, and refused when they carry markup or invisible controls."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional overrides and isolates can disguise what a name says; zero-width characters hide.
_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff")
_MARKUP = re.compile(r"[<>]|&#|javascript:", re.IGNORECASE)
# Interpuncts used in transcribed and minority names: 阿卜杜·热合曼.
_DOTS = {"\u00b7": "·", "\u30fb": "·", "\u2022": "·", "\u2027": "·", "\uff65": "·"}


def clean_name(value: str, *, max_length: int = 100) -> str:
    """Return the name normalized (NFC, trimmed, one kind of middle dot) or raise ValidationError."""
    text = unicodedata.normalize("NFC", str(value)).strip()
    text = "".join(_DOTS.get(ch, ch) for ch in text)
    if not text:
        raise ValidationError(_("The name is empty."), code="name_empty")
    if len(text) > max_length:
        raise ValidationError(_("The name is longer than %(n)d characters.") % {"n": max_length}, code="name_long")
    for ch in text:
        if ch in _INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise ValidationError(_("The name contains invisible or control characters."), code="name_control")
    if _MARKUP.search(text):
        raise ValidationError(_("The name cannot contain markup such as < or >."), code="name_markup")
    return text


def clean_person_name(value: str) -> str:
    text = clean_name(value, max_length=50)
    if any(ch.isdigit() for ch in text):
        raise ValidationError(_("A person's name cannot contain digits."), code="name_digits")
    return text
