"""Account writes: cadres and roles, worker phone sign-in codes, API tokens."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import crypto
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.phones import normalize_mobile

from .models import ApiToken, PhoneCode, Role, RoleAssignment, User, Worker
from .permissions import forget, require_role
from .sms import get_backend


@transaction.atomic
def create_cadre(*, username: str, password: str, display_name: str, actor=None) -> User:
    user = User(username=username, display_name=display_name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit("accounts.user.created", actor=actor, obj=user, data={"username": username})
    return user


@transaction.atomic
def grant_role(*, user: User, node, role: str, actor=None) -> RoleAssignment:
    """Only an admin over the node (or the system) may grant roles in it."""
    if actor is not None:
        require_role(actor, node, {Role.ADMIN}, "accounts.role.grant")
    assignment, created = RoleAssignment.objects.get_or_create(user=user, node=node, role=role)
    if created:
        audit("accounts.role.granted", actor=actor, obj=user, data={"node": node.pk, "role": role})
    forget(user)
    return assignment


def _code_hash(phone: str, code: str) -> str:
    return crypto.blind_index(f"{phone}:{code}", purpose="otp")


def send_phone_code(*, phone: str, ip: str = "") -> None:
    """Send a 6-digit code; at most GONGHUI_OTP_PER_PHONE_PER_HOUR codes per number per hour."""
    phone = normalize_mobile(phone)
    phone_hash = crypto.blind_index(phone, purpose="phone")
    hour_ago = timezone.now() - timedelta(hours=1)
    if PhoneCode.objects.filter(phone_hash=phone_hash, created_at__gte=hour_ago).count() >= \
            settings.GONGHUI_OTP_PER_PHONE_PER_HOUR:
        raise DomainError("otp_rate_limited", _("Too many codes requested for this number; try again later."))
    if ip and PhoneCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= \
            settings.GONGHUI_OTP_PER_PHONE_PER_HOUR * 4:
        raise DomainError("otp_rate_limited", _("Too many codes requested from this network; try again later."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    PhoneCode.objects.create(phone_hash=phone_hash, code_hash=_code_hash(phone, code), ip=ip,
                             expires_at=timezone.now() + timedelta(seconds=settings.GONGHUI_OTP_TTL_SECONDS))
    get_backend().send_code(phone, code)


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


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the token and its key; the key is not stored and cannot be shown again."""
    key = "gh_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    audit("accounts.token.created", actor=user, obj=user, data={"name": name, "prefix": token.prefix})
    return token, key
