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


PARAMS = re.compile(r"%\((\w+)\)s")


def assert_swedish_sentence(msgid: str) -> None:
    """The catalogue has the msgid's Swedish, with the same parameters. A msgid that is only
    another sentence's parameters ("%(name)s: %(reason)s") may stay as it is."""
    with translation.override("sv"):
        swedish = translation.gettext(msgid)
    if re.search(r"[a-z]", PARAMS.sub("", msgid)):
        assert swedish != msgid, msgid
    assert set(PARAMS.findall(swedish)) == set(PARAMS.findall(msgid)), msgid


def every_subclass(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from every_subclass(sub)
