"""Write the fictional demo household in fixtures/ (run again after a change to the rules).

Every `final_results` is what the rent engine computes from the file's own constants and
roommates, so the demo agrees with the app. The people are made up.

    .venv/bin/python scripts/make_demo_household.py
"""

import json
import sys
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from rent.engine.months import add_months, days_in_month, last_of_month  # noqa: E402
from rent.engine.split import split_from_history  # noqa: E402

FIXTURES = REPO_ROOT / "fixtures"
FIRST_CONFIG_MONTH = date(2024, 3, 1)
LAST_CONFIG_MONTH = date(2025, 10, 1)  # 20 config months

# name, legacy id, email, moved in, moved out, room adjustment
PEOPLE = [
    ("Alva", "demo-alva", "alva@example.org", date(2022, 9, 1), None, 0),
    ("Bruno", "demo-bruno", "bruno@example.org", date(2023, 1, 1), date(2024, 8, 20), 0),
    ("Cecilia", "demo-cecilia", "cecilia@example.org", date(2023, 4, 1), None, -1400),
    ("Dante", "demo-dante", "dante@example.org", date(2023, 6, 1), date(2025, 3, 31), 0),
    ("Ebba", "demo-ebba", "ebba@example.org", date(2024, 8, 18), None, 0),
    ("Filip", "demo-filip", "filip@example.org", date(2025, 4, 1), None, 0),
    ("Åsa", "demo-asa", "asa@example.org", date(2025, 9, 12), None, 0),
]
# Electricity bills that arrived in each config month (kronor, winters cost more).
EL = [2890, 2410, 1980, 1620, 1510, 1705, 2105, 2760, 3510, 4280, 4870, 4420,
      3650, 2950, 2210, 1690, 1580, 1790, 2240, 2890]  # fmt: skip
QUARTERLY_INVOICE = {date(2024, 6, 1): 2780, date(2024, 12, 1): 2940, date(2025, 6, 1): 3010}
GAS = {date(2024, 11, 1): 560, date(2025, 7, 1): 585}
SALDO_INNAN = {date(2025, 2, 1): 420}
KALLHYRA = 24530
BREDBAND = 400
# Config month 2025-05 was recalculated: a first guess, the real bill, then a corrected bill.
EXTRA_VERSIONS = {
    date(2025, 5, 1): [
        (1, 1500, "Juni 2025: uppskattad el"),
        (2, 1720, "Juni 2025: faktisk elräkning"),
    ]
}
TITLES = {date(2025, 5, 1): "Juni 2025: rättad elräkning"}
UNPAID_RENT_MONTH = date(2025, 11, 1)


def roommates_for(rent_month: date) -> dict:
    """Everyone who lived here at least one day in the rent month (days only when partial)."""
    found = {}
    for name, _, _, start, departure, adjustment in sorted(PEOPLE, key=lambda p: p[0].casefold()):
        first = max(start, rent_month)
        last = min(departure, last_of_month(rent_month)) if departure else last_of_month(rent_month)
        days = (last - first).days + 1
        if days <= 0:
            continue
        entry = {}
        if days != days_in_month(rent_month):
            entry["days"] = days
        if adjustment:
            entry["room_adjustment"] = adjustment
        found[name] = entry
    return found


def constants_for(month: date, el: int) -> dict:
    constants = {
        "year": month.year,
        "month": month.month,
        "kallhyra": KALLHYRA,
        "el": el,
        "bredband": BREDBAND,
        "vattenavgift": 375,
        "va": 300,
        "larm": 150,
        "drift_rakning": QUARTERLY_INVOICE.get(month, 0),
        "saldo_innan": SALDO_INNAN.get(month, 0),
        "extra_in": 0,
    }
    if month in GAS:
        constants["gas"] = GAS[month]
    return constants


def history_file(month: date, version: int, el: int, title: str, day: int = 20) -> dict:
    rent_month = add_months(month, 1)
    offset = f"+0{1 + _summer(month)}:00"
    document = {
        "metadata": {
            "calculation_date": f"{month:%Y-%m}-{day:02d}T19:{version:02d}:00{offset}",
            "version": version,
            "title": title,
        },
        "constants": constants_for(month, el),
        "roommates": roommates_for(rent_month),
    }
    split = split_from_history(document)
    document["final_results"] = {name: int(amount) for name, amount in split.rents.items()}
    return document


def _summer(month: date) -> int:
    return 1 if 4 <= month.month <= 10 else 0


MONTHS_SV = "januari februari mars april maj juni juli augusti september oktober november december"


def main() -> None:
    history_dir = FIXTURES / "rent_history"
    history_dir.mkdir(parents=True, exist_ok=True)
    for old in history_dir.glob("*.json"):
        old.unlink()
    month, index, current = FIRST_CONFIG_MONTH, 0, {}
    while month <= LAST_CONFIG_MONTH:
        rent_month = add_months(month, 1)
        name = f"{MONTHS_SV.split()[rent_month.month - 1].capitalize()} {rent_month.year}"
        versions = EXTRA_VERSIONS.get(month, [])
        for version, el, title in versions:
            _write(history_dir / f"{month:%Y_%m}_v{version}.json",
                   history_file(month, version, el, title, day=12 + version))  # fmt: skip
        version = len(versions) + 1
        document = history_file(month, version, EL[index], TITLES.get(month, name))
        _write(history_dir / f"{month:%Y_%m}_v{version}.json", document)
        current[rent_month] = (month, version, document)
        month, index = add_months(month, 1), index + 1
    _write(FIXTURES / "household_export.json", export_document(current))


def export_document(current: dict) -> dict:
    """The old-system-style export, with payments for the recent months and unpaid rows."""
    ledger = []
    for rent_month in sorted(current)[-3:]:
        config_month, version, document = current[rent_month]
        for name, amount in document["final_results"].items():
            unpaid = rent_month == UNPAID_RENT_MONTH and name != "Alva"
            paid_on = add_months(rent_month, -1).replace(day=24 if name != "Ebba" else 26)
            ledger.append(
                {
                    "tenant": name,
                    "rent_month": f"{rent_month:%Y-%m-%d}",
                    "amount_due": str(amount),
                    "amount_paid": "0" if unpaid else str(amount),
                    "paid_on": None if unpaid else f"{paid_on:%Y-%m-%d}",
                    "days_stayed": document["roommates"][name].get("days"),
                    "room_adjustment": document["roommates"][name].get("room_adjustment"),
                    "calculation": {"config_month": f"{config_month:%Y-%m}", "version": version},
                }
            )
    return {
        "export_date": "2025-10-22T18:00:00+02:00",
        "database_version": "kimonokittens_demo",
        "tenants": [
            {
                "id": legacy_id,
                "name": name,
                "email": email,
                "startDate": f"{start:%Y-%m-%d} 00:00:00 +0{1 + _summer(start)}00",
                "departureDate": (
                    f"{departure:%Y-%m-%d} 00:00:00 +0{1 + _summer(departure)}00"
                    if departure
                    else None
                ),
                "roomAdjustment": float(adjustment) if adjustment else None,
            }
            for name, legacy_id, email, start, departure, adjustment in PEOPLE
        ],
        "rent_configs": [
            {
                "key": "el",
                "value": "3120",
                "period": "2025-11-01 00:00:00 +0100",
                "created_at": "2025-10-22 17:55:00 +0200",
                "updated_at": "2025-10-22 17:55:00 +0200",
            }
        ],
        "rent_ledger": ledger,
        "co_owned_items": [
            {
                "name": "Soffa (grön manchester)",
                "description": "Vardagsrummet. Köpt begagnad.",
                "purchase_date": "2024-05-11",
                "value": "3200",
                "owners": ["Alva", "Cecilia", "Dante"],
            },
            {
                "name": "Dammsugare",
                "description": "Städskåpet i hallen.",
                "purchase_date": "2025-04-03",
                "value": "1890",
                "owners": ["Alva", "Cecilia", "Ebba", "Filip"],
            },
        ],
    }


def _write(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
