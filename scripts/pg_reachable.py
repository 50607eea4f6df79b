"""Exit 0 when the PostgreSQL server of the URL in argv[1] accepts a connection."""

import sys
from urllib.parse import unquote, urlsplit

import psycopg


def main(url: str) -> int:
    parts = urlsplit(url)
    try:
        # The maintenance database: the test run creates its own database beside it.
        psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        print(
            f"PostgreSQL at {parts.hostname}:{parts.port or 5432}: {exc}".strip(), file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
