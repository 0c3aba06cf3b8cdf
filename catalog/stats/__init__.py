"""Statistics of the catalog or of a browse selection, drawn as charts
(read side: it never imports the write side)."""
