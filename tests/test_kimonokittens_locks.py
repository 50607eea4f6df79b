"""The two dependency locks: production installs the runtime lock, which holds no test tool;
every pin is exact and hashed, and the dev lock pins the runtime packages at the same versions."""

import re
import tomllib

from tests.processes import REPO_ROOT

RUNTIME_LOCK = REPO_ROOT / "requirements" / "runtime.lock"
DEV_LOCK = REPO_ROOT / "requirements" / "dev.lock"
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
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
        unhashed = [
            block.split()[0]
            for block in blocks
            if PIN.match(block) and "--hash=sha256:" not in block
        ]
        assert unhashed == [], lock.name
