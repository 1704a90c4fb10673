"""What every part of the funds API shares: the router, the amount type, the category look-up."""

from typing import Annotated, Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import WithJsonSchema

from gonghui.core.errors import DomainError
from gonghui.core.money import exact_or_refused
from gonghui.core.schemas import checked

from .. import selectors

router = Router(tags=["funds"])

# A decimal string ("20000.00") or a whole number of yuan; a JSON number with a fraction is refused
# at the door (it is no longer exact), the rest is checked by the services with money.parse_amount.
Amount = Annotated[Any, checked(exact_or_refused),
                   WithJsonSchema({"type": ["string", "integer"], "examples": ["20000.00", 20000]})]


def category(pk: int):
    try:
        return selectors.categories_by_id(pk)
    except Http404:
        raise DomainError("unknown_category", _("No such funds category."), field="category_id") from None
