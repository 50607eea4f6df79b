"""Money as a field type: one precision, negative only where the column says so, Swedish input."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from rent.fields import MoneyField, MoneyFormField
from rent.models import CoOwnedItem, Payment, RentLedger, Tenant
from tests.builders import make_payment, make_tenant


def every_money_column():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, MoneyField):
                yield model, field


def test_every_money_column_has_the_one_precision():
    columns = list(every_money_column())
    assert len(columns) >= 12
    assert {(field.max_digits, field.decimal_places) for _, field in columns} == {(14, 2)}


def test_no_amount_column_is_a_plain_decimal_field():
    """Every kronor column is a MoneyField; days stayed is the one plain decimal."""
    plain = {
        (model._meta.label, field.name)
        for model in apps.get_app_config("rent").get_models()
        for field in model._meta.concrete_fields
        if type(field) is models.DecimalField
    }
    assert plain == {
        ("rent.RentLedger", "days_stayed"),
        ("rent.HistoricalRentLedger", "days_stayed"),
    }


def test_may_be_negative_is_said_by_the_column():
    assert Payment._meta.get_field("amount").may_be_negative  # a refund
    assert Tenant._meta.get_field("room_adjustment").may_be_negative  # a discount
    assert not RentLedger._meta.get_field("amount_due").may_be_negative
    assert not CoOwnedItem._meta.get_field("value").may_be_negative


def test_the_model_refuses_a_negative_amount_where_the_column_does_not_allow_it():
    row = RentLedger(rent_month=date(2025, 10, 1), amount_due=Decimal("-1"), room_adjustment=-5)
    with pytest.raises(ValidationError) as refused:
        row.clean_fields(exclude=["tenant", "calculation"])
    assert set(refused.value.message_dict) == {"amount_due"}


@pytest.mark.django_db
def test_the_model_accepts_a_refund():
    payment = make_payment(make_tenant(), Decimal("-250.50"))
    payment.full_clean(exclude=["tenant", "recorded_by"])
    payment.refresh_from_db()
    assert payment.amount == Decimal("-250.50")


@pytest.mark.django_db
def test_the_largest_amount_is_stored_and_read_back_exactly():
    payment = make_payment(make_tenant(), Decimal("999999999999.99"))
    payment.refresh_from_db()
    assert payment.amount == Decimal("999999999999.99")


def test_the_form_field_reads_swedish_money_and_the_columns_sign_rule():
    refund = Payment._meta.get_field("amount").formfield()
    value = CoOwnedItem._meta.get_field("value").formfield()
    assert isinstance(refund, MoneyFormField)
    assert refund.clean("3 312,50") == Decimal("3312.50")
    assert refund.clean("3 312 kr") == Decimal("3312")
    assert refund.clean("-1 400") == Decimal("-1400")
    with pytest.raises(ValidationError, match="får inte vara negativt"):
        value.clean("-1 400")
    assert value.widget.format_value(Decimal("3312")) == "3 312,00"


def test_the_field_deconstructs_with_its_sign_rule():
    _, path, _, kwargs = Payment._meta.get_field("amount").deconstruct()
    assert path == "rent.fields.MoneyField"
    assert kwargs["may_be_negative"] is True
    _, _, _, kwargs = RentLedger._meta.get_field("amount_due").deconstruct()
    assert "may_be_negative" not in kwargs
