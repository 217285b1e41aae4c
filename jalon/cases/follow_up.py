"""What a judgment asks of the SAP and the SPIP, and which measure a convocation executes.

- ``follow_up_kinds``: the kinds of service (``sap``, ``spip``) that follow the person for the
  judgment's sentences (``sentencing.executing_service_kinds`` with the rules valid on the
  judgment's date). Empty (a fine, a licence suspension, a sursis simple, a long firm
  imprisonment): no sortie d'audience convocation is offered from that judgment.
- ``measure_for``: the measure a convocation before a service of some kind executes; the
  first of the judgment's sentences followed by that kind of service.
- ``link_exit_convocations``: a sortie d'audience convocation is usually booked before the
  judgment is executable, so before its measures exist; when they are created
  (``actions.judgments``), the convocations booked from the judgment are linked to them.

The convocations are rows of ``appointments`` (a higher layer): they are reached only through
the reverse relations of the foreign keys ``Appointment.judgment`` and ``Appointment.measure``,
never imported.
"""

from __future__ import annotations

from jalon.access.roles import ServiceKind
from jalon.cases import judgment_checks
from jalon.cases.models import Judgment, Measure
from jalon.cases.sentencing import SentenceFacts, executing_service_kinds

# The kinds a measure's service has (``_executing_services``), by the kind of a convocation's.
MEASURE_KIND = {
    ServiceKind.SAP: ServiceKind.SAP,
    ServiceKind.SPIP: ServiceKind.SPIP,
    ServiceKind.SPIP_ANTENNA: ServiceKind.SPIP,
}


def follow_up_kinds(judgment: Judgment) -> frozenset[str]:
    """The kinds of service (``sap``, ``spip``) the judgment's sentences need."""
    if judgment.delivered_on is None:
        return frozenset()
    rules = judgment_checks.sentencing_rules(judgment.delivered_on)
    kinds: set[str] = set()
    for sentence in judgment.sentences.all():
        facts = SentenceFacts(sentence.kind, sentence.months, sentence.suspended_months)
        kinds.update(executing_service_kinds(facts, rules))
    return frozenset(kinds)


def convocation_kinds(judgment: Judgment) -> frozenset[str]:
    """The service kinds a convocation booked from the judgment may go to (SPIP antennas with
    the SPIP)."""
    kinds = follow_up_kinds(judgment)
    return frozenset(kind for kind, measure_kind in MEASURE_KIND.items() if measure_kind in kinds)


def measure_for(judgment: Judgment, service_kind: str) -> Measure | None:
    """The judgment's measure a convocation before a service of ``service_kind`` executes,
    if the measures exist yet."""
    kind = MEASURE_KIND.get(service_kind)  # type: ignore[call-overload]
    if kind is None:
        return None
    return (
        Measure.objects.filter(execution__judgment=judgment, service__kind=kind)
        .order_by("sentence_id", "pk")
        .first()
    )


def link_exit_convocations(judgment: Judgment) -> int:
    """Link the convocations booked from ``judgment`` and not linked yet to the measure they
    execute, now that the measures exist; how many were linked."""
    linked = 0
    for kind in {ServiceKind.SAP, ServiceKind.SPIP}:
        measure = measure_for(judgment, kind)
        if measure is None:
            continue
        service_kinds = [k for k, measure_kind in MEASURE_KIND.items() if measure_kind == kind]
        linked += judgment.exit_convocations.filter(
            measure__isnull=True, service__kind__in=service_kinds
        ).update(measure=measure)
    return linked
