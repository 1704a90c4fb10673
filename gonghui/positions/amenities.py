"""The fixed vocabulary of amenities (服务设施) and their bit in ``Position.amenity_mask``.

The bit of a code is its place in ``AMENITIES``: append new codes at the end, never reorder or
remove one (stored masks would change meaning). The national minimum for outdoor-worker stations
(rest and toilet, drinking water and cooling, heating meals, shelter from cold and rain, phone
charging, reading) is covered by the first codes.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

AMENITIES = [
    ("hot_water", gettext_lazy("Drinking / hot water")),
    ("microwave", gettext_lazy("Microwave for heating meals")),
    ("charging", gettext_lazy("E-bike charging")),
    ("phone_charging", gettext_lazy("Phone charging")),
    ("toilet", gettext_lazy("Toilet")),
    ("seats", gettext_lazy("Rest seats")),
    ("first_aid", gettext_lazy("First-aid kit")),
    ("umbrellas", gettext_lazy("Shared umbrellas")),
    ("reading", gettext_lazy("Books and reading")),
    ("air_conditioning", gettext_lazy("Air conditioning (cooling and heating)")),
    ("refrigerator", gettext_lazy("Refrigerator")),
    ("wifi", gettext_lazy("Wi-Fi")),
    ("shower", gettext_lazy("Shower")),
    ("laundry", gettext_lazy("Laundry")),
    ("parking", gettext_lazy("Parking")),
    ("repair_tools", gettext_lazy("Repair tools")),
    ("nursing_room", gettext_lazy("Nursing room")),
    ("shelter", gettext_lazy("Shelter from cold and rain")),
]
CODES = [code for code, _label in AMENITIES]
LABELS = dict(AMENITIES)
BIT = {code: 1 << i for i, code in enumerate(CODES)}


def _by_label() -> dict[str, str]:
    """Labels (in the active language, and both languages' short forms) → code, for imports."""
    return {str(label).lower(): code for code, label in AMENITIES}


def clean_amenities(values) -> list[str]:
    """Codes (or labels, as an import brings them) → a sorted list of known codes; unknown ones refused."""
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").replace("、", ",").replace(";", ",").split(",")]
    by_label = _by_label()
    out, unknown = set(), []
    for raw in values or []:
        value = str(raw).strip()
        if not value:
            continue
        code = value if value in BIT else by_label.get(value.lower())
        if code is None:
            unknown.append(value)
        else:
            out.add(code)
    if unknown:
        raise ValidationError(
            _("Not in the list of amenities: %(values)s. Choose from: %(known)s.")
            % {"values": "、".join(unknown), "known": "、".join(str(label) for _c, label in AMENITIES)},
            code="amenity_unknown")
    return [code for code in CODES if code in out]


def mask_of(codes) -> int:
    mask = 0
    for code in codes:
        mask |= BIT[code]
    return mask


def labels_of(codes) -> list[str]:
    return [str(LABELS[c]) for c in codes if c in LABELS]
