from django.http import HttpRequest

from jalon.access import rules, second_factor
from jalon.access.roles import Family
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import cases as case_rules
from jalon.access.rules import imports as import_rules
from jalon.access.rules import places as place_rules
from jalon.access.rules import situations as situation_rules
from jalon.access.rules import sms as sms_rules
from jalon.access.rules import stats as stats_rules


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the main menu offers the agent: each entry only to those it serves."""
    agent = getattr(request, "agent", None)
    if agent is None:
        return {}
    if agent.charter_accepted_at is None or second_factor.pending(request):
        return {"nav_gated": True}  # every page but the gate's is closed: no menu
    msj = agent.profile.family != Family.SISPOPP  # convocations: MSJ and national profiles
    flags = {
        "nav_msj": msj,
        "nav_imports": msj and import_rules.can_import_files(agent),
        "nav_hearing": msj and appointment_rules.can_use_hearing_exit(agent),
        "nav_situations": situation_rules.can_use_situations(agent),
        "nav_procedures": case_rules.can_list_procedures(agent),
        "nav_situation_lists": bool(situation_rules.editable_list_kinds(agent)),
        "nav_stats": stats_rules.can_use_statistics(agent),
        "nav_can_manage_agents": rules.can_manage_agents(agent),
        "nav_places": place_rules.can_administer_places(agent),
        "nav_can_edit_sms_templates": sms_rules.can_edit_sms_templates(agent),
        "nav_communes": appointment_rules.can_import_communes(agent),
        "nav_national": rules.is_national_admin(agent),
    }
    admin = ("nav_can_manage_agents", "nav_places", "nav_can_edit_sms_templates", "nav_communes")
    flags["nav_admin"] = any(flags[name] for name in (*admin, "nav_national"))
    return flags
