"""Password rules: strong hashing, complexity, and refusals explained in Chinese."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from gonghui.accounts import services
from gonghui.accounts.models import User
from gonghui.accounts.validators import MinimumLengthValidator


def _messages(password, user=None) -> list[str]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


@pytest.mark.parametrize("password, fragment", [
    ("12345678901234", "只包含数字"),                  # digits only
    ("password1234", "太常见"),                       # in the common-password list
    ("alllowercaseletters", "至少包含小写字母、大写字母、数字、符号中的三类"),
    ("ALLUPPER12345", "至少包含小写字母、大写字母、数字、符号中的三类"),
])
def test_weak_passwords_are_refused_in_chinese(db, password, fragment):
    messages = _messages(password)
    assert any(fragment in m for m in messages), messages


def test_too_short_password_is_refused_in_chinese(db):
    messages = _messages("Ab1!xyz")
    assert any("10" in m and "密码" in m for m in messages), messages


def test_our_length_validator_names_the_minimum(db):
    validator = MinimumLengthValidator(min_length=10)
    with pytest.raises(ValidationError) as caught:
        validator.validate("Ab1!xyz")
    assert caught.value.messages == [validator.get_error_message()]
    assert "10" in caught.value.messages[0] and "%" not in caught.value.messages[0]
    validator.validate("Ab1!xyzAb1!")


def test_password_like_the_username_is_refused(db):
    user = User(username="zhangwei2024", display_name="张伟")
    messages = _messages("Zhangwei2024!", user)
    assert any("相似" in m for m in messages), messages


def test_strong_password_passes(db):
    validate_password("Tr0ub4dor&3x!")
    validate_password("正确的马电池订书钉Horse9")


def test_create_cadre_refuses_a_weak_password_and_creates_nothing(db):
    with pytest.raises(ValidationError):
        services.create_cadre(username="weak", password="abc", display_name="弱密码")
    assert not User.objects.filter(username="weak").exists()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(db):
    user = services.create_cadre(username="li", password="Tr0ub4dor&3x!", display_name="李")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "Tr0ub4dor" not in user.password and user.check_password("Tr0ub4dor&3x!")


def test_production_hasher_is_argon2():
    from gonghui.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
