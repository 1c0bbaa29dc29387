"""Handovers as a domain: every write the registry allows on them, callable without HTTP."""
