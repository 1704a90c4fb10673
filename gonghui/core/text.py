"""Names typed by people: normalized, and refused when they carry markup or invisible controls."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .limits import PERSON_NAME, limit_of, too_long_message

# Bidirectional overrides and isolates can disguise what a name says; zero-width characters hide.
_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff"
                 # Hangul fillers are letters (Lo) that render as nothing.
                 "\u115f\u1160\u3164\uffa0")
_MARKUP = re.compile(r"[<>]|&#|javascript:", re.IGNORECASE)
# Interpuncts used in transcribed and minority names: 阿卜杜·热合曼.
_DOTS = {"\u00b7": "·", "\u30fb": "·", "\u2022": "·", "\u2027": "·", "\uff65": "·"}
# Full-width ASCII letters and digits (ＡＢＣ１２３) are the same name as ABC123; full-width
# punctuation such as （） is left alone, as registered Chinese names use it.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_SPACES = re.compile(r" {2,}")


def clean_name(value: str, *, max_length: int = 100, label=None) -> str:
    """Return the name normalized or raise ValidationError (one over ``max_length`` naming ``label``
    and the limit when a label is given: a reason or a note is no name).

    Normalized: NFC, full-width letters and digits made half-width, every kind of space (the
    ideographic one, no-break …) made a plain space and runs of them one, trimmed, one kind of
    middle dot. Line breaks and tabs inside a name are refused as control characters.
    """
    text = unicodedata.normalize("NFC", str(value)).translate(_FULL_WIDTH)
    text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)
    text = _SPACES.sub(" ", text).strip()
    text = "".join(_DOTS.get(ch, ch) for ch in text)
    if not text:
        raise ValidationError(_("The name is empty."), code="name_empty")
    if len(text) > max_length:
        if label is not None:
            raise ValidationError(too_long_message(label, max_length, len(text)), code="too_long")
        raise ValidationError(_("The name is longer than %(n)d characters.") % {"n": max_length}, code="name_long")
    for ch in text:
        if ch in _INVISIBLE or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise ValidationError(_("The name contains invisible or control characters."), code="name_control")
    if _MARKUP.search(text):
        raise ValidationError(_("The name cannot contain markup such as < or >."), code="name_markup")
    return text


def clean_person_name(value: str) -> str:
    text = clean_name(value, max_length=PERSON_NAME)
    if any(ch.isdigit() for ch in text):
        raise ValidationError(_("A person's name cannot contain digits."), code="name_digits")
    return text


def clean_line(value: str, model, name: str) -> str:
    """A one-line text kept in ``model.name`` (a reason, a note), normalized and checked as a name is;
    one longer than the field holds is refused naming the field (its verbose name) and its limit."""
    return clean_name(value, max_length=limit_of(model, name),
                      label=capfirst(str(model._meta.get_field(name).verbose_name)))
