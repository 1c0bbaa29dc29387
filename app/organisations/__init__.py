"""Organisations as a domain: names over time, parents over a period, and the register
numbers (KvK, vestiging, RSIN, AGB) they are known by, each over a period."""
