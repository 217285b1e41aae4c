from django.http import HttpRequest

from jalon.access import rules


def navigation(request: HttpRequest) -> dict[str, object]:
    agent = getattr(request, "agent", None)
    return {"nav_can_manage_agents": bool(agent and rules.can_manage_agents(agent))}
