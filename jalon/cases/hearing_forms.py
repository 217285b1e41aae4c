"""Forms of the hearing and judgment screens: scheduling a hearing, recording a judgment (a
verdict per prosecuted offence and a few sentence rows), its service and an appeal.

They only shape input: what may be pronounced, dates against today and the appeal calendar
are decided by ``jalon.cases.actions.judgments``, whose refusals come back next to the fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django import forms

from jalon.cases.actions.judgments import SentenceInput
from jalon.cases.models import Appeal, Charge, ChargeDecision, CourtKind, Hearing, Judgment
from jalon.cases.models import Sentence as SentenceModel
from jalon.core.forms import ActionErrorsMixin, FlexibleTimeField, FrenchDateField, JalonForm

# Rows of sentences offered at once: a judgment rarely pronounces more (no script adds rows).
SENTENCE_ROWS = 4

HEARING_COURTS = [(value, label) for value, label in CourtKind.choices if value != CourtKind.APPEAL]


def _date_field(label: str, *, required: bool = True, what: str = "la date") -> FrenchDateField:
    return FrenchDateField(
        label=label,
        required=required,
        error_messages={
            "required": f"Indiquez {what}.",
            "invalid": f"Saisissez {what} au format JJ/MM/AAAA.",
        },
    )


UPCOMING, HELD = "a_venir", "tenue"


class HearingForm(ActionErrorsMixin):
    """A hearing: to come or already held, court, chamber, day and time (in the agent's
    service's time zone). A form sent without the choice is a hearing to come."""

    field_aliases: ClassVar[dict[str, str]] = {"starts_at": "day"}

    moment = forms.ChoiceField(
        label="Audience",
        choices=[
            (UPCOMING, "Audience à venir (la date est fixée)"),
            (HELD, "Audience qui s’est tenue (enregistrée après coup)"),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial=UPCOMING,
        error_messages={"invalid_choice": "Indiquez si l’audience est à venir ou s’est tenue."},
    )
    court_kind = forms.ChoiceField(
        label="Juridiction", choices=HEARING_COURTS, initial=CourtKind.CORRECTIONAL
    )
    chamber = forms.CharField(
        label="Chambre",
        max_length=200,
        help_text="Par exemple : 10e chambre correctionnelle",
        error_messages={"required": "Indiquez la chambre qui tiendra l’audience."},
    )
    day = _date_field("Date de l’audience", what="la date de l’audience")
    time = FlexibleTimeField(
        label="Heure",
        error_messages={
            "required": "Indiquez l’heure de l’audience.",
            "invalid": "Saisissez l’heure au format HH:MM (par exemple 13:30).",
        },
    )

    def __init__(self, *args: Any, time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(time_zone)

    @property
    def held(self) -> bool:
        return self.cleaned_data.get("moment") == HELD

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("day"), data.get("time")
        if day and at:
            naive = datetime.combine(day, at)
            aware = naive.replace(tzinfo=self.zone)
            if aware.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None) != naive:
                self.add_error(
                    "time", "Cette heure n’existe pas ce jour-là (passage à l’heure d’été)."
                )
            else:
                data["starts_at"] = aware
        return data


class JudgmentForm(ActionErrorsMixin):
    """The judgment on one defendant: its date and character, a verdict per prosecuted
    offence (fields ``verdict_<charge id>``)."""

    hearing = forms.ModelChoiceField(
        label="Audience",
        queryset=Hearing.objects.none(),
        required=False,
        empty_label="Jugement rendu hors audience enregistrée",
    )
    delivered_on = _date_field("Rendu le", what="la date du jugement")
    delivery_mode = forms.ChoiceField(
        label="Caractère du jugement",
        choices=[("", "— Choisir —"), *Judgment.DeliveryMode.choices],
        error_messages={
            "required": "Indiquez si le jugement est contradictoire, par défaut ou "
            "contradictoire à signifier."
        },
    )
    served_on = _date_field(
        "Signifié le (si c’est déjà fait)", required=False, what="la date de signification"
    )

    def __init__(
        self,
        *args: Any,
        charges: Sequence[Charge],
        hearings: Iterable[Hearing],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.charges = list(charges)
        hearing_field = self.fields["hearing"]
        assert isinstance(hearing_field, forms.ModelChoiceField)
        hearing_field.queryset = Hearing.objects.filter(pk__in=[h.pk for h in hearings])
        for charge in self.charges:
            self.fields[self.verdict_name(charge)] = forms.ChoiceField(
                label=f"NATINF {charge.offence.number} — {charge.qualification_text}",
                choices=ChargeDecision.Verdict.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Indiquez « coupable » ou « relaxe » pour cette infraction."
                },
            )

    @staticmethod
    def verdict_name(charge: Charge) -> str:
        return f"verdict_{charge.pk}"

    def verdict_fields(self) -> list[forms.BoundField]:
        return [self[self.verdict_name(charge)] for charge in self.charges]

    def verdicts(self) -> dict[int, str]:
        return {charge.pk: self.cleaned_data[self.verdict_name(charge)] for charge in self.charges}


# What each kind of sentence needs: field → message when it is missing.
_NEEDS: dict[str, dict[str, str]] = {
    SentenceModel.Kind.PRISON: {"months": "Indiquez la durée de l’emprisonnement en mois."},
    SentenceModel.Kind.SUSPENDED: {"months": "Indiquez la durée de l’emprisonnement en mois."},
    SentenceModel.Kind.PROBATION: {
        "months": "Indiquez la durée de l’emprisonnement en mois.",
        "probation_months": "Indiquez le délai d’épreuve en mois.",
    },
    SentenceModel.Kind.COMMUNITY_SERVICE: {"hours": "Indiquez le nombre d’heures de TIG."},
    SentenceModel.Kind.FINE: {"amount_euros": "Indiquez le montant de l’amende en euros."},
    SentenceModel.Kind.LICENCE_SUSPENSION: {
        "months": "Indiquez la durée de la suspension en mois."
    },
    SentenceModel.Kind.PROHIBITION: {
        "details": "Précisez l’interdiction prononcée (quoi, où, qui)."
    },
    SentenceModel.Kind.ELECTRONIC_HOME_DETENTION: {
        "months": "Indiquez la durée de la détention à domicile en mois."
    },
    SentenceModel.Kind.OTHER_ADJUSTMENT: {"details": "Précisez l’aménagement prononcé."},
}
_WITH_SUSPENSION = {SentenceModel.Kind.PRISON, SentenceModel.Kind.SUSPENDED}
_WITH_OBLIGATIONS = {SentenceModel.Kind.PROBATION, SentenceModel.Kind.COMMUNITY_SERVICE}


def _count(label: str, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Saisissez un nombre supérieur à zéro.",
            "max_value": f"Saisissez un nombre d’au plus {maximum}.",
        },
    )


class SentenceForm(JalonForm):
    """One sentence row; a row left empty is ignored."""

    kind = forms.ChoiceField(
        label="Peine", choices=[("", "— Aucune —"), *SentenceModel.Kind.choices], required=False
    )
    months = _count("Durée (mois)", 600)
    suspended_months = _count("Dont sursis (mois)", 600)
    probation_months = _count("Délai d’épreuve (mois)", 120)
    hours = _count("Heures (TIG)", 999)
    amount_euros = forms.DecimalField(
        label="Montant (euros)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": "Saisissez un montant en euros, par exemple 300 ou 150,50.",
            "min_value": "Saisissez un montant supérieur à zéro.",
        },
    )
    obligations = forms.CharField(
        label="Obligations et interdictions (une par ligne)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    details = forms.CharField(label="Précisions", required=False, max_length=2000)
    provisional_execution = forms.BooleanField(label="Exécution provisoire", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        typed = any(
            data.get(name) for name in self.fields if name not in ("kind", "provisional_execution")
        )
        if not kind:
            if typed or data.get("provisional_execution"):
                self.add_error(
                    "kind", "Choisissez la peine à laquelle ces précisions se rapportent."
                )
            return data
        for name, message in _NEEDS.get(kind, {}).items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        suspended, months = data.get("suspended_months"), data.get("months")
        if suspended and kind not in _WITH_SUSPENSION:
            self.add_error("suspended_months", "Le sursis ne s’applique qu’à l’emprisonnement.")
        elif suspended and months and suspended > months:
            self.add_error(
                "suspended_months",
                "La part avec sursis ne peut pas dépasser la durée de l’emprisonnement.",
            )
        if data.get("obligations") and kind not in _WITH_OBLIGATIONS:
            self.add_error(
                "obligations",
                "Des obligations ne s’attachent qu’à un sursis probatoire ou à un TIG : "
                "utilisez « Précisions ».",
            )
        return data

    @property
    def is_empty(self) -> bool:
        return not self.cleaned_data.get("kind")

    def to_input(self) -> SentenceInput:
        data = self.cleaned_data
        kind = data["kind"]
        months = data.get("months")
        suspended = data.get("suspended_months")
        if kind in (SentenceModel.Kind.SUSPENDED, SentenceModel.Kind.PROBATION) and not suspended:
            suspended = months  # wholly suspended unless a part is typed
        return SentenceInput(
            kind=kind,
            months=months,
            suspended_months=suspended,
            probation_months=data.get("probation_months"),
            hours=data.get("hours"),
            amount_euros=data.get("amount_euros"),
            obligations=[
                line.strip() for line in data.get("obligations", "").splitlines() if line.strip()
            ],
            provisional_execution=bool(data.get("provisional_execution")),
            details=data.get("details", "").strip(),
        )


def sentence_forms(data: Any) -> list[SentenceForm]:
    return [SentenceForm(data, prefix=f"peine{index}") for index in range(1, SENTENCE_ROWS + 1)]


class ServiceForm(ActionErrorsMixin):
    served_on = _date_field("Signifié le", what="la date de signification")


class AppealForm(ActionErrorsMixin):
    by = forms.ChoiceField(
        label="Appelant",
        choices=[("", "— Choisir —"), *Appeal.By.choices],
        error_messages={"required": "Indiquez qui fait appel."},
    )
    lodged_on = _date_field("Appel interjeté le", what="la date de l’appel")
