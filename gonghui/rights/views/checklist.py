"""Console page of the check-up template: the items in order, add, reword, move, retire, bring back.

Every cadre who runs check-ups may read it; county cadres edit it (``services.checklist``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.core import editing
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.forms import apply_errors
from gonghui.core.limits import limit_of
from gonghui.core.paging import paged

from .. import selectors
from ..models import CheckupItem
from ..services import checklist as services


class ItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Item"), max_length=limit_of(CheckupItem, "title"))
    basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=limit_of(CheckupItem, "basis"), required=False)


def _errors(exc: ValidationError) -> str:
    return " ".join(m for msgs in exc.message_dict.values() for m in msgs)


@cadre_required
def checklist(request):
    form = ItemForm()
    can_edit = selectors.may_edit_checklist(request.user)
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                services.add_item(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Item added at the end of the checklist."))
                return redirect("rights:checklist")
    retired, query = paged(request, selectors.checklist_items(retired=True), 50, key="rpage")
    return render(request, "rights/checklist.html", {
        "items": list(selectors.checklist_items()), "retired": retired, "query": query,
        "form": form, "can_edit": can_edit,
    }, status=400 if form.errors else 200)


@cadre_required
def checklist_item(request, pk):
    """Reword an item (a used item gets a new version; past check-ups keep the old one)."""
    item = selectors.access_checklist_item(pk)
    if not selectors.may_edit_checklist(request.user):
        raise NotPermitted("rights.checklist.edit")
    form = ItemForm(request.POST or None, initial={"title": item.title, "basis": item.basis})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.reword_item(item=item, actor=request.user,
                                          expected_version=editing.version_from_post(request), **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Item changed; check-ups already made keep the earlier wording.")
                             if result.pk != item.pk else _("Item corrected."))
            return redirect("rights:checklist")
    # The version the form was rendered with goes back with it (a stale form is refused, core.editing).
    version = request.POST.get("version", "") if request.method == "POST" else selectors.item_version(item)
    return render(request, "rights/checklist_item.html", {"item": item, "form": form,
                                                          "used": selectors.is_item_used(item), "version": version})


def _post_action(request, pk, action, success):
    item = selectors.access_checklist_item(pk)
    try:
        action(item)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if success:
            messages.success(request, success)
    return redirect("rights:checklist")


@cadre_required
@require_POST
def checklist_move(request, pk):
    up = request.POST.get("direction") != "down"
    return _post_action(request, pk, lambda item: services.move_item(item=item, actor=request.user, up=up), "")


@cadre_required
@require_POST
def checklist_retire(request, pk):
    return _post_action(request, pk, lambda item: services.retire_item(item=item, actor=request.user),
                        _("Item retired: new check-ups leave it out, past ones keep it."))


@cadre_required
@require_POST
def checklist_restore(request, pk):
    return _post_action(request, pk, lambda item: services.restore_item(item=item, actor=request.user),
                        _("Item back in the checklist, at the end."))


urlpatterns = [
    path("checklist/", checklist, name="checklist"),
    path("checklist/<int:pk>/", checklist_item, name="checklist_item"),
    path("checklist/<int:pk>/move/", checklist_move, name="checklist_move"),
    path("checklist/<int:pk>/retire/", checklist_retire, name="checklist_retire"),
    path("checklist/<int:pk>/restore/", checklist_restore, name="checklist_restore"),
]
