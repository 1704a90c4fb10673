"""Judges and their sheets. A judge sees and scores only the entries assigned to them; a score
outside its item's range is refused; a sheet is locked once submitted (a correction needs the
organizer to reopen it, which is recorded). Judges are cadre accounts; the organizer assigns them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError

from ..models import Assignment, Entry, Round, RoundStatus, Score, ScoreItem
from ..numbers import decimal_of
from ..selectors import sheet_for


@transaction.atomic
def assign_judge(*, actor, entry: Entry, judge) -> Assignment:
    contest = entry.round.contest
    require(actor, "contests.judge.assign", node=contest.node)
    if not judge.is_active:
        raise DomainError("inactive", _("That account is deactivated."), field="judge")
    if entry.round.status == RoundStatus.AWARDED:
        raise DomainError("awarded", _("The results of this round are published."))
    assignment, created = Assignment.objects.get_or_create(entry=entry, judge=judge)
    if created:
        audit("contests.judge.assigned", actor=actor, obj=contest, data={"entry": entry.pk, "judge": judge.pk})
    return assignment


def _locked_sheet(sheet: Assignment) -> Assignment:
    sheet = Assignment.objects.with_scopes_disabled().select_for_update(of=("self",)).select_related(
        "entry__round__contest").get(pk=sheet.pk)
    if sheet.entry.round.status != RoundStatus.SCORING:
        raise DomainError("not_scoring", _("This round is not being scored."))
    if sheet.submitted_at is not None:
        raise DomainError("submitted", _("Your scores for this entry are submitted and locked."))
    return sheet


@transaction.atomic
def save_scores(*, actor, entry_id, values: dict) -> Assignment:
    """Scores by item id; all are checked before any is written."""
    sheet = _locked_sheet(sheet_for(entry_id=entry_id, judge=actor))
    items = {i.pk: i for i in ScoreItem.objects.with_scopes_disabled().filter(contest=sheet.entry.round.contest)}
    clean = {}
    errors = []
    for key, raw in (values or {}).items():
        try:
            item = items[int(key)]
        except (KeyError, TypeError, ValueError):
            raise DomainError("unknown_item", _("Unknown score item %(item)s.") % {"item": key}) from None
        try:
            clean[item.pk] = decimal_of(raw, str(item.pk), low=item.min_score, high=item.max_score)
        except ValidationError:  # the message names the item and its range
            errors.append(_("%(item)s: give a score from %(low)s to %(high)s.")
                          % {"item": item.name, "low": item.min_score, "high": item.max_score})
    if errors:
        raise DomainError("out_of_range", " ".join(errors))
    for item_id, value in clean.items():
        Score.objects.with_scopes_disabled().update_or_create(assignment=sheet, item_id=item_id,
                                                              defaults={"value": value})
    audit("contests.scores.saved", actor=actor, obj=sheet.entry.round.contest,
          data={"entry": sheet.entry_id, "items": len(clean)})
    return sheet


@transaction.atomic
def submit_sheet(*, actor, entry_id) -> Assignment:
    """Lock the sheet; every item must have a score."""
    sheet = _locked_sheet(sheet_for(entry_id=entry_id, judge=actor))
    items = ScoreItem.objects.with_scopes_disabled().filter(contest=sheet.entry.round.contest).count()
    if Score.objects.with_scopes_disabled().filter(assignment=sheet).count() < items:
        raise DomainError("incomplete", _("Score every item before submitting."))
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at"])
    audit("contests.scores.submitted", actor=actor, obj=sheet.entry.round.contest, data={"entry": sheet.entry_id})
    return sheet


@transaction.atomic
def reopen_sheet(*, actor, sheet: Assignment, reason: str) -> Assignment:
    """The organizer reopens a submitted sheet for a correction (before the results are published)."""
    contest = sheet.entry.round.contest
    require(actor, "contests.judge.reopen", node=contest.node)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise DomainError("reason", _("Give the reason for reopening, at most 200 characters."), field="reason")
    round_ = Round.objects.select_for_update(of=("self",)).get(pk=sheet.entry.round_id)
    if round_.status != RoundStatus.SCORING:
        raise DomainError("not_scoring", _("This round is not being scored."))
    sheet.submitted_at = None
    sheet.save(update_fields=["submitted_at"])
    audit("contests.scores.reopened", actor=actor, obj=contest, data={"entry": sheet.entry_id, "judge": sheet.judge_id})
    return sheet
