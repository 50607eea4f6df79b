"""Asserting a coded refusal (household.errors.CodedError): its code, and the Swedish sentence a
page shows for it."""

import re
from contextlib import contextmanager

import pytest
from django.utils import translation


@contextmanager
def refused(error_class, code: str, swedish: str | None = None):
    """Like pytest.raises(error_class), and the error's code is `code`; when `swedish` is given
    (a pattern, as pytest.raises' match), the message in Swedish matches it."""
    with pytest.raises(error_class) as raised:
        yield raised
    assert raised.value.code == code, str(raised.value)
    if swedish is not None:
        with translation.override("sv"):
            message = raised.value.message
        assert re.search(swedish, message), message
