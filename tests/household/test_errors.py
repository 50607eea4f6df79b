"""household.errors: the framework-free base every app's refusals stand on: a code, parameters,
the English sentence in str(), the translated one in `message`, pickled whole."""

import pickle
import subprocess
import sys

import pytest
from django.utils import translation

from household.errors import CodedError
from tests.processes import REPO_ROOT


class ShelfError(CodedError):
    # Plain strings (not marked for makemessages: the catalogue is the apps'); two are msgids
    # the catalogue translates, to see the translation made when the message is read.
    MESSAGES = {
        "shelf_full": "%(name)s is full",
        "comment_empty": "The comment is empty.",
        "wrapped": "%(name)s: %(reason)s",
    }


class CountedShelfError(ShelfError):
    """A subclass with arguments of its own, as rent's PaidChangesError."""

    def __init__(self, items: list):
        self.items = items
        super().__init__("shelf_full", name=f"{len(items)} items")


def test_the_code_and_parameters_make_the_english_sentence():
    error = ShelfError("shelf_full", name="Skafferiet")
    assert (error.code, error.params, str(error)) == (
        "shelf_full", {"name": "Skafferiet"}, "Skafferiet is full",
    )  # fmt: skip
    assert error.args == ("Skafferiet is full",)


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError, match="unknown error code: nope"):
        ShelfError("nope")
    with pytest.raises(KeyError, match="unknown error code: shelf_full"):
        CodedError("shelf_full")  # the base has no table of its own


def test_the_message_is_translated_when_it_is_read():
    error = ShelfError("comment_empty")  # raised with no language active
    with translation.override("sv"):
        assert error.message == "Kommentaren är tom."
    with translation.override("en"):
        assert error.message == "The comment is empty."
    assert str(error) == "The comment is empty."


def test_a_wrapped_refusal_is_english_in_str_and_translated_in_message():
    error = ShelfError("wrapped", name="hylla.md", reason=ShelfError("comment_empty"))
    assert str(error) == "hylla.md: The comment is empty."
    with translation.override("sv"):
        assert error.message == "hylla.md: Kommentaren är tom."


def test_an_error_survives_a_round_trip_whole():
    error = pickle.loads(pickle.dumps(ShelfError("shelf_full", name="Skafferiet")))
    assert (type(error), error.code, error.params, str(error)) == (
        ShelfError, "shelf_full", {"name": "Skafferiet"}, "Skafferiet is full",
    )  # fmt: skip
    counted = pickle.loads(pickle.dumps(CountedShelfError(["mjöl", "salt"])))
    assert (type(counted), counted.items, str(counted)) == (
        CountedShelfError, ["mjöl", "salt"], "2 items is full",
    )  # fmt: skip


def test_the_base_loads_no_django():
    code = "import sys, household.errors; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout.strip() == "False"
