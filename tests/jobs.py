"""Run the background jobs queued so far with a real procrastinate worker, as
``manage.py procrastinate worker`` does (its own psycopg connection)."""

from procrastinate.contrib.django import app


def run_pending_jobs() -> None:
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
