from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backup.household import RestoreRefused, import_household
from handbook.backup import HandbookBackupError
from rent.importing import ImportFailed
from rent.importing.history_backup import HistoryBackupError


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_household into an empty (freshly migrated) "
        "database: logins and roles, the rent tables and credit settled, which login is whose, "
        "the handbook with its attachments, and the history of changes of the rent tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        try:
            counts = import_household(Path(directory))
        except RestoreRefused as refused:
            raise CommandError(f"{refused}; nothing was written") from None
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError("the rent files have errors; nothing was written") from None
        except (OSError, KeyError, ValueError, HandbookBackupError, HistoryBackupError) as error:
            raise CommandError(f"{directory} is not a readable household backup: {error}") from None
        self.stdout.write(counts["rent"].text())
        self.stdout.write(
            f"Restored {counts['logins']} logins, {counts['pages']} handbook pages with "
            f"{counts['revisions']} "
            f"revisions, {counts['proposals']} proposals with {counts['approvals']} approvals "
            f"and {counts['comments']} comments, {counts['attachments']} attachments, "
            f"{counts['history']} history records."
        )
