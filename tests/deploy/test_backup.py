"""deploy/backup.sh, as the nightly timer runs it, against a throwaway PostgreSQL cluster: a
dated folder with the readable backup and a pg_dump that pg_restore can read."""

import os
import subprocess
from datetime import date
from pathlib import Path

from tests.pg_cluster import ThrowawayCluster
from tests.processes import REPO_ROOT, manage, project_env

DEPLOY = REPO_ROOT / "deploy"


def test_the_timer_runs_the_backup_service_nightly():
    timer = (DEPLOY / "kimonokittens-backup.timer").read_text()
    service = (DEPLOY / "kimonokittens-backup.service").read_text()
    assert "OnCalendar=*-*-* 03:15" in timer and "Persistent=true" in timer
    assert "ExecStart=/srv/kimonokittens/app/deploy/backup.sh" in service
    assert "Type=oneshot" in service and "ReadWritePaths=/srv/kimonokittens/backups" in service
    assert os.access(DEPLOY / "backup.sh", os.X_OK)


def test_the_backup_script_writes_both_copies(tmp_path):
    cluster = ThrowawayCluster(55412)
    try:
        cluster.init()
        env = project_env(
            SECRET_KEY="backup-test-secret-" + "b" * 40,
            DATABASE_URL=cluster.url,
            BACKUP_DIR=str(tmp_path / "backups"),
            PATH=f"{cluster.bin}:{os.environ['PATH']}",
        )
        assert manage("migrate", "--no-input", env=env).returncode == 0
        result = subprocess.run(
            ["sh", str(DEPLOY / "backup.sh")],
            cwd=REPO_ROOT,
            env={**env, "PATH": f"{Path(REPO_ROOT / '.venv/bin')}:{env['PATH']}"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        folder = tmp_path / "backups" / date.today().isoformat()
        readable = sorted(path.name for path in (folder / "readable").iterdir())
        assert readable == [
            "handbook",
            "history.json",
            "logins.json",
            "personnummer.json",
            "rent_export.json",
            "rent_extra.json",
            "rent_history",
        ]
        assert (folder / "readable" / "handbook" / "handbook.json").is_file()
        dump = folder / "kimonokittens.dump"
        listed = subprocess.run(
            [str(cluster.bin / "pg_restore"), "--list", str(dump)],
            capture_output=True,
            text=True,
        )
        assert listed.returncode == 0 and "rent_rentledger" in listed.stdout
        assert not list(folder.glob("*.partial"))
    finally:
        cluster.destroy()
