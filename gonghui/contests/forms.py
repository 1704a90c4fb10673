"""Console forms of contests. Lengths and ranges are checked by the services (the limit named),
so the fields here carry no max_length that a browser would use to cut typed text."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ContestKind, ContestLevel, Part, Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = forms.TextInput(attrs={"inputmode": "decimal"})


class ContestForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ContestKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=ContestLevel.choices)
    trade = forms.CharField(label=_("Trade or occupation"))
    year = forms.IntegerField(label=pgettext_lazy("period", "Year"))
    theory_weight = forms.CharField(label=_("Theory weight (%)"), widget=NUMBER)
    practical_weight = forms.CharField(label=_("Practical weight (%)"), widget=NUMBER)
    drop_extremes = forms.BooleanField(label=_("Drop the highest and the lowest score of each item"),
                                       required=False)
    winner_title = forms.CharField(label=_("Title for the first-prize winners of the final"), required=False,
                                   help_text=_("e.g. 青山县技术能手; entered in the model-worker register."))


class RoundForm(forms.Form):
    stage = forms.ChoiceField(label=pgettext_lazy("contest", "Stage"), choices=Stage.choices)
    held_on = forms.DateField(label=pgettext_lazy("contest", "Held on"), widget=DATE)
    advance_count = forms.IntegerField(label=_("How many go on to the next round"), min_value=0, initial=0,
                                       help_text=_("0 for the final."))


class ItemForm(forms.Form):
    part = forms.ChoiceField(label=_("Part"), choices=Part.choices)
    name = forms.CharField(label=_("Item"))
    min_score = forms.CharField(label=_("Lowest score"), initial="0", widget=NUMBER)
    max_score = forms.CharField(label=_("Highest score"), widget=NUMBER)


class WorkerForm(forms.Form):
    name = forms.CharField(label=_("Worker's name"))


class JudgeForm(forms.Form):
    username = forms.CharField(label=_("Judge's account"))
    entries = forms.CharField(label=_("Entry numbers"), required=False,
                              help_text=_("Separated by commas; empty: every entry of the round."))


class AwardForm(forms.Form):
    first = forms.IntegerField(label=_("First prizes"), min_value=0, initial=1)
    second = forms.IntegerField(label=_("Second prizes"), min_value=0, initial=2)
    third = forms.IntegerField(label=_("Third prizes"), min_value=0, initial=3)
