"""Console pages of chair performance reviews (述职评议考核) and field work (蹲点)."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed
from gonghui.core.errors import DomainError
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..services import evaluation
from .awards import _lines
from .money import node_and_year, unions_under


def _date(value) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError("date_invalid", _("Enter a valid date."), field="on") from None


@cadre_required
def review_list(request):
    node, year = node_and_year(request)
    if request.method == "POST":
        post = request.POST
        try:
            round_ = evaluation.create_round(
                node=node, actor=request.user, year=post.get("year", year), title=post.get("title", ""),
                indicators=[{"name": n, "weight": w} for n, w in _lines(post.get("indicators", ""), 2)])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("funds:review", pk=round_.pk)
    return render(request, "funds/reviews.html", {"node": node, "year": year, "rounds": selectors.review_round_list(),
                                                  "post": request.POST})


@cadre_required
def review_detail(request, pk):
    round_ = selectors.access_review_round(pk)
    if request.method == "POST":
        post, what = request.POST, request.POST.get("what")
        try:
            if what == "report":
                evaluation.submit_report(round_=round_, node=orgs.access_node(post.get("node") or 0),
                                         actor=request.user, chair_name=post.get("chair_name", ""),
                                         text=post.get("text", ""))
            elif what == "score":
                evaluation.score_report(report=selectors.access_chair_report(post.get("report") or 0),
                                        actor=request.user, reviewer=post.get("reviewer", ""),
                                        marks={i["name"]: post.get(f"mark_{n}", "")
                                               for n, i in enumerate(round_.indicators)})
            elif what == "close":
                evaluation.close_round(round_=round_, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
            return redirect("funds:review", pk=round_.pk)
    nodes = unions_under(request, round_.node, exclude_self=True)
    return render(request, "funds/review.html", {
        "round": round_, "reports": selectors.reports_of(round_), "nodes": nodes.rows, "chooser": nodes,
        "indicators": list(enumerate(round_.indicators)),
        "organizer": allowed(request.user, "funds.review.score", node=round_.node)})


@cadre_required
def fieldwork(request):
    node, year = node_and_year(request)
    if request.method == "POST":
        post = request.POST
        try:
            group = evaluation.create_group(node=node, actor=request.user, year=post.get("year", year),
                                            name=post.get("name", ""), leader=post.get("leader", ""),
                                            members=post.get("members", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("funds:work_group", pk=group.pk)
    rows = selectors.field_counts(node=node, year=year)
    return render(request, "funds/fieldwork.html", {
        "node": node, "year": year, "rows": rows, "total": selectors.field_total(rows),
        "groups": selectors.work_group_list(), "post": request.POST})


@cadre_required
def work_group(request, pk):
    group = selectors.access_work_group(pk)
    if request.method == "POST":
        post, what = request.POST, request.POST.get("what")
        try:
            if what == "visit":
                evaluation.record_visit(group=group, node=orgs.access_node(post.get("node") or 0), actor=request.user,
                                        on=_date(post.get("on")), opinions=post.get("opinions"),
                                        notes=post.get("notes", ""))
            elif what == "problem":
                visit = selectors.access_field_visit(post.get("visit") or 0)
                evaluation.record_problem(visit=visit, actor=request.user, text=post.get("text", ""))
            elif what == "measure":
                problem = selectors.access_field_problem(post.get("problem") or 0)
                evaluation.take_measure(problem=problem, actor=request.user, text=post.get("text", ""),
                                        difficulties_solved=post.get("difficulties_solved") or 0,
                                        solved=post.get("solved") == "1")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
            return redirect("funds:work_group", pk=group.pk)
    nodes = unions_under(request, group.node)
    return render(request, "funds/work_group.html", {"group": group, "visits": selectors.visits_of(group),
                                                     "nodes": nodes.rows, "chooser": nodes})


urlpatterns = [
    path("reviews/", review_list, name="reviews"),
    path("reviews/<int:pk>/", review_detail, name="review"),
    path("fieldwork/", fieldwork, name="fieldwork"),
    path("fieldwork/<int:pk>/", work_group, name="work_group"),
]
