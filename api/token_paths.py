"""A token in a URL path (`/k/<token>/`, api/kiosk_base.py) never reaches a log in full.

No imports of models: the logging configuration loads this before the apps are ready.
"""

from __future__ import annotations

import logging
import re

# What of a token a log may show: the prefix the admin lists (`kk_` and 6 characters,
# api.tokens.token_fields).
SHOWN = len("kk_") + 6
TOKEN_IN_PATH = re.compile(r"(/k/)([^/?#\s]{1," + str(SHOWN) + r"})[^/?#\s\"']*")


def mask_token_paths(text: str) -> str:
    """Every `/k/<token>` in `text` with the token cut to its listed prefix and `…`."""
    return TOKEN_IN_PATH.sub(lambda match: f"{match[1]}{match[2]}…", text)


class TokenPathFilter(logging.Filter):
    """Masks `/k/<token>` in a log record's message (and its arguments), whoever logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_token_paths(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a runtime dependency
    _GunicornLogger = object


class MaskedGunicornLogger(_GunicornLogger):
    """gunicorn's logger with `/k/<token>` masked in the access log's request line and path."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_token_paths(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
