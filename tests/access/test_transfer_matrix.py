"""Who may list, read, ask for, answer and cancel transfers of follow-up: real requests.

The person (followed by SPIP Alpha and SAP Alpha) moved to ressort Beta; SPIP Beta asked.
A second person, followed by SAP Alpha only, is the one agents ask for (by APPI number).
BEX Alpha sees the person (same ressort) but is not asked; SAP Gamma is another ressort.
Expected: an HTTP status, and for state changes whether the change happened.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.transfers import actions
from jalon.transfers.models import Transfer, TransferAnswer
from tests.factories import AppointmentFactory, PersonFactory, ServiceFactory, TribunalFactory

AGENTS = {
    # key: (profile, service attribute on ``org`` or a key of ``world``)
    "national_admin": ("national_admin", "national"),
    "local_admin_beta": ("local_admin", "spip_beta"),
    "dpip_beta": ("dpip", "spip_beta"),
    "cpip_beta": ("cpip", "spip_beta"),
    "dpip_alpha": ("dpip", "spip_alpha"),
    "cpip_alpha": ("cpip", "spip_alpha"),
    "greff_sap_alpha": ("greff_sap", "sap_alpha"),
    "secretary_court_alpha": ("secretary_court", "sap_alpha"),
    "dir_greff_bex_alpha": ("dir_greff_bex", "bex_alpha"),
    "greff_sap_gamma": ("greff_sap", "sap_gamma"),
}

OK, DENIED, HIDDEN, MOVED = 200, 403, 404, 302
EVERYONE = tuple(AGENTS)
CONCERNED = ("national_admin", "local_admin_beta", "dpip_beta", "cpip_beta", "dpip_alpha",
             "cpip_alpha", "greff_sap_alpha", "secretary_court_alpha")  # fmt: skip
HANDLERS = ("national_admin", "local_admin_beta", "dpip_beta", "dpip_alpha", "greff_sap_alpha",
            "dir_greff_bex_alpha", "greff_sap_gamma")  # fmt: skip
ASKED = ("national_admin", "dpip_alpha", "greff_sap_alpha")
REQUESTERS = ("national_admin", "local_admin_beta", "dpip_beta")
OUTSIDE = {"dir_greff_bex_alpha": HIDDEN, "greff_sap_gamma": HIDDEN}


def only(keys, status: int, default: int = DENIED) -> dict[str, int]:
    return {key: status if key in keys else default for key in EVERYONE}


MATRIX: dict[str, dict[str, int]] = {
    "incoming": only(EVERYONE, OK),
    "outgoing": only(EVERYONE, OK),
    "detail": only(CONCERNED, OK, HIDDEN),
    "find": only(HANDLERS, OK),
    # SAP Alpha already follows the second person: the form says so (200, nothing created).
    "request": only(HANDLERS, MOVED) | {"greff_sap_alpha": OK},
    "accept": only(ASKED, MOVED) | OUTSIDE,
    "refuse": only(ASKED, MOVED) | OUTSIDE,
    "cancel": only(REQUESTERS, MOVED) | OUTSIDE,
}
CASES = [(action, key, MATRIX[action][key]) for action in MATRIX for key in AGENTS]


@pytest.fixture
def world(org, agendas, frozen_now, make_agent):
    tj_gamma = TribunalFactory(code="tj-gamma", name="TJ Gamma", court_of_appeal=org.ca)
    spip_beta = ServiceFactory(
        name="SPIP Beta", kind=ServiceKind.SPIP, jurisdiction=org.tj_beta, served=[org.tj_beta]
    )
    person = PersonFactory(followed_by=[org.spip_alpha, org.sap_alpha])
    # A recent convocation: no automatic acceptance.
    AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    transfer = actions.request_transfer(
        agent=make_agent("local_admin", service=spip_beta),
        person=person,
        service=spip_beta,
        reason="Déménagement",
    )
    return {
        "spip_beta": spip_beta,
        "sap_gamma": ServiceFactory(name="SAP Gamma", kind=ServiceKind.SAP, jurisdiction=tj_gamma),
        "transfer": transfer,
        "other": PersonFactory(appi_number="20299999", followed_by=[org.sap_alpha]),
    }


def agent_for(key, org, world, make_agent):
    profile_code, where = AGENTS[key]
    service = world[where] if where in world else getattr(org, where)
    return make_agent(profile_code, service=service)


def _answer_service(agent, org) -> int:
    return org.spip_alpha.pk if agent.service_id == org.national.pk else agent.service_id


def request(client, action, world, agent, org):
    transfer = world["transfer"].pk
    if action == "incoming":
        return client.get(reverse("transfer_incoming"))
    if action == "outgoing":
        return client.get(reverse("transfer_outgoing"))
    if action == "detail":
        return client.get(reverse("transfer_detail", args=[transfer]))
    if action == "find":
        return client.get(reverse("transfer_create"), {"appi": "20299999"})
    if action == "request":
        service = world["spip_beta"].pk if agent.service_id == org.national.pk else agent.service_id
        url = reverse("transfer_create") + f"?appi=20299999&personne={world['other'].pk}"
        return client.post(url, {"service": service, "reason": "Déménagement"})
    if action in ("accept", "refuse"):
        return client.post(
            reverse("transfer_answer", args=[transfer]),
            {
                "decision": "accepter" if action == "accept" else "refuser",
                "service": _answer_service(agent, org),
                "reason": "Suivi à poursuivre ici" if action == "refuse" else "",
            },
        )
    if action == "cancel":
        return client.post(reverse("transfer_cancel", args=[transfer]))
    raise AssertionError(action)


def changed(action, world) -> bool:
    transfer = world["transfer"]
    transfer.refresh_from_db()
    if action == "request":
        return Transfer.objects.filter(person=world["other"]).exists()
    if action == "accept":
        return transfer.answers.filter(status=TransferAnswer.Status.ACCEPTED).exists()
    if action == "refuse":
        return transfer.status == Transfer.Status.REFUSED
    if action == "cancel":
        return transfer.status == Transfer.Status.CANCELLED
    return False


@pytest.mark.parametrize(("action", "key", "expected"), CASES)
def test_transfer_access_matrix(client_for, org, make_agent, world, action, key, expected):
    agent = agent_for(key, org, world, make_agent)
    response = request(client_for(agent), action, world, agent, org)
    assert response.status_code == expected
    assert changed(action, world) is (expected == MOVED)
