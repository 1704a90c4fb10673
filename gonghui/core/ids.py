"""Chinese identity codes: resident ID numbers (GB 11643) and unified social credit codes (GB 32100).

Validators normalize first (NFKC turns full-width digits into ASCII, spaces go, x becomes X),
then check; they raise ``ValidationError`` with a message in the user's language.
"""

import datetime
import operator
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_ASCII_ZERO_WEIGHTED = ord("0") * sum(ID_WEIGHTS)
_ID_CHARS = re.compile(r"[0-9]{17}[0-9X]")
_ID_TYPED = re.compile(r"[0-9]{17}[0-9Xx]")  # already normal but for a lowercase x: no need for _strip

# Province-level area codes (first two digits) in use.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


def _strip(value: str) -> str:
    value = unicodedata.normalize("NFKC", str(value))
    return "".join(ch for ch in value if not ch.isspace() and ch not in "-\u200b\ufeff").upper()


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    gender: str  # "M" or "F"
    area_code: str
    area_known: bool


def resident_id_check_char(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # The digits' byte values are 48 + the digit: no int() for each (a third of the time).
        total = sum(map(operator.mul, first17.encode(), ID_WEIGHTS)) - _ASCII_ZERO_WEIGHTED
    else:
        total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def parse_resident_id(value: str, *, today: datetime.date | None = None) -> ResidentId:
    if type(value) is str and _ID_TYPED.fullmatch(value):
        number = value.upper()  # 18 characters of the right kinds already
    else:
        number = _strip(value)
        if len(number) != 18:
            raise ValidationError(_("A resident ID number has 18 characters."), code="id_length")
        # ASCII only: str.isdigit() also accepts Arabic-Indic and other digits NFKC leaves alone.
        if not _ID_CHARS.fullmatch(number):
            raise ValidationError(_("A resident ID number is 17 digits followed by a digit or X."), code="id_chars")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in this ID number does not exist."), code="id_date") from None
    today = today or timezone.localdate()
    if birth > today or birth.year < 1900:
        raise ValidationError(_("The birth date in this ID number is impossible."), code="id_date")
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("The check digit of this ID number is wrong; please check it."), code="id_checksum")
    return ResidentId(
        number=number,
        birth_date=birth,
        gender="M" if int(number[16]) % 2 else "F",
        area_code=number[:6],
        area_known=number[:2] in PROVINCE_CODES,  # unknown area is a warning only
    )


def normalize_resident_id(value: str) -> str:
    return parse_resident_id(value).number


# GB 32100-2015: 18 characters from a 31-character alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authorities: 1 organization staffing, 2 foreign affairs, 3 justice, 4 culture,
# 5 civil affairs, 6 tourism, 7 religion, 8 trade unions, 9 market regulation, A central military
# commission, N agriculture, Y others. python-stdnum rejects A, N and Y; real codes use them.
USCC_AUTHORITIES = frozenset("123456789ANY")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    code = _strip(value)
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="uscc_length")
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s.") % {"chars": "".join(bad)},
            code="uscc_chars",
        )
    if code[0] not in USCC_AUTHORITIES:
        raise ValidationError(_("The first character of the credit code is not a registration authority."),
                              code="uscc_authority")
    if not code[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 of the credit code must be an area code."), code="uscc_area")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("The check character of this credit code is wrong; please check it."),
                              code="uscc_checksum")
    return code
