"""Which pages the accessibility check visits, as whom, with which objects.

The pages come from the URL conf: every named route is either visited (``PAGE_SETS``) or
excluded with its reason (``EXCLUDED``, ``EXCLUDED_NAMESPACES``), and
``tests/e2e/test_accessibility.py`` fails when a new route is neither. The objects are the
demo's (``manage.py load_demo``), plus the few rows the demo has none of (``complete_demo``).

A page set is one kind of visitor: agents (one browser context per role), the public (no
login). Another space (the probationer's) is one more ``PageSet`` appended to ``PAGE_SETS``,
with its own ``open_session``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from jalon.access.demo import DEMO_PASSWORD
from jalon.access.models import Agent, Service
from jalon.api import actions as api_actions
from jalon.api.models import ApiClient
from jalon.appointments.models import Agenda, Appointment, Place, Slot, SlotPattern
from jalon.cases.models import Hearing, Judgment, Measure, Procedure
from jalon.core import links
from jalon.imports import actions as import_actions
from jalon.imports.models import Import
from jalon.people.models import Person
from jalon.public.models import InfoPage, MoveRequest
from jalon.situations.models import ListEntry, Meeting, MeetingItem, Situation
from jalon.space import tokens as space_tokens
from jalon.space.demo import DEMO_PHONE as SPACE_DEMO_PHONE
from jalon.space.models import Invitation
from jalon.transfers import actions as transfer_actions
from jalon.transfers.models import Transfer

# The roles an agent page is visited as: demo agents (jalon/access/demo.py).
ROLES = {
    "cpip": "cpip@jalon.test",
    "dpip": "dpip@jalon.test",
    "admin_spip": "admin.spip@jalon.test",
    "bex": "bex@jalon.test",
    "greffier_sap": "greffier.sap@jalon.test",
    "greffier_co": "greffier.correctionnel@jalon.test",
    "parquet": "parquet@jalon.test",
    "jaf": "jaf.tj@jalon.test",
    "national": "admin@jalon.test",
    "president": "president@jalon.test",
    "statisticien": "statisticien@jalon.test",
}

SPIP = "SPIP du Bas-Rhin"
SAP = "SAP du TJ de Strasbourg"


class World:
    """The demo's rows the pages are opened on (looked up once each)."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def _get(self, key: str, find: Callable[[], Any]) -> Any:
        if key not in self._cache:
            found = find()
            assert found is not None, f"the demo has no {key}"
            self._cache[key] = found
        return self._cache[key]

    def agent(self, role: str) -> Agent:
        return self._get(f"agent {role}", lambda: Agent.objects.get(email=ROLES[role]))

    def service(self, name: str) -> Service:
        return self._get(f"service {name}", lambda: Service.objects.get(name=name))

    @property
    def person(self) -> Person:
        return self._get("person", lambda: Person.objects.get(last_name__iexact="Schneider"))

    def import_batch(self, file_name: str) -> Import:
        return self._get(f"import {file_name}", lambda: Import.objects.get(file_name=file_name))

    @property
    def agenda(self) -> Agenda:
        return self._get("agenda", lambda: Agenda.objects.get(name="Équipe milieu ouvert 1"))

    @property
    def place(self) -> Place:
        return self.agenda.place

    @property
    def appointment(self) -> Appointment:
        """A past convocation of the person still without an outcome."""
        return self._get(
            "appointment",
            lambda: (
                Appointment.objects.filter(person=self.person, status=Appointment.Status.BOOKED)
                .order_by("starts_at")
                .first()
            ),
        )

    @property
    def missed_appointment(self) -> Appointment:
        """A past convocation the person missed (to convoke them again)."""
        return self._get(
            "missed appointment",
            lambda: Appointment.objects.filter(
                person=self.person, status=Appointment.Status.MISSED
            ).first(),
        )

    @property
    def future_appointment(self) -> Appointment:
        """A convocation of the person still to come."""
        return self._get(
            "future appointment",
            lambda: (
                Appointment.objects.filter(
                    person=self.person,
                    status=Appointment.Status.BOOKED,
                    starts_at__gt=timezone.now(),
                )
                .order_by("starts_at")
                .first()
            ),
        )

    @property
    def slot(self) -> Slot:
        return self._get(
            "slot", lambda: Slot.objects.filter(agenda=self.agenda).order_by("pk").first()
        )

    @property
    def pattern(self) -> SlotPattern:
        return self._get("pattern", lambda: SlotPattern.objects.filter(agenda=self.agenda).first())

    @property
    def procedure(self) -> Procedure:
        """A procedure of the TJ of Strasbourg with a party and a charge."""
        return self._get(
            "procedure",
            lambda: (
                Procedure.objects.filter(parties__isnull=False, charges__isnull=False)
                .order_by("pk")
                .first()
            ),
        )

    @property
    def hearing(self) -> Hearing:
        return self._get("hearing", lambda: Hearing.objects.order_by("pk").first())

    @property
    def judgment(self) -> Judgment:
        return self._get("judgment", lambda: Judgment.objects.order_by("pk").first())

    @property
    def measure(self) -> Measure:
        return self._get("measure", lambda: Measure.objects.order_by("pk").first())

    @property
    def situation(self) -> Situation:
        return self._get(
            "situation",
            lambda: (
                Situation.objects.filter(victims__isnull=False, measures__isnull=False)
                .order_by("pk")
                .first()
            ),
        )

    @property
    def meeting(self) -> Meeting:
        return self._get("meeting", lambda: Meeting.objects.order_by("pk").first())

    @property
    def transfer(self) -> Transfer:
        return self._get("transfer", lambda: Transfer.objects.order_by("pk").first())

    @property
    def api_client(self) -> ApiClient:
        return self._get("API client", lambda: ApiClient.objects.order_by("pk").first())

    @property
    def move_request(self) -> MoveRequest:
        return self._get("move request", lambda: MoveRequest.objects.order_by("pk").first())

    @property
    def invitation_token(self) -> str:
        """A valid invitation link to the probationer space (another person than the demo's
        account holder)."""

        def make() -> str:
            person = Person.objects.exclude(pk=self.person.pk).order_by("pk").first()
            invitation = Invitation.objects.create(
                person=person,
                phone="+33612345699",
                nonce=space_tokens.new_nonce(),
                expires_at=timezone.now() + datetime.timedelta(days=7),
            )
            return space_tokens.invitation_token(invitation.pk, invitation.nonce)

        return self._get("invitation", make)

    @property
    def info_page(self) -> InfoPage:
        return self._get("information page", lambda: InfoPage.objects.order_by("pk").first())


def complete_demo(world: World) -> None:
    """Add what the demo has none of: a recurring pattern, a concertation meeting, a
    transfer, an API client and a move request (each through its action or model)."""
    # The security charter is a gate of its own (visited as a page): accepted beforehand.
    Agent.objects.filter(email__in=ROLES.values()).update(charter_accepted_at=timezone.now())
    agenda = world.agenda
    SlotPattern.objects.create(
        agenda=agenda,
        appointment_type=world.appointment.appointment_type,
        weekdays=[0, 2],
        start_time=datetime.time(9, 0),
        end_time=datetime.time(12, 0),
        interval_minutes=30,
        duration_minutes=30,
        valid_from=datetime.date(2020, 1, 1),
    )
    instance = ListEntry.objects.filter(kind=ListEntry.Kind.INSTANCE).first() or (
        ListEntry.objects.create(
            kind=ListEntry.Kind.INSTANCE,
            name="Comité VIF",
            jurisdiction=world.situation.jurisdiction,
        )
    )
    meeting = Meeting.objects.create(instance=instance, held_on=datetime.date(2027, 7, 12))
    MeetingItem.objects.create(meeting=meeting, situation=world.situation)
    transfer_actions.request_transfer(  # Cayenne asks for the Bas-Rhin's person
        agent=Agent.objects.get(email="admin.cayenne@jalon.test"),
        person=world.person,
        service=world.service("SPIP de la Guyane"),
        reason="Déménagement",
    )
    api_actions.create_client(
        agent=world.agent("national"),
        details=api_actions.ClientDetails(
            name="Logiciel partenaire",
            contact_name="Équipe intégration",
            contact_email="integration@partenaire.test",
            scopes=[],
            services=[world.service(SPIP)],
            expires_on=None,
        ),
    )
    MoveRequest.objects.create(appointment=world.future_appointment, reason="Hospitalisation")
    # Two imports of a file by the CPIP: one waiting for its columns, one checked.
    content = (
        "Nom;Prénoms;Date de naissance;Téléphone\r\n"
        "Schneider;Lucas;12/03/1994;\r\nNouvelle;Personne;01/02/1980;\r\nErreur;Date;99/99/1980;\r\n"
    ).encode()
    cpip = world.agent("cpip")
    import_actions.upload(agent=cpip, content=content, file_name="colonnes.csv")
    checked = import_actions.upload(agent=cpip, content=content + b"\r\n", file_name="verifie.csv")
    import_actions.confirm_mapping(agent=cpip, batch=checked, mapping=checked.mapping)
    import_actions.check(checked.pk)


@dataclass(frozen=True)
class Visit:
    """One page: the route's name, who opens it, the URL arguments, a query string."""

    name: str
    role: str = ""
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    query: str = ""
    label: str = ""  # tells two visits of one route apart (the situation's tabs)
    status: int = 200  # what the page answers (an invalid link's page: 404)
    # Done on the page before the check: submitting a form wrong shows its error state.
    then: Callable[[Any], None] | None = None

    def url(self, world: World) -> str:
        return reverse(self.name, kwargs=self.kwargs(world)) + self.query


def submit_in_error(values: dict[str, str]) -> Callable[[Any], None]:
    """Fill ``values`` (selector: text), switch off the browser's own checks of the fields
    and submit the page's form: it comes back with the server's error messages."""

    def submit(page: Any) -> None:
        for selector, text in values.items():
            page.fill(selector, text)
        page.evaluate(
            "() => document.querySelectorAll('main form').forEach((f) => f.noValidate = true)"
        )
        with page.expect_navigation():
            page.click("main form[method=post] [type=submit]")

    return submit


def _person(w: World) -> dict[str, Any]:
    return {"person_id": w.person.pk}


def _appointment(w: World) -> dict[str, Any]:
    return {"appointment_id": w.appointment.pk}


def _future_appointment(w: World) -> dict[str, Any]:
    return {"appointment_id": w.future_appointment.pk}


def _agenda(w: World) -> dict[str, Any]:
    return {"agenda_id": w.agenda.pk}


def _procedure(w: World) -> dict[str, Any]:
    return {"procedure_id": w.procedure.pk}


def _hearing_procedure(w: World) -> dict[str, Any]:
    return {"procedure_id": w.hearing.procedure_id}


def _party(w: World) -> dict[str, Any]:
    return {"procedure_id": w.procedure.pk, "party_id": w.procedure.parties.first().pk}


def _charge(w: World) -> dict[str, Any]:
    return {"procedure_id": w.procedure.pk, "charge_id": w.procedure.charges.first().pk}


def _judgment(w: World) -> dict[str, Any]:
    return {"judgment_id": w.judgment.pk}


def _situation(w: World) -> dict[str, Any]:
    return {"situation_id": w.situation.pk}


def _situation_tab(tab: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"situation_id": w.situation.pk, "tab": tab}


AGENT_VISITS = [
    Visit("home", "cpip"),
    Visit("import_list", "cpip"),
    Visit("import_columns", "cpip", lambda w: {"pk": w.import_batch("colonnes.csv").pk}),
    Visit("import_detail", "cpip", lambda w: {"pk": w.import_batch("verifie.csv").pk}),
    Visit("charter", "cpip"),
    Visit("two_factor", "cpip"),
    # Agents (local and national administration).
    Visit("agent_list", "admin_spip"),
    Visit("agent_create", "admin_spip"),
    Visit("agent_detail", "admin_spip", lambda w: {"agent_id": w.agent("cpip").pk}),
    Visit("agent_edit", "admin_spip", lambda w: {"agent_id": w.agent("cpip").pk}),
    # Persons and convocations (CPIP).
    Visit("person_list", "cpip", query="?q=schneider"),
    Visit("person_detail", "cpip", _person),
    Visit("person_edit", "cpip", _person),
    Visit("person_create", "cpip"),
    Visit("person_create", "cpip", then=submit_in_error({}), label="erreurs"),
    Visit("person_book", "cpip", _person),
    Visit("person_slot_book", "cpip", _person),
    Visit("person_ddse_book", "greffier_sap", _person),
    Visit("unknown_status_queue", "cpip"),
    Visit("appointment_detail", "cpip", _appointment),
    Visit("appointment_reschedule", "cpip", _future_appointment),
    Visit("appointment_reconvene", "cpip", lambda w: {"appointment_id": w.missed_appointment.pk}),
    Visit("appointment_cancel", "cpip", _future_appointment),
    Visit("agenda_list", "cpip"),
    Visit("service_day", "cpip"),
    Visit("agenda_calendar", "cpip", _agenda, label="jour"),
    Visit("agenda_calendar", "cpip", _agenda, query="?vue=semaine", label="semaine"),
    Visit("agenda_calendar", "cpip", _agenda, query="?vue=mois", label="mois"),
    Visit("sms_failed_queue", "cpip"),
    Visit("move_requests", "cpip"),
    Visit("transfer_incoming", "admin_spip"),
    Visit("transfer_outgoing", "admin_spip"),
    Visit("transfer_create", "admin_spip"),
    Visit("transfer_detail", "admin_spip", lambda w: {"transfer_id": w.transfer.pk}),
    # Slots, places, agendas (local administrator of the SPIP).
    Visit("slot_list", "admin_spip", _agenda),
    Visit("slot_create", "admin_spip", _agenda),
    Visit("slot_edit", "admin_spip", lambda w: {"agenda_id": w.agenda.pk, "slot_id": w.slot.pk}),
    Visit("pattern_list", "admin_spip", _agenda),
    Visit("pattern_create", "admin_spip", _agenda),
    Visit(
        "pattern_edit",
        "admin_spip",
        lambda w: {"agenda_id": w.agenda.pk, "pattern_id": w.pattern.pk},
    ),
    Visit("place_list", "admin_spip"),
    Visit("place_create", "admin_spip"),
    Visit("place_edit", "admin_spip", lambda w: {"place_id": w.place.pk}),
    Visit("agenda_create", "admin_spip", lambda w: {"place_id": w.place.pk}),
    Visit(
        "agenda_edit", "admin_spip", lambda w: {"place_id": w.place.pk, "agenda_id": w.agenda.pk}
    ),
    Visit("sms_template_list", "admin_spip"),
    Visit(
        "sms_template_edit",
        "admin_spip",
        lambda w: {"where": str(w.service(SPIP).pk), "kind": "reminder", "which": "tous"},
    ),
    Visit("public_pages_admin", "admin_spip"),
    Visit(
        "public_service_page_edit",
        "admin_spip",
        lambda w: {"service_id": w.service(SPIP).pk},
    ),
    Visit("stats_service", "dpip", lambda w: {"service_id": w.service(SPIP).pk}),
    Visit("stats_infocentre", "national"),
    Visit(
        "stats_jurisdiction",
        "president",
        lambda w: {"jurisdiction_id": w.agent("president").service.jurisdiction_id},
    ),
    Visit("stats_national", "statisticien"),
    Visit("stats_home", "statisticien"),  # the list of the dashboards they may open
    # Hearing exit (greffier of the SAP).
    Visit("hearing_exit", "bex"),
    # The penal chain (parquet, correctional registry, BEX, SAP).
    Visit("procedure_list", "parquet"),
    Visit("procedure_create", "parquet"),
    Visit("procedure_detail", "parquet", _procedure),
    Visit("procedure_edit", "parquet", _procedure),
    Visit("procedure_party_add", "parquet", _procedure),
    Visit("procedure_charge_add", "parquet", _procedure),
    Visit("procedure_party_role", "parquet", _party),
    Visit("procedure_party_remove", "parquet", _party),
    Visit("procedure_charge_edit", "parquet", _charge),
    Visit("procedure_charge_remove", "parquet", _charge),
    Visit("procedure_orient", "parquet", _procedure),
    Visit("procedure_orient_party", "parquet", _party),
    Visit("procedure_hearing", "greffier_co", _hearing_procedure),
    Visit("hearing_schedule", "greffier_co", _hearing_procedure),
    Visit(
        "judgment_record",
        "greffier_co",
        lambda w: {
            "procedure_id": w.hearing.procedure_id,
            "party_id": w.hearing.procedure.parties.first().pk,
        },
    ),
    Visit("judgment", "greffier_co", _judgment),
    Visit("judgment_service", "greffier_co", _judgment),
    Visit("judgment_appeal", "greffier_co", _judgment),
    Visit("bex_queue", "bex"),
    Visit("measure_list", "greffier_sap"),
    Visit("measure", "cpip", lambda w: {"measure_id": w.measure.pk}),
    # Situations (parquet; the JAF reads its share).
    Visit("situation_list", "parquet"),
    Visit("situation_steering", "parquet"),
    Visit("situation_notifications", "parquet"),
    Visit("situation_create", "parquet"),
    Visit("situation_lists", "parquet"),
    Visit("situation_list_edit", "parquet", lambda w: {"kind": "instance"}),
    Visit("meeting_list", "parquet"),
    Visit("meeting_detail", "parquet", lambda w: {"meeting_id": w.meeting.pk}),
    Visit("situation_detail", "parquet", _situation),
    Visit("situation_edit", "parquet", _situation),
    Visit(
        "situation_victim_edit",
        "parquet",
        lambda w: {"situation_id": w.situation.pk, "victim_id": w.situation.victims.first().pk},
    ),
    Visit("situation_close", "parquet", _situation),
    Visit(
        "situation_procedure_edit",
        "parquet",
        lambda w: {"situation_id": w.situation.pk, "part_id": w.situation.procedures.first().pk},
    ),
    Visit(
        "situation_procedure_delete",
        "parquet",
        lambda w: {"situation_id": w.situation.pk, "part_id": w.situation.procedures.first().pk},
    ),
    Visit(
        "situation_measure_edit",
        "parquet",
        lambda w: {"situation_id": w.situation.pk, "part_id": w.situation.measures.first().pk},
    ),
    Visit(
        "situation_measure_delete",
        "parquet",
        lambda w: {"situation_id": w.situation.pk, "part_id": w.situation.measures.first().pk},
    ),
    *(
        Visit("situation_tab", "parquet", _situation_tab(tab), label=tab)
        for tab in ("mec", "victimes", "procedures", "mesures", "documents", "evenements")
    ),
    Visit("situation_tab", "jaf", _situation_tab("jaf"), label="jaf"),
    # National administration.
    Visit("commune_import", "national"),
    Visit("natinf_import", "national"),
    Visit("api_client_list", "national"),
    Visit("api_client_create", "national"),
    Visit("api_client_detail", "national", lambda w: {"client_id": w.api_client.pk}),
    Visit("api_client_edit", "national", lambda w: {"client_id": w.api_client.pk}),
    Visit("public_info_page_edit", "national", lambda w: {"page_id": w.info_page.pk}),
    Visit("backoffice_home", "national"),
    Visit("backoffice_list", "national", lambda w: {"slug": "politiques-penales"}),
    Visit("backoffice_create", "national", lambda w: {"slug": "services"}),
    Visit(
        "backoffice_edit",
        "national",
        lambda w: {"slug": "politiques-penales", "entry_id": w.situation.policy_id},
    ),
    # Every agent's own account, and the help.
    Visit("account", "cpip"),
    Visit("help_index", "cpip"),
    Visit("help_index", "cpip", query="?q=statut+inconnu", label="recherche"),
    Visit("help_page", "cpip", lambda w: {"slug": "statut-inconnu"}),
    Visit("report_problem", "cpip", query="?page=/personnes/"),
    Visit("problem_reports", "national"),
]

PUBLIC_VISITS = [
    Visit("login"),
    Visit(
        "login",
        then=submit_in_error({"#id_username": "inconnu@jalon.test", "#id_password": "faux"}),
        label="erreur",
    ),
    Visit("password_reset"),
    Visit("password_reset_done"),
    Visit("password_reset_complete"),
    Visit(
        "password_reset_confirm",
        kwargs=lambda w: {"uidb64": "Mw", "token": "invalide-000"},
        label="lien invalide",
    ),
    Visit("accessibility_statement"),
    Visit("public_info_index"),
    Visit("public_info_page", kwargs=lambda w: {"slug": w.info_page.slug}),
    Visit(
        "public_service_page",
        kwargs=lambda w: {"token": links.service_page_token(w.service(SPIP).pk)},
    ),
    Visit(
        "public_convocation",
        kwargs=lambda w: {"token": links.convocation_token(w.future_appointment.pk)},
        label="date de naissance",
    ),
    Visit(
        "public_convocation",
        kwargs=lambda w: {"token": links.convocation_token(w.future_appointment.pk)},
        then=submit_in_error({"#id_birth_date": "01/01/1900"}),
        label="date de naissance fausse",
    ),
    Visit(
        "public_convocation",
        kwargs=lambda w: {"token": "invalide"},
        label="lien invalide",
        status=404,
    ),
]

# The probationer space: its own login (the demo person with an account), read on a phone.
SPACE_VISITS = [
    Visit("space_home", "person"),
    Visit("space_convocation", "person", lambda w: {"appointment_id": w.future_appointment.pk}),
]
SPACE_PUBLIC_VISITS = [
    Visit("space_login"),
    Visit(
        "space_login",
        then=submit_in_error({"#id_phone": "06 00 00 00 00", "#id_password": "faux"}),
        label="erreur",
    ),
    Visit("space_forgotten"),
    Visit("space_invitation", kwargs=lambda w: {"token": w.invitation_token}),
    Visit(
        "space_invitation", kwargs=lambda w: {"token": "1-faux"}, label="lien invalide", status=404
    ),
]

# Pages that are no route of their own: the error pages, reached by a URL that fails.
ERROR_PAGES = {
    "404": ("/cette-page-n-existe-pas/", 404),
}


PHONE = {"width": 360, "height": 640}


@dataclass(frozen=True)
class PageSet:
    """Pages seen by one kind of visitor. ``open_session(page, role)`` makes the fresh
    browser context that visitor (logs in); roles group the visits into one context each.
    ``viewport`` is the screen (None: Playwright's 1280×720)."""

    name: str
    visits: list[Visit]
    open_session: Callable[[Any, str], None]
    extra_urls: dict[str, tuple[str, int]] = field(default_factory=dict)
    viewport: dict[str, int] | None = None


def log_in_agent(page: Any, role: str) -> None:
    page.goto("/connexion/")
    page.fill("#id_username", ROLES[role])
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(lambda url: "/connexion/" not in url)


def no_session(page: Any, role: str) -> None:
    return None


def log_in_space(page: Any, role: str) -> None:
    page.goto("/espace/connexion/")
    page.fill("#id_phone", SPACE_DEMO_PHONE)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form[method=post] [type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)


PAGE_SETS = [
    PageSet("agents", AGENT_VISITS, log_in_agent),
    PageSet("public", PUBLIC_VISITS, no_session, extra_urls=ERROR_PAGES),
    # The person's side is read on cheap phones: the same pages on a small screen.
    PageSet(
        "public (téléphone)",
        PUBLIC_VISITS,
        no_session,
        extra_urls=ERROR_PAGES,
        viewport=PHONE,
    ),
    PageSet("espace personnel", SPACE_VISITS, log_in_space, viewport=PHONE),
    PageSet("espace personnel (connexion)", SPACE_PUBLIC_VISITS, no_session, viewport=PHONE),
]

# Routes visited by no page set, and why. A route added to the URL conf must land in a page
# set or here (tests/e2e/test_accessibility.py).
EXCLUDED = {
    "healthz": "health probe, plain text",
    "livez": "liveness probe, plain text",
    "logout": "POST only",
    "invitation_accept": "same template as the password choice (password_reset_confirm)",
    "session_keepalive": "POST only, JSON",
    "session_status": "JSON",
    "agent_operation": "POST only",
    "person_archive": "POST only",
    "appointment_operation": "POST only (the outcome buttons of the convocation page)",
    "appointment_letter": "PDF download",
    "appointment_ics": "ICS download",
    "agenda_calendar_pdf": "PDF download",
    "agenda_day": "PDF download",
    "pattern_delete": "POST only",
    "move_request_answer": "POST only (the answer form is on the move requests page)",
    "bex_take": "POST only (GET sends back to the BEX queue)",
    "import_resume": "POST only (the button is on the import page)",
    "import_abandon": "POST only (the button is on the import page)",
    "hearing_done": "reached only after recording a hearing exit (the session carries it)",
    "offence_picker": "HTML fragment loaded into the procedure forms by htmx",
    "hearing_letter": "PDF download",
    "sms_resend": "POST only",
    "sms_receipt_webhook": "provider webhook, POST only",
    "sms_inbound_webhook": "provider webhook, POST only",
    "sms_dev_outbox": "development outbox, absent in production",
    "sms_stop_link": "one-line confirmation served to the SMS STOP link, no page layout",
    "sms_template_preview": "HTML fragment (htmx preview of the template editor)",
    "sms_template_reset": "POST only",
    "meeting_agenda_pdf": "PDF download",
    "situation_follow": "POST only",
    "situation_reopen": "POST only",
    "situation_document_download": "file download",
    "transfer_badge": "HTML fragment (the menu counter, loaded by htmx)",
    "transfer_answer": "POST only",
    "transfer_cancel": "POST only",
    "api_client_rotate": "POST only",
    "api_client_revoke": "POST only",
    "stats_service_export": "CSV/ODS download",
    "stats_infocentre_request": "POST only (the buttons and the month form are on stats_infocentre)",
    "stats_infocentre_download": "ZIP download",
    "stats_jurisdiction_export": "CSV/ODS download",
    "stats_national_export": "CSV/ODS download",
    "public_convocation_ics": "ICS download",
    "public_convocation_confirm": "POST only",
    "public_convocation_move": "POST only",
    "account_password": "POST only (the form is on the account page)",
    "account_two_factor_reset": "POST only (the form is on the account page)",
    "account_session_end": "POST only (the form is on the account page)",
    "account_sessions_end_others": "POST only (the form is on the account page)",
    "account_sharing": "POST only (the form is on the account page)",
    "agenda_day_csv": "CSV download",
    "import_template": "CSV download (the example file)",
    "import_report": "CSV download",
    "import_decide": "POST only (the form is on the import page)",
    "import_start": "POST only (the button is on the import page)",
    "agent_list_csv": "CSV download",
    "unknown_status_csv": "CSV download",
    "unknown_status_bulk": "POST only (the form is on the unknown-status queue)",
    "api_client_replay_delivery": "POST only",
    "backoffice_toggle": "POST only",
    "proconnect_start": "404 unless ProConnect is configured; it redirects to the provider "
    "(the flow is checked in tests/e2e/test_proconnect.py)",
    "proconnect_callback": "404 unless ProConnect is configured; redirects after the provider",
    "proconnect_logged_out": "404 unless ProConnect is configured; redirects to the login page",
    "space_invite": "POST only (the form is on the person's page)",
    "problem_report_handled": "POST only (the button is on the reports list)",
    "space_logout": "POST only",
    "space_reset": "POST only (the code form is shown by space_forgotten)",
    "space_convocation_ics": "ICS download",
    "space_convocation_confirm": "POST only",
    "space_convocation_move": "POST only",
}

# Whole namespaces: the partners' API (JSON) and Django's admin screens, generated from the
# same Django templates for every model (its index is visited, as the national admin).
EXCLUDED_NAMESPACES = {
    "api:": "the partners' API: JSON, and its documentation page is Swagger's own",
    "admin:": "Django's admin: the operators' technical console (not the national "
    "administrators' back office, visited as backoffice_*)",
}
