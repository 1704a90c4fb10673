"""Create an API token for a user and print its key — once; only its hash is stored.

An account that must use a second factor gets a token only with its current authenticator code
(the token records that it was issued so); tokens never stand in for a missing second factor.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts.models import User
from gonghui.accounts.permissions import requires_totp
from gonghui.accounts.services import create_api_token
from gonghui.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an API token for a user and print its key once (it cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account the token acts as; it gets that account's scope")
        parser.add_argument("--name", default="cli", help="a label to recognise the token by (default: cli)")
        parser.add_argument("--code", default="",
                            help="the account's current authenticator code; needed for accounts that may see "
                                 "unmasked personal data (admins, clerks), asked for in a terminal")

    def handle(self, *args, username, name, code, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account with the user name %(username)s.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("The account %(username)s is deactivated.") % {"username": username})
        name = name.strip() or "cli"  # longer than a token's name holds: refused by the service
        second_factor = False
        if requires_totp(user):
            second_factor = self._check_code(user, code)
        try:
            with transaction.atomic():
                token, key = create_api_token(user=user, name=name, second_factor=second_factor)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        # The key alone on stdout, so that scripts can capture it; the explanation goes to stderr.
        self.stderr.write(_("API token “%(name)s” (%(prefix)s…) created for %(username)s. "
                            "Store the key now: it is shown only once.")
                          % {"name": token.name, "prefix": token.prefix, "username": user.username})
        self.stdout.write(key)

    def _check_code(self, user, code: str) -> bool:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(_("%(username)s must use an authenticator app and has none enrolled; an administrator "
                                 "issues an enrolment link first.") % {"username": user.username})
        if not code and sys.stdin.isatty():
            code = input(_("Current authenticator code of %(username)s: ") % {"username": user.username})
        allowed, _refusal = device.verify_is_allowed()
        if not code or not allowed or not device.verify_token(code.strip()):
            raise CommandError(_("The authenticator code is wrong or has expired; no token was created."))
        return True
