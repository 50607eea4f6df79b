"""The admin import's limits: size and rows refused with a reason, a missing column in Swedish
without a traceback, no temporary file left behind, and forged file names refused."""

import os
import tempfile
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rent.admin import RentLedgerAdmin
from rent.admin.import_limits import CheckedTempFolderStorage, ForgedImportFileName, upload_folder
from rent.models import RentLedger, Tenant
from tests.builders import make_tenant
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.fixture
def treasurer(client):
    client.force_login(make_treasurer())
    return client


def csv_index():
    return str([f.__name__ for f in RentLedgerAdmin.formats].index("CSV"))


def upload(text: str, name="ledger.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def preview(client, text, model="rentledger"):
    return client.post(
        reverse(f"admin:rent_{model}_import"), {"format": csv_index(), "import_file": upload(text)}
    )


def uploads() -> list[str]:
    return sorted(path.name for path in upload_folder().iterdir())


def ledger_csv(rows: int) -> str:
    lines = ["rent_month,tenant,amount_due,amount_paid"]
    for serial in range(rows):
        year, month = 2000 + serial // 12, serial % 12 + 1
        lines.append(f"{year}-{month:02d},Adam,7045,0")
    return "\n".join(lines) + "\n"


def test_a_file_over_the_size_limit_is_refused_with_its_size(treasurer, settings):
    settings.ADMIN_IMPORT_MAX_BYTES = 1000
    response = preview(treasurer, ledger_csv(100))
    html = response.content.decode()
    assert response.status_code == 200
    assert "administrationen importerar högst 1000" in html
    assert uploads() == []


def test_a_file_over_the_row_limit_is_refused_and_leaves_nothing(treasurer, settings):
    make_tenant("Adam")
    settings.ADMIN_IMPORT_MAX_ROWS = 20
    response = preview(treasurer, ledger_csv(21))
    html = response.content.decode()
    assert "Filen har 21 rader; administrationen importerar högst 20 åt gången." in html
    assert "confirm_form" not in response.context  # nothing to confirm
    assert uploads() == []
    assert not RentLedger.objects.exists()


def test_a_file_missing_its_key_column_says_so_in_swedish_without_a_traceback(treasurer):
    response = preview(treasurer, "amount_due,amount_paid\n7045,0\n")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filen saknar kolumnen “tenant”, “rent_month”" in html
    assert "Traceback" not in html and "site-packages" not in html and "/work/" not in html
    assert uploads() == []
    response = preview(treasurer, "email\nx@example.com\n", model="tenant")
    assert "Filen saknar kolumnen “name”" in response.content.decode()


def test_a_file_at_the_row_limit_is_previewed_and_imported_whole(treasurer, settings):
    """How long a file at the real limit (500 rows) takes is bench/admin_import.py's figure."""
    settings.ADMIN_IMPORT_MAX_ROWS = 40
    make_tenant("Adam")
    response = preview(treasurer, ledger_csv(40))
    confirm = response.context["confirm_form"]
    assert uploads() == [confirm.initial["import_file_name"]]
    done = treasurer.post(reverse("admin:rent_rentledger_process_import"), confirm.initial)
    assert done.status_code == 302
    assert RentLedger.objects.count() == 40
    assert uploads() == []  # confirmed: removed


@pytest.mark.parametrize(
    "forged", ["../../etc/passwd", "secret.txt", "tmpabcdef", "0" * 31, "A" * 32, "/tmp/x"]
)
def test_a_forged_file_name_reads_and_deletes_nothing(treasurer, private_tmp, forged):
    make_tenant("Adam")
    secret = private_tmp / "secret.txt"
    secret.write_text("rent_month,tenant,amount_due\n2025-10,Adam,1\n")
    (upload_folder() / "secret.txt").write_text("rent_month,tenant,amount_due\n2025-10,Adam,1\n")
    response = treasurer.post(
        reverse("admin:rent_rentledger_process_import"),
        {
            "import_file_name": forged,
            "original_file_name": "x.csv",
            "format": csv_index(),
            "resource": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Den uppladdade filen finns inte längre" in response.content.decode()
    assert secret.exists() and (upload_folder() / "secret.txt").exists()
    assert not RentLedger.objects.exists()


def test_the_storage_refuses_names_it_did_not_make():
    with pytest.raises(ForgedImportFileName) as forged:
        CheckedTempFolderStorage(name="../x")
    assert (forged.value.code, forged.value.params) == ("forged_import_file_name", {"name": "../x"})
    storage = CheckedTempFolderStorage(encoding="utf-8")
    storage.save("a,b\n")
    assert (upload_folder() / storage.name).stat().st_mode & 0o777 == 0o600
    assert CheckedTempFolderStorage(name=storage.name, encoding="utf-8").read() == "a,b\n"


def test_a_preview_never_confirmed_is_removed_by_a_later_upload(treasurer):
    make_tenant("Adam")
    first = preview(treasurer, ledger_csv(2)).context["confirm_form"].initial["import_file_name"]
    path = upload_folder() / first
    hours_ago = time.time() - 2 * 3600
    os.utime(path, (hours_ago, hours_ago))
    second = preview(treasurer, ledger_csv(3)).context["confirm_form"].initial["import_file_name"]
    assert uploads() == [second]


def test_tenants_named_with_a_formula_cannot_come_in_through_the_admin(treasurer):
    response = preview(treasurer, "name,email\n=HYPERLINK(1),\n", model="tenant")
    assert "kalkylark" in response.content.decode()
    assert not Tenant.objects.exists()
