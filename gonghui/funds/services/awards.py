"""Demonstration awards (示范创建, 以奖代补).

A union opens a yearly call with quotas per category (e.g. 50 demonstration township unions, 100
new-employment-form sites) and indicators out of 100; unions of its subtree are nominated;
scorers mark each nominee per indicator; the mean total ranks the nominees of each category and
the first ``quota`` are proposed; after publicity they are awarded, and the rewards are prepared
as payments of the organizing union, which a finance officer approves in the ledger.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import check_length
from gonghui.core.scoping import scopes_disabled
from gonghui.core.workdays import add_workdays

from .. import readings
from ..models import (
    AwardCall,
    AwardCallState,
    AwardQuota,
    Nomination,
    NominationScore,
    NominationStatus,
    PaymentStatus,
    PlanCategory,
)
from ..money import parse_amount
from ..workflow import AWARD_CALL
from . import ledger
from .ledger import _text, _year

PUBLICITY_DAYS = 5


def _lock(call: AwardCall) -> AwardCall:
    with scopes_disabled():
        return AwardCall.objects.select_for_update(of=("self",)).select_related("node", "category").get(pk=call.pk)


def _step(call: AwardCall, name: str, actor, **context) -> None:
    """Move the locked call by its declared machine (workflow.AWARD_CALL); the caller saves it."""
    AWARD_CALL.apply(call, name, permit=lambda move: require(actor, move.permission, node=call.node), **context)


def _state(call: AwardCall, state: str, what: str) -> None:
    if call.state != state:
        raise DomainError("out_of_turn", _("%(what)s is not possible now: the call is at “%(state)s”.")
                          % {"what": what, "state": AwardCallState(call.state).label})


@transaction.atomic
def create_call(*, actor, node, year, title: str, category: PlanCategory, indicators: list[dict],
                quotas: list[dict]) -> AwardCall:
    require(actor, "funds.award.create", node=node)
    year = _year(year)
    ledger._check_category(category, node, year)
    cleaned, names = [], set()
    for row in indicators:
        name = _text(row.get("name", ""), "indicators", 40)
        try:
            top = int(row.get("max"))
        except (TypeError, ValueError):
            top = 0
        if name in names or not 1 <= top <= 100:
            raise DomainError("indicator_invalid", _("Each indicator has its own name and a top mark from 1 to 100."),
                              field="indicators")
        names.add(name)
        item = {"name": name, "max": top}
        key = str(row.get("indicator") or "").strip()
        if key:  # read from statistics: the figure and the value that earns the top mark
            figure = readings.indicator(key)
            item.update(indicator=key, target=str(readings.clean_target(row.get("target"), figure)))
        cleaned.append(item)
    if sum(i["max"] for i in cleaned) != 100:
        raise DomainError("indicators_not_100", _("The top marks of the indicators must add up to 100."),
                          field="indicators")
    if not quotas:
        raise DomainError("no_quotas", _("Give at least one category with its quota."), field="quotas")
    call = AwardCall.objects.create(node=node, year=year, title=_text(title, "title"), category=category,
                                    indicators=cleaned, created_by=actor)
    seen = set()
    for row in quotas:
        name = _text(row.get("name", ""), "quotas", 60)
        try:
            quota = int(row.get("quota"))
        except (TypeError, ValueError):
            quota = 0
        if name in seen or not 1 <= quota <= 1000:
            raise DomainError("quota_invalid", _("Each category has its own name and a quota from 1 to 1000."),
                              field="quotas")
        seen.add(name)
        AwardQuota.objects.create(call=call, name=name, quota=quota, reward=parse_amount(row.get("reward"),
                                                                                          field="quotas"))
    audit("funds.award.created", actor=actor, obj=call, data={"year": year, "quotas": len(seen)})
    return call


@transaction.atomic
def nominate_for_award(*, actor, quota: AwardQuota, node, statement: str) -> Nomination:
    call = _lock(quota.call)
    require(actor, "funds.award.nominate", node=node)
    _state(call, AwardCallState.OPEN, _("Nominating"))
    if node.pk == call.node_id or not node.path.startswith(call.node.path):
        raise DomainError("not_below", _("Only unions below %(node)s can be nominated.") % {"node": call.node.name},
                          field="node")
    text = (statement or "").strip()
    if not text:
        raise DomainError("required", _("This field is required."), field="statement")
    check_length(Nomination, "statement", text)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(quota=quota, node=node, statement=text, nominated_by=actor)
    except IntegrityError:
        raise DomainError("nominated_twice", _("%(node)s is already nominated in this category.")
                          % {"node": node.name}, field="node") from None
    audit("funds.award.nominated", actor=actor, obj=nomination, data={"call": call.pk, "node": node.pk})
    return nomination


@transaction.atomic
def close_nominations(*, actor, call: AwardCall) -> AwardCall:
    call = _lock(call)
    _step(call, "close_nominations", actor)
    read = _read_indicators(call)
    call.save(update_fields=["state"])
    audit("funds.award.scoring", actor=actor, obj=call, data={"read": read})
    return call


def _read_indicators(call: AwardCall, today: datetime.date | None = None) -> int:
    """Fill the score sheet's indicators that come from statistics, for every nominee at once (the
    same day for all): the figure of the nominee's subtree in the call's year, and its mark."""
    if not call.read_indicators:
        return 0
    with scopes_disabled():
        nominations = list(Nomination.objects.filter(quota__call=call).select_related("node"))
    for n in nominations:
        n.readings = readings.read_for(n.node, indicators=call.read_indicators, year=call.year, today=today)
        n.save(update_fields=["readings"])
    return len(nominations)


def _reading_total(nomination: Nomination) -> Decimal:
    return sum((Decimal(r["mark"]) for r in nomination.readings.values()), Decimal(0))


@transaction.atomic
def score_nomination(*, actor, nomination: Nomination, scorer: str, marks: dict) -> NominationScore:
    """Marks per indicator, each from 0 to the indicator's top mark; every marked indicator marked, none
    of those read from statistics (their marks, read when scoring started, are added to the total)."""
    call = _lock(nomination.quota.call)
    require(actor, "funds.award.score", node=call.node)
    _state(call, AwardCallState.SCORING, _("Recording marks"))
    scorer = _text(scorer, "scorer", 50)
    read = {i["name"] for i in call.read_indicators} & set(marks)
    if read:
        raise DomainError("indicator_read", _("“%(name)s” is read from statistics, not marked by scorers.")
                          % {"name": sorted(read)[0]}, field="marks")
    tops = {i["name"]: Decimal(i["max"]) for i in call.marked_indicators}
    unknown = set(marks) - set(tops)
    if unknown or set(tops) - set(marks):
        raise DomainError("marks_incomplete", _("Mark every indicator of the call, and only those."), field="marks")
    clean, total = {}, Decimal(0)
    for name, top in tops.items():
        try:
            value = Decimal(str(marks[name]).strip())
        except (InvalidOperation, ValueError):
            value = Decimal(-1)
        if not value.is_finite() or not 0 <= value <= top or value != value.quantize(Decimal("0.1")):
            raise DomainError("score_out_of_scale", _("“%(name)s” is marked from 0 to %(top)s.")
                              % {"name": name, "top": top}, field="marks")
        clean[name], total = str(value), total + value
    nomination.refresh_from_db(fields=["readings"])
    for name, reading in nomination.readings.items():  # the figures read when scoring started
        clean[name], total = reading["mark"], total + Decimal(reading["mark"])
    try:
        with transaction.atomic():
            item = NominationScore.objects.create(nomination=nomination, scorer=scorer, marks=clean, total=total,
                                                  recorded_by=actor)
    except IntegrityError:
        raise DomainError("scored_twice", _("%(name)s has already scored this nominee.") % {"name": scorer},
                          field="scorer") from None
    audit("funds.award.scored", actor=actor, obj=nomination, data={"scorer": scorer, "total": str(total)})
    return item


@transaction.atomic
def rank_nominations(*, actor, call: AwardCall, on: datetime.date | None = None) -> AwardCall:
    """Rank each category by the mean total; the first ``quota`` go into publicity."""
    call = _lock(call)
    _step(call, "rank", actor)
    with scopes_disabled():
        nominations = list(Nomination.objects.filter(quota__call=call).select_related("quota", "node")
                           .annotate(mean=Avg("scores__total")))
    if not call.marked_indicators:  # every indicator read from statistics: no scorer needed
        for n in nominations:
            n.mean = _reading_total(n)
    unscored = [n.node.name for n in nominations if n.mean is None]
    if unscored:
        raise DomainError("unscored", _("Not scored yet: %(names)s.") % {"names": "、".join(unscored[:5])})
    by_quota: dict[int, list[Nomination]] = {}
    for n in nominations:
        by_quota.setdefault(n.quota_id, []).append(n)
    for group in by_quota.values():
        group.sort(key=lambda n: (-n.mean, n.pk))
        for position, n in enumerate(group, start=1):
            n.total, n.rank = Decimal(n.mean).quantize(Decimal("0.01")), position
            n.status = NominationStatus.SHORTLISTED if position <= n.quota.quota else NominationStatus.NOT_SELECTED
            n.save(update_fields=["total", "rank", "status"])
    call.publicity_until = add_workdays(on or timezone.localdate(), PUBLICITY_DAYS)
    call.save(update_fields=["state", "publicity_until"])
    audit("funds.award.ranked", actor=actor, obj=call, data={"nominations": len(nominations)})
    return call


@transaction.atomic
def grant_awards(*, actor, call: AwardCall, on: datetime.date | None = None) -> AwardCall:
    call = _lock(call)
    _step(call, "award", actor, on=on or timezone.localdate())
    with scopes_disabled():
        Nomination.objects.filter(quota__call=call, status=NominationStatus.SHORTLISTED).update(
            status=NominationStatus.AWARDED)
    call.save(update_fields=["state"])
    audit("funds.award.awarded", actor=actor, obj=call)
    return call


@transaction.atomic
def pay_rewards(*, actor, call: AwardCall) -> list:
    """Prepare one reward payment per awarded nominee (those not yet paid or waiting)."""
    call = _lock(call)
    _state(call, AwardCallState.AWARDED, _("Paying the rewards"))
    payments = []
    with scopes_disabled():
        awarded = list(Nomination.objects.filter(quota__call=call, status=NominationStatus.AWARDED)
                       .exclude(payments__status__in=[PaymentStatus.PREPARED, PaymentStatus.PAID])
                       .select_related("quota", "node"))
    for n in awarded:
        payments.append(ledger.prepare_payment(
            node=call.node, year=call.year, category=call.category, amount=n.quota.reward, payee_node=n.node,
            nomination=n, actor=actor, purpose=_("Award: %(title)s · %(category)s") % {"title": call.title,
                                                                                      "category": n.quota.name}))
    return payments
