"""The "/statistiques/" entry: the dashboards an agent may open, as the access rules say."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from jalon.access.models import Agent
from jalon.access.rules import stats as rules


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    group: str  # the heading it is listed under


@dataclass
class Entry:
    links: list[Link] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[Link]]]:
        grouped: dict[str, list[Link]] = {}
        for link in self.links:
            grouped.setdefault(link.group, []).append(link)
        return list(grouped.items())


def dashboards_of(agent: Agent) -> Entry:
    """National first, then each court of appeal with its TJs, then the agent's service (2
    queries)."""
    entry = Entry()
    if rules.can_view_national_statistics(agent):
        entry.links.append(Link("France entière", reverse("stats_national"), "National"))
    jurisdictions = rules.statistics_jurisdictions(agent).select_related("court_of_appeal")
    ordered = sorted(
        jurisdictions,
        key=lambda j: ((j.court_of_appeal or j).name, j.kind != "ca", j.name),
    )
    for jurisdiction in ordered:
        court = jurisdiction.court_of_appeal or jurisdiction
        label = (
            f"{jurisdiction.name} (tout le ressort)"
            if jurisdiction.kind == "ca"
            else jurisdiction.name
        )
        url = reverse("stats_jurisdiction", args=[jurisdiction.pk])
        entry.links.append(Link(label, url, f"Ressort : {court.name}"))
    for service in rules.statistics_services(agent):
        url = reverse("stats_service", args=[service.pk])
        entry.links.append(Link(service.name, url, "Votre service"))
    return entry
