from django.core.management.base import BaseCommand

from feeds.cap.services import cap_messages_sync


class Command(BaseCommand):
    help = (
        "Bring the CAP message history in line with the emergency pages (Alert/Update for live public "
        "pages the history does not match, Cancel for withdrawn ones). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would be sent, write nothing")

    def handle(self, *args, dry_run=False, **options):
        counts = cap_messages_sync(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{verb}: {counts['published']} Alert/Update, {counts['cancelled']} Cancel")
