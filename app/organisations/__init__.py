"""Organisations: the numbers the Dutch registers know them by, each over a period."""
