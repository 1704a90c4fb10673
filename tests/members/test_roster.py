"""Roster writes: validation from the ID number, one active membership, leaving and reinstating."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core.audit import verify_chain
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.members.models import Member, MemberEvent, MemberStatus
from gonghui.members.services import roster
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


def add(tree, node=None, user="b_clerk", **overrides):
    fields = {"name": "王建国", "id_number": resident_id("19880512", 137), "phone": "+86 139-1234-5678",
              "employment_form": "contract", "joined_on": datetime.date(2024, 3, 1)}
    fields.update(overrides)
    with scopes_disabled():
        return roster.create_member(node=node or tree.c, actor=tree.user(user), **fields)


def test_birth_date_and_gender_come_from_the_id_number(tree):
    member = add(tree)
    assert member.birth_date == datetime.date(1988, 5, 12)
    assert member.gender == "M"  # 17th digit 3 is odd
    assert member.phone == "13912345678" and member.phone_tail == "5678"
    assert len(member.card_number) == 16 and member.card_number.startswith("330521")


def test_stated_gender_that_contradicts_the_id_is_refused_in_chinese(tree):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        add(tree, gender="F")
    assert "性别与身份证号码不符" in str(exc.value.message_dict["gender"])
    with scopes_disabled():
        assert not Member.objects.exists()


@pytest.mark.parametrize("field, value", [
    ("id_number", "33052119880512137"),        # 17 characters
    ("id_number", resident_id("19880512", 137)[:-1] + "0"),  # wrong check digit
    ("id_number", "330521198802301370"),       # 30 February
    ("phone", "12912345678"),                  # no such mobile prefix
    ("name", "王<script>"),
    ("name", "王建国2"),
    ("joined_on", datetime.date(2999, 1, 1)),
    ("employment_form", "slave"),
])
def test_bad_input_changes_nothing(tree, field, value):
    with pytest.raises(ValidationError):
        add(tree, **{field: value})
    with scopes_disabled():
        assert not Member.objects.exists()
        assert not MemberEvent.objects.exists()


def test_new_employment_form_needs_its_kind(tree):
    with pytest.raises(ValidationError) as exc:
        add(tree, employment_form="new_form")
    assert "new_form_type" in exc.value.message_dict
    member = add(tree, employment_form="new_form", new_form_type="food_delivery")
    assert member.new_form_type == "food_delivery"


def test_rural_household_marks_a_migrant_worker(tree):
    assert add(tree, household="rural").is_migrant


def test_lowercase_x_and_full_width_digits_are_normalized(tree):
    number = resident_id("19900101", 101)
    if not number.endswith("X"):  # find a number whose check character is X
        for seq in range(100, 999):
            number = resident_id("19900101", seq)
            if number.endswith("X"):
                break
    typed = number[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    member = add(tree, id_number=" " + typed + " ")
    assert member.id_number == number


def test_second_membership_for_the_same_id_shows_the_conflict(tree):
    first = add(tree)
    with translation.override("zh-hans"), pytest.raises(DomainError) as exc:
        add(tree, node=tree.d, user="d_admin", name="王建国")
    assert exc.value.code == "already_member"
    assert tree.c.name in exc.value.message and "2024" in exc.value.message
    with scopes_disabled():
        assert Member.objects.count() == 1
        assert Member.objects.get().pk == first.pk


def test_the_database_refuses_a_second_active_membership(tree):
    """The rule holds even for code that skips the service's check (a race, an import)."""
    first = add(tree)
    with scopes_disabled():
        clone = Member(node=tree.d, name=first.name, id_number=first.id_number, id_hash=first.id_hash,
                       gender="M", birth_date=first.birth_date, card_number="9" * 16,
                       joined_on=first.joined_on)
        with pytest.raises(IntegrityError), transaction.atomic():
            clone.save()


def test_clerk_outside_the_subtree_cannot_add(tree):
    with pytest.raises(NotPermitted):
        add(tree, user="d_admin")
    with pytest.raises(NotPermitted):
        add(tree, user="b_viewer")
    with scopes_disabled():
        assert not Member.objects.exists()


def test_leave_needs_a_reason_and_revokes_the_card(tree):
    member = add(tree)
    with pytest.raises(ValidationError):
        roster.end_membership(member=member, actor=tree.user("b_clerk"), reason=" ")
    version = member.card_version
    with scopes_disabled():
        left = roster.end_membership(member=member, actor=tree.user("b_clerk"), reason="离职返乡")
    assert left.status == MemberStatus.LEFT and left.card_version == version + 1
    # Once left, the same person may join elsewhere; the old row stays as history.
    with scopes_disabled():
        again = roster.create_member(node=tree.d, actor=tree.user("d_admin"), name="王建国",
                                     id_number=member.id_number, employment_form="flexible")
        assert Member.objects.filter(id_hash=member.id_hash).count() == 2
    # ... and then the old membership cannot be reinstated: the conflict names the new union.
    with scopes_disabled(), pytest.raises(DomainError) as exc:
        roster.reinstate_member(member=left, actor=tree.user("b_clerk"))
    assert tree.d.name in exc.value.message
    assert again.is_active


def test_reinstate_after_leaving(tree):
    member = add(tree)
    with scopes_disabled():
        roster.end_membership(member=member, actor=tree.user("b_clerk"), reason="离职")
        back = roster.reinstate_member(member=member, actor=tree.user("b_clerk"), reason="返岗")
        actions = list(MemberEvent.objects.filter(member=member).values_list("action", flat=True))
    assert back.is_active
    assert sorted(actions) == ["joined", "left", "reinstated"]


def test_edit_records_field_names_not_values_in_the_audit_log(tree):
    member = add(tree)
    with scopes_disabled():
        roster.update_member(member=member, actor=tree.user("b_clerk"), phone="13800138000", education="college")
        entry = AuditEntry.objects.filter(action="members.member.edited").get()
    assert entry.data["fields"] == ["education", "phone"]
    assert "13800138000" not in str(entry.data)
    assert verify_chain().ok


def test_personal_data_is_encrypted_at_rest(tree):
    member = add(tree)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_hash FROM members_member WHERE id = %s", [member.pk])
        stored_id, stored_phone, stored_hash = cursor.fetchone()
    assert member.id_number not in stored_id and "13912345678" not in stored_phone
    assert stored_hash == roster.id_hash(member.id_number)


def test_reveal_is_audited_and_refused_to_reviewers(tree, people):
    member = add(tree)
    with scopes_disabled():
        full = roster.reveal_member(member=member, actor=tree.user("b_clerk"), purpose="核对")
        assert full["id_number"] == member.id_number
        assert AuditEntry.objects.filter(action="members.member.reveal", object_id=str(member.pk)).count() == 1
        with pytest.raises(NotPermitted):
            roster.reveal_member(member=member, actor=people.user("b_reviewer"))
        with pytest.raises(NotPermitted):
            roster.reveal_member(member=member, actor=tree.user("d_admin"))
        assert AuditEntry.objects.filter(action="members.member.reveal").count() == 1


def test_underage_join_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        add(tree, id_number=resident_id("20150101", 123), joined_on=datetime.date(2024, 1, 1))
    assert "joined_on" in exc.value.message_dict


def test_members_follow_their_union_when_it_merges(tree):
    member = add(tree)
    from gonghui.orgs import services as orgs

    with scopes_disabled():
        orgs.merge_nodes(source=tree.c, target=tree.d, actor=tree.user("a_admin"))
        member.refresh_from_db()
        assert member.node_id == tree.d.pk and member.is_active
        assert MemberEvent.objects.filter(member=member, action="transferred").exists()
