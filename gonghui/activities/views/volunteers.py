"""Console pages of volunteer teams (劳模工匠志愿者服务队) and commendation lists (表彰): teams
with their figures rolled up by subtree, a team's volunteers and services with hours, lists of a
year with their units, collectives and volunteers."""

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
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.limits import SEARCH_TERM, limit_of, search_term
from gonghui.core.masking import mask_name
from gonghui.core.paging import chooser, paged
from gonghui.members import selectors as members
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..forms import CommendationForm, EntryForm, ServiceForm, TeamForm, VolunteerForm
from ..models import CommendationEntry, CommendationKind
from ..services import volunteers

CANDIDATE_ROWS = 20  # roster members a name search lists to choose from; the page says when more match


def _error(request, exc) -> None:
    messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))


def _anchor(request, node):
    roots = orgs.scope_roots()
    anchor = node or (roots[0] if roots else None)
    return anchor if anchor is not None and allowed(request.user, "activities.team.add_volunteer", node=anchor) else None


@cadre_required
def team_list(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    year = timezone.localdate().year
    teams, query = paged(request, selectors.team_list(node=node, query=search_term(request, request.GET.get("q"))))
    return render(request, "activities/teams.html", {
        "node": node, "teams": teams, "query": query,
        "totals": selectors.volunteer_totals(node=node), "year_totals": selectors.volunteer_totals(node=node, year=year),
        "year": year, "create_node": _anchor(request, node), "search_limit": SEARCH_TERM,
    })


@cadre_required
def team_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "activities.team.create", node=node)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = volunteers.create_team(node=node, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Team created; add its volunteers."))
            return redirect("activities:team", pk=team.pk)
    return render(request, "activities/simple_form.html", {"form": form, "node": node,
                                                           "title": _("New volunteer team")})


def _activity_choices(request, team):
    """The volunteer-service activities a service may be recorded for: the first rows with "showing N
    of M" and a search box (``core.paging.chooser``), never a silent cut."""
    return chooser(request, selectors.services_for_activity_choice(team), key="aq",
                   search=lambda rows, term: selectors.services_for_activity_choice(team, query=term))


def _posted_activities(request, team) -> list:
    """The choices a posted service is checked against: those offered, and the activity posted if it
    is one of the team's line not yet recorded (it may have been found by a search)."""
    offered = list(_activity_choices(request, team).rows)
    chosen = request.POST.get("activity", "")
    if chosen.isdigit() and chosen not in {str(a.pk) for a in offered}:
        offered += list(selectors.services_for_activity_choice(team).filter(pk=int(chosen)))
    return offered


def _team_page(request, team, *, volunteer_form=None, service_form=None, candidates=(), more_candidates=False,
               status=200):
    can_edit = allowed(request.user, "activities.team.add_volunteer", node=team.node)
    choices = _activity_choices(request, team)
    rows = list(selectors.volunteers_of(team))
    services, services_query = paged(request, selectors.services_of(team), 50, key="spage")
    return render(request, "activities/team.html", {
        "team": team, "can_edit": can_edit,
        "rows": [(v, mask_name(v.member.name)) for v in rows],
        "active": [(v, mask_name(v.member.name)) for v in rows if v.left_on is None],
        "services": services, "services_query": services_query,
        "totals": {"times": sum(v.times for v in rows), "hours": sum(v.total for v in rows)},
        "volunteer_form": volunteer_form or VolunteerForm(initial={"joined_on": timezone.localdate()}),
        "service_form": service_form or ServiceForm(activities=choices.rows), "activity_choices": choices,
        "candidates": [(m, mask_name(m.name)) for m in candidates], "today": timezone.localdate(),
        "more_candidates": CANDIDATE_ROWS if more_candidates else 0,
    }, status=status)


@cadre_required
def team_detail(request, pk):
    return _team_page(request, selectors.access_team(pk))


@cadre_required
@require_POST
def volunteer_add(request, pk):
    """Find a roster member of the team's subtree (one match is added; several are listed)."""
    team = selectors.access_team(pk)
    require(request.user, "activities.team.add_volunteer", node=team.node)
    form = VolunteerForm(request.POST)
    if not form.is_valid():
        return _team_page(request, team, volunteer_form=form, status=400)
    data = form.cleaned_data
    if data["member"]:
        found = [members.access_member(data["member"])]
    elif data["q"].strip():
        # one row past those listed tells whether the list is all of them (no count over the roster)
        found = list(members.member_list(node=team.node, query=data["q"].strip())[:CANDIDATE_ROWS + 1])
    else:
        found = []
    if not found:
        form.add_error("q", _("No active member of %(union)s matches.") % {"union": team.node.name})
        return _team_page(request, team, volunteer_form=form, status=400)
    if len(found) > 1:
        return _team_page(request, team, volunteer_form=form, candidates=found[:CANDIDATE_ROWS],
                          more_candidates=len(found) > CANDIDATE_ROWS)
    try:
        volunteers.add_volunteer(team=team, actor=request.user, member=found[0], honour=data["honour"],
                                 joined_on=data["joined_on"])
    except (DomainError, ValidationError) as exc:
        apply_errors(form, exc)
        return _team_page(request, team, volunteer_form=form, status=400)
    messages.success(request, _("%(name)s joined the team.") % {"name": mask_name(found[0].name)})
    return redirect("activities:team", pk=team.pk)


@cadre_required
@require_POST
def volunteer_action(request, pk, action):
    volunteer = selectors.access_volunteer(pk)
    try:
        if action == "leave":
            volunteers.remove_volunteer(volunteer=volunteer, actor=request.user)
            messages.success(request, _("The volunteer has left the team; their hours stay."))
        else:
            volunteers.set_leader(volunteer=volunteer, actor=request.user)
            messages.success(request, _("Team leader changed."))
    except (DomainError, ValidationError) as exc:
        _error(request, exc)
    return redirect("activities:team", pk=volunteer.team_id)


@cadre_required
@require_POST
def service_record(request, pk):
    """A service with each volunteer's hours: fields ``h<volunteer id>``, blank for those absent."""
    team = selectors.access_team(pk)
    require(request.user, "activities.team.record_service", node=team.node)
    form = ServiceForm(request.POST, activities=_posted_activities(request, team))
    if not form.is_valid():
        return _team_page(request, team, service_form=form, status=400)
    data = form.cleaned_data
    roster = {v.pk: v for v in selectors.volunteers_of(team)}
    hours = {}
    for key, value in request.POST.items():
        if key.startswith("h") and key[1:].isdigit() and value.strip():
            volunteer = roster.get(int(key[1:]))
            if volunteer is None:
                raise Http404
            hours[volunteer] = value
    try:
        volunteers.record_service(team=team, actor=request.user, title=data["title"], on=data["on"],
                                  place=data["place"], activity=form.activities.get(data["activity"] or ""),
                                  hours=hours)
    except (DomainError, ValidationError) as exc:
        apply_errors(form, exc)
        return _team_page(request, team, service_form=form, status=400)
    messages.success(request, _("Service recorded: %(n)d volunteers.") % {"n": len(hours)})
    return redirect("activities:team", pk=team.pk)


@cadre_required
def service_detail(request, pk):
    service = selectors.access_service(pk)
    return render(request, "activities/service.html", {
        "s": service, "rows": [(h, mask_name(h.volunteer.member.name)) for h in selectors.hours_of(service)]})


# --- commendation lists ------------------------------------------------------------------------------

@cadre_required
def commendation_list(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    year = request.GET.get("year", "")
    lists, query = paged(request, selectors.commendation_list(node=node, year=int(year) if year.isdigit() else None))
    return render(request, "activities/commendations.html", {
        "node": node, "year": year, "create_node": _anchor(request, node), "lists": lists, "query": query})


@cadre_required
def commendation_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "activities.commendation.create", node=node)
    form = CommendationForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            commendation = volunteers.create_commendation(node=node, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("List created; add the units, collectives and volunteers."))
            return redirect("activities:commendation", pk=commendation.pk)
    return render(request, "activities/simple_form.html", {"form": form, "node": node,
                                                           "title": _("New commendation list")})


@cadre_required
def commendation_detail(request, pk):
    commendation = selectors.access_commendation(pk)
    can_edit = allowed(request.user, "activities.team.add_volunteer", node=commendation.node)
    entries = list(selectors.entries_of(commendation))
    context = {"c": commendation, "can_edit": can_edit, "citation_limit": limit_of(CommendationEntry, "citation"),
               "groups": [(label, [(e, mask_name(e.volunteer.member.name) if e.volunteer_id else "")
                                   for e in entries if e.kind == kind]) for kind, label in CommendationKind.choices]}
    if can_edit:
        # A county has thousands of unions: the selects offer the first rows with "showing N of M"
        # and a search box (core.paging.chooser), never a silent cut.
        context.update(
            units=chooser(request, selectors.units_under(commendation.node), key="uq",
                          search=lambda rows, term: selectors.units_under(commendation.node, query=term)),
            teams=chooser(request, selectors.team_list(node=commendation.node), key="tq",
                          search=lambda rows, term: selectors.team_list(node=commendation.node, query=term)),
            candidates=[(v, mask_name(v.member.name))
                        for v in selectors.top_volunteers(node=commendation.node, year=commendation.year)],
        )
    return render(request, "activities/commendation.html", context)


@cadre_required
@require_POST
def entry_add(request, pk):
    commendation = selectors.access_commendation(pk)
    form = EntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the category and who is commended."))
        return redirect("activities:commendation", pk=commendation.pk)
    kind, subject = form.cleaned_data["kind"], form.cleaned_data["subject"]
    target = {"unit": None, "team": None, "volunteer": None}
    if kind == CommendationKind.UNIT:
        target["unit"] = orgs.access_node(subject)
    elif kind == CommendationKind.COLLECTIVE:
        target["team"] = selectors.access_team(subject)
    else:
        target["volunteer"] = selectors.access_volunteer(subject)
    try:
        volunteers.add_entry(commendation=commendation, actor=request.user, kind=kind,
                             citation=form.cleaned_data["citation"], **target)
        messages.success(request, _("Added to the list."))
    except (DomainError, ValidationError) as exc:
        _error(request, exc)
    return redirect("activities:commendation", pk=commendation.pk)


@cadre_required
@require_POST
def entry_remove(request, pk):
    entry = selectors.access_entry(pk)
    try:
        volunteers.remove_entry(entry=entry, actor=request.user)
        messages.success(request, _("Removed from the list."))
    except (DomainError, ValidationError) as exc:
        _error(request, exc)
    return redirect("activities:commendation", pk=entry.commendation_id)


urlpatterns = [
    path("volunteers/", team_list, name="teams"),
    path("volunteers/new/", team_create, name="team_create"),
    path("volunteers/<int:pk>/", team_detail, name="team"),
    path("volunteers/<int:pk>/add/", volunteer_add, name="volunteer_add"),
    path("volunteers/<int:pk>/services/new/", service_record, name="service_record"),
    path("volunteers/members/<int:pk>/leave/", volunteer_action, {"action": "leave"}, name="volunteer_leave"),
    path("volunteers/members/<int:pk>/leader/", volunteer_action, {"action": "leader"}, name="volunteer_leader"),
    path("volunteers/services/<int:pk>/", service_detail, name="service"),
    path("commendations/", commendation_list, name="commendations"),
    path("commendations/new/", commendation_create, name="commendation_create"),
    path("commendations/<int:pk>/", commendation_detail, name="commendation"),
    path("commendations/<int:pk>/add/", entry_add, name="entry_add"),
    path("commendations/entries/<int:pk>/remove/", entry_remove, name="entry_remove"),
]
