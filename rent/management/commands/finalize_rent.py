"""Save a config month's split as its current version and update the rent month's ledger."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from rent.engine.months import parse_month
from rent.engine.occupancy import UnknownRoommateError
from rent.engine.split import RentInputError
from rent.formatting import decimal_text
from rent.ledger.finalize import (
    FinalizeError,
    PaidChangesError,
    ProjectedElectricityError,
    finalize_month,
)


class Command(BaseCommand):
    help = (
        "Finalize a config month (--month YYYY-MM): store a new calculation version and make the "
        "rent month's ledger rows match it. Refuses projected electricity unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the config month, YYYY-MM")
        parser.add_argument("--title", default="", help="a title for this version")
        parser.add_argument(
            "--force", action="store_true", help="save even when electricity is projected"
        )
        parser.add_argument(
            "--confirm-paid",
            action="store_true",
            help="save even when the amount of someone who has paid changes",
        )

    def handle(self, *args, month, title, force, confirm_paid=False, **options):
        try:
            config_month = parse_month(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = finalize_month(
                config_month=config_month,
                title=title,
                saved_by=operator(),
                force=force,
                confirm_paid=confirm_paid,
            )
        except ProjectedElectricityError as exc:
            raise CommandError(f"{exc.message} (--force)") from exc
        except PaidChangesError as exc:
            lines = [exc.message]
            for change in exc.changes:
                lines.append(
                    f"  {change.name}: paid {change.paid} kr, new amount "
                    f"{kr(change.new_amount)}, difference {change.difference} kr"
                )
            raise CommandError("\n".join([*lines, "Run again with --confirm-paid."])) from exc
        except FinalizeError as exc:
            raise CommandError(exc.message) from exc
        except (RentInputError, UnknownRoommateError) as exc:
            raise CommandError(str(exc)) from exc  # the engine speaks English to commands

        calculation = result.calculation
        if result.unchanged:
            self.stdout.write(
                f"{config_month:%Y-%m}: unchanged, version {calculation.version} is current."
            )
        else:
            superseded = (
                f", superseding version {result.previous.version}" if result.previous else ""
            )
            self.stdout.write(
                f"{config_month:%Y-%m}: saved version {calculation.version}{superseded}."
            )
            for name, (old, new) in result.changes.items():
                self.stdout.write(f"  {name}: {kr(old)} -> {kr(new)}")
        for label, names in (
            ("created", result.ledger_created),
            ("updated", result.ledger_updated),
            ("removed (nothing paid)", result.ledger_removed),
            ("kept (already paid, no longer in the split)", result.ledger_kept_paid),
        ):
            if names:
                self.stdout.write(
                    f"Ledger {calculation.rent_month:%Y-%m} {label}: {', '.join(names)}"
                )
        if result.ledger_kept_paid:
            self.stderr.write("Check the kept rows: they were paid but are not part of this split.")
        self.stdout.write("")
        self.stdout.write(result.breakdown.message)


def kr(amount) -> str:
    return "-" if amount is None else f"{decimal_text(amount)} kr"


def operator() -> str:
    """Who ran the command, for the calculation's source."""
    try:
        return f"{getpass.getuser()} (finalize_rent)"
    except (KeyError, OSError):
        return "finalize_rent"
