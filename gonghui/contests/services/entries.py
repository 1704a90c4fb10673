"""Enterprises and their workers enter a round through the enterprise's union.

The union's administrators and clerks (or those of a union above it) enter; the union must lie in
the organizer's subtree; an employer enters a round once (checked for the message, and a unique
index for two clerks at the same moment); entries close when scoring starts.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.text import clean_person_name

from ..models import Entry, Participation, Round, RoundStatus


def _refused_twice(round_: Round, employer) -> DomainError:
    return DomainError("entered_twice", _("%(employer)s is already entered in this round.")
                       % {"employer": employer.name}, field="employer")


@transaction.atomic
def enter_enterprise(*, actor, round_: Round, employer) -> Participation:
    union = employer.union
    if union is None:
        raise DomainError("no_union", _("%(employer)s has no union; an enterprise enters through its union.")
                          % {"employer": employer.name}, field="employer")
    require(actor, "contests.entry.create", node=union)
    contest = round_.contest
    if not union.path.startswith(contest.node.path):
        raise DomainError("outside", _("This union is outside the organizer's area."), field="employer")
    round_ = Round.objects.select_for_update(of=("self",)).get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise DomainError("not_open", _("This round is no longer taking entries."))
    if Participation.objects.with_scopes_disabled().filter(round=round_, employer=employer).exists():
        raise _refused_twice(round_, employer)
    try:
        with transaction.atomic():
            participation = Participation.objects.create(round=round_, union=union, employer=employer,
                                                         entered_by=actor)
    except IntegrityError:
        raise _refused_twice(round_, employer) from None
    audit("contests.enterprise.entered", actor=actor, obj=contest, node=union,
          data={"round": round_.pk, "employer": employer.pk})
    return participation


def _next_number(round_: Round) -> int:
    last = Entry.objects.with_scopes_disabled().filter(round=round_).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


@transaction.atomic
def enter_worker(*, actor, participation: Participation, name: str, member=None) -> Entry:
    """A worker of the entered enterprise; a member record, if given, must be of the entering union."""
    require(actor, "contests.entry.create", node=participation.union)
    round_ = Round.objects.select_for_update(of=("self",)).get(pk=participation.round_id)
    if round_.status != RoundStatus.OPEN:
        raise DomainError("not_open", _("This round is no longer taking entries."))
    try:
        name = clean_person_name(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from None
    if member is not None:
        if not member.node.path.startswith(participation.union.path):
            raise DomainError("other_union", _("That member belongs to another union."), field="member")
        if Entry.objects.with_scopes_disabled().filter(round=round_, member=member).exists():
            raise DomainError("worker_twice", _("%(name)s is already entered in this round.") % {"name": name},
                              field="member")
    entry = Entry.objects.create(participation=participation, round=round_, number=_next_number(round_),
                                 name=name, member=member)
    audit("contests.worker.entered", actor=actor, obj=round_.contest, node=participation.union,
          data={"entry": entry.pk, "linked": member is not None})
    return entry


@transaction.atomic
def withdraw_entry(*, actor, entry: Entry) -> None:
    require(actor, "contests.entry.withdraw", node=entry.participation.union)
    round_ = Round.objects.select_for_update(of=("self",)).get(pk=entry.round_id)
    if round_.status != RoundStatus.OPEN:
        raise DomainError("not_open", _("This round is no longer taking entries."))
    audit("contests.worker.withdrawn", actor=actor, obj=round_.contest, node=entry.participation.union,
          data={"entry": entry.pk})
    entry.delete()


def advance_entry(*, entry: Entry, to: Round) -> Entry:
    """The system path of a qualifier into the next round (awards.award_round calls it)."""
    participation, _created = Participation.objects.with_scopes_disabled().get_or_create(
        round=to, employer_id=entry.participation.employer_id,
        defaults={"union_id": entry.participation.union_id})
    return Entry.objects.create(participation=participation, round=to, number=_next_number(to), name=entry.name,
                                member=entry.member, came_from=entry)
