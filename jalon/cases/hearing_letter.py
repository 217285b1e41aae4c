"""The defendant's paper convocation to a hearing, laid out like the other convocation letters
(``jalon.core.pdf``, one A4 page). The hearing's date and time are written in the tribunal
greffe's time zone, in French words that do not depend on the system locale."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from jalon.access import letters
from jalon.access.models import Service
from jalon.cases.law import has_rule, rule
from jalon.cases.models import Hearing, Party
from jalon.core.dates import french_date, french_datetime, french_numeric_date, local_now
from jalon.core.pdf import one_page_pdf
from jalon.people import postal

DATA_PROTECTION_NOTICE = (
    "Vos données sont traitées par le ministère de la Justice pour la conduite de la procédure "
    "pénale (directive (UE) 2016/680 « Police-Justice »). Vous pouvez exercer vos droits "
    "d’information, d’accès, de rectification et d’effacement auprès du greffe du tribunal."
)


# What happens if the defendant does not come (to be checked by a jurist). Art. 410 CPP: a
# defendant summoned in person who does not appear without an excuse the court accepts is judged
# "contradictoirement"; art. 410 al. 2 / 412 CPP: otherwise "contradictoire à signifier" or "par
# défaut"; art. 411 CPP: the defendant may ask in writing to be judged in their absence,
# represented by a lawyer.
NON_APPEARANCE = (
    "Vous devez comparaître en personne. Si vous ne vous présentez pas sans excuse reconnue "
    "valable par le tribunal, vous serez jugé(e) en votre absence : le jugement sera "
    "contradictoire si vous avez été cité(e) à personne (article 410 du code de procédure "
    "pénale), sinon contradictoire à signifier ou rendu par défaut (articles 410 et 412 du même "
    "code), et pourra être exécuté contre vous.",
    "Vous pouvez demander par lettre adressée au président du tribunal à être jugé(e) en votre "
    "absence, représenté(e) par votre avocat (article 411 du même code).",
)


def court_name(hearing: Hearing) -> str:
    """The court's name from the legal rules valid on the hearing day, else its label."""
    assert hearing.starts_at is not None
    key = f"court.name.{hearing.court_kind}"
    day = hearing.starts_at.date()
    return str(rule(key, day)) if has_rule(key, day) else hearing.get_court_kind_display()


def letter_context(hearing: Hearing, party: Party, *, service: Service) -> dict[str, Any]:
    assert hearing.starts_at is not None
    person = party.person
    procedure = hearing.procedure
    tribunal = hearing.court or procedure.tribunal
    return {
        "sender": letters.sender(service, fallback_address=tribunal.name),
        "signatory": letters.signatory(service),
        "recipient_name": postal.recipient_name(person),
        "recipient_lines": postal.postal_address_lines(person),
        "non_appearance": NON_APPEARANCE,
        "hearing": hearing,
        "procedure": procedure,
        "tribunal": tribunal,
        "service": service,
        "person": person,
        "birth_date": french_numeric_date(person.birth_date),
        "court_name": court_name(hearing),
        "starts_on": french_datetime(hearing.starts_at.astimezone(ZoneInfo(service.time_zone))),
        "charges": list(
            procedure.charges.filter(party=party).select_related("offence").order_by("pk")
        ),
        "written_on": french_date(local_now(service.time_zone).date()),
        "data_protection_notice": DATA_PROTECTION_NOTICE,
    }


def hearing_letter_pdf(hearing: Hearing, party: Party, *, service: Service) -> bytes:
    return one_page_pdf(
        "cases/print/hearing_letter.html", letter_context(hearing, party, service=service)
    )
