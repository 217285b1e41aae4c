"""The tribunal copy field as migrations 0008 and 0009 write it."""

import django.db.models.deletion
from django.db import models


def tribunal_field(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="access.jurisdiction",
        verbose_name="tribunal judiciaire",
    )
