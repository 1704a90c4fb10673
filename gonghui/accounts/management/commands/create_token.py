"""Create an API token for a user and print its key — once; only its hash is stored."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token for a user and print its key once (it cannot be shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account the token acts as; it gets that account's scope")
        parser.add_argument("--name", default="cli", help="a label to recognise the token by (default: cli)")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account with the user name %(username)s.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("The account %(username)s is deactivated.") % {"username": username})
        name = name.strip()[:60] or "cli"
        with transaction.atomic():
            token, key = create_api_token(user=user, name=name)
        # The key alone on stdout, so that scripts can capture it; the explanation goes to stderr.
        self.stderr.write(_("API token “%(name)s” (%(prefix)s…) created for %(username)s. "
                            "Store the key now: it is shown only once.")
                          % {"name": token.name, "prefix": token.prefix, "username": user.username})
        self.stdout.write(key)
