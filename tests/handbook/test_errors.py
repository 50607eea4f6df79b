"""handbook.errors: the handbook's refusals are named by code on the household's error base;
every code has its Swedish sentence, is raised by the handbook and is named by a test."""

import json
import pickle
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from handbook import services
from handbook.attachments import AttachmentError, checked_upload
from handbook.backup import (
    DOCUMENT,
    FOLDER,
    FORMAT,
    FORMAT_VERSION,
    HandbookBackupError,
    import_handbook_backup,
)
from handbook.errors import MESSAGES, HandbookError
from handbook.importing import HandbookImportError, import_folder
from handbook.models import Page, RevisionImmutableError
from household.errors import CodedError
from tests.builders import make_login, make_member, make_page
from tests.refusals import assert_swedish_sentence, every_subclass, refused

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_a_swedish_sentence_with_the_same_parameters(code):
    assert_swedish_sentence(MESSAGES[code])


def test_the_handbooks_errors_stand_on_the_household_base():
    for cls in (services.ProposalError, AttachmentError, HandbookImportError,
                HandbookBackupError, RevisionImmutableError):  # fmt: skip
        assert issubclass(cls, HandbookError) and issubclass(cls, CodedError)
    with pytest.raises(KeyError, match="unknown error code: no_roommates"):
        services.ProposalError("no_roommates")  # rent's codes are not the handbook's


@pytest.mark.django_db
def test_a_page_refused_by_the_import_names_the_file_and_reads_the_inner_refusal(tmp_path):
    (tmp_path / "sok.md").write_text("# Sök\n")
    with refused(HandbookImportError, "import_page_refused") as refusal:
        import_folder(tmp_path)
    inner = refusal.value.params["reason"]
    assert (refusal.value.params["name"], inner.code) == ("sok.md", "slug_reserved")
    assert str(refusal.value) == (
        "sok.md: The address “sok” is taken by the handbook itself; choose another one."
    )
    with translation.override("sv"):
        assert refusal.value.message == (
            "sok.md: Adressen ”sok” är upptagen av handboken själv; välj en annan."
        )
    copy = pickle.loads(pickle.dumps(refusal.value))
    assert (copy.code, copy.params["reason"].code, str(copy)) == (
        "import_page_refused", "slug_reserved", str(refusal.value),
    )  # fmt: skip
    assert not Page.objects.exists()


@pytest.mark.django_db
def test_two_files_for_one_address_are_refused(tmp_path):
    (tmp_path / "01-kok.md").write_text("# Kök\n")
    (tmp_path / "kok.md").write_text("# Kök igen\n")
    with refused(HandbookImportError, "import_same_address", "01-kok.md och kok.md ger samma"):
        import_folder(tmp_path)


@pytest.mark.django_db
def test_a_refused_character_is_english_in_logs_and_read_in_the_readers_language():
    """The text rule's refusal keeps the character, not a sentence: raised during a Swedish
    request, `str` (logs) is still English and `message` is the language of whoever reads it."""
    with translation.override("sv"), pytest.raises(services.ProposalError) as raised:
        services.create_page(slug="regler", title="Regler\u202e", body="")
    error = raised.value
    assert error.code == "text_refused"
    assert error.params == {"codepoint": "U+202E", "name": "RIGHT-TO-LEFT OVERRIDE"}
    assert str(error).startswith("Contains an invisible or direction-changing character (U+202E")
    with translation.override("en"):
        assert error.message == str(error)
    with translation.override("sv"):
        assert error.message.startswith("Innehåller ett osynligt")
    assert pickle.loads(pickle.dumps(error)).message == error.message


@pytest.mark.django_db
def test_the_workflow_refusals_name_their_codes():
    author, stranger = make_member("astrid"), make_login("gast")
    with refused(services.ProposalError, "slug_missing", "behöver en adress"):
        services.propose_new_page(slug="---", title="X", body="", author=author, message="Ny")
    with refused(services.ProposalError, "title_missing", "behöver en titel"):
        services.propose_new_page(slug="ny-sida", title=" ", body="", author=author, message="Ny")
    proposal = services.propose_change(
        page=make_page("husregler"), body="Ny text.\n", author=author, message="Ändrar"
    )
    with refused(services.ProposalError, "approve_logged_out", "Logga in"):
        services.approve(proposal=proposal, approver=AnonymousUser())
    with refused(services.ProposalError, "approve_not_member", "bor i huset"):
        services.approve(proposal=proposal, approver=stranger)
    with refused(services.ProposalError, "comment_too_long", "för lång"):
        services.add_comment(proposal=proposal, author=author, body="x" * 10_001)
    revision = proposal.page.current_revision
    revision.body = "Ändrad i efterhand"
    with refused(RevisionImmutableError, "revision_immutable", "ändras aldrig"):
        revision.save()


def test_an_upload_larger_than_it_said_is_refused(settings):
    settings.HANDBOOK_ATTACHMENT_MAX_BYTES = 10
    liar = SimpleNamespace(name="liten.pdf", size=5, read=lambda limit: b"%PDF-" + b"0" * limit)
    with refused(AttachmentError, "attachment_too_large", "”liten.pdf” är för stor"):
        checked_upload(liar)


def write_backup(root: Path, **document) -> Path:
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "pages": [],
                "proposals": [], "attachments": [], **document}  # fmt: skip
    (folder / DOCUMENT).write_text(json.dumps(document))
    return root


PAGE = {"slug": "kok", "title": "Kök", "position": 1, "revisions": []}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "code", "params"),
    [
        ({"pages": {}}, "backup_not_a_list", {"key": "pages"}),
        ({"watches": {}}, "backup_not_a_list", {"key": "watches"}),
        ({"pages": [{"title": "Kök"}]}, "backup_page_incomplete", {"key": "'slug'"}),
        ({"pages": [PAGE], "attachments": [{"page": "kok", "file": "../passwd"}]},
         "backup_bad_attachment_name", {}),
        ({"pages": [PAGE], "attachments": [{"page": "kok", "file": "1-bild.png"}]},
         "backup_attachment_missing", {}),
    ],
)  # fmt: skip
def test_a_bad_backup_names_what_is_wrong(tmp_path, document, code, params):
    with refused(HandbookBackupError, code) as refusal:
        import_handbook_backup(write_backup(tmp_path, **document))
    assert params.items() <= refusal.value.params.items()
    assert str(tmp_path / FOLDER) in refusal.value.params["path"]
    assert not Page.objects.exists()  # nothing half-restored


def test_every_code_is_raised_by_the_handbook_and_asserted_by_a_test():
    """No code without a raise site, and no raise site whose code no test names."""
    sources = "\n".join(path.read_text() for path in (ROOT / "handbook").rglob("*.py"))
    classes = "|".join(sorted({cls.__name__ for cls in every_subclass(HandbookError)}))
    raised = set(re.findall(rf'raise (?:{classes})\(\s*"(\w+)"', sources))
    assert raised == set(MESSAGES)
    tests = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))
    assert {code for code in MESSAGES if f'"{code}"' not in tests} == set()
