"""import_handbook: pages from Markdown files; idempotent; never clobbers edits made in the app."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from handbook import services
from handbook.importing import HandbookImportError, import_folder, read_page_file
from handbook.models import Page
from tests.builders import make_member
from tests.refusals import refused

pytestmark = pytest.mark.django_db

REPO_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "handbook"


def run(folder) -> str:
    out = StringIO()
    call_command("import_handbook", str(folder), stdout=out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "02-kok.md").write_text("# Köket\n\nDiska direkt.\n", encoding="utf-8")
    (tmp_path / "01-husregler.md").write_text("# Husregler\n\n## Tystnad\n\nEfter 22.\n")
    (tmp_path / "utan-rubrik.md").write_text("Bara text.\n")
    (tmp_path / "notes.txt").write_text("# Inte en sida\n")
    return tmp_path


def test_slug_from_the_file_name_and_title_from_the_first_heading(folder):
    page_file = read_page_file(folder / "01-husregler.md")
    assert (page_file.slug, page_file.title, page_file.position) == ("husregler", "Husregler", 1)
    assert page_file.body == "## Tystnad\n\nEfter 22.\n"
    untitled = read_page_file(folder / "utan-rubrik.md")
    assert (untitled.slug, untitled.title, untitled.position) == (
        "utan-rubrik",
        "Utan rubrik",
        None,
    )


def test_first_import_creates_every_page_with_one_revision_and_reports_it(folder):
    output = run(folder)
    assert "created: husregler" in output and "created: kok" in output
    assert "Handbook: 3 created, 0 updated, 0 unchanged." in output
    assert list(Page.objects.values_list("slug", flat=True)) == ["husregler", "kok", "utan-rubrik"]
    for page in Page.objects.all():
        assert page.revisions.count() == 1
        assert page.current_revision.message.startswith("Importerad från")


def test_running_again_changes_nothing(folder):
    run(folder)
    output = run(folder)
    assert "Handbook: 0 created, 0 updated, 3 unchanged." in output
    assert sum(page.revisions.count() for page in Page.objects.all()) == 3


def test_a_changed_file_gets_exactly_one_new_revision(folder):
    run(folder)
    (folder / "02-kok.md").write_text("# Köket\n\nDiska direkt, torka bänken.\n")
    report = import_folder(folder)
    assert (report.created, report.updated, report.unchanged) == (
        [],
        ["kok"],
        ["husregler", "utan-rubrik"],
    )
    page = Page.objects.get(slug="kok")
    assert page.body == "Diska direkt, torka bänken.\n"
    assert page.revisions.count() == 2
    assert import_folder(folder).unchanged == ["husregler", "kok", "utan-rubrik"]


def test_a_page_changed_in_the_app_is_kept_not_overwritten(folder):
    run(folder)
    page = Page.objects.get(slug="kok")
    member = make_member("astrid")
    services.save_revision(page=page, title="Köket", body="Husets egen text.\n", author=member)
    (folder / "02-kok.md").write_text("# Köket\n\nNy filtext.\n")

    report = import_folder(folder)

    assert report.kept == ["kok"]
    page.refresh_from_db()
    assert page.body == "Husets egen text.\n"
    output = run(folder)
    assert "kept, changed in the app: kok" in output
    assert ", 1 kept (changed in the app since the last import)." in output


def test_a_page_already_showing_the_new_file_text_counts_as_unchanged(folder):
    run(folder)
    page = Page.objects.get(slug="kok")
    services.save_revision(page=page, title="Köket", body="Ny filtext.\n")
    (folder / "02-kok.md").write_text("# Köket\n\nNy filtext.\n")
    assert "kok" in import_folder(folder).unchanged
    assert page.revisions.count() == 2


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No folder"):  # English, as the command says
        run(tmp_path / "finns-inte")
    with refused(HandbookImportError, "import_no_folder") as refusal:
        import_folder(tmp_path / "finns-inte")
    assert refusal.value.params == {"folder": str(tmp_path / "finns-inte")}


def test_the_project_starter_pages_import_cleanly():
    report = import_folder(REPO_FIXTURES)
    assert set(report.created) >= {
        "husregler",
        "gemensamma-overenskommelser",
        "hur-hyran-raknas",
        "sa-anvander-du-handboken",
    }
    assert Page.objects.get(slug="husregler").title == "Husregler"
    assert "[[hyresexempel]]" in Page.objects.get(slug="hur-hyran-raknas").body
    assert import_folder(REPO_FIXTURES).created == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sok.md", b"# Sok\n", "sok.md: The address “sok”"),  # a view's under /handbok/
        ("trasig.md", "# Trasig\n\nÅ".encode("latin-1"), "trasig.md: not UTF-8"),
        ("kok.md", b"# Kok igen\n", "02-kok.md and kok.md give the same address"),
    ],
)
def test_a_bad_file_is_a_clear_error_naming_it_and_nothing_is_imported(
    folder, name, content, message
):
    (folder / name).write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(folder)
    assert not Page.objects.exists()


def test_a_file_error_is_a_handbook_import_error_not_a_proposal_error(folder):
    (folder / "trasig.md").write_bytes("# Trasig\n\nÅ".encode("latin-1"))
    with refused(HandbookImportError, "import_not_utf8", "trasig.md: inte UTF-8") as refusal:
        import_folder(folder)
    assert refusal.value.params == {"name": "trasig.md", "byte": 10}
