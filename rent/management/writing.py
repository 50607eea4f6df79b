"""What the commands that write a folder (export_rent, export_household) share: a failure to
write is said once, in the same words, with the promise the writers keep (they write to the
side and swap, so a previous export in the folder is intact)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError

from rent.importing.exporting import ExportFolderError


@contextmanager
def writing_to(outdir, *, what: str) -> Iterator[None]:
    """Turn an OSError or ExportFolderError inside the block into a CommandError naming the
    folder, the reason and `what` was being written ("export", "backup")."""
    try:
        yield
    except (OSError, ExportFolderError) as error:
        reason = getattr(error, "strerror", None) or error
        raise CommandError(
            f"could not write the {what} to {outdir}: {reason}. Nothing was changed there: "
            f"a previous {what} in it is intact."
        ) from None
