"""Every button and link of the main pages shows its text (fault 2: labels lost in groups).

A control that shows only an icon, a "+", or a label cut to a few letters is a control the
agent cannot read: each visible ``a``, ``button`` and submit input must have a visible text
of its own (a ``title`` alone is not enough) that fits in its box.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    AgendaFactory,
    AppointmentFactory,
    PersonFactory,
    PlaceFactory,
    SituationFactory,
)
from tests.situations.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHECK = """() => {
  const bad = [];
  const controls = document.querySelectorAll(
    "a[href], button, input[type=submit], input[type=button], [role=button]");
  for (const el of controls) {
    const style = getComputedStyle(el);
    if (!el.getClientRects().length || style.visibility === "hidden") continue;
    if (el.closest("[aria-hidden=true], .fr-skiplinks, dialog:not([open])")) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // visually hidden
    const text = (el.tagName === "INPUT" ? el.value : el.innerText).trim();
    const describe = el.outerHTML.slice(0, 160);
    if (!/[\\p{L}\\p{N}]/u.test(text)) {
      bad.push(`no visible text: ${describe}`);
    } else if (el.scrollWidth > el.clientWidth + 2 && style.overflow !== "visible") {
      bad.push(`text cut (${el.clientWidth}px < ${el.scrollWidth}px): ${describe}`);
    }
  }
  // No requirement identifier (MSJ-38, SIS-31…) in what the page shows.
  const ids = (document.body.innerText.match(/\b[A-Z]{2,4}-\\d+\b/g) || [])
    .filter((id) => id !== "EUPL-1");
  if (ids.length) bad.push(`requirement identifiers shown: ${ids.join(", ")}`);
  return bad;
}"""


def _log_in(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_selector("h1:has-text('Bonjour')")


def _menu_urls(page: Any) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll("#navigation a.fr-nav__link")]
            .map((a) => a.getAttribute("href"))
            .filter((href) => href && href.startsWith("/") && !href.startsWith("/admin/"))"""
    )


def _problems(page: Any, urls: list[str]) -> list[str]:
    problems = []
    for url in dict.fromkeys(urls):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")
        problems += [f"{url}: {problem}" for problem in page.evaluate(CHECK)]
        if "calendrier" in url or "convocations" in url:
            name = url.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
            page.screenshot(path=f"test-artifacts/labels-{name}.png")
    return problems


def test_every_control_of_each_profiles_main_pages_shows_its_text(page, make_agent, org):
    world = build_world(org)
    agenda = AgendaFactory(place=PlaceFactory(service=org.spip_alpha))
    person = PersonFactory(followed_by=[org.spip_alpha])
    appointment = AppointmentFactory(person=person, agenda=agenda)
    sap_agenda = AgendaFactory(place=PlaceFactory(service=org.sap_alpha))
    situation = SituationFactory(jurisdiction=org.tj_alpha)
    profiles = [
        (
            make_agent("cpip", service=org.spip_alpha),
            [
                reverse("person_detail", args=[person.pk]),
                reverse("appointment_detail", args=[appointment.pk]),
                reverse("agenda_calendar", args=[agenda.pk]),
                reverse("agenda_calendar", args=[agenda.pk]) + "?vue=semaine",
                reverse("agenda_calendar", args=[agenda.pk]) + "?vue=mois",
                reverse("person_create"),
                reverse("person_edit", args=[person.pk]),
                reverse("account"),
                reverse("agenda_list"),
                reverse("unknown_status_queue"),
                reverse("help_index") + "?q=statut+inconnu",
                reverse("help_page", args=["statut-inconnu"]),
                reverse("report_problem"),
            ],
        ),
        (
            make_agent("local_admin", service=org.sap_alpha),
            [
                reverse("slot_list", args=[sap_agenda.pk]),
                reverse("pattern_list", args=[sap_agenda.pk]),
                reverse("agent_list"),
            ],
        ),
        (make_agent("bex", service=org.bex_alpha), []),
        (
            make_agent("parquet", service=world.parquet_alpha),
            [
                reverse("situation_detail", args=[situation.pk]),
            ],
        ),
        (
            make_agent("national_admin", service=org.national),
            [
                reverse("backoffice_list", args=["politiques-penales"]),
                reverse("backoffice_create", args=["services"]),
                reverse("backoffice_edit", args=["juridictions", org.tj_alpha.pk]),
            ],
        ),
    ]
    problems = []
    for agent, extra in profiles:
        _log_in(page, agent.email)
        problems += _problems(page, ["/", *_menu_urls(page), *extra])
    assert problems == [], "\n".join(problems)


def test_the_check_finds_an_icon_only_button(page, make_agent, org):
    """The check above can fail: a DSFR icon-only button in a group is reported."""
    _log_in(page, make_agent("cpip", service=org.spip_alpha).email)
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
            '<ul class="fr-btns-group fr-btns-group--inline"><li>'
            + '<a class="fr-btn fr-icon-add-line fr-btn--icon-only" href="/">Nouveau</a></li>'
            + '<li><button class="fr-btn">+</button></li></ul>')"""
    )
    problems = page.evaluate(CHECK)
    assert len(problems) == 2, problems
