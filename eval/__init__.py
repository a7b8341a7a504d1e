"""Measurements of what the server does on labelled data (not part of the server package)."""
