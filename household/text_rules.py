"""What a name, an email or a title may contain.

Invisible and direction-changing characters (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width spaces,
control characters) make one text look like another in lists and messages, so they are refused.
A name or an email starting with = + - @ would be read as a formula by a spreadsheet that opens
an export; exports neutralise such cells anyway, and these fields refuse them at the door.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control (Cc), format (Cf: bidi overrides and isolates, zero-width characters), surrogates,
# private use, and the line and paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def refuse_invisible_characters(value) -> None:
    for character in str(value or ""):
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            raise ValidationError(
                _(
                    "Contains an invisible or direction-changing character "
                    "(%(codepoint)s %(name)s); remove it."
                ),
                params={
                    "codepoint": f"U+{ord(character):04X}",
                    "name": unicodedata.name(character, "control character"),
                },
                code="invisible_character",
            )


def refuse_formula_start(value) -> None:
    text = str(value or "")
    if text.startswith(FORMULA_STARTS):
        raise ValidationError(
            _("Must not start with %(character)s (a spreadsheet would read it as a formula)."),
            params={"character": repr(text[0])},
            code="formula_start",
        )
