"""Consistency checks of the penal chain (issue 14, point 9), and how their findings are used.

Each check is a function returning a list of ``Finding`` (code, severity, French message with
the dates, the form field concerned). Checks decide nothing themselves; an action gathers the
findings of the checks relevant to the change it makes and calls ``enforce``:

- a ``block`` finding refuses the change: ``enforce`` raises ``ValidationError`` (field →
  message), which the form shows next to the field, keeping what was typed;
- a ``warning`` finding must be acknowledged: unless its code is among the codes the agent
  ticked (``acknowledged``), ``enforce`` raises ``WarningsToAcknowledge``; the form then
  shows each warning with a checkbox (``name="acknowledge" value="<code>"``) and the agent
  saves again. Acknowledged warnings are returned, and the action records each one
  (``jalon.cases.actions.acknowledgements.record_acknowledgements``: an ``Acknowledgement``
  row and a history event) in the transaction of the change.

Blocking where the law is clear (an offence not in force on the facts date, facts in the
future or after the procedure was received, an orientation the law excludes); a warning where
the law has exceptions (limitation: longer periods, late starting points, interruptions).
Values that change with the law (limitation periods, allowed orientations) come from
``jalon.cases.law.rule``, valid on the relevant date. Later steps (judgments, sentences) add
their own check functions here, with codes of their own, and use the same ``enforce``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from jalon.cases.law import has_rule, rule
from jalon.cases.models import Offence, Orientation

BLOCK = "block"
WARNING = "warning"

OFFENCE_NOT_IN_FORCE = "offence_not_in_force"
FACTS_IN_FUTURE = "facts_in_future"
FACTS_AFTER_RECEIPT = "facts_after_receipt"
FACTS_PERIOD_REVERSED = "facts_period_reversed"
LIMITATION_ELAPSED = "limitation_elapsed"
ORIENTATION_NOT_ALLOWED = "orientation_not_allowed"
ORIENTATION_FORBIDDEN_FOR_MINOR = "orientation_forbidden_for_minor"
ALTERNATIVE_NOT_ALLOWED = "alternative_not_allowed"

# Offence kinds from the most serious; a procedure is oriented by its most serious offence.
_GRAVITY = [Offence.KindChoices.CRIME, Offence.KindChoices.DELIT, Offence.KindChoices.CONTRAVENTION]
_KIND_WORDS: dict[str, str] = {
    Offence.KindChoices.CRIME: "des crimes",
    Offence.KindChoices.DELIT: "des délits",
    Offence.KindChoices.CONTRAVENTION: "des contraventions",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    field: str = ""

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK


class WarningsToAcknowledge(Exception):
    """Warnings the agent has not acknowledged yet; nothing was saved."""

    def __init__(self, warnings: list[Finding]) -> None:
        super().__init__("; ".join(finding.message for finding in warnings))
        self.warnings = warnings


def enforce(findings: Iterable[Finding], acknowledged: Collection[str] = ()) -> list[Finding]:
    """Refuse on a block, ask for unacknowledged warnings; return the acknowledged warnings."""
    findings = list(findings)
    blocks = [finding for finding in findings if finding.blocks]
    if blocks:
        errors: dict[str, list[str]] = {}
        for finding in blocks:
            errors.setdefault(finding.field or "__all__", []).append(finding.message)
        raise ValidationError(errors)
    warnings = [finding for finding in findings if not finding.blocks]
    missing = [finding for finding in warnings if finding.code not in acknowledged]
    if missing:
        raise WarningsToAcknowledge(missing)
    return warnings


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def check_offence_in_force(
    offence: Offence, facts_on: date, *, field: str = "natinf"
) -> list[Finding]:
    """Block: the NATINF number was not in force on the day of the facts."""
    if Offence.objects.in_force_on(facts_on).filter(pk=offence.pk).exists():
        return []
    if facts_on < offence.in_force_from:
        why = f"elle n’est en vigueur que depuis le {_day(offence.in_force_from)}"
    else:
        assert offence.retired_from is not None
        why = f"elle n’est plus en vigueur depuis le {_day(offence.retired_from)}"
    return [
        Finding(
            OFFENCE_NOT_IN_FORCE,
            BLOCK,
            f"L’infraction NATINF {offence.number} n’était pas en vigueur le {_day(facts_on)}, "
            f"date des faits : {why}. Choisissez l’infraction applicable à cette date.",
            field,
        )
    ]


def check_facts_dates(
    facts_from: date | None,
    facts_until: date | None,
    *,
    received_on: date | None,
    today: date,
    from_field: str = "facts_from",
    until_field: str = "facts_until",
) -> list[Finding]:
    """Block: facts in the future, after the procedure was received, or a reversed period."""
    findings: list[Finding] = []
    for value, name in ((facts_from, from_field), (facts_until, until_field)):
        if value is None:
            continue
        if value > today:
            findings.append(
                Finding(
                    FACTS_IN_FUTURE,
                    BLOCK,
                    f"Les faits ne peuvent pas dater du {_day(value)} : cette date est "
                    f"postérieure à aujourd’hui ({_day(today)}).",
                    name,
                )
            )
        elif received_on is not None and value > received_on:
            findings.append(
                Finding(
                    FACTS_AFTER_RECEIPT,
                    BLOCK,
                    f"Les faits ne peuvent pas dater du {_day(value)} : la procédure a été "
                    f"reçue le {_day(received_on)}, avant eux.",
                    name,
                )
            )
    if facts_from and facts_until and facts_until < facts_from:
        findings.append(
            Finding(
                FACTS_PERIOD_REVERSED,
                BLOCK,
                f"La fin de la période des faits ({_day(facts_until)}) précède son début "
                f"({_day(facts_from)}).",
                until_field,
            )
        )
    return findings


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_limitation(
    kind: str, facts_on: date, *, on: date, natinf: int | None = None, field: str = "facts_from"
) -> list[Finding]:
    """Warning: more than the ordinary limitation period of the offence's kind has elapsed.

    ``facts_on`` is the last day of the facts (the ordinary starting point); ``on`` the day of
    the check (receipt or registration). Never a block: longer periods, late starting points
    and interruptions exist, which only the magistrate can weigh.
    """
    key = f"limitation.years.{kind}"
    if not has_rule(key, on):
        return []
    years = int(rule(key, on))
    limit = add_years(facts_on, years)
    if on <= limit:
        return []
    which = f"de l’infraction NATINF {natinf} " if natinf else ""
    return [
        Finding(
            LIMITATION_ELAPSED,
            WARNING,
            f"Les faits {which}du {_day(facts_on)} ont plus de {years} an{'s' if years > 1 else ''}"
            f" : la prescription ordinaire {_KIND_WORDS.get(kind, '')} était acquise le "
            f"{_day(limit)}, sauf délai plus long, point de départ reporté ou interruption. "
            "Vérifiez avant de poursuivre.",
            field,
        )
    ]


def governing_kind(kinds: Iterable[str]) -> str | None:
    """The most serious kind among the offences' (a contravention joined to a délit follows it).

    An offence of another nature than the three (the list is not closed) is oriented as a délit.
    """
    present = set(kinds)
    if not present:
        return None
    for kind in _GRAVITY:
        if kind in present:
            return kind
    return Offence.KindChoices.DELIT


def allowed_orientations(kinds: Iterable[str], *, minor: bool | None, on: date) -> list[str]:
    """Orientation kinds the law allows on ``on`` for these offence kinds and age at the facts.

    Without any charge, only a classement sans suite (for example: unknown author).
    """
    kind = governing_kind(kinds)
    allowed = (
        [Orientation.Kind.DISMISSAL]
        if kind is None
        else list(rule(f"orientation.allowed.{kind}", on))
    )
    if minor:
        forbidden = set(rule("orientation.forbidden.minor", on))
        allowed = [value for value in allowed if value not in forbidden]
    return [value for value in Orientation.Kind.values if value in allowed]


def allowed_alternatives(on: date) -> list[str]:
    allowed = set(rule("orientation.alternative.kinds", on))
    return [value for value in Orientation.AlternativeKind.values if value in allowed]


def check_orientation(
    orientation_kind: str,
    *,
    kinds: Iterable[str],
    minor: bool | None,
    on: date,
    alternative_kind: str = "",
) -> list[Finding]:
    """Block: an orientation the offences, or the person's age at the facts, do not allow."""
    kinds = list(kinds)
    label = Orientation.Kind(orientation_kind).label
    findings: list[Finding] = []
    if orientation_kind not in allowed_orientations(kinds, minor=False, on=on):
        kind = governing_kind(kinds)
        if kind is None:
            why = "la procédure ne comporte aucune infraction poursuivie contre cette personne"
        elif kind == Offence.KindChoices.CONTRAVENTION:
            why = (
                "la procédure ne comporte que des contraventions, qui relèvent du tribunal de "
                "police"
            )
        elif kind == Offence.KindChoices.CRIME:
            why = (
                "la procédure comporte un crime, qui ne peut être que classé sans suite ou "
                "confié à un juge d’instruction"
            )
        else:
            why = "la procédure comporte un délit"
        findings.append(
            Finding(
                ORIENTATION_NOT_ALLOWED,
                BLOCK,
                f"Orientation impossible : « {label} » n’est pas permise car {why}.",
                "kind",
            )
        )
    elif minor and orientation_kind not in allowed_orientations(kinds, minor=True, on=on):
        findings.append(
            Finding(
                ORIENTATION_FORBIDDEN_FOR_MINOR,
                BLOCK,
                f"Orientation impossible : « {label} » est exclue pour une personne mineure au "
                "moment des faits (code de la justice pénale des mineurs).",
                "kind",
            )
        )
    if (
        orientation_kind == Orientation.Kind.ALTERNATIVE
        and alternative_kind
        and alternative_kind not in allowed_alternatives(on)
    ):
        alternative = Orientation.AlternativeKind(alternative_kind).label
        findings.append(
            Finding(
                ALTERNATIVE_NOT_ALLOWED,
                BLOCK,
                f"La mesure « {alternative} » n’existe pas le {_day(on)}"
                + (
                    " : l’avertissement pénal probatoire a remplacé le rappel à la loi le "
                    "1er janvier 2023."
                    if alternative_kind == Orientation.AlternativeKind.RAPPEL_A_LA_LOI
                    else "."
                ),
                "alternative_kind",
            )
        )
    return findings


def court_for(orientation_kind: str, *, minor: bool | None, on: date, tribunal_name: str) -> str:
    """The court seized by an orientation, named as the rules valid on ``on`` name it."""
    mapping = dict(rule("orientation.court", on))
    if minor and has_rule("orientation.court.minor", on):
        mapping.update(rule("orientation.court.minor", on))
    court_key = mapping.get(orientation_kind)
    if not court_key:
        return ""
    name = str(rule(f"court.name.{court_key}", on))
    seat = tribunal_name.removeprefix("Tribunal judiciaire ").strip()
    return f"{name} {seat}" if seat and seat != tribunal_name else f"{name} ({tribunal_name})"
