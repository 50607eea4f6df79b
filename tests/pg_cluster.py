"""A throwaway PostgreSQL cluster for fault tests: its own data folder and port, stopped and
started by the test itself. Uses Debian's binaries in /usr/lib/postgresql/*/bin; as root it runs
them as the postgres user (PostgreSQL refuses to run as root)."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def require_postgres_bin() -> Path:
    """The binaries' folder; skipped where PostgreSQL is not installed, except under CI."""
    folder = postgres_bin()
    if folder is not None:
        return folder
    reason = "PostgreSQL's server binaries (initdb, pg_ctl) are not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run the fault tests")
    pytest.skip(reason)


class ThrowawayCluster:
    def __init__(self, port: int):
        self.bin = require_postgres_bin()
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="kk-fault-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/kimonokittens"

    def _run(self, *args: str, check=True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_postgres, *args], capture_output=True, text=True, check=check, timeout=120
        )

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
            "postgres", "kimonokittens",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop",
                check=False,
            )  # fmt: skip
            time.sleep(0.2)
        shutil.rmtree(self.folder, ignore_errors=True)
