"""Results, awards and titles.

``award_round`` publishes a round once every judge's sheet is submitted: the ranking of
``scoring.rank`` (ties share a rank), the first, second and third prizes by rank (entries sharing a
rank share the prize), the qualifiers copied into the next round, and — in the final of a county or
city contest that gives a title — the title of the first-prize winners entered in the model-worker
register (``modelworkers.services.grant_title``). One transaction: all of it or nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.modelworkers import services as modelworkers
from gonghui.modelworkers.models import HonourLevel

from .. import selectors
from ..models import Award, AwardTier, ContestLevel, Round, RoundStatus
from ..scoring import tier_for
from . import entries

TITLE_LEVELS = {ContestLevel.COUNTY: HonourLevel.COUNTY, ContestLevel.CITY: HonourLevel.CITY}
STAGE_CODES = {"enterprise": "E", "township": "T", "county": "C"}


def _count(value, field: str) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= 1000:
        raise DomainError("places", _("Give the number of prizes as a whole number from 0 to 1000."), field=field)
    return value


@transaction.atomic
def award_round(*, actor, round_: Round, first=1, second=2, third=3) -> list[Award]:
    contest = round_.contest
    require(actor, "contests.round.award", node=contest.node)
    first, second, third = _count(first, "first"), _count(second, "second"), _count(third, "third")
    round_ = Round.objects.select_for_update(of=("self",)).select_related("contest__node").get(pk=round_.pk)
    if round_.status != RoundStatus.SCORING:
        raise DomainError("not_scoring", _("Only a round being scored can have its results published."))
    pending = selectors.pending_sheets(round_)
    if pending:
        raise DomainError("sheets_pending", _("%(n)d judges' sheets are not submitted yet.") % {"n": pending})
    results = selectors.round_results(round_)
    unscored = [r for r in results if not r.complete]
    if unscored:
        raise DomainError("unscored", _("%(n)d entries have no complete scores yet.") % {"n": len(unscored)})
    following = selectors.next_round(round_) if round_.advance_count else None
    if round_.advance_count and (following is None or following.status != RoundStatus.OPEN):
        raise DomainError("no_next_round", _("Add the next round (taking entries) before publishing: the "
                                             "qualifiers are entered in it."))
    awards = []
    title_level = TITLE_LEVELS.get(contest.level)
    code = STAGE_CODES[round_.stage]
    for result in results:
        entry = result.extra["entry"]
        tier = tier_for(result.rank, first=first, second=second, third=third)
        if tier:
            serial = f"JS{contest.year}-{contest.pk:04d}-{code}{len(awards) + 1:03d}"
            title = contest.winner_title if (tier == AwardTier.FIRST and not following and contest.winner_title
                                             and title_level) else ""
            award = Award.objects.create(entry=entry, tier=tier, rank=result.rank, total=result.total, serial=serial,
                                         title=title)
            if title:
                modelworkers.grant_title(node=contest.node, name=entry.name, level=title_level, title=title,
                                         year=contest.year, contest_award=award.pk, member=entry.member,
                                         employer=entry.participation.employer, occupation=contest.trade)
            awards.append(award)
        if following is not None and result.rank <= round_.advance_count:
            entries.advance_entry(entry=entry, to=following)
    round_.status = RoundStatus.AWARDED
    round_.awarded_at = timezone.now()
    round_.save(update_fields=["status", "awarded_at"])
    audit("contests.round.awarded", actor=actor, obj=contest,
          data={"stage": round_.stage, "awards": len(awards), "ranked": len(results)})
    return awards
