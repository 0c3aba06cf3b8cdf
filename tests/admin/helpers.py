"""Helpers the admin tests share: URLs, form data, actions, lists."""

from django.urls import reverse

from catalog.ingest.parsing import ParsedList
from catalog.models import (
    Alias,
    ImportConflict,
    Link,
    Paper,
    ReadingList,
    Repository,
    Source,
    Topic,
    Translation,
)
from tests.curation.lists import (
    paper,
    reading_list,
    repository,
)

MODELS = (
    Topic,
    Paper,
    Repository,
    Translation,
    Link,
    ReadingList,
    Source,
    Alias,
    ImportConflict,
)
EDITABLE = (Topic, Paper, Repository, Translation, Link)
CHANGELIST_MAX_QUERIES = 16


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:catalog_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """The POST data of a rendered admin change form, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[bound.html_name] = value
            if bound.field.show_hidden_initial:
                # Fields with a callable default post their initial value too.
                data[bound.html_initial_name] = value
    return data


def run_action(client, model, action, objects, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objects], **extra}
    return client.post(admin_url(model), data)


def synthetic_list(name, count) -> ParsedList:
    """A list of ``count`` papers, each with topics, a repository and a link."""
    papers, repositories = [], []
    for i in range(count):
        key = f"arxiv:2001.{i:05d}"
        papers.append(paper(key, title=f"Paper {i}", url=f"https://arxiv.org/abs/{i}"))
        repositories.append(
            repository(f"github.com/{name}/r{i}", papers=(key,), line=100 + i)
        )
    return reading_list(
        name, papers=tuple(papers), repositories=tuple(repositories), translations=()
    )


def one_of_each():
    return {
        Topic: Topic.objects.first(),
        Paper: Paper.objects.first(),
        Repository: Repository.objects.first(),
        Translation: Translation.objects.first(),
        Link: Link.objects.first(),
        ReadingList: ReadingList.objects.first(),
        Source: Source.objects.first(),
        Alias: Alias.objects.first(),
        ImportConflict: ImportConflict.objects.first(),
    }
