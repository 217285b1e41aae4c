from django.http import HttpRequest

from jalon.access import rules
from jalon.access.rules import sms as sms_rules


def navigation(request: HttpRequest) -> dict[str, object]:
    agent = getattr(request, "agent", None)
    return {
        "nav_can_manage_agents": bool(agent and rules.can_manage_agents(agent)),
        "nav_can_edit_sms_templates": bool(agent and sms_rules.can_edit_sms_templates(agent)),
    }
