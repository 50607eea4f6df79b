"""One config month's split (docs/rent-rules.md): the effective config (with each value's
source), the roommates of rent month R (with any overrides for this month), the pure split and
the Swedish rent message. `breakdown_of` combines what was read; reading it from the database
(two queries, however many tenants or config rows are stored) is rent.ledger.inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rent.engine.config import EffectiveConfig
from rent.engine.message import rent_message
from rent.engine.months import add_months, days_in_month
from rent.engine.occupancy import Resident
from rent.engine.split import Split, split_rent


@dataclass(frozen=True)
class MonthBreakdown:
    config_month: date
    config: EffectiveConfig
    residents: list[Resident]
    roommates: dict[str, dict]
    split: Split
    message: str

    @property
    def rent_month(self) -> date:
        return add_months(self.config_month, 1)

    @property
    def days_in_rent_month(self) -> int:
        return days_in_month(self.rent_month)

    def to_dict(self) -> dict:
        """JSON-able: the split's figures plus the config with sources and the message."""
        data = self.split.to_dict()
        data.update(
            config_month=f"{self.config_month:%Y-%m}",
            rent_month=f"{self.rent_month:%Y-%m}",
            config=self.config.to_dict(),
            projected=self.config.projected_keys,
            message=self.message,
        )
        return data

    def inputs(self) -> dict:
        """The constants and roommates exactly as used, in the history files' format."""
        return {
            "constants": {
                "year": self.config_month.year,
                "month": self.config_month.month,
                **{key: json_number(value) for key, value in self.config.split_config().items()},
            },
            "roommates": {
                name: {key: json_number(value) for key, value in entry.items()}
                for name, entry in self.roommates.items()
            },
        }

    def results(self) -> dict[str, int]:
        return {name: int(amount) for name, amount in self.split.rents.items()}


def json_number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: whole values as int, others (15.5 days, öre) as float.

    Floats here only carry values with at most two decimals, which round-trip exactly
    through `Decimal(str(value))`.
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def breakdown_of(
    config_month: date, *, config: EffectiveConfig, residents: list[Resident]
) -> MonthBreakdown:
    """Config month C's split from its effective config and the residents of R = C + 1."""
    roommates = {resident.name: resident.roommate_entry() for resident in residents}
    split = split_rent(
        roommates, config.split_config(), year=config_month.year, month=config_month.month
    )
    return MonthBreakdown(
        config_month=config_month,
        config=config,
        residents=residents,
        roommates=roommates,
        split=split,
        message=rent_message(split, year=config_month.year, month=config_month.month),
    )
