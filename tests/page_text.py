"""A page's words as a person reads them: markup dropped, entities read, spaces collapsed.

Amounts are wrapped in `<span class="kr">` (never broken on a line), so a sentence such as
"Är skyldig 500 kr" is found in the text, not in the HTML."""

import html as html_module
import re

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\n]+")


def visible_text(html: str) -> str:
    return _SPACE.sub(" ", html_module.unescape(_TAG.sub("", html)))
