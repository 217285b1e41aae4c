"""The public pages, without login: a page per service and the general information pages.

They are light (the DSFR stylesheet only, no script, no cookie) and cached (``cache.py``:
the rendering keyed by the page's ``version``, the version remembered a few seconds per
process), and browsers and proxies may keep the answer ``MAX_AGE`` seconds.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from jalon.access.models import Service
from jalon.core import links
from jalon.public import cache as public_cache
from jalon.public.models import InfoPage, ServicePage

MAX_AGE = 300  # seconds a browser or a proxy may keep a public page


def _public(html: str) -> HttpResponse:
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _not_found(request: HttpRequest, title: str, text: str) -> HttpResponse:
    response = render(request, "public/not_found.html", {"title": title, "text": text}, status=404)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _render_service_page(service_id: int) -> str | None:
    service = Service.objects.filter(pk=service_id, is_active=True).first()
    if service is None:
        return None
    page = ServicePage.objects.filter(service=service).first() or ServicePage(service=service)
    places = list(service.places.filter(is_active=True).order_by("name"))
    return render_to_string(
        "public/service_page.html", {"service": service, "page": page, "places": places}
    )


def service_page_html(service_id: int) -> str | None:
    """The rendered page of an active service (None if there is none), from the cache."""
    key = public_cache.service_key(service_id)
    page_version = public_cache.version(
        key,
        lambda: (
            ServicePage.objects.filter(service_id=service_id)
            .values_list("version", flat=True)
            .first()
        ),
    )
    return public_cache.html(key, page_version or 0, lambda: _render_service_page(service_id))


@login_not_required
@require_safe
def service_page(request: HttpRequest, token: str) -> HttpResponse:
    service_id = links.unsign(links.SERVICE_PAGE[0], token, links.SERVICE_PAGE[1])
    html = service_page_html(service_id) if service_id is not None else None
    if html is None:
        return _not_found(
            request,
            "Page introuvable",
            "Cette adresse ne correspond à aucun service. Vérifiez le lien reçu par SMS.",
        )
    return _public(html)


@login_not_required
@require_safe
def info_index(request: HttpRequest) -> HttpResponse:
    pages = InfoPage.objects.only("slug", "title", "summary")
    response = render(request, "public/info_index.html", {"pages": pages})
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@login_not_required
@require_safe
def info_page(request: HttpRequest, slug: str) -> HttpResponse:
    key = public_cache.info_key(slug)
    page_version = public_cache.version(
        key, lambda: InfoPage.objects.filter(slug=slug).values_list("version", flat=True).first()
    )
    html = None
    if page_version is not None:
        html = public_cache.html(
            key,
            page_version,
            lambda: render_to_string(
                "public/info_page.html", {"page": InfoPage.objects.get(slug=slug)}
            ),
        )
    if html is None:
        return _not_found(
            request, "Page introuvable", "Cette page d’information n’existe pas ou plus."
        )
    return _public(html)
