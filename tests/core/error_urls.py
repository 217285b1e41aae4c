"""The project's URLs plus a view that fails, for the 500 page's tests."""

from django.urls import path

from jalon.urls import handler500, urlpatterns


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [*urlpatterns, path("tests/panne/", broken)]
handler500 = handler500
