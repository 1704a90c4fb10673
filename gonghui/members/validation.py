"""Validation of one member's fields, shared by the console form, the join form, the API and the import.

Returns normalized values or raises ``ValidationError`` with a message per field, in the user's
language. The ID number is the source of truth for birth date and gender: when a form also states
them they must agree.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gonghui.core.ids import parse_resident_id
from gonghui.core.limits import limit_of
from gonghui.core.phones import normalize_mobile
from gonghui.core.text import clean_name, clean_person_name

from .models import (
    ETHNICITIES,
    Education,
    EmploymentForm,
    Household,
    Member,
    MemberType,
    NewFormType,
    Political,
)

MIN_WORKING_AGE = 16

# Names repeat (张伟, 王芳 …): an import checks each distinct one once. Refusals are not remembered.
_person_name = lru_cache(maxsize=65_536)(clean_person_name)


@dataclass
class PersonFacts:
    name: str
    id_number: str
    birth_date: datetime.date
    gender: str


def clean_person(*, name: str, id_number: str, gender: str | None = None,
                 birth_date: datetime.date | None = None, today: datetime.date | None = None) -> PersonFacts:
    """``today`` defaults to the local date; a caller checking many people at once passes it."""
    errors: dict[str, list] = {}
    try:
        name = _person_name(name)
    except ValidationError as exc:
        errors["name"] = exc.messages
    parsed = None
    try:
        parsed = parse_resident_id(id_number, today=today)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    if parsed is not None:
        if gender and gender != parsed.gender:
            errors["gender"] = [_("The gender does not match the ID number.")]
        if birth_date and birth_date != parsed.birth_date:
            errors["birth_date"] = [_("The birth date does not match the ID number.")]
    if errors:
        raise ValidationError(errors)
    return PersonFacts(name=name, id_number=parsed.number, birth_date=parsed.birth_date, gender=parsed.gender)


def clean_member_fields(fields: dict, *, partial: bool = False, today: datetime.date | None = None) -> dict:
    """Normalize the roster fields other than name and ID (see ``clean_person``; ``today`` likewise)."""
    errors: dict[str, list] = {}
    out = dict(fields)

    def check(field, fn):
        if field in out and out[field] not in (None, ""):
            try:
                out[field] = fn(out[field])
            except ValidationError as exc:
                errors[field] = exc.messages

    def choice(choices, message):
        def fn(value):
            if value not in choices.values:
                raise ValidationError(_(message))  # translated only when the value is wrong
            return value
        return fn

    check("phone", normalize_mobile)
    check("employer_name", lambda v: clean_name(v, max_length=limit_of(Member, "employer_name")))
    check("education", choice(Education, gettext_noop("Unknown education level.")))
    check("political_status", choice(Political, gettext_noop("Unknown political status.")))
    check("household", choice(Household, gettext_noop("Household type must be urban or rural.")))
    check("employment_form", choice(EmploymentForm, gettext_noop("Unknown employment form.")))
    check("new_form_type", choice(NewFormType, gettext_noop("Unknown new employment form type.")))
    check("member_type", choice(MemberType, gettext_noop("Member type must be full or probationary.")))

    def ethnicity(value):
        value = str(value).strip()
        if value and not value.endswith("族"):
            value += "族"
        if value not in ETHNICITIES:
            raise ValidationError(_("Unknown ethnic group."))
        return value

    check("ethnicity", ethnicity)

    form = out.get("employment_form")
    if form == EmploymentForm.NEW_FORM and not out.get("new_form_type") and not partial:
        errors.setdefault("new_form_type", []).append(_("Choose the kind of new-employment-form work."))
    if form and form != EmploymentForm.NEW_FORM and out.get("new_form_type"):
        out["new_form_type"] = ""
    if "household" in out and out["household"]:
        out["is_migrant"] = out["household"] == Household.RURAL
    joined = out.get("joined_on")
    if joined is not None and joined > (today or timezone.localdate()):
        errors.setdefault("joined_on", []).append(_("The join date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    return out


def check_join_age(birth_date: datetime.date, joined_on: datetime.date) -> None:
    age = joined_on.year - birth_date.year - ((joined_on.month, joined_on.day) < (birth_date.month, birth_date.day))
    if age < MIN_WORKING_AGE:
        raise ValidationError({"joined_on": [_("A member must be at least %(n)d years old when joining.")
                                             % {"n": MIN_WORKING_AGE}]})
