"""Console door of the member card: revoke every QR code issued so far (a lost phone)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required

from .. import selectors
from ..services import card as services


@cadre_required
@require_POST
def card_revoke(request, pk):
    member = selectors.access_member(pk)
    services.revoke_card(member=member, actor=request.user)
    messages.success(request, _("The card's QR codes shown so far no longer work."))
    return redirect("members:detail", pk=member.pk)


urlpatterns = [
    path("<int:pk>/card/revoke/", card_revoke, name="card_revoke"),
]
