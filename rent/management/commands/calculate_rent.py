"""Show a month's split from the database, or recompute a saved history file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rent.engine.breakdown import MonthBreakdown
from rent.engine.config import CONFIG_KEYS
from rent.engine.message import rent_message
from rent.engine.months import parse_month
from rent.engine.occupancy import UnknownRoommateError
from rent.engine.split import RentInputError, Split, split_from_history
from rent.formatting import decimal_text
from rent.ledger.inputs import month_breakdown


class Command(BaseCommand):
    help = (
        "Split a config month's rent (--month YYYY-MM, from the database) or recompute a "
        "history file (--file PATH.json); --json prints machine-readable output."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--month", help="the config month, YYYY-MM (rent month = next)")
        source.add_argument("--file", help="a history file: constants + roommates (JSON)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, month=None, file=None, json=False, **options):
        if month is not None:
            self.calculate_month(month, as_json=json)
        else:
            self.recompute_file(Path(file), as_json=json)

    def calculate_month(self, text: str, *, as_json: bool):
        try:
            config_month = parse_month(text)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            breakdown = month_breakdown(config_month)
        except (RentInputError, UnknownRoommateError) as exc:
            raise CommandError(f"{config_month:%Y-%m}: {exc}") from exc
        if as_json:
            self.stdout.write(dumps(breakdown.to_dict()))
        else:
            self.stdout.write(breakdown_table(breakdown))

    def recompute_file(self, path: Path, *, as_json: bool):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc
        try:
            split = split_from_history(data)
        except RentInputError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        message = (
            rent_message(split, year=split.year, month=split.month)
            if split.year is not None
            else None
        )
        final_results = data.get("final_results") if isinstance(data, dict) else None
        if as_json:
            self.stdout.write(
                dumps(
                    {
                        "rents": split.rents,
                        "total": decimal_text(split.total),
                        "total_paid": split.total_paid,
                        "message": message,
                    }
                )
            )
            return
        self.stdout.write(file_report(path, split, final_results, message))


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def breakdown_table(breakdown: MonthBreakdown) -> str:
    """A readable table of the config, the fee lines, the totals and every roommate's share."""
    split, config = breakdown.split, breakdown.config
    lines = [
        f"Rent month {breakdown.rent_month:%Y-%m} (config month {breakdown.config_month:%Y-%m}, "
        f"{split.days_in_month} days)",
        "",
        f"{'Key':<14} {'Value':>10}  Source",
    ]
    for key in CONFIG_KEYS:
        value = decimal_text(config.values[key])
        charged = (
            ""
            if key not in ("vattenavgift", "va", "larm", "drift_rakning")
            else ("  (charged)" if key in split.fee_lines else "  (not charged)")
        )
        lines.append(f"{key:<14} {value:>10}  {config.sources[key].label}{charged}")
    lines += [
        "",
        f"{'Total':<14} {decimal_text(split.total):>10}",
        f"{'Total paid':<14} {split.total_paid:>10}",
        f"{'Adjustments':<14} {decimal_text(split.total_adjustment):>10}",
        f"{'Distributable':<14} {decimal_text(split.distributable):>10}",
        f"{'Per weight pt':<14} {rounded(split.rent_per_weight_point, 4):>10}",
        "",
        f"{'Roommate':<20} {'Days':>6} {'Adjust':>8} {'Weight':>8} {'Prorated':>10} "
        f"{'Exact':>11} {'Amount':>8}",
    ]
    for share in split.roommates:
        lines.append(
            f"{share.name:<20} {decimal_text(share.days):>6} "
            f"{decimal_text(share.room_adjustment):>8} {rounded(share.weight, 4):>8} "
            f"{rounded(share.prorated_adjustment, 2):>10} {rounded(share.exact_share, 2):>11} "
            f"{share.amount:>8}"
        )
    if config.projected_keys:
        lines += ["", f"Note: projected, not yet entered: {', '.join(config.projected_keys)}"]
    lines += ["", breakdown.message]
    return "\n".join(lines)


def file_report(path: Path, split: Split, final_results, message: str | None) -> str:
    lines = [f"{path.name}: recomputed under today's rules", ""]
    width = max(len(name) for name in split.rents)
    for name, amount in split.rents.items():
        lines.append(f"{name:<{width}}  {amount:>6} kr")
    lines += [
        "",
        f"Total {decimal_text(split.total)} kr, total paid {split.total_paid} kr",
    ]
    if isinstance(final_results, dict):
        differences = result_differences(split.rents, final_results)
        lines.append("")
        if differences:
            lines.append("Differences against final_results (recomputed - saved):")
            lines += [f"  {line}" for line in differences]
        else:
            lines.append("Matches final_results exactly.")
    if message:
        lines += ["", message]
    return "\n".join(lines)


def result_differences(rents: dict[str, int], final_results: dict) -> list[str]:
    lines = []
    for name in list(rents) + [name for name in final_results if name not in rents]:
        if name not in final_results:
            lines.append(f"{name}: {rents[name]} kr, not in final_results")
        elif name not in rents:
            lines.append(f"{name}: in final_results ({final_results[name]} kr), not recomputed")
        elif rents[name] != final_results[name]:
            saved = final_results[name]
            lines.append(f"{name}: {rents[name]} kr vs {saved} kr ({rents[name] - saved:+g})")
    return lines


def rounded(value, places: int) -> str:
    return decimal_text(round(value, places))
