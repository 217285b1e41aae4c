"""What the law allows a judgment to pronounce, and which services execute it. Pure.

The lists come from ``LegalRule`` rows (read by ``jalon.cases.judgments`` on the judgment's
date) and are passed in as ``SentencingRules``: no sentence kind, age or article is a
constant here.

What this relies on:
- art. 131-12 and following of the code pénal: a contravention is punished by a fine,
  penalties depriving or restricting rights and the sanction-réparation, never by
  imprisonment (nor by a sursis or an adjustment of an imprisonment): a block;
  the travail d'intérêt général is not listed among contraventional penalties either, but
  some texts punish 5th-class contraventions with it: a warning.
- code de la justice pénale des mineurs, art. L. 122-1 (since 30 September 2021): the TIG
  (and the sursis probatoire with a TIG obligation) applies to minors at least 16 at the
  decision who were at least 13 at the facts (before: ordonnance of 2 February 1945,
  art. 20-5, minors of 16 to 18): a block.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Issue:
    """A consistency finding: ``blocking`` refuses the save, otherwise it is a warning that
    must be acknowledged (and the acknowledgement recorded)."""

    code: str
    message: str
    blocking: bool


@dataclass(frozen=True)
class SentencingRules:
    # Sentence kinds the law forbids / makes doubtful when every offence is a contravention.
    forbidden_for_contraventions: frozenset[str] = frozenset()
    doubtful_for_contraventions: frozenset[str] = frozenset()
    # Minimum ages for a TIG (None: no such rule on that day).
    tig_min_age_at_decision: int | None = None
    tig_min_age_at_facts: int | None = None
    # Which services execute a sentence kind (service kind codes, e.g. ["sap", "spip"]).
    services_by_kind: Mapping[str, list[str]] = field(default_factory=dict)
    # Art. 474: kinds whose convicted person present at the hearing gets a JAP / SPIP date.
    jap_convocation_kinds: frozenset[str] = frozenset()
    spip_convocation_kinds: frozenset[str] = frozenset()
    # Art. 474 applies to imprisonment up to this many months (None: no limit known).
    art474_max_prison_months: int | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> SentencingRules:
        """Build from the rule values of one day (missing keys leave the check off)."""

        def kinds(key: str) -> frozenset[str]:
            return frozenset(values.get(key) or [])

        return cls(
            forbidden_for_contraventions=kinds("sentence.forbidden.contravention"),
            doubtful_for_contraventions=kinds("sentence.doubtful.contravention"),
            tig_min_age_at_decision=values.get("sentence.tig.min_age_at_decision"),
            tig_min_age_at_facts=values.get("sentence.tig.min_age_at_facts"),
            services_by_kind=dict(values.get("execution.services") or {}),
            jap_convocation_kinds=kinds("execution.jap_convocation.kinds"),
            spip_convocation_kinds=kinds("execution.spip_convocation.kinds"),
            art474_max_prison_months=values.get("execution.art474.max_prison_months"),
        )


TIG_KINDS = frozenset({"tig"})
PRISON_KINDS = frozenset({"prison"})


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def sentence_issues(
    kind: str,
    label: str,
    *,
    offence_kinds: Collection[str],
    age_at_facts: int | None,
    age_at_decision: int | None,
    rules: SentencingRules,
) -> list[Issue]:
    """What the law says about pronouncing ``kind`` (shown as ``label``) here."""
    issues: list[Issue] = []
    only_contraventions = bool(offence_kinds) and set(offence_kinds) == {"contravention"}
    if only_contraventions and kind in rules.forbidden_for_contraventions:
        issues.append(
            Issue(
                "sentence_not_for_contravention",
                f"« {label} » ne peut pas être prononcé pour une contravention "
                "(art. 131-12 du code pénal) : retirez cette peine.",
                blocking=True,
            )
        )
    elif only_contraventions and kind in rules.doubtful_for_contraventions:
        issues.append(
            Issue(
                "sentence_doubtful_for_contravention",
                f"« {label} » n’est prévu que par certains textes pour une contravention : "
                "vérifiez le texte qui réprime l’infraction.",
                blocking=False,
            )
        )
    if kind in TIG_KINDS:
        if (
            rules.tig_min_age_at_facts is not None
            and age_at_facts is not None
            and age_at_facts < rules.tig_min_age_at_facts
        ):
            issues.append(
                Issue(
                    "tig_too_young_at_facts",
                    f"Un travail d’intérêt général ne peut pas être prononcé : la personne avait "
                    f"{age_at_facts} ans au moment des faits (au moins "
                    f"{rules.tig_min_age_at_facts} ans exigés).",
                    blocking=True,
                )
            )
        if (
            rules.tig_min_age_at_decision is not None
            and age_at_decision is not None
            and age_at_decision < rules.tig_min_age_at_decision
        ):
            issues.append(
                Issue(
                    "tig_too_young_at_decision",
                    f"Un travail d’intérêt général ne peut pas être prononcé : la personne a "
                    f"{age_at_decision} ans au jour du jugement (au moins "
                    f"{rules.tig_min_age_at_decision} ans exigés).",
                    blocking=True,
                )
            )
    return issues


@dataclass(frozen=True)
class SentenceFacts:
    """What the execution rules need to know about one pronounced sentence."""

    kind: str
    months: int | None = None
    suspended_months: int | None = None


def _art474_applies(sentence: SentenceFacts, rules: SentencingRules) -> bool:
    if sentence.kind not in PRISON_KINDS or rules.art474_max_prison_months is None:
        return True
    firm = (sentence.months or 0) - (sentence.suspended_months or 0)
    return firm <= rules.art474_max_prison_months


def executing_service_kinds(sentence: SentenceFacts, rules: SentencingRules) -> list[str]:
    """The kinds of service (``sap``, ``spip``) that follow the person for this sentence."""
    if not _art474_applies(sentence, rules):
        return []
    return list(rules.services_by_kind.get(sentence.kind, []))


def convocations_needed(
    sentences: Iterable[SentenceFacts], rules: SentencingRules
) -> tuple[bool, bool]:
    """(SPIP, JAP): which art. 474 convocations the sentences call for."""
    spip = jap = False
    for sentence in sentences:
        if not _art474_applies(sentence, rules):
            continue
        spip = spip or sentence.kind in rules.spip_convocation_kinds
        jap = jap or sentence.kind in rules.jap_convocation_kinds
    return spip, jap
