"""The worker's counselling pages on the phone (/w/counselling/, gonghui/urls.py): the counsellors and
their hours, book a one-to-one session (what to talk about goes to the counsellor only), my sessions,
cancel or move one. The same services as the workers' API."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import worker_required
from gonghui.core.errors import DomainError

from . import selectors, services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 60}, format="%H:%M")


class BookForm(forms.Form):
    counsellor = forms.TypedChoiceField(label=gettext_lazy("Counsellor"), coerce=int)
    day = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    time = forms.TimeField(label=gettext_lazy("Time"), widget=TIME)
    topic = forms.CharField(label=gettext_lazy("What you wish to talk about (only the counsellor reads it)"),
                            required=False, max_length=services.TOPIC_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, counsellors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].choices = [("", "—")] + [(c.pk, f"{c.name} · {c.position.name}")
                                                           for c in counsellors]


class MoveForm(forms.Form):
    day = forms.DateField(widget=DATE)
    time = forms.TimeField(widget=TIME)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _say(request, exc) -> None:
    messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))


@worker_required
def counselling(request):
    counsellors = Paginator(selectors.open_counsellors(), 20).get_page(request.GET.get("page"))
    form = BookForm(request.POST or None, counsellors=selectors.open_counsellors())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.book_session(worker=request.worker, counsellor=selectors.open_counsellor(data["counsellor"]),
                          starts_at=_at(data["day"], data["time"]), topic=data["topic"])
        except (DomainError, ValidationError) as exc:
            _say(request, exc)
        else:
            messages.success(request, _("Booked. Only the counsellor sees what you wrote."))
            return redirect("w_counselling:home")
    return render(request, "counselling/worker.html", {
        "counsellors": counsellors, "form": form,
        "sessions": Paginator(selectors.sessions_of_worker(request.worker), 20).get_page(request.GET.get("mine")),
        "now": timezone.now()})


@worker_required
@require_POST
def cancel(request, pk):
    try:
        services.cancel_session(worker=request.worker, session=selectors.session_of_worker(request.worker, pk))
        messages.success(request, _("Cancelled."))
    except DomainError as exc:
        _say(request, exc)
    return redirect("w_counselling:home")


@worker_required
@require_POST
def move(request, pk):
    session = selectors.session_of_worker(request.worker, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new date and time."))
        return redirect("w_counselling:home")
    try:
        services.reschedule_session(worker=request.worker, session=session,
                            starts_at=_at(form.cleaned_data["day"], form.cleaned_data["time"]))
        messages.success(request, _("Moved."))
    except (DomainError, ValidationError) as exc:
        _say(request, exc)
    return redirect("w_counselling:home")


app_name = "w_counselling"
urlpatterns = [
    path("", counselling, name="home"),
    path("<int:pk>/cancel/", cancel, name="cancel"),
    path("<int:pk>/move/", move, name="move"),
]
