"""``gonghui registration-keys``: a development signing key and self-signed certificate for the
registration office, under the data directory. Production keys are issued by a CA and configured."""

from django.core.management.base import BaseCommand

from gonghui.registration import signing


class Command(BaseCommand):
    help = "Create a development key pair and self-signed certificate for signing registration certificates."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True,
                            help="node code of the registration office (every office signs with its own key)")
        parser.add_argument("--name", default="gonghui registration office (development)",
                            help="the certificate's common name, shown by PDF readers as the signer")
        parser.add_argument("--force", action="store_true", help="replace an existing key")

    def handle(self, *args, office, name, force, **options):
        existed = signing.has_key(office)
        key, cert = signing.create_dev_keys(common_name=name, name=office, overwrite=force)
        if existed and not force:
            self.stdout.write(f"A key already exists: {key}\n(use --force to replace it)")
        else:
            self.stdout.write(self.style.SUCCESS(f"Created {key} and {cert}"))
        self.stdout.write("Development only: a PDF reader shows the signature as intact, with an untrusted signer.")
