"""Console forms of activities; the rules themselves live in services (one set for every channel)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.limits import SEARCH_TERM, limit_of

from . import limits
from .models import (
    Activity,
    Audience,
    Commendation,
    CommendationEntry,
    CommendationKind,
    Honour,
    Kind,
    QueueMove,
    State,
    TeamService,
    Term,
    VolunteerTeam,
    WaitlistMode,
)

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("activity", "Title"), max_length=limit_of(Activity, "title"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    term = forms.ChoiceField(label=_("Term"), required=False)
    audience = forms.ChoiceField(label=_("Who may sign up"), choices=Audience.choices)
    venue = forms.ChoiceField(label=_("Venue position"), required=False,
                              help_text=_("A service position (workers' cultural palace, worker's home …), if it "
                                          "is held at one."))
    venue_text = forms.CharField(label=_("Venue"), max_length=limit_of(Activity, "venue_text"), required=False,
                                 help_text=_("Room or address; the position's name if left empty."))
    starts_at = forms.DateTimeField(label=_("First session starts"), widget=DT)
    ends_at = forms.DateTimeField(label=_("First session ends"), widget=DT)
    sessions = forms.IntegerField(label=_("Sessions (weekly)"), min_value=1, max_value=60, initial=1)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100_000)
    signup_opens_at = forms.DateTimeField(label=_("Sign-up opens at"), widget=DT)
    signup_closes_at = forms.DateTimeField(label=_("Sign-up closes at"), widget=DT)
    waitlist_mode = forms.ChoiceField(label=_("When a seat frees"), choices=WaitlistMode.choices)
    offer_hours = forms.IntegerField(label=_("Hours to confirm an offered seat"), min_value=1, max_value=168,
                                     initial=24)
    completion_percent = forms.IntegerField(
        label=_("Sessions attended for a certificate (%)"), min_value=1, max_value=100, initial=100, required=False,
        help_text=_("A participant checked in at this share of the sessions can download a certificate of "
                    "completion; 100 means every session."))
    description = forms.CharField(label=_("Description"), max_length=limit_of(Activity, "description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, terms=(), venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = {str(t.pk): t for t in terms}
        self.venues = {str(v.pk): v for v in venues}
        self.fields["term"].choices = [("", "—"), *[(str(t.pk), f"{t.name} · {t.node.name}") for t in terms]]
        self.fields["venue"].choices = [("", "—"), *[(str(v.pk), f"{v.name} · {v.node.name}") for v in venues]]

    def clean(self):
        data = super().clean()
        if not data.get("venue") and not (data.get("venue_text") or "").strip() and "venue_text" not in self.errors:
            self.add_error("venue_text", _("Give the venue: choose a position or type the address."))
        return data

    def service_fields(self) -> tuple[dict, int]:
        data = dict(self.cleaned_data)
        sessions = data.pop("sessions")
        data["term"] = self.terms.get(data["term"] or "")
        data["venue"] = self.venues.get(data["venue"] or "")
        if data.get("completion_percent") is None:
            data["completion_percent"] = 100  # left empty: every session
        return data, sessions


class TermForm(forms.Form):
    name = forms.CharField(label=_("Term"), max_length=limit_of(Term, "name"), help_text=_("For example 2026年春季"))
    per_person_limit = forms.IntegerField(label=_("Courses per person in the term"), min_value=1, max_value=20,
                                          initial=2)


class CopyTermForm(forms.Form):
    name = forms.CharField(label=_("Name of the new term"), max_length=limit_of(Term, "name"))
    shift_days = forms.IntegerField(label=_("Move every date by (days)"), min_value=1, max_value=730, initial=182)


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=SEARCH_TERM,
                        widget=forms.TextInput(attrs={"placeholder": _("Title or venue")}))
    state = forms.ChoiceField(required=False, choices=[("", _("Any status")), *State.choices])
    kind = forms.ChoiceField(required=False, choices=[("", _("Any kind")), *Kind.choices])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=limits.CANCEL_REASON)


class MoveForm(forms.Form):
    position = forms.IntegerField(label=_("New position"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=limit_of(QueueMove, "reason"))


class CheckInForm(forms.Form):
    ticket = forms.CharField(label=_("Booking code"), max_length=limits.TICKET,
                             widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))


# --- volunteer teams and commendations --------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=limit_of(VolunteerTeam, "name"),
                           help_text=_("For example 青山县劳模工匠志愿者服务队"))
    description = forms.CharField(label=_("What the team does"), max_length=limit_of(VolunteerTeam, "description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DATE)
    model_workers = forms.BooleanField(label=_("The model-worker and craftsman team"), required=False,
                                       help_text=_("The model-worker register shows who is in it."))


class VolunteerForm(forms.Form):
    q = forms.CharField(label=_("Find a member"), max_length=limits.MEMBER_SEARCH, required=False,
                        help_text=_("Name, pinyin initials, last four digits of the phone or ID number"))
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    honour = forms.ChoiceField(label=_("Honour"), choices=Honour.choices, initial=Honour.VOLUNTEER)
    joined_on = forms.DateField(label=_("Joined the team on"), required=False, widget=DATE)


class ServiceForm(forms.Form):
    activity = forms.ChoiceField(label=_("Volunteer-service activity"), required=False)
    title = forms.CharField(label=_("Service"), max_length=limit_of(TeamService, "title"), required=False,
                            help_text=_("The activity's title if left empty."))
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=limit_of(TeamService, "place"), required=False)

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        self.fields["activity"].choices = [("", _("— recorded by the team —")),
                                           *[(str(a.pk), f"{a.title} · {a.starts_at:%Y-%m-%d}") for a in activities]]

    def clean(self):
        data = super().clean()
        if not data.get("activity") and not data.get("title"):
            self.add_error("title", _("Give the service, or choose the activity it was."))
        if not data.get("activity") and not data.get("on"):
            self.add_error("on", _("Give the date of the service."))
        return data


class CommendationForm(forms.Form):
    year = forms.IntegerField(label=pgettext_lazy("period", "Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=pgettext_lazy("activity", "Title"), max_length=limit_of(Commendation, "title"), help_text=_("For example 2026年度志愿服务先进表彰"))
    basis = forms.CharField(label=_("Basis"), max_length=limit_of(Commendation, "basis"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("The decision (document number) and the criteria."))


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Category"), choices=CommendationKind.choices)
    subject = forms.IntegerField(label=_("Who"), widget=forms.HiddenInput)
    citation = forms.CharField(label=_("Deeds"), max_length=limit_of(CommendationEntry, "citation"), required=False)
