from pathlib import Path

from django.core.management.base import BaseCommand

from backup.household import export_household
from rent.management.writing import writing_to


class Command(BaseCommand):
    help = (
        "The household's readable backup in OUTDIR: the rent export (as export_rent) and the "
        "credit settled, the handbook (pages, revisions, proposals, discussion, attachments, "
        "watches, notification choices), the logins with their tenants and the history of "
        "changes of the rent tables. Written all or "
        "nothing; `import_household OUTDIR` restores it into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR")

    def handle(self, *args, outdir, **options):
        with writing_to(outdir, what="backup"):
            counts = export_household(Path(outdir))
        self.stdout.write(
            f"Wrote the household backup to {outdir}: {counts['tenants']} tenants, "
            f"{counts['rent_ledger']} ledger rows, {counts['rent_calculations']} calculations, "
            f"{counts['payments']} payments, "
            f"{counts['pages']} handbook pages with {counts['revisions']} revisions, "
            f"{counts['proposals']} proposals with {counts['comments']} comments, "
            f"{counts['attachments']} attachments, {counts['logins']} logins, "
            f"{counts['history']} history records."
        )
