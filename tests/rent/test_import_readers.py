"""The importer's readers, pinned value by value: every bad value gives one problem naming the
file and the JSON path, with the same words as before; good values become exact records.

No database: the readers never touch it (`read_bundle` reads and validates files only).
"""

import copy
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from rent.importing import ImportFailed, import_rent
from rent.importing.readers import CalculationKey, read_bundle

HISTORY = {
    "metadata": {
        "calculation_date": "2025-01-20T19:00:00+01:00",
        "version": 1,
        "title": "Februari 2025",
    },
    "constants": {"year": 2025, "month": 1, "kallhyra": 24530, "el": 3000},
    "roommates": {"Nora": {}, "Otto": {"days": 20}},
    "final_results": {"Nora": 7000, "Otto": 3500},
}

EXPORT = {
    "tenants": [
        {"id": "t-nora", "name": "Nora", "email": "nora@example.org", "startDate": "2024-01-01"}
    ],
    "rent_configs": [{"key": "el", "value": "3120", "period": "2025-11-01 00:00:00 +0100"}],
    "rent_ledger": [
        {
            "tenant": "Nora",
            "rent_month": "2025-09-01",
            "amount_due": "6247",
            "calculation": {"config_month": "2025-08", "version": 1},
        }
    ],
    "co_owned_items": [{"name": "Soffa", "value": "3200", "owners": ["Nora"]}],
}


def history(**changes):
    """HISTORY with `section__key=value` changes; value `...` removes the key."""
    document = copy.deepcopy(HISTORY)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = document
        for part in parents:
            target = target[part]
        if value is ...:
            target.pop(last)
        else:
            target[last] = value
    return document


def export(table: str, index: int = 0, **values):
    """EXPORT with some fields of one row changed (value `...` removes the field)."""
    document = copy.deepcopy(EXPORT)
    row = document[table][index]
    for key, value in values.items():
        if value is ...:
            row.pop(key)
        else:
            row[key] = value
    return document


def problems_of(tmp_path, *files) -> list[str]:
    """Write (name, document) pairs and read them together; the problems as printed."""
    for name, document in files:
        text = document if isinstance(document, str) else json.dumps(document)
        (tmp_path / name).write_text(text)
    return [str(problem) for problem in read_bundle([tmp_path]).problems]


def one_problem(tmp_path, name, document) -> str:
    problems = problems_of(tmp_path, (name, document))
    assert len(problems) == 1, problems
    return problems[0]


# -- history files: each bad value, one message --------------------------------------------

HISTORY_CASES = [
    (
        "version_not_whole",
        history(metadata__version="2"),
        "metadata.version: must be a whole number ≥ 1",
    ),
    ("version_bool", history(metadata__version=True), "metadata.version: must be a whole number"),
    ("title_not_text", history(metadata__title=5), "metadata.title: must be a text"),
    (
        "calculation_date_missing",
        history(metadata__calculation_date=...),
        "metadata.calculation_date: must be a date or timestamp such as 2025-08-01, got None",
    ),
    (
        "calculation_date_without_time",
        history(metadata__calculation_date="2025-01-20"),
        "metadata.calculation_date: must be a timestamp with an offset, got '2025-01-20'",
    ),
    (
        "calculation_date_without_offset",
        history(metadata__calculation_date="2025-01-20T19:00:00"),
        "metadata.calculation_date: must be a timestamp with an offset, got '2025-01-20T19:00:00'",
    ),
    (
        "calculation_date_impossible",
        history(metadata__calculation_date="2025-02-30T19:00:00+01:00"),
        "metadata.calculation_date: is not a valid timestamp: '2025-02-30T19:00:00+01:00' "
        "(day is out of range for month)",
    ),
    (
        "calculation_date_hour_25",
        history(metadata__calculation_date="2025-01-20T25:00:00+01:00"),
        "metadata.calculation_date: is not a valid timestamp: '2025-01-20T25:00:00+01:00' "
        "(hour must be in 0..23)",
    ),
    (
        "year_not_a_year",
        history(constants__year="2025"),
        "constants.year: must be a year, got '2025'",
    ),
    (
        "month_missing_with_year",
        history(constants__month=...),
        "constants.month: must be a month number 1-12, got None",
    ),
    (
        "config_month_not_a_month",
        history(metadata__config_month="2025-13"),
        "metadata.config_month: must be a date or timestamp such as 2025-08-01, got '2025-13'",
    ),
    (
        "config_month_impossible_date",
        history(metadata__config_month="2025-02-30"),
        "metadata.config_month: is not a valid date: '2025-02-30' (day is out of range for month)",
    ),
    (
        "cost_as_text",
        history(constants__el="3000"),
        'constants.el: must be a number, got "3000"',
    ),
    (
        "cost_with_ore_fractions",
        history(constants__el=12.345),
        "constants.el: must have at most 2 decimals (öre), got 12.345",
    ),
    (
        "cost_too_large",
        history(constants__el=1e10),
        "constants.el: is too large: 10000000000.0",
    ),
    (
        "cost_far_too_large",
        history(constants__kallhyra=1e30),
        "constants.kallhyra: is too large: 1e+30",
    ),
    (
        "roommate_without_a_name",
        history(
            roommates={" ": {}, "Nora": {}, "Otto": {}},
            final_results={"Nora": 1, "Otto": 1, " ": 1},
        ),
        "roommates. : a roommate needs a name",
    ),
    (
        "roommate_not_an_object",
        history(roommates__Otto=20),
        "roommates.Otto: must be an object, got int",
    ),
    (
        "days_not_a_number",
        history(roommates__Otto={"days": "20"}),
        'roommates.Otto.days: must be a number, got "20"',
    ),
    (
        "days_negative",
        history(roommates__Otto={"days": -1}),
        "roommates.Otto.days: must be a number > 0",
    ),
    (
        "room_adjustment_with_fractions",
        history(roommates__Otto={"room_adjustment": -0.001}),
        "roommates.Otto.room_adjustment: must have at most 2 decimals (öre), got -0.001",
    ),
    (
        "no_roommates",
        history(roommates={}, final_results={}),
        "roommates: must name at least one roommate",
    ),
    (
        "status_unknown",
        history(metadata__status="final"),
        "metadata.status: must be one of current, superseded, needs_review",
    ),
    ("source_not_an_object", history(metadata__source="x"), "metadata.source: must be an object"),
    (
        "created_at_without_offset",
        history(metadata__created_at="2025-01-20 10:00"),
        "metadata.created_at: must be a timestamp with an offset, got '2025-01-20 10:00'",
    ),
    ("section_not_an_object", history(constants=[]), "constants: must be an object, got list"),
    (
        "roommate_order_not_a_list",
        {**HISTORY, "roommate_order": "Nora"},
        "roommate_order: must be a list, got str",
    ),
]


@pytest.mark.parametrize(
    ("document", "message"),
    [case[1:] for case in HISTORY_CASES],
    ids=[case[0] for case in HISTORY_CASES],
)
def test_a_bad_history_value_is_named_by_file_and_path(tmp_path, document, message):
    assert one_problem(tmp_path, "2025_01_v1.json", document).startswith(
        f"2025_01_v1.json: {message}"
    )


def test_a_cost_of_1e30_is_listed_among_the_errors_not_a_crash(tmp_path):
    """A number beyond the columns' digits is an error naming the file and path
    (docs/import-format.md); it once escaped as decimal.InvalidOperation."""
    (tmp_path / "2025_01_v1.json").write_text(json.dumps(history(constants__kallhyra=1e30)))
    with pytest.raises(ImportFailed) as failed:
        import_rent([tmp_path], dry_run=True)
    assert [str(p) for p in failed.value.problems] == [
        "2025_01_v1.json: constants.kallhyra: is too large: 1e+30"
    ]


def test_the_version_comes_from_the_file_name_when_metadata_has_none(tmp_path):
    (tmp_path / "2025_01_v3.json").write_text(json.dumps(history(metadata__version=...)))
    bundle = read_bundle([tmp_path])
    assert bundle.problems == []
    assert bundle.histories[0].version == 3


def test_a_history_without_month_or_usable_name_asks_for_an_override(tmp_path):
    document = history(constants__year=..., constants__month=...)
    assert one_problem(tmp_path, "februari.json", document) == (
        "februari.json: constants: has no year/month, and the file name is not YYYY_MM_vN.json: "
        "give its config month in an overrides file"
    )


def test_a_json_document_that_is_not_an_object_is_an_unknown_format(tmp_path):
    assert one_problem(tmp_path, "list.json", "[1, 2]").startswith(
        "list.json: unknown format: neither a history file"
    )


def test_a_good_history_becomes_exact_values(tmp_path):
    (tmp_path / "2025_01_v1.json").write_text(
        json.dumps(history(metadata__calculation_date="2025-01-20 19:00:00.5 +0100"))
    )
    record = read_bundle([tmp_path]).histories[0]
    assert record.calculated_at == datetime(
        2025, 1, 20, 19, 0, 0, 500000, tzinfo=timezone(timedelta(hours=1))
    )
    assert record.config_month == date(2025, 1, 1)
    assert record.constants == {"kallhyra": Decimal("24530"), "el": Decimal("3000")}
    assert record.roommates["Otto"].days == Decimal(20)
    assert record.amounts == {"Nora": Decimal(7000), "Otto": Decimal(3500)}


def test_a_utc_stamp_written_with_z_is_read_as_utc(tmp_path):
    (tmp_path / "2025_01_v1.json").write_text(
        json.dumps(history(metadata__calculation_date="2025-01-20T18:00Z"))
    )
    record = read_bundle([tmp_path]).histories[0]
    assert record.calculated_at == datetime(2025, 1, 20, 18, 0, tzinfo=UTC)


# -- database exports ----------------------------------------------------------------------

EXPORT_CASES = [
    (
        "newer_format_version",
        {**EXPORT, "format": "kimonokittens-rent-export", "format_version": 2},
        "format_version: this importer reads version 1, got 2",
    ),
    ("table_not_a_list", {**EXPORT, "tenants": "Nora"}, "tenants: must be a list, got str"),
    ("tenant_not_an_object", {**EXPORT, "tenants": [5]}, "tenants[0]: must be an object, got int"),
    (
        "tenant_without_name",
        export("tenants", name=" "),
        "tenants[0].name: must be a non-empty text",
    ),
    ("tenant_id_not_text", export("tenants", id=7), "tenants[0].id: must be a text"),
    (
        "tenant_impossible_date",
        export("tenants", startDate="2025-02-30"),
        "tenants[0].startDate: is not a valid date: '2025-02-30' (day is out of range for month)",
    ),
    (
        "tenant_leaves_before_arriving",
        export("tenants", departureDate="2023-12-31"),
        "tenants[0].departureDate: is before startDate",
    ),
    (
        "tenant_adjustment_not_a_number",
        export("tenants", roomAdjustment="abc"),
        "tenants[0].roomAdjustment: must be a number, got 'abc'",
    ),
    (
        "config_not_an_object",
        {**EXPORT, "rent_configs": ["el"]},
        "rent_configs[0]: must be an object, got str",
    ),
    (
        "config_unknown_key",
        export("rent_configs", key="hyra"),
        "rent_configs[0].key: must be one of kallhyra, el, bredband, vattenavgift, va, larm, "
        "drift_rakning, saldo_innan, extra_in, gas, got 'hyra'",
    ),
    (
        "config_value_not_finite",
        export("rent_configs", value="NaN"),
        "rent_configs[0].value: must be a number, got 'NaN'",
    ),
    (
        "config_value_far_too_large",
        export("rent_configs", value="1e30"),
        "rent_configs[0].value: is too large: 1e30",
    ),
    (
        "ledger_row_not_an_object",
        {**EXPORT, "rent_ledger": [None]},
        "rent_ledger[0]: must be an object, got NoneType",
    ),
    (
        "ledger_row_without_tenant",
        export("rent_ledger", tenant=...),
        "rent_ledger[0].tenant: missing: a tenant name or tenantId",
    ),
    (
        "ledger_calculation_version_zero",
        export("rent_ledger", calculation={"config_month": "2025-08", "version": 0}),
        "rent_ledger[0].calculation.version: must be ≥ 1",
    ),
    (
        "ledger_calculation_not_an_object",
        export("rent_ledger", calculation="2025-08"),
        "rent_ledger[0].calculation: must be an object, got str",
    ),
    (
        "ledger_negative_payment",
        export("rent_ledger", amountPaid="-5"),
        "rent_ledger[0].amountPaid: must be 0 or more, got -5",
    ),
    (
        "ledger_paid_on_not_a_date",
        export("rent_ledger", paymentDate="igår"),
        "rent_ledger[0].paymentDate: must be a date or timestamp such as 2025-08-01, got 'igår'",
    ),
    (
        "item_not_an_object",
        {**EXPORT, "co_owned_items": [[]]},
        "co_owned_items[0]: must be an object, got list",
    ),
    (
        "item_owner_not_text",
        export("co_owned_items", owners=["Nora", 3]),
        "co_owned_items[0].owners[1]: must be a non-empty text",
    ),
    (
        "item_negative_value",
        export("co_owned_items", value=-1),
        "co_owned_items[0].value: must be 0 or more, got -1",
    ),
    ("phone_not_a_number", export("tenants", phone="070-12"), "tenants[0].phone: not a valid"),
    (
        "phone_e164_not_a_number",
        export("tenants", phoneE164="ring mig"),
        "tenants[0].phoneE164: not a phone number",
    ),
    (
        "deposit_negative",
        export("tenants", deposit="-5"),
        "tenants[0].deposit: must be 0 or more",
    ),
    (
        "deposit_returned_beyond_paid",
        export("tenants", deposit="5000", depositReturned="6000", depositReturnedOn="2025-09-01"),
        "tenants[0].depositReturned: is more than deposit",
    ),
    (
        "furnishing_deposit_returned_without_its_day",
        export("tenants", furnishingDeposit=2000, furnishingDepositReturned=2000),
        "tenants[0].furnishingDepositReturnedOn: missing: the day it was returned",
    ),
    ("signed_on_not_a_date", export("tenants", signedOn="soon"), "tenants[0].signedOn: must be"),
    (
        "personnummer_wrong_check_digit",
        export("tenants", personnummer="880320-0018"),
        "tenants[0].personnummer: the check digit of '880320-0018' is wrong",
    ),
]


@pytest.mark.parametrize(
    ("document", "message"),
    [case[1:] for case in EXPORT_CASES],
    ids=[case[0] for case in EXPORT_CASES],
)
def test_a_bad_export_value_is_named_by_file_and_path(tmp_path, document, message):
    assert one_problem(tmp_path, "export.json", document).startswith(f"export.json: {message}")


def test_a_good_export_row_keeps_its_alternative_field_names(tmp_path):
    document = export(
        "rent_ledger",
        tenant=...,
        tenantId="t-nora",
        amount_due=...,
        amountDue="100.50",
        calculation={"config_month": "2025-08-01", "version": 2},
        createdAt="2025-08-20T10:00:00+02:00",
    )
    (tmp_path / "export.json").write_text(json.dumps(document))
    bundle = read_bundle([tmp_path])
    assert bundle.problems == []
    row = bundle.exports[0].ledger[0]
    assert row.tenant_legacy_id == "t-nora"
    assert row.amount_due == Decimal("100.50")
    assert row.calculation == CalculationKey(date(2025, 8, 1), 2)
    assert row.created_at == datetime(2025, 8, 20, 8, 0, tzinfo=UTC)


def test_the_same_rows_twice_with_different_values_are_errors(tmp_path):
    other = copy.deepcopy(EXPORT)
    other["tenants"][0]["email"] = "annan@example.org"
    other["rent_configs"][0]["value"] = "9999"
    assert problems_of(tmp_path, ("a.json", EXPORT), ("b.json", other)) == [
        "b.json: tenants[0]: tenant Nora is given twice",
        "b.json: rent_configs[0]: el for 2025-11 is given twice, as 3120 and 9999",
        "b.json: rent_ledger[0]: this tenant's rent month is given twice",
    ]


# -- overrides files ---------------------------------------------------------------------------

OVERRIDE_CASES = [
    ({"x.json": 5}, "import_overrides.x.json: must be an object, got int"),
    ({"x.json": {"month": "2025-01"}}, "import_overrides.x.json: unknown keys: month"),
    ({"x.json": {"version": 0}}, "import_overrides.x.json.version: must be a whole number ≥ 1"),
    (
        {"x.json": {"status": "old"}},
        "import_overrides.x.json.status: must be one of current, superseded, needs_review",
    ),
    (
        {"x.json": {"config_month": "januari"}},
        "import_overrides.x.json.config_month: must be a date or timestamp",
    ),
    ([], "import_overrides: must be an object, got list"),
]


@pytest.mark.parametrize(("entries", "message"), OVERRIDE_CASES)
def test_a_bad_override_is_named_by_file_and_path(tmp_path, entries, message):
    document = {"import_overrides": entries}
    assert one_problem(tmp_path, "overrides.json", document).startswith(
        f"overrides.json: {message}"
    )


def test_a_file_overridden_in_two_overrides_files_is_an_error(tmp_path):
    entry = {"import_overrides": {"2025_01_v1.json": {"status": "superseded"}}}
    problems = problems_of(
        tmp_path, ("2025_01_v1.json", HISTORY), ("a.json", entry), ("b.json", entry)
    )
    assert problems == ["b.json: import_overrides.2025_01_v1.json: is overridden twice"]


def test_an_override_sets_month_version_and_status(tmp_path):
    document = history(constants__year=..., constants__month=...)
    overrides = {
        "import_overrides": {
            "februari.json": {"config_month": "2025-03", "version": 4, "status": "superseded"},
            "saknas.json": {"status": "current"},
        }
    }
    (tmp_path / "februari.json").write_text(json.dumps(document))
    (tmp_path / "overrides.json").write_text(json.dumps(overrides))
    bundle = read_bundle([tmp_path])
    assert bundle.problems == []
    record = bundle.histories[0]
    assert (record.config_month, record.version, record.status) == (
        date(2025, 3, 1),
        4,
        "superseded",
    )
    assert record.period_source == "overrides"
    assert bundle.warnings == ["overrides: saknas.json is not among the imported files"]


def test_an_override_without_month_confirms_the_month_guessed_from_the_name(tmp_path):
    document = history(constants__year=..., constants__month=...)
    overrides = {"import_overrides": {"2025_01_v1.json": {"version": 1}}}
    (tmp_path / "2025_01_v1.json").write_text(json.dumps(document))
    (tmp_path / "overrides.json").write_text(json.dumps(overrides))
    record = read_bundle([tmp_path]).histories[0]
    assert (record.config_month, record.period_source) == (date(2025, 1, 1), "overrides")
    assert not record.period_guessed


def test_two_files_marked_current_for_one_month_is_an_error(tmp_path):
    second = history(metadata__version=2, metadata__status="current")
    problems = problems_of(
        tmp_path,
        ("2025_01_v1.json", history(metadata__status="current")),
        ("2025_01_v2.json", second),
    )
    assert problems == [
        "2025_01_v2.json: metadata.status: two files are marked current for 2025-01: this and "
        "2025_01_v1.json"
    ]


def test_the_old_systems_stay_fields_become_the_tenants_stay(tmp_path):
    """The old Tenant table's later columns (phoneE164 over phone, room, deposits)."""
    document = export(
        "tenants",
        phone="070-123 45 67",
        phoneE164="+46701234567",
        room="Mörka rummet",
        deposit=6000.0,
        furnishingDeposit="2000.50",
        status="active",  # the old system's word; here the status follows from the dates
        personnummer="880320-0016",
    )
    (tmp_path / "export.json").write_text(json.dumps(document))
    bundle = read_bundle([tmp_path])
    assert bundle.problems == []
    tenant = bundle.exports[0].tenants[0]
    assert tenant.room_name == "Mörka rummet"
    assert tenant.stay == {
        "phone": "+46701234567",
        "personnummer": "19880320-0016",
        "deposit": Decimal("6000.0"),
        "furnishing_deposit": Decimal("2000.50"),
    }
