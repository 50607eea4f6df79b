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
            raise CommandError(str(error)) from error  # English, as every command's output
        *pages, summary = report.lines()
        for line in pages:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(summary))
