"""``gonghui rotate-keys`` (issue 17, finding 1): a value edited during the rotation is never reverted,
a rerun re-encrypts nothing, the run says how many values remain under old keys and is audited."""

import base64
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.core import crypto
from gonghui.core.models import AuditEntry
from gonghui.members.models import Member
from gonghui.members.services import roster
from tests.factories import resident_id

pytestmark = pytest.mark.django_db
NEW_KEY = base64.b64encode(b"n" * 32).decode()


def _raw(member, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM members_member WHERE id = %s", [member.pk])  # noqa: S608
        return cursor.fetchone()[0]


def _key_id(token: str) -> str:
    return token.split(":")[1]


@pytest.fixture
def old_member(tree):
    with scopes_disabled():
        return roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="韩梅",
                                    id_number=resident_id("19900101", 501), phone="13900004444",
                                    employment_form="contract", joined_on=datetime.date(2024, 1, 1))


def _rotate() -> str:
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    return out.getvalue()


def test_rotation_moves_values_to_the_newest_key_once_and_is_audited(old_member, settings):
    old_id = _key_id(_raw(old_member, "id_number"))
    settings.GONGHUI_FIELD_KEYS = [NEW_KEY, *settings.GONGHUI_FIELD_KEYS]
    new_id = crypto.keyring()[0][0]
    assert new_id != old_id
    first = _rotate()
    assert _key_id(_raw(old_member, "id_number")) == new_id and _key_id(_raw(old_member, "phone")) == new_id
    assert "0 remain under older keys" in first
    untouched = _raw(old_member, "id_number")
    second = _rotate()
    assert second.startswith("re-encrypted 0 values")  # nothing under an old key is left to do
    assert _raw(old_member, "id_number") == untouched
    with scopes_disabled():
        assert Member.objects.get(pk=old_member.pk).id_number == old_member.id_number
    entries = AuditEntry.objects.filter(action="core.keys.rotated").order_by("seq")
    assert [e.data["remaining_under_old_keys"] for e in entries] == [0, 0]
    assert entries[0].data["rotated"] >= 2 and entries[1].data["rotated"] == 0
    assert old_member.id_number not in str(entries[0].data)


def test_a_value_edited_during_the_rotation_is_not_reverted(old_member, settings, monkeypatch, tree):
    """The edit lands between the rotation's read and its write (as a clerk's save during a long run)."""
    settings.GONGHUI_FIELD_KEYS = [NEW_KEY, *settings.GONGHUI_FIELD_KEYS]
    real_encrypt = crypto.encrypt
    edited = []

    def encrypt_and_edit(plaintext, **kwargs):
        if plaintext == "13900004444" and not edited:
            edited.append(True)
            with scopes_disabled():
                roster.update_member(member=Member.objects.get(pk=old_member.pk), actor=tree.user("b_clerk"),
                                     phone="13900005555")
        return real_encrypt(plaintext, **kwargs)

    monkeypatch.setattr(crypto, "encrypt", encrypt_and_edit)
    _rotate()
    assert edited
    with scopes_disabled():
        row = Member.objects.get(pk=old_member.pk)
    assert row.phone == "13900005555" and row.phone_hash == roster.phone_hash("13900005555")


def test_values_no_key_opens_are_reported_as_remaining(old_member, settings):
    settings.GONGHUI_FIELD_KEYS = [NEW_KEY, *settings.GONGHUI_FIELD_KEYS]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET phone = %s WHERE id = %s", ["v1:deadbeef:AAAA", old_member.pk])
    out = _rotate()
    assert "1 remain under older keys" in out and "members.member.phone: 1" in out

