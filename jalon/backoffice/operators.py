"""The door of /admin/, the operators' technical console.

Django's admin sends any signed-in agent who is not staff to its login page; there, a national
administrator is sent to the DSFR back office and any other agent is refused, instead of the
admin's English login form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jalon.access.rules import backoffice as rules

_django_admin_login = admin.site.login


@login_not_required
def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    if user.is_authenticated and not user.is_staff:
        if rules.can_use_back_office(user):
            return redirect("backoffice_home")
        raise PermissionDenied
    return _django_admin_login(request, extra_context)
