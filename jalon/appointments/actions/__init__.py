"""State changes of convocations, one module per aggregate: ``lifecycle`` (book, register
and book, outcome, cancel, reschedule, reconvene), ``slots`` (slots and recurring patterns),
``places`` (places and agendas).

The lifecycle actions are re-exported here: ``jalon.appointments.actions.book_appointment``
is the path the other apps (transfers, demo, tests) have always used.
"""

from jalon.appointments.actions.lifecycle import (
    Assignee,
    BookingRefused,
    BookingRequest,
    apply_cancellation,
    assignee_for,
    book_appointment,
    cancel_appointment,
    reconvene,
    record_outcome,
    register_and_book,
    reschedule_appointment,
    revert_outcome,
)

__all__ = [
    "Assignee",
    "BookingRefused",
    "BookingRequest",
    "apply_cancellation",
    "assignee_for",
    "book_appointment",
    "cancel_appointment",
    "reconvene",
    "record_outcome",
    "register_and_book",
    "reschedule_appointment",
    "revert_outcome",
]
