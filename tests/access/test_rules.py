from jalon.access import rules
from jalon.access.roles import ServiceKind
from tests.factories import ServiceFactory


def test_a_tj_service_ressort_is_its_tribunal(org):
    assert rules.ressort_jurisdiction_ids(org.sap_alpha) == {org.tj_alpha.pk}


def test_a_spip_serving_two_tribunals_reaches_both_ressorts(org):
    spip = ServiceFactory(
        kind=ServiceKind.SPIP, jurisdiction=org.tj_alpha, served=[org.tj_alpha, org.tj_beta]
    )
    assert rules.ressort_jurisdiction_ids(spip) == {org.tj_alpha.pk, org.tj_beta.pk}


def test_an_antenna_takes_its_spip_ressort(org):
    spip = ServiceFactory(
        kind=ServiceKind.SPIP, jurisdiction=org.tj_alpha, served=[org.tj_alpha, org.tj_beta]
    )
    antenna = ServiceFactory(kind=ServiceKind.SPIP_ANTENNA, jurisdiction=org.tj_beta, parent=spip)
    assert rules.ressort_jurisdiction_ids(antenna) == {org.tj_alpha.pk, org.tj_beta.pk}


def test_services_of_a_ressort_include_the_spip_serving_it(org):
    antenna = ServiceFactory(
        kind=ServiceKind.SPIP_ANTENNA, jurisdiction=org.tj_alpha, parent=org.spip_alpha
    )
    services = set(rules.services_in_ressort(frozenset({org.tj_alpha.pk})))
    assert services == {org.sap_alpha, org.bex_alpha, org.spip_alpha, antenna}
    assert org.sap_beta not in services


def test_national_scope_covers_everything(make_agent, org):
    scope = rules.scope_for(make_agent("national_admin", service=org.national))
    assert scope.national and scope.covers_jurisdiction(org.tj_beta.pk)


def test_agent_scope_stops_at_its_ressort(make_agent, org):
    scope = rules.scope_for(make_agent("jap", service=org.sap_alpha))
    assert scope.covers_jurisdiction(org.tj_alpha.pk)
    assert not scope.covers_jurisdiction(org.tj_beta.pk)


def test_who_manages_agents(make_agent, org):
    assert rules.can_manage_agents(make_agent("local_admin"))
    assert rules.can_manage_agents(make_agent("dir_greff_sap"))
    assert not rules.can_manage_agents(make_agent("jap"))


def test_heads_of_registry_cannot_grant_the_local_admin_profile(make_agent, org):
    codes = {p.code for p in rules.grantable_profiles(make_agent("dir_greff_sap"), org.sap_alpha)}
    assert "greff_sap" in codes and "local_admin" not in codes
    codes = {p.code for p in rules.grantable_profiles(make_agent("local_admin"), org.sap_alpha)}
    assert "local_admin" in codes and "national_admin" not in codes


def test_a_local_admin_cannot_touch_a_national_admin_or_themself(make_agent, org):
    local_admin = make_agent("local_admin")
    national = make_agent("national_admin", service=org.national)
    assert not rules.can_manage_agent(local_admin, national)
    assert not rules.can_manage_agent(local_admin, local_admin)
    assert rules.can_manage_agent(local_admin, make_agent("jap"))
    assert not rules.can_manage_agent(local_admin, make_agent("jap", service=org.sap_beta))
