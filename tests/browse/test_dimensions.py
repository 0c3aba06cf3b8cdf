"""One declaration per facet: the filters and the facet index follow it."""

import dataclasses

from catalog.browse.facets import dimensions
from catalog.browse.facets.index import any_of
from catalog.browse.filters import LinkFilter, PaperFilter, RepositoryFilter
from catalog.models import Link, Paper, Repository

FILTERS = {Paper: PaperFilter, Repository: RepositoryFilter, Link: LinkFilter}


def test_every_dimension_answers_a_filter_of_its_kind_under_the_same_label():
    for model, declared in dimensions.DIMENSIONS.items():
        filters = FILTERS[model].base_filters
        for name, dimension in declared.items():
            assert dimension.name == name
            assert name in filters, (model, name)
            assert filters[name].label == dimension.label, (model, name)


def test_the_index_key_follows_the_declarations(monkeypatch):
    key = dimensions._layout_key()
    assert key == dimensions.INDEX_KEY
    year = dimensions.DIMENSIONS[Paper]["year"]
    changed = {
        **dimensions.DIMENSIONS,
        Paper: {
            **dimensions.DIMENSIONS[Paper],
            "year": dataclasses.replace(year, select=any_of),
        },
    }
    monkeypatch.setattr(dimensions, "DIMENSIONS", changed)

    assert dimensions._layout_key() != key
