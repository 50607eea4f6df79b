"""The id of the request being answered, for log records (LOGGING's filter) and error pages.

Kept apart from the middleware: logging is configured before Django's apps are loaded, so this
module imports nothing from them.
"""

import logging
import re
from contextvars import ContextVar

# The id of the request being answered in this thread ("-" outside a request).
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
# An id sent by nginx ($request_id) is kept when it looks like one; anything else is replaced.
INCOMING_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record, so an error's lines can be found by its id."""

    def filter(self, record):
        request = getattr(record, "request", None)  # django.request's records carry it
        record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True
