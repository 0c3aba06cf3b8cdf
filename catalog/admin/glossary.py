"""The search glossary: the field's terms in English and Chinese, with the
other names a query may use (``catalog.search.expansion``). Saving a term
bumps the catalog version, so the next search uses it."""

from django.contrib import admin

from catalog.models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ("english", "chinese", "aliases", "updated")
    search_fields = ("english", "chinese", "aliases")
    ordering = ("english",)
    list_per_page = 100
