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
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.paging import paged
from gonghui.orgs import selectors as orgs
from gonghui.positions import selectors as positions

from . import selectors, services
from .models import CallCategory, CounsellorKind


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
    return list(positions.position_list(kind="counselling"))


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
    page, query = paged(request, selectors.counsellor_list())
    return render(request, "counselling/home.html", {
        "counts": selectors.counts(start=start, end=end, node=node) if node is not None else None,
        "start": start, "end": end, "node": node, "page": page, "query": query,
        "form": form if can_add else None,
        "mine": selectors.counsellor_accounts(request.user).exists(),
        "can_supervise": node is not None and allowed(request.user, "counselling.session.supervise", node=node),
    })


@cadre_required
def my_sessions(request):
    page, query = paged(request, selectors.sessions_of_counsellor(request.user))
    return render(request, "counselling/mine.html", {"page": page, "query": query})


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


class CallForm(forms.Form):
    counsellor = forms.TypedChoiceField(label=gettext_lazy("Counselling room"), coerce=int)
    called_at = forms.DateTimeField(label=gettext_lazy("Call time"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    minutes = forms.IntegerField(label=gettext_lazy("Duration (minutes)"))
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=CallCategory.choices)
    referred = forms.BooleanField(label=gettext_lazy("Referred on"), required=False)
    note = forms.CharField(label=gettext_lazy("Note (only you can read it)"), required=False, widget=forms.Textarea)

    def __init__(self, *args, counsellors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].choices = [(c.pk, c.position.name) for c in counsellors]


@cadre_required
def calls(request):
    """The counsellor's hotline calls: record one (no name, no phone) and list their own."""
    mine = list(selectors.counsellor_accounts(request.user))
    if not mine:
        raise Http404
    form = CallForm(request.POST or None, counsellors=mine)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_call(actor=request.user, counsellor=next(c for c in mine if c.pk == data["counsellor"]),
                                 called_at=data["called_at"], minutes=data["minutes"], category=data["category"],
                                 referred=data["referred"], note=data["note"])
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Call recorded."))
            return redirect("counselling:calls")
    page, query = paged(request, selectors.calls_of_counsellor(request.user))
    return render(request, "counselling/calls.html", {"form": form, "page": page, "query": query})


@cadre_required
def call_note(request, pk):
    """The note of a call: the counsellor who took it only; anyone else's account gets 404."""
    call = selectors.call_of_counsellor(request.user, pk)
    return render(request, "counselling/call.html",
                  {"call": call, "text": services.read_call_note(call=call, actor=request.user)})


@cadre_required
def supervise(request):
    """Who booked which counsellor when, for the supervising admin (masked phone, audited); never a topic."""
    node = orgs.access_node(request.GET.get("node")) if request.GET.get("node") else None
    if node is None:
        roots = orgs.scope_roots()
        node = roots[0] if roots else None
    if node is None:
        raise Http404
    require(request.user, "counselling.session.supervise", node=node)
    page, query = paged(request, selectors.supervised_sessions(node))
    page.object_list = selectors.supervised_rows(page.object_list)
    audit("counselling.sessions.supervised", actor=request.user, node=node)
    return render(request, "counselling/supervise.html", {"node": node, "page": page, "query": query})


urlpatterns = [
    path("calls/", calls, name="calls"),
    path("calls/<int:pk>/", call_note, name="call"),
    path("supervise/", supervise, name="supervise"),
    path("", home, name="home"),
    path("mine/", my_sessions, name="mine"),
    path("sessions/<int:pk>/", note, name="note"),
]
