"""rent.errors: one base with a code and parameters; every code has its Swedish sentence, and
the engine's and the services' refusals are named by code (the English text is never read)."""

import importlib
import pickle
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation

from household.logins import LoginError, create_login
from rent.bank.services import ApplyError, apply_transaction
from rent.engine.message import rent_message
from rent.engine.occupancy import UnknownRoommateError
from rent.engine.split import RentInputError, split_from_history, split_rent
from rent.errors import MESSAGES, RentError
from rent.importing import ImportFailed
from rent.ledger.claims import ClaimError, claim_payment
from rent.ledger.inputs import residents_of
from rent.models import BankTransaction
from tests.builders import make_login, make_tenant
from tests.refusals import assert_swedish_sentence, every_subclass

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_a_swedish_sentence_with_the_same_parameters(code):
    assert_swedish_sentence(MESSAGES[code])


def test_the_english_text_is_for_files_and_the_message_follows_the_language():
    error = RentInputError("days_out_of_range", name="Malin", days=30)
    assert (error.code, error.params) == ("days_out_of_range", {"name": "Malin", "days": 30})
    assert str(error) == "Invalid days for Malin: must be between 1 and 30"
    with translation.override("sv"):
        assert error.message == "Malin: mellan 1 och 30 dagar."
    with translation.override("en"):
        assert error.message == "Invalid days for Malin: must be between 1 and 30"
    assert isinstance(error, ValueError)  # callers that caught ValueError still do


def test_an_error_survives_a_round_trip_through_the_cache():
    error = pickle.loads(pickle.dumps(RentInputError("cost_negative", key="el")))
    assert (type(error), error.code, error.params, str(error)) == (
        RentInputError,
        "cost_negative",
        {"key": "el"},
        "el must be a positive number",
    )
    failed = pickle.loads(pickle.dumps(ImportFailed(["a", "b"])))
    assert (failed.problems, failed.params) == (["a", "b"], {"count": 2})


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError, match="unknown error code: nope"):
        RentError("nope")


@pytest.mark.parametrize(
    ("call", "code", "params"),
    [
        (lambda: split_rent({}, {}), "no_roommates", {}),
        (lambda: split_from_history([]), "history_not_an_object", {}),
        (lambda: split_from_history({"constants": [], "roommates": {}}),
         "constants_not_an_object", {}),
        (lambda: split_from_history({"constants": {}, "roommates": []}),
         "roommates_not_an_object", {}),
        (lambda: split_rent({"A": {}}, []), "config_not_a_mapping", {}),
        (lambda: split_rent({"A": {}}, {"el": -1}), "cost_negative", {"key": "el"}),
        (lambda: split_rent({"A": {}}, {"saldo_innan": "x"}), "cost_not_a_number",
         {"key": "saldo_innan"}),
        (lambda: split_rent({"A": {}}, {}, year=2025, month=13), "invalid_config_month",
         {"year": 2025, "month": 13}),
        (lambda: split_rent({"A": 5}, {}), "invalid_roommate", {"name": "A"}),
        (lambda: split_rent({"A": {"days": 31}}, {}), "days_out_of_range",
         {"name": "A", "days": 30}),
        (lambda: split_rent({"A": {"room_adjustment": "x"}}, {}), "adjustment_not_a_number",
         {"name": "A"}),
        (lambda: split_from_history({"constants": {"year": 2025.5, "month": 1},
                                     "roommates": {"A": {}}}),
         "not_a_whole_number", {"key": "year"}),
    ],
)  # fmt: skip
def test_the_engine_names_each_refusal_by_its_code(call, code, params):
    with pytest.raises(RentInputError) as refused:
        call()
    assert refused.value.code == code
    assert refused.value.params == params


def test_the_message_refuses_a_month_that_is_not_one():
    split = split_rent({"A": {}}, {})
    with pytest.raises(RentInputError) as refused:
        rent_message(split, year=2025, month=13)
    assert (refused.value.code, refused.value.params) == ("not_a_month", {"month": 13})


@pytest.mark.django_db
def test_an_override_for_someone_not_living_here_names_them():
    make_tenant("Adam")
    with pytest.raises(UnknownRoommateError) as refused:
        residents_of(date(2025, 10, 1), overrides={"Gone": {"days": 3}})
    assert refused.value.code == "not_living_here"
    assert refused.value.params == {"month": "2025-10", "names": "Gone"}


@pytest.mark.django_db
def test_the_services_name_their_refusals_by_code(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 9, 26))
    adam = make_tenant("Adam", email="adam@example.com")
    codes = []
    for call in [
        lambda: claim_payment(tenant=adam, amount=Decimal(0), paid_on=date(2025, 9, 25)),
        lambda: claim_payment(tenant=adam, amount=Decimal(5), paid_on=date(2025, 12, 24)),
    ]:
        with pytest.raises(ClaimError) as refused:
            call()
        codes.append(refused.value.code)
    outgoing = BankTransaction.objects.create(
        key="k", booked_on=date(2025, 9, 25), amount=Decimal("-10"), status="outgoing",
        statement_name="x.csv",
    )  # fmt: skip
    with pytest.raises(ApplyError) as refused:
        apply_transaction(bank_transaction=outgoing, tenant=adam, for_month=None)
    codes.append(refused.value.code)
    with pytest.raises(LoginError) as refused:
        create_login(tenant=make_tenant("Bea"))  # no email
    codes.append(refused.value.code)
    create_login(tenant=adam)
    with pytest.raises(LoginError) as refused:
        create_login(tenant=adam)
    codes.append(refused.value.code)
    make_login("cecilia", email="cecilia@example.com")
    with pytest.raises(LoginError) as refused:
        create_login(tenant=make_tenant("Cecilia", email="cecilia@example.com"))
    codes.append(refused.value.code)
    assert codes == [
        "amount_not_positive",
        "paid_in_future",
        "bank_line_outgoing",
        "email_missing",
        "login_exists",
        "email_taken",
    ]


ERROR_MODULES = ["rent.ledger.balances", "rent.bank.services", "rent.ledger.claims",
                 "rent.importing.exporting", "rent.formatting", "rent.importing.history_backup",
                 "backup.household", "rent.admin.import_limits", "rent.importing",
                 "rent.engine.occupancy", "rent.ledger.payments", "rent.engine.stays",
                 "rent.ledger.tenant_changes", "rent.reminders.sms",
                 "rent.ledger.finalize", "rent.engine.split", "rent.bank.readers",
                 "api.api"]  # fmt: skip


def test_every_code_is_raised_by_the_app_and_asserted_by_a_test():
    """No code without a raise site, and no raise site whose code no test names."""
    for module in ERROR_MODULES:
        importlib.import_module(module)
    sources = "\n".join(
        path.read_text()
        for app in ("rent", "household", "api", "backup")
        for path in (ROOT / app).rglob("*.py")
    )
    classes = "|".join(sorted({cls.__name__ for cls in every_subclass(RentError)}))
    raised = set(re.findall(rf'(?:raise (?:{classes})|super\(\).__init__)\(\s*"(\w+)"', sources))
    assert raised == set(MESSAGES)
    tests = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))
    assert {code for code in MESSAGES if f'"{code}"' not in tests} == set()
