"""The register of model workers and craftsmen: entries, honours, one member linked once, the care of
the year (visits, check-ups, recuperation places, hardship help through the aid module), and the
figures statistics reads. Refused input changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from gonghui.aid.services import hardship
from gonghui.core.errors import DomainError
from gonghui.core.indicators import Period
from gonghui.modelworkers import selectors, services
from gonghui.modelworkers.models import Care, Honour, ModelWorker
from gonghui.orgs.models import Node
from gonghui.stats import selectors as stats
from tests.factories import resident_id
from tests.scope_kit import _member

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def person(tree, unscoped):
    return services.register_person(node=tree.b, actor=tree.user("b_admin"), name="朱美娟", level="city",
                                    title="湖州市劳动模范", year=2021, occupation="挡车工")


def test_the_highest_honour_gives_the_level(tree, person):
    services.add_honour(person=person, actor=tree.user("b_admin"), level="provincial", title="浙江省劳动模范", year=2024)
    services.add_honour(person=person, actor=tree.user("b_admin"), level="county", title="青山县技术能手", year=2019,
                        kind="technical_expert")
    person.refresh_from_db()
    assert person.level == "provincial" and person.honours.count() == 3


def test_the_same_title_twice_in_a_year_is_refused(tree, person):
    with pytest.raises(DomainError):
        services.add_honour(person=person, actor=tree.user("b_admin"), level="city", title="湖州市劳动模范", year=2021)
    assert Honour.objects.count() == 1


def test_a_member_already_linked_is_refused(tree, person):
    member = _member(tree, tree.c)
    services.link_member(person=person, actor=tree.user("b_admin"), member=member)
    other = services.register_person(node=tree.b, actor=tree.user("b_admin"), name="钱志华", level="provincial",
                                     title="浙江工匠", year=2023, kind="craftsman")
    with pytest.raises(DomainError) as exc:
        services.link_member(person=other, actor=tree.user("b_admin"), member=member)
    assert exc.value.code == "member_linked" and "朱美娟" in exc.value.message
    other.refresh_from_db()
    assert other.member_id is None
    with pytest.raises(DomainError):
        services.register_person(node=tree.b, actor=tree.user("b_admin"), name="孙德明", level="county",
                                 title="青山县劳动模范", year=2018, member=member)
    assert ModelWorker.objects.count() == 2


def test_a_sibling_township_cannot_write_our_register(tree, person):
    with pytest.raises(PermissionDenied):
        services.record_care(person=person, actor=tree.user("d_admin"), kind="visit", on=DAY)
    with pytest.raises(PermissionDenied):
        services.register_person(node=tree.b, actor=tree.user("b_viewer"), name="孙德明", level="county",
                                 title="青山县劳动模范", year=2018)
    assert not Care.objects.exists()


def test_care_of_the_year_and_its_limits(tree, person, clock):
    clock.move_to("2026-06-01T10:00")
    services.record_care(person=person, actor=tree.user("b_admin"), kind="visit", on=DAY, notes="春节前走访")
    with pytest.raises(ValidationError):
        services.record_care(person=person, actor=tree.user("b_admin"), kind="visit", on=datetime.date(2026, 7, 1))
    with pytest.raises(ValidationError):
        services.record_care(person=person, actor=tree.user("b_admin"), kind="visit", on=DAY, notes="长" * 201)
    with pytest.raises(ValidationError):
        services.record_care(person=person, actor=tree.user("b_admin"), kind="hardship", on=DAY)
    services.set_status(person=person, actor=tree.user("b_admin"), status="deceased")
    with pytest.raises(DomainError):
        services.record_care(person=person, actor=tree.user("b_admin"), kind="checkup", on=DAY)
    assert Care.objects.count() == 1


def test_recuperation_places_are_limited(tree, person):
    trip = services.create_trip(node=tree.b, actor=tree.user("b_admin"), name="劳模疗休养", place="安吉",
                                starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 9, 5), places=1)
    services.give_place(trip=trip, person=person, actor=tree.user("b_admin"))
    with pytest.raises(DomainError) as exc:
        services.give_place(trip=trip, person=person, actor=tree.user("b_admin"))
    assert exc.value.code == "already_going"
    other = services.register_person(node=tree.b, actor=tree.user("b_admin"), name="钱志华", level="provincial",
                                     title="浙江工匠", year=2023)
    with pytest.raises(DomainError) as exc:
        services.give_place(trip=trip, person=other, actor=tree.user("b_admin"))
    assert exc.value.code == "trip_full"
    assert [c.person.name for c in selectors.trip_participants(trip)] == ["朱美娟"]


def test_hardship_help_goes_through_the_persons_aid_file(tree, person, clock):
    clock.move_to("2026-06-01T10:00")
    file = hardship.register_file(node=tree.b, actor=tree.user("b_admin"), name="朱美娟",
                                  id_number=resident_id("19700101", 77), cause="illness", level="relative",
                                  household_size=3, income_per_head=Decimal("800"))
    other = hardship.register_file(node=tree.b, actor=tree.user("b_admin"), name="王建国",
                                   id_number=resident_id("19700101", 78), cause="illness", level="relative",
                                   household_size=3, income_per_head=Decimal("800"))
    with pytest.raises(DomainError):
        services.record_hardship_help(person=person, actor=tree.user("b_admin"), hardship_file=other, amount="500",
                                      on=DAY)
    for bad in ("-1", "0.001", 10.5):
        with pytest.raises(ValidationError):
            services.record_hardship_help(person=person, actor=tree.user("b_admin"), hardship_file=file, amount=bad,
                                          on=DAY)
    care = services.record_hardship_help(person=person, actor=tree.user("b_admin"), hardship_file=file,
                                         amount="2000", on=DAY)
    assert care.aid_file == file.pk and care.amount == Decimal("2000") and care.kind == "hardship"
    assert Care.objects.count() == 1


def test_figures_count_people_by_level_and_care_in_the_period(tree, person, clock):
    clock.move_to("2026-06-01T10:00")
    services.record_care(person=person, actor=tree.user("b_admin"), kind="visit", on=DAY)
    services.record_care(person=person, actor=tree.user("b_admin"), kind="visit", on=DAY)  # the same person twice
    services.register_person(node=tree.d, actor=tree.user("d_admin"), name="孙德明", level="county",
                             title="青山县劳动模范", year=2018, status="deceased")
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year")
    with scopes_disabled():
        figures = stats.evaluate_node(Node.objects.get(pk=tree.a.pk), period)
        rows = {bd.key: {v: n for v, _l, n in found} for bd, found in stats.breakdowns(Node.objects.get(
            pk=tree.a.pk), period)}
    assert figures["modelworkers.people"] == 1 and figures["modelworkers.visited"] == 1
    assert rows["modelworkers.by_level"] == {"city": 1}


def test_an_honour_title_over_the_fields_limit_is_refused_with_the_limit_named(tree, person):
    from django.utils import translation

    from gonghui.core.limits import limit_of

    limit = limit_of(Honour, "title")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.add_honour(person=person, actor=tree.user("b_admin"), level="provincial", title="模" * (limit + 1),
                            year=2024)
    assert f"不能超过 {limit} 个字符" in refused.value.message_dict["title"][0]
    assert Honour.objects.count() == 1
