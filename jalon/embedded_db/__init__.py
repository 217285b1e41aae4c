"""Embedded PostgreSQL (pgserver) for development and tests when DATABASE_URL is unset.

The server's data lives in ``./.pgdata``. It starts on the first database connection
(see ``base.py``), so commands that never touch the database never start it, and it
stops when the last process that started it exits.
"""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path
from typing import Any

from jalon.core.env import Environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PGDATA = Path(Environment().get_str("JALON_PGDATA", str(BASE_DIR / ".pgdata"))).resolve()
DATABASE_NAME = "jalon"

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_server: Any = None


def start() -> Any:
    """Start (or attach to) the embedded server and make sure the ``jalon`` database exists."""
    global _server
    with _lock:
        if _server is None:
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import pgserver

            PGDATA.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(PGDATA, cleanup_mode="stop")
            exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - constant
            if "1 row" not in exists:
                server.psql(f"CREATE DATABASE {DATABASE_NAME};")
            _server = server
            logger.debug("embedded PostgreSQL ready in %s", PGDATA)
        return _server


def database_url() -> str:
    return str(start().get_uri(DATABASE_NAME))


def stop() -> None:
    global _server
    with _lock:
        if _server is not None:
            _server.cleanup()
            _server = None
