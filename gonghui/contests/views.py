"""Console pages of contests: the list, a contest with its rounds and items, a round (entries,
judges, results, prizes), certificates, and the judge's own sheets. Thin: each POST calls one service."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.models import User
from gonghui.accounts.permissions import allowed, require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.limits import search_term
from gonghui.core.paging import paged
from gonghui.orgs import selectors as orgs

from . import pdf, selectors
from .forms import AwardForm, ContestForm, ItemForm, JudgeForm, RoundForm, WorkerForm
from .models import Part, RoundStatus
from .services import awards, entries, judging, setup


def _fail(request, exc) -> None:
    if isinstance(exc, DomainError):
        messages.error(request, exc.message)
    elif isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        raise exc


@cadre_required
def contest_list(request):
    roots = orgs.scope_roots()
    page, query = paged(request, selectors.contest_list(), 50)
    return render(request, "contests/list.html", {
        "page": page, "query": query,
        "can_add": any(allowed(request.user, "contests.contest.create", node=n) for n in roots),
        "sheets": selectors.sheets_of_judge(request.user).filter(submitted_at__isnull=True).count(),
    })


@cadre_required
def contest_create(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    roots = orgs.scope_roots()
    node = node or (roots[0] if roots else None)
    if node is None:
        raise Http404
    require(request.user, "contests.contest.create", node=node)
    form = ContestForm(request.POST or None, initial={"year": timezone.localdate().year,
                                                       "theory_weight": "30", "practical_weight": "70"})
    if request.method == "POST" and form.is_valid():
        try:
            contest = setup.create_contest(node=node, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Contest created. Add its score items and rounds."))
            return redirect("contests:detail", pk=contest.pk)
    return render(request, "contests/form.html", {"form": form, "node": node, "title": _("New contest")})


@cadre_required
def contest_detail(request, pk):
    contest = selectors.access_contest(pk)
    items = selectors.items_of(contest)
    return render(request, "contests/detail.html", {
        "contest": contest, "rounds": selectors.rounds_of(contest),
        "theory": [i for i in items if i.part == Part.THEORY], "practical": [i for i in items if i.part == Part.PRACTICAL],
        "can_run": selectors.may_run(request.user, contest), "round_form": RoundForm(), "item_form": ItemForm(),
        "awards": selectors.awards_of(contest) if selectors.may_run(request.user, contest) else [],
    })


@cadre_required
@require_POST
def round_add(request, pk):
    contest = selectors.access_contest(pk)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            setup.add_round(contest=contest, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Round added."))
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Give the stage, the date and how many go on."))
    return redirect("contests:detail", pk=contest.pk)


@cadre_required
@require_POST
def item_add(request, pk):
    contest = selectors.access_contest(pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            setup.add_item(contest=contest, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Score item added."))
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Give the part, the item and its range."))
    return redirect("contests:detail", pk=contest.pk)


def _enterable(round_, query: str):
    """Enterprises with a union in both the cadre's scope and the organizer's area, by name, not yet entered."""
    return (orgs.employer_list(unionized=True, query=query).filter(union__path__startswith=round_.contest.node.path)
            .exclude(pk__in=selectors.entered_employers(round_)))


@cadre_required
def round_detail(request, pk):
    round_ = selectors.access_round(pk)
    contest = round_.contest
    can_run = selectors.may_run(request.user, contest)
    results = selectors.round_results(round_) if can_run else []
    employer_query = search_term(request, request.GET.get("eq"))
    employers, query = (paged(request, _enterable(round_, employer_query), 50, key="ep")
                        if round_.status == RoundStatus.OPEN else (None, ""))
    return render(request, "contests/round.html", {
        "round": round_, "contest": contest, "can_run": can_run,
        "can_manage": allowed(request.user, "contests.judge.assign", node=contest.node),
        "participations": selectors.participations_of(round_), "entries": selectors.entries_of(round_),
        "employers": employers, "employer_query": employer_query, "query": query,
        "judge_form": JudgeForm(), "award_form": AwardForm(), "results": results,
        "pending": selectors.pending_sheets(round_) if can_run else 0,
    })


@cadre_required
@require_POST
def enter(request, pk):
    round_ = selectors.access_round(pk)
    employer = orgs.access_employer(request.POST.get("employer"))  # the same 404 outside the cadre's scope
    try:
        entries.enter_enterprise(round_=round_, actor=request.user, employer=employer)
        messages.success(request, _("%(employer)s entered.") % {"employer": employer.name})
    except (DomainError, ValidationError) as exc:
        _fail(request, exc)
    return redirect("contests:round", pk=round_.pk)


@cadre_required
@require_POST
def worker_add(request, pk):
    participation = selectors.access_participation(pk)
    form = WorkerForm(request.POST)
    if form.is_valid():
        try:
            entries.enter_worker(participation=participation, actor=request.user, name=form.cleaned_data["name"])
            messages.success(request, _("Worker entered."))
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Give the worker's name."))
    return redirect("contests:round", pk=participation.round_id)


def _numbers(text: str) -> set[int] | None:
    text = (text or "").strip()
    if not text:
        return None
    parts = [p for p in re.split(r"[,，、\s]+", text) if p]
    if not all(p.isdigit() for p in parts):
        raise DomainError("numbers", _("Give entry numbers separated by commas."), field="entries")
    return {int(p) for p in parts}


@cadre_required
@require_POST
def judge_add(request, pk):
    round_ = selectors.access_round(pk)
    require(request.user, "contests.judge.assign", node=round_.contest.node)
    form = JudgeForm(request.POST)
    if form.is_valid():
        judge = User.objects.filter(username=form.cleaned_data["username"].strip(), is_active=True).first()
        try:
            if judge is None:
                raise DomainError("no_account", _("No active account of that name."), field="username")
            numbers = _numbers(form.cleaned_data["entries"])
            chosen = [e for e in selectors.entries_of(round_) if numbers is None or e.number in numbers]
            for entry in chosen:
                judging.assign_judge(entry=entry, actor=request.user, judge=judge)
            messages.success(request, _("%(n)d entries assigned to %(judge)s.") % {"n": len(chosen), "judge": judge})
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
    return redirect("contests:round", pk=round_.pk)


@cadre_required
@require_POST
def start(request, pk):
    round_ = selectors.access_round(pk)
    try:
        setup.start_scoring(round_=round_, actor=request.user)
        messages.success(request, _("Entries closed; the judges may score."))
    except (DomainError, ValidationError) as exc:
        _fail(request, exc)
    return redirect("contests:round", pk=round_.pk)


@cadre_required
@require_POST
def award(request, pk):
    round_ = selectors.access_round(pk)
    form = AwardForm(request.POST)
    if form.is_valid():
        try:
            given = awards.award_round(round_=round_, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Results published: %(n)d prizes.") % {"n": len(given)})
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
    else:
        messages.error(request, _("Give the number of each prize."))
    return redirect("contests:round", pk=round_.pk)


@cadre_required
def certificate(request, pk):
    award_ = selectors.access_award(pk)
    try:
        content = pdf.render(award_)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("contests:detail", pk=award_.entry.round.contest_id)
    audit("contests.certificate.printed", actor=request.user, obj=award_.entry.round.contest,
          data={"award": award_.pk})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{award_.serial}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@cadre_required
def judging_list(request):
    page, query = paged(request, selectors.sheets_of_judge(request.user), 100)
    return render(request, "contests/judging.html", {"page": page, "query": query})


@cadre_required
def sheet(request, pk):
    """The judge's sheet for entry ``pk``: the same 404 for an entry not assigned to them."""
    try:
        own = selectors.sheet_for(entry_id=pk, judge=request.user)
    except DomainError:
        raise Http404 from None
    items = selectors.items_of(own.entry.round.contest)
    if request.method == "POST":
        values = {i.pk: request.POST.get(f"item-{i.pk}", "").strip() for i in items}
        values = {k: v for k, v in values.items() if v != ""}
        try:
            judging.save_scores(entry_id=pk, actor=request.user, values=values)
            if "submit" in request.POST:
                judging.submit_sheet(entry_id=pk, actor=request.user)
                messages.success(request, _("Scores submitted and locked."))
                return redirect("contests:judging")
            messages.success(request, _("Scores saved."))
        except (DomainError, ValidationError) as exc:
            _fail(request, exc)
        return redirect("contests:sheet", pk=pk)
    saved = selectors.scores_of_sheet(own)
    return render(request, "contests/sheet.html", {
        "sheet": own, "entry": own.entry, "rows": [(i, saved.get(i.pk)) for i in items],
        "locked": own.submitted_at is not None or own.entry.round.status != RoundStatus.SCORING,
    })


urlpatterns = [
    path("", contest_list, name="list"),
    path("new/", contest_create, name="create"),
    path("<int:pk>/", contest_detail, name="detail"),
    path("<int:pk>/rounds/", round_add, name="round_add"),
    path("<int:pk>/items/", item_add, name="item_add"),
    path("rounds/<int:pk>/", round_detail, name="round"),
    path("rounds/<int:pk>/enter/", enter, name="enter"),
    path("rounds/<int:pk>/judges/", judge_add, name="judge_add"),
    path("rounds/<int:pk>/start/", start, name="start"),
    path("rounds/<int:pk>/award/", award, name="award"),
    path("entries/<int:pk>/workers/", worker_add, name="worker_add"),
    path("awards/<int:pk>/certificate.pdf", certificate, name="certificate"),
    path("judging/", judging_list, name="judging"),
    path("judging/<int:pk>/", sheet, name="sheet"),
]
