"""``gonghui demo``: a ready-to-try instance on SQLite: migrate, load the demo county, print logins, serve."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gonghui.console.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create or migrate the database, load the demo county (safe to repeat), print logins and serve."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")

    def handle(self, *args, port, no_serve, **options):
        if not settings.DEBUG and not settings.GONGHUI_ALLOW_DEMO:
            # The demo's logins share a published password: never on a production database.
            raise CommandError("gonghui demo refuses to run with production settings "
                               "(set GONGHUI_ALLOW_DEMO=1 for a throw-away staging instance).")
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        logins = load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"\nDemo county ready. Console logins (password for all: {DEMO_PASSWORD}):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<16} {description}")
        self.stdout.write(f"Worker pages: http://127.0.0.1:{port}/w/  (sign-in codes appear in this terminal)")
        if not no_serve:
            self.stdout.write(f"Console: http://127.0.0.1:{port}/console/\n")
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
