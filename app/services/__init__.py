"""Services as a domain: the writes the registry allows on them, callable without HTTP."""
