"""calculate_rent and finalize_rent: output and exit codes, on SQLite and PostgreSQL (3 G)."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from rent.models import CalculationStatus, RentCalculation, RentLedger
from tests.builders import make_tenant, set_config
from tests.processes import manage, project_env
from tests.rent_cases import (
    NOVEMBER_2024,
    NOVEMBER_2024_CONFIG,
    NOVEMBER_2024_MESSAGE,
    NOVEMBER_2024_RENTS,
    REPRODUCED_HISTORY_FILES,
    history_file,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SEPT = date(2025, 9, 1)

SIX_ROOMMATES = {
    "constants": {"year": 2024, "month": 10, **NOVEMBER_2024_CONFIG},
    "roommates": NOVEMBER_2024,
    "final_results": NOVEMBER_2024_RENTS,
}
SIX_ROOMMATES_MESSAGE = NOVEMBER_2024_MESSAGE


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def write(tmp_path, data, name="2024_11_v2.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.fixture
def september(db):
    set_config("el", 2424, SEPT)
    for name in ("Adam", "Amanda", "Fredrik", "Rasmus"):
        make_tenant(name)


class TestCalculateRentMonth:
    def test_prints_a_table_and_the_message(self, september):
        output = run("calculate_rent", "--month", "2025-09")
        assert "config month 2025-09" in output
        assert "kallhyra" in output and "standardvärde" in output
        assert "denna månad" in output  # el
        assert "28179" in output and "28180" in output
        assert "Amanda" in output
        assert output.rstrip().endswith(
            "*Hyran för oktober 2025* ska betalas innan 27 sep\n*7045 kr* för alla"
        )

    def test_json_prints_the_breakdown(self, september):
        data = json.loads(run("calculate_rent", "--month", "2025-09", "--json"))
        assert data["rents"] == dict.fromkeys(("Adam", "Amanda", "Fredrik", "Rasmus"), 7045)
        assert data["config"]["el"]["label"] == "denna månad"
        assert data["total_paid"] == 28180
        assert data["message"].startswith("*Hyran för oktober 2025*")

    def test_says_which_values_are_projected(self, db):
        make_tenant("Adam")
        output = run("calculate_rent", "--month", "2025-09")
        assert "projected, not yet entered: el" in output

    def test_a_bad_month_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="not a month"):
            run("calculate_rent", "--month", "2025-13")

    def test_a_month_without_roommates_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="2025-09: No roommates provided"):
            run("calculate_rent", "--month", "2025-09")


class TestCalculateRentFile:
    def test_recomputes_and_reports_no_differences(self, tmp_path):
        output = run("calculate_rent", "--file", str(write(tmp_path, SIX_ROOMMATES)))
        assert "Astrid" in output and "4749 kr" in output
        assert "Matches final_results exactly." in output
        assert output.rstrip().endswith(SIX_ROOMMATES_MESSAGE)

    def test_reports_differences_against_final_results(self, tmp_path):
        data = json.loads(json.dumps(SIX_ROOMMATES))
        data["final_results"]["Astrid"] = 4750
        data["final_results"]["Nils"] = 100
        output = run("calculate_rent", "--file", str(write(tmp_path, data)))
        assert "Astrid: 4749 kr vs 4750 kr (-1)" in output
        assert "Nils: in final_results (100 kr), not recomputed" in output

    def test_json_output(self, tmp_path):
        data = json.loads(
            run("calculate_rent", "--file", str(write(tmp_path, SIX_ROOMMATES)), "--json")
        )
        assert data == {
            "rents": SIX_ROOMMATES["final_results"],
            "total": "29142",
            "total_paid": 29142,
            "message": SIX_ROOMMATES_MESSAGE,
        }

    def test_missing_keys_take_the_defaults(self, tmp_path):
        data = {
            "constants": {"year": 2025, "month": 9, "el": 2424},
            "roommates": dict.fromkeys("ABCD", {}),
        }
        result = json.loads(run("calculate_rent", "--file", str(write(tmp_path, data)), "--json"))
        assert result["rents"] == dict.fromkeys("ABCD", 7045)
        assert result["total"] == "28179"

    @pytest.mark.parametrize(
        ("content", "error"),
        [
            ("{not json", "not valid JSON (line 1, column 2"),
            (json.dumps({"constants": {}, "roommates": {}}), "No roommates provided"),
            (
                json.dumps(
                    {"constants": {"year": 2025, "month": 9}, "roommates": {"A": {"days": 0}}}
                ),
                "Invalid days for A: must be between 1 and 31",
            ),
            (
                json.dumps({"constants": {"kallhyra": -1}, "roommates": {"A": {}}}),
                "kallhyra must be a positive number",
            ),
        ],
    )
    def test_invalid_input_is_a_clear_error(self, tmp_path, content, error):
        with pytest.raises(CommandError, match=error.replace("(", r"\(")):
            run("calculate_rent", "--file", str(write(tmp_path, content)))

    def test_a_missing_file_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="cannot read the file"):
            run("calculate_rent", "--file", str(tmp_path / "nope.json"))

    def test_a_bad_month_exits_1_from_the_command_line(self, tmp_path):
        env = project_env(DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
        for command in ("calculate_rent", "finalize_rent"):
            result = manage(command, "--month", "2025-13", env=env)
            assert result.returncode == 1, (command, result.stdout, result.stderr)
            assert "2025-13" in result.stderr


@pytest.mark.real_data
class TestCalculateRentRealHistory:
    @pytest.mark.parametrize("name", REPRODUCED_HISTORY_FILES)
    def test_the_household_files_are_reproduced(self, real_data_dir, name):
        output = run("calculate_rent", "--file", str(history_file(real_data_dir, name)))
        assert "Matches final_results exactly." in output

    def test_files_made_under_older_rules_show_their_differences(self, real_data_dir):
        history = real_data_dir / "rent_history"
        output = run("calculate_rent", "--file", str(history / "2025_02_v10.json"))
        assert "Fredrik: 9051 kr vs 9052 kr (-1)" in output
        assert "Adam: 4527 kr vs 4526 kr (+1)" in output
        data = json.loads(
            run("calculate_rent", "--file", str(history / "2023_11_v1.json"), "--json")
        )
        assert data["message"] is None  # no year/month inside: no dates to write
        assert "Differences against final_results" in run(
            "calculate_rent", "--file", str(history / "2023_11_v1.json")
        )


class TestFinalizeRent:
    def test_saves_a_version_then_reports_unchanged(self, september):
        output = run("finalize_rent", "--month", "2025-09", "--title", "Oktober")
        assert "2025-09: saved version 1." in output
        assert "Ledger 2025-10 created: Adam, Amanda, Fredrik, Rasmus" in output
        assert output.rstrip().endswith("*7045 kr* för alla")
        calculation = RentCalculation.objects.get()
        assert calculation.title == "Oktober"
        assert calculation.status == CalculationStatus.CURRENT
        assert "finalize_rent" in calculation.source["saved_by"]
        assert RentLedger.objects.count() == 4
        assert "unchanged, version 1 is current" in run("finalize_rent", "--month", "2025-09")
        set_config("gas", 400, SEPT)
        output = run("finalize_rent", "--month", "2025-09")
        assert "saved version 2, superseding version 1." in output
        assert "Adam: 7045 kr -> 7145 kr" in output

    def test_refuses_projected_electricity_unless_forced(self, db):
        make_tenant("Adam")
        with pytest.raises(CommandError, match=r"El för september 2025.*\(--force\)"):
            run("finalize_rent", "--month", "2025-09")
        assert not RentCalculation.objects.exists()
        assert "saved version 1" in run("finalize_rent", "--month", "2025-09", "--force")

    def test_a_bad_month_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="not a month"):
            run("finalize_rent", "--month", "September")
