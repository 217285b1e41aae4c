from django.urls import reverse

from jalon.history.actions import record
from jalon.history.models import Event


def test_record_keeps_who_what_which_and_where(make_agent, client_for):
    actor, target = make_agent(), make_agent()
    event = record("agent.updated", actor=actor, target=target, details={"x": 1})
    assert (event.actor, event.target_id, event.target_label, event.client_ip) == (
        actor,
        str(target.pk),
        str(target),
        None,
    )
    assert list(Event.objects.for_object(target)) == [event]


def test_history_is_read_only_in_the_back_office(make_agent, client_for, org):
    admin = make_agent("national_admin", service=org.national, is_staff=True, is_superuser=True)
    event = record("agent.updated", actor=admin, target=admin)
    client = client_for(admin)
    assert client.get(reverse("admin:history_event_changelist")).status_code == 200
    page = client.get(reverse("admin:history_event_change", args=[event.pk]))
    assert page.status_code == 200 and "Enregistrer" not in page.content.decode()
    assert (
        client.post(
            reverse("admin:history_event_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Event.objects.filter(pk=event.pk).exists()


def test_the_back_office_is_for_national_admins_only(make_agent, client_for):
    response = client_for(make_agent("local_admin")).get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
