"""Organisations as a domain: names over time, KvK numbers, parents over a period."""
