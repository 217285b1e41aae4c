"""What agents type on situation screens; French messages next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from jalon.access.models import Jurisdiction
from jalon.core.forms import ActionErrorsMixin, FrenchDateField, JalonForm, JalonModelForm
from jalon.people.forms import PersonForm
from jalon.situations.actions import SituationData
from jalon.situations.models import (
    JafSection,
    ListEntry,
    Measure,
    Policy,
    Procedure,
    Victim,
)

DATE_HELP = "JJ/MM/AAAA"


def policies_for(jurisdiction: Jurisdiction) -> Any:
    return Policy.objects.filter(is_active=True).filter(
        Q(jurisdiction__isnull=True) | Q(jurisdiction=jurisdiction)
    )


def _entries(jurisdiction: Jurisdiction, kind: str) -> Any:
    return ListEntry.objects.filter(jurisdiction=jurisdiction, kind=kind, is_active=True)


class MecForm(PersonForm):
    """The mis en cause: the people app's identity, without the SMS questions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("has_no_mobile", "refuses_sms", "homeless", "lives_abroad"):
            del self.fields[name]
        self.fields["phone"].help_text = "Facultatif. " + str(self.fields["phone"].help_text)

    def clean(self) -> dict[str, Any]:
        # The phone is optional here: an unknown number is not "no mobile".
        data = forms.Form.clean(self) or {}
        data.setdefault("has_no_mobile", False)
        data.setdefault("refuses_sms", False)
        data.setdefault("homeless", False)
        data.setdefault("lives_abroad", False)
        raw_phone = (data.get("phone") or "").strip()
        data["phone"] = None
        if raw_phone:
            from jalon.core import phone as phones

            try:
                data["phone"] = phones.parse_mobile(raw_phone, self.region)
            except phones.PhoneError as error:
                self.add_error("phone", str(error))
        return data


class SituationForm(ActionErrorsMixin, forms.Form):
    """The general part of the record: policy, boxes, cabinets, instances, next review."""

    policy = forms.ModelChoiceField(
        label="Politique pénale prioritaire",
        queryset=Policy.objects.none(),
        error_messages={"required": "Choisissez la politique pénale."},
    )
    mec_procedure_jaf = forms.BooleanField(label="Procédure JAF", required=False)
    appeal = forms.BooleanField(
        label="Appel en cours",
        required=False,
        help_text="Cochée, la cour d’appel du ressort voit et modifie cette fiche.",
    )
    summary = forms.CharField(label="Résumé", required=False, widget=forms.Textarea({"rows": 3}))
    cabinet_je = forms.ModelChoiceField(
        label="Cabinet JE", queryset=ListEntry.objects.none(), required=False
    )
    cabinet_jap = forms.ModelChoiceField(
        label="Cabinet JAP", queryset=ListEntry.objects.none(), required=False
    )
    cabinet_ji = forms.ModelChoiceField(
        label="Cabinet JI", queryset=ListEntry.objects.none(), required=False
    )
    instances = forms.ModelMultipleChoiceField(
        label="Instances de concertation",
        queryset=ListEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_review_on = FrenchDateField(
        label="Prochaine revue",
        required=False,
        help_text="Laissez vide pour la calculer selon la politique pénale. " + DATE_HELP,
    )

    def __init__(
        self, *args: Any, jurisdiction: Jurisdiction, can_change_appeal: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies_for(jurisdiction)  # type: ignore[attr-defined]
        for name, kind in (
            ("cabinet_je", ListEntry.Kind.CABINET_JE),
            ("cabinet_jap", ListEntry.Kind.CABINET_JAP),
            ("cabinet_ji", ListEntry.Kind.CABINET_JI),
            ("instances", ListEntry.Kind.INSTANCE),
        ):
            self.fields[name].queryset = _entries(jurisdiction, kind)  # type: ignore[attr-defined]
        if not can_change_appeal:
            del self.fields["appeal"]

    def situation_data(self, appeal: bool = False) -> SituationData:
        data = self.cleaned_data
        return SituationData(
            policy=data["policy"],
            mec_procedure_jaf=data["mec_procedure_jaf"],
            appeal=data.get("appeal", appeal),
            summary=data["summary"].strip(),
            cabinet_je=data["cabinet_je"],
            cabinet_jap=data["cabinet_jap"],
            cabinet_ji=data["cabinet_ji"],
            instances=list(data["instances"]),
            next_review_on=data["next_review_on"],
        )


class VictimForm(JalonModelForm):
    birth_date = FrenchDateField(label="Date de naissance", required=False, help_text=DATE_HELP)

    class Meta:
        model = Victim
        fields = [
            "last_name",
            "first_names",
            "birth_date",
            "protection_order",
            "protective_measures",
        ]
        widgets = {"protective_measures": forms.Textarea({"rows": 2})}


class ProcedureForm(JalonModelForm):
    class Meta:
        model = Procedure
        fields = ["nature", "reference", "court", "stage", "decisions"]
        widgets = {"decisions": forms.Textarea({"rows": 2})}


class MeasureForm(JalonModelForm):
    starts_on = FrenchDateField(label="Début", required=False, help_text=DATE_HELP)
    ends_on = FrenchDateField(label="Fin", required=False, help_text=DATE_HELP)

    class Meta:
        model = Measure
        fields = ["label", "starts_on", "ends_on", "details"]
        widgets = {"details": forms.Textarea({"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fin de la mesure ne peut précéder son début.")
        return data


class EventForm(ActionErrorsMixin, forms.Form):
    occurred_on = FrenchDateField(
        label="Date", help_text=DATE_HELP, error_messages={"required": "Indiquez la date."}
    )
    text = forms.CharField(
        label="Évènement",
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": "Décrivez l’évènement."},
    )


class JafForm(JalonModelForm):
    hearing_on = FrenchDateField(label="Date d’audience JAF", required=False, help_text=DATE_HELP)

    class Meta:
        model = JafSection
        fields = ["hearing_on", "decisions", "notes"]
        widgets = {"decisions": forms.Textarea({"rows": 3}), "notes": forms.Textarea({"rows": 3})}


class ReviewForm(ActionErrorsMixin, forms.Form):
    held_on = FrenchDateField(
        label="Date de la revue",
        help_text=DATE_HELP,
        error_messages={"required": "Indiquez la date de la revue."},
    )
    participants = forms.CharField(
        label="Participants",
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": "Indiquez qui a participé à la revue."},
    )
    decisions = forms.CharField(
        label="Décisions", required=False, widget=forms.Textarea({"rows": 3})
    )
    next_review_on = FrenchDateField(
        label="Prochaine revue",
        required=False,
        help_text="Laissez vide pour la calculer selon la politique pénale. " + DATE_HELP,
    )


class DocumentForm(ActionErrorsMixin, forms.Form):
    title = forms.CharField(label="Intitulé", max_length=200, required=False)
    file = forms.FileField(
        label="Fichier",
        help_text="PDF, image ou document bureautique ; le contenu est vérifié.",
        error_messages={
            "required": "Choisissez un fichier.",
            "empty": "Le fichier est vide.",
            "invalid": "Aucun fichier reçu : choisissez-en un.",
        },
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale de {self.max_bytes // (1024 * 1024)} Mo."
            )
        return upload


class CloseForm(ActionErrorsMixin, forms.Form):
    """Closing a situation (clôture): the day and why."""

    closed_on = FrenchDateField(
        label="Date de clôture",
        help_text="Aujourd’hui ou avant, pas avant l’ouverture de la situation. " + DATE_HELP,
        error_messages={"required": "Indiquez la date de clôture."},
    )
    reason = forms.CharField(
        label="Motif de la clôture",
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": "Indiquez le motif de la clôture."},
    )


class ReopenForm(ActionErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Motif de la réouverture",
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": "Indiquez le motif de la réouverture."},
    )


class ListEntryForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(
        label="Libellé", max_length=200, error_messages={"required": "Saisissez un libellé."}
    )


class TableFilterForm(JalonForm):
    """Filters of the tracking table (SIS-02): every field optional, bad values ignored."""

    DUE_CHOICES = [
        ("", "Toutes"),
        ("retard", "Revue en retard"),
        ("15j", "Revue dans les 15 jours"),
        ("30j", "Revue dans les 30 jours"),
    ]
    APPEAL_CHOICES = [("", "Tous"), ("oui", "Avec appel"), ("non", "Sans appel")]
    STATE_CHOICES = [("", "Ouvertes"), ("cloturees", "Clôturées"), ("toutes", "Toutes")]
    SORTS = {
        "revue": ("next_review_on", "pk"),
        "-revue": ("-next_review_on", "-pk"),
        "nom": ("mec__last_name_key", "mec__first_names_key", "pk"),
        "-nom": ("-mec__last_name_key", "-mec__first_names_key", "-pk"),
        "politique": ("policy__label", "next_review_on", "pk"),
        "creation": ("created_at", "pk"),
        "-creation": ("-created_at", "-pk"),
    }

    politique = forms.ModelChoiceField(
        label="Politique", queryset=Policy.objects.none(), required=False, empty_label="Toutes"
    )
    cabinet = forms.ModelChoiceField(
        label="Cabinet", queryset=ListEntry.objects.none(), required=False, empty_label="Tous"
    )
    instance = forms.ModelChoiceField(
        label="Instance", queryset=ListEntry.objects.none(), required=False, empty_label="Toutes"
    )
    echeance = forms.ChoiceField(label="Échéance", choices=DUE_CHOICES, required=False)
    appel = forms.ChoiceField(label="Appel", choices=APPEAL_CHOICES, required=False)
    etat = forms.ChoiceField(label="État", choices=STATE_CHOICES, required=False)
    tri = forms.ChoiceField(
        label="Tri",
        required=False,
        choices=[
            ("revue", "Prochaine revue (la plus proche)"),
            ("-revue", "Prochaine revue (la plus lointaine)"),
            ("nom", "Nom du mis en cause (A→Z)"),
            ("-nom", "Nom du mis en cause (Z→A)"),
            ("politique", "Politique"),
            ("-creation", "Création (la plus récente)"),
            ("creation", "Création (la plus ancienne)"),
        ],
    )

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["politique"].queryset = policies_for(jurisdiction)  # type: ignore[attr-defined]
        self.fields["cabinet"].queryset = ListEntry.objects.filter(  # type: ignore[attr-defined]
            jurisdiction=jurisdiction,
            kind__in=[
                ListEntry.Kind.CABINET_JE,
                ListEntry.Kind.CABINET_JAP,
                ListEntry.Kind.CABINET_JI,
            ],
        )
        self.fields["instance"].queryset = _entries(  # type: ignore[attr-defined]
            jurisdiction, ListEntry.Kind.INSTANCE
        )
