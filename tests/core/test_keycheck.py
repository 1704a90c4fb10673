"""Keys checked at the door (issue 17, finding 4): malformed keys and keys that are not the
database's stop the start, naming the key, in one line; a rotation's new newest key is allowed."""

import base64

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django_scopes import scopes_disabled

from gonghui.core import crypto, keycheck
from gonghui.core.models import KeyFingerprint
from gonghui.members import selectors as members_selectors
from gonghui.members.services import roster
from tests.factories import resident_id

OTHER_FIELD_KEY = base64.b64encode(b"another-instance-field-key-32byt").decode()
OTHER_HASH_KEY = base64.b64encode(b"another-instance-hash-key-32byte").decode()
NEW_FIELD_KEY = base64.b64encode(b"rotation-newest-field-key-32byte").decode()


@pytest.fixture
def recorded(db, settings):
    """The test database, recorded as written with the test keys (as the first migrate does)."""
    KeyFingerprint.objects.all().delete()
    assert keycheck.check_keys(record=True) == []
    return crypto.configured_fingerprints()


def _errors(ids=("gonghui.E001", "gonghui.E002")):
    return [m for m in checks.run_checks(include_deployment_checks=True) if m.id in ids]


@pytest.mark.parametrize(("setting", "value", "needle"), [
    ("GONGHUI_FIELD_KEYS", ["not base64 at all!"], "GONGHUI_FIELD_KEYS"),
    ("GONGHUI_FIELD_KEYS", [base64.b64encode(b"0" * 32).decode(), "garbage"], "GONGHUI_FIELD_KEYS"),
    ("GONGHUI_FIELD_KEYS", [base64.b64encode(b"0" * 16).decode()], "GONGHUI_FIELD_KEYS"),
    # stray characters that lenient base64 silently drops: still a wrong key, refused
    ("GONGHUI_FIELD_KEYS", ["dGVzdC1maWVsZC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=?!"], "GONGHUI_FIELD_KEYS"),
    ("GONGHUI_FIELD_KEYS", [], "GONGHUI_FIELD_KEYS"),
    ("GONGHUI_HASH_KEY", base64.b64encode(b"abc").decode(), "GONGHUI_HASH_KEY"),
    ("GONGHUI_HASH_KEY", "%%%%", "GONGHUI_HASH_KEY"),
])
def test_a_malformed_key_is_a_startup_and_deploy_check_error(db, settings, capsys, setting, value, needle):
    setattr(settings, setting, value)
    errors = _errors()
    assert errors and all(e.id == "gonghui.E001" for e in errors)
    assert any(needle in e.msg for e in errors), [e.msg for e in errors]
    if len(value) == 2:  # which of the keys is named (in any language)
        assert "2" in errors[0].msg and "1" not in errors[0].msg.replace(setting, "")
    with pytest.raises(SystemExit):
        keycheck.refuse_to_serve_with_wrong_keys()
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and err.count("\n") == 1


def test_lenient_base64_is_no_longer_accepted_at_first_use(settings):
    # Before: b64decode dropped the '?!' and the key "worked"; now it is the error it is.
    settings.GONGHUI_FIELD_KEYS = ["dGVzdC1maWVsZC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=?!"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
    settings.GONGHUI_HASH_KEY = "dGVzdC1oYXNoLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=?"
    with pytest.raises(ImproperlyConfigured):
        crypto.blind_index("x", purpose="t")


def test_the_first_migrate_records_fingerprints_not_keys(db, settings):
    KeyFingerprint.objects.all().delete()
    keycheck.record_on_first_migrate(sender=None, using="default")
    rows = list(KeyFingerprint.objects.values_list("setting", "fingerprint"))
    fps = crypto.configured_fingerprints()
    assert ("GONGHUI_HASH_KEY", fps["GONGHUI_HASH_KEY"][0]) in rows
    assert ("GONGHUI_FIELD_KEYS", fps["GONGHUI_FIELD_KEYS"][0]) in rows
    for text in [*settings.GONGHUI_FIELD_KEYS, settings.GONGHUI_HASH_KEY]:
        raw = base64.b64decode(text)
        for _setting, fp in rows:
            assert fp not in text and fp not in raw.hex() and raw.hex()[:16] != fp


def test_another_instances_field_key_is_refused_naming_it(recorded, settings, capsys):
    settings.GONGHUI_FIELD_KEYS = [OTHER_FIELD_KEY]
    problems = keycheck.check_keys(record=True)
    assert len(problems) == 1 and "GONGHUI_FIELD_KEYS" in problems[0] and "GONGHUI_HASH_KEY" not in problems[0]
    assert [e.id for e in _errors()] == ["gonghui.E002"]
    with pytest.raises(SystemExit) as exit_:
        keycheck.refuse_to_run_with_wrong_keys(["gonghui", "runserver"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "GONGHUI_FIELD_KEYS" in err and "Traceback" not in err and err.count("\n") == 1
    # nothing recorded for the wrong key
    assert crypto.configured_fingerprints()["GONGHUI_FIELD_KEYS"][0] not in KeyFingerprint.objects.values_list(
        "fingerprint", flat=True)


def test_another_hash_key_is_refused_naming_it(recorded, settings):
    settings.GONGHUI_HASH_KEY = OTHER_HASH_KEY
    problems = keycheck.check_keys()
    assert len(problems) == 1 and "GONGHUI_HASH_KEY" in problems[0]


def test_dropping_the_key_the_data_was_last_written_with_is_refused(recorded, settings):
    # Test settings are [new, old]: the data is written with the first; keeping only the old is wrong.
    settings.GONGHUI_FIELD_KEYS = [settings.GONGHUI_FIELD_KEYS[1]]
    assert "GONGHUI_FIELD_KEYS" in " ".join(keycheck.check_keys())


def test_rotation_a_new_newest_key_is_allowed_and_recorded(recorded, settings):
    current = settings.GONGHUI_FIELD_KEYS[0]
    settings.GONGHUI_FIELD_KEYS = [NEW_FIELD_KEY, current]
    assert _errors() == []
    assert keycheck.check_keys(record=True) == []
    newest = crypto.fingerprint(base64.b64decode(NEW_FIELD_KEY), "GONGHUI_FIELD_KEYS")
    assert KeyFingerprint.objects.filter(setting="GONGHUI_FIELD_KEYS").order_by("pk").last().fingerprint == newest
    # after rotate-keys the old key is dropped: the new one alone is this database's key now
    settings.GONGHUI_FIELD_KEYS = [NEW_FIELD_KEY]
    assert keycheck.check_keys() == []
    # and going back to the old key alone is refused: values are sealed with the new one
    settings.GONGHUI_FIELD_KEYS = [current]
    assert keycheck.check_keys() != []


@pytest.mark.parametrize("command", ["help", "check", "restore", "--help"])
def test_help_check_and_restore_run_whatever_the_keys(recorded, settings, command):
    settings.GONGHUI_FIELD_KEYS = [OTHER_FIELD_KEY]
    keycheck.refuse_to_run_with_wrong_keys(["gonghui", command])  # no SystemExit


def test_migrate_on_a_database_with_data_is_refused_with_wrong_keys(recorded, settings):
    settings.GONGHUI_FIELD_KEYS = [OTHER_FIELD_KEY]
    with pytest.raises(SystemExit):
        keycheck.refuse_to_run_with_wrong_keys(["gonghui", "migrate"])


def test_a_database_never_migrated_has_nothing_to_compare(db, settings, monkeypatch):
    monkeypatch.setattr(keycheck, "recorded_fingerprints", lambda using="default": None)
    settings.GONGHUI_FIELD_KEYS = [OTHER_FIELD_KEY]
    assert keycheck.check_keys(record=True) == []


def test_first_start_on_old_data_refuses_keys_that_cannot_decrypt_it(tree, settings):
    with scopes_disabled():
        roster.create_member(node=tree.c, actor=tree.user("a_admin"), name="李四", id_number=resident_id(seq=7),
                             phone="13800000007")
    KeyFingerprint.objects.all().delete()  # a database from before fingerprints were recorded
    settings.GONGHUI_FIELD_KEYS = [OTHER_FIELD_KEY]
    problems = keycheck.check_keys(record=True)
    assert problems and "GONGHUI_FIELD_KEYS" in problems[0]
    assert not KeyFingerprint.objects.exists()


def test_a_second_active_membership_cannot_be_accepted_because_the_app_will_not_run(tree, settings, capsys):
    """The drill: with another instance's keys the ID's look-up hash differs, so the roster's
    "already a member" check could not see the existing member. The application must not run."""
    with scopes_disabled():
        first = roster.create_member(node=tree.c, actor=tree.user("a_admin"), name="王五",
                                     id_number=resident_id(seq=9), phone="13800000009")
    KeyFingerprint.objects.all().delete()
    assert keycheck.check_keys(record=True) == []
    settings.GONGHUI_FIELD_KEYS, settings.GONGHUI_HASH_KEY = [OTHER_FIELD_KEY], OTHER_HASH_KEY
    assert crypto.blind_index(resident_id(seq=9), purpose=members_selectors.ID_PURPOSE) != first.id_hash  # why it matters
    for argv in (["gonghui", "runserver"], ["gonghui", "import-members", "roster.xlsx"], ["gonghui", "shell"]):
        with pytest.raises(SystemExit):
            keycheck.refuse_to_run_with_wrong_keys(argv)
    with pytest.raises(SystemExit) as exit_:
        keycheck.refuse_to_serve_with_wrong_keys()
    assert exit_.value.code == keycheck.WORKER_BOOT_ERROR
    err = capsys.readouterr().err
    assert "GONGHUI_FIELD_KEYS" in err and "GONGHUI_HASH_KEY" in err
