"""Consistency checks of hearings and judgments (issue 14, point 9), as ``checks.Finding``.

Same mechanism as ``jalon.cases.checks``: blocks refuse the change, warnings must be
acknowledged. The values that change with the law come from ``LegalRule`` rows valid on the
judgment's date, through ``sentencing.SentencingRules``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from jalon.cases.checks import BLOCK, WARNING, Finding
from jalon.cases.law import has_rule, rule
from jalon.cases.sentencing import SentencingRules, sentence_issues

PROCEDURE_UNDER_APPEAL = "procedure_under_appeal"
JUDGMENT_DATE_IN_FUTURE = "judgment_in_future"
SERVICE_DATE_IN_FUTURE = "service_in_future"
SERVICE_BEFORE_JUDGMENT = "service_before_judgment"
CHARGE_NOT_PROSECUTED = "charge_not_prosecuted"
CHARGE_WITHOUT_VERDICT = "charge_without_verdict"
SENTENCE_WITHOUT_GUILT = "sentence_without_guilt"
APPEAL_IN_FUTURE = "appeal_in_future"
APPEAL_BEFORE_JUDGMENT = "appeal_before_judgment"

RULE_KEYS = (
    "sentence.forbidden.contravention",
    "sentence.doubtful.contravention",
    "sentence.tig.min_age_at_decision",
    "sentence.tig.min_age_at_facts",
    "execution.services",
    "execution.jap_convocation.kinds",
    "execution.spip_convocation.kinds",
    "execution.art474.max_prison_months",
)


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def sentencing_rules(on: date) -> SentencingRules:
    """The sentencing and execution rules valid on ``on`` (one query, cached by ``law``)."""
    return SentencingRules.from_values(
        {key: rule(key, on) for key in RULE_KEYS if has_rule(key, on)}
    )


def check_dates(delivered_on: date, served_on: date | None, *, today: date) -> list[Finding]:
    findings = []
    if delivered_on > today:
        findings.append(
            Finding(
                JUDGMENT_DATE_IN_FUTURE,
                BLOCK,
                f"Le jugement ne peut pas être daté du {_day(delivered_on)} : cette date est "
                f"postérieure à aujourd’hui ({_day(today)}).",
                "delivered_on",
            )
        )
    if served_on is not None:
        if served_on > today:
            findings.append(
                Finding(
                    SERVICE_DATE_IN_FUTURE,
                    BLOCK,
                    f"La signification ne peut pas dater du {_day(served_on)} : cette date est "
                    f"postérieure à aujourd’hui ({_day(today)}).",
                    "served_on",
                )
            )
        elif served_on < delivered_on:
            findings.append(
                Finding(
                    SERVICE_BEFORE_JUDGMENT,
                    BLOCK,
                    f"La signification ({_day(served_on)}) ne peut pas précéder le jugement "
                    f"({_day(delivered_on)}).",
                    "served_on",
                )
            )
    return findings


def check_charges(
    decided_charge_ids: Collection[int],
    prosecuted: dict[int, str],
    *,
    defendant: str,
) -> list[Finding]:
    """Block: a verdict on an offence the defendant is not prosecuted for, or a prosecuted
    offence left without a verdict (``prosecuted``: charge id → its wording)."""
    findings = []
    for charge_id in decided_charge_ids:
        if charge_id not in prosecuted:
            findings.append(
                Finding(
                    CHARGE_NOT_PROSECUTED,
                    BLOCK,
                    f"{defendant} n’est pas poursuivi(e) pour cette infraction dans cette "
                    "procédure : le jugement ne peut pas statuer dessus.",
                    "__all__",
                )
            )
    missing = [text for cid, text in prosecuted.items() if cid not in decided_charge_ids]
    if missing:
        findings.append(
            Finding(
                CHARGE_WITHOUT_VERDICT,
                BLOCK,
                "Indiquez « coupable » ou « relaxe » pour chaque infraction poursuivie ; "
                f"manque : {', '.join(missing)}.",
                "__all__",
            )
        )
    return findings


def check_sentences(
    sentences: Iterable[tuple[str, str]],
    *,
    any_guilty: bool,
    offence_kinds: Collection[str],
    age_at_facts: int | None,
    age_at_decision: int | None,
    rules: SentencingRules,
) -> list[Finding]:
    """Sentences (kind, label) against the verdicts, the offences and the person's age."""
    sentences = list(sentences)
    if sentences and not any_guilty:
        return [
            Finding(
                SENTENCE_WITHOUT_GUILT,
                BLOCK,
                "Une peine ne peut pas être prononcée : la personne est relaxée de toutes les "
                "infractions.",
                "__all__",
            )
        ]
    findings = []
    for kind, label in sentences:
        for issue in sentence_issues(
            kind,
            label,
            offence_kinds=offence_kinds,
            age_at_facts=age_at_facts,
            age_at_decision=age_at_decision,
            rules=rules,
        ):
            findings.append(
                Finding(issue.code, BLOCK if issue.blocking else WARNING, issue.message, "__all__")
            )
    return findings


def check_appeal_date(lodged_on: date, *, delivered_on: date, today: date) -> list[Finding]:
    if lodged_on > today:
        return [
            Finding(
                APPEAL_IN_FUTURE,
                BLOCK,
                f"L’appel ne peut pas dater du {_day(lodged_on)} : cette date est postérieure à "
                f"aujourd’hui ({_day(today)}).",
                "lodged_on",
            )
        ]
    if lodged_on < delivered_on:
        return [
            Finding(
                APPEAL_BEFORE_JUDGMENT,
                BLOCK,
                f"L’appel ({_day(lodged_on)}) ne peut pas précéder le jugement "
                f"({_day(delivered_on)}).",
                "lodged_on",
            )
        ]
    return []
