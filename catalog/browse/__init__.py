"""The read side: GET parameters, filters, facets, selectors and views."""
