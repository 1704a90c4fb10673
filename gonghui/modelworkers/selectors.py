"""Reads of the model-worker register, inside the cadre's subtree (the union keeping the record)."""


from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from .models import Allowance, Care, CareKind, Honour, ModelWorker, RecuperationTrip


def _year_q(kind: str, year: int) -> Q:
    return Q(kind=kind, on__year=year)


def person_list(*, year: int, level: str = "", status: str = "", query: str = "", node=None) -> QuerySet[ModelWorker]:
    """The register with this year's care as flags (visited, checked up, recuperated, helped)."""
    qs = ModelWorker.objects.select_related("node")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(employer_name__icontains=query))
    flags = {f"had_{kind}": Exists(Care.objects.with_scopes_disabled().filter(
        person=OuterRef("pk"), kind=kind, on__year=year)) for kind in CareKind.values}
    return qs.annotate(honour_count=Count("honours"), **flags).order_by("name", "pk")


def access_person(pk) -> ModelWorker:
    try:
        return ModelWorker.objects.select_related("node", "member", "employer").get(pk=pk)
    except (ModelWorker.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def honours_of(person: ModelWorker) -> list[Honour]:
    return list(Honour.objects.filter(person=person))


def care_of(person: ModelWorker) -> list[Care]:
    return list(Care.objects.filter(person=person).select_related("trip"))


def allowances_of(person: ModelWorker) -> list[Allowance]:
    """The person's special allowances with their aid application (programme, status, amounts) and the
    net amount paid in the aid ledger (payments minus reversals). One query."""
    return list(Allowance.objects.filter(person=person)
                .select_related("application__programme")
                .annotate(paid=Sum("application__ledger__amount")).order_by("-created_at", "-pk"))


def allowance_programmes() -> list:
    """Open aid programmes the cadre sees (their union's or one above) that an allowance can be paid
    through: not medical mutual aid or micro-wishes, which have their own forms."""
    from gonghui.aid import selectors as aid

    return list(aid.visible_programmes().filter(is_open=True).exclude(kind__in=("medical_mutual_aid", "micro_wish"))
                .order_by("-year", "name"))


def allowances_paid(*, year: int, node=None) -> dict:
    """People paid a special allowance in the year (net of reversals above zero) and the net sum."""
    qs = Allowance.objects.filter(application__ledger__paid_on__year=year)
    if node is not None:
        qs = qs.filter(person__node__path__startswith=node.path)
    rows = list(qs.values("person").annotate(net=Sum("application__ledger__amount")).values_list("person", "net"))
    return {"people": len({person for person, net in rows if net > 0}), "paid": sum((net for _, net in rows), 0)}


def trip_list() -> QuerySet[RecuperationTrip]:
    return RecuperationTrip.objects.select_related("node").annotate(taken=Count("participants")).order_by("-starts_on")


def access_trip(pk) -> RecuperationTrip:
    try:
        return trip_list().get(pk=pk)
    except (RecuperationTrip.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def trip_participants(trip: RecuperationTrip) -> QuerySet[Care]:
    return Care.objects.filter(trip=trip).select_related("person").order_by("person__name")


def year_summary(*, year: int, node=None) -> dict:
    """Counts for the register's head: people by level, and this year's care (one query each)."""
    people = ModelWorker.objects.exclude(status="deceased")
    care = Care.objects.filter(on__year=year)
    if node is not None:
        people = people.filter(node__path__startswith=node.path)
        care = care.filter(person__node__path__startswith=node.path)
    by_level = dict(people.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    care = care.values("kind").annotate(n=Count("person", distinct=True))
    return {"by_level": by_level, "care": {row["kind"]: row["n"] for row in care}, "total": sum(by_level.values()),
            "allowances": allowances_paid(year=year, node=node)}


def this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year




def team_memberships(people) -> dict[int, list[str]]:
    """Person pk → names of the model-worker and craftsman volunteer teams (activities' teams marked
    so) the person is in now, through their member record. One query. Activities sits beside this
    module in the layers, so the teams are reached through the union that keeps them."""
    from gonghui.orgs.models import Node

    by_member = {p.member_id: p.pk for p in people if p.member_id}
    if not by_member:
        return {}
    rows = (Node.objects.filter(volunteer_teams__model_workers=True,
                                volunteer_teams__volunteers__member_id__in=list(by_member),
                                volunteer_teams__volunteers__left_on__isnull=True)
            .values_list("volunteer_teams__volunteers__member_id", "volunteer_teams__name")
            .order_by("volunteer_teams__name").distinct())
    out: dict[int, list[str]] = {}
    for member_id, name in rows:
        names = out.setdefault(by_member[member_id], [])
        if name not in names:
            names.append(name)
    return out
