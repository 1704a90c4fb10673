"""``gonghui privacy-expire``: anonymise every record whose retention (GONGHUI_PRIVACY_RETENTION)
has ended and print a report per record type. For a daily job."""

from django.core.management.base import BaseCommand

from gonghui.privacy import retention, services


class Command(BaseCommand):
    help = "Anonymise the records whose retention period has ended, with a report."

    def handle(self, *args, **options):
        years = retention.schedule()
        counts = services.expire_personal_data()
        for key, (label, _why) in retention.RECORD_TYPES.items():
            self.stdout.write(f"{key:18} {years[key]:>3} y  {counts[key]:>6}  {label}")
        self.stdout.write(f"{sum(counts.values())} record(s) anonymised.")
