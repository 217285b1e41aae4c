"""Run the background jobs queued so far with a real procrastinate worker, as
``manage.py procrastinate worker`` does (its own psycopg connection)."""

import threading

from procrastinate.contrib.django import app


def _run() -> None:
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def run_pending_jobs() -> None:
    """In a thread of its own: the worker starts an event loop, and Playwright's sync API
    may already run one in this thread when browser tests share the process."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            _run()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    if errors:
        raise errors[0]
