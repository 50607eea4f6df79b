from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from household.locks import held_lock
from rent.importing import ImportFailed, import_rent

ALREADY_RUNNING = (
    "another import_rent is running right now; nothing was written. Run it again when that "
    "one has finished (a second run changes nothing that the first already imported)."
)


class Command(BaseCommand):
    help = (
        "Import the household's rent history files and database exports (format recognised "
        "from the content). Safe to run on every deploy: nothing is deleted, a second run "
        "changes nothing. Without PATH: RENT_DATA_DIR, or the demo household when DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", metavar="PATH", help="a history file, export file or directory"
        )
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="replace database values that differ from the files (default: keep them)",
        )

    def handle(self, *args, paths, dry_run, overwrite, **options):
        paths = paths or [self.default_directory()]
        with held_lock("import_rent", wait=False) as acquired:
            if not acquired:
                raise CommandError(ALREADY_RUNNING)
            self.import_paths(paths, dry_run=dry_run, overwrite=overwrite)

    def import_paths(self, paths, *, dry_run, overwrite):
        try:
            report = import_rent(paths, dry_run=dry_run, overwrite=overwrite)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(
                f"import failed with {len(failed.problems)} errors; nothing was written"
            ) from None
        self.stdout.write(report.text())

    def default_directory(self) -> Path:
        if settings.RENT_DATA_DIR:
            return Path(settings.RENT_DATA_DIR)
        if settings.DEBUG:
            return Path(settings.DEMO_DATA_DIR)
        raise CommandError(
            "RENT_DATA_DIR is not set. Set it to the household's data directory; the demo "
            "household in fixtures/ is only imported when DEBUG is on."
        )
