"""Wording shown to users: no requirement identifier, no plural built by adding an "s"."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

from jalon.access.roles import Capability
from jalon.history import registry
from jalon.situations.models import ListEntry

ROOT = Path(__file__).resolve().parents[2] / "jalon"
REQUIREMENT_ID = re.compile(r"\b[A-Z]{2,4}-\d+\b")
NOT_REQUIREMENTS = {"EUPL-1"}  # the licence's name in the footer ("EUPL-1.2")
COMMENTS = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)


def requirement_ids(text: str) -> set[str]:
    return set(REQUIREMENT_ID.findall(text)) - NOT_REQUIREMENTS


def test_no_template_shows_a_requirement_identifier():
    found = {
        str(path.relative_to(ROOT)): ids
        for path in ROOT.glob("**/templates/**/*")
        if path.is_file() and path.suffix in {".html", ".txt"}
        if (ids := requirement_ids(COMMENTS.sub("", path.read_text())))
    }
    assert found == {}


def test_no_field_label_help_text_or_choice_shows_a_requirement_identifier():
    texts = []
    for model in apps.get_models():
        if not model.__module__.startswith("jalon."):
            continue
        texts += [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
        for field in model._meta.get_fields():
            texts += [str(getattr(field, "verbose_name", "")), str(getattr(field, "help_text", ""))]
            texts += [str(label) for _, label in getattr(field, "flatchoices", None) or []]
        texts += [
            str(getattr(constraint, "violation_error_message", "") or "")
            for constraint in model._meta.constraints
        ]
    texts += [str(label) for label in Capability.labels]
    texts += list(registry._LABELS.values())  # history labels shown in timelines
    found = {text for text in texts if requirement_ids(text)}
    assert found == set()


def test_the_check_finds_an_identifier():
    assert requirement_ids("Ce numéro est déjà enregistré (MSJ-38).") == {"MSJ-38"}
    assert requirement_ids("Licence EUPL-1.2") == set()


def test_list_titles_are_written_plurals():
    assert [ListEntry.Kind(code).plural for code in ListEntry.Kind.values] == [
        "Cabinets de juge des enfants",
        "Cabinets de JAP",
        "Cabinets de juge d’instruction",
        "Instances de concertation",
    ]
    template = (ROOT / "situations/templates/situations/list_entries.html").read_text()
    assert "}}s<" not in template


def test_an_empty_registration_says_which_fields_are_missing(client_for, cpip, frozen_now):
    from django.urls import reverse

    response = client_for(cpip).post(reverse("person_create"), {"phone": "06 98 76 54 32"})

    errors = response.context["form"].errors
    assert errors["last_name"] == ["« Nom » est obligatoire."]
    assert errors["first_names"] == ["« Prénoms » est obligatoire."]
    assert errors["birth_date"] == ["« Date de naissance » est obligatoire."]
    assert "Ce champ est obligatoire." not in response.content.decode()


def test_a_date_the_calendar_does_not_have_is_named_as_such(client_for, cpip, frozen_now):
    from django.urls import reverse

    response = client_for(cpip).post(
        reverse("person_create"),
        {"last_name": "Nguyen", "first_names": "Lan", "birth_date": "31/02/1990"},
    )

    assert response.context["form"].errors["birth_date"] == [
        "Le 31/02/1990 n’existe pas : février 1990 n’a que 28 jours."
    ]
    assert 'value="31/02/1990"' in response.content.decode()


def test_select_lists_share_one_empty_label(client_for, cpip, agendas, frozen_now):
    from django.urls import reverse

    page = client_for(cpip).get(reverse("person_create")).content.decode()
    assert "---------" not in page
    assert "— Choisir —" in page


def test_templates_format_dates_with_the_shared_filters():
    from datetime import date, datetime

    from django.template import Context, Template

    rendered = Template(
        "{% load french_dates %}{{ d|long_date }} | {{ d|short_date }} | {{ m|at_time }}"
    ).render(Context({"d": date(2026, 12, 7), "m": datetime(2026, 12, 7, 9, 5)}))
    assert rendered == "lundi 7 décembre 2026 | lun. 7 déc. | 9 h 05"
