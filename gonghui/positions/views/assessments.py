"""Console pages of the "four haves" assessment of a worker's home: record one, add evidence, view it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.uploads import file_response

from .. import selectors
from ..forms import AssessmentForm, EvidenceForm
from ..services import assessments as services


@cadre_required
def assessment_create(request, pk):
    position = selectors.access_position(pk)
    require(request.user, "positions.assessment.create", node=position.node)
    form = AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_assessment(position=position, actor=request.user, **form.service_fields())
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Assessment recorded: %(result)s.") % {"result": assessment.get_result_display()})
            return redirect("positions:assessment", pk=assessment.pk)
    return render(request, "positions/assessment_form.html", {"form": form, "position": position})


@cadre_required
def assessment_detail(request, pk):
    assessment = selectors.access_assessment(pk)
    return render(request, "positions/assessment.html", {
        "assessment": assessment, "position": assessment.position, "evidence": list(assessment.evidence.all()),
        "items": selectors.item_rows(assessment),
        "can_edit": allowed(request.user, "positions.position.update", node=assessment.position.node), "form": EvidenceForm(),
    })


@cadre_required
@require_POST
def evidence_add(request, pk):
    assessment = selectors.access_assessment(pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(assessment=assessment, actor=request.user, item=form.cleaned_data["item"],
                                  upload=form.cleaned_data["file"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Evidence added."))
    else:
        messages.error(request, _("Choose the item and a photo or PDF."))
    return redirect("positions:assessment", pk=assessment.pk)


@cadre_required
def evidence_file(request, pk):
    evidence = selectors.access_evidence(pk)
    return file_response(evidence.file, content_type=evidence.content_type, download_name=evidence.name)


urlpatterns = [
    path("<int:pk>/assessments/new/", assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment"),
    path("assessments/<int:pk>/evidence/", evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", evidence_file, name="evidence"),
]
