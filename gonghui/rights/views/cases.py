"""Console pages of rights cases: list with filters and overdue flags, detail with history and actions,
intake of hotline and walk-in claims, documents, the subtree's figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts import selectors as accounts
from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.models import Role, User
from gonghui.accounts.permissions import allowed, open_to_mediators, require, roles_allowed, roles_of
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_name, mask_phone
from gonghui.core.uploads import file_response
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..deadlines import deadline_note
from ..forms import (
    AgreementForm,
    CaseFilterForm,
    CommentForm,
    ExtendForm,
    IntakeForm,
    InviteForm,
    MoveForm,
    SessionForm,
)
from ..models import Invitation, MediationSession, Satisfaction, Stage
from ..services import cases as services
from ..services import claims, export
from ..workflow import ENDED_STAGES


def _node(request):
    value = request.GET.get("node") or request.POST.get("node")
    return orgs.access_node(value) if value else None


def filtered_cases(request):
    """The case list's filters (node, stage, category, overdue, search) read from the query: the
    list and its export show the same cases."""
    node = _node(request)
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    stage = data.get("stage", "")
    qs = selectors.case_list(request.user, node=node, stage="" if stage in ("", "all") else stage,
                             open_only=stage == "", category=data.get("category", ""),
                             overdue=True if data.get("overdue") else None, query=data.get("q", ""))
    return form, node, qs


@cadre_required
@open_to_mediators
def case_list(request):
    form, node, qs = filtered_cases(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "rights/cases.html", {
        "form": form, "node": node, "page": page, "query": query.urlencode(),
        "rows": [(c, mask_name(c.claimant_name), selectors.is_overdue(c, today)) for c in page],
        "figures": selectors.rights_figures(request.user, node=node),
        "can_intake": request.user.is_superuser or bool(roles_of(request.user) & roles_allowed("rights.claim.create")),
        "can_export_full": selectors.may_export_full(request.user, [node] if node is not None else orgs.scope_roots()),
    })


def _handler_choices(case) -> list[User]:
    """Accounts holding a handling or mediator role at the case's union or above."""
    paths = [case.node.path[:i] for i in range(4, len(case.node.path) + 1, 4)]
    return accounts.active_holders_at(paths, roles_allowed("rights.case.read", "rights.case.mediate"))


@cadre_required
@open_to_mediators
def case_detail(request, pk):
    case = selectors.access_case(request.user, pk)
    handler = selectors.is_handler(request.user, case)
    audit("rights.case.viewed", actor=request.user, obj=case)
    return render(request, "rights/case.html", {
        "case": case, "masked_name": mask_name(case.claimant_name), "masked_phone": mask_phone(case.claimant_phone),
        "overdue": selectors.is_overdue(case), "history": selectors.case_history(case),
        "deadline_note": deadline_note(case),
        "moves": selectors.available_moves(request.user, case), "is_handler": handler,
        "case_open": case.stage not in ENDED_STAGES,
        "may_mediate": case.stage == Stage.MEDIATING and (handler or selectors.is_mediator_of(request.user, case)),
        "invitations": selectors.case_invitations(case), "sessions": selectors.case_sessions(case),
        "agreement": getattr(case, "agreement", None) if hasattr(case, "agreement") else None,
        "handlers": _handler_choices(case) if handler else [],
        "satisfactions": Satisfaction.choices, "partners": Invitation.Partner.choices,
        "results": MediationSession.Result.choices,
        "comment_form": CommentForm(), "extend_form": ExtendForm(), "invite_form": InviteForm(),
        "session_form": SessionForm(initial={"held_on": timezone.localdate()}),
        "agreement_form": AgreementForm(initial={"signed_on": timezone.localdate()}),
    })


def _done(request, case, exc=None, success=""):
    if exc is not None:
        if isinstance(exc, ValidationError):
            text = " ".join(m for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages])
                            for m in msgs)
        else:
            text = exc.message
        messages.error(request, text)
    elif success:
        messages.success(request, success)
    return redirect("rights:case", pk=case.pk)


@cadre_required
@require_POST
@open_to_mediators
def case_move(request, pk):
    case = selectors.access_case(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _done(request, case, DomainError("invalid", _("Please correct the errors.")))
    data = form.cleaned_data
    handler = accounts.user_by_pk(data["handler"]) if data["handler"] else None
    try:
        services.move_case(case=case, name=data["action"], actor=request.user, reason=data["reason"], handler=handler,
                      outcome=data["outcome"], amount_recovered=data["amount_recovered"],
                      satisfaction=data["satisfaction"], note=data["note"])
    except (DomainError, ValidationError) as exc:
        return _done(request, case, exc)
    return _done(request, case, success=_("Done: %(stage)s.") % {"stage": case.get_stage_display()})


@cadre_required
@require_POST
@open_to_mediators
def case_comment(request, pk):
    case = selectors.access_case(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _done(request, case, DomainError("invalid", " ".join(m for e in form.errors.values() for m in e)))
    try:
        services.comment_on_case(case=case, actor=request.user, text=form.cleaned_data["text"],
                         files=form.cleaned_data["files"],
                         visible_to_claimant=form.cleaned_data["visible_to_claimant"])
    except (DomainError, ValidationError) as exc:
        return _done(request, case, exc)
    return _done(request, case, success=_("Added to the case history."))


@cadre_required
@require_POST
def case_extend(request, pk):
    case = selectors.access_case(request.user, pk)
    form = ExtendForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("invalid", " ".join(m for e in form.errors.values() for m in e))
        services.extend_deadline(case=case, actor=request.user, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        return _done(request, case, exc)
    return _done(request, case, success=_("Deadline extended to %(date)s.") % {"date": case.due_on})


@cadre_required
@require_POST
def case_invite(request, pk):
    case = selectors.access_case(request.user, pk)
    form = InviteForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("invalid", " ".join(m for e in form.errors.values() for m in e))
        mediator = accounts.active_user(form.cleaned_data["mediator"])
        services.invite_mediator(case=case, actor=request.user, mediator=mediator, partner=form.cleaned_data["partner"])
    except (DomainError, ValidationError) as exc:
        return _done(request, case, exc)
    return _done(request, case, success=_("Mediator invited; they now see this case."))


@cadre_required
@require_POST
def case_uninvite(request, pk):
    """The case's handler withdraws a mediator's invitation: the mediator no longer sees the case."""
    case = selectors.access_case(request.user, pk)
    invitation = next((i for i in selectors.case_invitations(case)
                       if i.mediator.username == request.POST.get("mediator", "").strip() and i.revoked_at is None), None)
    if invitation is None:
        return _done(request, case, DomainError("not_invited", _("This mediator is not invited to the case.")))
    services.revoke_invitation(invitation=invitation, actor=request.user)
    return _done(request, case, success=_("Invitation withdrawn; the mediator no longer sees this case."))


@cadre_required
@require_POST
@open_to_mediators
def case_session(request, pk):
    case = selectors.access_case(request.user, pk)
    form = SessionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("invalid", " ".join(m for e in form.errors.values() for m in e))
        services.record_session(case=case, actor=request.user, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        return _done(request, case, exc)
    return _done(request, case, success=_("Mediation session recorded."))


@cadre_required
@require_POST
@open_to_mediators
def case_agreement(request, pk):
    case = selectors.access_case(request.user, pk)
    form = AgreementForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise DomainError("invalid", " ".join(m for e in form.errors.values() for m in e))
        services.record_agreement(case=case, actor=request.user, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        return _done(request, case, exc)
    return _done(request, case, success=_("Agreement recorded."))


@cadre_required
@require_POST
def case_reveal(request, pk):
    """The claimant's full name and mobile, on a page of its own; each reveal is audited."""
    case = selectors.access_case(request.user, pk)
    if not selectors.may_read_case(request.user, case):
        raise NotPermitted("rights.case.reveal")
    audit("rights.case.contact_revealed", actor=request.user, obj=case)
    response = render(request, "rights/reveal.html", {"case": case})
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
@open_to_mediators
def attachment(request, pk):
    """A document of a case, to those who may see the case."""
    item = selectors.access_attachment(request.user, pk)
    audit("rights.document.viewed", actor=request.user, obj=item.case, data={"attachment": item.pk})
    return file_response(item.stored_name, content_type=item.content_type,
                         download_name=f"{item.case.tracking_code}-{item.pk}.{item.extension}",
                         inline=item.content_type != "application/pdf")


@cadre_required
def claim_new(request):
    """A clerk enters a claim taken on the hotline or at the counter, for a union they handle."""
    node = _node(request)
    if node is None:
        roots = orgs.scope_roots()
        node = next((r for r in roots if allowed(request.user, "rights.claim.create", node=r)), None)
        if node is None:
            raise NotPermitted("rights.claim.create")
    require(request.user, "rights.claim.create", node=node)
    form = IntakeForm(request.POST or None, request.FILES or None, initial={"channel": "hotline"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = claims.file_claim(channel=data.pop("channel"), node=node, actor=request.user,
                                     files=data.pop("files"), **data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Claim registered; tracking code %(code)s (sent to the worker by SMS).")
                             % {"code": selectors.format_code(case.tracking_code)})
            return redirect("rights:case", pk=case.pk)
    return render(request, "rights/intake.html", {"form": form, "node": node})


@cadre_required
@open_to_mediators
@replica_reads
def case_export(request):
    """The filtered list as xlsx: claimants masked, unless ``full=1`` by an admin or clerk of it all."""
    _form, node, qs = filtered_cases(request)
    covers = [node] if node is not None else orgs.scope_roots()
    content = export.export_cases(actor=request.user, cases=qs, covers=covers, full=request.GET.get("full") == "1",
                                  filters={k: v for k, v in request.GET.items() if k != "full"})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rights-cases-{timezone.localdate():%Y%m%d}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
def figures(request):
    """The subtree's figures and the roll-up per child union (what a work report quotes)."""
    node = _node(request) or next(iter(orgs.scope_roots()), None)
    if node is None or not (request.user.is_superuser or roles_of(request.user) - {Role.MEDIATOR}):
        raise NotPermitted("rights.figures")
    data = selectors.rights_figures(request.user, node=node)
    return render(request, "rights/figures.html", {
        "node": node, "figures": data, "children": selectors.child_figures(request.user, node),
    })


urlpatterns = [
    path("", case_list, name="cases"),
    path("export/", case_export, name="cases_export"),
    path("cases/<int:pk>/", case_detail, name="case"),
    path("cases/<int:pk>/move/", case_move, name="case_move"),
    path("cases/<int:pk>/comment/", case_comment, name="case_comment"),
    path("cases/<int:pk>/extend/", case_extend, name="case_extend"),
    path("cases/<int:pk>/invite/", case_invite, name="case_invite"),
    path("cases/<int:pk>/uninvite/", case_uninvite, name="case_uninvite"),
    path("cases/<int:pk>/session/", case_session, name="case_session"),
    path("cases/<int:pk>/agreement/", case_agreement, name="case_agreement"),
    path("cases/<int:pk>/reveal/", case_reveal, name="case_reveal"),
    path("documents/<int:pk>/", attachment, name="document"),
    path("claims/new/", claim_new, name="claim_new"),
    path("figures/", figures, name="figures"),
]
