"""Contests, their rounds and score items: written by the administrators and clerks of the organizer."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.text import clean_name

from ..models import Contest, ContestKind, ContestLevel, Part, Round, RoundStatus, ScoreItem, Stage
from ..numbers import decimal_of


def _clean(value: str, field: str, limit: int) -> str:
    try:
        return clean_name(value, max_length=limit)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@transaction.atomic
def create_contest(*, actor, node, name: str, trade: str, level: str, year, theory_weight, practical_weight,
                   kind: str = ContestKind.SKILLS, drop_extremes: bool = False, winner_title: str = "") -> Contest:
    """A contest of ``node``; the theory and practical weights add up to 100."""
    require(actor, "contests.contest.create", node=node)
    errors = {}
    if level not in ContestLevel.values:
        errors["level"] = [_("Choose a level from the list.")]
    if kind not in ContestKind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    try:
        year = int(year)
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = [_("Give this year, the next or a past year from 2000.")]
    weights = {}
    for field, value in (("theory_weight", theory_weight), ("practical_weight", practical_weight)):
        try:
            weights[field] = decimal_of(value, field, high=Decimal(100))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if len(weights) == 2 and weights["theory_weight"] + weights["practical_weight"] != 100:
        errors["practical_weight"] = [_("The theory and practical weights must add up to 100.")]
    try:
        name = _clean(name, "name", 100)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        trade = _clean(trade, "trade", 60)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    winner_title = (winner_title or "").strip()
    if winner_title:
        try:
            winner_title = _clean(winner_title, "winner_title", 60)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    contest = Contest.objects.create(node=node, name=name, trade=trade, level=level, kind=kind, year=year,
                                     drop_extremes=bool(drop_extremes), winner_title=winner_title,
                                     created_by=actor, **weights)
    audit("contests.contest.created", actor=actor, obj=contest, data={"level": level, "kind": kind})
    return contest


@transaction.atomic
def add_round(*, actor, contest: Contest, stage: str, held_on: datetime.date, advance_count: int = 0) -> Round:
    """Rounds go from the enterprise up to the county; a stage is held once per contest."""
    require(actor, "contests.round.create", node=contest.node)
    if stage not in Stage.values:
        raise ValidationError({"stage": [_("Choose a stage from the list.")]})
    if not isinstance(held_on, datetime.date):
        raise ValidationError({"held_on": [_("Give a date.")]})
    try:
        advance_count = int(advance_count or 0)
        if not 0 <= advance_count <= 1000:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"advance_count": [_("Give a whole number from 0 to 1000.")]}) from None
    if Round.objects.filter(contest=contest, stage=stage).exists():
        raise DomainError("stage_exists", _("This contest already has that round."), field="stage")
    round_ = Round.objects.create(contest=contest, stage=stage, held_on=held_on, advance_count=advance_count)
    audit("contests.round.created", actor=actor, obj=contest, data={"stage": stage})
    return round_


@transaction.atomic
def add_item(*, actor, contest: Contest, part: str, name: str, max_score, min_score=0) -> ScoreItem:
    """A score item of the theory or practical part, with its range; not once scoring has begun."""
    require(actor, "contests.item.create", node=contest.node)
    if part not in Part.values:
        raise ValidationError({"part": [_("Choose theory or practical.")]})
    name = _clean(name, "name", 60)
    low = decimal_of(min_score, "min_score")
    high = decimal_of(max_score, "max_score")
    if high <= low:
        raise ValidationError({"max_score": [_("The highest score must be above the lowest.")]})
    if Round.objects.filter(contest=contest).exclude(status=RoundStatus.OPEN).exists():
        raise DomainError("scoring_begun", _("Scoring has begun; the score items can no longer change."))
    if ScoreItem.objects.filter(contest=contest, name=name).exists():
        raise DomainError("item_exists", _("This contest already has an item of that name."), field="name")
    order = ScoreItem.objects.filter(contest=contest, part=part).count()
    item = ScoreItem.objects.create(contest=contest, part=part, name=name, min_score=low, max_score=high,
                                    order=order)
    audit("contests.item.created", actor=actor, obj=contest, data={"part": part})
    return item


@transaction.atomic
def start_scoring(*, actor, round_: Round) -> Round:
    """Close entries and open the judges' sheets. The contest needs items in both weighted parts."""
    contest = round_.contest
    require(actor, "contests.round.score", node=contest.node)
    round_ = Round.objects.select_for_update(of=("self",)).get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise DomainError("not_open", _("This round is no longer taking entries."))
    parts = set(ScoreItem.objects.filter(contest=contest).values_list("part", flat=True))
    needed = {p for p, w in ((Part.THEORY, contest.theory_weight), (Part.PRACTICAL, contest.practical_weight)) if w}
    if needed - parts:
        raise DomainError("no_items", _("Add the score items of every weighted part first."))
    round_.status = RoundStatus.SCORING
    round_.save(update_fields=["status"])
    audit("contests.round.scoring", actor=actor, obj=contest, data={"stage": round_.stage})
    return round_
