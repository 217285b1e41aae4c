"""``make run``: migrate, load the demo, then serve web and worker until Ctrl-C.

Without DATABASE_URL, the embedded PostgreSQL (./.pgdata) is started here and handed to
both processes; Ctrl-C stops them, then the database.
"""

from __future__ import annotations

import os
import subprocess
import sys


def main() -> int:
    # The launcher sets the defaults of the processes it starts (as manage.py does); what it
    # reads back goes through jalon/core/env.py like any other configuration.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("JALON_ENV", "development")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    from jalon.core.env import Environment

    config = Environment()
    port = config.get_int("PORT", 8000)
    embedded = config.get_optional_str("DATABASE_URL") is None
    if embedded:
        from jalon import embedded_db

        os.environ["DATABASE_URL"] = embedded_db.database_url()
        print(f"Embedded PostgreSQL running with its data in {embedded_db.PGDATA}")
    python = sys.executable
    try:
        subprocess.run([python, "manage.py", "migrate", "--noinput"], check=True)
        subprocess.run([python, "manage.py", "load_demo"], check=True)
        from honcho.manager import Manager

        manager = Manager()
        env = dict(os.environ)
        manager.add_process("web", f"{python} manage.py runserver 127.0.0.1:{port}", env=env)
        manager.add_process("worker", f"{python} manage.py procrastinate worker", env=env)
        print(f"\nJalon: http://127.0.0.1:{port}/  (Ctrl-C stops web, worker and database)\n")
        manager.loop()
        return manager.returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        if embedded:
            from jalon import embedded_db

            embedded_db.stop()
            print("Embedded PostgreSQL stopped.")


if __name__ == "__main__":
    sys.exit(main())
