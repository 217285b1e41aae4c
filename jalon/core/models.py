"""Technical rows of the request layer (no domain data)."""

from __future__ import annotations

from django.db import models


class Submission(models.Model):
    """A POST form that went through, by the token the page gave it (double submission).

    ``submit.js`` gives every POST form of a page a random token; when the same token comes
    back (a double click, a POST resubmitted with "back"), the agent is sent where the first
    submission led instead of running the action a second time. Kept a day.
    """

    token = models.CharField(max_length=64, unique=True)
    user_pk = models.BigIntegerField()
    path = models.CharField(max_length=500)
    location = models.CharField(max_length=2000)
    messages = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "formulaire envoyé"
        verbose_name_plural = "formulaires envoyés"

    def __str__(self) -> str:
        return f"{self.path} → {self.location}"
