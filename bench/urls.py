"""The site's URLs plus a hello-world view: the baseline of bench_web.py."""

from django.http import HttpResponse
from django.urls import path

from dlresources.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("hello world")


urlpatterns = [path("__bench__/hello/", hello), *site_urlpatterns]
