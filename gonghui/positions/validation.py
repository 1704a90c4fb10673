"""One set of rules for a position's fields: console form, API, xlsx import and demo all use it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gonghui.core.limits import length_error, limit_of
from gonghui.core.text import clean_name

from . import amenities, coordinates, hours
from .models import Position, PositionKind, PositionLevel, PositionStatus

_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
FIELDS = ("name", "kind", "level", "status", "address", "lat", "lng", "hours", "open_24h", "closed_on_holidays",
          "amenities", "contact_name", "contact_phone", "description", "area_sqm", "opened_on")


def _description(value) -> str:
    text = (value or "").strip()
    if message := length_error(Position, "description", text):
        raise ValidationError(message)
    return text


def clean_position_fields(data: dict, *, system: str = coordinates.WGS84, partial: bool = False) -> dict:
    """Check and normalize; raises one ValidationError with every field's message.

    ``data["hours"]`` may be the stored weekly dict, per-weekday texts, or one line of text."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def check(field, func):
        if field not in data:
            return
        try:
            out[field] = func(data[field])
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)

    check("name", lambda v: clean_name(v, max_length=limit_of(Position, "name")))
    check("kind", lambda v: _choice(v, PositionKind, _("type")))
    check("level", lambda v: _choice(v or "", PositionLevel, _("level")))
    check("status", lambda v: _choice(v, PositionStatus, _("status")))
    check("address", lambda v: _required_text(v, 200, _("address")))
    check("contact_name", lambda v: clean_name(v, max_length=limit_of(Position, "contact_name")) if (v or "").strip() else "")
    check("contact_phone", _phone)
    check("description", _description)
    check("amenities", amenities.clean_amenities)
    check("area_sqm", lambda v: _area(v))
    check("opened_on", lambda v: v or None)
    for flag in ("open_24h", "closed_on_holidays"):
        if flag in data:
            out[flag] = bool(data[flag])
    if "hours" in data:
        try:
            value = data["hours"]
            if isinstance(value, str):
                week, all_day = hours.parse_schedule_text(value)
                out["hours"] = week
                out["open_24h"] = out.get("open_24h", False) or all_day
            else:
                out["hours"] = hours.clean_week(value or {})
        except ValidationError as exc:
            errors.setdefault("hours", []).extend(exc.messages)
    if "lat" in data or "lng" in data:
        try:
            out["lat"], out["lng"] = coordinates.clean_point(data.get("lat"), data.get("lng"), system)
            out["geo_cell"] = coordinates.cell_of(out["lat"], out["lng"])
        except ValidationError as exc:
            errors.setdefault("lat", []).extend(exc.messages)
    if not partial:
        for field in ("name", "kind", "address", "lat"):
            if field not in data and field not in errors:
                errors.setdefault(field, []).append(_("This field is required."))
    if "hours" in out and not errors.get("hours"):
        all_day = out.get("open_24h", data.get("open_24h", False))
        if not all_day and not any(out["hours"].values()) and out.get("status", PositionStatus.OPEN) == "open":
            errors.setdefault("hours", []).append(
                _("Give the opening hours of at least one day, or tick “open 24 hours”."))
    if errors:
        raise ValidationError(errors)
    if "amenities" in out:
        out["amenity_mask"] = amenities.mask_of(out["amenities"])
    return out


# What cadres write in spreadsheets, whatever the interface language.
ALIASES = {
    "职工之家": "workers_home", "职工小家": "small_workers_home", "工会驿站": "rest_station",
    "户外劳动者服务站点": "rest_station", "户外劳动者服务站": "rest_station", "爱心驿站": "love_station",
    "司机之家": "drivers_home", "职工书屋": "bookroom", "心理咨询室": "counselling", "心理咨询服务室": "counselling",
    "母婴室": "mother_baby", "爱心妈咪小屋": "mother_baby", "法律援助站": "legal_aid", "法律援助工作站": "legal_aid",
    "职工文化宫": "cultural_palace", "工人文化宫": "cultural_palace", "困难职工帮扶中心": "hardship_aid",
    "帮扶中心": "hardship_aid", "县级": "county", "县级示范": "county", "市级": "city", "市级示范": "city",
    "省级": "province", "省级示范": "province", "全国": "national", "国家级": "national", "全国示范": "national",
    "在用": "open", "正常": "open", "暂停": "suspended", "停用": "closed", "撤销": "closed",
}


def _choice(value, choices, label) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if value in choices.values:
        return value
    if ALIASES.get(value) in choices.values:
        return ALIASES[value]
    by_label = {str(lbl): val for val, lbl in choices.choices}
    if value in by_label:
        return by_label[value]
    raise ValidationError(_("“%(value)s” is not a valid %(label)s.") % {"value": value, "label": label})


def _required_text(value, length, label) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("This field is required."))
    if len(value) > length:
        raise ValidationError(_("At most %(n)s characters.") % {"n": length})
    if re.search(r"[<>]", value):
        raise ValidationError(_("Angle brackets are not allowed here."))
    return value


def _phone(value) -> str:
    value = (value or "").strip()
    if value and not _PHONE.match(value):
        raise ValidationError(_("Enter a telephone or mobile number, e.g. 0572-1234567 or 13812345678."))
    return value


def _area(value):
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Enter the floor area as a whole number of square metres.")) from None
    if number <= 0 or number > 100000:
        raise ValidationError(_("Enter the floor area as a whole number of square metres."))
    return number
