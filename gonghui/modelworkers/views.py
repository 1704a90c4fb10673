"""Console pages of the model-worker register: the list with this year's care, a person, trips."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.aid import selectors as aid
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.limits import search_term
from gonghui.core.paging import paged
from gonghui.members import selectors as members
from gonghui.orgs import selectors as orgs

from . import selectors, services
from .forms import (
    AllowanceForm,
    CareForm,
    HardshipForm,
    HonourForm,
    LinkForm,
    PersonForm,
    PlaceForm,
    StatusForm,
    TripForm,
)
from .models import HonourLevel, ModelWorkerStatus


def _fail(request, exc) -> None:
    messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))


def _year(request) -> int:
    today = timezone.localdate().year
    try:
        return min(max(int(request.GET.get("year") or today), 1950), today)
    except ValueError:
        return today


@cadre_required
def person_list(request):
    year = _year(request)
    level = request.GET.get("level", "") if request.GET.get("level") in HonourLevel.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in ModelWorkerStatus.values else ""
    query = search_term(request, request.GET.get("q"))
    roots = orgs.scope_roots()
    page, page_query = paged(request, selectors.person_list(year=year, level=level, status=status, query=query))
    teams = selectors.team_memberships(page.object_list)
    for p in page.object_list:
        p.teams = teams.get(p.pk, [])
    return render(request, "modelworkers/list.html", {
        "page": page, "query": page_query,
        "summary": (summary := selectors.year_summary(year=year)), "year": year,
        "level_counts": [(code, label, summary["by_level"].get(code, 0)) for code, label in HonourLevel.choices], "level": level, "status": status, "q": query,
        "levels": HonourLevel.choices, "statuses": ModelWorkerStatus.choices,
        "can_add": any(allowed(request.user, "modelworkers.person.register", node=n) for n in roots),
    })


@cadre_required
def person_create(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    roots = orgs.scope_roots()
    node = node or (roots[0] if roots else None)
    if node is None:
        raise Http404
    require(request.user, "modelworkers.person.register", node=node)
    form = PersonForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.register_person(node=node, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Entered in the register."))
            return redirect("modelworkers:detail", pk=person.pk)
    return render(request, "modelworkers/form.html", {"form": form, "node": node,
                                                      "title": _("Enter a model worker or craftsman")})


@cadre_required
def person_detail(request, pk):
    person = selectors.access_person(pk)
    return render(request, "modelworkers/detail.html", {
        "person": person, "honours": selectors.honours_of(person), "care": selectors.care_of(person),
        "teams": selectors.team_memberships([person]).get(person.pk, []),
        "can_edit": allowed(request.user, "modelworkers.care.record", node=person.node),
        "honour_form": HonourForm(initial={"year": timezone.localdate().year}),
        "care_form": CareForm(initial={"on": timezone.localdate()}), "link_form": LinkForm(),
        "status_form": StatusForm(initial={"status": person.status}),
        "hardship_form": HardshipForm(initial={"on": timezone.localdate()}),
        "allowances": selectors.allowances_of(person),
        "can_allow": allowed(request.user, "modelworkers.allowance.enter", node=person.node),
        "allowance_form": AllowanceForm(programmes=selectors.allowance_programmes()),
    })


def _post(request, pk, form_class, action):
    person = selectors.access_person(pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(person, form.cleaned_data)
            messages.success(request, _("Saved."))
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("modelworkers:detail", pk=person.pk)


@cadre_required
@require_POST
def honour_add(request, pk):
    return _post(request, pk, HonourForm, lambda p, d: services.add_honour(person=p, actor=request.user, **d))


@cadre_required
@require_POST
def care_add(request, pk):
    return _post(request, pk, CareForm, lambda p, d: services.record_care(person=p, actor=request.user, **d))


@cadre_required
@require_POST
def link(request, pk):
    return _post(request, pk, LinkForm, lambda p, d: services.link_member(
        person=p, actor=request.user, member=members.access_member(d["member"])))


@cadre_required
@require_POST
def status(request, pk):
    return _post(request, pk, StatusForm, lambda p, d: services.set_status(person=p, actor=request.user, **d))


@cadre_required
@require_POST
def hardship(request, pk):
    return _post(request, pk, HardshipForm, lambda p, d: services.record_hardship_help(
        person=p, actor=request.user, hardship_file=aid.access_hardship(d["hardship_file"]), amount=d["amount"],
        on=d["on"], notes=d["notes"]))


@cadre_required
@require_POST
def allowance_add(request, pk):
    person = selectors.access_person(pk)
    form = AllowanceForm(request.POST, programmes=selectors.allowance_programmes())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.enter_allowance(person=person, actor=request.user, kind=data["kind"], amount=data["amount"],
                                     programme=aid.access_programme(data["programme"]), reason=data["reason"])
            messages.success(request, _("Allowance entered; it is approved and paid in the aid programme."))
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("modelworkers:detail", pk=person.pk)


@cadre_required
def trip_list(request):
    roots = orgs.scope_roots()
    node = roots[0] if roots else None
    form = TripForm(request.POST or None)
    if request.method == "POST":
        if node is None:
            raise Http404
        require(request.user, "modelworkers.trip.create", node=node)
        if form.is_valid():
            try:
                trip = services.create_trip(node=node, actor=request.user, **form.cleaned_data)
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                return redirect("modelworkers:trip", pk=trip.pk)
    page, query = paged(request, selectors.trip_list())
    return render(request, "modelworkers/trips.html", {"page": page, "query": query, "form": form,
                                                       "can_add": allowed(request.user, "modelworkers.trip.create",
                                                                                           node=node)})


@cadre_required
def trip_detail(request, pk):
    trip = selectors.access_trip(pk)
    form = PlaceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.give_place(trip=trip, person=selectors.access_person(form.cleaned_data["person"]),
                                    actor=request.user)
                messages.success(request, _("Place given."))
            except (DomainError, ValidationError) as exc:
                _fail(request, exc)
        return redirect("modelworkers:trip", pk=trip.pk)
    name = search_term(request, request.GET.get("q"))
    people = selectors.person_list(year=timezone.localdate().year, query=name).exclude(
        status=ModelWorkerStatus.DECEASED).exclude(care__trip=trip)
    page, query = paged(request, people)
    return render(request, "modelworkers/trip.html", {
        "trip": trip, "participants": selectors.trip_participants(trip), "page": page, "query": query, "q": name,
        "can_edit": allowed(request.user, "modelworkers.trip.place", node=trip.node)})


urlpatterns = [
    path("", person_list, name="list"),
    path("new/", person_create, name="create"),
    path("<int:pk>/", person_detail, name="detail"),
    path("<int:pk>/honours/", honour_add, name="honour_add"),
    path("<int:pk>/care/", care_add, name="care_add"),
    path("<int:pk>/member/", link, name="link"),
    path("<int:pk>/status/", status, name="status"),
    path("<int:pk>/hardship/", hardship, name="hardship"),
    path("<int:pk>/allowances/", allowance_add, name="allowance_add"),
    path("trips/", trip_list, name="trips"),
    path("trips/<int:pk>/", trip_detail, name="trip"),
]
