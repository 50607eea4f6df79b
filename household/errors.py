"""One error base for every app: a code and the parameters its message needs.

`CodedError(code, **params)`: the code is stable (tests, the API's `code` field); the message is
looked up by code in the class's `MESSAGES` table (one English msgid per code, marked with
`gettext_noop`, its Swedish in the .po). `str(error)` is the English sentence (files, commands,
logs); `error.message` is the same sentence in the active language, which is what pages and the
API show. Nobody translates an error by reading its English text. A parameter that is itself a
CodedError (a refusal wrapped in another) is read the same way: English in `str`, translated in
`message`.

Each app subclasses it with its own table (rent.errors.RentError, handbook.errors.HandbookError).
Framework-free, so rent's engine can raise its errors without loading Django; only reading
`message` asks Django's translations. Imports no app.
"""

from __future__ import annotations

from typing import ClassVar


def gettext_noop(message: str) -> str:
    """Marks a msgid for makemessages (as Django's does) without importing Django."""
    return message


class CodedError(Exception):
    """A refusal named by `code`, a key of the class's `MESSAGES`."""

    MESSAGES: ClassVar[dict[str, str]] = {}

    def __init__(self, code: str, **params):
        if code not in self.MESSAGES:
            raise KeyError(f"unknown error code: {code}")
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code] % params)

    def __reduce__(self):
        # Subclasses may take other arguments (rent's PaidChangesError its changes): rebuild from
        # state, so an error can be cached or sent elsewhere and read back whole.
        return _rebuilt, (type(self), self.__dict__)

    @property
    def message(self) -> str:
        """The sentence in the active language (pages, the API)."""
        from django.utils.translation import gettext  # the base itself loads no Django

        params = {
            name: value.message if isinstance(value, CodedError) else value
            for name, value in self.params.items()
        }
        return gettext(self.MESSAGES[self.code]) % params


def _rebuilt(cls, state):
    error = cls.__new__(cls)
    Exception.__init__(error, cls.MESSAGES[state["code"]] % state["params"])
    error.__dict__.update(state)
    return error
