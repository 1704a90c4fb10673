"""Console pages of counselling: counts and counsellors for cadres (never who, never what), the
counsellor's own sessions and notes (no one else's account opens them)."""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.models import User
from gonghui.accounts.permissions import allowed, require
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.orgs import selectors as orgs
from gonghui.positions import selectors as positions

from . import selectors, services
from .models import CounsellorKind


class CounsellorForm(forms.Form):
    position = forms.TypedChoiceField(label=gettext_lazy("Counselling room"), coerce=int)
    username = forms.CharField(label=gettext_lazy("Counsellor's account"))
    name = forms.CharField(label=gettext_lazy("Counsellor's name"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CounsellorKind.choices)
    hours = forms.CharField(label=pgettext_lazy("counselling", "Hours"), help_text=gettext_lazy(
        "Weekday (0 Monday … 6 Sunday) and ranges, e.g. 0 09:00-12:00 14:00-17:00; 2 09:00-12:00"))
    slot_minutes = forms.IntegerField(label=gettext_lazy("Session length (minutes)"), initial=50)

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", "—")] + [(p.pk, f"{p.name}（{p.node.name}）") for p in rooms]


def parse_hours(text: str) -> dict:
    out = {}
    for part in [p.strip() for p in re.split(r"[;；\n]", text or "") if p.strip()]:
        day, _sep, ranges = part.partition(" ")
        out[day.strip()] = [r.split("-") for r in ranges.split()]
    return out


def _rooms():
    return list(positions.position_list(kind="counselling")[:200])


@cadre_required
def home(request):
    roots = orgs.scope_roots()
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else (roots[0] if roots else None)
    start, end = selectors.this_year()
    can_add = node is not None and allowed(request.user, "counselling.counsellor.create", node=node)
    form = CounsellorForm(request.POST or None, rooms=_rooms() if can_add else ())
    if request.method == "POST":
        if node is None:
            raise Http404
        require(request.user, "counselling.counsellor.create", node=node)
        if form.is_valid():
            data = form.cleaned_data
            user = User.objects.filter(username=data["username"].strip(), is_active=True).first()
            try:
                if user is None:
                    raise DomainError("no_account", _("No active account of that name."), field="username")
                services.add_counsellor(position=positions.access_position(data["position"]), actor=request.user,
                                        user=user, name=data["name"], kind=data["kind"],
                                        hours=parse_hours(data["hours"]), slot_minutes=data["slot_minutes"])
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Counsellor added."))
                return redirect("counselling:home")
    return render(request, "counselling/home.html", {
        "counts": selectors.counts(start=start, end=end, node=node) if node is not None else None,
        "start": start, "end": end, "node": node, "counsellors": selectors.counsellor_list()[:200],
        "form": form if can_add else None,
        "mine": selectors.sessions_of_counsellor(request.user).exists(),
    })


@cadre_required
def my_sessions(request):
    return render(request, "counselling/mine.html", {"sessions": selectors.sessions_of_counsellor(request.user)[:300]})


@cadre_required
def note(request, pk):
    """The counsellor's own session: topic and note. Anyone else's account gets 404 (and the
    service refuses them too)."""
    session = selectors.session_of_counsellor(request.user, pk)
    topic, text = services.read_note(session=session, actor=request.user)
    if request.method == "POST":
        try:
            services.write_note(session=session, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Note saved."))
            return redirect("counselling:mine")
        except (DomainError, ValidationError) as exc:
            messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
            text = request.POST.get("note", "")
    return render(request, "counselling/note.html", {"session": session, "topic": topic, "text": text})


urlpatterns = [
    path("", home, name="home"),
    path("mine/", my_sessions, name="mine"),
    path("sessions/<int:pk>/", note, name="note"),
]
