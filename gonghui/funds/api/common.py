"""What every part of the funds API shares: the router, the amount type, the category look-up."""

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from gonghui.core.errors import DomainError

from .. import selectors

router = Router(tags=["funds"])

# A decimal string ("20000.00") or a JSON number; services check it with money.parse_amount.
Amount = Decimal | str


def category(pk: int):
    try:
        return selectors.categories_by_id(pk)
    except Http404:
        raise DomainError("unknown_category", _("No such funds category."), field="category_id") from None
