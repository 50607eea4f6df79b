"""Reading files from a folder never leaves the folder: import_handbook ignores symlinks."""

import pytest

from handbook.importing import import_folder
from handbook.models import Page

pytestmark = pytest.mark.django_db


def test_import_handbook_does_not_follow_symlinks_out_of_its_folder(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# Hemligt\n\nlösenordet är hunter2\n")
    folder = tmp_path / "handbook"
    folder.mkdir()
    (folder / "01-regler.md").write_text("# Regler\n\nTyst efter 22.\n")
    (folder / "02-lank.md").symlink_to(secret)
    (folder / "03-inne.md").symlink_to(folder / "01-regler.md")
    import_folder(folder)
    assert list(Page.objects.values_list("slug", flat=True)) == ["regler"]
    assert not Page.objects.filter(body__contains="hunter2").exists()
