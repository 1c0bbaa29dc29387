"""Staff transfers as a domain: the writes HR and registrars make, callable without HTTP."""
