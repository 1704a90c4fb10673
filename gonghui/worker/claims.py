"""Rights claims on the phone: submit, follow by tracking code, add information, withdraw (rights).

The URL patterns below are joined into the worker namespace by worker/urls.py. A worker sees the
claims filed with their verified number (from the phone, or by a clerk from the hotline); anyone
holding a tracking code sees that claim's progress, without names or amounts; codes are
rate-limited against guessing."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import worker_required
from gonghui.activities import selectors as activities
from gonghui.activities.models import Kind
from gonghui.core.context import client_ip
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.ratelimit import RateLimited
from gonghui.core.scoping import scopes_disabled
from gonghui.core.uploads import file_response
from gonghui.members import selectors as members
from gonghui.orgs.models import Node
from gonghui.positions import selectors as positions
from gonghui.positions.models import PositionKind
from gonghui.rights import selectors
from gonghui.rights.deadlines import deadline_note
from gonghui.rights.forms import InformationForm, TrackForm, WithdrawForm, WorkerClaimForm
from gonghui.rights.services import claims
from gonghui.rights.workflow import ENDED_STAGES, MOVES

from .membership import offer_context

STEPS = ["submitted", "accepted", "assigned", "investigating", "mediating", "closed", "visited"]


@worker_required
def claim_new(request):
    nodes = selectors.intake_nodes()
    form = WorkerClaimForm(request.POST or None, request.FILES or None, nodes=nodes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data.pop("node")
        node = next((n for n in nodes if n.pk == chosen), None)
        try:
            with scopes_disabled():
                case = claims.file_claim(channel="phone", worker=request.worker, node=node,
                                         files=data.pop("files"), claimant_phone="", **data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your claim has been sent to %(union)s. Tracking code: %(code)s.")
                             % {"union": case.node.name, "code": selectors.format_code(case.tracking_code)})
            return redirect("worker:claim", pk=case.pk)
    return render(request, "worker/claims/new.html", {"form": form})


LEGAL_HELP_LIMIT = 3


def _located(node):
    """``node`` or its nearest ancestor with a location on record; without one, the top of the tree."""
    paths = [node.path[:i] for i in range(Node.steplen, len(node.path) + 1, Node.steplen)] if node else []
    located = Node.objects.filter(latitude__isnull=False, longitude__isnull=False)
    return (located.filter(path__in=paths).order_by("-depth").first() if paths else None) or (
        located.order_by("depth", "path").first())


def legal_help(worker, cases) -> dict:
    """Legal micro-classes this worker may still sign up for (activities) and the legal-aid stations
    nearest to where the worker's union is (positions): linked from the claims page, not copied.
    "Near" is measured from the union handling the latest claim (or the nearest union above it with
    a location on record), else the worker's own union, else the top of the tree; the finder link
    carries that place and the station type."""
    now = timezone.now()
    classes = activities.open_for_worker(worker, first=LEGAL_HELP_LIMIT, now=now, kind=Kind.LEGAL_CLASS,
                                         starts_from=now)
    member = members.membership_of_worker(worker) if not cases else None
    anchor = cases[0].node if cases else (member.node if member is not None else None)
    area = _located(anchor)
    stations = []
    if area is not None:
        with scopes_disabled():  # stations in service are public places
            stations = positions.nearest(lat=float(area.latitude), lng=float(area.longitude),
                                         kind=PositionKind.LEGAL_AID, open_now=False, limit=LEGAL_HELP_LIMIT)
    finder = {"kind": PositionKind.LEGAL_AID, "all": "on", **({"area": area.code} if area is not None else {})}
    return {"legal_classes": classes, "legal_stations": stations, "legal_area": area,
            "legal_finder_url": f"{reverse('worker:stations')}?{urlencode(finder)}",
            "legal_classes_url": reverse("worker:courses")}


@worker_required
def claim_list(request):
    cases = selectors.cases_of_worker(request.worker)
    return render(request, "worker/claims/list.html", {"cases": cases, **legal_help(request.worker, cases)})


def _progress(case) -> list[tuple[str, bool]]:
    reached = STEPS.index(case.stage) if case.stage in STEPS else -1
    return [(str(dict(case._meta.get_field("stage").choices)[s]), i <= reached) for i, s in enumerate(STEPS)]


@worker_required
def claim_detail(request, pk):
    case = selectors.case_of_worker(request.worker, pk)
    with scopes_disabled():
        history = selectors.case_history(case, for_claimant=True)
    return render(request, "worker/claims/detail.html", {
        "case": case, "code": selectors.format_code(case.tracking_code), "history": history,
        "open": case.stage not in ENDED_STAGES, "progress": _progress(case), "deadline_note": deadline_note(case),
        "can_withdraw": case.stage in MOVES["withdraw"].sources,
        "info_form": InformationForm(), "withdraw_form": WithdrawForm(),
        "offer": offer_context(request, node=case.node, service=_("Claim %(code)s") % {
            "code": selectors.format_code(case.tracking_code)}, channel="claim"),
    })


@worker_required
@require_POST
def claim_add(request, pk):
    case = selectors.case_of_worker(request.worker, pk)
    form = InformationForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise DomainError("invalid", " ".join(m for e in form.errors.values() for m in e))
        with scopes_disabled():
            claims.add_information(case=case, worker=request.worker, text=form.cleaned_data["text"],
                                   files=form.cleaned_data["files"])
    except (DomainError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    else:
        messages.success(request, _("Added. The union sees it in your case."))
    return redirect("worker:claim", pk=case.pk)


@worker_required
@require_POST
def claim_withdraw(request, pk):
    case = selectors.case_of_worker(request.worker, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        with scopes_disabled():
            claims.withdraw_claim(case=case, worker=request.worker, reason=reason)
    except (DomainError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    else:
        messages.success(request, _("Your claim has been withdrawn."))
    return redirect("worker:claim", pk=case.pk)


@worker_required
def claim_document(request, pk, file_pk):
    """A picture or PDF the worker attached themselves."""
    item = selectors.attachment_of_worker(request.worker, pk, file_pk)
    return file_response(item.stored_name, content_type=item.content_type,
                         download_name=f"{item.pk}.{item.extension}", inline=item.content_type != "application/pdf")


def claim_track(request):
    """Follow a claim by its tracking code: the steps and dates only, no names or amounts."""
    form = TrackForm(request.POST or None)
    case, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            case = claims.find_by_code(code=form.cleaned_data["code"], ip=client_ip(request.META))
        except DomainError as exc:
            form.add_error("code", exc.message)
            status = exc.status if isinstance(exc, RateLimited) else 404
    context = {"form": form, "case": case}
    if case is not None:
        with scopes_disabled():
            context.update(history=[e for e in selectors.case_history(case, for_claimant=True) if e.kind == "step"
                                    or e.kind == "session"],
                           progress=_progress(case), mine=selectors.is_claimant(request.worker, case))
    response = render(request, "worker/claims/track.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("claims/", claim_list, name="claims"),
    path("claims/new/", claim_new, name="claim_new"),
    path("claims/track/", claim_track, name="claim_track"),
    path("claims/<int:pk>/", claim_detail, name="claim"),
    path("claims/<int:pk>/add/", claim_add, name="claim_add"),
    path("claims/<int:pk>/withdraw/", claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/files/<int:file_pk>/", claim_document, name="claim_document"),
]
