"""Taking the data out: the full dump (``dump``), the markdown list (``markdown``)."""
