"""Validating: every parsed row through the console's rules (``clean_person``,
``clean_member_fields``, ``check_join_age``), assembled into a new member's column values the way
``roster.build_member`` does (a test holds the two to the same result).

``build_member`` costs ~0.6 ms a row (its validation builds every message eagerly, pypinyin
segments each name); here the checks of values that repeat (education, ethnicity …) and the
initials of each name and character are remembered for the import.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style
from pypinyin.constants import PHRASES_DICT
from pypinyin.style import convert as convert_style

from gonghui.core import crypto, pinyin
from gonghui.core.phones import normalize_mobile

from ...models import Member, Source
from ...selectors import ID_PURPOSE, PHONE_PURPOSE
from ...validation import check_join_age, clean_member_fields, clean_person

# Each group is validated together by clean_member_fields because its rules span the group.
_GROUPS = (("ethnicity",), ("education",), ("political_status",), ("household",),
           ("employment_form", "new_form_type"), ("employer_name",), ("member_type",), ("joined_on",))
_CHOICE_GROUPS = _GROUPS[:-1]
_DATE_GROUPS = _GROUPS[-1:]
_CHOICE_FIELDS = tuple(field for group in _CHOICE_GROUPS for field in group)


class _FieldChecks:
    """The console's validation, with the checks of a few distinct values remembered per import.

    The columns other than name, ID, phone and dates take a handful of values each, so their
    combinations are few: a row's whole set is checked once per distinct combination, and the
    messages of a failing check are built only for the rows that fail.
    """

    def __init__(self, today):
        self._today = today
        self._groups: dict = {}
        self._combinations: dict = {}
        self._dates: dict = {}

    def _check(self, values: dict, groups) -> tuple[dict, dict]:
        cleaned, errors = {}, {}
        cache = self._groups
        for group in groups:
            if len(group) == 1:
                value = values.get(group[0])
                if value is None:
                    continue
                key = (group, value)
            else:
                key = (group, tuple(values.get(f) for f in group))
                if key[1] == (None,) * len(group):
                    continue
            if key not in cache:
                try:
                    cache[key] = (clean_member_fields({f: values[f] for f in group if f in values},
                                                      today=self._today), None)
                except ValidationError as exc:
                    cache[key] = (None, exc.message_dict)
            result, messages = cache[key]
            if messages:
                errors.update(messages)
            else:
                cleaned.update(result)
        return cleaned, errors

    def fields(self, values: dict) -> tuple[dict, dict]:
        key = tuple(map(values.get, _CHOICE_FIELDS))
        found = self._combinations.get(key)
        if found is None:
            found = self._combinations[key] = self._check(values, _CHOICE_GROUPS)
        cleaned, errors = found
        cleaned = dict(cleaned)  # the caller adds to it
        errors = dict(errors) if errors else {}
        joined_on = values.get("joined_on")
        if joined_on is not None:
            found = self._dates.get(joined_on)
            if found is None:
                found = self._dates[joined_on] = self._check(values, _DATE_GROUPS)
            cleaned.update(found[0])
            errors.update(found[1])
        if values.get("phone"):
            try:  # what clean_member_fields does with a phone, without building its other messages
                cleaned["phone"] = normalize_mobile(values["phone"])
            except ValidationError as exc:
                errors["phone"] = exc.messages
        return cleaned, errors


@lru_cache(maxsize=1)
def _phrase_letters() -> dict[str, set[str]]:
    """The initials each character takes in pypinyin's phrase dictionary (火燵 reads 燵 as tā, alone
    it is dá): read once per process."""
    letters: dict[str, set[str]] = {}
    first: dict[str, str] = {}  # a thousand-odd distinct readings
    for phrase, readings in PHRASES_DICT.items():
        for ch, reading in zip(phrase, readings, strict=False):
            for r in reading:
                if r not in first:
                    first[r] = convert_style(r, Style.FIRST_LETTER, strict=True)[:1].lower()
                if first[r]:
                    letters.setdefault(ch, set()).add(first[r])
    return letters


@lru_cache(maxsize=20_000)
def _char_initial(ch: str) -> str | None:
    """The initial of a character alone (pypinyin reads it by its first reading), when every phrase
    that holds it agrees; None for 曾 (zeng, but ceng in 曾经), 单, 长 …"""
    initial = pinyin.initials(ch)
    if _phrase_letters().get(ch, {initial}) - {initial}:
        return None
    return initial


@lru_cache(maxsize=100_000)
def _initials(name: str) -> str:
    """``pinyin.initials``, remembered per name: per character when no character takes another
    initial in a phrase, else per word of pypinyin's phrase-aware segmentation (pypinyin converts
    each word on its own, so a word's initials are the same in every name)."""
    parts = []
    for ch in name:
        initial = _char_initial(ch)
        if initial is None:
            return "".join(map(pinyin.initials, pinyin.words(name)))[:50]
        parts.append(initial)
    return "".join(parts)[:50]


class _MemberBuilder:
    """Assembles a new member's column values as ``build_member`` does (same fields, same
    derivations), as a dict by attribute name: the rows go to the database without a model
    instance each (see ``_insert_members``)."""

    def __init__(self, node):
        self.template = {f.attname: f.get_default() for f in Member._meta.concrete_fields if not f.primary_key}
        self.template.update(node_id=node.pk, source=Source.IMPORT.value)
        self.today = timezone.localdate()
        # roster.id_hash and roster.phone_hash, with the key looked up once
        self.id_hash = crypto.indexer(purpose=ID_PURPOSE)
        self.phone_hash = crypto.indexer(purpose=PHONE_PURPOSE)

    def build(self, person, cleaned: dict) -> dict:
        row = self.template.copy()
        phone = cleaned.pop("phone", "") or ""
        row.update(cleaned)
        row.update(name=person.name, id_number=person.id_number, id_hash=self.id_hash(person.id_number),
                   gender=person.gender, birth_date=person.birth_date, name_initials=_initials(person.name),
                   phone=phone, phone_hash=self.phone_hash(phone) if phone else "",
                   phone_tail=phone[-4:] if phone else "")
        return row


class RowValidator:
    """A parsed row's values -> a new member's column values, or the problems by field, by the
    console's rules."""

    def __init__(self, node):
        self._builder = _MemberBuilder(node)
        self.today = self._builder.today
        self._fields = _FieldChecks(self.today)

    def validate(self, values: dict) -> tuple[dict | None, dict]:
        problems: dict = {}
        person = None
        try:
            person = clean_person(name=values.get("name", ""), id_number=values.get("id_number", ""),
                                  gender=values.get("gender"), birth_date=values.get("birth_date"), today=self.today)
        except ValidationError as exc:
            problems.update(exc.message_dict)
        if person is not None and "birth_month" in values and values["birth_month"] != \
                person.birth_date.isoformat()[:7]:
            problems["birth_date"] = [_("The birth date does not match the ID number.")]
        cleaned, field_errors = self._fields.fields(values)
        problems.update(field_errors)
        if person is not None and not problems:
            cleaned.setdefault("joined_on", self.today)
            try:
                check_join_age(person.birth_date, cleaned["joined_on"])
            except ValidationError as exc:
                problems.update(exc.message_dict)
        if problems:
            return None, problems
        return self._builder.build(person, cleaned), problems

