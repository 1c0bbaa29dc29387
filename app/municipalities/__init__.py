"""Municipalities (gemeenten): the reference data the registry ships, and keeping it current."""
