from pathlib import Path

from django.core.management.base import BaseCommand

from rent.importing.exporting import EXPORT_FILE, HISTORY_DIR, export_rent
from rent.management.writing import writing_to


class Command(BaseCommand):
    help = (
        "Write the whole rent database to OUTDIR: one export file and one history file per "
        "calculation. `import_rent OUTDIR` into an empty database reproduces every row."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR")

    def handle(self, *args, outdir, **options):
        with writing_to(outdir, what="export"):
            counts = export_rent(Path(outdir))
        self.stdout.write(
            f"Wrote {Path(outdir) / EXPORT_FILE}: {counts['tenants']} tenants, "
            f"{counts['rent_configs']} config rows, {counts['rent_ledger']} ledger rows, "
            f"{counts['co_owned_items']} co-owned items; and {counts['rent_calculations']} "
            f"history files in {Path(outdir) / HISTORY_DIR}."
        )
