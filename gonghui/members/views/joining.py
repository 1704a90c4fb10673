"""Console pages of scan-to-join: the node's QR poster, the review queue, prospects."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require, scope_for
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_phone, mask_resident_id
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..forms import ReasonForm
from ..models import ApplicationStatus, MemberType
from ..services import joining as services


def qr_svg(url: str, *, scale: int = 6) -> str:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()


@cadre_required
def poster(request, pk):
    """A printable poster: the union's name and the QR code workers scan to join."""
    node = orgs.access_node(pk)
    link = services.prepare_link(node=node, actor=request.user)
    url = request.build_absolute_uri(reverse("worker:join", args=[services.make_link_token(link=link)]))
    return render(request, "members/poster.html", {
        "node": node, "link": link, "url": url, "svg": mark_safe(qr_svg(url)),  # noqa: S308 - segno output
    })


@cadre_required
@require_POST
def poster_revoke(request, pk):
    node = orgs.access_node(pk)
    link = services.prepare_link(node=node, actor=request.user)
    services.revoke_link(link=link, actor=request.user)
    messages.success(request, _("The old QR code no longer works; print the new one."))
    return redirect("members:poster", pk=node.pk)


@cadre_required
def application_list(request):
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status not in ApplicationStatus.values and status != "":
        status = ApplicationStatus.PENDING
    qs = selectors.application_list(status=status).filter(
        node__path__within=scope_for(request.user, "members.application.view")) \
        if not request.user.is_superuser else selectors.application_list(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "members/applications.html", {
        "page": page, "status": status, "statuses": ApplicationStatus.choices,
        "rows": [(a, mask_resident_id(a.id_number), selectors.is_overdue(a, today)) for a in page],
    })


@cadre_required
def application_detail(request, pk):
    application = selectors.access_application(pk)
    require(request.user, "members.application.view", node=application.node)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                member_type = request.POST.get("member_type") or MemberType.FULL
                if member_type not in MemberType.values:
                    member_type = MemberType.FULL
                member = services.approve_application(application=application, actor=request.user,
                                                      member_type=member_type)
                messages.success(request, _("Approved; %(name)s is now a member.") % {"name": member.name})
                return redirect("members:applications")
            if form.is_valid():
                services.reject_application(application=application, actor=request.user,
                                            reason=form.cleaned_data["reason"])
                messages.success(request, _("Rejected; the worker has been told why."))
                return redirect("members:applications")
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
    return render(request, "members/application.html", {
        "a": application, "form": form, "masked_id": mask_resident_id(application.id_number),
        "masked_phone": mask_phone(application.phone), "overdue": selectors.is_overdue(application),
        "member_types": MemberType.choices,
    })


@cadre_required
def prospect_list(request):
    qs = selectors.prospect_list()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "members/prospects.html", {
        "page": page, "rows": [(p, mask_phone(p.phone), allowed(request.user, "members.prospect.invite", node=p.node))
                               for p in page]})


@cadre_required
@require_POST
def prospect_invite(request, pk):
    prospect = selectors.access_prospect(pk)
    try:
        services.invite_prospect(prospect=prospect, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation sent."))
    return redirect("members:prospects")


urlpatterns = [
    path("nodes/<int:pk>/poster/", poster, name="poster"),
    path("nodes/<int:pk>/poster/revoke/", poster_revoke, name="poster_revoke"),
    path("applications/", application_list, name="applications"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("prospects/", prospect_list, name="prospects"),
    path("prospects/<int:pk>/invite/", prospect_invite, name="prospect_invite"),
]
