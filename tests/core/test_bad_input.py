"""Bad bytes never make a 500: NUL bytes, invalid UTF-8 and overlong values, sent to every
query parameter and every form field of every page an agent can open.

The URL map is walked (as ``tests/test_urls.py`` does); each page is opened by an agent who
may use it, on real objects; the fields of its forms are read from the HTML; then each field
(and each query parameter) is sent, one at a time, with the bad value while the others keep
what the page offered. NUL and invalid UTF-8 get the 400 page in French
(``core.middleware.RejectInvalidInputMiddleware``); an overlong value gets a page or a 4xx.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import reverse

from jalon.situations import documents
from jalon.situations.models import ListEntry, Measure, Meeting, Procedure
from jalon.sms.models import Message, MessageKind
from tests.factories import (
    AppointmentFactory,
    PersonFactory,
    PlaceFactory,
    SituationFactory,
    SlotFactory,
    VictimFactory,
)
from tests.situations.world import agents, build_world
from tests.test_urls import ALL_URLS, PUBLIC_URL_NAMES

NUL = "ab\x00cd"
OVERLONG = "x" * 5000
INVALID_UTF8 = "%C3%28%FF%FE"  # already percent-encoded: bytes that are not UTF-8
QUERY_PARAMETERS = ("q", "page", "date", "vue", "tri", "export", "politique", "etat", "type")
SKIPPED = {"logout", "session_keepalive", "sms_dev_outbox"} | PUBLIC_URL_NAMES


class Fields(HTMLParser):
    """The fields of the forms of a page, with the value the page offers (method, action)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def _form(self) -> dict[str, Any]:
        if not self.forms:
            self.forms.append({"method": "get", "action": "", "fields": {}})
        return self.forms[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "method": a.get("method", "get").lower(),
                    "action": a.get("action", ""),
                    "fields": {},
                }
            )
        elif tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self._form()["fields"].setdefault(a["name"], None)
                return
            self._form()["fields"][a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form()["fields"].setdefault(a["name"], None)
        elif tag == "option" and self._select:
            fields = self._form()["fields"]
            if (fields.get(self._select) is None or "selected" in a) and a.get("value"):
                fields[self._select] = a["value"]
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form()["fields"][a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._form()["fields"][self._textarea] += data


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = Fields()
    parser.feed(html)
    return parser.forms


def body(fields: dict[str, str | None], bad_field: str, raw_bad: str) -> str:
    """A urlencoded body: the page's values, ``bad_field`` replaced by ``raw_bad`` (encoded)."""
    parts = [
        f"{quote(name)}={quote(value or '')}"
        for name, value in fields.items()
        if name != bad_field and value is not None
    ]
    parts.append(f"{quote(bad_field)}={raw_bad}")
    return "&".join(parts)


@pytest.fixture
def world(org, make_agent, agendas, settings, tmp_path: Path, frozen_now) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    settings.JALON_SMS_PROVIDER = "dev"
    sispopp = build_world(org)
    team = agents(sispopp, make_agent)
    greffier = make_agent("greff_sap", service=org.sap_alpha)
    person = PersonFactory(followed_by=[org.sap_alpha, org.spip_alpha])
    slot = SlotFactory(agenda=agendas.sap_alpha, starts_at=frozen_now + dt.timedelta(days=2))
    appointment = AppointmentFactory(
        person=person,
        agenda=agendas.sap_alpha,
        appointment_type=slot.appointment_type,
        slot=slot,
        starts_at=slot.starts_at,
    )
    message = Message.objects.create(
        kind=MessageKind.REMINDER,
        appointment=appointment,
        person=person,
        service=appointment.service,
        phone=person.phone,
        send_after=frozen_now,
        status=Message.Status.FAILED,
    )
    situation = SituationFactory(jurisdiction=org.tj_alpha, mec=person)
    instance = ListEntry.objects.create(
        jurisdiction=org.tj_alpha, kind=ListEntry.Kind.INSTANCE, name="Comité VIF"
    )
    parquet = team["procureur_alpha"]
    ids = {
        "person_id": person.pk,
        "appointment_id": appointment.pk,
        "agenda_id": agendas.sap_alpha.pk,
        "slot_id": slot.pk,
        "place_id": agendas.sap_alpha.place_id,
        "message_id": message.pk,
        "agent_id": make_agent("secretary_court", service=org.sap_alpha).pk,
        "situation_id": situation.pk,
        "victim_id": VictimFactory(situation=situation).pk,
        "meeting_id": Meeting.objects.create(instance=instance, held_on=frozen_now.date()).pk,
        "document_id": documents.add_document(
            agent=parquet, situation=situation, title="PV", name="pv.pdf", content=b"%PDF-1.7\n"
        ).pk,
    }
    PlaceFactory(service=org.sap_alpha)
    return {
        "ids": ids,
        "procedure": Procedure.objects.create(
            situation=situation, nature="penal", reference="24/001"
        ).pk,
        "measure": Measure.objects.create(situation=situation, label="Contrôle judiciaire").pk,
        "greffier": greffier,
        "local_admin": make_agent("local_admin", service=org.sap_alpha),
        "bex": make_agent("bex", service=org.bex_alpha),
        "national": make_agent("national_admin", service=org.national),
        "parquet": parquet,
    }


def _url(name: str, route: str, world: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {}
    for key in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
        key = key[0] or key[1]
        if key == "part_id":
            kwargs[key] = world["procedure" if "procedure" in name else "measure"]
        elif key in world["ids"]:
            kwargs[key] = world["ids"][key]
        elif key == "operation":
            choices = re.search(r"\(\?P<operation>([\w-]+)", route)
            kwargs[key] = choices.group(1) if choices else "desactiver"
        elif key == "tab":
            kwargs[key] = "evenements"
        elif key == "kind" and name == "situation_list_edit":
            kwargs[key] = "instance"
        elif (name, key) == ("sms_template_edit", "where") or (
            name == "sms_template_reset" and key == "where"
        ):
            kwargs[key] = "national"
        elif key == "kind":
            kwargs[key] = "reminder"
        elif key == "which":
            kwargs[key] = "tous"
        else:
            kwargs[key] = 999999  # an object this walk does not create: a 404, still walked
    return reverse(name, kwargs=kwargs)


def _agent_for(name: str, route: str, world: dict[str, Any]) -> Any:
    if route.startswith("situations/"):
        return world["parquet"]
    if name.startswith(("sms_template", "commune")):
        return world["national"]
    if route.startswith("administration/"):
        return world["local_admin"]
    if name.startswith("hearing"):
        return world["bex"]
    return world["greffier"]


PAGES = sorted(
    (name, route)
    for name, route, _ in ALL_URLS
    # The API answers bad bytes with a 422 problem, not this page: tests/api/test_openapi.py.
    if name and not name.startswith(("admin:", "api:")) and name not in SKIPPED
)


def _assert_refused(response: Any, what: str) -> None:
    assert response.status_code == 400, what
    assert "caractères invalides" in response.content.decode(), what


@pytest.mark.parametrize(("name", "route"), PAGES, ids=[name for name, _ in PAGES])
def test_bad_bytes_in_any_field_or_parameter_never_make_a_500(
    name: str, route: str, world: dict[str, Any], client: Client
) -> None:
    url = _url(name, route, world)
    client.force_login(_agent_for(name, route, world), backend="jalon.access.backends.AgentBackend")
    page = client.get(url)
    assert page.status_code < 500, url
    is_html = page.get("Content-Type", "").startswith("text/html")
    forms = forms_of(page.content.decode()) if is_html else []
    parameters = set(QUERY_PARAMETERS)
    for form in forms:
        if form["method"] == "get":
            parameters |= set(form["fields"])
    for parameter in sorted(parameters):
        _assert_refused(client.get(f"{url}?{parameter}={quote(NUL)}"), f"{url} {parameter} NUL")
        _assert_refused(client.get(f"{url}?{parameter}={INVALID_UTF8}"), f"{url} {parameter}")
        response = client.get(f"{url}?{urlencode({parameter: OVERLONG})}")
        assert response.status_code < 500, f"{url}?{parameter}=<5000 characters>"
    for form in forms:
        if form["method"] != "post" or not form["fields"]:
            continue
        target = form["action"] or url
        for field in form["fields"]:
            if field in ("csrfmiddlewaretoken",):
                continue
            for raw, refused in ((quote(NUL), True), (INVALID_UTF8, True), (OVERLONG, False)):
                response = client.post(
                    target,
                    body(form["fields"], field, raw),
                    content_type="application/x-www-form-urlencoded",
                )
                what = f"POST {target} {field}={raw[:12]}"
                if refused:
                    _assert_refused(response, what)
                else:
                    assert response.status_code < 500, what


def test_a_nul_byte_in_a_file_upload_form_is_refused(world: dict[str, Any], client: Client):
    client.force_login(world["parquet"], backend="jalon.access.backends.AgentBackend")
    url = reverse("situation_tab", args=[world["ids"]["situation_id"], "documents"])
    response = client.post(url, {"title": "P\x00V"})  # multipart, as the upload form
    _assert_refused(response, "multipart NUL")


def test_the_agents_search_answers_400_to_a_nul_byte(world: dict[str, Any], client: Client):
    """The reported case: the agents' search sent the NUL to PostgreSQL and answered 500."""
    client.force_login(world["local_admin"], backend="jalon.access.backends.AgentBackend")
    response = client.get(reverse("agent_list"), {"q": "Cam\x00ille"})
    _assert_refused(response, "agents' search")
    assert client.get(reverse("agent_list"), {"q": "Camille"}).status_code == 200


def test_the_persons_search_answers_400_to_a_nul_byte(world: dict[str, Any], client: Client):
    client.force_login(world["greffier"], backend="jalon.access.backends.AgentBackend")
    _assert_refused(client.get(reverse("person_list"), {"q": "MART\x00IN"}), "search")
    assert client.get(reverse("person_list"), {"q": "MARTIN"}).status_code == 200
