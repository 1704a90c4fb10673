"""``gonghui create-admin --node CODE [--username U]``: the first administrator of a union (the county).

No password on the command line (it would stay in the shell's history): the command prints a
single-use link where the new admin sets a password and enrols an authenticator app. Run in a
terminal with ``--password``, it asks for the password with getpass instead and prints an
enrolment link for the authenticator only.
"""

import getpass
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from gonghui.accounts import services
from gonghui.accounts.models import Role, RoleAssignment
from gonghui.core.errors import DomainError


class Command(BaseCommand):
    help = "Create the first administrator of a union and print a single-use link to set a password and an authenticator."

    def add_arguments(self, parser):
        parser.add_argument("--node", required=True, help="the union's code (shown on its page in the console)")
        parser.add_argument("--username", default="", help="the new admin's user name (default: admin_<code>)")
        parser.add_argument("--name", default="", help="the new admin's name (default: the user name)")
        parser.add_argument("--password", action="store_true",
                            help="ask for the password now (terminal only) instead of printing a set-up link")
        parser.add_argument("--force", action="store_true",
                            help="add an admin although the union already has one")
        parser.add_argument("--base-url", default="",
                            help="address the console is served at, for the link (default: GONGHUI_PUBLIC_BASE_URL)")

    def handle(self, *args, node, username, name, password, force, base_url, **options):
        node_model = RoleAssignment._meta.get_field("node").related_model
        with scopes_disabled():
            target = node_model.objects.filter(code=node.strip()).first()
            if target is None:
                raise CommandError(_("No union with the code %(code)s.") % {"code": node})
            admins = list(RoleAssignment.objects.filter(node=target, role=Role.ADMIN, user__is_active=True)
                          .values_list("user__username", flat=True))
            if admins and not force:
                raise CommandError(_("%(node)s already has an administrator (%(names)s); they add others in the "
                                     "console. Use --force to add one anyway.")
                                   % {"node": target.name, "names": ", ".join(admins)})
            username = (username or f"admin_{target.code}").strip()
            secret = self._ask_password(username) if password else None
            try:
                with transaction.atomic():
                    user, key = services.add_cadre(username=username, display_name=name or username, node=target,
                                                   role=Role.ADMIN, actor=None)
                    if secret is not None:
                        services.set_first_password(user=user, password=secret)
                        key = services.issue_enrolment_link(user=user)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        base = (base_url or settings.GONGHUI_PUBLIC_BASE_URL).rstrip("/")
        self.stdout.write(_("Administrator %(username)s created for %(node)s.") % {"username": user.username,
                                                                                  "node": target.name})
        self.stdout.write(_("Open this link once, within %(hours)d hours, to finish setting up the account:")
                          % {"hours": settings.GONGHUI_ACCOUNT_LINK_HOURS})
        self.stdout.write(base + reverse("accounts:link", args=[key]))

    def _ask_password(self, username: str) -> str:
        if not sys.stdin.isatty():
            raise CommandError(_("--password needs a terminal; without it the command prints a set-up link."))
        first = getpass.getpass(_("Password for %(username)s: ") % {"username": username})
        if first != getpass.getpass(_("Password again: ")):
            raise CommandError(_("The two passwords differ."))
        return first
