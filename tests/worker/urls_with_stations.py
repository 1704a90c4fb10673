"""The site's URLs plus a worker "stations" page, as if that module had been built."""

from django.http import HttpResponse
from django.urls import include, path

from gonghui import urls as site
from gonghui.worker import urls as worker


def stations(request):
    return HttpResponse("stations")


urlpatterns = [
    path("w/", include(([*worker.urlpatterns, path("stations/", stations, name="stations")], "worker"))),
    *[p for p in site.urlpatterns if str(p.pattern) != "w/"],
]
