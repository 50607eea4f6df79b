"""The folder-writing commands' one failure message: the folder, the reason, and that a
previous export or backup in it is intact."""

import errno

import pytest
from django.core.management.base import CommandError

from rent.importing.exporting import ExportFolderError
from rent.management.writing import writing_to


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        (
            ExportFolderError("export_folder_not_empty", folder="/srv/backup", files="notes.txt"),
            "/srv/backup holds other files (notes.txt); export into an empty or new folder",
        ),
    ],
)
def test_a_failure_to_write_names_the_folder_and_reason_and_keeps_the_previous(error, reason):
    with pytest.raises(CommandError) as raised, writing_to("/srv/backup", what="backup"):
        raise error
    assert str(raised.value) == (
        f"could not write the backup to /srv/backup: {reason}. Nothing was changed there: "
        "a previous backup in it is intact."
    )


def test_other_errors_pass_through():
    with pytest.raises(KeyError), writing_to("/srv/backup", what="export"):
        raise KeyError("tenants")
