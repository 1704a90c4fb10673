"""Forms of the rights pages (console and worker). Rules live in the services; these only carry input."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.accounts.models import User
from gonghui.core.limits import AMOUNT_TEXT, PHONE_TEXT, SEARCH_TERM, limit_of

from . import limits
from .models import Case, Category, Channel, Finding, Invitation, MediationSession, Satisfaction, Stage


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several pictures or PDFs; their bytes are checked by the service (core.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ClaimForm(forms.Form):
    """What a worker (or a clerk taking a call) fills in. No ID number is asked for."""

    category = forms.ChoiceField(label=_("What is the problem?"), choices=Category.choices)
    employer_name = forms.CharField(label=_("Employer (full name)"), max_length=limit_of(Case, "employer_name"))
    claimant_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=limits.CLAIMANT_NAME)
    facts = forms.CharField(label=_("What happened"), max_length=limits.FACTS, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("When, where, who, how much; what you have already tried."))
    amount_claimed = forms.CharField(label=_("Amount claimed (yuan)"), required=False, max_length=AMOUNT_TEXT,
                                     widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    workers_involved = forms.CharField(label=_("Workers involved"), initial=1, max_length=limits.WORKERS_TEXT,
                                       widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    parties = forms.CharField(label=_("Other parties"), max_length=limit_of(Case, "parties"), required=False,
                              help_text=_("For example the contractor or the foreman."))
    files = MultipleFileField(label=_("Photos or PDF (pay slips, IOUs, chat screenshots)"))


class IntakeForm(ClaimForm):
    """A clerk's intake of a hotline call or a walk-in."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.PHONE])
    claimant_phone = forms.CharField(label=_("Claimant's mobile"), max_length=PHONE_TEXT, required=False)

    field_order = ["channel", "claimant_name", "claimant_phone", "category", "employer_name", "facts",
                   "amount_claimed", "workers_involved", "parties", "files"]


class WorkerClaimForm(ClaimForm):
    node = forms.TypedChoiceField(label=_("Where do you work?"), coerce=int, required=False,
                                  help_text=_("The township or street; leave it if unsure."))

    field_order = ["category", "employer_name", "node", "claimant_name", "facts", "amount_claimed",
                   "workers_involved", "parties", "files"]

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = [("", _("Not sure"))] + [(n.pk, n.name) for n in nodes]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Employer or tracking code"), required=False, max_length=SEARCH_TERM)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Open cases")), ("all", _("All")),
                                                                          *Stage.choices])
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", "—"), *Category.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class MoveForm(forms.Form):
    action = forms.CharField(max_length=limits.MOVE_NAME)
    reason = forms.CharField(max_length=limit_of(Case, "decline_reason"), required=False)
    handler = forms.IntegerField(required=False)
    outcome = forms.CharField(max_length=limits.OUTCOME, required=False)
    amount_recovered = forms.CharField(max_length=AMOUNT_TEXT, required=False)
    satisfaction = forms.ChoiceField(required=False, choices=[("", "—"), *Satisfaction.choices])
    note = forms.CharField(max_length=limit_of(Finding, "note"), required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("case", "Comment"), max_length=limits.COMMENT, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Documents"))
    visible_to_claimant = forms.BooleanField(label=_("The worker may read this"), required=False)


class ExtendForm(forms.Form):
    workdays = forms.IntegerField(label=_("Working days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), max_length=limits.EXTENSION_REASON)


class InviteForm(forms.Form):
    mediator = forms.CharField(label=_("Mediator's account name"), max_length=limit_of(User, "username"))
    partner = forms.ChoiceField(label=_("Partner"), choices=Invitation.Partner.choices)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("Place"), max_length=limit_of(MediationSession, "place"))
    participants = forms.CharField(label=_("Participants"), max_length=limit_of(MediationSession, "participants"))
    result = forms.ChoiceField(label=_("Result"), choices=MediationSession.Result.choices)
    notes = forms.CharField(label=_("Notes"), max_length=limits.SESSION_NOTES, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    terms = forms.CharField(label=pgettext_lazy("agreement", "Terms"), max_length=limits.TERMS, widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.CharField(label=_("Amount recovered (yuan)"), max_length=AMOUNT_TEXT)
    document = forms.FileField(label=_("Signed agreement (PDF or photo)"), required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=limits.TRACKING_CODE_TEXT,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class InformationForm(forms.Form):
    text = forms.CharField(label=_("What would you like to add?"), max_length=limits.COMMENT, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Photos or PDF"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why do you withdraw?"), max_length=limits.WITHDRAW_REASON, required=False)
