"""Micro-wishes (微心愿): a member posts a small wish, a unit or donor claims it, a photo confirms it.

The public list shows masked names only. The worker who posted a wish may withdraw it while it is
open; the union's clerks (or the donor who claimed it) confirm fulfilment with a photo.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.core.notify import notify
from gonghui.core.text import clean_line, clean_name
from gonghui.core.uploads import IMAGE, check_upload, store

from ..models import Wish, WishKind, WishStatus
from ..money import parse_amount

MAX_WISH = "2000"  # a micro-wish is small; bigger needs go through a programme


def post_wish(*, member, worker, title: str, kind: str, amount=None, item: str = "", story: str = "") -> Wish:
    if member is None or not member.is_active:
        raise DomainError("not_member", _("Micro-wishes are for union members; join your union first."))
    errors = {}
    try:
        title = clean_name(title or "", max_length=limit_of(Wish, "title"))
    except ValidationError as exc:
        errors["title"] = exc.messages
    if kind not in WishKind.values:
        errors["kind"] = [_("Say whether you wish for money or an item.")]
    value = None
    if kind == WishKind.MONEY:
        try:
            from decimal import Decimal

            value = parse_amount(amount, field="amount", maximum=Decimal(MAX_WISH))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif kind == WishKind.ITEM:
        try:
            item = clean_name(item or "", max_length=limit_of(Wish, "item"))
        except ValidationError as exc:
            errors["item"] = exc.messages
    story = clean_line(story, Wish, "story") if (story or "").strip() else ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        open_count = Wish.objects.with_scopes_disabled().filter(worker=worker, status=WishStatus.OPEN).count()
        if open_count >= 3:
            raise DomainError("too_many_wishes", _("You already have three open wishes."))
        wish = Wish.objects.create(node=member.node, worker=worker, name=member.name, title=title, story=story,
                                   kind=kind, amount=value, item=item if kind == WishKind.ITEM else "")
        audit("aid.wish.posted", actor=worker, obj=wish)
    return wish


def _lock(wish: Wish) -> Wish:
    return (Wish.objects.with_scopes_disabled().select_for_update(of=("self",)).select_related("worker")
            .get(pk=wish.pk))


@transaction.atomic
def claim_wish(*, actor=None, wish: Wish, helper: str, worker=None) -> Wish:
    """A unit (entered by a clerk) or a donor (a worker on the phone) takes the wish on."""
    if actor is not None:
        require(actor, "aid.wish.claim", node=wish.node)
    try:
        helper = clean_name(helper or "", max_length=limit_of(Wish, "helper"))
    except ValidationError as exc:
        raise ValidationError({"helper": exc.messages}) from None
    wish = _lock(wish)
    if wish.status != WishStatus.OPEN:
        raise DomainError("wish_taken", _("Someone has already taken this wish on — thank you all the same."))
    if worker is not None and wish.worker_id == worker.pk:
        raise DomainError("own_wish", _("You cannot take on your own wish."))
    wish.status, wish.helper, wish.helper_worker, wish.claimed_at = WishStatus.CLAIMED, helper, worker, timezone.now()
    wish.save(update_fields=["status", "helper", "helper_worker", "claimed_at"])
    audit("aid.wish.claimed", actor=actor or worker, obj=wish, data={"helper": helper})
    if wish.worker_id:
        notify(phone=wish.worker.phone, text=_("Good news: %(helper)s will make your wish “%(title)s” come true.")
               % {"helper": helper, "title": wish.title}, kind="wish_claimed",
               params={"helper": helper, "title": wish.title})
    return wish


@transaction.atomic
def fulfil_wish(*, actor=None, wish: Wish, photo, worker=None) -> Wish:
    """Confirm with a photo: a clerk of the union, or the donor who claimed it."""
    if actor is not None:
        require(actor, "aid.wish.fulfil", node=wish.node)
    checked = check_upload(photo, kinds=(IMAGE,), field="photo")
    wish = _lock(wish)
    if worker is not None and wish.helper_worker_id != worker.pk:
        raise DomainError("not_yours", _("Only the helper who took the wish on can confirm it."))
    if wish.status != WishStatus.CLAIMED:
        raise DomainError("wish_not_claimed", _("Only a wish that has been taken on can be confirmed."))
    wish.photo = store(checked.content, folder="aid/wishes", extension=checked.extension)
    wish.photo_type = checked.content_type
    wish.status, wish.fulfilled_at = WishStatus.FULFILLED, timezone.now()
    wish.save(update_fields=["photo", "photo_type", "status", "fulfilled_at"])
    audit("aid.wish.fulfilled", actor=actor or worker, obj=wish)
    return wish


@transaction.atomic
def withdraw_wish(*, wish: Wish, worker) -> Wish:
    wish = _lock(wish)
    if wish.worker_id != worker.pk:
        raise DomainError("not_yours", _("This is not your wish."))
    if wish.status != WishStatus.OPEN:
        raise DomainError("wish_taken", _("Someone has already taken this wish on — thank you all the same."))
    wish.status = WishStatus.WITHDRAWN
    wish.save(update_fields=["status"])
    audit("aid.wish.withdrawn", actor=worker, obj=wish)
    return wish
