"""Console forms of positions. They parse types; the rules live in validation.py and the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.editing import VersionFormMixin
from gonghui.core.limits import COORDINATE_TEXT, SEARCH_TERM, limit_of

from . import coordinates, limits
from .amenities import AMENITIES
from .hours import WEEKDAYS
from .models import (
    FOUR_HAVES,
    Assessment,
    Position,
    PositionKind,
    PositionLevel,
    PositionPhoto,
    PositionStatus,
)

DATE = forms.DateInput(attrs={"type": "date"})


class PositionFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=SEARCH_TERM,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, address or union")}))
    kind = forms.ChoiceField(required=False, choices=[("", _("All types")), *PositionKind.choices])
    level = forms.ChoiceField(required=False, choices=[("", _("All levels")), *PositionLevel.choices[1:]])
    status = forms.ChoiceField(required=False, choices=[("", _("All statuses")), *PositionStatus.choices])
    amenity = forms.MultipleChoiceField(required=False, choices=AMENITIES, widget=forms.CheckboxSelectMultiple)


class PositionForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=limit_of(Position, "name"))
    kind = forms.ChoiceField(label=_("Type"), choices=PositionKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=PositionLevel.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PositionStatus.choices, initial=PositionStatus.OPEN)
    address = forms.CharField(label=_("Address"), max_length=limit_of(Position, "address"))
    system = forms.ChoiceField(label=_("Coordinates taken from"), choices=coordinates.SYSTEMS,
                               initial=coordinates.WGS84,
                               help_text=_("Coordinates picked on AMap or Tencent Maps are GCJ-02, on Baidu Maps "
                                           "BD-09; they are converted to WGS-84 when saved."))
    lat = forms.CharField(label=_("Latitude"), max_length=COORDINATE_TEXT, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lng = forms.CharField(label=_("Longitude"), max_length=COORDINATE_TEXT, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    open_24h = forms.BooleanField(label=_("Open 24 hours"), required=False)
    closed_on_holidays = forms.BooleanField(label=_("Closed on public holidays"), required=False)
    amenities = forms.MultipleChoiceField(label=_("Amenities"), choices=AMENITIES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    contact_name = forms.CharField(label=_("Contact person"), max_length=limit_of(Position, "contact_name"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=limit_of(Position, "contact_phone"), required=False)
    area_sqm = forms.IntegerField(label=_("Floor area (m²)"), required=False, min_value=1, max_value=100000)
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DATE)
    description = forms.CharField(label=_("Description"), required=False, max_length=limit_of(Position, "description"),
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, day in enumerate(WEEKDAYS):
            self.fields[f"day{index}"] = forms.CharField(
                label=day, required=False, max_length=limits.OPENING_HOURS_DAY,
                widget=forms.TextInput(attrs={"placeholder": "08:00-12:00, 14:00-18:00"}))

    @property
    def day_fields(self):
        return [self[f"day{i}"] for i in range(7)]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("system")
        data["hours"] = {str(i): data.pop(f"day{i}") for i in range(7)}
        data["level"] = data.get("level") or ""
        return data

    @staticmethod
    def initial_of(position) -> dict:
        initial = {f: getattr(position, f) for f in (
            "name", "kind", "level", "status", "address", "lat", "lng", "open_24h", "closed_on_holidays", "amenities",
            "contact_name", "contact_phone", "area_sqm", "opened_on", "description")}
        for i in range(7):
            initial[f"day{i}"] = ", ".join(f"{a}-{b}" for a, b in position.hours.get(str(i), []))
        return initial


class PositionEditForm(VersionFormMixin, PositionForm):
    """The edit of a position: carries the version it was rendered with (``core.editing``)."""

    def service_fields(self) -> dict:
        data = super().service_fields()
        data.pop("version", None)
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=limit_of(PositionPhoto, "caption"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (xlsx)"))


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    assessor = forms.CharField(label=_("Assessed by"), max_length=limit_of(Assessment, "assessor"))
    level_awarded = forms.ChoiceField(label=_("Demonstration level awarded"), choices=PositionLevel.choices,
                                      required=False)
    comment = forms.CharField(label=pgettext_lazy("assessment", "Comment"), required=False, max_length=limit_of(Assessment, "comment"),
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in FOUR_HAVES:
            self.fields[f"item_{code}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"note_{code}"] = forms.CharField(label=pgettext_lazy("four haves", "Notes"), required=False, max_length=Assessment.NOTE_MAX_LENGTH)

    @property
    def item_rows(self):
        return [(self[f"item_{code}"], self[f"note_{code}"]) for code, _label in FOUR_HAVES]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"assessed_on": data["assessed_on"], "assessor": data["assessor"],
                "level_awarded": data.get("level_awarded") or "", "comment": data.get("comment", ""),
                "items": {code: data.get(f"item_{code}", False) for code, _label in FOUR_HAVES},
                "notes": {code: data.get(f"note_{code}", "") for code, _label in FOUR_HAVES}}


class EvidenceForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"), choices=FOUR_HAVES)
    file = forms.FileField(label=_("Photo or PDF"))
