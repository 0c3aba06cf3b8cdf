"""The tables the search engine reads and writes by name (it imports no
model): the documents and vocabulary are models of ``catalog.models.search``;
the rest belong to one database (migration 0004)."""

DOCUMENT_TABLE = "catalog_papersearch"
TERM_TABLE = "catalog_searchterm"
# SQLite: the title words' trigrams (FTS5, rowid = SearchTerm id) and its
# fts5vocab table of (trigram, rowid) rows (migration 0014).
TRIGRAM_TABLE = "catalog_searchterm_trigram"
TRIGRAM_ROWS = "catalog_searchterm_trigram_rows"
# PostgreSQL: common words' ranked matches (``catalog.fulltext.postings``).
POSTED_TABLE = "catalog_searchpostedterm"
POSTING_TABLE = "catalog_searchposting"
# PostgreSQL: documents on their way in (a temporary table, per session).
INCOMING_TABLE = "catalog_papersearch_incoming"
# SQLite: the FTS5 index of the documents (rowid = paper id).
FTS_TABLE = "catalog_paper_fts"
