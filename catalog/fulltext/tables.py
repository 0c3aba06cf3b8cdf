"""The tables the search engine reads and writes by name (it imports no
model): the documents and vocabulary are models of ``catalog.models.search``;
the rest belong to one database (migration 0004)."""

DOCUMENT_TABLE = "catalog_papersearch"
TERM_TABLE = "catalog_searchterm"
# PostgreSQL: common words' ranked matches (``catalog.fulltext.postings``).
POSTED_TABLE = "catalog_searchpostedterm"
POSTING_TABLE = "catalog_searchposting"
# PostgreSQL: documents on their way in (a temporary table, per session).
INCOMING_TABLE = "catalog_papersearch_incoming"
# SQLite: the FTS5 index of the documents (rowid = paper id).
FTS_TABLE = "catalog_paper_fts"
