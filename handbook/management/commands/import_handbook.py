from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from handbook.importing import HandbookImportError, import_folder


class Command(BaseCommand):
    help = (
        "Import a folder of Markdown files as handbook pages (slug from the file name, title from "
        "the first heading). A page gets a new revision only when its file changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            report = import_folder(folder)
        except HandbookImportError as error:
            raise CommandError(error.message) from error
        for label, slugs in (
            ("skapad", report.created),
            ("uppdaterad", report.updated),
            ("oförändrad", report.unchanged),
            ("behållen, ändrad i appen", report.kept),
        ):
            for slug in slugs:
                self.stdout.write(f"{label}: {slug}")
        self.stdout.write(self.style.SUCCESS(f"Handboken: {report.summary()}."))
