"""The registration form's rules, one set for console, API and demo."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.ids import parse_resident_id
from gonghui.core.text import clean_name

from ..models import FORM_FIELDS, MONEY_FIELDS, Kind

TEXT_LIMITS = {"name": 100, "address": 200, "approving_body": 100, "approval_doc_no": 60, "chair_name": 50,
               "legal_rep_name": 50, "funding_source": 100}
COUNT_FIELDS = ["worker_count", "member_count", "full_time_cadres"]
DATE_FIELDS = ["founded_on", "elected_on"]
# Fields an application of each kind must carry when submitted.
REQUIRED_FIELDS = ["name", "address", "founded_on", "elected_on", "term_years", "approving_body", "chair_name",
                   "legal_rep_name", "legal_rep_id_number", "funding_source"]
FORM_KINDS = {Kind.ESTABLISH, Kind.CHANGE, Kind.RENEW}


def compute_term_end(*, elected_on: datetime.date, years: int) -> datetime.date:
    """The last day of a committee's term: the day before the anniversary of the election."""
    try:
        anniversary = elected_on.replace(year=elected_on.year + years)
    except ValueError:  # elected on 29 February
        anniversary = elected_on.replace(year=elected_on.year + years, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def _decimal(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", "")) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 12000.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 12000.50.")})
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount >= Decimal("1e12") or amount.as_tuple().exponent < -2:
        raise ValidationError({field: _("Enter an amount with at most two decimals.")})
    return amount.quantize(Decimal("0.01"))


def clean_fields(*, fields: dict) -> dict:
    """Normalize and check the given form fields (any subset); errors are collected per field."""
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown form fields: {sorted(unknown)}")
    cleaned, errors = {}, {}
    for field, value in fields.items():
        try:
            if field in TEXT_LIMITS:
                value = (value or "").strip()
                cleaned[field] = clean_name(value, max_length=TEXT_LIMITS[field]) if value else ""
            elif field == "legal_rep_id_number":
                cleaned[field] = parse_resident_id(value).number if (value or "").strip() else ""
            elif field in MONEY_FIELDS or field == "premises_m2":
                cleaned[field] = _decimal(value, field)
            elif field in COUNT_FIELDS:
                number = int(value or 0)
                if number < 0 or number > 10_000_000:
                    raise ValidationError(_("Enter a whole number, 0 or more."))
                cleaned[field] = number
            elif field == "term_years":
                if value in (None, ""):
                    cleaned[field] = None
                elif int(value) not in (3, 4, 5):
                    raise ValidationError(_("A union committee's term is 3, 4 or 5 years."))
                else:
                    cleaned[field] = int(value)
            elif field in DATE_FIELDS:
                if value in (None, ""):
                    cleaned[field] = None
                else:
                    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
                    if day > timezone.localdate() or day.year < 1925:
                        raise ValidationError(_("This date is impossible (in the future or too early)."))
                    cleaned[field] = day
        except ValidationError as exc:
            errors[field] = exc.messages
        except (TypeError, ValueError):
            errors[field] = [_("Enter a valid value.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_complete(*, values: dict) -> None:
    """The rules that need the whole form: every required field, dates in order, members ≤ workers."""
    errors = {}
    for field in REQUIRED_FIELDS:
        if values.get(field) in (None, ""):
            errors[field] = [_("This field is required.")]
    founded, elected = values.get("founded_on"), values.get("elected_on")
    if founded and elected and elected < founded:
        errors["elected_on"] = [_("The committee cannot have been elected before the union was founded.")]
    if values.get("member_count", 0) > values.get("worker_count", 0):
        errors["member_count"] = [_("A union cannot have more members than the workers it covers.")]
    if elected and values.get("term_years") and compute_term_end(elected_on=elected, years=values["term_years"]) < timezone.localdate():
        errors["elected_on"] = [_("This committee's term is over; the union must elect a new committee first.")]
    if errors:
        raise ValidationError(errors)
