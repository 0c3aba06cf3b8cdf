"""Facet counts from an index held in memory (index) over the dimensions of
each kind of entry."""
