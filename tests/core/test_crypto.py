import pytest
from django.db import connection

from gonghui.core import crypto
from gonghui.orgs.models import UnionStaff


def test_roundtrip_and_random_nonce():
    a, b = crypto.encrypt("110105199001011234"), crypto.encrypt("110105199001011234")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "110105199001011234"
    assert "110105" not in a


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt("13812345678")
    prefix, key_id, body = token.split(":")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(Exception):  # noqa: B017  cryptography raises InvalidTag
        crypto.decrypt(f"{prefix}:{key_id}:{flipped}")


def test_old_key_still_decrypts_and_rotation_is_detected(settings):
    new, old = settings.GONGHUI_FIELD_KEYS
    settings.GONGHUI_FIELD_KEYS = [old]
    sealed_with_old = crypto.encrypt("secret")
    settings.GONGHUI_FIELD_KEYS = [new, old]
    assert crypto.decrypt(sealed_with_old) == "secret"
    assert crypto.needs_rotation(sealed_with_old)
    assert not crypto.needs_rotation(crypto.encrypt("secret"))
    settings.GONGHUI_FIELD_KEYS = [new]
    with pytest.raises(ValueError):
        crypto.decrypt(sealed_with_old)


def test_blind_index_is_keyed_and_purpose_bound(settings):
    one = crypto.blind_index("13812345678", purpose="phone")
    assert one == crypto.blind_index("13812345678", purpose="phone")
    assert one != crypto.blind_index("13812345678", purpose="resident_id")
    settings.GONGHUI_HASH_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDE="
    assert one != crypto.blind_index("13812345678", purpose="phone")


def test_the_bulk_sealer_and_indexer_are_encrypt_and_blind_index():
    seal, index = crypto.sealer(), crypto.indexer(purpose="phone")
    sealed = [seal("110105199001011234") for _ in range(2100)]  # past one batch of nonces
    assert len({token.split(":")[2][:16] for token in sealed}) == len(sealed)  # a fresh nonce each
    assert {crypto.decrypt(token) for token in sealed} == {"110105199001011234"}
    assert not crypto.needs_rotation(sealed[0])
    assert index("13812345678") == crypto.blind_index("13812345678", purpose="phone")
    assert crypto.decrypt(crypto.sealer(associated=b"t")("x"), associated=b"t") == "x"


def test_personal_data_is_encrypted_in_the_database(tree, unscoped):
    from gonghui.orgs import services

    staff = services.add_staff(node=tree.b, actor=tree.user("b_admin"), name="王芳", kind="socialized",
                               started_on="2025-03-01", phone="138 1234 5678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM orgs_unionstaff WHERE id = %s", [staff.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and "13812345678" not in stored
    assert UnionStaff.objects.get(pk=staff.pk).phone == "13812345678"
    assert UnionStaff.objects.filter(phone_hash=crypto.blind_index("13812345678", purpose="phone")).count() == 1


def test_encrypted_field_cannot_be_filtered_by_plaintext(db, unscoped):
    with pytest.raises(TypeError):
        UnionStaff.objects.filter(phone="13812345678")
