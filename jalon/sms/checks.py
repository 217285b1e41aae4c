"""Whether a message may leave now: checked again at send time, not only when it was queued.

A retry, a reconciliation or a worker back after an outage hands over messages queued long
before: the night may have come, the convocation may be cancelled or past, the person may
have said STOP or lost their mobile. Such a message is never sent: it ends ``cancelled``
with its reason, or, at night, waits for 08:00 local if the convocation is still ahead then.

What makes a convocation's SMS still relevant is the appointments app's knowledge; it
registers ``AppointmentCheck`` (this package sits below it and cannot import it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from jalon.sms.models import Message
from jalon.sms.timing import convocation_send_at, is_quiet

# (message, moment it would leave) → why it must not leave then (French), or None.
AppointmentCheck = Callable[[Message, datetime], str | None]
_appointment_check: AppointmentCheck | None = None


def register_appointment_check(function: AppointmentCheck) -> None:
    global _appointment_check
    _appointment_check = function


@dataclass(frozen=True)
class Verdict:
    reason: str  # French, shown to agents on the message
    postpone_to: datetime | None = None  # None: cancel


def person_objection(message: Message) -> str | None:
    person = message.person
    if person.refuses_sms:
        return "La personne refuse désormais les SMS."
    if not person.phone:
        return "Plus de téléphone portable enregistré pour la personne."
    if person.is_archived:
        return "Dossier de la personne archivé."
    return None


def appointment_objection(message: Message, moment: datetime) -> str | None:
    if _appointment_check is None:
        raise RuntimeError("No SMS send-time check registered (appointments app not loaded).")
    return _appointment_check(message, moment)


def at_send_time(message: Message, now: datetime) -> Verdict | None:
    """None when ``message`` may leave at ``now``; else why not, and whether to wait."""
    if message.appointment_id is None:
        # A space message leaves at once, even at night: the person asked for a code, or an
        # agent sent the invitation this minute.
        objection = person_objection(message)
        return Verdict(objection) if objection else None
    reason = person_objection(message) or appointment_objection(message, now)
    if reason is not None:
        return Verdict(reason)
    time_zone = message.service.time_zone
    if not is_quiet(now, time_zone):
        return None
    resume = convocation_send_at(now, time_zone)
    later = appointment_objection(message, resume)
    if later is not None:
        return Verdict(f"Pas de SMS la nuit, et à 8 h : {later[0].lower()}{later[1:]}")
    return Verdict("Pas de SMS la nuit : envoi reporté à 8 h.", postpone_to=resume)
