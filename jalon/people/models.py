"""One record per person under court supervision (PPSMJ), shared by the services of a ressort."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jalon.core import phone as phones
from jalon.core.expressions import among_ids
from jalon.core.text import (
    format_first_names,
    format_last_name,
    name_key,
    normalize_words,
    phonetic_key,
)

# MSJ's rule (``AppiUuidValidator`` of betagouv/mon-suivi-justice): the length goes with the
# prefix. Twelve digits start with 200, 201 or 202; the older eight-digit numbers start with
# 199 or 200. One letter may follow.
APPI_PATTERN = re.compile(r"^(?:(?:200|201|202)[0-9]{9}|(?:199|200)[0-9]{5})[A-Z]?$")
APPI_SHAPE = re.compile(r"^([0-9]+)([A-Z]?)$")
MINIMUM_AGE_YEARS = 16


def normalize_appi(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw).upper()


def _appi_problem(value: str) -> str:
    """Why ``value`` is not an APPI number, said to the agent (the most precise reason)."""
    shape = APPI_SHAPE.fullmatch(value)
    if shape is None:
        return (
            "Le numéro APPI ne contient que des chiffres, éventuellement suivis d’une seule "
            "lettre à la fin."
        )
    digits = shape.group(1)
    if len(digits) == 12:
        return "Un numéro APPI de 12 chiffres commence par 200, 201 ou 202."
    if len(digits) == 8:
        return "Un numéro APPI de 8 chiffres commence par 199 ou 200."
    return f"Le numéro APPI compte 8 ou 12 chiffres, et non {len(digits)}."


def validate_appi(value: str) -> None:
    if not APPI_PATTERN.fullmatch(value):
        raise ValidationError(
            f"{_appi_problem(value)} Exemples : 20012345 ou 201212345678A.",
            code="invalid_appi",
        )


def normalize_postal_code(raw: str, *, abroad: bool = False) -> str:
    """French postal codes without spaces ("67 000" is 67000); foreign ones as typed."""
    text = " ".join(raw.split()).upper()
    return text if abroad else text.replace(" ", "")


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_birth_date(value: date, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if value > years_before(today, MINIMUM_AGE_YEARS):
        raise ValidationError(
            f"La personne doit avoir au moins {MINIMUM_AGE_YEARS} ans : vérifiez la date de "
            "naissance (format JJ/MM/AAAA).",
            code="too_young",
        )
    if value.year < 1900:
        raise ValidationError("Vérifiez l’année de naissance.", code="too_old")


KEY_FIELDS = ("last_name_key", "first_names_key", "last_name_phonetic", "first_name_phonetic")


def phonetic_keys(last_name: str, first_names: str) -> tuple[str, str]:
    """Phonetic keys of the last name and of the first word of the first names.

    The first word, not the first given name: "Jean-Pierre" is also typed "Jean Pierre", and
    the first word is the one always typed.
    """
    words = normalize_words(first_names)
    return phonetic_key(last_name), phonetic_key(words[0]) if words else ""


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(archived_at__isnull=True)

    def with_followers(self) -> PersonQuerySet:
        """With the referent and the services that follow each person (oldest first)."""
        return self.select_related("referent").prefetch_related(
            models.Prefetch(
                "follows", queryset=Follow.objects.select_related("service").order_by("since")
            )
        )

    def followed_by_any(self, service_ids: list[int] | frozenset[int]) -> PersonQuerySet:
        """Persons followed by at least one of these services (no duplicate rows)."""
        return self.filter(
            Exists(Follow.objects.filter(person=OuterRef("pk"), service_id__in=service_ids))
        )

    def search_name(self, words: list[str]) -> PersonQuerySet:
        """Prefix search on the name keys, last name first or first names first.

        Every condition is a prefix on an indexed key, so PostgreSQL answers from the
        ``varchar_pattern_ops`` indexes without scanning the table.
        """
        if not words:
            return self.none()
        # The matching persons' ids first (``among_ids``): a page of a common name (MARTIN)
        # would otherwise walk the name-order index over the whole table.
        return self.filter(among_ids("pk", self.filter(_name_q(words)).values("pk")))


def _name_q(words: list[str]) -> Q:
    """Prefixes of the name keys for ``words`` (see ``PersonQuerySet.search_name``)."""
    joined = "".join(words)
    condition = Q(last_name_key__startswith=joined) | Q(first_names_key__startswith=joined)
    for split in range(1, len(words)):
        head, tail = "".join(words[:split]), "".join(words[split:])
        condition |= Q(last_name_key=head, first_names_key__startswith=tail)
        condition |= Q(first_names_key=head, last_name_key__startswith=tail)
        condition |= Q(last_name_key__startswith=head, first_names_key__startswith=tail)
    return condition


class Person(models.Model):
    """A person under court supervision, with identity, contact flags and who follows them."""

    last_name = models.CharField("nom", max_length=100)
    first_names = models.CharField("prénoms", max_length=150)
    birth_date = models.DateField("date de naissance", validators=[validate_birth_date])
    appi_number = models.CharField(  # noqa: DJ001
        "numéro APPI", max_length=13, null=True, blank=True, validators=[validate_appi]
    )
    # NULL, not "", so that the unique constraints ignore persons without one.
    phone = models.CharField("téléphone portable", max_length=20, null=True, blank=True)  # noqa: DJ001
    has_no_mobile = models.BooleanField("n’a pas de téléphone portable", default=False)
    refuses_sms = models.BooleanField("refuse les SMS", default=False)
    homeless = models.BooleanField("sans domicile stable", default=False)
    lives_abroad = models.BooleanField("réside à l’étranger", default=False)
    # Contact details a letter can use: kept whatever the mobile flags say.
    landline = models.CharField(
        "téléphone fixe", max_length=20, blank=True, default="", db_default=""
    )
    email = models.EmailField("adresse électronique", blank=True, default="", db_default="")
    address = models.CharField("adresse", max_length=200, blank=True, default="", db_default="")
    address_complement = models.CharField(
        "complément d’adresse", max_length=200, blank=True, default="", db_default=""
    )
    postal_code = models.CharField(
        "code postal", max_length=10, blank=True, default="", db_default=""
    )
    city = models.CharField("commune", max_length=100, blank=True, default="", db_default="")
    lawyer = models.CharField(
        "avocat",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="Nom, barreau et contact",
    )
    referent = models.ForeignKey(
        "access.Agent",
        verbose_name="CPIP référent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_persons",
    )
    services = models.ManyToManyField(
        "access.Service",
        through="Follow",
        related_name="followed_persons",
        verbose_name="suivi par",
    )
    last_name_key = models.CharField(max_length=100, editable=False)
    first_names_key = models.CharField(max_length=150, editable=False)
    # Blocking keys of the duplicate lookup (people/duplicates.py): the sound of the last name
    # and of the first word of the first names, so that a namesake is found whatever the
    # birth date typed.
    last_name_phonetic = models.CharField(max_length=100, editable=False, default="")
    first_name_phonetic = models.CharField(max_length=150, editable=False, default="")
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "access.Agent",
        verbose_name="créée par",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    archived_at = models.DateTimeField("archivée le", null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne suivie"
        verbose_name_plural = "personnes suivies"
        ordering = ["last_name_key", "first_names_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appi_number"],
                condition=Q(appi_number__isnull=False),
                name="person_appi_unique",
                violation_error_message="Ce numéro APPI est déjà enregistré.",
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(phone__isnull=False),
                name="person_phone_unique",
                violation_error_message="Ce numéro de téléphone est déjà enregistré.",
            ),
            models.CheckConstraint(
                name="person_without_mobile_has_no_phone",
                condition=Q(has_no_mobile=False) | Q(phone__isnull=True),
                violation_error_message=(
                    "Une personne sans téléphone portable ne peut pas avoir de numéro."
                ),
            ),
        ]
        indexes = [
            # The statistics' share of followed persons refusing SMS: an index-only probe per
            # follow instead of reading every person (``stats.queries.sms_refusals``).
            models.Index(
                fields=["id"],
                include=["refuses_sms"],
                condition=models.Q(archived_at__isnull=True),
                name="person_live_sms",
            ),
            models.Index(
                fields=["last_name_key"],
                name="person_last_name_key",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["first_names_key"],
                name="person_first_names_key",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["phone"], name="person_phone_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["birth_date"], name="person_birth_date"),
            # Lists by name (the API's cursor pages): read in order, LIMIT stops early.
            models.Index(
                fields=["last_name_key", "first_names_key", "id"], name="person_name_order"
            ),
            models.Index(
                fields=["last_name_phonetic", "first_name_phonetic"], name="person_phonetic"
            ),
            # The retention job finds the archives due for deletion (MSJ-39) without a scan.
            models.Index(
                fields=["archived_at"],
                name="person_archived_at",
                condition=Q(archived_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_names}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalize()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"last_name", "first_names"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *KEY_FIELDS}
        super().save(*args, **kwargs)

    def normalize(self) -> None:
        self.last_name = format_last_name(self.last_name)
        self.first_names = format_first_names(self.first_names)
        self.last_name_key = name_key(self.last_name)
        self.first_names_key = name_key(self.first_names)
        self.last_name_phonetic, self.first_name_phonetic = phonetic_keys(
            self.last_name, self.first_names
        )
        if self.appi_number is not None:
            self.appi_number = normalize_appi(self.appi_number) or None
        self.phone = self.phone or None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def phone_display(self) -> str:
        return phones.display(self.phone or "")

    @property
    def landline_display(self) -> str:
        return phones.display(self.landline)

    @property
    def has_postal_address(self) -> bool:
        """Enough for a letter: street and commune (a postal code too, in France)."""
        return bool(self.address and self.city and (self.postal_code or self.lives_abroad))

    @property
    def can_receive_sms(self) -> bool:
        return bool(self.phone) and not self.refuses_sms and not self.is_archived

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Follow(models.Model):
    """A service that follows a person; the person is visible in that service's ressort."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="follows")
    service = models.ForeignKey("access.Service", on_delete=models.PROTECT, related_name="follows")
    since = models.DateTimeField("depuis", default=timezone.now)

    class Meta:
        verbose_name = "suivi"
        constraints = [models.UniqueConstraint(fields=["service", "person"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.person} — {self.service}"
