"""Forms of the penal chain's screens: registration, persons, offences, orientation."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.cases.actions.corrections import ChargeFacts
from jalon.cases.actions.orientation import OrientationData
from jalon.cases.actions.registration import ChargeData, ProcedureData
from jalon.cases.models import Orientation, Party, Procedure, Stage
from jalon.core import phone as phones
from jalon.core.forms import ActionErrorsMixin, FrenchDateField, JalonForm
from jalon.core.parquet import FORMAT_HINT, parse_parquet_number
from jalon.people.forms import PersonForm

_DATE_INVALID = {"invalid": "Saisissez une date au format JJ/MM/AAAA."}


class ProcedureForm(ActionErrorsMixin, forms.Form):
    """Registration: only the numéro de parquet, the origin and the receipt date are due."""

    parquet_number = forms.CharField(
        label="Numéro de parquet",
        max_length=40,
        help_text=FORMAT_HINT[0].upper() + FORMAT_HINT[1:] + ".",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": "Saisissez le numéro de parquet."},
    )
    origin = forms.ChoiceField(
        label="Origine",
        choices=[("", "Choisir l’origine"), *Procedure.Origin.choices],
        error_messages={"required": "Choisissez l’origine de la procédure."},
    )
    received_on = FrenchDateField(
        label="Reçue le",
        error_messages={
            "required": "Saisissez la date de réception de la procédure.",
            **_DATE_INVALID,
        },
    )
    origin_unit = forms.CharField(
        label="Service ou unité d’origine (facultatif)", max_length=200, required=False
    )
    origin_reference = forms.CharField(
        label="Numéro de procès-verbal (facultatif)", max_length=100, required=False
    )
    facts_from = FrenchDateField(
        label="Faits commis le, ou à partir du (facultatif)",
        required=False,
        error_messages=_DATE_INVALID,
    )
    facts_until = FrenchDateField(
        label="Jusqu’au (facultatif, pour une période)",
        required=False,
        error_messages=_DATE_INVALID,
    )
    summary = forms.CharField(
        label="Résumé des faits (facultatif)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            # The number identifies the procedure: it is not edited, only shown.
            del self.fields["parquet_number"]

    def clean_parquet_number(self) -> str:
        try:
            return parse_parquet_number(self.cleaned_data["parquet_number"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def data_for_action(self, procedure: Procedure | None = None) -> ProcedureData:
        data = self.cleaned_data
        return ProcedureData(
            parquet_number=procedure.parquet_number if procedure else data["parquet_number"],
            origin=data["origin"],
            received_on=data["received_on"],
            origin_unit=data["origin_unit"],
            origin_reference=data["origin_reference"],
            facts_from=data["facts_from"],
            facts_until=data["facts_until"],
            summary=data["summary"],
        )

    @classmethod
    def initial_of(cls, procedure: Procedure) -> dict[str, Any]:
        return {
            name: getattr(procedure, name)
            for name in (
                "origin",
                "received_on",
                "origin_unit",
                "origin_reference",
                "facts_from",
                "facts_until",
                "summary",
            )
        }


class PartyPersonForm(PersonForm):
    """The identity of a person involved: as the persons' form, but the phone is optional.

    The parquet rarely knows a mobile number at registration; the convocation services add it
    when they convoke the person.
    """

    role = forms.ChoiceField(
        label="Qualité",
        choices=[("", "Choisir la qualité"), *Party.Role.choices],
        error_messages={"required": "Choisissez la qualité de la personne dans la procédure."},
    )
    field_order = ["role", "last_name", "first_names", "birth_date", "phone"]

    def __init__(self, *args: Any, region: str, **kwargs: Any) -> None:
        super().__init__(*args, region=region, **kwargs)
        self.fields["phone"].label = "Téléphone portable (facultatif)"
        self.fields["phone"].help_text = f"{phones.expected_form(region)}."

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        raw_phone = (data.get("phone") or "").strip()
        data["phone"] = None
        if raw_phone:
            try:
                data["phone"] = phones.parse_mobile(raw_phone, self.region)
            except phones.PhoneError as error:
                self.add_error("phone", str(error))
        return data


def _suspect_choices(parties: list[Party]) -> list[tuple[str, str]]:
    return [
        (str(party.pk), f"{party.person.last_name} {party.person.first_names}")
        for party in parties
        if party.is_suspect
    ]


class ChargeForm(ActionErrorsMixin, forms.Form):
    natinf = forms.IntegerField(
        label="Numéro NATINF",
        min_value=1,
        max_value=999999,
        help_text="Cherchez-le ci-dessous par les mots de la qualification si besoin.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={
            "required": "Saisissez le numéro NATINF de l’infraction.",
            "invalid": "Le numéro NATINF ne contient que des chiffres.",
            "min_value": "Le numéro NATINF ne contient que des chiffres.",
            "max_value": "Le numéro NATINF compte au plus 6 chiffres.",
        },
    )
    party = forms.ChoiceField(label="Mis en cause", required=False)
    facts_from = FrenchDateField(
        label="Faits commis le, ou à partir du",
        error_messages={"required": "Saisissez la date des faits.", **_DATE_INVALID},
    )
    facts_until = FrenchDateField(
        label="Jusqu’au (facultatif, pour une période)",
        required=False,
        error_messages=_DATE_INVALID,
    )
    place = forms.CharField(label="Lieu des faits (facultatif)", max_length=300, required=False)

    def __init__(
        self, *args: Any, procedure: Procedure, parties: list[Party], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {str(party.pk): party for party in parties if party.is_suspect}
        self.fields["party"].choices = [  # type: ignore[attr-defined]
            ("", "Non désigné pour l’instant"),
            *_suspect_choices(parties),
        ]

    def data_for_action(self) -> ChargeData:
        data = self.cleaned_data
        return ChargeData(
            natinf=data["natinf"],
            facts_from=data["facts_from"],
            facts_until=data["facts_until"],
            place=data["place"],
            party=self.parties.get(data["party"] or ""),
        )


class PartyRoleForm(ActionErrorsMixin, forms.Form):
    """Correct a party's role."""

    role = forms.ChoiceField(
        label="Qualité",
        choices=Party.Role.choices,
        error_messages={
            "required": "Choisissez la qualité de la personne.",
            "invalid_choice": "Choisissez une qualité dans la liste.",
        },
    )


class ChargeFactsForm(ActionErrorsMixin, forms.Form):
    """Correct the facts of a charge: dates and place (not its NATINF number)."""

    facts_from = FrenchDateField(
        label="Faits commis le, ou à partir du",
        error_messages={"required": "Saisissez la date des faits.", **_DATE_INVALID},
    )
    facts_until = FrenchDateField(
        label="Jusqu’au (facultatif, pour une période)",
        required=False,
        error_messages=_DATE_INVALID,
    )
    place = forms.CharField(label="Lieu des faits (facultatif)", max_length=300, required=False)

    def data_for_action(self) -> ChargeFacts:
        data = self.cleaned_data
        return ChargeFacts(
            facts_from=data["facts_from"],
            facts_until=data["facts_until"],
            place=data["place"].strip(),
        )


class OrientationForm(ActionErrorsMixin, forms.Form):
    """Offers only the orientations and alternatives the law allows (computed by the caller)."""

    kind = forms.ChoiceField(
        label="Orientation",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une orientation.",
            "invalid_choice": "Cette orientation n’est pas permise pour cette personne.",
        },
    )
    reason = forms.ChoiceField(
        label="Motif du classement sans suite",
        required=False,
        choices=[("", "Choisir le motif"), *Orientation.DismissalReason.choices],
    )
    alternative_kind = forms.ChoiceField(label="Mesure alternative aux poursuites", required=False)
    decided_on = FrenchDateField(
        label="Décidée le",
        error_messages={"required": "Saisissez la date de la décision.", **_DATE_INVALID},
    )
    comment = forms.CharField(
        label="Observations (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, allowed: list[str], alternatives: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(value, Orientation.Kind(value).label) for value in allowed]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["alternative_kind"].choices = [  # type: ignore[attr-defined]
            ("", "Choisir la mesure"),
            *((value, Orientation.AlternativeKind(value).label) for value in alternatives),
        ]

    def data_for_action(self, party: Party | None) -> OrientationData:
        data = self.cleaned_data
        return OrientationData(
            kind=data["kind"],
            decided_on=data["decided_on"],
            party=party,
            reason=data["reason"],
            alternative_kind=data["alternative_kind"],
            comment=data["comment"],
        )


class ProcedureFilterForm(JalonForm):
    q = forms.CharField(label="Numéro de parquet ou nom d’une personne", required=False)
    stage = forms.ChoiceField(
        label="Étape", required=False, choices=[("", "Toutes les étapes"), *Stage.choices]
    )
