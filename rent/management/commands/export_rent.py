from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rent.exporting import EXPORT_FILE, HISTORY_DIR, ExportFolderError, export_rent


class Command(BaseCommand):
    help = (
        "Write the whole rent database to OUTDIR: one export file and one history file per "
        "calculation. `import_rent OUTDIR` into an empty database reproduces every row."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", metavar="OUTDIR")

    def handle(self, *args, outdir, **options):
        try:
            counts = export_rent(Path(outdir))
        except (OSError, ExportFolderError) as error:
            reason = getattr(error, "strerror", None) or error
            raise CommandError(
                f"could not write the export to {outdir}: {reason}. Nothing was changed there: "
                "a previous export in it is intact."
            ) from None
        self.stdout.write(
            f"Wrote {Path(outdir) / EXPORT_FILE}: {counts['tenants']} tenants, "
            f"{counts['rent_configs']} config rows, {counts['rent_ledger']} ledger rows, "
            f"{counts['co_owned_items']} co-owned items; and {counts['rent_calculations']} "
            f"history files in {Path(outdir) / HISTORY_DIR}."
        )
