"""Account writes: cadres and roles, single-use password and authenticator links, worker phone
sign-in codes, API tokens.

Rules for cadre accounts (every change audited, never with a phone number or a password):

- only an admin over a node grants or revokes roles there, so never above their own node;
- nobody changes their own roles or their own account's state from the admin pages;
- no role for a deactivated account;
- a node keeps at least one active admin: revoking or deactivating its last admin is refused
  (the node's admin assignments are locked while counting, so two admins cannot remove each other);
- an account is managed (deactivated, its password or authenticator reset) only by an admin over
  every node where it holds a role, so a township admin cannot take over a county cadre.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.core import crypto, editing
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.limits import check_length
from gonghui.core.notify import notify, parked
from gonghui.core.phones import normalize_mobile

from .models import AccountLink, ApiToken, PhoneCode, Role, RoleAssignment, User, Worker
from .permissions import forget, require, requires_totp


@transaction.atomic
def create_cadre(*, actor=None, username: str, password: str, display_name: str) -> User:
    user = User(username=username, display_name=display_name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit("accounts.user.created", actor=actor, obj=user, data={"username": username})
    return user


@transaction.atomic
def grant_role(*, actor=None, user: User, node, role: str) -> RoleAssignment:
    """Only an admin over the node (or the system, ``actor=None``) grants roles in it; never to
    oneself, never to a deactivated account."""
    if role not in Role.values:
        raise DomainError("role_unknown", _("Choose a role from the list."), field="role")
    if actor is not None:
        require(actor, "accounts.role.grant", node=node)
        if actor.pk == user.pk:
            raise DomainError("own_roles", _("You cannot change your own roles; ask another administrator."))
    if not user.is_active:
        raise DomainError("account_inactive",
                          _("This account is deactivated; reactivate it before granting a role."), field="user")
    assignment, created = RoleAssignment.objects.get_or_create(user=user, node=node, role=role)
    if created:
        audit("accounts.role.granted", actor=actor, obj=user, data={"node": node.pk, "role": role})
    forget(user)
    if requires_totp(user):
        _revoke_tokens_without_second_factor(user, actor)
    return assignment


def _code_hash(phone: str, code: str) -> str:
    return crypto.blind_index(f"{phone}:{code}", purpose="otp")


def _sign_in_key(code: PhoneCode) -> str:
    """The outbox's dedupe key of a sign-in code's message."""
    return f"sign-in:{code.pk}"


def send_phone_code(*, phone: str, ip: str = "") -> None:
    """Send a 6-digit code; at most GONGHUI_OTP_PER_PHONE_PER_HOUR codes per number per hour.

    A code the SMS provider refused or that every try failed to send (parked in the outbox) never
    reached the worker and does not use up one of those; but all codes of the hour, failed ones
    included, are capped at twice the limit, so a number that keeps failing cannot be asked for
    without end (the network-address limit counts every code as well)."""
    phone = normalize_mobile(phone)
    phone_hash = crypto.blind_index(phone, purpose="phone")
    hour_ago = timezone.now() - timedelta(hours=1)
    limit = settings.GONGHUI_OTP_PER_PHONE_PER_HOUR
    recent = [_sign_in_key(code) for code in
              PhoneCode.objects.filter(phone_hash=phone_hash, created_at__gte=hour_ago).only("pk")]
    if len(recent) >= 2 * limit or len(recent) - len(parked(recent)) >= limit:
        raise DomainError("otp_rate_limited", _("Too many codes requested for this number; try again later."))
    if ip and PhoneCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= \
            settings.GONGHUI_OTP_PER_PHONE_PER_HOUR * 4:
        raise DomainError("otp_rate_limited", _("Too many codes requested from this network; try again later."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        row = PhoneCode.objects.create(phone_hash=phone_hash, code_hash=_code_hash(phone, code), ip=ip,
                                       expires_at=timezone.now() + timedelta(seconds=settings.GONGHUI_OTP_TTL_SECONDS))
        # Through the outbox as an urgent message (no quiet hours, no daily cap; the worker process takes
        # it before anything else): nothing is sent in the request (docs/messaging.md, docs/sms.md).
        notify(phone=phone, text="sign-in code", kind="sign_in_code", params={"code": code}, urgent=True,
               dedupe_key=_sign_in_key(row))


def verify_phone_code(*, phone: str, code: str) -> Worker:
    """Check the newest unused code for the number; create the worker on first sign-in.

    A wrong code counts an attempt (committed, so that retries cannot escape the cap of
    GONGHUI_OTP_MAX_ATTEMPTS) and answers the same message as an expired one.
    """
    phone = normalize_mobile(phone)
    phone_hash = crypto.blind_index(phone, purpose="phone")
    with transaction.atomic():
        pending = (PhoneCode.objects.select_for_update()
                   .filter(phone_hash=phone_hash, used_at__isnull=True, expires_at__gt=timezone.now())
                   .order_by("-created_at").first())
        if pending is not None and pending.attempts < settings.GONGHUI_OTP_MAX_ATTEMPTS:
            if hmac.compare_digest(pending.code_hash, _code_hash(phone, str(code).strip())):
                pending.used_at = timezone.now()
                pending.save(update_fields=["used_at"])
                worker, created = Worker.objects.get_or_create(phone_hash=phone_hash, defaults={"phone": phone})
                worker.last_login = timezone.now()
                worker.save(update_fields=["last_login"])
                if created:
                    audit("accounts.worker.created", actor=worker, obj=worker)
                return worker
            pending.attempts += 1
            pending.save(update_fields=["attempts"])
    raise DomainError("otp_invalid", _("The code is wrong or has expired."), field="code")


def create_api_token(*, user: User, name: str, second_factor: bool = False) -> tuple[ApiToken, str]:
    """Return the token and its key; the key is not stored and cannot be shown again.

    ``second_factor``: the account's second factor was verified for this request (a verified
    console session, or its current code checked by ``create_token``). An account that must use
    one — it may see unmasked personal data — gets no token without it.
    """
    if requires_totp(user) and not second_factor:
        raise DomainError("second_factor_required",
                          _("This account may see unmasked personal data: an API token is issued only after "
                            "its second factor has been verified."))
    check_length(ApiToken, "name", name)
    key = "gh_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8],
                                        second_factor=second_factor)
        audit("accounts.token.created", actor=user, obj=user,
              data={"name": name, "prefix": token.prefix, "second_factor": second_factor})
    return token, key


def _revoke_tokens_without_second_factor(user: User, actor) -> None:
    """A role that needs a second factor makes the account's older, unverified tokens stop."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True, second_factor=False).update(
        revoked_at=timezone.now())
    if revoked:
        audit("accounts.token.revoked", actor=actor, obj=user, data={"count": revoked, "why": "second_factor"})


# --- cadre accounts managed by admins -------------------------------------------------------------

def _node_model():
    """The tree's Node model, reached through the role's foreign key (accounts sits below orgs)."""
    return RoleAssignment._meta.get_field("node").related_model


def _require_admin_over_account(actor, user: User, permission: str) -> None:
    """The actor is an admin over every node where ``user`` holds a role, and is not ``user``."""
    if actor is None:
        return
    if actor.pk == user.pk:
        raise DomainError("own_account", _("You cannot do this to your own account; ask another administrator."))
    nodes = [a.node for a in RoleAssignment.objects.filter(user=user).select_related("node")]
    if not nodes and not actor.is_superuser:
        raise NotPermitted(permission)
    for node in nodes:
        require(actor, permission, node=node)


def _lock_admins(node_ids) -> None:
    """Lock the admin assignments of these nodes (in one order everywhere, by primary key), so that
    concurrent revocations and deactivations count the remaining admins one after the other."""
    list(RoleAssignment.objects.select_for_update().filter(node_id__in=set(node_ids), role=Role.ADMIN)
         .order_by("pk").values_list("pk", flat=True))


def _refuse_last_admin(user: User, node_ids) -> None:
    for node_id in sorted(set(node_ids)):
        others = (RoleAssignment.objects.filter(node_id=node_id, role=Role.ADMIN, user__is_active=True)
                  .exclude(user=user).exists())
        if not others:
            node = _node_model().objects.get(pk=node_id)
            raise DomainError("last_admin", _("%(user)s is the last administrator of %(node)s; grant the role to "
                                              "someone else first.") % {"user": user, "node": node.name})


def _clean_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise DomainError("username_required", _("Enter a user name."), field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise DomainError("username_invalid", _("Use letters, digits and @ . + - _ only in the user name."),
                          field="username") from exc
    if len(username) > 150:
        raise DomainError("username_invalid", _("The user name is too long."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken", _("This user name is already taken."), field="username")
    return username


def _clean_phone(phone: str) -> str:
    if not (phone or "").strip():
        return ""
    try:
        return normalize_mobile(phone)
    except ValidationError as exc:
        raise DomainError("phone_invalid", exc.messages[0], field="phone") from exc


def add_cadre(*, actor, username: str, display_name: str, node, role: str, phone: str = "") -> tuple[User, str]:
    """A new cadre with a first role at ``node``, by an admin over it (or the system, ``actor=None``).

    No password is typed by the admin: the account gets a single-use link (set a password, and
    enrol an authenticator when the role needs one) to hand over. Returns the user and the link key.
    """
    if actor is not None:
        require(actor, "accounts.user.create", node=node)
    if role not in Role.values:
        raise DomainError("role_unknown", _("Choose a role from the list."), field="role")
    display_name = (display_name or "").strip()
    if not display_name:
        raise DomainError("name_required", _("Enter the cadre's name."), field="display_name")
    check_length(User, "display_name", display_name)
    username, phone = _clean_username(username), _clean_phone(phone)
    try:
        with transaction.atomic():
            user = User(username=username, display_name=display_name, phone=phone)
            user.set_unusable_password()
            user.save()
            audit("accounts.user.created", actor=actor, obj=user, data={"username": username, "phone": bool(phone)})
            RoleAssignment.objects.create(user=user, node=node, role=role)
            audit("accounts.role.granted", actor=actor, obj=user, data={"node": node.pk, "role": role})
            purpose = AccountLink.Purpose.SETUP if requires_totp(user) else AccountLink.Purpose.PASSWORD
            key = _issue_link(user=user, purpose=purpose, actor=actor)
    except IntegrityError as exc:  # the same name taken by a concurrent request
        raise DomainError("username_taken", _("This user name is already taken."), field="username") from exc
    return user, key


CADRE_VERSION_FIELDS = ("display_name", "phone", "is_active")  # not last_login: signing in is no conflict


@transaction.atomic
def update_cadre(*, actor, user: User, display_name: str, phone: str, expected_version: str | None = None) -> User:
    _require_admin_over_account(actor, user, "accounts.user.update")
    # Locked and read again; a form rendered before another change is refused (stale, core.editing).
    user = editing.lock_for_edit(user, expected_version, fields=CADRE_VERSION_FIELDS)
    display_name = (display_name or "").strip()
    if not display_name:
        raise DomainError("name_required", _("Enter the cadre's name."), field="display_name")
    check_length(User, "display_name", display_name)
    phone = _clean_phone(phone)
    changed = [f for f, v in (("display_name", display_name), ("phone", phone)) if getattr(user, f) != v]
    if changed:
        user.display_name, user.phone = display_name, phone
        user.save(update_fields=changed)
        audit("accounts.user.updated", actor=actor, obj=user, data={"fields": changed})
    return user


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    """Only an admin over the node; never one's own role; never a node's last active admin."""
    user = assignment.user
    if actor is not None:
        require(actor, "accounts.role.revoke", node=assignment.node)
        if actor.pk == user.pk:
            raise DomainError("own_roles", _("You cannot change your own roles; ask another administrator."))
    if assignment.role == Role.ADMIN:
        _lock_admins([assignment.node_id])
        if user.is_active:
            _refuse_last_admin(user, [assignment.node_id])
    deleted, _rows = RoleAssignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        audit("accounts.role.revoked", actor=actor, obj=user, data={"node": assignment.node_id, "role": assignment.role})
    forget(user)


@transaction.atomic
def set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate (sign-in, sessions and tokens stop) or reactivate an account."""
    _require_admin_over_account(actor, user, "accounts.user.deactivate" if not active else "accounts.user.reactivate")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    if not active:
        admin_nodes = list(RoleAssignment.objects.filter(user=user, role=Role.ADMIN).values_list("node_id", flat=True))
        if admin_nodes:
            _lock_admins(admin_nodes)
            _refuse_last_admin(user, admin_nodes)
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        AccountLink.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit("accounts.user.deactivated" if not active else "accounts.user.reactivated", actor=actor, obj=user)
    return user


# --- single-use links: password reset and authenticator enrolment -----------------------------------

def _link_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _issue_link(*, user: User, purpose: str, actor) -> str:
    """A fresh link of this purpose; earlier unused links of the account stop working."""
    AccountLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).update(
        expires_at=timezone.now())
    key = secrets.token_urlsafe(32)
    AccountLink.objects.create(user=user, purpose=purpose, key_hash=_link_hash(key), created_by=actor,
                               expires_at=timezone.now() + timedelta(hours=settings.GONGHUI_ACCOUNT_LINK_HOURS))
    audit("accounts.link.issued", actor=actor, obj=user, data={"purpose": purpose})
    return key


@transaction.atomic
def reset_password(*, actor, user: User) -> str:
    """The old password stops at once (sessions end with it); the cadre sets a new one by the link."""
    _require_admin_over_account(actor, user, "accounts.user.reset_password")
    if not user.is_active:
        raise DomainError("account_inactive", _("This account is deactivated; reactivate it first."))
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit("accounts.password.reset", actor=actor, obj=user)
    purpose = AccountLink.Purpose.PASSWORD
    if requires_totp(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        purpose = AccountLink.Purpose.SETUP
    return _issue_link(user=user, purpose=purpose, actor=actor)


@transaction.atomic
def reset_totp(*, actor, user: User) -> str:
    """Remove the account's authenticators (a lost phone); it enrols a new one by the link only."""
    _require_admin_over_account(actor, user, "accounts.user.reset_totp")
    if not user.is_active:
        raise DomainError("account_inactive", _("This account is deactivated; reactivate it first."))
    removed, _rows = TOTPDevice.objects.filter(user=user).delete()
    audit("accounts.totp.reset", actor=actor, obj=user, data={"devices_removed": removed})
    purpose = AccountLink.Purpose.TOTP if user.has_usable_password() else AccountLink.Purpose.SETUP
    return _issue_link(user=user, purpose=purpose, actor=actor)


@transaction.atomic
def set_first_password(*, user: User, password: str) -> None:
    """For ``gonghui create-admin --password``: the operator typed the new admin's password."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit("accounts.password.set_by_operator", obj=user)


def issue_enrolment_link(*, actor=None, user: User) -> str:
    """A link to enrol an authenticator (and to set a password, when the account has none yet);
    issued by the system for ``gonghui create-admin`` and the demo's accounts."""
    with transaction.atomic():
        purpose = AccountLink.Purpose.TOTP if user.has_usable_password() else AccountLink.Purpose.SETUP
        return _issue_link(user=user, purpose=purpose, actor=actor)


def open_link(*, key: str) -> AccountLink:
    """The link for ``key`` if it can still be used; a clear refusal otherwise."""
    link = AccountLink.objects.select_related("user").filter(key_hash=_link_hash(key or "")).first()
    _check_link(link)
    return link


def _check_link(link: AccountLink | None) -> None:
    if link is None:
        raise DomainError("link_unknown", _("This link is not valid. Ask your administrator for a new one."))
    if link.used_at is not None:
        raise DomainError("link_used", _("This link has already been used. Ask your administrator for a new one."))
    if link.expires_at <= timezone.now():
        raise DomainError("link_expired", _("This link has expired. Ask your administrator for a new one."))
    if not link.user.is_active:
        raise DomainError("account_inactive", _("This account is deactivated."))


def link_device(*, link: AccountLink) -> TOTPDevice:
    """The authenticator being enrolled through this link (created unconfirmed on first view)."""
    device, _created = TOTPDevice.objects.get_or_create(user=link.user, name=f"link-{link.pk}",
                                                        defaults={"confirmed": False})
    return device


def use_link(*, key: str, new_password: str = "", code: str = "", signed_in=None) -> User:
    """Spend the link: set the password and/or confirm the authenticator, once.

    A link that only enrols an authenticator also needs the account's password: ``signed_in``
    must be the account, signed in (so the link alone shows no secret and enrols nothing).

    The code is checked before the link is locked, so that django-otp's back-off after a wrong
    code is kept (it is saved outside the transaction that would roll it back).
    """
    link = open_link(key=key)
    user = link.user
    if not link.sets_password and getattr(signed_in, "pk", None) != user.pk:
        raise DomainError("sign_in_first", _("Sign in with your user name and password first, then open the link."))
    if link.sets_password:
        validate_password(new_password, user)
    device = None
    if link.enrols_totp:
        device = link_device(link=link)
        allowed, _refusal = device.verify_is_allowed()
        if not allowed or not device.verify_token((code or "").strip()):
            raise DomainError("code_invalid", _("The code is wrong or has expired."), field="code")
    with transaction.atomic():
        link = AccountLink.objects.select_for_update(of=("self",)).select_related("user").get(pk=link.pk)
        _check_link(link)  # a second use racing the first finds it spent
        if link.sets_password:
            user.set_password(new_password)
            user.save(update_fields=["password"])
            audit("accounts.password.set_by_link", actor=user, obj=user)
        if device is not None:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, name="authenticator")
            audit("accounts.totp.enrolled", actor=user, obj=user)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return user


@transaction.atomic
def change_own_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password or ""):
        raise DomainError("password_wrong", _("Your current password is not correct."), field="old_password")
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit("accounts.password.changed", actor=user, obj=user)


@transaction.atomic
def revoke_own_token(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise NotPermitted("accounts.token.revoke")
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit("accounts.token.revoked", actor=user, obj=user, data={"prefix": token.prefix, "why": "owner"})
