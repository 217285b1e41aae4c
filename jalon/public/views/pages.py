"""The public pages, without login: a page per service and the general information pages.

They are light (the DSFR stylesheet only, no script, no cookie) and cached: the rendered
HTML is kept in Django's cache under a key holding the page's ``version`` (one small query
per request tells the version, so an edit shows at once in every process), and browsers and
proxies may keep the answer ``MAX_AGE`` seconds.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from jalon.access.models import Service
from jalon.core import links
from jalon.public.models import InfoPage, ServicePage

MAX_AGE = 300  # seconds a browser or a proxy may keep a public page
CACHE_SECONDS = 3600  # a rendering is also dropped from the cache after this (places, names)


def _public(html: str) -> HttpResponse:
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _not_found(request: HttpRequest, title: str, text: str) -> HttpResponse:
    response = render(request, "public/not_found.html", {"title": title, "text": text}, status=404)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def service_page_html(service_id: int) -> str | None:
    """The rendered page of an active service (None if there is none), from the cache."""
    version = (
        ServicePage.objects.filter(service_id=service_id).values_list("version", flat=True).first()
    ) or 0
    key = f"public:service:{service_id}:{version}"
    html = cache.get(key)
    if html is None:
        service = Service.objects.filter(pk=service_id, is_active=True).first()
        if service is None:
            return None
        page = ServicePage.objects.filter(service=service).first() or ServicePage(service=service)
        places = list(service.places.filter(is_active=True).order_by("name"))
        html = render_to_string(
            "public/service_page.html", {"service": service, "page": page, "places": places}
        )
        cache.set(key, html, CACHE_SECONDS)
    return html


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
    version = InfoPage.objects.filter(slug=slug).values_list("version", flat=True).first()
    if version is None:
        return _not_found(
            request, "Page introuvable", "Cette page d’information n’existe pas ou plus."
        )
    key = f"public:info:{slug}:{version}"
    html = cache.get(key)
    if html is None:
        page = InfoPage.objects.get(slug=slug)
        html = render_to_string("public/info_page.html", {"page": page})
        cache.set(key, html, CACHE_SECONDS)
    return _public(html)
