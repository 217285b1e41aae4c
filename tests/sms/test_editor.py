"""The SMS template editor (MSJ-46, MSJ-ROLES "Modèles de SMS"): who, what is refused, preview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.access.rules import sms as rules
from jalon.history.models import Event
from jalon.history.registry import label_for
from jalon.sms import content
from jalon.sms import text as sms_text
from jalon.sms.models import MessageKind, SmsTemplate
from tests.factories import ServiceFactory, appointment_type

VALID = "Rappel : {type} le {date} à {heure}, {lieu}. Contact : {contact}"


def edit_url(where: object, kind: str = "reminder", which: object = "tous") -> str:
    return reverse("sms_template_edit", args=[str(where), kind, str(which)])


def reset_url(where: object, kind: str = "reminder", which: object = "tous") -> str:
    return reverse("sms_template_reset", args=[str(where), kind, str(which)])


# --- Who ----------------------------------------------------------------------------------

AGENTS = {
    "national_admin": ("national_admin", "national"),
    "local_admin": ("local_admin", "sap_alpha"),
    "other_local_admin": ("local_admin", "spip_alpha"),
    "dir_greff_sap": ("dir_greff_sap", "sap_alpha"),  # manages agents, not a local admin
    "cpip": ("cpip", "spip_alpha"),
    "jap": ("jap", "sap_alpha"),
}
OK, MOVED, DENIED, HIDDEN = 200, 302, 403, 404
# list, edit, save, reset, preview (all on SAP Alpha's templates), then the national edit
EXPECTED = {
    "national_admin": (OK, OK, MOVED, MOVED, OK, OK),
    "local_admin": (OK, OK, MOVED, MOVED, OK, DENIED),
    "other_local_admin": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, DENIED),
    "dir_greff_sap": (DENIED,) * 6,
    "cpip": (DENIED,) * 6,
    "jap": (DENIED,) * 6,
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_who_edits_sms_templates(key, client_for, make_agent, org):
    profile_code, service_name = AGENTS[key]
    client = client_for(make_agent(profile_code, service=getattr(org, service_name)))
    service = org.sap_alpha.pk
    statuses = (
        client.get(reverse("sms_template_list"), {"service": service}).status_code,
        client.get(edit_url(service)).status_code,
        client.post(edit_url(service), {"text": VALID}).status_code,
        client.post(reset_url(service)).status_code,
        client.post(reverse("sms_template_preview"), {"text": VALID}).status_code,
        client.get(edit_url("national")).status_code,
    )
    assert statuses == EXPECTED[key]
    saved = SmsTemplate.objects.filter(service=org.sap_alpha).exists()
    assert not saved  # saved then reset, or never saved


def test_the_rules(make_agent, org):
    dormant = ServiceFactory(name="SAP Gamma", jurisdiction=org.tj_beta, uses_platform=False)
    national = make_agent("national_admin", service=org.national)
    local = make_agent("local_admin", service=org.sap_alpha)
    assert rules.can_edit_national_sms_templates(national)
    assert not rules.can_edit_national_sms_templates(local)
    reach = set(rules.services_for_sms_templates(national))
    assert {org.sap_alpha, org.spip_alpha, org.sap_beta} <= reach
    assert org.national not in reach
    assert dormant not in reach
    assert list(rules.services_for_sms_templates(local)) == [org.sap_alpha]
    assert rules.can_edit_service_sms_template(local, org.sap_alpha)
    assert not rules.can_edit_service_sms_template(local, org.sap_beta)
    for code in ("cpip", "jap", "dir_greff_sap"):
        agent = make_agent(code, service=org.spip_alpha if code == "cpip" else org.sap_alpha)
        assert not rules.can_edit_sms_templates(agent)
        assert not rules.services_for_sms_templates(agent).exists()
    local.is_active = False
    assert not rules.can_edit_sms_templates(local)


def test_a_local_admin_sees_their_own_service_without_a_choice(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    page = client.get(reverse("sms_template_list")).content.decode()
    assert "Modèles de SAP Alpha" in page
    assert '<select class="fr-select" id="sms-scope"' not in page
    assert edit_url(org.sap_alpha.pk) in page
    assert "Convocation de suivi JAP" in page  # a type SAP Alpha receives people for
    assert "1er rendez-vous SPIP" not in page  # not one of a SPIP's


def test_a_national_admin_chooses_national_or_a_service(client_for, make_agent, org):
    client = client_for(make_agent("national_admin", service=org.national))
    page = client.get(reverse("sms_template_list")).content.decode()
    assert "Modèles nationaux" in page
    assert f'<option value="{org.spip_alpha.pk}"' in page
    assert f'<option value="{org.national.pk}"' not in page  # sends no SMS
    assert edit_url("national") in page
    page = client.get(reverse("sms_template_list"), {"service": org.spip_alpha.pk})
    assert "Modèles de SPIP Alpha" in page.content.decode()


def test_an_unknown_kind_or_a_type_the_service_does_not_hold_is_not_found(
    client_for, make_agent, org
):
    client = client_for(make_agent("national_admin", service=org.national))
    assert client.get(edit_url("national", kind="unknown")).status_code == 404
    spip_first = appointment_type("spip_first").pk
    assert client.get(edit_url(org.sap_alpha.pk, which=spip_first)).status_code == 404
    assert client.get(edit_url(org.spip_alpha.pk, which=spip_first)).status_code == 200
    assert client.get(edit_url("nowhere")).status_code == 404


# --- What is refused ----------------------------------------------------------------------


def test_an_unknown_placeholder_is_refused_and_the_text_kept(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    typed = "Bonjour {nom}, rendez-vous le {date}"
    response = client.post(edit_url(org.sap_alpha.pk), {"text": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Variable inconnue : {nom}" in page
    assert "Bonjour {nom}, rendez-vous le {date}</textarea>" in page
    assert not SmsTemplate.objects.exists()


def test_a_stray_brace_is_refused(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    response = client.post(edit_url(org.sap_alpha.pk), {"text": "Rendez-vous {date"})
    assert "sans accolade fermante" in response.content.decode()
    assert not SmsTemplate.objects.exists()


def test_a_text_too_long_once_filled_is_refused(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    typed = "Rendez-vous le {date} à {heure}. " + "Merci de venir. " * 25
    response = client.post(edit_url(org.sap_alpha.pk), {"text": typed})
    assert "Le modèle est trop long" in response.content.decode()
    assert "(maximum 3)" in response.content.decode()
    assert not SmsTemplate.objects.exists()


def test_the_maximum_parts_come_from_the_settings(client_for, make_agent, org, settings):
    settings.JALON_SMS_MAX_PARTS = 1
    client = client_for(make_agent("national_admin", service=org.national))
    response = client.post(edit_url("national"), {"text": VALID})  # 2 SMS at the longest
    assert "(maximum 1)" in response.content.decode()
    assert not SmsTemplate.objects.exists()
    settings.JALON_SMS_MAX_PARTS = 2
    assert client.post(edit_url("national"), {"text": VALID}).status_code == 302
    assert SmsTemplate.objects.get(service=None).text == VALID


# --- Saving, resolving, resetting ---------------------------------------------------------


def test_a_service_override_applies_to_that_service_only(client_for, make_agent, org):
    national = client_for(make_agent("national_admin", service=org.national))
    jap = appointment_type("jap_follow_up")
    national_text = "RAPPEL JAP : {type} le {date} à {heure}, {lieu}, {adresse}. {contact}"
    response = national.post(edit_url("national", which=jap.pk), {"text": national_text})
    assert response.status_code == 302
    local = make_agent("local_admin", service=org.sap_alpha)
    client = client_for(local)
    assert national_text in client.get(edit_url(org.sap_alpha.pk, which=jap.pk)).content.decode()

    response = client.post(edit_url(org.sap_alpha.pk, which=jap.pk), {"text": VALID + "\r\n"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('sms_template_list')}?service={org.sap_alpha.pk}"
    override = SmsTemplate.objects.get(service=org.sap_alpha)
    assert (override.kind, override.appointment_type, override.text) == ("reminder", jap, VALID)
    assert override.updated_by == local
    assert content.template_for("reminder", jap.pk, org.sap_alpha.pk) == VALID
    assert content.template_for("reminder", jap.pk, org.sap_beta.pk) == national_text
    assert (
        content.template_for("convocation", jap.pk, org.sap_alpha.pk)
        == (sms_text.DEFAULT_TEMPLATES["convocation"])
    )

    changed = Event.objects.filter(action="sms.template_changed").order_by("pk")
    assert [event.details for event in changed] == [
        {"kind": "reminder", "service": None, "type": jap.pk, "text": national_text},
        {"kind": "reminder", "service": org.sap_alpha.pk, "type": jap.pk, "text": VALID},
    ]
    assert changed.last().actor == local
    assert label_for("sms.template_changed") == "Modèle de SMS modifié"

    response = client.post(reset_url(org.sap_alpha.pk, which=jap.pk))
    assert response.status_code == 302
    assert not SmsTemplate.objects.filter(service=org.sap_alpha).exists()
    assert content.template_for("reminder", jap.pk, org.sap_alpha.pk) == national_text
    reset = Event.objects.get(action="sms.template_reset")
    assert reset.details["service"] == org.sap_alpha.pk
    assert reset.actor == local
    assert label_for("sms.template_reset") != "sms.template_reset"


def test_saving_again_updates_the_same_row(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    client.post(edit_url(org.sap_alpha.pk), {"text": VALID})
    client.post(edit_url(org.sap_alpha.pk), {"text": VALID + " Merci."})
    assert SmsTemplate.objects.get().text == VALID + " Merci."
    assert Event.objects.filter(action="sms.template_changed").count() == 2


def test_saving_the_inherited_text_unchanged_creates_no_copy(client_for, make_agent, org):
    """Not even checked: the built-in default may be refused since the STOP link counts."""
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    response = client.post(
        edit_url(org.sap_alpha.pk), {"text": sms_text.DEFAULT_TEMPLATES["reminder"]}, follow=True
    )
    assert "rien n’a été enregistré" in response.content.decode()
    assert not SmsTemplate.objects.exists()
    assert not Event.objects.filter(action="sms.template_changed").exists()


def test_the_preview_button_saves_nothing(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    response = client.post(edit_url(org.sap_alpha.pk), {"text": VALID, "preview": "1"})
    assert response.status_code == 200
    assert 'data-testid="sms-preview-parts"' in response.content.decode()
    assert not SmsTemplate.objects.exists()


def test_the_list_shows_the_text_send_time_would_use(client_for, make_agent, org):
    jap = appointment_type("jap_follow_up")
    SmsTemplate.objects.create(kind="reminder", text="National tous types {date}")
    SmsTemplate.objects.create(kind="reminder", appointment_type=jap, text="National JAP {date}")
    SmsTemplate.objects.create(kind="missed", service=org.sap_alpha, text="Service {date}")
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    response = client.get(reverse("sms_template_list"))
    for _label, rows in response.context["sections"]:
        for applied in rows:
            slot = applied.slot
            type_id = slot.appointment_type.pk if slot.appointment_type else None
            assert applied.text == content.template_for(slot.kind, type_id, org.sap_alpha.pk)
            assert (applied.own is not None) == (slot.kind == "missed" and type_id is None)
    assert [label for label, _ in response.context["sections"]] == MessageKind.labels
    page = response.content.decode()
    assert "Modèle national pour ce type" in page
    assert "Modèle du service pour tous les types" in page


# --- Preview ------------------------------------------------------------------------------


def preview(client, text: str) -> str:
    response = client.post(reverse("sms_template_preview"), {"text": text})
    assert response.status_code == 200
    return response.content.decode()


def cost_of(template: str) -> sms_text.SmsCost:
    filled = sms_text.render(template, sms_text.SAMPLE_VALUES)
    return sms_text.measure(filled + content.longest_stop_suffix())


def test_the_preview_of_a_gsm_text(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    template = "Rendez-vous le {date} à {heure}."
    page = preview(client, template)
    cost = cost_of(template)
    assert cost.parts == 1
    assert f'data-testid="sms-preview-length">{cost.length}<' in page
    assert 'data-testid="sms-preview-encoding">GSM-7<' in page
    assert 'data-testid="sms-preview-parts">1<' in page
    assert "lundi 14 avril 2025" in page
    assert content.STOP_PREFIX.strip() in page
    longest = sms_text.longest_cost(template, suffix=content.longest_stop_suffix())
    assert f'data-testid="sms-preview-longest-parts">{longest.parts}<' in page
    assert "sms-preview-transliterated" not in page
    assert "sms-preview-errors" not in page


@pytest.mark.parametrize("special", ["😀", "ţ"])
def test_the_preview_of_a_unicode_text(client_for, make_agent, org, special):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    template = f"RDV {{date}} {special}"
    page = preview(client, template)
    cost = cost_of(template)
    assert cost.encoding is sms_text.Encoding.UCS2
    assert cost.parts == 2  # the STOP link pushes it over 70 UTF-16 units
    assert f'data-testid="sms-preview-length">{cost.length}<' in page
    assert 'data-testid="sms-preview-encoding">Unicode (UCS-2)<' in page
    assert 'data-testid="sms-preview-parts">2<' in page
    assert f"<code>{special}</code>" in page  # named as the character that forces Unicode


def test_the_preview_says_which_characters_were_transliterated(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    page = preview(client, "Fête le {date}, à {heure}.")
    assert "Fete le lundi 14 avril 2025, à 15 h 30." in page  # à is GSM-7, kept
    assert "<code>ê</code> → <code>e</code>" in page
    assert 'data-testid="sms-preview-encoding">GSM-7<' in page


def test_the_preview_shows_the_refusal_of_a_text_too_long(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    page = preview(client, "{adresse} " * 6)
    assert "Le modèle est trop long" in page
    page = preview(client, "Bonjour {nom}")
    assert "Variable inconnue : {nom}" in page
    assert "sms-preview-parts" not in page


def test_the_preview_is_post_only(client_for, make_agent, org):
    client = client_for(make_agent("local_admin", service=org.sap_alpha))
    assert client.get(reverse("sms_template_preview")).status_code == 405
