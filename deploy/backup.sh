#!/bin/sh
# The nightly backup (deploy/kimonokittens-backup.service runs it): the readable household
# backup (rent, handbook, logins, tokens and logs) and a pg_dump of the whole database, in a dated folder under
# BACKUP_DIR; folders older than BACKUP_KEEP_DAYS are removed. Run from the app's folder with
# the production environment (the unit's EnvironmentFile). See docs/operations.md.
set -eu
BACKUP_DIR="${BACKUP_DIR:-/srv/kimonokittens/backups}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-30}"
# The household's day (settings.TIME_ZONE), whatever zone the server's clock is set to.
day="$(TZ=Europe/Stockholm date +%F)"
target="$BACKUP_DIR/$day"
umask 077
mkdir -p "$target"
.venv/bin/python manage.py export_household "$target/readable"
# pg_dump takes libpq's URI form: postgres://user:password@host:port/name
pg_dump --format=custom --file="$target/kimonokittens.dump.partial" "$DATABASE_URL"
mv "$target/kimonokittens.dump.partial" "$target/kimonokittens.dump"
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime "+$KEEP_DAYS" -exec rm -rf {} +
echo "backup written to $target"
