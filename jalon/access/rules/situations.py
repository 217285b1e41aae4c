"""Who sees and writes situations (SISPoPP, SIS-17 to SIS-33).

Situations are partitioned by jurisdiction (SIS-30): an agent reaches those of the
jurisdiction their service is attached to. Court-of-appeal agents also reach the TJ
situations of their ressort whose "appel" box is ticked (SIS-31); unticking removes it.

- *manage situations* (procureur général, parquet général, procureur de la République,
  parquet): read and write every tab of those situations.
- *JAF situations* (JAF of a CA or a TJ): only VIF situations whose MEC "Procédure JAF"
  or a victim's "OP" box is ticked (SIS-24, SIS-25); every tab except Procédures and
  Documents (SIS-26); writes only the JAF part (SIS-23).
- An API client acting for a parquet or a parquet général (its service account, decision
  0006) reads the situations of its service's partition as the parquet's agents do, since
  every profile of those services manages situations; it writes nothing.
- Nobody else, national administrators included: the partition has no national reader.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jalon.access.models import Agent, Jurisdiction
from jalon.access.roles import Capability, ServiceKind
from jalon.access.rules.api import is_service_account
from jalon.situations.models import ListEntry, Meeting, Situation, SituationQuerySet

# Tabs of the record, in display order (SIS-27).
TABS: list[tuple[str, str]] = [
    ("mec", "MEC"),
    ("victimes", "Victimes"),
    ("procedures", "Procédures"),
    ("documents", "Documents"),
    ("mesures", "Mesures"),
    ("jaf", "Partie JAF"),
    ("evenements", "Évènements"),
    ("revues", "Revues"),
]
TAB_CODES = frozenset(code for code, _ in TABS)
# Tabs closed to the JAF: a message replaces them (SIS-26).
PARQUET_ONLY_TABS = frozenset({"procedures", "documents"})


def _home(agent: Agent) -> Jurisdiction | None:
    service = agent.service
    return service.jurisdiction if service.jurisdiction_id else None


def _manages(agent: Agent) -> bool:
    return agent.is_active and agent.profile.has(Capability.MANAGE_SITUATIONS)


def _is_jaf(agent: Agent) -> bool:
    return agent.is_active and agent.profile.has(Capability.JAF_SITUATIONS)


PARQUET_KINDS = frozenset({ServiceKind.PROSECUTION, ServiceKind.GENERAL_PROSECUTION})


def _reads_for_parquet(agent: Agent) -> bool:
    """An API client's service account of a parquet: reads like the parquet, writes nothing."""
    return agent.is_active and is_service_account(agent) and agent.service.kind in PARQUET_KINDS


def can_use_situations(agent: Agent) -> bool:
    """Agents with a situation capability and a home jurisdiction."""
    return (_manages(agent) or _is_jaf(agent)) and _home(agent) is not None


def _partition(home: Jurisdiction) -> Q:
    """The home jurisdiction's own situations, plus TJ appeals for a court of appeal."""
    condition = Q(jurisdiction_id=home.pk)
    if home.is_court_of_appeal:
        condition |= Q(appeal=True, jurisdiction__court_of_appeal_id=home.pk)
    return condition


def situations_visible_to(agent: Agent) -> SituationQuerySet:
    """The situations ``agent`` may open (see the module docstring)."""
    home = _home(agent)
    if home is None or not (can_use_situations(agent) or _reads_for_parquet(agent)):
        return Situation.objects.none()
    visible = Situation.objects.filter(_partition(home))
    if _manages(agent) or _reads_for_parquet(agent):
        return visible
    return visible.jaf_relevant()


def can_create_situation(agent: Agent) -> bool:
    """Parquet profiles create situations in their own jurisdiction (the JAF never does)."""
    return _manages(agent) and _home(agent) is not None


def can_edit_situation(agent: Agent, situation: Situation) -> bool:
    """Write the record (MEC, victims, procedures, measures, events, reviews): parquet profiles.

    A court of appeal edits a TJ appeal record in place, so the TJ sees the change (SIS-33).
    """
    return _manages(agent)


def can_close_situation(agent: Agent, situation: Situation) -> bool:
    """Close (clôture) or reopen: those who write the record, so the parquet profiles of its
    jurisdiction and, on a TJ appeal record, of the court of appeal (one record, SIS-33).
    The JAF writes only its own part (SIS-23) and never closes a situation."""
    return can_edit_situation(agent, situation)


def can_record_review(agent: Agent, situation: Situation) -> bool:
    """Record a review: those who write the record, on an open situation only."""
    return can_edit_situation(agent, situation) and situation.closed_on is None


def can_open_tab(agent: Agent, situation: Situation, tab: str) -> bool:
    """Every tab for parquet profiles; all but Procédures and Documents for the JAF."""
    if tab not in TAB_CODES:
        return False
    if _manages(agent):
        return True
    return _is_jaf(agent) and tab not in PARQUET_ONLY_TABS


def can_edit_jaf_section(agent: Agent, situation: Situation) -> bool:
    """The JAF part: the JAF (its only write right) and the parquet profiles (all data)."""
    return _manages(agent) or _is_jaf(agent)


def can_change_appeal(agent: Agent, situation: Situation) -> bool:
    """The "appel" box of a TJ record: the parquet of that TJ ticks and unticks it."""
    home = _home(agent)
    return (
        _manages(agent)
        and home is not None
        and not home.is_court_of_appeal
        and situation.jurisdiction_id == home.pk
    )


def is_appeal_seen_from_court(agent: Agent, situation: Situation) -> bool:
    """Shown with an "A" and the TJ's name: a TJ appeal record seen from the CA (SIS-32)."""
    home = _home(agent)
    return home is not None and situation.appeal and situation.jurisdiction_id != home.pk


def can_follow_situation(agent: Agent, situation: Situation) -> bool:
    """Anyone who may open the situation may follow it and be told of its new events."""
    return can_use_situations(agent)


def notified_agents(situation: Situation, agent_ids: list[int]) -> list[Agent]:
    """Of these followers, those who still see the situation (an unticked appeal drops the CA)."""
    agents = Agent.objects.with_organisation().filter(pk__in=agent_ids, is_active=True)
    return [
        agent for agent in agents if situations_visible_to(agent).filter(pk=situation.pk).exists()
    ]


# --- Adjustable lists (SIS-18, SIS-22) --------------------------------------------------


def editable_list_kinds(agent: Agent) -> list[str]:
    """Lists of their own jurisdiction the agent may edit: cabinets for the heads of parquet
    (procureur général, procureur de la République), instances for them and the parquet."""
    if not agent.is_active or _home(agent) is None:
        return []
    kinds: list[str] = []
    if agent.profile.has(Capability.EDIT_CABINET_LISTS):
        kinds += [
            ListEntry.Kind.CABINET_JE,
            ListEntry.Kind.CABINET_JAP,
            ListEntry.Kind.CABINET_JI,
        ]
    if agent.profile.has(Capability.EDIT_INSTANCE_LIST):
        kinds.append(ListEntry.Kind.INSTANCE)
    return kinds


def can_edit_list(agent: Agent, kind: str) -> bool:
    return kind in editable_list_kinds(agent)


def list_entries_for(situation: Situation, kind: str) -> Q:
    """Entries a situation may point to: active ones of its own jurisdiction."""
    return Q(jurisdiction_id=situation.jurisdiction_id, kind=kind, is_active=True)


def home_jurisdiction(agent: Agent) -> Jurisdiction | None:
    """The jurisdiction whose situations the agent creates and whose lists they edit."""
    return _home(agent) if can_use_situations(agent) else None


# --- Instances de concertation: meetings (SIS-07) ---------------------------------------


def meetings_visible_to(agent: Agent) -> QuerySet[Meeting]:
    """Meetings of the instances of the agent's own jurisdiction."""
    home = _home(agent)
    if home is None or not can_use_situations(agent):
        return Meeting.objects.none()
    return Meeting.objects.filter(instance__jurisdiction_id=home.pk)


def can_manage_meetings(agent: Agent) -> bool:
    """Plan meetings, set their agenda and take notes: *manage situations*."""
    return _manages(agent)
