"""Redirects, limited to paths of this site."""

from django.contrib import admin
from django.contrib.redirects.admin import RedirectAdmin
from django.contrib.redirects.models import Redirect

from catalog.admin.forms import LocalRedirectForm

admin.site.unregister(Redirect)


@admin.register(Redirect)
class LocalRedirectAdmin(RedirectAdmin):
    form = LocalRedirectForm
