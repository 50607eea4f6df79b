"""The worked cases of the rent rules (docs/rent-rules.md), written once for the rules, the
message and the commands."""

import json

# November 2024 rent (config month 2024-10): six roommates, a discount, two partial stays.
NOVEMBER_2024 = {
    "Fredrik": {},
    "Rasmus": {},
    "Frans-Lukas": {},
    "Astrid": {"room_adjustment": -1400},
    "Malin": {"days": 21},
    "Elvira": {"days": 8},
}
NOVEMBER_2024_CONFIG = {"kallhyra": 24530, "el": 1600, "bredband": 400, "drift_rakning": 2612}
NOVEMBER_2024_RENTS = {
    "Fredrik": 6149,
    "Rasmus": 6149,
    "Frans-Lukas": 6149,
    "Astrid": 4749,
    "Malin": 4305,
    "Elvira": 1641,
}
NOVEMBER_2024_MESSAGE = (
    "*Hyran för november 2024* ska betalas innan 27 okt\n"
    "\n"
    "Fredrik, Rasmus, Frans-Lukas: 6149 kr\n"
    "Astrid: 4749 kr\n"
    "Malin: 4305 kr (21 dagars boende)\n"
    "Elvira: 1641 kr (8 dagars boende)"
)

# August 2025 rent (config month 2025-07): total 28278.
AUGUST_2025 = {
    "Adam": {},
    "Amanda": {"days": 30},
    "Elvira": {"days": 1},
    "Fredrik": {},
    "Rasmus": {},
}
AUGUST_2025_CONFIG = {
    "kallhyra": 24530,
    "el": 1973,
    "bredband": 400,
    "vattenavgift": 375,
    "va": 300,
    "larm": 150,
    "gas": 550,
}

# The household's history files that the rules reproduce exactly; the other two
# in the folder, 2025_02_v10 and 2023_11_v1, were made under older rules.
REPRODUCED_HISTORY_FILES = [
    "2024_11_v2",
    "2025_01_v1",
    "2025_02_v1",
    "2025_02_v2",
    "2025_02_v4",
    "2025_02_v5",
    "2025_02_v6",
    "2025_02_v8",
    "2025_02_v9",
    "2025_03_v1",
    "2025_04_v1",
    "2025_05_v1",
    "2025_08_v1",
]


def history_file(real_data_dir, name):
    return real_data_dir / "rent_history" / f"{name}.json"


def load_history(real_data_dir, name) -> dict:
    return json.loads(history_file(real_data_dir, name).read_text())
