"""Cadre accounts with roles at nodes, workers signed in by phone, API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.fields import BlindIndexField, EncryptedTextField


class User(AbstractUser):
    """A cadre (or an outside partner such as a court mediator). Scope comes from RoleAssignment."""

    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    phone = EncryptedTextField(_("mobile"), blank=True, default="")

    audit_actor_type = "user"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def audit_label(self) -> str:
        return f"{self.username} {self.display_name}".strip()


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CLERK = "clerk", _("Clerk")
    REVIEWER = "reviewer", _("Reviewer")
    VIEWER = "viewer", _("Viewer")
    MEDIATOR = "mediator", _("Mediator")
    FINANCE = "finance", pgettext_lazy("role", "Finance")


class RoleAssignment(models.Model):
    """A role held over a node's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    node = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "role assignment")
        verbose_name_plural = pgettext_lazy("model", "role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "node", "role"], name="role_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.node}"


class Worker(models.Model):
    """A worker known by a verified mobile number; sees only their own records."""

    phone = EncryptedTextField(_("mobile"))
    phone_hash = BlindIndexField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login = models.DateTimeField(null=True, blank=True)

    audit_actor_type = "worker"

    class Meta:
        verbose_name = pgettext_lazy("model", "worker account")
        verbose_name_plural = pgettext_lazy("model", "worker accounts")

    def __str__(self) -> str:
        from gonghui.core.masking import mask_phone

        return mask_phone(self.phone)


class PhoneCode(models.Model):
    """A one-time sign-in code; only its hash is stored."""

    phone_hash = BlindIndexField(db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.CharField(max_length=45, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "phone code")
        verbose_name_plural = pgettext_lazy("model", "phone codes")

    def __str__(self) -> str:
        return f"code {self.pk} ({self.created_at:%Y-%m-%d %H:%M})"


class ApiToken(models.Model):
    """Bearer token for the API. Only the SHA-256 of the key is kept; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # True when the token was issued in a session verified by the second factor (or after the
    # account's code was checked on the command line); an account that must use one gets no other.
    second_factor = models.BooleanField(default=False)

    class Meta:
        verbose_name = pgettext_lazy("model", "API token")
        verbose_name_plural = pgettext_lazy("model", "API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AccountLink(models.Model):
    """A single-use link an admin issues: set a new password, enrol an authenticator, or both.

    Only the SHA-256 of the link's key is stored; the key is shown once to the admin who hands it
    over. A link is spent by the first successful use and dies at ``expires_at``.
    """

    class Purpose(models.TextChoices):
        PASSWORD = "password", _("Set a new password")
        TOTP = "totp", _("Enrol an authenticator app")
        SETUP = "setup", _("Set a password and enrol an authenticator app")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_links")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "account link")
        verbose_name_plural = pgettext_lazy("model", "account links")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.user.username}"

    @property
    def sets_password(self) -> bool:
        return self.purpose in (self.Purpose.PASSWORD, self.Purpose.SETUP)

    @property
    def enrols_totp(self) -> bool:
        return self.purpose in (self.Purpose.TOTP, self.Purpose.SETUP)
