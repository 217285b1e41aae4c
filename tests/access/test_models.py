import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from jalon.access.models import Agent, Jurisdiction, Service
from jalon.access.roles import ServiceKind
from tests.factories import AgentFactory, ServiceFactory, profile


def test_a_tribunal_must_belong_to_a_court_of_appeal(db):
    with pytest.raises(IntegrityError):
        Jurisdiction.objects.create(kind="tj", name="TJ orphelin", code="tj-orphelin")


def test_a_court_of_appeal_belongs_to_no_other(org):
    with pytest.raises(IntegrityError):
        Jurisdiction.objects.create(
            kind="ca", name="CA fille", code="ca-fille", court_of_appeal=org.ca
        )


def test_only_the_national_service_has_no_jurisdiction(db):
    with pytest.raises(IntegrityError):
        Service.objects.create(name="SAP sans tribunal", kind=ServiceKind.SAP)


def test_an_antenna_needs_a_spip(org):
    antenna = Service(
        name="Antenne",
        kind=ServiceKind.SPIP_ANTENNA,
        jurisdiction=org.tj_alpha,
        parent=org.sap_alpha,
    )
    with pytest.raises(ValidationError) as error:
        antenna.full_clean()
    assert "parent" in error.value.message_dict


def test_a_tj_service_cannot_sit_in_a_court_of_appeal(org):
    service = Service(name="SAP en cour", kind=ServiceKind.SAP, jurisdiction=org.ca)
    with pytest.raises(ValidationError, match="tribunal judiciaire"):
        service.full_clean()


@pytest.mark.parametrize(
    ("profile_code", "service_attr", "fits"),
    [
        ("cpip", "spip_alpha", True),
        ("cpip", "sap_alpha", False),
        ("jap", "sap_alpha", True),
        ("bex", "bex_alpha", True),
        ("bex", "spip_alpha", False),
        ("national_admin", "national", True),
        ("national_admin", "sap_alpha", False),
        ("local_admin", "spip_alpha", True),
    ],
)
def test_a_profile_fits_only_its_service_kinds(org, profile_code, service_attr, fits):
    assert profile(profile_code).fits(getattr(org, service_attr)) is fits


def test_jaf_profiles_follow_the_jurisdiction_level(org):
    bench_tj = ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.tj_alpha)
    bench_ca = ServiceFactory(kind=ServiceKind.BENCH, jurisdiction=org.ca)
    assert profile("jaf_tj").fits(bench_tj) and not profile("jaf_tj").fits(bench_ca)
    assert profile("jaf_ca").fits(bench_ca) and not profile("jaf_ca").fits(bench_tj)


def test_an_agent_with_a_profile_foreign_to_the_service_is_refused(org):
    agent = AgentFactory.build(service=org.sap_alpha, profile=profile("cpip"))
    with pytest.raises(ValidationError) as error:
        agent.full_clean()
    assert "n’existe pas dans ce service" in str(error.value.message_dict["profile"])


def test_e_mail_is_unique_whatever_the_case(org):
    AgentFactory(email="Camille.Martin@justice.fr", service=org.sap_alpha)
    assert (
        Agent.objects.get_by_natural_key("camille.martin@JUSTICE.fr").email
        == "camille.martin@justice.fr"
    )
    with pytest.raises(IntegrityError):
        Agent.objects.create(
            email="camille.martin@justice.fr",
            first_name="A",
            last_name="B",
            service=org.sap_alpha,
            profile=profile("jap"),
        )


def test_only_operators_reach_the_technical_console(make_agent, org):
    assert not make_agent("national_admin", service=org.national).is_staff
    assert make_agent("national_admin", service=org.national, is_staff=True).is_staff
    assert not make_agent("local_admin").is_staff


def test_technical_tables_need_a_superuser_operator(make_agent, org):
    staff = make_agent("national_admin", service=org.national, is_staff=True)
    superuser = make_agent("national_admin", service=org.national, is_staff=True, is_superuser=True)
    assert staff.has_perm("access.change_service")
    assert not staff.has_perm("procrastinate.view_procrastinatejob")
    assert not staff.has_perm("access.view_loginfailures")
    assert not staff.has_module_perms("otp_totp")
    assert superuser.has_perm("procrastinate.view_procrastinatejob")
    assert superuser.has_module_perms("sessions")
    not_staff = make_agent("national_admin", service=org.national, is_superuser=True)
    assert not not_staff.has_perm("access.change_service")


def test_the_operator_command_grants_and_takes_back_the_role(make_agent, org):
    from django.core.management import call_command

    from jalon.history.models import Event

    agent = make_agent("national_admin", service=org.national)
    call_command("operator", agent.email.upper(), level="superuser")
    agent.refresh_from_db()
    assert agent.is_staff and agent.is_superuser
    call_command("operator", agent.email, level="superuser")
    call_command("operator", agent.email, level="none")
    agent.refresh_from_db()
    assert not agent.is_staff and not agent.is_superuser
    events = Event.objects.for_object(agent).filter(action="agent.operator_changed")
    assert [event.details for event in events.order_by("pk")] == [
        {"staff": True, "superuser": True},
        {"staff": False, "superuser": False},
    ]
