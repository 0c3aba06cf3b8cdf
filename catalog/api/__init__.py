"""The read-only REST API: the browse pages' selections as JSON."""
