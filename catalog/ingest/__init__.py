"""The write side's import: reading lists parsed (parsing/, pure) and written
(importer)."""
