"""Console pages of micro-wishes: the union's list, claiming for a unit, confirming with a photo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_name
from gonghui.core.uploads import file_response

from .. import selectors
from ..forms import WishActionForm
from ..models import WishStatus
from ..services import wishes as services
from .common import require_any, within


@cadre_required
def wish_list(request):
    require_any(request, "aid.wish.list")
    status = request.GET.get("status", "")
    status = status if status in WishStatus.values else ""
    page = Paginator(selectors.wish_list(status=status, within=within(request, "aid.wish.list")), 50) \
        .get_page(request.GET.get("page"))
    return render(request, "aid/wishes.html", {"page": page, "status": status, "statuses": WishStatus.choices,
                                               "rows": [(w, mask_name(w.name)) for w in page]})


@cadre_required
def wish_detail(request, pk):
    wish = selectors.access_wish(pk)
    require(request.user, "aid.wish.view", node=wish.node)
    form = WishActionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "fulfil":
                if not request.FILES.get("photo"):
                    raise ValidationError({"photo": [_("Add a photo of the wish come true.")]})
                services.fulfil_wish(wish=wish, photo=request.FILES["photo"], actor=request.user)
            else:
                services.claim_wish(wish=wish, helper=form.cleaned_data["helper"], actor=request.user)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("aid:wish", pk=wish.pk)
    return render(request, "aid/wish.html", {"w": wish, "name": mask_name(wish.name), "form": form,
                                             "can_act": allowed(request.user, "aid.wish.claim", node=wish.node)})


def wish_photo(request, pk):
    """The photo of a fulfilled wish: public like the list itself (no person in it is named)."""
    wish = selectors.wish_of_anyone(pk)
    if not wish.photo or wish.status != WishStatus.FULFILLED:
        raise Http404
    return file_response(wish.photo, content_type=wish.photo_type)


urlpatterns = [
    path("wishes/", wish_list, name="wishes"),
    path("wishes/<int:pk>/", wish_detail, name="wish"),
    path("wishes/<int:pk>/photo/", wish_photo, name="wish_photo"),
]
