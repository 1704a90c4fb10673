"""Reads of contests.

A contest is visible to the cadres of the organizer's subtree (who run it) and to those of the
unions below the organizer (who enter their enterprises), read-only for the latter. Enterprise
entries follow the entering union's subtree. A judge reaches their own sheets by account, never by
subtree, and sees an entry's number only (blind judging: no name, no enterprise).
"""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import allowed
from gonghui.core.errors import DomainError
from gonghui.core.scoping import current_tree

from . import scoring
from .models import STAGE_ORDER, Assignment, Award, Contest, Entry, Participation, Round, Score, ScoreItem


def _ancestor_paths(paths) -> set[str]:
    return {p[:i] for p in paths for i in range(4, len(p), 4)}


def visible_contests() -> QuerySet[Contest]:
    tree = current_tree()
    qs = Contest.objects.with_scopes_disabled().select_related("node")
    if tree is not None:
        qs = qs.filter(Q(node__path__within=tree) | Q(node__path__in=_ancestor_paths(tree.paths)))
    return qs


def contest_list(*, year: int | None = None, kind: str = "") -> QuerySet[Contest]:
    qs = visible_contests().annotate(round_count=Count("rounds", distinct=True))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-year", "-pk")


def access_contest(pk) -> Contest:
    try:
        return visible_contests().get(pk=pk)
    except (Contest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_run(user, contest: Contest) -> bool:
    return allowed(user, "contests.results.read", node=contest.node)


def rounds_of(contest: Contest) -> list[Round]:
    rounds = list(Round.objects.with_scopes_disabled().filter(contest=contest))
    return sorted(rounds, key=lambda r: STAGE_ORDER.index(r.stage))


def next_round(round_: Round) -> Round | None:
    later = STAGE_ORDER[STAGE_ORDER.index(round_.stage) + 1:]
    for r in rounds_of(round_.contest):
        if r.stage in later:
            return r
    return None


def access_round(pk) -> Round:
    try:
        round_ = Round.objects.with_scopes_disabled().select_related("contest__node").get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_contest(round_.contest_id)
    return round_


def items_of(contest: Contest) -> list[ScoreItem]:
    return list(ScoreItem.objects.with_scopes_disabled().filter(contest=contest))


def entered_employers(round_: Round) -> QuerySet:
    """The employers already entered in the round (a subquery of their ids, whoever entered them)."""
    return Participation.objects.with_scopes_disabled().filter(round=round_).values("employer")


def participations_of(round_: Round) -> QuerySet[Participation]:
    """The enterprises entered in the round that the cadre's scope reaches (all, for the organizer)."""
    return (Participation.objects.filter(round=round_).select_related("employer", "union")
            .annotate(entry_count=Count("entries")).order_by("pk"))


def access_participation(pk) -> Participation:
    try:
        return Participation.objects.select_related("round__contest__node", "union", "employer").get(pk=pk)
    except (Participation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def entries_of(round_: Round) -> QuerySet[Entry]:
    return (Entry.objects.filter(round=round_).select_related("participation__employer", "participation__union")
            .order_by("number"))


def access_entry(pk) -> Entry:
    try:
        return Entry.objects.select_related("round__contest__node", "participation__union").get(pk=pk)
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sheet_for(*, entry_id, judge) -> Assignment:
    """The judge's own sheet for the entry; anything else is refused the same way as a missing one."""
    sheet = (Assignment.objects.with_scopes_disabled().select_related("entry__round__contest")
             .filter(entry_id=entry_id, judge=judge).first())
    if sheet is None:
        raise DomainError("not_assigned", _("This entry is not assigned to you."))
    return sheet


def sheets_of_judge(user, *, round_id=None) -> QuerySet[Assignment]:
    qs = (Assignment.objects.with_scopes_disabled().filter(judge=user)
          .select_related("entry__round__contest").order_by("entry__round_id", "entry__number"))
    if round_id:
        qs = qs.filter(entry__round_id=round_id)
    return qs


def scores_of_sheet(sheet: Assignment) -> dict[int, object]:
    return dict(Score.objects.with_scopes_disabled().filter(assignment=sheet).values_list("item_id", "value"))


def pending_sheets(round_: Round) -> int:
    return Assignment.objects.with_scopes_disabled().filter(entry__round=round_, submitted_at__isnull=True).count()


def round_results(round_: Round) -> list[scoring.Result]:
    """Every entry's result from the submitted sheets, ranked (entries with no complete result last,
    unranked). Three queries whatever the number of entries and judges."""
    contest = round_.contest
    items = items_of(contest)
    entries = {e.pk: e for e in Entry.objects.with_scopes_disabled().filter(round=round_)
               .select_related("participation__employer", "award")}
    values = defaultdict(lambda: defaultdict(list))
    for entry_id, item_id, value in (Score.objects.with_scopes_disabled()
                                     .filter(assignment__entry__round=round_, assignment__submitted_at__isnull=False)
                                     .values_list("assignment__entry_id", "item_id", "value")):
        values[entry_id][item_id].append(value)
    results = [scoring.result_of(pk, items, values.get(pk, {}), theory_weight=contest.theory_weight,
                                 practical_weight=contest.practical_weight, drop_extremes=contest.drop_extremes)
               for pk in entries]
    ranked = scoring.rank(results)
    unranked = [r for r in results if not r.complete]
    for r in ranked + unranked:
        r.extra["entry"] = entries[r.entry_id]
    return ranked + unranked


def awards_of(contest: Contest) -> QuerySet[Award]:
    return (Award.objects.with_scopes_disabled().filter(entry__round__contest=contest)
            .select_related("entry__participation__employer", "entry__round").order_by("entry__round_id", "rank"))


def access_award(pk) -> Award:
    """An award of a contest the cadre may see (the organizer's side or the entering union's)."""
    try:
        award = Award.objects.with_scopes_disabled().select_related(
            "entry__round__contest__node", "entry__participation__employer", "entry__participation__union").get(pk=pk)
    except (Award.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    tree = current_tree()
    if tree is not None:
        paths = (award.entry.round.contest.node.path, award.entry.participation.union.path)
        if not any(p.startswith(root) for p in paths for root in tree.paths):
            raise Http404
    return award
