"""Console pages of the hardship registry: list (masked), register, open a file (audited), annual
review, exit, supporting documents, medical mutual aid enrolments."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core import editing
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_name, mask_phone, mask_resident_id
from gonghui.core.paging import paged
from gonghui.core.uploads import file_response
from gonghui.members import selectors as members
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..forms import BulkEnrolForm, DocumentForm, EnrolForm, ExitForm, HardshipForm, ReviewForm
from ..models import HardshipDocument, HardshipStatus
from ..services import hardship as services
from ..services import medical
from .common import require_any, within


@cadre_required
def hardship_list(request):
    require_any(request, "aid.hardship.list")
    status = request.GET.get("status", HardshipStatus.ACTIVE)
    status = status if status in HardshipStatus.values else HardshipStatus.ACTIVE
    due = timezone.localdate() + datetime.timedelta(days=30) if request.GET.get("due") else None
    qs = selectors.hardship_list(status=status, within=within(request, "aid.hardship.list"), due_before=due)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    roots = orgs.scope_roots()
    return render(request, "aid/hardship_list.html", {
        "page": page, "status": status, "statuses": HardshipStatus.choices, "due": bool(due),
        "rows": [(f, mask_name(f.name), f.review_due_on < today) for f in page],
        "create_node": next((n for n in roots if allowed(request.user, "aid.hardship.create", node=n)), None),
    })


@cadre_required
def hardship_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "aid.hardship.create", node=node)
    form = HardshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = [{"name": data["relative_name"], "relation": data["relative_relation"],
                      "birth_year": data["relative_birth_year"], "note": data["relative_note"]}]
        try:
            file = services.register_file(
                node=node, actor=request.user, name=data["name"], id_number=data["id_number"], phone=data["phone"],
                cause=data["cause"], level=data["level"], household_size=data["household_size"],
                income_per_head=data["income_per_head"], situation=data["situation"], household=household)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Hardship file opened; the annual review is due on %(date)s.")
                             % {"date": file.review_due_on.strftime("%Y-%m-%d")})
            return redirect("aid:hardship", pk=file.pk)
    return render(request, "aid/hardship_form.html", {"form": form, "node": node})


@cadre_required
def hardship_detail(request, pk):
    """Personal and medical details: aid officers of the subtree; each opening is audited."""
    file = services.open_file(file=selectors.access_hardship(pk), actor=request.user)
    events, events_query = paged(request, file.events.select_related("actor"), 50, key="epage")
    applications, applications_query = paged(request, selectors.application_list().filter(hardship=file), 20,
                                             key="apage")
    return render(request, "aid/hardship.html", {
        "f": file, "masked_id": mask_resident_id(file.id_number), "masked_phone": mask_phone(file.phone),
        "household": list(file.household.all()), "documents": list(file.documents.all()),
        "events": events, "events_query": events_query,
        "applications": applications, "applications_query": applications_query,
        "review_form": ReviewForm(initial={"level": file.level, "income_per_head": file.income_per_head}),
        "exit_form": ExitForm(), "document_form": DocumentForm(),
        "overdue": file.status == HardshipStatus.ACTIVE and file.review_due_on < timezone.localdate(),
        "version": editing.version_of(file),  # the review form's (core.editing)
    })


def _post(request, pk, action, success):
    file = selectors.access_hardship(pk)
    try:
        action(file)
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(
            m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs))
    else:
        messages.success(request, success)
    return redirect("aid:hardship", pk=file.pk)


@cadre_required
@require_POST
def hardship_review(request, pk):
    form = ReviewForm(request.POST)
    data = form.data
    return _post(request, pk, lambda f: services.review_file(
        file=f, actor=request.user, level=data.get("level"), income_per_head=data.get("income_per_head"),
        note=data.get("note", ""), expected_version=editing.version_from_post(request)),
        _("Annual review recorded."))


@cadre_required
@require_POST
def hardship_exit(request, pk):
    return _post(request, pk, lambda f: services.exit_file(file=f, actor=request.user,
                                                           reason=request.POST.get("reason", "")),
                 _("The household has left the registry."))


@cadre_required
@require_POST
def hardship_document(request, pk):
    upload = request.FILES.get("file")

    def add(file):
        if upload is None:
            raise ValidationError({"file": [_("Choose a file.")]})
        services.add_document(file=file, actor=request.user, upload=upload, title=request.POST.get("title", ""))

    return _post(request, pk, add, _("Document added."))


@cadre_required
def hardship_document_file(request, pk):
    try:
        document = HardshipDocument.objects.select_related("file", "file__node").get(pk=pk)
    except (HardshipDocument.DoesNotExist, ValueError):
        from django.http import Http404

        raise Http404 from None
    services.open_file(file=document.file, actor=request.user)
    return file_response(document.stored_name, content_type=document.content_type,
                         download_name=f"{document.title}.{document.stored_name.rsplit('.', 1)[-1]}")


@cadre_required
def enrolments(request, pk):
    """Members enrolled in a medical mutual aid programme; clerks enrol by ID number."""
    programme = selectors.access_programme(pk)
    if not programme.is_medical:
        from django.http import Http404

        raise Http404
    # officers of the organizing union, or of a union under it (their share: enrolments are scoped)
    require_any(request, "aid.enrolment.list")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = members.member_list(query=form.cleaned_data["id_number"].strip()).first()
        try:
            if member is None:
                raise ValidationError({"id_number": [_("No active member with this ID number in your unions.")]})
            medical.enrol_member(programme=programme, member=member, actor=request.user, fee=form.cleaned_data["fee"])
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Enrolled."))
            return redirect("aid:enrolments", pk=programme.pk)
    page = Paginator(selectors.enrolment_list(programme=programme), 100).get_page(request.GET.get("page"))
    return render(request, "aid/enrolments.html", {"p": programme, "form": form, "page": page,
                                                   "bulk_form": BulkEnrolForm(initial={"fee": programme.enrolment_fee}),
                                                   "rows": [(e, mask_name(e.member.name)) for e in page]})


@cadre_required
@require_POST
def enrol_union(request, pk):
    """Enrol every active member of a union (and the unions under it) in one action, counting."""
    programme = selectors.access_programme(pk)
    if not programme.is_medical:
        from django.http import Http404

        raise Http404
    form = BulkEnrolForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter the union's code."))
        node = orgs.access_node_by_code(form.cleaned_data["node"].strip())
        result = medical.enrol_union(programme=programme, node=node, actor=request.user,
                                     fee=form.cleaned_data["fee"])
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(
            m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs))
    else:
        messages.success(request, _("%(enrolled)d members enrolled; %(skipped)d were enrolled already (%(members)d "
                                    "active members in %(union)s).") % {**result, "union": node.name})
    return redirect("aid:enrolments", pk=programme.pk)


urlpatterns = [
    path("hardship/", hardship_list, name="hardship_list"),
    path("hardship/new/", hardship_create, name="hardship_create"),
    path("hardship/<int:pk>/", hardship_detail, name="hardship"),
    path("hardship/<int:pk>/review/", hardship_review, name="hardship_review"),
    path("hardship/<int:pk>/exit/", hardship_exit, name="hardship_exit"),
    path("hardship/<int:pk>/documents/", hardship_document, name="hardship_document"),
    path("hardship/documents/<int:pk>/", hardship_document_file, name="hardship_document_file"),
    path("programmes/<int:pk>/enrolments/", enrolments, name="enrolments"),
    path("programmes/<int:pk>/enrolments/union/", enrol_union, name="enrol_union"),
]
