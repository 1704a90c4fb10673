"""Console pages of the demonstration awards: calls, nominations, scoring sheets, ranking, award."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed
from gonghui.core.errors import DomainError
from gonghui.orgs import selectors as orgs

from .. import readings, selectors
from ..models import AwardCallState
from ..services import awards
from .money import node_and_year, unions_under


def _lines(text: str, parts: int) -> list[list[str]]:
    """ "name：number" lines (full-width or half-width colons) into lists of fields."""
    rows = []
    for line in (text or "").splitlines():
        fields = [f.strip() for f in line.replace("：", ":").split(":")]
        if any(fields):
            rows.append((fields + [""] * parts)[:parts])
    return rows


@cadre_required
def award_list(request):
    node, year = node_and_year(request)
    if request.method == "POST":
        post = request.POST
        try:
            call = awards.create_call(
                node=node, actor=request.user, year=post.get("year", year), title=post.get("title", ""),
                category=selectors.categories_by_id(post.get("category") or 0),
                indicators=[{"name": n, "max": m, "indicator": k, "target": t}
                            for n, m, k, t in _lines(post.get("indicators", ""), 4)],
                quotas=[{"name": n, "quota": q, "reward": r} for n, q, r in _lines(post.get("quotas", ""), 3)])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Call opened for nominations."))
            return redirect("funds:award", pk=call.pk)
    return render(request, "funds/awards.html", {
        "node": node, "year": year, "calls": selectors.award_call_list(),
        "categories": selectors.categories_for(node, year), "post": request.POST,
        "figures": readings.choices()})


@cadre_required
def award_detail(request, pk):
    call = selectors.access_award_call(pk)
    if request.method == "POST":
        post, what = request.POST, request.POST.get("what")
        try:
            if what == "nominate":
                awards.nominate_for_award(quota=selectors.access_quota(post.get("quota") or 0),
                                node=orgs.access_node(post.get("node") or 0), actor=request.user,
                                statement=post.get("statement", ""))
            elif what == "score":
                nomination = selectors.access_nomination(post.get("nomination") or 0)
                awards.score_nomination(nomination=nomination, actor=request.user, scorer=post.get("scorer", ""),
                             marks={i["name"]: post.get(f"mark_{n}", "") for n, i in enumerate(call.indicators)
                                    if not i.get("indicator")})
            elif what in ("close_nominations", "rank", "award", "pay_rewards"):
                getattr(awards, what)(call=call, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
            return redirect("funds:award", pk=call.pk)
        call = selectors.access_award_call(pk)
    nominations = list(selectors.nominations_of(call))
    grades = selectors.grades_by_node({n.node_id for n in nominations}, call.year)
    for n in nominations:
        n.chair_review = grades.get(n.node_id)
    nominees = unions_under(request, call.node, exclude_self=True)
    return render(request, "funds/award.html", {
        "call": call, "nominations": nominations, "quotas": call.quotas.all(),
        "nominees": nominees.rows, "chooser": nominees, "indicators": list(enumerate(call.indicators)),
        "read_names": [i["name"] for i in call.read_indicators],
        "organizer": allowed(request.user, "funds.award.step", node=call.node), "states": AwardCallState})


urlpatterns = [
    path("awards/", award_list, name="awards"),
    path("awards/<int:pk>/", award_detail, name="award"),
]
