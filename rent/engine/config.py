"""The effective config of one config month, resolved from its `RentConfig` rows
(docs/rent-rules.md, section 1): the rule, on rows already read (`config_from_rows`). The one
query that reads them is rent.ledger.inputs.effective_config.

Every value carries where it came from, because housemates check the split against their bills:
a carried-forward base rent or a projected electricity bill must be visible as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from django.utils.translation import npgettext, pgettext

from rent.engine.months import add_months
from rent.engine.numbers import decimal_text

# The keys and defaults are the pure split's: one definition of the rules.
from rent.engine.split import (
    CONFIG_KEYS,
    DEFAULTS,
    PER_MONTH_KEYS,
    PERSISTENT_KEYS,
    round_half_away,
)

__all__ = [
    "CONFIG_KEYS",
    "DEFAULTS",
    "PER_MONTH_KEYS",
    "PERSISTENT_KEYS",
    "ConfigSource",
    "EffectiveConfig",
    "config_from_rows",
]

PROJECTION_MONTHS = 12

SourceKind = Literal["this_month", "carried", "default", "projected"]


@dataclass(frozen=True)
class ConfigSource:
    """Where one resolved value came from."""

    kind: SourceKind
    from_month: date | None = None
    # For an electricity projection from the mean of earlier months: how many were averaged.
    months_averaged: int = 0

    @property
    def missing(self) -> bool:
        """No bill entered and nothing earlier to estimate it from: the value (0) is a
        placeholder, never to be offered as if it were the bill."""
        return self.kind == "projected" and self.from_month is None and not self.months_averaged

    @property
    def label(self) -> str:
        """In the active language (Swedish by default), as the pages and the admin show it.

        The translation context "config source" keeps "default" apart from other defaults.
        """
        if self.kind == "this_month":
            return pgettext("config source", "this month")
        if self.kind == "carried":
            return pgettext("config source", "from %(month)s") % {
                "month": f"{self.from_month:%Y-%m}"
            }
        if self.kind == "default":
            return pgettext("config source", "default")
        if self.from_month is not None:
            return pgettext("config source", "projected from %(month)s") % {
                "month": f"{self.from_month:%Y-%m}"
            }
        if self.months_averaged:
            return npgettext(
                "config source",
                "projected, mean of %(count)d month",
                "projected, mean of %(count)d months",
                self.months_averaged,
            ) % {"count": self.months_averaged}
        return pgettext("config source", "missing: no bill entered, none earlier to estimate from")

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "from_month": f"{self.from_month:%Y-%m}" if self.from_month else None,
            "label": self.label,
        }


@dataclass(frozen=True)
class EffectiveConfig:
    """Every key's value for config month C, and where each came from."""

    config_month: date
    values: dict[str, Decimal]
    sources: dict[str, ConfigSource]

    def is_projected(self, key: str) -> bool:
        return self.sources[key].kind == "projected"

    @property
    def projected_keys(self) -> list[str]:
        return [key for key in CONFIG_KEYS if self.is_projected(key)]

    def split_config(self) -> dict[str, Decimal]:
        """The cost keys as the pure split takes them (a plain dict, in page order)."""
        return {key: self.values[key] for key in CONFIG_KEYS}

    def to_dict(self) -> dict:
        """JSON-able: key → {"value": str, "source": kind, "from_month": ..., "label": ...}."""
        return {
            key: {"value": decimal_text(self.values[key]), **self.sources[key].to_dict()}
            for key in CONFIG_KEYS
        }


def config_from_rows(
    config_month: date, rows: Iterable[tuple[str, date, Decimal]]
) -> EffectiveConfig:
    """Resolve every key for config month C from its rows (key, period, value): C's own, the
    electricity bills of the 12 months before, and each persistent key's latest up to C."""
    this_month: dict[str, Decimal] = {}
    carried: dict[str, tuple[date, Decimal]] = {}
    earlier_el: dict[date, Decimal] = {}
    for key, period, value in rows:
        if period == config_month:
            this_month[key] = value
        elif key == "el" and period < config_month:
            earlier_el[period] = value
        if key in PERSISTENT_KEYS and period < config_month:
            carried[key] = (period, value)

    values: dict[str, Decimal] = {}
    sources: dict[str, ConfigSource] = {}
    for key in CONFIG_KEYS:
        if key in this_month:
            values[key], sources[key] = this_month[key], ConfigSource("this_month")
        elif key in PERSISTENT_KEYS and key in carried:
            period, values[key] = carried[key]
            sources[key] = ConfigSource("carried", period)
        elif key in PERSISTENT_KEYS:
            values[key], sources[key] = DEFAULTS[key], ConfigSource("default")
        elif key == "el":
            values[key], sources[key] = project_electricity(config_month, earlier_el)
        else:
            values[key], sources[key] = Decimal(0), ConfigSource("default")
    return EffectiveConfig(config_month=config_month, values=values, sources=sources)


def project_electricity(
    config_month: date, earlier_el: dict[date, Decimal]
) -> tuple[Decimal, ConfigSource]:
    """No `el` bill yet for C: last year's bill, else the mean of the last 12 months, else
    missing (0 for the engine, marked `missing`: the pages show it as missing, not as 0)."""
    year_before = add_months(config_month, -PROJECTION_MONTHS)
    if year_before in earlier_el:
        return earlier_el[year_before], ConfigSource("projected", year_before)
    window = [value for period, value in earlier_el.items() if period >= year_before]
    if window:
        mean = Decimal(round_half_away(Fraction(sum(window, Decimal(0))) / len(window)))
        return mean, ConfigSource("projected", None, months_averaged=len(window))
    return Decimal(0), ConfigSource("projected")
