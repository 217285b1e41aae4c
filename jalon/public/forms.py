from __future__ import annotations

from django import forms

from jalon.core.forms import JalonForm, JalonModelForm
from jalon.public.models import InfoPage, ServicePage


class ServicePageForm(JalonModelForm):
    class Meta:
        model = ServicePage
        fields = ["address", "opening_hours", "access", "phone", "email", "organisations"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "opening_hours": forms.Textarea(attrs={"rows": 4}),
            "access": forms.Textarea(attrs={"rows": 4}),
            "organisations": forms.Textarea(attrs={"rows": 6}),
        }


class InfoPageForm(JalonModelForm):
    class Meta:
        model = InfoPage
        fields = ["title", "summary", "body_markdown", "position"]
        widgets = {"body_markdown": forms.Textarea(attrs={"rows": 20})}


class BirthDateForm(JalonForm):
    birth_date = forms.DateField(
        label="Votre date de naissance",
        help_text="Format attendu : JJ/MM/AAAA, par exemple 21/03/1990.",
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"],
        error_messages={
            "required": "Saisissez votre date de naissance.",
            "invalid": "Date non reconnue : écrivez-la sous la forme JJ/MM/AAAA, par exemple 21/03/1990.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "bday"}),
    )


class MoveRequestForm(JalonForm):
    reason = forms.CharField(
        label="Pourquoi souhaitez-vous déplacer ce rendez-vous ?",
        help_text="Par exemple : un rendez-vous médical, un horaire de travail. 1 000 caractères au plus.",
        min_length=3,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Indiquez la raison de votre demande.",
            "min_length": "Indiquez la raison de votre demande en quelques mots.",
            "max_length": "Votre message est trop long (1 000 caractères au plus).",
        },
    )


class MoveAnswerForm(JalonForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accept", "Accepter le report"), ("refuse", "Refuser le report")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez d’accepter ou de refuser."},
    )
    answer = forms.CharField(
        label="Message à la personne",
        help_text="Il s’affiche sur son lien personnel. N’y mettez aucune information sur son dossier.",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
