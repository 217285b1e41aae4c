"""The persons page without a search (issue 18, point 8): "mes personnes" and the files the
agent opened lately, within what they still see."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.urls import reverse

from jalon.history.models import Event
from jalon.people.recent import recently_opened
from tests.factories import PersonFactory
from tests.queries import assert_queries_do_not_grow


def _open(client, *persons):
    for person in persons:
        assert client.get(reverse("person_detail", args=[person.pk])).status_code == 200


def test_without_a_search_the_agent_sees_their_persons_and_the_files_they_opened(
    client_for, cpip, make_agent, org
):
    colleague = make_agent("cpip", service=org.spip_alpha)
    mine = PersonFactory(last_name="Arnold", followed_by=[org.spip_alpha], referent=cpip)
    theirs = PersonFactory(last_name="Bauer", followed_by=[org.spip_alpha], referent=colleague)
    other = PersonFactory(last_name="Colin", followed_by=[org.sap_alpha])
    client = client_for(cpip)
    _open(client, theirs, other, theirs)  # the second opening of Bauer moves it up
    _open(client_for(colleague), mine)  # a colleague's reads are theirs
    response = client_for(cpip).get(reverse("person_list"))
    assert response.context["my_persons"] == [mine]
    assert response.context["recent"] == [theirs, other]
    html = response.content.decode()
    assert 'data-testid="my-persons"' in html and 'data-testid="recent-persons"' in html


def test_a_file_out_of_reach_now_is_not_listed(client_for, cpip, org):
    moved = PersonFactory(followed_by=[org.spip_alpha])
    kept = PersonFactory(followed_by=[org.spip_alpha])
    _open(client_for(cpip), moved, kept)
    moved.follows.update(service=org.sap_beta)  # followed in another ressort now
    assert recently_opened(cpip) == [kept]


def test_old_reads_are_not_recent(client_for, cpip, org):
    person = PersonFactory(followed_by=[org.spip_alpha])
    _open(client_for(cpip), person)
    assert recently_opened(cpip) == [person]
    Event.objects.filter(actor=cpip).update(created_at=F("created_at") - dt.timedelta(days=120))
    assert recently_opened(cpip) == []


def test_at_most_ten_recent_files(client_for, cpip, org):
    persons = [PersonFactory(followed_by=[org.spip_alpha]) for _ in range(12)]
    _open(client_for(cpip), *persons)
    assert recently_opened(cpip) == persons[::-1][:10]


def test_all_my_persons_page(client_for, cpip, org):
    for index in range(12):
        PersonFactory(last_name=f"Suivi{index:02d}", followed_by=[org.spip_alpha], referent=cpip)
    PersonFactory(followed_by=[org.spip_alpha])  # not mine
    client = client_for(cpip)
    overview = client.get(reverse("person_list"))
    assert len(overview.context["my_persons"]) == 10 and overview.context["my_persons_more"]
    response = client.get(reverse("person_list"), {"mes": "1"})
    assert response.context["page"].paginator.count == 12
    assert "12 personnes dont vous êtes le référent." in response.content.decode()


def test_the_page_without_search_costs_the_same_queries_with_more_data(client_for, cpip, org):
    client = client_for(cpip)

    def grow():
        persons = [PersonFactory(followed_by=[org.spip_alpha], referent=cpip) for _ in range(3)]
        _open(client, *persons)

    grow()
    response = assert_queries_do_not_grow(lambda: client.get(reverse("person_list")), grow)
    assert len(response.context["recent"]) == 6
