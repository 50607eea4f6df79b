"""The dependency locks: production installs the runtime lock, which holds no test tool;
every pin is exact and hashed, and the dev lock pins the runtime packages at the same versions.
Every venv gets the pinned pip first, and `make` accepts exactly the Pythons the locks serve."""

import re
import subprocess
import sys
import tomllib

from packaging.specifiers import SpecifierSet

from tests.processes import REPO_ROOT

RUNTIME_LOCK = REPO_ROOT / "requirements" / "runtime.lock"
DEV_LOCK = REPO_ROOT / "requirements" / "dev.lock"
PIP_LOCK = REPO_ROOT / "requirements" / "pip.lock"
MAKEFILE = (REPO_ROOT / "Makefile").read_text()
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)")
# Tools that run the tests or check the code; none belongs on the server.
TEST_TOOLS = {"pytest", "playwright", "hypothesis", "ruff", "coverage", "uv", "pip-tools"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return normalized(re.match(r"[A-Za-z0-9._-]+", requirement).group())


def pins(path) -> dict[str, str]:
    """name → version of every `name==version` line of a lock."""
    found = {}
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            found[normalized(match.group(1))] = match.group(2)
    return found


def test_the_runtime_lock_holds_no_test_tool():
    dev_tools = {requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    runtime = set(pins(RUNTIME_LOCK))
    assert dev_tools, "pyproject.toml names the dev tools"
    assert runtime & (dev_tools | TEST_TOOLS) == set()
    assert not any(name.startswith("pytest") for name in runtime)


def test_the_runtime_lock_pins_every_runtime_dependency():
    declared = {requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert declared - set(pins(RUNTIME_LOCK)) == set()


def test_the_dev_lock_adds_the_tools_to_the_same_runtime_versions():
    runtime, dev = pins(RUNTIME_LOCK), pins(DEV_LOCK)
    assert {name: dev.get(name) for name in runtime} == runtime
    dev_tools = {requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    assert dev_tools - set(dev) == set()


def test_every_pin_carries_its_hash():
    for lock in (RUNTIME_LOCK, DEV_LOCK, PIP_LOCK):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
        unhashed = [
            block.split()[0]
            for block in blocks
            if PIN.match(block) and "--hash=sha256:" not in block
        ]
        assert unhashed == [], lock.name


def makefile_pythons() -> list[str]:
    return re.search(r"^PYTHONS := (.+)$", MAKEFILE, re.MULTILINE).group(1).split()


def test_the_venv_gets_the_pinned_pip_before_the_lock():
    """The pip a Python bundles (23.2 with 3.11.7) refused the hashed lock once a newer release
    of an extra's package reached the index; the pinned pip reads it."""
    assert set(pins(PIP_LOCK)) == {"pip"}
    recipe = MAKEFILE.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert recipe.index("-r requirements/pip.lock") < recipe.index("-r requirements/dev.lock")
    assert "--require-hashes" in MAKEFILE


def test_make_accepts_the_pythons_that_pyproject_allows():
    allowed = SpecifierSet(PYPROJECT["project"]["requires-python"])
    pythons = makefile_pythons()
    assert pythons == ["3.11", "3.12", "3.13"]
    assert all(f"{version}.0" in allowed for version in pythons)
    assert "3.10.0" not in allowed and "3.14.0" not in allowed


def test_make_stops_with_a_clear_message_on_another_python():
    check = [sys.executable, str(REPO_ROOT / "scripts" / "check_python.py")]
    running = "{}.{}".format(*sys.version_info[:2])
    assert subprocess.run([*check, *makefile_pythons()], capture_output=True).returncode == 0
    refused = subprocess.run([*check, "3.9", "3.10"], capture_output=True, text=True)
    assert refused.returncode == 1
    assert f"runs on Python 3.9, 3.10; {sys.executable} is {running}" in refused.stderr
