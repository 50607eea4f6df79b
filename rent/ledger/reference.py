"""The reference code each person uses for each rent month, e.g. `KK2510ADAM`.

Short enough to type in a Swish message: "KK", the rent month as YYMM, and the first letters
of the person's name without accents. Two people whose names start alike get their tenant
number added, so a code always names one person. The bank statement matching reads it back
(`find_codes`), anywhere in a message and in any case.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

PREFIX = "KK"
STEM_LENGTH = 4
CODE = re.compile(rf"\b{PREFIX}\s?(\d{{2}})(\d{{2}})\s?([A-Z]{{1,{STEM_LENGTH}}}\d*)\b", re.I)


def plain(text: str) -> str:
    """Accents and case gone, spaces collapsed: "Åsa  Öberg" → "asa oberg"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def name_stem(name: str) -> str:
    letters = re.sub(r"[^a-z]", "", plain(name))
    return (letters[:STEM_LENGTH] or "X").upper()


def person_parts(tenants) -> dict[int, str]:
    """Tenant id → the person's part of the code, unique among `tenants`."""
    tenants = list(tenants)
    stems: dict[str, list] = {}
    for tenant in tenants:
        stems.setdefault(name_stem(tenant.name), []).append(tenant)
    parts = {}
    for stem, sharing in stems.items():
        for tenant in sharing:
            parts[tenant.pk] = stem if len(sharing) == 1 else f"{stem}{tenant.pk}"
    return parts


def reference_code(*, tenant, rent_month: date, tenants=None) -> str:
    """The code for `tenant` and `rent_month` (unique among `tenants`, default: everyone)."""
    if tenants is None:
        from rent.models import Tenant

        tenants = Tenant.objects.only("pk", "name")
    part = person_parts(tenants).get(tenant.pk) or name_stem(tenant.name)
    return code_for(part, rent_month)


def code_for(part: str, rent_month: date) -> str:
    """A person's part (from `person_parts`) and a rent month as the code: `KK2510ALVA`."""
    return f"{PREFIX}{rent_month:%y%m}{part}"


def find_codes(text: str) -> list[tuple[date, str]]:
    """Every code in `text`: (rent month, person's part in capitals)."""
    found = []
    for match in CODE.finditer(text or ""):
        year, month, part = int(match.group(1)), int(match.group(2)), match.group(3).upper()
        if 1 <= month <= 12:
            found.append((date(2000 + year, month, 1), part))
    return found
