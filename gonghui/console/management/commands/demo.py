"""``gonghui demo``: a ready-to-try instance on SQLite: migrate, load the demo county, print logins, serve."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts.models import User
from gonghui.accounts.permissions import requires_totp
from gonghui.accounts.services import issue_enrolment_link
from gonghui.console.demo import DEMO_PASSWORD, load_demo
from gonghui.core.scoping import scopes_disabled


def refusal() -> str:
    """Why the demo may not run here, or "" when it may. Its logins share a published password, so it
    runs only on a development instance's own SQLite file, never on a production database."""
    if settings.GONGHUI_ALLOW_DEMO:
        return ""
    if not settings.DEBUG:
        return _("gonghui demo refuses to run with production settings (set GONGHUI_ALLOW_DEMO=1 for a "
                 "throw-away staging instance).")
    if connection.vendor != "sqlite":
        return _("gonghui demo refuses to load demo accounts into the database named by DATABASE_URL (%(vendor)s): "
                 "the demo's logins share a published password. Unset DATABASE_URL to use the demo's own SQLite "
                 "file, or set GONGHUI_ALLOW_DEMO=1 for a throw-away database.") % {"vendor": connection.vendor}
    return ""


def enrolment_link(user, address: str) -> str:
    """A single-use link to set up the authenticator of a demo account that must use one and has none
    yet ("" otherwise). Each run issues a fresh one; the earlier link stops working."""
    if not requires_totp(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return ""
    key = issue_enrolment_link(user=user)
    return f"{address}{reverse('accounts:link', args=[key])}"


class Command(BaseCommand):
    help = _("Create or migrate the database, load the demo county (safe to repeat), print logins and serve.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help=_("load the data and stop"))

    def handle(self, *args, port, no_serve, **options):
        reason = refusal()
        if reason:
            raise CommandError(reason)
        if not 0 < port < 65536:
            raise CommandError(_("--port must be between 1 and 65535."))
        address = f"http://127.0.0.1:{port}"
        if not os.environ.get("GONGHUI_PUBLIC_BASE_URL"):
            # Certificates' QR codes and printed links point at the address this demo really serves.
            settings.GONGHUI_PUBLIC_BASE_URL = address
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        logins = load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            "\n" + _("Demo county ready. Console logins (password for all: %(password)s):")
            % {"password": DEMO_PASSWORD}))
        without_factor = []
        for username, description in logins:
            self.stdout.write(f"  {username:<16} {description}")
            link = self._enrolment_link(username, address)
            if link:
                self.stdout.write("  " + " " * 16 + " " + _("Sees unmasked personal data, so an authenticator app is "
                                                           "required: open this single-use link once to set it up: "
                                                           "%(url)s") % {"url": link})
            else:
                without_factor.append(username)
        if without_factor:
            self.stdout.write(_("To look around without an authenticator app, sign in as %(names)s.")
                              % {"names": ", ".join(without_factor)})
        self.stdout.write(_("Worker pages: %(url)s  (sign-in codes appear in this terminal)")
                          % {"url": f"{address}/w/"})
        if not no_serve:
            self.stdout.write(_("Console: %(url)s") % {"url": f"{address}/console/"} + "\n")
            from gonghui.cli import start_demo_worker, stop_demo_worker

            worker = start_demo_worker()
            try:
                call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
            finally:
                stop_demo_worker(worker)

    def _enrolment_link(self, username: str, address: str) -> str:
        with scopes_disabled():
            return enrolment_link(User.objects.get(username=username), address)
