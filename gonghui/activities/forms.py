"""Console forms of activities; the rules themselves live in services (one set for every channel)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, Kind, State, WaitlistMode

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    term = forms.ChoiceField(label=_("Term"), required=False)
    audience = forms.ChoiceField(label=_("Who may sign up"), choices=Audience.choices)
    venue_text = forms.CharField(label=_("Venue"), max_length=120)
    starts_at = forms.DateTimeField(label=_("First session starts"), widget=DT)
    ends_at = forms.DateTimeField(label=_("First session ends"), widget=DT)
    sessions = forms.IntegerField(label=_("Sessions (weekly)"), min_value=1, max_value=60, initial=1)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100_000)
    signup_opens_at = forms.DateTimeField(label=_("Sign-up opens at"), widget=DT)
    signup_closes_at = forms.DateTimeField(label=_("Sign-up closes at"), widget=DT)
    waitlist_mode = forms.ChoiceField(label=_("When a seat frees"), choices=WaitlistMode.choices)
    offer_hours = forms.IntegerField(label=_("Hours to confirm an offered seat"), min_value=1, max_value=168,
                                     initial=24)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = {str(t.pk): t for t in terms}
        self.fields["term"].choices = [("", "—"), *[(str(t.pk), f"{t.name} · {t.node.name}") for t in terms]]

    def service_fields(self) -> tuple[dict, int]:
        data = dict(self.cleaned_data)
        sessions = data.pop("sessions")
        data["term"] = self.terms.get(data["term"] or "")
        return data, sessions


class TermForm(forms.Form):
    name = forms.CharField(label=_("Term"), max_length=40, help_text=_("For example 2026年春季"))
    per_person_limit = forms.IntegerField(label=_("Courses per person in the term"), min_value=1, max_value=20,
                                          initial=2)


class CopyTermForm(forms.Form):
    name = forms.CharField(label=_("Name of the new term"), max_length=40)
    shift_days = forms.IntegerField(label=_("Move every date by (days)"), min_value=1, max_value=730, initial=182)


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=40,
                        widget=forms.TextInput(attrs={"placeholder": _("Title or venue")}))
    state = forms.ChoiceField(required=False, choices=[("", _("Any status")), *State.choices])
    kind = forms.ChoiceField(required=False, choices=[("", _("Any kind")), *Kind.choices])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class MoveForm(forms.Form):
    position = forms.IntegerField(label=_("New position"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CheckInForm(forms.Form):
    ticket = forms.CharField(label=_("Booking code"), max_length=300,
                             widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))
