"""The help section: pages written in Markdown in the repository, searched in French."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jalon.core.glossary import ACRONYMS
from jalon.help.context_processors import help_slug_for
from jalon.help.pages import ORDER, all_pages, get_page
from jalon.help.search import fold, search


def test_one_page_per_main_task_with_a_title_and_a_summary() -> None:
    pages = all_pages()

    assert [page.slug for page in pages] == list(ORDER)
    assert all(page.title and page.summary and page.html for page in pages)


def test_pages_are_rendered_safely() -> None:
    page = get_page("enregistrer-et-convoquer")

    assert page is not None
    assert "<h2>" in page.html and "<script" not in page.html and "<h1>" not in page.html


def test_the_glossary_page_lists_the_code_glossary() -> None:
    page = get_page("glossaire")

    assert page is not None
    assert all(word in page.text for word in ACRONYMS)
    assert "Juge de l’application des peines" in page.text


def test_fold_keeps_one_character_for_one() -> None:
    text = "Créneau récurrent à l’écrou, cœur"
    assert fold(text) == "Creneau recurrent a l’ecrou, cœur"
    assert len(fold(text)) == len(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("statut inconnu", "statut-inconnu"),
        ("creneau recurrent", "creneaux-et-sortie-d-audience"),  # without accents
        ("créneaux récurrents", "creneaux-et-sortie-d-audience"),  # plural, accents
        ("double authentification", "compte-et-double-authentification"),
        ("dessaisissement", "transferts"),
        ("ordonnance de protection", "situations"),
        ("absentéisme", "statistiques"),
    ],
)
def test_search_ranks_the_right_page_first(query: str, best: str) -> None:
    results = search(query)

    assert results
    assert results[0].page.slug == best


@pytest.mark.django_db
def test_search_highlights_the_words_in_the_accented_text() -> None:
    (result, *_) = search("creneau")

    assert "<mark>créneau</mark>" in result.excerpt or "<mark>Créneau</mark>" in result.excerpt


@pytest.mark.django_db
def test_search_without_match_or_with_odd_input() -> None:
    assert search("zzzquux") == []
    assert search("   ") == []
    assert isinstance(search('"& | ! ( <script>'), list)  # never an error (websearch syntax)
    excluded = [result.page.slug for result in search("-statut")]
    assert excluded and "statut-inconnu" not in excluded and "statistiques" not in excluded


@pytest.mark.django_db
def test_help_index_searches(client_for: Any, cpip: Any) -> None:
    client = client_for(cpip)

    page = client.get(reverse("help_index"), {"q": "statut inconnu"}).content.decode()

    assert 'data-testid="help-results"' in page
    assert reverse("help_page", args=["statut-inconnu"]) in page
    assert "<mark>statut</mark>" in page
    empty = client.get(reverse("help_index"), {"q": "zzzquux"}).content.decode()
    assert "Aucune page ne correspond à « zzzquux »" in empty


@pytest.mark.django_db
def test_help_page_and_unknown_page(client_for: Any, cpip: Any) -> None:
    client = client_for(cpip)

    response = client.get(reverse("help_page", args=["transferts"]))

    assert response.status_code == 200
    assert "Transferts de suivi" in response.content.decode()
    assert client.get("/aide/nulle-part/").status_code == 404


@pytest.mark.django_db
def test_every_agent_page_links_to_help_and_to_report_a_problem(client_for: Any, cpip: Any) -> None:
    page = client_for(cpip).get(reverse("unknown_status_queue")).content.decode()

    assert f'href="{reverse("help_page", args=["statut-inconnu"])}"' in page  # contextual
    assert 'data-testid="report-problem"' in page
    assert "page=/convocations/statut-inconnu/" in page.replace("%2F", "/")


def test_contextual_help_by_screen() -> None:
    assert help_slug_for("person_create") == "enregistrer-et-convoquer"
    assert help_slug_for("unknown_status_queue") == "statut-inconnu"
    assert help_slug_for("situation_detail") == "situations"
    assert help_slug_for("transfer_incoming") == "transferts"
    assert help_slug_for("home") == ""


def test_help_requires_login(client: Any) -> None:
    response = client.get(reverse("help_index"))

    assert response.status_code == 302
